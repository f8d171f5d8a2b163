"""The single write path to the search index.

Every write of the site's sessions that touches what a note's search document holds (the
note, a revision, its authors, readers or links, a carnet it is in, a carnet's title or
visibility, an author's name) adds a `search_queue` row in the same transaction, so the change
and its indexing commit or roll back together. Flushes and bulk statements (INSERT, UPDATE,
DELETE run by `session.execute`, which no flush sees) are read alike, by listeners that
`install` puts on the site's session factory (`db.session_factory`); no service tells the queue
by hand. After the commit, the `Indexer` applies the queue under the index's
single-writer lock (shared by every worker process); rows are deleted only once the index
holds them, so a crash at any point leaves them for the next start, and applying a row twice
is harmless: it rewrites the note's document from what the database holds then. When the index
cannot be written (a full or read-only disk), the rows stay queued and are tried again by the
next write, or `retry_after` seconds later if nothing is written meanwhile.
"""

from __future__ import annotations

import gc
import itertools
import logging
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import ORMExecuteState, sessionmaker
from sqlalchemy.sql import operators
from sqlmodel import Session, select

from praxis import storage
from praxis.config import Settings
from praxis.errors import Conflict
from praxis.models import Carnet, CarnetEntry, Note, NoteAuthor, NoteLink, NoteReader, Revision, SearchQueue, User
from praxis.search import documents
from praxis.search.base import Index

log = logging.getLogger("praxis.search")
PENDING = "search_pending"  # queued in this transaction: note id -> dependents
UNWRITTEN = "search_unwritten"  # of those, not written to the table yet
# An execution option: the notes of these rows are queued by a later statement of their writer
# (an import writes its notes first, and renders, links and so queues them after).
INDEXED_LATER = "praxis_indexed_later"
BATCH = 500
_indexers: weakref.WeakKeyDictionary[Engine, weakref.ref[Indexer]] = weakref.WeakKeyDictionary()


def enqueue(session: Session, note_ids: Iterable[str], *, dependents: bool = False) -> None:
    """Queue these notes for indexing in the session's transaction (once each; `dependents`:
    the notes linking to them too, see SearchQueue). The rows are written as the transaction
    commits, all in one statement."""
    pending: dict[str, bool] = session.info.setdefault(PENDING, {})
    unwritten: dict[str, bool] = session.info.setdefault(UNWRITTEN, {})
    for note_id in set(note_ids):
        if note_id not in pending or (dependents and not pending[note_id]):
            pending[note_id] = unwritten[note_id] = dependents


def _changed(obj: object, *names: str) -> bool:
    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _affected(session: Session) -> tuple[set[str], set[str]]:
    """The notes whose documents this flush changes, and those of them whose title, kind or
    visibility linking notes' documents hold (a new or deleted note, or one of these changed)."""
    ids: set[str] = set()
    titles: set[str] = set()
    for obj in itertools.chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Note):
            ids.add(obj.id)
            if obj in session.new or obj in session.deleted or _changed(obj, *LINKED_COLUMNS):
                titles.add(obj.id)
        elif isinstance(obj, Revision | NoteAuthor | NoteReader | CarnetEntry):
            ids.add(obj.note_id)
        elif isinstance(obj, Carnet) and (obj in session.deleted or _changed(obj, "title", "visibility")):
            ids.update(session.exec(select(CarnetEntry.note_id).where(CarnetEntry.carnet_id == obj.id)))
        elif isinstance(obj, User) and obj.id is not None and _changed(obj, "display_name", "username"):
            ids.update(session.exec(select(NoteAuthor.note_id).where(NoteAuthor.user_id == obj.id)))
    return ids - titles, titles


def _queue_flush(session: Session, _context, _instances) -> None:  # type: ignore[no-untyped-def]
    with session.no_autoflush:
        ids, titles = _affected(session)
        if titles:
            enqueue(session, titles, dependents=True)
        if ids:
            enqueue(session, ids)


# --- bulk statements (INSERT / UPDATE / DELETE run by session.execute, which no flush sees) ---

# What linking notes' documents hold of a note (see documents.with_dependents).
LINKED_COLUMNS = ("title", "kind", "visibility", "deleted_at")
LINKED_BEFORE = "search_linked_before"  # note id -> those columns before this transaction's statements
# The column naming the note a row of each table belongs to. A revision's rows are written
# (inserted) with their note, but an UPDATE of a revision (its rendering refreshed) changes no
# document: documents are read from the note, its people, links and carnets.
_NOTE_COLUMN = {Note.__tablename__: "id", Revision.__tablename__: "note_id", NoteAuthor.__tablename__: "note_id",
                NoteReader.__tablename__: "note_id", CarnetEntry.__tablename__: "note_id", NoteLink.__tablename__: "source_id"}
