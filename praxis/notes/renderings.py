"""Stored renderings made again when the renderer changes (`praxis.markdown.VERSION`).

Notes, their revisions and comments keep the HTML they were rendered to when they were written;
reading never renders. When what the renderer writes changes (its VERSION moves), a site renders
every one of them again, writing no revision: `praxis rerender`, and `praxis indexer` as it
starts (the one process of a site that runs all along). Then `site_state.rendered_with` says
the version. A note's wikilinks are read from its rendering: its link rows follow. The search
queue and the change counter follow these writes as they follow every write of the site.

Each batch is rendered in a reading transaction, then written in a short one of its own (on
SQLite the write lock is held for the writes alone), and only where nothing changed meanwhile:
a note saved, or a comment edited, in between was rendered by the same renderer as it was saved.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from praxis.config import Settings
from praxis.db import insert_rows, new_session, session_scope, site_lock
from praxis.markdown import VERSION, plain_text, render
from praxis.models import Comment, Note, NoteLink, Revision, SiteState
from praxis.notes import links
from praxis.search import queue as search_queue

log = logging.getLogger("praxis.notes")
BATCH = 200
Progress = Callable[[int], None]
Rows = sa.Select[*tuple[Any, ...]]


@dataclass
class Report:
    """What a run rendered again, and how many of those renderings came out different."""

    rendered: int = 0
    notes: int = 0
    reindexed: int = 0  # of those notes, the ones whose search document changed (their text, their links)
    revisions: int = 0
    comments: int = 0
    seconds: float = 0.0


def rendered_with(session: Session) -> int:
    """The renderer version the site's stored renderings were made by (0: before versions)."""
    return session.exec(select(SiteState.rendered_with).where(SiteState.id == 1)).one()


def stamp(session: Session) -> None:
    """Say that every stored rendering is this version's (a site with none yet: one being seeded)."""
    session.execute(sa.update(SiteState).where(col(SiteState.id) == 1).values(rendered_with=VERSION))


def stale(engine: Engine, settings: Settings) -> bool:
    with session_scope(engine, settings, write=False) as session:
        return rendered_with(session) != VERSION


def count(session: Session) -> int:
    """How many renderings a run makes: every note, every revision but the current ones (made with
    their note), every comment not deleted."""
    notes = session.exec(select(sa.func.count()).select_from(Note)).one()
    revisions = session.exec(
        select(sa.func.count())
        .select_from(Revision)
        .join(Note, col(Note.id) == Revision.note_id)
        .where(col(Revision.number) != Note.revision)
    ).one()
    comments = session.exec(select(sa.func.count()).select_from(Comment).where(col(Comment.deleted_at).is_(None))).one()
    return notes + revisions + comments


def rerender(
    engine: Engine,
    settings: Settings,
    *,
    force: bool = False,
    progress: Progress | None = None,
    stop: threading.Event | None = None,
) -> Report | None:
    """Render every stored rendering again when they were made by another renderer version than
    this one (`force`: whatever they were made by), then record the version; None when they were
    current. Processes sharing a PostgreSQL database take turns: the second finds them current.
    Set `stop`, and the run ends after its batch, recording nothing (the next run starts over)."""
    started = time.perf_counter()
    with site_lock(engine, "rerender"):
        if not force and not stale(engine, settings):
            return None
        report = Report()
        for step in (_notes, _revisions, _comments):
            if not step(engine, settings, report, progress, stop):
                return None
        with session_scope(engine, settings) as session:
            stamp(session)
    report.seconds = time.perf_counter() - started
    return report


def keep_current(engine: Engine, settings: Settings, stop: threading.Event) -> None:
    """At the start of `praxis indexer`: render again what another renderer version made."""
    try:
        if not stale(engine, settings):
            return
        log.info("Rendering the notes, revisions and comments again with renderer version %s", VERSION)
        report = rerender(engine, settings, stop=stop)
    except Exception:  # the next start tries again; meanwhile the old renderings are shown
        log.exception("The stored renderings could not be made again with renderer version %s", VERSION)
        return
    if report is not None:
        log.info(
            "Rendered %d notes, revisions and comments again with renderer version %s in %.1f s "
            "(%d notes, %d revisions and %d comments changed; %d notes to index again)",
            report.rendered,
            VERSION,
            report.seconds,
            report.notes,
            report.revisions,
            report.comments,
            report.reindexed,
        )


