"""The indexer: applies the search queue (search/queue.py) to the index, the only code that
writes to it.

After a commit, the `Indexer` applies the queue under the index's single-writer lock (shared by
every worker process); rows are deleted only once the index holds them, so a crash at any point
leaves them for the next start, and applying a row twice is harmless: it rewrites the note's
document from what the database holds then. When the index cannot be written (a full or
read-only disk), the rows stay queued and are tried again by the next write, or `retry_after`
seconds later if nothing is written meanwhile.
"""

from __future__ import annotations

import gc
import itertools
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from praxis import storage
from praxis.config import Settings
from praxis.errors import Conflict
from praxis.models import SearchQueue
from praxis.search import documents, queue
from praxis.search.base import Index

log = logging.getLogger("praxis.search")
BATCH = 500


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
        queue.follow_commits(self.engine, self)

    def close(self) -> None:
        queue.follow_commits(self.engine, None)
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
        except Exception as exc:  # noqa: BLE001 - the rows stay queued; _failed says why (the disk, or a traceback)
            self._failed(exc, "could not be updated")
            return False

    def _failed(self, exc: Exception, what: str) -> None:
        kind = storage.problem(exc, self.settings.data_dir)
        if kind is not None:  # no traceback: the disk, not the code
            log.error(
                "The search index %s: the storage is %s (%s); the changes stay queued and are tried again.",
                what,
                kind,
                exc,
            )
        else:
            log.exception("The search index %s; the changes stay queued and are tried again.", what)
        self._retry_later()

    def _drain(self, batches: int | None = None) -> None:
        for _ in itertools.count() if batches is None else range(batches):
            with self._session() as session:
                rows = list(
                    session.exec(
                        select(SearchQueue.id, SearchQueue.note_id, SearchQueue.dependents)
                        .order_by(col(SearchQueue.id))
                        .limit(BATCH)
                    )
                )
                if not rows:
                    return
                ids = {n for _, n, _ in rows} | documents.with_dependents(session, {n for _, n, d in rows if d})
                docs, gone = documents.load(session, ids)
            self._apply(docs, sorted(gone))
            with self._session() as session:
                session.execute(sa.delete(SearchQueue).where(col(SearchQueue.id).in_([i for i, _, _ in rows])))
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
            session.execute(sa.delete(SearchQueue).where(col(SearchQueue.id) <= mark))
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
        except Exception as exc:  # noqa: BLE001 - the rows stay queued; _failed says why (the disk, or a traceback)
            self._failed(exc, "could not be brought up to date")
            return False
