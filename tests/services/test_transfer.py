"""Import and export: the content/ folder, round trips, and bad files."""

from pathlib import Path

import frontmatter
import pytest
from sqlmodel import select

from praxis import policy
from praxis.db import new_session
from praxis.errors import Invalid
from praxis.models import CarnetCategory, EntryCategory, Note, NoteLink, Revision, User
from praxis.schemas import NoteQuery
from praxis.notes import notes as note_service
from praxis.transfer import exporting, folders
from tests.factories import counted

CONTENT = Path(__file__).resolve().parents[2] / "content"


def _snapshot(session):
    """Everything a round trip must keep: notes, ordered authors (and how citations name
    them), links and dates."""
    out: dict = {
        "people": sorted(
            (u.username, u.display_name, u.family_name, u.given_name, u.is_organisation)
            for u in session.exec(select(User)).all()
        )
    }
    for note in session.exec(select(Note).where(Note.deleted_at.is_(None))).all():
        read = note_service.read_note(session=session, actor=None, note=note)
        links = sorted(
            (l.target_id or "", l.target_title or "", l.origin)
            for l in session.exec(select(NoteLink).where(NoteLink.source_id == note.id))
        )
        out[note.id] = (
            read.title,
            read.kind,
            read.body,
            read.visibility,
            read.licence,
            [(a.username, a.display_name) for a in read.authors],
            read.published_at,
            read.created_at,
            read.updated_at,
            links,
        )
    return out


def test_the_sample_content_imports_with_its_links(session):
    report = folders.import_path(session=session, path=CONTENT)
    session.commit()
    assert report.created >= 15 and report.updated == 0
    kinds = {n.kind for n in session.exec(select(Note)).all()}
    assert kinds == {"note", "organisation", "term"}
    authors = session.exec(select(User)).all()
    assert len(authors) >= 3 and all(u.password_hash is None for u in authors)  # profiles without login
    unresolved = session.exec(select(NoteLink).where(NoteLink.target_id.is_(None))).all()
    assert unresolved == [], [u.target_title for u in unresolved]
    assert "wikilink-new" not in "".join(n.html for n in session.exec(select(Note)).all())
    page = note_service.list_notes(session=session, actor=None, query=NoteQuery(kind="term"))
    assert page.total >= 3


def test_importing_twice_creates_nothing_twice(session):
    folders.import_path(session=session, path=CONTENT)
    session.commit()
    again = folders.import_path(session=session, path=CONTENT)
    session.commit()
    assert again.created == 0 and again.updated == 0 and again.unchanged == again.total


def test_export_then_import_into_an_empty_site_gives_the_same_site(session, tmp_path, settings, second_site):
    folders.import_path(session=session, path=CONTENT)
    session.commit()
    before = _snapshot(session)
    out = tmp_path / "export"
    assert exporting.export_path(session=session, path=out, actor=policy.SYSTEM) == len(before) - 1  # notes, not people
    with new_session(second_site, settings, write=True) as empty_site:
        folders.import_path(session=empty_site, path=out)
        empty_site.commit()
        assert _snapshot(empty_site) == before