# --- the three kinds of stored rendering, a batch at a time -----------------------------------


def _batches(
    engine: Engine,
    settings: Settings,
    query: Callable[[Any], Rows],
    progress: Progress | None,
    stop: threading.Event | None,
    start: Any = "",
) -> Iterator[tuple[Session, list[Any]]]:
    """The rows `query(after)` selects after the key `after` (the first column), a batch at a
    time, each with the reading session it was read in; none more once `stop` is set."""
    after = start
    while True:
        if stop is not None and stop.is_set():
            return
        with new_session(engine, settings, write=False) as reading:
            rows = list(reading.execute(query(after)).all())
            if not rows:
                return
            yield reading, rows
        if progress:
            progress(len(rows))
        after = rows[-1][0]


def _finished(stop: threading.Event | None) -> bool:
    return stop is None or not stop.is_set()


def _notes(
    engine: Engine, settings: Settings, report: Report, progress: Progress | None, stop: threading.Event | None
) -> bool:
    """Every note (the deleted ones too: they come back as they were) and its current revision,
    with its wikilinks' rows."""

    def query(after: str) -> Rows:
        return (
            sa.select(col(Note.id), col(Note.revision), col(Note.body), col(Note.html))
            .where(col(Note.id) > after)
            .order_by(col(Note.id))
            .limit(BATCH)
        )

    for reading, rows in _batches(engine, settings, query, progress, stop):
        # A note an import wrote and has not linked yet (revision 1, a text, no rendering) is the
        # import's to render and link, as it does when it runs again (transfer.folders).
        rows = [r for r in rows if not (r.revision == 1 and r.body and not r.html)]
        ids = [r.id for r in rows]
        old_links: dict[str, list[tuple[Any, ...]]] = {i: [] for i in ids}
        for row in reading.execute(
            sa.select(col(NoteLink.source_id), col(NoteLink.target_id), col(NoteLink.target_title))
            .where(col(NoteLink.source_id).in_(ids), col(NoteLink.origin) == "wikilink")
            .order_by(col(NoteLink.id))
        ):
            old_links[row[0]].append(tuple(row[1:]))
        changed: dict[str, _Change] = {}
        for row in rows:
            done = render(row.body, links.resolver(reading, source=row.id))
            new_links = links.link_rows(row.id, [], done)
            relinked = [(r["target_id"], r["target_title"]) for r in new_links] != old_links[row.id]
            if done.html != row.html or relinked:
                changed[row.id] = _Change(
                    revision=row.revision,
                    html=done.html if done.html != row.html else None,
                    links=new_links if relinked else None,
                    # Most renderings change in their markup alone (a heading's anchor): the
                    # search document, their text, stays as it is, and is not written again.
                    reads_otherwise=plain_text(done.html) != plain_text(row.html),
                )
        report.rendered += len(rows)
        reading.rollback()
        if changed:
            written = _write_notes(engine, settings, changed)
            report.notes += len(written)
            report.reindexed += sum(1 for i in written if changed[i].reads_otherwise or changed[i].links is not None)
    return _finished(stop)


@dataclass
class _Change:
    """A note's rendering made again: at which revision, its new HTML (None: the same), its new
    wikilinks' rows (None: the same), and whether its text reads otherwise (its search document)."""

    revision: int
    html: str | None
    links: list[dict[str, Any]] | None
    reads_otherwise: bool


