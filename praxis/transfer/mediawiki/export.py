"""A MediaWiki XML export read page by page, as Special:Export and dumpBackup.php write it.

Any version of the export schema (0.3 to 0.11) is read: elements are matched by local name, what
a version lacks is None. The XML is parsed by defusedxml: a document type declaration (how an XML
bomb is built; no export has one) or an entity is refused; memory holds one page at a time.
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO, BinaryIO
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET

from praxis.errors import Invalid
from praxis.transfer.mediawiki.titles import Namespaces, normalize_title


class ExportError(Invalid):
    """The file is not a MediaWiki export that can be read; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class WikiContributor:
    """Who made a revision or an upload: a user (name and id), an IP address, or hidden."""

    username: str | None = None
    user_id: int | None = None
    ip: str | None = None
    deleted: bool = False  # <contributor deleted="deleted"/>: suppressed by the wiki's administrators


@dataclass(frozen=True, slots=True)
class WikiRevision:
    id: int
    timestamp: datetime  # aware, UTC
    contributor: WikiContributor
    comment: str | None  # the edit summary; None when empty or deleted
    minor: bool
    text: str | None  # the wikitext, NFC; None when deleted or not in the export
    sha1: str | None  # base 36, as the export writes it
    comment_deleted: bool = False
    text_deleted: bool = False
    model: str = "wikitext"  # "css", "javascript", "json", "Scribunto"… for pages that hold no wikitext
    parent_id: int | None = None


@dataclass(frozen=True, slots=True)
class WikiUpload:
    """A file uploaded to a File page; `data` only when the export was made with the files."""

    filename: str  # as a title writes it: "Logo ADN.png", not "Logo_ADN.png"
    timestamp: datetime | None
    contributor: WikiContributor
    comment: str | None
    size: int | None
    data: bytes | None
    src: str | None = None  # where the wiki served it


@dataclass(frozen=True, slots=True)
class WikiPage:
    title: str  # the full title, with its namespace: "Discussion:Accueil"
    namespace: int
    id: int | None
    redirect: str | None  # the page this one redirects to, or None
    revisions: list[WikiRevision]  # oldest first
    uploads: list[WikiUpload] = field(default_factory=list)
    name: str = ""  # the title without its namespace: "Accueil"
    # What was wrong in this page but did not stop the reading (a revision without a date, a file
    # whose contents are not base64…), each a sentence naming the page.
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SiteInfo:
    sitename: str | None = None
    base: str | None = None  # the URL of the wiki's main page
    namespaces: dict[int, str] = field(default_factory=dict)  # number -> local name ("" for the main one)
    case: str = "first-letter"
    generator: str | None = None  # "MediaWiki 1.39.1"
    language: str | None = None  # the export's xml:lang, "fr"
    version: str | None = None  # the schema's, "0.11"


@dataclass
class WikiExport:
    """An export: its site information, and its pages read one at a time as `pages` is iterated
    (once). Use it as a context manager, or iterate to the end, to close a file it opened."""

    siteinfo: SiteInfo
    pages: Iterator[WikiPage]
    _close: IO[bytes] | None = None

    def close(self) -> None:
        if self._close is not None:
            self._close.close()

    def __enter__(self) -> WikiExport:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()


_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Exports older than 0.5 mark a redirect without naming its target: it is read from the text.
_REDIRECT = re.compile(r"^\s*#\s*\w+\s*:?\s*\[\[([^\]|#]+)", re.UNICODE)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _nfc(text: str | None) -> str | None:
    return unicodedata.normalize("NFC", text) if text is not None else None


def _child(element: Element, name: str) -> Element | None:
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _text(element: Element, name: str) -> str | None:
    child = _child(element, name)
    return child.text if child is not None else None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _deleted(element: Element | None) -> bool:
    return element is not None and element.get("deleted") is not None


def _contributor(element: Element | None) -> WikiContributor:
    if element is None:
        return WikiContributor()
    if _deleted(element):
        return WikiContributor(deleted=True)
    username, ip = _nfc(_text(element, "username")), _text(element, "ip")
    return WikiContributor(
        username=username.strip() if username else None,
        user_id=_int(_text(element, "id")),
        ip=ip.strip() if ip else None,
    )


