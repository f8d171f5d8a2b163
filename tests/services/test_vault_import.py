"""`praxis import` of an Obsidian vault and of a documentation folder as they are (issue 25):
built by hand here, every construct and every rule of link resolution."""

from __future__ import annotations

import os
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from praxis.errors import Invalid
from praxis.models import Note, User
from praxis.notes import notes as note_service
from praxis.transfer import folders
from praxis.transfer.plan import Options

LONG_AGO = datetime(2021, 3, 4, 5, 6, 7, tzinfo=UTC)


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _vault(root: Path) -> Path:
    nfd = unicodedata.normalize("NFD", "Éducation populaire.md")
    _write(
        root,
        {
            ".obsidian/app.json": "{}",
            ".trash/Ancienne.md": "Jetée.",
            "Accueil.md": (
                "# Accueil\n\nVoir [[Note]], [[Projets/Note]], [[Note#Titre|libellé]], [[#Section]],"
                " [[Grille d'analyse]], [[Autre nom]], [[éducation POPULAIRE]], [[Commun]], [[Pareil]],"
                " [[Introuvable]] et `[[Pas un lien]]`.\n\n![[Autre]]\n\n```\n[[Dans du code]]\n```\n\n#atelier #Méthode/fine\n"
            ),
            "Note.md": "La note à la racine.\n\n## Titre\n\nTexte.\n",
            "Projets/Note.md": "La note des projets.\n",
            "Projets/Sous/Lien.md": "Vers [[Note]] (la plus proche) et [[Accueil|l'accueil]].\n",
            "Grille d’analyse.md": "Une grille.\n",
            nfd: "Écrit sur macOS.\n",
            "Autre.md": "---\nid: 123456789012\naliases: [Autre nom]\ntags: [outil]\ncreated: 2020-01-02\n---\nUn autre.\n",
            "Deux/Loin/Commun.md": "Loin.\n",
            "Trois/Commun.md": "Près.\n",
            "Beaucoup/Pareil.md": "Long.\n",
            "Court/Pareil.md": "Court.\n",
        },
    )
    return root


def _docs(root: Path) -> Path:
    return _write(
        root,
        {
            "mkdocs.yml": "site_name: Guide\n",
            "node_modules/paquet/README.md": "# Pas importé\n",
            "README.md": (
                "# Bienvenue\n\nLisez [le guide](./0-guide.md#installation), [la section](/section/),"
                " [la page](/section/page.html), [encore](/section/page) et [rien](./absent.md).\n"
            ),
            "0-guide.md": "---\ndate: 2022-05-06\n---\n# Guide de démarrage\n\n## Installation\n\nÉtapes.\n",
            "section/README.md": "# La section\n\n[Retour](../README.md)\n",
            "section/page.md": "Une page sans titre.\n",
        },
    )


def _by_title(session) -> dict[str, Note]:
    return {n.title: n for n in session.exec(select(Note)).all()}


def _link_to(note: Note) -> str:
    return f'href="/n/{note.id}/"'


def test_an_obsidian_vault_imports_as_it_is_with_its_links_resolved_as_obsidian_does(session, tmp_path):
    vault = _vault(tmp_path / "Coffre")
    report = folders.import_path(session=session, path=vault, options=Options(author="Aline Poirier"))
    session.commit()
    assert report.kind == "obsidian" and report.created == 11
    assert ".obsidian/" in report.skipped and ".trash/" in report.skipped
    notes = _by_title(session)
    # Named by their file names (NFC, whatever the file system wrote), hidden folders left out.
    assert "Ancienne" not in notes and "Éducation populaire" in notes and "Grille d’analyse" in notes
    home = notes["Accueil"]
    both = {n.body.split()[2]: n for n in session.exec(select(Note).where(Note.title == "Note"))}
    root_note, project_note = both["à"], both["des"]
    body = home.body
    assert body.startswith("Voir ")  # its own heading is its title
    assert f"[[{root_note.id}|Note]]" in body and f"[[{project_note.id}|Projets/Note]]" in body
    assert f"[[{root_note.id}#Titre|libellé]]" in body and "[[#Section]]" in body
    assert f"[[{notes['Grille d’analyse'].id}|Grille d'analyse]]" in body  # apostrophes alike
    assert "[[123456789012|Autre nom]]" in body and "![[123456789012]]" in body  # an alias; a numeric id
    assert f"[[{notes['Éducation populaire'].id}|éducation POPULAIRE]]" in body
    assert "`[[Pas un lien]]`" in body and "[[Dans du code]]" in body and "[[Introuvable]]" in body
    # Name clashes: the nearest file, then the shortest path; both reported.
    near = next(n for n in session.exec(select(Note).where(Note.title == "Commun")) if n.body.startswith("Près"))
    short = next(n for n in session.exec(select(Note).where(Note.title == "Pareil")) if n.body.startswith("Court"))
    assert f"[[{near.id}|Commun]]" in body and f"[[{short.id}|Pareil]]" in body
    assert any("Accueil.md" in w and "Trois/Commun.md" in w and "Deux/Loin/Commun.md" in w for w in report.warnings)
    assert any("Accueil.md" in w and "[[Introuvable]]" in w for w in report.warnings)
    assert not any("Pas un lien" in w or "Dans du code" in w for w in report.warnings)
    deep = notes["Lien"]
    assert f"[[{project_note.id}|Note]]" in deep.body  # from Projets/Sous/, the note of Projets/
    # Rendered: the links lead to the notes they name.
    for target in (root_note, project_note, near, short, notes["Grille d’analyse"], notes["Éducation populaire"]):
        assert _link_to(target) in home.html
    assert _link_to(home) in deep.html and "l&#x27;accueil" in deep.html or "l'accueil" in deep.html
    other = note_service.get_note(session=session, actor=None, note_id="123456789012")
    assert other.aliases == ["Autre nom"] and other.keywords == ["outil"]
    assert other.created_at.year == 2020 and other.published_at.year == 2020
    read_home = note_service.get_note(session=session, actor=None, note_id=home.id)
    assert [a.display_name for a in read_home.authors] == ["Aline Poirier"]  # --author
    assert read_home.keywords == ["atelier", "Méthode/fine"]  # #tags of the text