def _write_notes(engine: Engine, settings: Settings, changed: dict[str, _Change]) -> list[str]:
    """Write the changes of the notes not saved since they were read; their ids."""
    with session_scope(engine, settings) as session:
        # Locked until the commit (PostgreSQL): a save of one of them waits, then writes its own.
        now = dict(
            session.execute(
                sa.select(col(Note.id), col(Note.revision)).where(col(Note.id).in_(list(changed))).with_for_update()
            ).all()
        )
        same = {i: change for i, change in changed.items() if now.get(i) == change.revision}  # not saved meanwhile
        htmls = {i: change.html for i, change in same.items() if change.html is not None}
        for reindexed in (True, False):
            updates = [
                {"id": i, "html": html}
                for i, html in htmls.items()
                if (same[i].reads_otherwise or same[i].links is not None) == reindexed
            ]
            if updates:
                options = {} if reindexed else {search_queue.DOCUMENTS_UNCHANGED: True}
                session.execute(sa.update(Note).execution_options(**options), updates)
        if htmls:
            current = session.execute(
                sa.select(col(Revision.id), col(Revision.note_id)).where(
                    sa.tuple_(col(Revision.note_id), col(Revision.number)).in_([(i, same[i].revision) for i in htmls])
                )
            ).all()
            session.execute(sa.update(Revision), [{"id": rid, "html": htmls[nid]} for rid, nid in current])
        relinked = {i: change.links for i, change in same.items() if change.links is not None}
        if relinked:
            session.execute(
                sa.delete(NoteLink).where(
                    col(NoteLink.source_id).in_(list(relinked)), col(NoteLink.origin) == "wikilink"
                )
            )
            insert_rows(session, NoteLink, [row for rows in relinked.values() for row in rows])
        return list(same)


def _revisions(
    engine: Engine, settings: Settings, report: Report, progress: Progress | None, stop: threading.Event | None
) -> bool:
    """Every revision but the current ones (rendered with their note). A revision never changes
    once written, but for its rendering."""

    def query(after: int) -> Rows:
        return (
            sa.select(col(Revision.id), col(Revision.note_id), col(Revision.body), col(Revision.html))
            .join(Note, col(Note.id) == Revision.note_id)
            .where(col(Revision.id) > after, col(Revision.number) != Note.revision)
            .order_by(col(Revision.id))
            .limit(BATCH)
        )

    for reading, rows in _batches(engine, settings, query, progress, stop, start=0):
        updates = []
        for rid, note_id, body, html in rows:
            done = render(body, links.resolver(reading, source=note_id))
            if done.html != html:
                updates.append({"id": rid, "html": done.html})
        report.rendered += len(rows)
        reading.rollback()
        if updates:
            with session_scope(engine, settings) as session:
                session.execute(sa.update(Revision), updates)
            report.revisions += len(updates)
    return _finished(stop)


def _comments(
    engine: Engine, settings: Settings, report: Report, progress: Progress | None, stop: threading.Event | None
) -> bool:
    """Every comment not deleted (a deleted one keeps no text), with the comments' renderer."""

    def query(after: str) -> Rows:
        return (
            sa.select(col(Comment.id), col(Comment.body), col(Comment.html))
            .where(col(Comment.id) > after, col(Comment.deleted_at).is_(None))
            .order_by(col(Comment.id))
            .limit(BATCH)
        )

    for reading, rows in _batches(engine, settings, query, progress, stop):
        rendered = links.render_all(reading, [body for _id, body, _html in rows], comment=True)
        changed = {
            cid: (body, done.html) for (cid, body, html), done in zip(rows, rendered, strict=True) if done.html != html
        }
        report.rendered += len(rows)
        reading.rollback()
        if changed:
            report.comments += _write_comments(engine, settings, changed)
    return _finished(stop)


def _write_comments(engine: Engine, settings: Settings, changed: dict[str, tuple[str, str]]) -> int:
    with session_scope(engine, settings) as session:
        now = dict(
            session.execute(
                sa.select(col(Comment.id), col(Comment.body))
                .where(col(Comment.id).in_(list(changed)))
                .with_for_update()
            ).all()
        )
        same: Sequence[dict[str, str]] = [
            {"id": cid, "html": html}
            for cid, (body, html) in changed.items()
            if now.get(cid) == body  # not edited meanwhile
        ]
        if same:
            session.execute(sa.update(Comment), list(same))
        return len(same)
