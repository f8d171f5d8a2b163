"""Writing a MediaWiki export's pages as notes with their history, their discussions and files
(see the package's doc)."""

from __future__ import annotations

import io
import re
import secrets
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
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
from praxis.schemas import MAX_AUTHORS
from praxis.transfer import plan as plans
from praxis.transfer.mediawiki.titles import TALK

if TYPE_CHECKING:
    from praxis.transfer.folders import ImportReport

from praxis.transfer.wiki_import.reading import (
    _BATCH,
    MEDIAWIKI,
    _authors,
    _check,
    _convert,
    _discussions,
    _Page,
    _plan,
    _Read,
    _read,
    _Said,
    _Written,
    _written,
    root_of,
)
from praxis.vocab import DEFAULT_LICENCE


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