def test_a_documentation_folder_is_named_by_its_headings_and_its_relative_links_lead_to_pages(session, tmp_path):
    docs = _docs(tmp_path / "site")
    os.utime(docs / "section" / "page.md", (LONG_AGO.timestamp(), LONG_AGO.timestamp()))
    report = folders.import_path(session=session, path=docs, options=Options(author="Équipe du guide"))
    session.commit()
    assert report.kind == "docs" and report.created == 4 and "node_modules/" in report.skipped
    notes = _by_title(session)
    assert set(notes) == {"Bienvenue", "Guide de démarrage", "La section", "page"}
    welcome, guide, section, page = (notes[t] for t in ("Bienvenue", "Guide de démarrage", "La section", "page"))
    assert guide.body.startswith("## Installation")  # the heading that named it is not said twice
    assert f"[[{guide.id}#installation|le guide]]" in welcome.body
    assert f"[[{section.id}|la section]]" in welcome.body
    assert f"[[{page.id}|la page]]" in welcome.body and f"[[{page.id}|encore]]" in welcome.body
    assert "[rien](./absent.md)" in welcome.body
    assert any("README.md" in w and "absent.md" in w for w in report.warnings)
    assert f"[[{welcome.id}|Retour]]" in section.body
    for target in (section, page):
        assert _link_to(target) in welcome.html
    # Dates: the front matter's, else the file's.
    assert guide.published_at.date().isoformat() == "2022-05-06"
    assert page.published_at == LONG_AGO and page.updated_at == LONG_AGO


def test_without_an_author_a_dry_run_lists_every_problem_and_writes_nothing(session, tmp_path):
    docs = _docs(tmp_path / "site")
    (docs / "mauvais.md").write_text("---\ntitle: [pas fermé\n---\n", encoding="utf-8")
    report = folders.import_path(session=session, path=docs, dry_run=True)
    session.rollback()
    assert len(report.problems) == 5, report.problems
    assert any(
        p.endswith(
            "0-guide.md: no author: add 'authors:' to its front matter, or name who wrote what names nobody with --author NAME."
        )
        for p in report.problems
    )
    assert any("mauvais.md: the front matter is not valid YAML" in p for p in report.problems)
    assert session.exec(select(Note)).all() == [] and session.exec(select(User)).all() == []
    with pytest.raises(Invalid) as err:
        folders.import_path(session=session, path=docs, options=Options(author="Équipe"))
    session.rollback()
    assert "mauvais.md" in err.value.message and "1 files" not in err.value.message
    assert session.exec(select(Note)).all() == [] and session.exec(select(User)).all() == []


def test_a_zip_of_a_vault_imports_like_the_folder(session, tmp_path):
    import shutil

    vault = _vault(tmp_path / "Coffre")
    archive = shutil.make_archive(str(tmp_path / "coffre"), "zip", vault)
    report = folders.import_path(session=session, path=Path(archive), options=Options(author="Aline Poirier"))
    session.commit()
    assert report.kind == "obsidian" and report.created == 11 and ".obsidian/" in report.skipped


def test_a_vault_imported_again_is_recognised_file_by_file(session, tmp_path):
    vault = _vault(tmp_path / "Coffre")
    options = Options(author="Aline Poirier")
    folders.import_path(session=session, path=vault, options=options)
    session.commit()
    before = {n.id: (n.title, n.revision, n.published_at) for n in session.exec(select(Note))}
    again = folders.import_path(session=session, path=vault, options=options)
    session.commit()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 11)
    (vault / "Projets" / "Note.md").write_text("La note des projets, complétée.\n", encoding="utf-8")
    os.utime(vault / "Note.md", (LONG_AGO.timestamp() + 10**8, LONG_AGO.timestamp() + 10**8))  # touched, not changed
    (vault / "Nouvelle.md").write_text("Une nouvelle note vers [[Accueil]].\n", encoding="utf-8")
    third = folders.import_path(session=session, path=vault, options=options)
    session.commit()
    assert (third.created, third.updated, third.unchanged) == (1, 1, 10)
    after = {n.id: (n.title, n.revision, n.published_at) for n in session.exec(select(Note))}
    changed = [note_id for note_id in before if after[note_id] != before[note_id]]
    assert len(after) == 12 and len(changed) == 1
    note = session.get(Note, changed[0])
    assert note.revision == 2 and note.body.startswith("La note des projets, complétée.")
    assert after[changed[0]][2] == before[changed[0]][2]  # still published when it first was
