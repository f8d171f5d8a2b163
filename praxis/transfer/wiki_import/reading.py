"""Reading a MediaWiki export for import: its pages planned, their revisions converted and checked,
their talk pages cut into what each person said (see the package's doc)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import TypeAdapter, ValidationError
from sqlmodel import Session

from praxis.errors import Invalid
from praxis.notes import notes as note_service
from praxis.people import accounts
from praxis.schemas import MAX_ALIASES, MAX_AUTHORS, MAX_KEYWORDS, Body, Title
from praxis.transfer import plan as plans
from praxis.transfer.mediawiki import (
    Converted,
    SiteInfo,
    WikiContributor,
    WikiPage,
    WikiRevision,
    WikiUpload,
    read_export,
    to_markdown_many,
)
from praxis.transfer.mediawiki.titles import FILE, MAIN, TALK

MEDIAWIKI = "mediawiki"  # the report's kind
ANONYMOUS = "Anonyme"
HIDDEN_CONTRIBUTOR = "Contributeur masqué"
HIDDEN_SUMMARY = "(résumé masqué)"
HIDDEN_TEXT = "(texte masqué sur le wiki)"
_BATCH = 100  # pages written, then linked, in one transaction
_CONVERTED_AT_ONCE = 5000  # revisions given to one to_markdown_many call

if TYPE_CHECKING:
    pass

_title = TypeAdapter(Title)
_body = TypeAdapter(Body)


def is_export(path: Path) -> bool:
    """A .xml file whose root element is <mediawiki>."""
    if not path.is_file() or path.suffix.lower() != ".xml":
        return False
    with open(path, "rb") as file:
        head = file.read(4096)
    start = head.find(b"<", head.find(b"?>") + 1 if b"<?xml" in head[:100] else 0)
    while start != -1 and head[start : start + 4] == b"<!--":
        start = head.find(b"<", head.find(b"-->", start) + 3)
    return start != -1 and head[start + 1 : start + 10] == b"mediawiki"


def count_pages(path: Path) -> int:
    """About how many pages an export holds (for an import's progress), counted without parsing."""
    count, tail = 0, b""
    with open(path, "rb") as file:
        while chunk := file.read(1 << 20):
            count += (tail + chunk).count(b"<page>")
            tail = chunk[-5:]
    return count


@dataclass
class _Page:
    """A main-namespace page to import, and what it becomes."""

    page: WikiPage
    note_id: str
    existing: bool = False
    revisions: list[WikiRevision] = field(default_factory=list)  # those to write
    aliases: list[str] = field(default_factory=list)
    files: dict[str, None] = field(default_factory=dict)  # the files its revisions show, in order

    @property
    def where(self) -> str:
        return f"page « {self.page.title} » (id {self.page.id})"


@dataclass
class _Read:
    siteinfo: SiteInfo
    pages: list[_Page] = field(default_factory=list)
    redirects: dict[str, list[str]] = field(default_factory=dict)  # target title -> titles leading to it
    other: Counter[int] = field(default_factory=Counter)  # pages of other namespaces, by namespace
    uploads: dict[str, WikiUpload] = field(default_factory=dict)  # file name -> its last upload
    used: set[str] = field(default_factory=set)  # the files attached to a note
    talks: dict[str, WikiPage] = field(default_factory=dict)  # a main page's title -> its talk page
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _read(path: Path) -> _Read:
    with read_export(path) as export:
        read = _Read(export.siteinfo)
        for page in export.pages:
            read.warnings += page.problems
            if page.namespace == FILE and page.uploads:
                read.uploads[page.name] = page.uploads[-1]
            if page.namespace == TALK and page.redirect is None and page.revisions:
                read.talks[page.name] = page
            elif page.namespace != MAIN:
                read.other[page.namespace] += 1
            elif page.redirect is not None:
                read.redirects.setdefault(page.redirect, []).append(page.title)
            elif page.id is None:
                read.problems.append(f"page « {page.title} »: no page id; it cannot be imported again, left out.")
            else:
                read.pages.append(_Page(page, note_id=""))
    return read


def root_of(siteinfo: SiteInfo, path: Path) -> str:
    """The name an export's pages are known by from one import to the next."""
    return f"{MEDIAWIKI}:{siteinfo.sitename or siteinfo.base or path.stem}"[:255]


def _plan(session: Session, read: _Read, root: str) -> None:
    """Each page's note (the one it was imported as before, or a new one) and revisions to write."""
    paths = [f"page/{p.page.id}" for p in read.pages]
    before = plans.imported_before(session, root, paths)
    # Each revision imported is remembered too ("revision/<id>"): imported again, it is not added.
    known = plans.imported_before(
        session,
        root,
        [
            f"revision/{r.id}"
            for p, path in zip(read.pages, paths, strict=True)
            if path in before
            for r in p.page.revisions
        ],
    )
    titles = {p.page.title: p for p in read.pages}
    for planned, path in zip(read.pages, paths, strict=True):
        note_id = before.get(path)
        planned.note_id = note_id or note_service.new_id()
        planned.existing = note_id is not None
        planned.revisions = [r for r in planned.page.revisions if f"revision/{r.id}" not in known]
    for target, names in read.redirects.items():
        found = titles.get(target)
        if found is None:
            read.warnings += [
                f"redirect « {name} »: leads to « {target} », not in the export; left out." for name in names
            ]
            continue
        found.aliases = names[:MAX_ALIASES]
        if len(names) > MAX_ALIASES:
            read.warnings.append(
                f"{found.where}: {len(names)} redirects; a note has at most {MAX_ALIASES} other names."
            )


def _who(contributor: WikiContributor) -> str:
    if contributor.deleted or not (contributor.username or contributor.ip):
        return HIDDEN_CONTRIBUTOR
    return contributor.username or ANONYMOUS


def _summary(revision: WikiRevision) -> str | None:
    summary = HIDDEN_SUMMARY if revision.comment_deleted else revision.comment
    if revision.text_deleted:
        summary = f"{summary} {HIDDEN_TEXT}" if summary else HIDDEN_TEXT
    return " ".join(summary.split())[:500] if summary else None


@dataclass
class _Written:
    """A revision as the note will have it."""

    revision: WikiRevision
    title: str
    body: str
    who: str
    keywords: list[str]
    summary: str | None


def _convert(read: _Read, pages: list[_Page]) -> dict[int, Converted]:
    """Every revision to write converted, by revision id (many at once)."""
    texts: dict[str, list[int]] = {}
    for planned in pages:
        for revision in planned.revisions:
            if revision.text is not None:
                texts.setdefault(revision.text, []).append(revision.id)
    converted: dict[int, Converted] = {}
    unique = list(texts)
    for start in range(0, len(unique), _CONVERTED_AT_ONCE):
        chunk = unique[start : start + _CONVERTED_AT_ONCE]
        done = to_markdown_many(chunk, namespaces=read.siteinfo.namespaces, case=read.siteinfo.case)
        for text, result in zip(chunk, done, strict=True):
            for revision_id in texts[text]:
                converted[revision_id] = result
    return converted


_SECTION = re.compile(r"^==(?!=)\s*(.+?)\s*(?<!=)==\s*$", re.MULTILINE)


_HEADING = re.compile(r"\A#{1,6} +(.+?)(?: +#+)? *$", re.MULTILINE)


@dataclass
class _Said:
    """A section of a talk page, as one comment of the note's discussion."""

    who: str
    when: datetime
    wikitext: str
    markdown: str = ""


def _talk(talk: WikiPage) -> list[_Said]:
    """A talk page's sections as it reads now (its last text), each said by whoever added its
    heading (the earliest revision that has it), what comes before the first by its first writer."""
    texts = [r for r in talk.revisions if r.text is not None]
    if not texts:
        return []
    last = texts[-1].text or ""
    starts = [m.start() for m in _SECTION.finditer(last)]
    said: list[_Said] = []
    for start, end in zip([0, *starts], [*starts, len(last)], strict=True):
        part = last[start:end].strip()
        if not part:
            continue
        heading = _SECTION.match(part)
        line = heading.group(0).strip() if heading else None
        first = next((r for r in texts if line is None or line in (r.text or "")), texts[0])
        # Sections opened by one revision keep their order (a microsecond apart).
        said.append(_Said(_who(first.contributor), first.timestamp + timedelta(microseconds=len(said)), part))
    return said


def _discussions(read: _Read, pages: list[_Page]) -> dict[str, list[_Said]]:
    """The talk pages of new notes, section by section, converted together."""
    found = {p.note_id: _talk(read.talks[p.page.title]) for p in pages if p.page.title in read.talks}
    said = [one for sections in found.values() for one in sections]
    if said:
        for one, done in zip(
            said,
            to_markdown_many([s.wikitext for s in said], namespaces=read.siteinfo.namespaces, case=read.siteinfo.case),
            strict=True,
        ):
            # The section's title as the comment's first line, not a heading among the discussion's own.
            one.markdown = _HEADING.sub(r"**\1**", done.markdown.strip("\n"), count=1)
    return found


def _written(planned: _Page, converted: dict[int, Converted], previous: str) -> Iterator[_Written]:
    body = previous
    keywords: list[str] = []
    for revision in planned.revisions:
        if revision.id in converted:
            done = converted[revision.id]
            body = done.markdown.strip("\n")
            keywords = list(dict.fromkeys(c.strip()[:100] for c in done.categories if c.strip()))[:MAX_KEYWORDS]
            planned.files.update(dict.fromkeys(done.files))
        yield _Written(revision, planned.page.title, body, _who(revision.contributor), keywords, _summary(revision))


def _check(planned: _Page, written: list[_Written]) -> list[str]:
    problems = []
    if not written:
        problems.append(f"{planned.where}: no revision with a date; nothing to import.")
    try:
        _title.validate_python(planned.page.title)
    except ValidationError:
        problems.append(f"{planned.where}: the title is longer than 300 characters.")
    for who in dict.fromkeys(one.who for one in written):
        try:
            accounts.author_name(who)
        except Invalid as exc:  # the profile could not be made: said now, before anything is written
            problems.append(f"{planned.where}: contributor « {who[:80]} »: {exc.message}")
    for one in written:
        try:
            _body.validate_python(one.body)
        except ValidationError:
            problems.append(f"{planned.where}: revision {one.revision.id} is too long (more than 900 000 characters).")
            break
    return problems


def _authors(counts: Counter[str], first: dict[str, int]) -> list[str]:
    """Contributors, most edits first, then who came first."""
    return sorted(counts, key=lambda who: (-counts[who], first[who]))[:MAX_AUTHORS]
