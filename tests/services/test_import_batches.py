"""An import checks every file before it writes, then writes in short transactions: the site's
writes pass while it runs, a bad file still means nothing is kept, and a stopped import is
completed by running it again."""

import threading
from pathlib import Path

import frontmatter
import pytest
import sqlalchemy as sa
from sqlmodel import select

from praxis.db import make_engine, new_session
from praxis.errors import Invalid
from praxis.models import Carnet, Note, NoteLink, User
from praxis.schemas import NoteCreate
from praxis.carnets import filing
from praxis.notes import links
from praxis.transfer import folders
from tests.factories import make_user


def _notes(folder: Path, count: int) -> Path:
    """`count` notes, each naming the next by [[title]]."""
    (folder / "notes").mkdir(parents=True, exist_ok=True)
    for n in range(count):
        post = frontmatter.Post(
            f"La note {n} mène à [[Note {n + 1}]].", id=f"lot{n:05d}", title=f"Note {n}", authors=["Aline Poirier"]
        )
        (folder / "notes" / f"lot{n:05d}.md").write_text(frontmatter.dumps(post), encoding="utf-8")
    return folder


@pytest.mark.parametrize("backend", ["sqlite"])  # SQLite's one write lock; PostgreSQL locks rows
def test_a_note_is_saved_on_the_site_while_a_large_import_runs(app, settings, session, tmp_path):
    alice = make_user(session, "alice")
    folder = _notes(tmp_path / "lot", 3_000)
    writing = threading.Event()
    done: list[object] = []

    def run() -> None:
        engine = make_engine(settings)

        def first_write(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
            if statement.startswith("INSERT INTO note "):
                writing.set()  # the import has begun writing its notes

        sa.event.listen(engine, "before_cursor_execute", first_write)
        try:
            with new_session(engine, settings, write=True) as importing:
                done.append(folders.import_path(session=importing, path=folder))
                importing.commit()
        except BaseException as exc:
            done.append(exc)
        finally:
            writing.set()
            engine.dispose()

    importer = threading.Thread(target=run)
    importer.start()
    try:
        assert writing.wait(120)
        # The site, whose writes wait at most 2 s for the lock before answering 503.
        site = make_engine(settings.model_copy(update={"sqlite_busy_ms": 2_000}))
        try:
            with new_session(site, settings, write=True) as saving:
                filing.create_note(
                    session=saving,
                    actor=saving.get(User, alice.id),
                    data=NoteCreate(title="Écrite pendant l'import", body="Le site répond."),
                )
                saving.commit()
            still_importing = importer.is_alive()
        finally:
            site.dispose()
    finally:
        importer.join(600)
    assert still_importing  # the note was saved before the import ended
    assert done and isinstance(done[0], folders.ImportReport) and done[0].created == 3_000
    session.rollback()
    titles = set(session.exec(select(Note.title)).all())
    assert "Écrite pendant l'import" in titles and "Note 2999" in titles


def test_several_bad_files_are_all_named_and_nothing_is_written(session, tmp_path):
    folder = _notes(tmp_path / "lot", 600)  # more than a batch of good files before and after
    bad = {
        "notes/sans-titre.md": "---\ntitle: ''\nauthors: [Nouvelle Personne]\n---\nTexte\n",
        "notes/visibilite.md": "---\ntitle: Visible\nauthors: [Nouvelle Personne]\nvisibility: partout\n---\nTexte\n",
        "notes/yaml.md": "---\ntitle: [pas fermé\n---\nTexte\n",
        "notes/zz-licence.md": "---\ntitle: Licence\nauthors: [{username: nouvelle, name: Nouvelle}]\nlicence: libre\n---\nTexte\n",
        "carnets/carnet.md": "---\nid: carnet01\nkind: carnet\ntitle: Carnet\nentries: [{note: inconnue01}]\n---\n",
    }
    for name, text in bad.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    with pytest.raises(Invalid) as err:
        folders.import_path(session=session, path=folder)
    session.rollback()
    lines = err.value.message.splitlines()
    assert lines[0] == "5 files cannot be imported; nothing was written:"
    assert f"{folder / 'notes/sans-titre.md'}: title:" in lines[1]
    assert lines[2] == f"{folder / 'notes/visibilite.md'}: unknown visibility 'partout'."
    assert lines[3].startswith(f"{folder / 'notes/yaml.md'}: the front matter is not valid YAML")
    assert lines[4] == f"{folder / 'notes/zz-licence.md'}: unknown licence 'libre'."
    assert lines[5] == f"{folder / 'carnets/carnet.md'}: entry 1: unknown note 'inconnue01'."
    for model in (Note, User, Carnet):
        assert session.exec(select(sa.func.count()).select_from(model)).one() == 0, model


def test_an_import_stopped_before_linking_is_completed_by_running_it_again(session, tmp_path, monkeypatch):
    folder = _notes(tmp_path / "lot", 3)

    def killed(**_kwargs) -> None:
        raise KeyboardInterrupt  # the process stopped between the notes' batch and their linking

    with monkeypatch.context() as patched:
        patched.setattr(links, "link_new_notes", killed)
        with pytest.raises(KeyboardInterrupt):
            folders.import_path(session=session, path=folder)
    session.rollback()
    assert session.exec(select(sa.func.count()).select_from(Note)).one() == 3  # the batch written is kept
    report = folders.import_path(session=session, path=folder)
    assert (report.created, report.updated, report.unchanged) == (0, 3, 0)
    note = session.get(Note, "lot00001")
    assert note is not None and 'href="/n/lot00002/' in note.html
    assert session.exec(select(NoteLink.target_id).where(NoteLink.source_id == "lot00001")).all() == ["lot00002"]
    again = folders.import_path(session=session, path=folder)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_a_carnet_file_whose_id_is_a_list_is_named_not_a_crash(session, tmp_path):
    folder = _notes(tmp_path / "lot", 1)
    (folder / "carnets").mkdir()
    (folder / "carnets" / "carnet.md").write_text(
        "---\nid: [a, b]\nkind: carnet\ntitle: Carnet\n---\n", encoding="utf-8"
    )
    with pytest.raises(Invalid) as err:
        folders.import_path(session=session, path=folder)
    session.rollback()
    assert err.value.message.startswith(f"{folder / 'carnets/carnet.md'}: ")
    assert session.exec(select(sa.func.count()).select_from(Note)).one() == 0


def test_importing_again_a_note_whose_text_renders_to_nothing_keeps_its_links_once(session, tmp_path):
    folder = _notes(tmp_path / "lot", 1)
    post = frontmatter.Post(
        "[a]: https://example.org",
        id="vide0001",
        title="Définitions seules",
        authors=["Aline Poirier"],
        links=["lot00000"],
    )
    (folder / "notes" / "vide0001.md").write_text(frontmatter.dumps(post), encoding="utf-8")
    for _ in range(3):
        folders.import_path(session=session, path=folder)
        assert session.exec(select(NoteLink.target_id).where(NoteLink.source_id == "vide0001")).all() == ["lot00000"]
