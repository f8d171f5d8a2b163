"""MediaWiki XML exports written by hand, as Special:Export and dumpBackup.php write them."""

from __future__ import annotations

import base64
from xml.sax.saxutils import escape, quoteattr

FRENCH_SITEINFO = """
  <siteinfo>
    <sitename>Wiki du Réseau</sitename>
    <dbname>wikireseau</dbname>
    <base>https://wiki.exemple.org/wiki/Accueil</base>
    <generator>MediaWiki 1.39.1</generator>
    <case>first-letter</case>
    <namespaces>
      <namespace key="-2" case="first-letter">Média</namespace>
      <namespace key="-1" case="first-letter">Spécial</namespace>
      <namespace key="0" case="first-letter" />
      <namespace key="1" case="first-letter">Discussion</namespace>
      <namespace key="2" case="first-letter">Utilisateur</namespace>
      <namespace key="3" case="first-letter">Discussion utilisateur</namespace>
      <namespace key="4" case="first-letter">Wiki du Réseau</namespace>
      <namespace key="6" case="first-letter">Fichier</namespace>
      <namespace key="10" case="first-letter">Modèle</namespace>
      <namespace key="14" case="first-letter">Catégorie</namespace>
    </namespaces>
  </siteinfo>"""


def export(*pages: str, version: str = "0.11", siteinfo: str = FRENCH_SITEINFO) -> str:
    """A whole export holding `pages` (each from `page`)."""
    return (
        f'<mediawiki xmlns="http://www.mediawiki.org/xml/export-{version}/"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        f' xsi:schemaLocation="http://www.mediawiki.org/xml/export-{version}/'
        f' http://www.mediawiki.org/xml/export-{version}.xsd" version="{version}" xml:lang="fr">'
        f"{siteinfo}\n" + "\n".join(pages) + "\n</mediawiki>\n"
    )


def user(name: str, user_id: int) -> str:
    return f"<contributor><username>{escape(name)}</username><id>{user_id}</id></contributor>"


def ip(address: str) -> str:
    return f"<contributor><ip>{address}</ip></contributor>"


DELETED_USER = '<contributor deleted="deleted" />'


def revision(
    rev_id: int,
    timestamp: str,
    text: str | None,
    *,
    contributor: str = "",
    comment: str | None = None,
    minor: bool = False,
    text_attributes: str = "",
    sha1: str = "phoiac9h4m842xq45sp7s6u21eteeq1",
) -> str:
    """A <revision>; `text` None writes none, `comment` "DELETED" a deleted one."""
    parts = [f"<id>{rev_id}</id>", f"<timestamp>{timestamp}</timestamp>", contributor or user("Alice", 2)]
    if minor:
        parts.append("<minor />")
    if comment == "DELETED":
        parts.append('<comment deleted="deleted" />')
    elif comment is not None:
        parts.append(f"<comment>{escape(comment)}</comment>")
    parts += ["<model>wikitext</model>", "<format>text/x-wiki</format>"]
    if text is not None:
        parts.append(f'<text bytes="{len(text.encode())}" xml:space="preserve"{text_attributes}>{escape(text)}</text>')
    elif text_attributes:
        parts.append(f"<text{text_attributes} />")
    parts.append(f"<sha1>{sha1}</sha1>")
    return "<revision>" + "".join(parts) + "</revision>"


def upload(filename: str, data: bytes | None, *, timestamp: str = "2020-03-01T10:00:00Z", comment: str = "") -> str:
    contents = ""
    if data is not None:
        encoded = base64.encodebytes(data).decode()  # in lines of 76 characters, as MediaWiki writes it
        contents = f'<contents encoding="base64">{encoded}</contents>'
    return (
        f"<upload><timestamp>{timestamp}</timestamp>{user('Alice', 2)}<comment>{escape(comment)}</comment>"
        f"<filename>{escape(filename)}</filename><src>https://wiki.exemple.org/images/{escape(filename)}</src>"
        f"<size>{len(data) if data is not None else 0}</size>{contents}</upload>"
    )


def page(
    title: str, ns: int | None, page_id: int, *revisions: str, redirect: str | None = None, extra: str = ""
) -> str:
    parts = [f"<title>{escape(title)}</title>"]
    if ns is not None:
        parts.append(f"<ns>{ns}</ns>")
    parts.append(f"<id>{page_id}</id>")
    if redirect is not None:
        parts.append(f"<redirect title={quoteattr(redirect)} />" if redirect else "<redirect />")
    return "<page>" + "".join(parts) + "".join(revisions) + extra + "</page>"