def _comment(element: Element) -> tuple[str | None, bool]:
    comment = _child(element, "comment")
    if _deleted(comment):
        return None, True
    text = _nfc(comment.text) if comment is not None else None
    return (text if text and text.strip() else None), False


class _Reader:
    """The state of one export's reading: the event stream and where its errors point."""

    def __init__(self, stream: BinaryIO | IO[bytes], name: str) -> None:
        self.name = name
        self.events = SafeET.iterparse(
            stream, events=("start", "end"), forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
        self.namespaces = Namespaces()  # until <siteinfo> names them: French and English names
        self.pushed: list[tuple[str, Element]] = []

    def _next(self) -> tuple[str, Element] | None:
        if self.pushed:
            return self.pushed.pop()
        try:
            return next(self.events)
        except StopIteration:
            return None
        except ParseError as error:
            line, column = error.position
            reason = str(error).split(":", 1)[0]
            if line == 1 and column == 0 and reason == "no element found":
                raise ExportError(f"{self.name}: the file is empty, not a MediaWiki XML export.") from None
            raise ExportError(
                f"{self.name}: line {line}, column {column + 1}: not well-formed XML ({reason})."
            ) from None
        except defusedxml.DTDForbidden:
            raise ExportError(
                f"{self.name}: refused: the file declares a document type (<!DOCTYPE …>), which a MediaWiki"
                " export never does and an XML bomb does."
            ) from None
        except defusedxml.DefusedXmlException as error:
            raise ExportError(
                f"{self.name}: refused: the file declares entities or external references"
                f" ({error.__class__.__name__}), which a MediaWiki export never does."
            ) from None

    def siteinfo(self) -> SiteInfo:
        """Reads up to the end of <siteinfo> (or the first page, when there is none)."""
        first = self._next()
        if first is None or _local(first[1].tag) != "mediawiki":
            tag = _local(first[1].tag) if first else "nothing"
            raise ExportError(f"{self.name}: not a MediaWiki XML export (it starts with <{tag}>, not <mediawiki>).")
        self.root = root = first[1]
        language, version = root.get(_XML_LANG), root.get("version")
        while (event := self._next()) is not None:
            kind, element = event
            if kind == "start" and _local(element.tag) == "page":
                self.pushed.append(event)
                break
            if kind == "end" and _local(element.tag) == "siteinfo":
                info = self._read_siteinfo(element, language, version)
                root.clear()
                return info
        return SiteInfo(language=language, version=version)

    def _read_siteinfo(self, element: Element, language: str | None, version: str | None) -> SiteInfo:
        names: dict[int, str] = {}
        spaces = _child(element, "namespaces")
        for namespace in spaces if spaces is not None else ():
            key = _int(namespace.get("key"))
            if key is not None:
                names[key] = _nfc(namespace.text or "") or ""
        case = _text(element, "case") or "first-letter"
        self.namespaces = Namespaces(names, case=case)
        return SiteInfo(
            sitename=_nfc(_text(element, "sitename")),
            base=_text(element, "base"),
            namespaces=names,
            case=case,
            generator=_text(element, "generator"),
            language=language,
            version=version,
        )

    def pages(self) -> Iterator[WikiPage]:
        count = 0
        while (event := self._next()) is not None:
            kind, element = event
            if kind == "end" and _local(element.tag) == "page":
                count += 1
                yield self._page(element, count)
                self.root.clear()  # the pages read so far, emptied, would still hang from the root

    def _page(self, element: Element, ordinal: int) -> WikiPage:
        raw_title = _text(element, "title")
        if not raw_title or not raw_title.strip():
            raise ExportError(f"{self.name}: page {ordinal} (id {_text(element, 'id')}) has no title.")
        title = normalize_title(raw_title, first_letter=False)
        where = f'{self.name}: page "{title}"'
        problems: list[str] = []
        namespace = _int(_text(element, "ns"))
        if namespace is None:  # exports before 0.6 name it only in the title
            namespace, name = self.namespaces.split(title)
        else:
            name = title.partition(":")[2].strip() or title if namespace else title
        revisions = []
        uploads = []
        for child in element:
            tag = _local(child.tag)
            if tag == "revision":
                revision = self._revision(child, where, problems)
                if revision is not None:
                    revisions.append(revision)
            elif tag == "upload":
                uploads.append(self._upload(child, where, problems))
        revisions.sort(key=lambda r: (r.timestamp, r.id))
        redirect_element = _child(element, "redirect")
        redirect = None
        if redirect_element is not None:
            redirect = redirect_element.get("title")
            if not redirect and revisions and revisions[-1].text:
                found = _REDIRECT.match(revisions[-1].text)
                redirect = found.group(1) if found else None
            redirect = normalize_title(redirect, first_letter=self.namespaces.first_letter) if redirect else None
        return WikiPage(
            title=title,
            namespace=namespace,
            id=_int(_text(element, "id")),
            redirect=redirect,
            revisions=revisions,
            uploads=uploads,
            name=name,
            problems=problems,
        )

    def _revision(self, element: Element, where: str, problems: list[str]) -> WikiRevision | None:
        revision_id = _int(_text(element, "id"))
        timestamp = _time(_text(element, "timestamp"))
        if revision_id is None or timestamp is None:
            what = "no id" if revision_id is None else "no valid date"
            problems.append(f"{where}: a revision ({revision_id or 'without id'}) has {what}; it is left out.")
            return None
        comment, comment_deleted = _comment(element)
        text_element = _child(element, "text")
        text_deleted = _deleted(text_element)
        text = None
        if text_element is not None and not text_deleted:
            # A stub dump points at the text ("location", "id") without holding it.
            holds_text = text_element.text is not None or not (text_element.get("location") or text_element.get("id"))
            text = _nfc(text_element.text or "") if holds_text else None
        return WikiRevision(
            id=revision_id,
            timestamp=timestamp,
            contributor=_contributor(_child(element, "contributor")),
            comment=comment,
            minor=_child(element, "minor") is not None,
            text=text,
            sha1=(_text(element, "sha1") or "").strip() or None,
            comment_deleted=comment_deleted,
            text_deleted=text_deleted,
            model=(_text(element, "model") or "wikitext").strip(),
            parent_id=_int(_text(element, "parentid")),
        )

    def _upload(self, element: Element, where: str, problems: list[str]) -> WikiUpload:
        filename = normalize_title(_text(element, "filename") or "", first_letter=self.namespaces.first_letter)
        comment, _deleted_comment = _comment(element)
        data = None
        contents = _child(element, "contents")
        if contents is not None and contents.text and contents.text.strip():
            encoding = contents.get("encoding", "base64")
            try:
                if encoding != "base64":
                    raise ValueError(encoding)
                data = base64.b64decode("".join(contents.text.split()), validate=True)
            except (binascii.Error, ValueError):
                problems.append(
                    f'{where}: the contents of file "{filename}" are not valid base64; the file is left out.'
                )
        size = _int(_text(element, "size"))
        if data is not None and size is not None and len(data) != size:
            problems.append(f'{where}: file "{filename}" holds {len(data)} bytes where the export announces {size}.')
        return WikiUpload(
            filename=filename,
            timestamp=_time(_text(element, "timestamp")),
            contributor=_contributor(_child(element, "contributor")),
            comment=comment,
            size=size,
            data=data,
            src=_text(element, "src"),
        )


def read_export(source: Path | str | BinaryIO) -> WikiExport:
    """Open a MediaWiki XML export: its <siteinfo> is read at once, its pages as they are iterated.

    Raises ExportError (a praxis.errors.Invalid) naming the file and line when it is not
    well-formed XML, not a MediaWiki export, or declares a document type or entities; the same
    error can come from iterating `pages`, for a fault further in the file.
    """
    if isinstance(source, str | Path):
        stream: IO[bytes] = open(source, "rb")  # closed by WikiExport.close or at the last page
        name, opened = str(source), stream
    else:
        stream, opened = source, None
        name = str(getattr(source, "name", "the export"))
    reader = _Reader(stream, name)
    try:
        siteinfo = reader.siteinfo()
    except BaseException:
        if opened is not None:
            opened.close()
        raise

    def pages() -> Iterator[WikiPage]:
        try:
            yield from reader.pages()
        finally:
            if opened is not None:
                opened.close()

    return WikiExport(siteinfo=siteinfo, pages=pages(), _close=opened)
