"""The indexing process that `praxis serve` runs beside its workers.

A write queues its notes in its own transaction and the worker answers at once; this process
applies the queue (`Indexer.follow`), so indexing (the French analysis, Whoosh's segment merges
of several seconds on a large site) never takes a worker's CPU or interpreter lock from the
requests. A search still applies first whatever is queued, so it never misses a write.

`serve` restarts the process if it dies, and stops it when it stops; the process also stops by
itself once its parent is gone (a server killed outright leaves no indexer behind). Being the
one process of a site that runs all along, it also deletes, hourly, the draft uploads no save
claimed (`media.drafts`), so that a site left alone sheds them too; and, as it starts, renders
again the notes, revisions and comments another version of the renderer made
(`notes.renderings`), indexing them as they are written.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading

from praxis.config import Settings

log = logging.getLogger("praxis.search")
ENV = "PRAXIS_SEARCH_INDEXER"


def run(settings: Settings) -> None:
    """The process's life: follow the queue until SIGTERM, SIGINT or the parent's end."""
    from praxis.db import make_engine
    from praxis.media import drafts
    from praxis.notes import renderings
    from praxis.search import make_indexer

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    parent = os.getppid()

    def orphaned() -> None:
        while not stop.wait(1.0):
            if os.getppid() != parent:
                stop.set()

    threading.Thread(target=orphaned, name="praxis-parent-watch", daemon=True).start()
    engine = make_engine(settings)
    sweeper = threading.Thread(
        target=drafts.sweep_every, args=(engine, settings, stop), name="praxis-draft-sweep", daemon=True
    )
    sweeper.start()
    indexer = make_indexer(settings, engine, follower=False)  # this process is the one that applies the queue
    # Beside the queue's follower, which indexes each batch as it is written.
    renderer = threading.Thread(
        target=renderings.keep_current, args=(engine, settings, stop), name="praxis-rerender", daemon=True
    )
    renderer.start()
    try:
        indexer.follow(stop)
    finally:
        renderer.join(timeout=30)  # it stops after the batch it is writing
        indexer.close()  # the batch being applied is finished first
        sweeper.join(timeout=30)
        engine.dispose()


class IndexingProcess:
    """`praxis indexer`, started, watched and restarted by `praxis serve`."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._watcher: threading.Thread | None = None

    def start(self) -> None:
        self._spawn()
        self._watcher = threading.Thread(target=self._watch, name="praxis-indexer-watch", daemon=True)
        self._watcher.start()

    def _spawn(self) -> None:
        with self._lock:
            if not self._stopping.is_set():
                self._proc = subprocess.Popen([sys.executable, "-m", "praxis", "indexer"])

    def _watch(self) -> None:
        while not self._stopping.is_set():
            proc = self._proc
            code = proc.wait() if proc is not None else None
            if self._stopping.wait(1.0):
                return
            log.warning("The search indexing process ended (exit code %s); starting it again.", code)
            self._spawn()

    def stop(self, timeout: float = 30.0) -> None:
        with self._lock:
            self._stopping.set()
            proc = self._proc
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
