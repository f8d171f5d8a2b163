"""The embedded search backend: a Whoosh index in the data folder."""

from __future__ import annotations

import fcntl
import os
import shutil
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.searching import Searcher
from whoosh.writing import IndexWriter

from praxis.search.analysis import ACCENTS, distance, french_analyzer, spelling_words, stem
from praxis.search.base import SearchHits, SearchRequest, acquire
from praxis.search.documents import SearchDoc
from praxis.search.whoosh_vectors import BOOSTS, Evaluation, Vectors

# Raise when the schema or the analysis changes: an index of another version is rebuilt.
VERSION = 5


def schema() -> Schema:
    analyzer = french_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        kind=ID(stored=True),
        title=TEXT(analyzer=analyzer, field_boost=BOOSTS["title"]),
        body=TEXT(analyzer=analyzer),
        words=KEYWORD(lowercase=False, scorable=False),  # spelling vocabulary, once per word and note
        extra=TEXT(analyzer=analyzer, field_boost=BOOSTS["extra"]),
        authors=KEYWORD(stored=True),
        carnets=KEYWORD(stored=True),
        grants=KEYWORD(),
        year=ID(stored=True),
        date=NUMERIC(int, bits=64, signed=True, stored=True),
    )


def _fields(doc: SearchDoc, known: set[str] | None = None) -> dict[str, object]:
    """The document's fields. `words` feeds "Vouliez-vous dire": during a rebuild only words not
    yet seen are given (a vocabulary needs each word once; it halves the postings written)."""
    vocabulary = spelling_words(f"{doc.title} {doc.body}")
    if known is not None:
        vocabulary -= known
        known |= vocabulary
    return dict(
        id=doc.id,
        kind=doc.kind,
        title=doc.title,
        body=doc.body,
        extra=doc.extra,
        words=" ".join(sorted(vocabulary)),
        authors=" ".join(doc.authors),
        carnets=" ".join(doc.carnets),
        grants=" ".join(doc.grants),
        year=str(doc.year),
        date=int(doc.date.timestamp() * 1_000_000),  # microseconds, as the database
    )


def _abandon(ix: whoosh_index.FileIndex, writer: IndexWriter) -> None:
    """Give up a writer whose work or commit failed (a full or read-only disk). The index keeps
    its last complete commit (its table of contents is written whole, then renamed into place);
    what the failure left is removed, whatever state it left the writer in: its temporary
    files and the files of its unfinished segment, which would otherwise keep the room the next
    attempt needs, and Whoosh's lock, which a commit failed half-way keeps (every later writer
    of this process would wait for it in vain). Called under the index's writer lock."""
    with suppress(Exception):
        writer.cancel()
    with suppress(Exception):
        writer._tempstorage.destroy()
    for part in (
        "perdocwriter",
        "fieldwriter",
    ):  # close the unfinished segment's files, so deleting them frees their room
        with suppress(Exception):
            getattr(writer, part).close()
    lock = getattr(writer, "writelock", None)
    if lock is not None and getattr(lock, "fd", None) is not None:
        with suppress(Exception):
            lock.release()
    with suppress(Exception):
        toc = ix._read_toc()
        whoosh_index.clean_files(ix.storage, ix.indexname, toc.generation, toc.segments)


def _try_flock(handle: IO[str]) -> bool:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


EVALUATIONS = 2  # searches evaluated at once in one process, each with its searcher (others wait their turn)


