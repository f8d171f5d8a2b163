"""`praxis import` brings the files a vault's or a documentation folder's notes refer to (issue 25):
kept as the notes' attachments (once per content), checked as uploads are, the references
written again to their addresses; files nobody refers to are reported, not imported."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image
from sqlmodel import select

from praxis import policy
from praxis.db import new_session
from praxis.errors import Invalid
from praxis.models import Attachment, Carnet, CarnetEntry, ImportSource, Note, NoteAuthor, NoteLink, Revision
from praxis.notes import notes as note_service
from praxis.transfer import exporting, folders
from praxis.transfer.plan import Options

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" + bytes(range(256)) * 8
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="5" height="5"/></svg>'
AUTHOR = Options(author="Aline Poirier")


def png(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "PNG")
    return out.getvalue()


def _vault(root: Path) -> Path:
    files: dict[str, bytes | str] = {
        ".obsidian/app.json": "{}",
        "Accueil.md": (
            "Un schéma : ![[schema.png]] et en petit ![[schema.png|300]].\n\n"
            "Le compte rendu ![[compte rendu.pdf]], l'enregistrement ![[son.mp3]],"
            " une image relative ![plan](images/plan.png), [le document](files/doc.pdf) et ![[dessin.svg]].\n"
        ),
        "Projets/Note.md": "La même image ![[schema.png]] et la plus proche : ![[logo.png]].\n",
        "Projets/Sous/logo.png": png((0, 0, 255)),
        "Archives/vieux/logo.png": png((0, 255, 0)),
        "Pièces/schema.png": png((255, 0, 0)),
        "Pièces/compte rendu.pdf": PDF,
        "son.mp3": MP3,
        "images/plan.png": png((255, 0, 0)),  # the same bytes as schema.png
        "files/doc.pdf": PDF,
        "dessin.svg": SVG,
        "Pièces/oublié.png": png((1, 2, 3)),
    }
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
    return root


def _by_title(session) -> dict[str, Note]:
    return {n.title: n for n in session.exec(select(Note)).all()}


def _addresses(body: str) -> list[str]:
    return re.findall(r"\]\((/n/[^)]+)\)", body)


def test_the_files_a_vault_refers_to_become_the_notes_files_shown_in_place(session, client, settings, tmp_path):
    vault = _vault(tmp_path / "Coffre")
    report = folders.import_path(session=session, path=vault, options=AUTHOR)
    session.commit()
    assert report.created == 2 and report.files == 8
    assert report.unreferenced == ["Archives/vieux/logo.png", "Pièces/oublié.png"]
    home, project = _by_title(session)["Accueil"], _by_title(session)["Note"]
    files = {a.name: a for a in session.exec(select(Attachment).where(Attachment.note_id == home.id))}
    assert set(files) == {"schema.png", "compte rendu.pdf", "son.mp3", "plan.png", "doc.pdf", "dessin.svg"}
    schema = files["schema.png"]
    address = f"/n/{home.id}/files/{schema.id}/schema.png"
    assert f"![schema.png]({address})" in home.body and f"![schema.png|300]({address})" in home.body
    pdf = files["compte rendu.pdf"]
    assert f"[compte rendu.pdf](/n/{home.id}/files/{pdf.id}/compte%20rendu.pdf)" in home.body  # a link, not an image
    assert f"![son.mp3](/n/{home.id}/files/{files['son.mp3'].id}/son.mp3)" in home.body
    assert f"![plan](/n/{home.id}/files/{files['plan.png'].id}/plan.png)" in home.body
    assert f"[le document](/n/{home.id}/files/{files['doc.pdf'].id}/doc.pdf)" in home.body
    # Shown in place: the image (at its size), the player; the document as a link.
    assert f'src="{address}"' in home.html and 'width="300"' in home.html
    assert "<audio" in home.html and f'href="/n/{home.id}/files/{pdf.id}/compte%20rendu.pdf"' in home.html
    # One stored copy per content, one attachment per note; the drawing cleaned.
    same = session.exec(select(Attachment).where(Attachment.sha256 == schema.sha256)).all()
    assert len(same) == 3 and files["plan.png"].sha256 == schema.sha256
    blobs = [p for p in (settings.data_dir / "uploads").rglob("*") if p.is_file() and "thumbs" not in p.parts]
    assert len(blobs) == 5 and not any(p.parent.name == "tmp" for p in blobs)
    logo = session.exec(select(Attachment).where(Attachment.note_id == project.id, Attachment.name == "logo.png")).one()
    session.commit()  # what the test read: the site serves now
    served = client.get(address)
    assert served.status_code == 200 and served.content == (vault / "Pièces/schema.png").read_bytes()
    drawing = client.get(f"/n/{home.id}/files/{files['dessin.svg'].id}/dessin.svg")
    assert drawing.status_code == 200 and b"<rect" in drawing.content and b"script" not in drawing.content
    # By name anywhere, the nearest first, the other one reported.
    assert (
        client.get(f"/n/{project.id}/files/{logo.id}/logo.png").content
        == (vault / "Projets/Sous/logo.png").read_bytes()
    )
    assert any("Projets/Note.md" in w and "Archives/vieux/logo.png" in w for w in report.warnings), report.warnings


def test_a_vault_imported_again_keeps_its_files_once(session, tmp_path):
    vault = _vault(tmp_path / "Coffre")
    folders.import_path(session=session, path=vault, options=AUTHOR)
    session.commit()
    before = {a.id for a in session.exec(select(Attachment))}
    addresses = _addresses(_by_title(session)["Accueil"].body)
    again = folders.import_path(session=session, path=vault, options=AUTHOR)
    session.commit()
    assert (again.created, again.updated, again.unchanged, again.files) == (0, 0, 2, 0)
    assert {a.id for a in session.exec(select(Attachment))} == before
    (vault / "Pièces/schema.png").write_bytes(png((9, 9, 9)))
    third = folders.import_path(session=session, path=vault, options=AUTHOR)
    session.commit()
    assert (third.updated, third.unchanged, third.files) == (2, 0, 2)  # both notes show the new schema
    home = _by_title(session)["Accueil"]
    now = _addresses(home.body)
    assert home.revision == 2 and now[0] == now[1] and now[0] != addresses[0] and now[2:] == addresses[2:]


def test_a_refused_file_is_a_problem_of_the_dry_run_and_nothing_is_written(session, settings, tmp_path):
    vault = _vault(tmp_path / "Coffre")
    (vault / "programme.exe").write_bytes(b"MZ\x90\x00" + bytes(200))
    (vault / "vide.png").write_bytes(b"")
    (vault / "Accueil.md").write_text("![[programme.exe]] ![[vide.png]] ![[schema.png]]\n", encoding="utf-8")
    report = folders.import_path(session=session, path=vault, options=AUTHOR, dry_run=True)
    session.rollback()
    assert len(report.problems) == 2, report.problems
    assert any(
        p.startswith(f"{vault}/programme.exe (shown by Accueil.md): This type of file is not accepted")
        for p in report.problems
    )
    assert f"{vault}/vide.png (shown by Accueil.md): The file is empty." in report.problems
    with pytest.raises(Invalid):
        folders.import_path(session=session, path=vault, options=AUTHOR)
    session.rollback()
    assert session.exec(select(Note)).all() == [] and session.exec(select(Attachment)).all() == []
    assert not [p for p in (settings.data_dir / "uploads").rglob("*") if p.is_file()]  # nothing left waiting


def _site(session) -> dict:
    """What a reader finds: each note with its text (files named by name), authors, dates,
    keywords, aliases and files, and the carnets with their notes."""
    notes = {}
    for note in session.exec(select(Note)):
        read = note_service.get_note(session=session, actor=None, note_id=note.id)
        files = sorted(
            (a.name, a.sha256) for a in session.exec(select(Attachment).where(Attachment.note_id == note.id))
        )
        notes[note.id] = (
            note.title,
            re.sub(r"/files/[^/]+/", "/files/…/", note.body),
            [a.display_name for a in read.authors],
            note.published_at,
            note.created_at,
            read.keywords,
            read.aliases,
            files,
        )
    carnets = {
        c.title: sorted(session.exec(select(CarnetEntry.note_id).where(CarnetEntry.carnet_id == c.id)))
        for c in session.exec(select(Carnet))
    }
    return {"notes": notes, "carnets": carnets}


def test_carnet_files_every_note_imported_and_export_then_import_gives_the_same_site(
    session, settings, second_site, tmp_path
):
    vault = _vault(tmp_path / "Coffre")
    (vault / "Accueil.md").write_text(
        "---\ntags: [atelier]\naliases: [Maison]\n---\n" + (vault / "Accueil.md").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    report = folders.import_path(
        session=session, path=vault, options=Options(author="Aline Poirier", carnet="Coffre partagé")
    )
    session.commit()
    assert report.filed == 2
    again = folders.import_path(
        session=session, path=vault, options=Options(author="Aline Poirier", carnet="Coffre partagé")
    )
    session.commit()
    assert again.filed == 0 and len(session.exec(select(Carnet)).all()) == 1
    before = _site(session)
    assert before["carnets"] == {"Coffre partagé": sorted(before["notes"])}
    out = tmp_path / "export"
    exporting.export_path(session=session, path=out, actor=policy.SYSTEM)
    home = next(p for p in (out / "notes").glob("*.md") if "Un schéma" in p.read_text(encoding="utf-8"))
    text = home.read_text(encoding="utf-8")
    assert f"![schema.png|300]({home.stem}.files/schema.png)" in text
    assert f"[compte rendu.pdf]({home.stem}.files/compte%20rendu.pdf)" in text
    assert (out / "notes" / f"{home.stem}.files" / "schema.png").read_bytes() == (
        vault / "Pièces/schema.png"
    ).read_bytes()
    carnet_id = session.exec(select(Carnet.id)).one()
    archive = exporting.export_archive(session=session, actor=policy.SYSTEM, carnet_id=carnet_id)
    session.commit()
    (tmp_path / "carnet.zip").write_bytes(archive)
    for source in (out, tmp_path / "carnet.zip"):
        elsewhere = settings.model_copy(update={"data_dir": tmp_path / f"site-{source.name}"})
        with new_session(second_site, elsewhere, write=True) as empty_site:
            folders.import_path(session=empty_site, path=source)
            empty_site.commit()
            assert _site(empty_site) == before
            for table in (CarnetEntry, Carnet, Attachment, ImportSource, NoteLink, NoteAuthor, Revision, Note):
                empty_site.execute(sa.delete(table))
            empty_site.commit()
        blobs = [
            p
            for p in (tmp_path / f"site-{source.name}" / "uploads").rglob("*")
            if p.is_file() and "thumbs" not in p.parts
        ]
        assert len(blobs) == 5


def test_a_zip_of_a_vault_brings_its_files_too(session, client, tmp_path):
    import shutil

    archive = Path(shutil.make_archive(str(tmp_path / "coffre"), "zip", _vault(tmp_path / "Coffre")))
    report = folders.import_path(session=session, path=archive, options=AUTHOR)
    session.commit()
    assert report.created == 2 and report.files == 8 and len(report.unreferenced) == 2
    home = _by_title(session)["Accueil"]
    address = _addresses(home.body)[0]
    session.commit()
    assert client.get(address).content == (tmp_path / "Coffre/Pièces/schema.png").read_bytes()
