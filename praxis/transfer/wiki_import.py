"""A MediaWiki XML export (Special:Export, dumpBackup.php --full) imported as notes, with their
whole history. See docs/import-export.md for what becomes what, and why.

- A page of the main namespace becomes a note; each of its revisions a revision of the note, with
  its contributor as editor (a profile without login, made as an import makes profiles for the
  names its files give), its date and its summary. The note's authors are its contributors, most
  edits first (then the earliest first), at most MAX_AUTHORS.
- Contributors without a name: every IP editor is the one profile "Anonyme" (an address is not a
  name, is personal data, and is shared by many people), a contributor the wiki's administrators
  hid is the profile "Contributeur masqué". A hidden summary reads "(résumé masqué)"; a hidden
  text keeps the text before it.
- Wikitext becomes Markdown through `to_markdown_many`, every revision of many pages in one call;
  `[[Page]]` links are wikilinks, resolved by title when the note is shown.
- A redirect is an other name (alias) of the note it leads to, not a note.
- Categories are the note's keywords (tags): a note has up to 50, and a wiki's categories are as
  many as its authors made (a carnet's category lists hold 3 x 10): none is lost, each is shown,
  searchable and a filter of /notes/.
- Pages of other namespaces are counted per namespace, not imported.
- Importing the same export again: a page is recognised by its page id (import_source, root
  "mediawiki:<site name>"), each revision by its id (kept there too, "revision/<id>"): those not
  imported before are added, after whatever the note became meanwhile.
"""

from __future__ import annotations

import io
import re
import secrets
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from pydantic import TypeAdapter, ValidationError
from sqlmodel import Session, col, select

from praxis import policy
from praxis.config import site_settings
from praxis.db import insert_rows, reader_of
from praxis.errors import DomainError, Invalid
from praxis.markdown import render
from praxis.media import attachments
from praxis.media.paths import file_path
from praxis.media.store import FileStore
from praxis.models import Attachment, Comment, ImportSource, Note, Revision, User
from praxis.notes import fields, links, summaries
from praxis.notes import notes as note_service
from praxis.notes.state import EarlierRevision
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
from praxis.vocab import DEFAULT_LICENCE

MEDIAWIKI = "mediawiki"  # the report's kind
ANONYMOUS = "Anonyme"
HIDDEN_CONTRIBUTOR = "Contributeur masqué"
HIDDEN_SUMMARY = "(résumé masqué)"
HIDDEN_TEXT = "(texte masqué sur le wiki)"
_BATCH = 100  # pages written, then linked, in one transaction
_CONVERTED_AT_ONCE = 5000  # revisions given to one to_markdown_many call

if TYPE_CHECKING:
    from praxis.transfer.folders import ImportReport

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


def import_export(
    *,
    session: Session,
    path: Path,
    actor: policy.Actor,
    progress: Callable[[int], None] | None,
    at_once: bool,
    options: plans.Options,
    dry_run: bool,
) -> ImportReport:
    """Import a MediaWiki export: all of it or (a problem anywhere) nothing."""
    from praxis.transfer.folders import ImportReport

    step = progress or (lambda _n: None)
    session.commit()
    read = _read(path)
    root = root_of(read.siteinfo, path)
    report = ImportReport(kind=MEDIAWIKI)
    _plan(session, read, root)
    previous = _current_bodies(session, [p.note_id for p in read.pages if p.existing])
    converted = _convert(read, read.pages)
    discussions = _discussions(read, [p for p in read.pages if not p.existing])
    imported = {p.page.title for p in read.pages}
    if orphans := sum(1 for title in read.talks if title not in imported):  # the talk of no page imported
        read.other[TALK] += orphans
    problems = list(read.problems)
    conversions: list[str] = []
    written: dict[str, list[_Written]] = {}
    for planned in read.pages:
        written[planned.note_id] = list(_written(planned, converted, previous.get(planned.note_id, "")))
        if not planned.existing:
            problems += _check(planned, written[planned.note_id])
        last = next((converted[r.id] for r in reversed(planned.revisions) if r.id in converted), None)
        if last is not None:  # what its text as it is now lost on the way, or kept as written
            conversions += [f"{planned.where}: {problem}" for problem in last.problems]
        for who in dict.fromkeys(said.who for said in discussions.get(planned.note_id, [])):
            try:
                accounts.author_name(who)
            except Invalid as exc:
                problems.append(f"{planned.where}, talk page: contributor « {who[:80]} »: {exc.message}")
        step(1)
    report.warnings = (
        read.warnings
        + conversions
        + [
            f"{count} page(s) of namespace {number} ({read.siteinfo.namespaces.get(number, '?')}) not imported"
            for number, count in sorted(read.other.items())
        ]
    )
    if dry_run:
        report.problems = problems
        return report
    if problems:
        raise plans.refusal([Invalid(problem) for problem in problems])
    with fields.remembering_people(session):
        _write(session, read, root, written, discussions, actor or policy.SYSTEM, options, report, at_once, step)
    return report