_REACHING: dict[str, Callable[[list[Any]], sa.Select[Any]]] = {  # rows reaching notes through another table
    Carnet.__tablename__: lambda ids: select(CarnetEntry.note_id).where(CarnetEntry.carnet_id.in_(ids)),  # type: ignore[attr-defined]
    User.__tablename__: lambda ids: select(NoteAuthor.note_id).where(NoteAuthor.user_id.in_(ids)),  # type: ignore[attr-defined]
}


def _rows(state: ORMExecuteState) -> list[dict[str, Any]]:
    params = state.parameters
    return list(params) if isinstance(params, list | tuple) else [params] if params else []


def _named(where: sa.ColumnElement[Any] | None, column: sa.Column[Any]) -> set[Any] | None:
    """The values `where` restricts `column` to (`column = x` or `column IN (...)`, alone or
    among ANDed conditions), or None when it does not say: then the database is asked."""
    if where is None:
        return None
    clauses = where.clauses if isinstance(where, sa.BooleanClauseList) and where.operator is operators.and_ else [where]
    for clause in clauses:
        if isinstance(clause, sa.BinaryExpression) and isinstance(clause.right, sa.BindParameter) \
                and isinstance(clause.left, sa.Column) and clause.left.compare(column):
            if clause.operator is operators.eq:
                return {clause.right.value}
            if clause.operator is operators.in_op and clause.right.expanding:
                return set(clause.right.value)
    return None


def _keys(state: ORMExecuteState, table: sa.Table, name: str) -> set[Any]:
    """The values of `table.name` in the rows the statement writes, or will update or delete."""
    statement = state.statement
    rows = _rows(state)
    if state.is_insert:
        if not rows or any(name not in row for row in rows):
            raise TypeError(f"A bulk INSERT into {table.name} must pass its rows as parameters (the search queue reads them).")
        return {row[name] for row in rows}
    where = statement.whereclause  # type: ignore[attr-defined]
    if rows and where is None:  # an UPDATE or DELETE by primary key, one row each
        if all(name in row for row in rows):
            return {row[name] for row in rows}
        key = table.primary_key.columns.values()[0]
        where = key.in_([row[key.key] for row in rows])
    named = _named(where, table.c[name])
    if named is not None:
        return named
    with state.session.no_autoflush:  # what it sees is what the statement will touch
        return set(state.session.execute(select(table.c[name]).where(where) if where is not None else select(table.c[name])).scalars())


def _sets(state: ORMExecuteState, columns: Iterable[str]) -> bool:
    """Whether an UPDATE may set one of `columns` (unknown for `.values()`: assumed so)."""
    rows = _rows(state)
    return not rows or any(column in row for row in rows for column in columns)


