"""Reading a MediaWiki XML export: pages, histories, people, files, and what is refused."""

from __future__ import annotations

import io
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest

from praxis.errors import Invalid
from praxis.transfer.mediawiki import WikiContributor, read_export
from praxis.transfer.mediawiki.export import ExportError
from tests.transfer.mediawiki_exports import (
    DELETED_USER,
    FRENCH_SITEINFO,
    export,
    ip,
    page,
    revision,
    upload,
    user,
)


def read(xml: str | bytes, tmp_path: Path, name: str = "wiki.xml") -> tuple:
    path = tmp_path / name
    path.write_bytes(xml.encode() if isinstance(xml, str) else xml)
    with read_export(path) as wiki:
        return wiki.siteinfo, list(wiki.pages)


def test_the_site_and_its_french_namespaces(tmp_path: Path) -> None:
    siteinfo, pages = read(export(), tmp_path)

    assert siteinfo.sitename == "Wiki du Réseau"
    assert siteinfo.base == "https://wiki.exemple.org/wiki/Accueil"
    assert siteinfo.language == "fr" and siteinfo.version == "0.11"
    assert siteinfo.generator == "MediaWiki 1.39.1"
    assert siteinfo.namespaces[0] == ""
    assert (siteinfo.namespaces[1], siteinfo.namespaces[6], siteinfo.namespaces[14]) == (
        "Discussion",
        "Fichier",
        "Catégorie",
    )
    assert pages == []


def test_a_history_oldest_first_with_its_authors_and_summaries(tmp_path: Path) -> None:
    history = page(
        "Chantiers",
        0,
        12,
        # dumpBackup writes revisions in the order of their ids; a merged history may not be.
        revision(
            103,
            "2020-04-02T09:30:00Z",
            "Troisième version.",
            contributor=DELETED_USER,
            comment="DELETED",
            minor=True,
        ),
        revision(101, "2019-05-14T12:00:00Z", "Première version.", contributor=user("Alice", 2), comment="Création"),
        revision(102, "2019-05-16T08:15:00Z", "Deuxième version.", contributor=ip("192.0.2.7"), comment=""),
    )
    _siteinfo, [chantiers] = read(export(history), tmp_path)

    assert (chantiers.title, chantiers.name, chantiers.namespace, chantiers.id) == ("Chantiers", "Chantiers", 0, 12)
    assert chantiers.redirect is None
    first, second, third = chantiers.revisions
    assert [r.id for r in chantiers.revisions] == [101, 102, 103]
    assert first.timestamp == datetime(2019, 5, 14, 12, 0, tzinfo=UTC)
    assert first.timestamp.utcoffset() is not None
    assert first.contributor == WikiContributor(username="Alice", user_id=2)
    assert (first.comment, first.minor, first.text) == ("Création", False, "Première version.")
    assert first.sha1 == "phoiac9h4m842xq45sp7s6u21eteeq1"
    assert second.contributor == WikiContributor(ip="192.0.2.7")
    assert second.comment is None  # an empty summary is no summary
    assert third.contributor == WikiContributor(deleted=True)
    assert (third.comment, third.comment_deleted, third.minor) == (None, True, True)


def test_deleted_and_missing_text(tmp_path: Path) -> None:
    pages = page(
        "Page masquée",
        0,
        3,
        revision(1, "2021-01-01T00:00:00Z", None, text_attributes=' deleted="deleted"'),
        revision(2, "2021-01-02T00:00:00Z", None),  # a stub dump: no text at all
        revision(3, "2021-01-03T00:00:00Z", None, text_attributes=' location="tt:42" id="42"'),
        revision(4, "2021-01-04T00:00:00Z", ""),  # a blanked page
    )
    _siteinfo, [hidden] = read(export(pages), tmp_path)

    deleted, missing, stub, blank = hidden.revisions
    assert (deleted.text, deleted.text_deleted) == (None, True)
    assert (missing.text, missing.text_deleted) == (None, False)
    assert (stub.text, stub.text_deleted) == (None, False)
    assert (blank.text, blank.text_deleted) == ("", False)


