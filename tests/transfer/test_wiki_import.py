"""A MediaWiki export imported as notes with their whole history, on both databases."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import col, select

from praxis.errors import Invalid
from praxis.models import Attachment, Comment, ImportSource, Note, Revision, User
from praxis.transfer import folders
from tests.transfer.mediawiki_exports import DELETED_USER, export, ip, page, revision, upload, user

ACCUEIL = page(
    "Accueil",
    0,
    1,
    revision(
        100,
        "2020-01-01T09:00:00Z",
        "Bienvenue sur le '''wiki'''.\n\n[[Catégorie:Projets]]",
        contributor=user("Alice", 2),
        comment="Création de la page",
    ),
    revision(
        101,
        "2020-02-01T09:00:00Z",
        "Bienvenue sur le '''wiki''' du réseau.",
        contributor=ip("192.0.2.7"),
        comment="DELETED",
    ),
    revision(
        102,
        "2020-03-01T09:00:00Z",
        "Bienvenue. Voir [[chantier]].",
        contributor=DELETED_USER,
        comment="Relecture",
    ),
    revision(
        103,
        "2020-04-01T09:00:00Z",
        "Bienvenue. Voir [[chantier]] et [[Chantier naval|le chantier]].\n\n[[Fichier:Logo_ADN.png|300px]]"
        " [[Fichier:Absent.png]]\n\n[[Catégorie:Projets]]\n[[Catégorie:Accueil]]",
        contributor=user("Alice", 2),
        comment="Mise à jour",
    ),
)
CHANTIER = page(
    "Chantier naval",
    0,
    2,
    revision(200, "2021-05-01T10:00:00Z", "Le chantier est '''ouvert'''.", contributor=user("Bob", 3)),
)
REDIRECT = page(
    "Chantier",
    0,
    3,
    revision(300, "2021-05-02T10:00:00Z", "#REDIRECTION [[Chantier naval]]", contributor=user("Bob", 3)),
    redirect="Chantier naval",
)


def _png(color: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), color).save(buffer, "PNG")
    return buffer.getvalue()


FILES = [
    page(
        "Fichier:Logo ADN.png",
        6,
        11,
        revision(1100, "2020-01-01T08:00:00Z", "Le logo."),
        extra=upload("Logo ADN.png", _png("red")),
    ),
    page(
        "Fichier:Orphelin.png",
        6,
        12,
        revision(1200, "2020-01-01T08:00:00Z", ""),
        extra=upload("Orphelin.png", _png("blue")),
    ),
]
OTHERS = [
    page(
        "Discussion:Accueil",
        1,
        4,
        revision(
            400,
            "2020-01-02T09:00:00Z",
            "Page lancée.\n\n== Une question ==\nFaut-il un logo ? -- Bob",
            contributor=user("Bob", 3),
        ),
        revision(
            401,
            "2020-01-03T09:00:00Z",
            "Page lancée.\n\n== Une question ==\nFaut-il un logo ? -- Bob\n: Oui. -- Alice\n\n== Le plan ==\nVoir [[Chantier naval]].",
            contributor=user("Alice", 2),
        ),
    ),
    page("Discussion:Inconnue", 1, 13, revision(1300, "2020-01-02T09:00:00Z", "Sans page.")),
    page("Modèle:Infobox", 10, 5, revision(500, "2020-01-02T09:00:00Z", "{{{1}}}")),
    page("Utilisateur:Alice", 2, 6, revision(600, "2020-01-02T09:00:00Z", "Moi.")),
    page("Utilisateur:Bob", 2, 7, revision(700, "2020-01-02T09:00:00Z", "Lui.")),
]


def _write(tmp_path: Path, *pages: str, name: str = "wiki.xml") -> Path:
    path = tmp_path / name
    path.write_text(export(*pages), encoding="utf-8")
    return path


def _note(session, title: str) -> Note:
    return session.exec(select(Note).where(Note.title == title)).one()


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_every_page_becomes_a_note_with_its_whole_history(client, session, tmp_path):
    path = _write(tmp_path, ACCUEIL, CHANTIER, REDIRECT, *FILES, *OTHERS)
    report = folders.import_path(session=session, path=path)
    session.commit()
    assert (report.kind, report.created, report.updated) == ("mediawiki", 2, 0)
    assert "1 file(s) of the export shown by no page, not imported: Orphelin.png" in report.warnings
    assert "page « Accueil » (id 1): file « Absent.png » is not in the export (left as written)." in report.warnings
    assert "1 page(s) of namespace 1 (Discussion) not imported" in report.warnings
    assert "2 page(s) of namespace 2 (Utilisateur) not imported" in report.warnings
    assert "1 page(s) of namespace 10 (Modèle) not imported" in report.warnings
    assert session.exec(select(Note)).all().__len__() == 2  # the redirect is no note

    accueil = _note(session, "Accueil")
    assert accueil.revision == 4 and accueil.body.startswith("Bienvenue. Voir [[chantier]]")
    revisions = session.exec(
        select(Revision).where(Revision.note_id == accueil.id).order_by(col(Revision.number))
    ).all()
    editors = [session.get(User, r.editor_id).display_name for r in revisions]
    assert editors == ["Alice", "Anonyme", "Contributeur masqué", "Alice"]
    assert [r.summary for r in revisions] == ["Création de la page", "(résumé masqué)", "Relecture", "Mise à jour"]
    assert [r.created_at.isoformat()[:10] for r in revisions] == [
        "2020-01-01",
        "2020-02-01",
        "2020-03-01",
        "2020-04-01",
    ]
    assert "<strong>wiki</strong>" in revisions[0].html and "du réseau" in revisions[1].html  # each rendered
    assert accueil.created_at.isoformat()[:10] == "2020-01-01" and accueil.updated_at.isoformat()[:10] == "2020-04-01"
    assert accueil.keywords == ["Projets", "Accueil"]  # its categories
    people = session.exec(select(User).where(col(User.display_name).in_(["Alice", "Anonyme", "Bob"]))).all()
    assert len(people) == 3 and all(u.password_hash is None for u in people)  # profiles without login

    chantier = _note(session, "Chantier naval")
    assert chantier.aliases == ["Chantier"]  # the redirect
    # [[chantier]] finds the note through its other name, [[Chantier naval|…]] by its title.
    assert accueil.html.count(f'href="/n/{chantier.id}/') == 2

    logo = session.exec(select(Attachment).where(Attachment.note_id == accueil.id)).one()
    assert logo.name == "Logo ADN.png" and (logo.width, logo.height) == (4, 3)
    assert re.search(r"!\[Logo ADN\.png\|300\]\(/n/[^)]*" + logo.id, accueil.body)  # shown from where it is kept
    assert "![[Absent.png]]" in accueil.body
    page_html = client.get(f"/n/{accueil.id}/").text
    assert "Projets" in _text(page_html)
    shown = re.search(r'<img[^>]*src="([^"]*' + re.escape(logo.id) + r'[^"]*)"', page_html)  # in place
    assert shown is not None and client.get(shown.group(1)).status_code == 200
    history = client.get(f"/n/{accueil.id}/history")
    assert history.status_code == 200
    text = _text(history.text)
    for shown in ("Version 4", "Version 1", "Mise à jour", "Relecture", "(résumé masqué)", "Création de la page"):
        assert shown in text
    assert text.count("par Alice") == 2 and "par Anonyme" in text and "par Contributeur masqué" in text
    assert "1er janvier 2020" in text and "1er avril 2020" in text
    authors = client.get(f"/n/{accueil.id}/").text
    assert authors.index("Alice") < authors.index("Anonyme")  # most edits first

    # The talk page is the note's discussion, a comment a section, each by who opened it.
    comments = session.exec(
        select(Comment).where(Comment.note_id == accueil.id).order_by(col(Comment.created_at))
    ).all()
    assert [(session.get(User, c.author_id).display_name, c.created_at.isoformat()[:10]) for c in comments] == [
        ("Bob", "2020-01-02"),
        ("Bob", "2020-01-02"),
        ("Alice", "2020-01-03"),
    ]
    assert comments[0].body == "Page lancée." and comments[1].body.startswith("**Une question**\n\nFaut-il")
    assert "Oui. -- Alice" in comments[1].body and comments[2].body.startswith("**Le plan**")
    assert f'href="/n/{chantier.id}/' in comments[2].html
    discussion = _text(client.get(f"/n/{accueil.id}/").text)
    assert "Faut-il un logo ?" in discussion and "Une question" in discussion


def test_importing_the_same_export_again_adds_new_revisions_only(client, session, tmp_path):
    folders.import_path(session=session, path=_write(tmp_path, ACCUEIL, CHANTIER, REDIRECT))
    session.commit()
    again = folders.import_path(session=session, path=_write(tmp_path, ACCUEIL, CHANTIER, REDIRECT))
    session.commit()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    # Someone edits the note on Praxis, now: the wiki's revisions made since the export (dated
    # before this edit) are still added, after it.
    from praxis import policy
    from praxis.notes import notes as note_service
    from praxis.schemas import NoteUpdate

    edited = _note(session, "Accueil")
    note_service.save_note(
        session=session,
        actor=policy.SYSTEM,
        note_id=edited.id,
        data=NoteUpdate(base_revision=4, body="Retouché sur Praxis.", summary="Retouche"),
    )
    session.commit()
    longer = ACCUEIL.replace(
        "</page>",
        revision(
            104,
            "2022-01-01T09:00:00Z",
            "Bienvenue à toutes.\n\n[[Fichier:Nouveau.png]]",
            contributor=user("Carole", 9),
            comment="Ajout",
        )
        + "</page>",
    )
    new_file = page(
        "Fichier:Nouveau.png",
        6,
        16,
        revision(1600, "2021-12-01T08:00:00Z", ""),
        extra=upload("Nouveau.png", _png("green")),
    )
    renamed = page(
        "Chantier du port",
        0,
        8,
        revision(800, "2022-01-02T10:00:00Z", "#REDIRECTION [[Chantier naval]]"),
        redirect="Chantier naval",
    )
    third = folders.import_path(session=session, path=_write(tmp_path, longer, CHANTIER, REDIRECT, renamed, new_file))
    session.commit()
    assert (third.created, third.updated, third.unchanged) == (0, 2, 0)
    assert len(session.exec(select(Note)).all()) == 2
    pages = session.exec(select(ImportSource.path).where(col(ImportSource.path).startswith("page/"))).all()
    assert sorted(pages) == ["page/1", "page/2"]
    accueil = _note(session, "Accueil")
    added = session.exec(select(Attachment).where(Attachment.note_id == accueil.id)).one()  # the file it now shows
    assert accueil.revision == 6 and added.name == "Nouveau.png"
    assert accueil.body.startswith("Bienvenue à toutes.\n\n![Nouveau.png](/n/") and added.id in accueil.body
    last = session.exec(select(Revision).where(Revision.note_id == accueil.id, Revision.number == 6)).one()
    assert session.get(User, last.editor_id).display_name == "Carole" and last.summary == "Ajout"
    assert accueil.keywords is None  # the categories the page no longer has
    assert _note(session, "Chantier naval").aliases == ["Chantier", "Chantier du port"]


def test_a_dry_run_lists_every_problem_and_a_real_run_writes_nothing(client, session, tmp_path):
    long_title = "T" * 301
    bad = page(long_title, 0, 9, revision(900, "2020-01-01T00:00:00Z", "Trop long."))
    undated = page("Sans date", 0, 10, revision(1000, "pas une date", "Rien."))
    boxed = page("Boîte", 0, 14, revision(1400, "2020-01-01T00:00:00Z", "{{Boîte|a=1}} Texte."))
    named = page("Nommé", 0, 15, revision(1500, "2020-01-01T00:00:00Z", "Texte.", contributor=user("N" * 201, 7)))
    path = _write(tmp_path, ACCUEIL, bad, undated, boxed, named)
    report = folders.import_path(session=session, path=path, dry_run=True)
    assert "page « Boîte » (id 14): template {{Boîte}} kept as written" in report.warnings
    assert len(report.problems) == 3
    assert any("longer than 300 characters" in p for p in report.problems)
    assert any(p.startswith("page « Nommé » (id 15): contributor « NNN") for p in report.problems)
    assert any("Sans date" in p and "no revision with a date" in p for p in report.problems)
    assert session.exec(select(Note)).all() == []
    with pytest.raises(Invalid, match="nothing was written"):
        folders.import_path(session=session, path=path)
    session.rollback()
    assert session.exec(select(Note)).all() == [] and session.exec(select(User)).all() == []


def test_an_import_stopped_before_linking_is_finished_by_the_next(client, session, tmp_path, monkeypatch):
    from praxis.notes import links

    path = _write(tmp_path, ACCUEIL, CHANTIER, REDIRECT)

    def stopped(**_kwargs):
        raise RuntimeError("stopped")

    with monkeypatch.context() as patch:
        patch.setattr(links, "link_new_notes", stopped)
        with pytest.raises(RuntimeError):
            folders.import_path(session=session, path=path)
    session.rollback()
    assert _note(session, "Accueil").html == ""  # written, not rendered
    again = folders.import_path(session=session, path=path)
    session.commit()
    assert (again.created, again.updated) == (0, 2)
    accueil = _note(session, "Accueil")
    assert accueil.revision == 4 and f'href="/n/{_note(session, "Chantier naval").id}/' in accueil.html
    first = session.exec(select(Revision).where(Revision.note_id == accueil.id, Revision.number == 1)).one()
    assert "<strong>wiki</strong>" in first.html