def _queue_statement(state: ORMExecuteState) -> None:
    """Queue the notes a bulk statement changes, as a flush queues those it writes."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    statement = state.statement
    table = getattr(statement, "table", None)
    name = getattr(table, "name", "")
    if name not in _NOTE_COLUMN and name not in _REACHING:
        return
    if state.execution_options.get(INDEXED_LATER) or (name == "revision" and state.is_update):
        return
    assert isinstance(table, sa.Table)
    session = state.session
    if name in _REACHING:
        if state.is_insert or (state.is_update and not _sets(state, ("title", "visibility", "display_name", "username"))):
            return  # a new carnet or person is in no document yet
        owners = _keys(state, table, table.primary_key.columns.values()[0].key)
        if owners:
            with session.no_autoflush:
                enqueue(session, session.execute(_REACHING[name](list(owners))).scalars())
        return
    ids = _keys(state, table, _NOTE_COLUMN[name])
    if not ids:
        return
    if name != "note" or state.is_insert or state.is_delete:
        enqueue(session, ids, dependents=name == "note")
        return
    enqueue(session, ids)
    if _sets(state, LINKED_COLUMNS):
        # Whether linking notes must follow is known once the transaction's statements are done:
        # what the notes were is kept now, compared as it commits.
        before: dict[str, tuple[Any, ...]] = session.info.setdefault(LINKED_BEFORE, {})
        wanted = [i for i in ids if i not in before]
        if wanted:
            with session.no_autoflush:
                before.update({row[0]: tuple(row[1:]) for row in session.execute(_linked(wanted))})


def _linked(ids: Sequence[str]) -> sa.Select[Any]:
    table = Note.__table__  # type: ignore[attr-defined]
    return sa.select(table.c.id, *(table.c[c] for c in LINKED_COLUMNS)).where(table.c.id.in_(ids))


def _write_queue(session: Session) -> None:
    session.flush()  # what it holds queues its notes first
    before = session.info.pop(LINKED_BEFORE, None)
    if before:
        changed = [row[0] for row in session.execute(_linked(list(before))) if tuple(row[1:]) != before[row[0]]]
        enqueue(session, changed, dependents=True)
    unwritten = session.info.pop(UNWRITTEN, None)
    if unwritten:
        session.execute(sa.insert(SearchQueue.__table__), [  # type: ignore[attr-defined]
            {"note_id": note_id, "dependents": dependents} for note_id, dependents in unwritten.items()])


def _forget(session: Session, _previous) -> None:  # type: ignore[no-untyped-def]
    session.info.pop(PENDING, None)
    session.info.pop(UNWRITTEN, None)
    session.info.pop(LINKED_BEFORE, None)


def install(sessions: sessionmaker[Any], engine: Engine) -> None:
    """Make every session of `sessions` (the site's, see db.session_factory) queue the notes it
    changes, by its flushes and its bulk statements alike, write the queue as it commits and
    wake this process's indexer of `engine` after."""

    engine_ref = weakref.ref(engine)  # the factory keeps no engine alive

    def poke(session: Session) -> None:
        if not session.info.pop(PENDING, None):
            return
        engine = engine_ref()
        ref = _indexers.get(engine) if engine is not None else None
        indexer = ref() if ref else None
        if indexer is not None:
            indexer.poke()

    event.listen(sessions, "before_flush", _queue_flush)
    event.listen(sessions, "do_orm_execute", _queue_statement)
    event.listen(sessions, "before_commit", _write_queue)
    event.listen(sessions, "after_commit", poke)
    event.listen(sessions, "after_soft_rollback", _forget)


@dataclass
class Indexer:
    """Applies the queue to one index; the only code that writes to it."""

    engine: Engine
    settings: Settings
    index: Index
    wait: float = 5.0  # how long a request waits for the writer lock before leaving its rows to the next writer
    retry_after: float = 30.0  # after a failed update, when to try again if no write comes first
    # Another process applies the queue after commits (`praxis indexer`, which `praxis serve`
    # starts beside its workers); this one only catches up before a search.
    follower: bool = False
    _retry: threading.Timer | None = field(default=None, init=False, repr=False)
    _retry_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _closed: bool = field(default=False, init=False, repr=False)
    _wake: threading.Event = field(default_factory=threading.Event, init=False, repr=False)
    _worker: threading.Thread | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        _indexers[self.engine] = weakref.ref(self)

    def close(self) -> None:
        _indexers.pop(self.engine, None)
        with self._retry_lock:
            self._closed = True
            if self._retry is not None:
                self._retry.cancel()
                self._retry = None
            worker = self._worker
        self._wake.set()
        if worker is not None:
            worker.join(timeout=self.wait + 30)  # it finishes the batch it is applying
        self.index.close()

    # --- after each commit: a thread of the process applies the queue -------------------------

    def poke(self) -> None:
        """A commit queued changes: this process's indexing thread applies them, so the request
        that wrote them answers as soon as the database holds them. They are durable already
        (queued in the same transaction), and a search first applies what is still queued."""
        if self.follower:
            return
        with self._retry_lock:
            if self._closed:
                return
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._work, name="praxis-indexer", daemon=True)
                self._worker.start()
        self._wake.set()

    def _work(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            if self._closed:
                return
            self.sync()

    def follow(self, stop: threading.Event, interval: float = 0.2) -> None:
        """Apply the queue as it fills, until `stop` is set (the `praxis indexer` process). The
        workers then answer a write as soon as it is committed, their CPU and interpreter lock
        left to requests, and the index lags by `interval` and the time to apply."""
        self.ensure(timeout=self.wait, warm=False)  # it never searches: no query caches
        busy = False
        while not stop.wait(0 if busy else interval):
            busy = False
            if self._retry is not None:
                continue  # a failed update is tried again by its timer, not every interval
            try:
                if self.pending():
                    busy = self.sync(batches=1)  # a batch at a time, however fast writes come
                    # Whoosh's segment readers unmap their files only once collected (their buffers
                    # are in reference cycles), and this process allocates too little for the
                    # collector to run by itself: each update would keep the segments it read mapped.
                    gc.collect()
            except sa.exc.OperationalError as exc:  # the database away for a moment: next interval
                log.warning("The search queue could not be read (%s); trying again.", exc.__class__.__name__)

    def catch_up(self) -> None:
        """Apply what is still queued (before a search: it never misses an acknowledged write)."""
        if self.pending():
            self.sync()

    def _retry_later(self) -> None:
        """Try the queue again in `retry_after` seconds (once, however many updates failed)."""
        with self._retry_lock:
            if self._retry is None and not self._closed:
                self._retry = threading.Timer(self.retry_after, self._retry_now)
                self._retry.daemon = True
                self._retry.start()

    def _retry_now(self) -> None:
        with self._retry_lock:
            self._retry = None
            if self._closed:
                return
        self.ensure(timeout=self.wait)  # as at start: an index a failed rebuild left missing is built

    def _session(self) -> Session:
        # Not one of the site's sessions (db.session_factory): what it deletes from the queue
        # queues nothing, and its commits do not wake the indexer.
        return Session(self.engine, expire_on_commit=False)

    def pending(self) -> int:
        with self._session() as session:
            return session.exec(select(sa.func.count()).select_from(SearchQueue)).one()

    def sync(self, timeout: float | None = None, batches: int | None = None) -> bool:
        """Apply everything queued (or that many batches); False when another writer held the
        lock past `timeout` (it or the next writer applies the rows) or the index failed (the
        rows stay queued)."""
        try:
            with self.index.writer_lock(self.wait if timeout is None else timeout) as held:
                if not held:
                    return False
                self._drain(batches)
            return True
        except Exception as exc:
            self._failed(exc, "could not be updated")
            return False

    def _failed(self, exc: Exception, what: str) -> None:
        kind = storage.problem(exc, self.settings.data_dir)
        if kind is not None:  # no traceback: the disk, not the code
            log.error("The search index %s: the storage is %s (%s); the changes stay queued and are tried again.",
                      what, kind, exc)
        else:
            log.exception("The search index %s; the changes stay queued and are tried again.", what)
        self._retry_later()

    def _drain(self, batches: int | None = None) -> None:
        for _ in itertools.count() if batches is None else range(batches):
            with self._session() as session:
                rows = list(session.exec(select(SearchQueue.id, SearchQueue.note_id, SearchQueue.dependents)
                                         .order_by(SearchQueue.id).limit(BATCH)))
                if not rows:
                    return
                ids = {n for _, n, _ in rows} | documents.with_dependents(session, {n for _, n, d in rows if d})
                docs, gone = documents.load(session, ids)
            self._apply(docs, sorted(gone))
            with self._session() as session:
                session.execute(sa.delete(SearchQueue).where(SearchQueue.id.in_([i for i, _, _ in rows])))  # type: ignore[union-attr]
                session.commit()

    def _apply(self, docs: list[documents.SearchDoc], gone: list[str]) -> None:
        """Apply a batch; when it fails, apply its documents one by one, so one the index refuses
        (logged) cannot hold back every later change. A failure of the index itself, or of its
        disk (any OSError), still raises: the rows stay queued, no document is dropped."""
        try:
            self.index.apply(docs, gone)
            return
        except OSError:
            raise
        except Exception as exc:
            if len(docs) + len(gone) <= 1 or storage.problem(exc) is not None:
                raise
        self.index.apply([], gone)
        for doc in docs:
            try:
                self.index.apply([doc], [])
            except Exception as exc:
                if isinstance(exc, OSError) or storage.problem(exc) is not None:
                    raise
                log.exception("Note %s cannot be indexed; it stays out of search until it changes.", doc.id)
                self.index.apply([], [doc.id])

    def rebuild(self, progress: Callable[[int], None] | None = None, timeout: float = 600.0) -> int:
        """Rebuild the whole index from the database; changes made meanwhile are applied after."""
        with self.index.writer_lock(timeout) as held:
            if not held:
                raise Conflict("Another process is writing to the search index; try again later.")
            return self._rebuild(progress)

    def _rebuild(self, progress: Callable[[int], None] | None) -> int:
        with self._session() as session:
            mark = session.exec(select(sa.func.max(SearchQueue.id))).one() or 0
        count = self.index.rebuild(self._all_documents(progress))
        # Rows queued before the rebuild read the database are in it; later ones are applied now.
        with self._session() as session:
            session.execute(sa.delete(SearchQueue).where(SearchQueue.id <= mark))  # type: ignore[operator]
            session.commit()
        self._drain()
        return count

    def _all_documents(self, progress: Callable[[int], None] | None) -> Iterator[list[documents.SearchDoc]]:
        with self._session() as reading:
            batches = documents.live_ids(reading, BATCH)
            for ids in batches:
                with self._session() as session:
                    docs, _ = documents.load(session, ids)
                if progress:
                    progress(len(ids))
                yield docs

    def ensure(self, timeout: float = 600.0, *, warm: bool = True) -> bool:
        """At start: rebuild an index missing or of another version, then apply what a crash
        left queued. Workers starting together take turns; the first one rebuilds."""
        try:
            with self.index.writer_lock(timeout) as held:
                if not held:
                    log.warning("The search index is busy; queued changes will be applied by its writer.")
                    return False
                if not self.index.is_current():
                    log.info("Building the search index (%s, version %s).", self.index.name, self.index.version)
                    self._rebuild(None)
                else:
                    self._drain()
            if warm:
                self.index.warm()
            return True
        except Exception as exc:
            self._failed(exc, "could not be brought up to date")
            return False