def test_a_changed_file_makes_a_new_revision(session, tmp_path):
    folders.import_path(session=session, path=CONTENT / "lexique")
    session.commit()
    src = next((CONTENT / "lexique").glob("*.md"))
    post = frontmatter.load(src)
    post.content += "\n\nUn paragraphe ajouté."
    changed = tmp_path / "changed.md"
    changed.write_text(frontmatter.dumps(post), encoding="utf-8")
    report = folders.import_path(session=session, path=changed)
    session.commit()
    assert report.updated == 1
    note = session.get(Note, post["id"])
    assert note.revision == 2 and note.body.endswith("Un paragraphe ajouté.")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("---\ntitle: [non fermé\n---\ncorps", "not valid YAML"),
        ("---\ntitle: [A, B]\nkind: note\nauthors: [A]\n---\ncorps", "title: must be text on one line"),
        ("---\ntitle: T\nkind: roman\nauthors: [A]\n---\n", "unknown kind"),
        ("---\ntitle: T\nauthors: []\n---\n", "authors"),
        ("---\ntitle: T\nauthors: [A]\npublished: hier\n---\n", "published"),
        ("---\ntitle: T\nauthors: [A]\nlicence: WTFPL\n---\n", "licence"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message_and_nothing_is_written(session, tmp_path, text, message):
    bad = tmp_path / "mauvais.md"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(Invalid) as err:
        folders.import_path(session=session, path=bad)
    session.rollback()
    assert message in err.value.message and "mauvais.md" in err.value.message
    assert session.exec(select(Note)).all() == []


def test_the_sample_organisation_is_an_author_cited_whole(session):
    folders.import_path(session=session, path=CONTENT / "notes")
    session.commit()
    reseau = session.exec(select(User).where(User.username == "reseau.acn")).one()
    assert reseau.display_name == "Réseau des agents culturels numériques" and reseau.is_organisation
    valerie = session.exec(select(User).where(User.display_name == "Valérie de Grandpré")).one()
    assert not valerie.is_organisation and valerie.family_name is None  # split from the display name when cited


@pytest.mark.parametrize(
    ("person", "message"),
    [
        ("{username: org, name: Org, organisation: oui}", "'organisation' must be true or false"),
        ("{username: ana, name: Ana, family: [a, b]}", "'family' and 'given' must be names on one line"),
    ],
)
def test_how_people_are_cited_is_checked_on_import(session, tmp_path, person, message):
    (tmp_path / "x.md").write_text(f"---\ntitle: X\nauthors: [{person}]\n---\nTexte\n", encoding="utf-8")
    with pytest.raises(Invalid) as err:
        folders.import_path(session=session, path=tmp_path / "x.md")
    assert message in err.value.message


def test_authors_given_as_display_names_become_profiles_once(session, tmp_path):
    for i in range(2):
        (tmp_path / f"n{i}.md").write_text(
            f"---\ntitle: Note {i}\nkind: note\nauthors: [Marie-Hélène Laurence]\npublished: 2024-10-30\nupdated: 2024-11-08\n"
            "visibility: public\nlicence: CC-BY-SA-4.0\n---\nTexte\n",
            encoding="utf-8",
        )
    folders.import_path(session=session, path=tmp_path)
    session.commit()
    users = session.exec(select(User)).all()
    assert [(u.username, u.display_name) for u in users] == [("marie.helene.laurence", "Marie-Hélène Laurence")]
    note = session.exec(select(Note).where(Note.title == "Note 0")).one()
    assert note.published_at.isoformat() == "2024-10-30T04:00:00+00:00"  # midnight in America/Toronto


def test_a_changed_links_list_makes_a_new_revision_and_keeps_history(session, tmp_path):
    def write(links: str) -> Path:
        (tmp_path / "a.md").write_text(
            f"---\nid: noteA\ntitle: A\nauthors: [Alice]\npublished: 2024-01-01\n{links}---\nTexte\n", encoding="utf-8"
        )
        (tmp_path / "b.md").write_text(
            "---\nid: noteB\ntitle: B\nauthors: [Alice]\npublished: 2024-01-01\n---\nB\n", encoding="utf-8"
        )
        return tmp_path

    folders.import_path(session=session, path=write("links: [noteB]\n"))
    session.commit()
    report = folders.import_path(session=session, path=write(""))
    session.commit()
    assert report.updated == 1 and report.unchanged == 1
    note = session.get(Note, "noteA")
    assert note.revision == 2
    revisions = {r.number: r.meta["links"] for r in session.exec(select(Revision).where(Revision.note_id == "noteA"))}
    assert revisions == {1: ["noteB"], 2: []}


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ("licence: [CC0-1.0]\n", "licence"),
        ("authors:\n  - {username: 'pas valide !', name: X}\n", "not a valid username"),
        ("authors:\n  - {username: " + "a" * 80 + ", name: X}\n", "not a valid username"),
        ("kind: {a: b}\n", "kind"),
    ],
)
def test_odd_front_matter_values_are_clear_errors(session, tmp_path, front, message):
    base = "title: T\n" + ("" if "authors" in front else "authors: [A]\n")
    (tmp_path / "x.md").write_text(f"---\n{base}{front}---\ncorps\n", encoding="utf-8")
    with pytest.raises(Invalid) as err:
        folders.import_path(session=session, path=tmp_path / "x.md")
    assert message in err.value.message


def test_a_bad_body_is_named_as_the_body(session, tmp_path):
    bad = tmp_path / "nul.md"
    bad.write_text("---\ntitle: T\nauthors: [A]\n---\ncorps\x00", encoding="utf-8")
    with pytest.raises(Invalid) as err:
        folders.import_path(session=session, path=bad)
    assert "nul.md: body:" in err.value.message


def _a_linked_site(folder: Path, notes: int) -> Path:
    """`notes` notes by two people, each naming the next by [[title]] and the previous by id,
    all filed with a category in one carnet."""
    ids = [f"imp{n:05d}" for n in range(notes)]
    for n, note_id in enumerate(ids):
        following = f"[[Note d'essai {n + 1}]]" if n + 1 < notes else ""
        post = frontmatter.Post(
            f"La note {n} mène à {following}.",
            id=note_id,
            title=f"Note d'essai {n}",
            authors=["Aline Poirier", {"username": "bruno", "name": "Bruno Roy"}],
            links=[ids[n - 1]] if n else [],
        )
        (folder / "notes").mkdir(parents=True, exist_ok=True)
        (folder / "notes" / f"{note_id}.md").write_text(frontmatter.dumps(post), encoding="utf-8")
    carnet = frontmatter.Post(
        "",
        id="impCarnet",
        kind="carnet",
        title="Carnet importé",
        managers=["Aline Poirier"],
        axes=[{"name": "Étape", "categories": ["Lancer", "Clore"]}],
        entries=[
            {"note": i, "categories": ["Lancer" if n % 2 else "Clore"], "added_by": "Bruno Roy"}
            for n, i in enumerate(ids)
        ],
    )
    (folder / "carnets").mkdir(exist_ok=True)
    (folder / "carnets" / "impCarnet.md").write_text(frontmatter.dumps(carnet), encoding="utf-8")
    return folder