def _current_bodies(session: Session, note_ids: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for start in range(0, len(note_ids), 1000):
        found.update(
            session.exec(select(Note.id, Note.body).where(col(Note.id).in_(note_ids[start : start + 1000]))).all()
        )
    return found


def _people(session: Session, names: list[str]) -> dict[str, User]:
    return {name: fields.people(session, [name], "MediaWiki export", "contributor")[0] for name in names}


def _write(
    session: Session,
    read: _Read,
    root: str,
    written: dict[str, list[_Written]],
    discussions: dict[str, list[_Said]],
    actor: policy.Actor,
    options: plans.Options,
    report: ImportReport,
    at_once: bool,
    step: Callable[[int], None],
) -> None:
    visibility = options.visibility or "public"
    store = FileStore.for_settings(site_settings(session))
    new_pages = [p for p in read.pages if not p.existing]
    for start in range(0, len(new_pages), _BATCH):
        batch = new_pages[start : start + _BATCH]
        people = _people(
            session,
            sorted(
                {w.who for p in batch for w in written[p.note_id]}
                | {s.who for p in batch for s in discussions.get(p.note_id, [])}
            ),
        )
        notes = []
        for planned in batch:
            revisions = written[planned.note_id]
            states = list(_states(revisions, people, planned, visibility))
            earlier = [
                EarlierRevision(
                    title=w.title,
                    body=w.body,
                    created_at=w.revision.timestamp,
                    meta=state.meta(),
                    editor=people[w.who],
                    summary=w.summary,
                )
                for w, state in zip(revisions[:-1], states[:-1], strict=True)
            ]
            last = revisions[-1]
            notes.append(
                note_service.NewNote(
                    state=states[-1],
                    id=planned.note_id,
                    summary=last.summary,
                    created_at=revisions[0].revision.timestamp,
                    updated_at=last.revision.timestamp,
                    earlier=earlier,
                    editor=people[last.who],
                )
            )
        note_service.insert_notes(session=session, actor=actor, notes=notes, link_later=True)
        insert_rows(
            session,
            ImportSource,
            [{"root": root, "path": f"page/{p.page.id}", "note_id": p.note_id} for p in batch]
            + [_remembered(root, p, w) for p in batch for w in written[p.note_id]],
        )
        for planned in batch:
            _attach(session, store, actor, read, planned, report)
        _let_go(session, at_once)
        report.created += len(batch)
        step(len(batch))
    # Linked once all are written: a page links to pages of later batches.
    with reader_of(session) as reader:
        for start in range(0, len(new_pages), _BATCH):
            batch = new_pages[start : start + _BATCH]
            links.link_new_notes(
                session=session,
                notes=[(p.note_id, []) for p in batch],
                reading=None if at_once else reader,
            )
            _discuss(session, batch, discussions)
            _let_go(session, at_once)
            step(len(batch))
    for planned in (p for p in read.pages if p.existing):
        _update(session, store, actor, read, planned, written[planned.note_id], report)
        insert_rows(session, ImportSource, [_remembered(root, planned, w) for w in written[planned.note_id]])
        _let_go(session, at_once)
        step(2)
    unused = sorted(name for name, upload in read.uploads.items() if upload.data is not None and name not in read.used)
    if unused and new_pages:
        report.warnings.append(
            f"{len(unused)} file(s) of the export shown by no page, not imported: {', '.join(unused)}"
        )


def _discuss(session: Session, batch: list[_Page], discussions: dict[str, list[_Said]]) -> None:
    """Talk pages as the notes' discussions: a comment a section (written directly, as what
    was said long ago: no one is notified, no rate applies)."""
    said = [(p.note_id, one) for p in batch for one in discussions.get(p.note_id, [])]
    if not said:
        return
    people = _people(session, sorted({one.who for _, one in said}))
    resolve = links.resolver(session)
    insert_rows(
        session,
        Comment,
        [
            {
                "id": secrets.token_urlsafe(9),
                "note_id": note_id,
                "author_id": people[one.who].id,
                "body": one.markdown,
                "html": render(one.markdown, resolve, comment=True).html,
                "created_at": one.when,
            }
            for note_id, one in said
        ],
    )


def _files(
    session: Session, store: FileStore, actor: policy.Actor, read: _Read, planned: _Page, report: ImportReport
) -> Callable[[str], str]:
    """The files a note's revisions show, from the export, attached to it (a file it holds by
    that name already is kept as it is), and what writes `![[name.png|300]]` in a text again as
    `![name.png|300](address)`. A file the export does not hold, or that cannot be kept, is said,
    and its references left as written."""
    addresses: dict[str, str] = {}
    held = dict(
        session.exec(
            select(Attachment.name, Attachment.id).where(
                Attachment.note_id == planned.note_id, col(Attachment.name).in_(list(planned.files))
            )
        ).all()
    )
    for name in planned.files:
        upload = read.uploads.get(name)
        if name in held:
            addresses[name] = file_path(planned.note_id, held[name], name)
            read.used.add(name)
            continue
        if upload is None or upload.data is None:
            report.warnings.append(f"{planned.where}: file « {name} » is not in the export (left as written).")
            continue
        try:
            kept = attachments.attach(
                session=session,
                actor=actor,
                store=store,
                note_id=planned.note_id,
                source=io.BytesIO(upload.data),
                filename=name,
            )
        except DomainError as exc:  # not a type of file a note holds, too large…
            report.warnings.append(f"{planned.where}: file « {name} » cannot be kept ({exc.message}).")
            continue
        read.used.add(name)
        addresses[name] = kept.path
    if not addresses:
        return lambda body: body
    pattern = re.compile(r"!\[\[(" + "|".join(map(re.escape, addresses)) + r")(\|[^\]]*)?\]\]")

    def embedded(found: re.Match[str]) -> str:
        return f"![{found.group(1)}{found.group(2) or ''}]({addresses[found.group(1)]})"

    return lambda body: pattern.sub(embedded, body)


def _attach(
    session: Session, store: FileStore, actor: policy.Actor, read: _Read, planned: _Page, report: ImportReport
) -> None:
    """A new note's files attached, and every revision showing them written again (see `_files`)."""
    rewrite = _files(session, store, actor, read, planned, report)
    for revision_id, body in session.execute(
        sa.select(col(Revision.id), col(Revision.body)).where(col(Revision.note_id) == planned.note_id)
    ).all():
        if (changed := rewrite(body)) != body:
            session.execute(sa.update(Revision).where(col(Revision.id) == revision_id).values(body=changed))
    note = session.get(Note, planned.note_id)
    assert note is not None
    if (body := rewrite(note.body)) != note.body:
        session.execute(sa.update(Note).where(col(Note.id) == note.id).values(body=body))


def _remembered(root: str, planned: _Page, written: _Written) -> dict[str, Any]:
    return {"root": root, "path": f"revision/{written.revision.id}", "note_id": planned.note_id}


def _let_go(session: Session, at_once: bool) -> None:
    session.flush()
    session.expunge_all()
    if not at_once:
        session.commit()


def _states(
    revisions: list[_Written], people: dict[str, User], planned: _Page, visibility: str
) -> Iterator[note_service.NoteState]:
    """The note's state after each revision: its contributors so far as authors."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    published = revisions[0].revision.timestamp if revisions else None
    for number, w in enumerate(revisions):
        counts[w.who] += 1
        first.setdefault(w.who, number)
        yield note_service.NoteState(
            title=w.title,
            body=w.body,
            kind="note",
            visibility=visibility,
            licence=DEFAULT_LICENCE,
            published_at=published,
            authors=[people[who] for who in _authors(counts, first)],
            links=[],
            aliases=planned.aliases,
            keywords=w.keywords,
        )


def _update(
    session: Session,
    store: FileStore,
    actor: policy.Actor,
    read: _Read,
    planned: _Page,
    revisions: list[_Written],
    report: ImportReport,
) -> None:
    """A page imported before: its new revisions, each a revision of the note."""
    note = session.get(Note, planned.note_id)
    if note is None or note.deleted_at is not None:
        report.unchanged += 1
        return
    changed = False
    if note.body and not note.html:  # written by an import that stopped before linking it: finished now
        links.link_new_notes(session=session, notes=[(note.id, [])])
        session.refresh(note)
        changed = True
    old = note_service.current_state(session, note, note_service.list_author_ids(session, note.id))
    people = _people(session, sorted({w.who for w in revisions}))
    rewrite = _files(session, store, actor, read, planned, report) if revisions else (lambda body: body)
    for w in revisions:
        authors = list(old.authors)
        if people[w.who].id not in {u.id for u in authors} and len(authors) < MAX_AUTHORS:
            authors.append(people[w.who])
        new = replace(
            old, title=w.title, body=rewrite(w.body), keywords=w.keywords, authors=authors, aliases=planned.aliases
        )
        note = note_service.apply_state(
            session=session,
            actor=people[w.who],
            note=note,
            base_revision=note.revision,
            old=old,
            new=new,
            summary=w.summary,
            updated_at=w.revision.timestamp,
        )
        changed = changed or new != old
        old = new
    if old.aliases != planned.aliases:  # a new redirect, without a new revision of the page
        new = replace(old, aliases=planned.aliases)
        note_service.apply_state(
            session=session,
            actor=actor,
            note=note,
            base_revision=note.revision,
            old=old,
            new=new,
            summary=summaries.written(summaries.IMPORTED),
        )
        changed = True
    if changed:
        report.updated += 1
    else:
        report.unchanged += 1