def test_redirects_named_or_read_from_the_text(tmp_path: Path) -> None:
    new_style = page(
        "Accueil du wiki", 0, 5, revision(7, "2020-01-01T00:00:00Z", "#REDIRECTION [[Accueil]]"), redirect="Accueil"
    )
    old_style = page(
        "Ancien nom", 0, 6, revision(8, "2020-01-01T00:00:00Z", "#REDIRECT [[nouveau_nom#Histoire]]"), redirect=""
    )
    _siteinfo, pages = read(export(new_style, old_style), tmp_path)

    assert [p.redirect for p in pages] == ["Accueil", "Nouveau nom"]


def test_non_main_namespaces_are_named_and_numbered(tmp_path: Path) -> None:
    text = revision(1, "2020-01-01T00:00:00Z", "x")
    pages = [
        page("Discussion:Chantiers", 1, 20, text),
        page("Fichier:Logo ADN.png", 6, 21, text),
        page("Catégorie:Chantiers", 14, 22, text),
        page("Modèle:Lien web", 10, 23, text),
        page("Utilisateur:Alice", 2, 24, text),
        page("Chantier : bilan", 0, 25, text),  # a colon in a main-namespace title
    ]
    _siteinfo, read_pages = read(export(*pages), tmp_path)

    assert [(p.namespace, p.name) for p in read_pages] == [
        (1, "Chantiers"),
        (6, "Logo ADN.png"),
        (14, "Chantiers"),
        (10, "Lien web"),
        (2, "Alice"),
        (0, "Chantier : bilan"),
    ]