def _statements_of_import(engine, settings, folder: Path) -> int:
    with counted(engine) as statements, new_session(engine, settings, write=True) as site:
        folders.import_path(session=site, path=folder)
        site.commit()
    return len(statements)


def test_an_import_costs_a_few_statements_a_batch_not_some_per_note(app, settings, second_site, tmp_path):
    """A million notes are imported in hours, not days: the statements of an import do not grow
    with its notes, their authors, links and carnet entries (up to a batch of 500)."""
    few = _statements_of_import(app.state.engine, settings, _a_linked_site(tmp_path / "few", 30))
    many = _statements_of_import(second_site, settings, _a_linked_site(tmp_path / "many", 150))
    assert many <= few + 3, (few, many)
    with new_session(second_site, settings, write=False) as site:
        note = site.get(Note, "imp00007")
        assert note is not None and 'href="/n/imp00008/' in note.html  # the next note, named by title
        targets = sorted(
            (l.origin, l.target_id) for l in site.exec(select(NoteLink).where(NoteLink.source_id == "imp00007"))
        )
        assert targets == [("explicit", "imp00006"), ("wikilink", "imp00008")]
        first = site.exec(select(Revision).where(Revision.note_id == "imp00007")).one()
        assert first.meta["links"] == ["imp00006"] and first.html == note.html
        authors = note_service.read_note(session=site, actor=None, note=note).authors
        assert [a.display_name for a in authors] == ["Aline Poirier", "Bruno Roy"]
        assert len(site.exec(select(User)).all()) == 2  # each person once, however many files name them
        filed = site.exec(select(EntryCategory.note_id, CarnetCategory.name).join(CarnetCategory)).all()
        assert len(filed) == 150 and ("imp00007", "Lancer") in filed


def test_an_import_of_several_batches_links_across_them(settings, second_site, tmp_path):
    # Past one batch, the import gathers statistics of what it wrote before linking it (on
    # PostgreSQL, in its own transaction); links between notes of different batches resolve.
    _statements_of_import(second_site, settings, _a_linked_site(tmp_path / "batches", 1_101))
    with new_session(second_site, settings, write=False) as site:
        for n in (499, 999, 1_099):
            note = site.get(Note, f"imp{n:05d}")
            assert note is not None and f'href="/n/imp{n + 1:05d}/' in note.html, n
        linked = site.exec(select(NoteLink.source_id).where(NoteLink.origin == "wikilink")).all()
        assert len(linked) == 1_100


def test_an_export_costs_a_few_statements_a_batch_not_some_per_note(app, settings, second_site, tmp_path):
    """`praxis export` of a million notes reads them 500 at a time, their authors, readers and
    links in one query each: its statements do not grow with the notes (and it gives back what
    was imported)."""
    counts = []
    for engine, size in ((app.state.engine, 30), (second_site, 150)):
        folder = _a_linked_site(tmp_path / f"in-{size}", size)
        _statements_of_import(engine, settings, folder)
        with counted(engine) as statements, new_session(engine, settings, write=False) as site:
            assert exporting.export_path(session=site, path=tmp_path / f"out-{size}", actor=policy.SYSTEM) == size
        counts.append(len(statements))
    assert counts[1] <= counts[0] + 3, counts
    exported = frontmatter.load(tmp_path / "out-150" / "notes" / "note-d-essai-7.md")
    assert exported["links"] == ["imp00006"] and [a["name"] for a in exported["authors"]] == [
        "Aline Poirier",
        "Bruno Roy",
    ]
    assert "[[Note d'essai 8]]" in exported.content


def test_a_file_naming_more_authors_than_a_note_may_have_is_refused_by_name(session, tmp_path):
    names = "".join(f"\n  - Personne {i}" for i in range(101))
    (tmp_path / "foule.md").write_text(f"---\ntitle: Foule\nauthors:{names}\n---\nTexte\n", encoding="utf-8")
    with pytest.raises(Invalid) as err:
        folders.import_path(session=session, path=tmp_path)
    session.rollback()
    assert "foule.md" in err.value.message and "authors" in err.value.message and "at most 100" in err.value.message
    assert session.exec(select(User)).all() == []  # refused before anyone was created


def test_a_file_naming_as_many_authors_as_a_note_may_have_keeps_them_all_in_order(session, tmp_path):
    names_list = [f"Personne {i}" for i in range(100)]
    (tmp_path / "liste.md").write_text(
        "---\ntitle: Liste\nauthors:\n"
        + "".join(f"  - {n}\n" for n in names_list[:99])
        + "  - Personne 0\n---\nTexte\n",  # a repeat counts once
        encoding="utf-8",
    )
    folders.import_path(session=session, path=tmp_path)
    session.commit()
    note = session.exec(select(Note)).one()
    read = note_service.read_note(session=session, actor=None, note=note)
    assert [a.display_name for a in read.authors] == names_list[:99]