class WhooshIndex:
    """A Whoosh index in `<data>/search/whoosh-v<VERSION>`; one writer at a time across processes."""

    name = "whoosh"
    version = VERSION

    def __init__(self, data_dir: Path, *, procs: int | None = None):
        self.root = Path(data_dir) / "search"
        self.path = self.root / f"whoosh-v{VERSION}"
        self.procs = procs or min(2, os.cpu_count() or 1)
        self._ix: whoosh_index.FileIndex | None = None
        self._ix_inode: int | None = None
        self._open_lock = threading.Lock()
        self._idle: list[tuple[whoosh_index.Index, Searcher]] = []  # searchers not in use, with the index they read
        self._idle_lock = threading.Lock()
        self._vectors = Vectors()
        self._evaluating = threading.BoundedSemaphore(EVALUATIONS)

    # --- storage ---------------------------------------------------------------------------

    def is_current(self) -> bool:
        return whoosh_index.exists_in(str(self.path))

    def _index(self, *, writing: bool = False) -> whoosh_index.Index:
        """The open index, reopened when a rebuild swapped the folder. A missing index reads as
        empty and refuses writes: only a rebuild creates one, so an index that exists is whole."""
        with self._open_lock:
            inode = self.path.stat().st_ino if self.path.exists() else None
            if self._ix is None or inode != self._ix_inode:
                if not whoosh_index.exists_in(str(self.path)):
                    if writing:
                        raise RuntimeError(
                            f"no search index at {self.path}; it is built at start or by `praxis reindex`"
                        )
                    return RamStorage().create_index(schema())
                self._ix = whoosh_index.open_dir(str(self.path))
                self._ix_inode = inode
            return self._ix

    @contextmanager
    def writer_lock(self, timeout: float) -> Iterator[bool]:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / "writer.lock", "a+") as handle:
            if not acquire(lambda: _try_flock(handle), timeout):
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def apply(self, upserts: Sequence[SearchDoc], removals: Sequence[str]) -> None:
        ix = self._index(writing=True)
        writer = ix.writer(timeout=30)
        try:
            for doc in upserts:
                writer.update_document(**_fields(doc))
            for note_id in removals:
                writer.delete_by_term("id", note_id)
            writer.commit()
        except BaseException:
            _abandon(ix, writer)
            raise

    def rebuild(self, batches: Iterator[Sequence[SearchDoc]]) -> int:
        building = self.root / f"whoosh-v{VERSION}.building-{os.getpid()}"
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir(parents=True)
        fresh = whoosh_index.create_in(str(building), schema())
        count, writer, known = 0, None, set[str]()
        try:
            for batch in batches:
                if writer is None:
                    # Whoosh's multiprocessing writer pays off only on a large corpus.
                    procs = self.procs if len(batch) >= 500 else 1
                    writer = fresh.writer(procs=procs, limitmb=256, multisegment=procs > 1)
                for doc in batch:
                    writer.add_document(**_fields(doc, known))
                count += len(batch)
            if writer is not None:
                writer.commit()
        except BaseException:
            if writer is not None:
                writer.cancel()
            shutil.rmtree(building, ignore_errors=True)
            raise
        fresh.close()
        old = self.root / f"whoosh-v{VERSION}.old-{os.getpid()}"
        if self.path.exists():
            self.path.rename(old)
        building.rename(self.path)
        shutil.rmtree(old, ignore_errors=True)
        for stale in self.root.glob("whoosh-v*"):
            if stale.name != self.path.name and ".building-" not in stale.name:
                shutil.rmtree(stale, ignore_errors=True)  # other versions' folders
        return count

    def close(self) -> None:
        with self._idle_lock:
            for _, searcher in self._idle:
                searcher.close()
            self._idle.clear()
        with self._open_lock:
            if self._ix is not None:
                self._ix.close()
            self._ix = None

    # --- reading ---------------------------------------------------------------------------

    @contextmanager
    def _reading(self) -> Iterator[Searcher]:
        """One of the process's few searchers (EVALUATIONS), brought up to date with the last
        commit. Few: each holds its readers' caches, and a searcher per request thread (dozens)
        multiplied them; a search waits for one rather than open another."""
        with self._evaluating:
            ix = self._index()
            with self._idle_lock:
                held = self._idle.pop() if self._idle else None
            if held is not None and (held[0] is not ix or ix.latest_generation() != held[1].reader().generation()):
                held[1].close()  # not Searcher.refresh(): it fails on a searcher of an empty index
                held = None
            if held is None:
                held = (ix, ix.searcher())
            try:
                yield held[1]
            finally:
                with self._idle_lock:
                    self._idle.append(held)

    def _evaluation(self, searcher: Searcher, grants: Sequence[str] | None) -> Evaluation:
        # After the searcher was taken: taking it may reopen the index, whose identity keys the caches.
        return Evaluation(self._vectors, searcher, str(id(self._ix)), grants)

    def warm(self) -> None:
        """Load what queries need of each segment now rather than in the first reader's request."""
        with self._reading() as searcher:
            self._evaluation(searcher, None)

    def search(self, request: SearchRequest) -> SearchHits:
        with self._reading() as searcher:
            return self._evaluation(searcher, request.grants).run(request)

    def finds(self, word: str, grants: Sequence[str] | None) -> bool:
        with self._reading() as searcher:
            return self._evaluation(searcher, grants).finds(stem(word))

    def spelling(self, word: str, limit: int) -> list[str]:
        # Candidates share the first letter, or one of its accented forms ("ecnomie" -> "économie"):
        # that keeps Whoosh's edit-distance scan short.
        typed = word.lower()
        found: set[str] = set()
        with self._reading() as searcher:
            reader = searcher.reader()
            for first in ACCENTS.get(typed[:1], typed[:1]):
                found.update(reader.terms_within("words", first + typed[1:], 2, prefix=1))
        found.discard(typed)
        return sorted(found, key=lambda w: (distance(w, typed), w))[:limit]

    def document_ids(self) -> set[str]:
        with self._reading() as searcher:
            return {stored["id"] for stored in searcher.reader().all_stored_fields()}