def test_uploads_with_their_files(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 3
    file_page = page(
        "Fichier:Logo ADN.png",
        6,
        30,
        revision(40, "2020-03-01T10:00:00Z", "Le logo du réseau."),
        extra=upload("Logo_ADN.png", png, comment="Nouveau logo")
        + upload("Sans_contenu.pdf", None)
        + upload("Abîmé.png", None).replace(
            "<size>0</size>", '<size>3</size><contents encoding="base64">@@@</contents>'
        ),
    )
    _siteinfo, [logo] = read(export(file_page), tmp_path)

    with_data, without, broken = logo.uploads
    assert with_data.filename == "Logo ADN.png"
    assert with_data.data == png and with_data.size == len(png)
    assert with_data.comment == "Nouveau logo"
    assert with_data.timestamp == datetime(2020, 3, 1, 10, tzinfo=UTC)
    assert with_data.contributor.username == "Alice"
    assert with_data.src == "https://wiki.exemple.org/images/Logo_ADN.png"
    assert (without.filename, without.data) == ("Sans contenu.pdf", None)
    assert broken.data is None
    assert logo.problems == [
        f'{tmp_path / "wiki.xml"}: page "Fichier:Logo ADN.png": the contents of file "Abîmé.png" are not valid'
        " base64; the file is left out."
    ]


def test_titles_and_texts_come_back_composed(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "Économie sociale")
    assert decomposed != "Économie sociale"
    history = page(
        decomposed,
        0,
        8,
        revision(
            9,
            "2020-01-01T00:00:00Z",
            unicodedata.normalize("NFD", "Les chantiers de l’économie: été"),
            contributor=user(unicodedata.normalize("NFD", "Hélène"), 4),
            comment=unicodedata.normalize("NFD", "Première ébauche"),
        ),
    )
    _siteinfo, [read_page] = read(export(history), tmp_path)

    assert read_page.title == "Économie sociale"
    [only] = read_page.revisions
    assert only.text == "Les chantiers de l’économie: été"
    assert only.contributor.username == "Hélène"
    assert only.comment == "Première ébauche"


@pytest.mark.parametrize("version", ["0.10", "0.11"])
def test_both_current_schema_versions(tmp_path: Path, version: str) -> None:
    xml = export(page("Accueil", 0, 1, revision(1, "2020-01-01T00:00:00Z", "Bienvenue.")), version=version)
    siteinfo, [home] = read(xml, tmp_path)

    assert siteinfo.version == version
    assert home.revisions[0].text == "Bienvenue."


def test_an_old_export_without_namespace_numbers(tmp_path: Path) -> None:
    xml = export(
        page("Discussion:Accueil", None, 1, revision(1, "2008-01-01T00:00:00Z", "?")),
        page("Accueil", None, 2, revision(2, "2008-01-01T00:00:00Z", "!")),
        version="0.3",
    )
    _siteinfo, pages = read(xml, tmp_path)

    assert [(p.namespace, p.name) for p in pages] == [(1, "Accueil"), (0, "Accueil")]


def test_a_binary_stream_is_read_page_by_page() -> None:
    xml = export(
        page("Un", 0, 1, revision(1, "2020-01-01T00:00:00Z", "un")),
        page("Deux", 0, 2, revision(2, "2020-01-01T00:00:00Z", "deux")),
        "<page><title>Trois</title><ns>0</ns><id>3</id><revision><id>3</revision></page>",
    )
    wiki = read_export(io.BytesIO(xml.encode()))

    # The pages before a fault are given before it is met: the file is read as it is iterated.
    assert next(wiki.pages).title == "Un"
    assert next(wiki.pages).title == "Deux"
    with pytest.raises(ExportError, match=r"^the export: line \d+, column \d+: not well-formed XML \(mismatched tag\)"):
        next(wiki.pages)


def test_malformed_xml_names_the_line(tmp_path: Path) -> None:
    xml = export(page("Accueil", 0, 1, revision(1, "2020-01-01T00:00:00Z", "x"))).replace("</title>", "</titre>")
    line = next(number for number, text in enumerate(xml.splitlines(), start=1) if "</titre>" in text)

    with pytest.raises(ExportError) as raised:
        read(xml, tmp_path, name="cassé.xml")

    assert str(raised.value).startswith(f"{tmp_path / 'cassé.xml'}: line {line}, column ")
    assert "not well-formed XML (mismatched tag)" in str(raised.value)
    assert isinstance(raised.value, Invalid)  # the command line shows it as any bad input


def test_an_xml_bomb_is_refused(tmp_path: Path) -> None:
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE mediawiki [\n <!ENTITY a "aaaaaaaaaa">\n'
        + "".join(f' <!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(8))
        + "]>\n<mediawiki><page><title>&i;</title></page></mediawiki>\n"
    )
    with pytest.raises(ExportError, match="refused: the file declares a document type"):
        read(bomb, tmp_path)


def test_an_undeclared_entity_is_not_well_formed(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"line 1, column \d+: not well-formed XML \(undefined entity\)"):
        read("<mediawiki><page><title>&lol;</title></page></mediawiki>", tmp_path)


def test_what_is_not_an_export(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"wiki.xml: the file is empty, not a MediaWiki XML export\."):
        read(b"", tmp_path)
    with pytest.raises(ExportError, match=r"not a MediaWiki XML export \(it starts with <html>, not <mediawiki>\)"):
        read("<html><body>Page</body></html>", tmp_path)


def test_an_export_without_siteinfo_or_pages(tmp_path: Path) -> None:
    siteinfo, pages = read('<mediawiki version="0.11"></mediawiki>', tmp_path)
    assert (siteinfo.sitename, siteinfo.namespaces, pages) == (None, {}, [])

    siteinfo, pages = read(export(siteinfo=FRENCH_SITEINFO), tmp_path)
    assert siteinfo.sitename == "Wiki du Réseau" and pages == []


def test_a_revision_without_a_date_is_reported_not_fatal(tmp_path: Path) -> None:
    xml = export(
        page(
            "Accueil",
            0,
            1,
            revision(1, "hier", "x"),
            revision(2, "2020-01-01T00:00:00Z", "y"),
        )
    )
    _siteinfo, [home] = read(xml, tmp_path)

    assert [r.id for r in home.revisions] == [2]
    assert home.problems == [
        f'{tmp_path / "wiki.xml"}: page "Accueil": a revision (1) has no valid date; it is left out.'
    ]
