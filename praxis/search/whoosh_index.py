"""The embedded search backend: a Whoosh index in the data folder."""

from __future__ import annotations

import fcntl
import os
import shutil
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.searching import Searcher

from praxis.search.analysis import french_analyzer, stem
from praxis.search.base import FACETS, Filters, Hit, SearchHits, SearchRequest
from praxis.search.documents import SearchDoc
from praxis.search.query import Clause

# Raise when the schema or the analysis changes: an index of another version is rebuilt.
VERSION = 1
FIELDS = ("title", "body", "extra")


def schema() -> Schema:
    analyzer = french_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        kind=ID(stored=True),
        title=TEXT(analyzer=analyzer, field_boost=3.0, spelling=True),
        body=TEXT(analyzer=analyzer, spelling=True),
        extra=TEXT(analyzer=analyzer, field_boost=1.5),
        authors=KEYWORD(stored=True),
        carnets=KEYWORD(stored=True),
        grants=KEYWORD(),
        year=ID(stored=True),
        date=NUMERIC(int, bits=64, signed=True, sortable=True),
    )


def _fields(doc: SearchDoc) -> dict[str, object]:
    return dict(
        id=doc.id, kind=doc.kind, title=doc.title, body=doc.body, extra=doc.extra,
        authors=" ".join(doc.authors), carnets=" ".join(doc.carnets), grants=" ".join(doc.grants),
        year=str(doc.year), date=int(doc.date.timestamp()),
    )


def _clause(clause: Clause) -> wq.Query:
    if clause.kind == "prefix":
        return wq.Or([wq.Prefix(f, clause.terms[0]) for f in FIELDS])
    if clause.kind == "phrase":
        return wq.Or([wq.Phrase(f, list(clause.terms)) for f in FIELDS])
    return wq.Or([wq.Term(f, clause.terms[0]) for f in FIELDS])


def compile_query(request: SearchRequest) -> wq.Query:
    positive = [_clause(c) for c in request.query.positive]
    if not positive:
        matched: wq.Query = wq.Every()
    elif len(positive) == 1:
        matched = positive[0]
    else:
        matched = wq.And(positive) if request.match_all else wq.Or(positive)
    negative = [_clause(c) for c in request.query.negative]
    return wq.AndNot(matched, wq.Or(negative)) if negative else matched


def _filter_terms(filters: Filters) -> list[wq.Query]:
    found: list[wq.Query] = []
    if filters.kind:
        found.append(wq.Term("kind", filters.kind))
    if filters.carnet:
        found.append(wq.Term("carnets", filters.carnet))
    if filters.author:
        found.append(wq.Term("authors", filters.author))
    if filters.year is not None:
        found.append(wq.Term("year", str(filters.year)))
    return found


class WhooshIndex:
    """A Whoosh index in `<data>/search/whoosh-v<VERSION>`; one writer at a time across processes."""

    name = "whoosh"
    version = VERSION

    def __init__(self, data_dir: Path, *, procs: int | None = None):
        self.root = Path(data_dir) / "search"
        self.path = self.root / f"whoosh-v{VERSION}"
        self.procs = procs or min(2, os.cpu_count() or 1)
        self._ix = None
        self._ix_inode = None
        self._open_lock = threading.Lock()
        self._local = threading.local()
        self._docsets: OrderedDict[tuple[object, ...], frozenset[int]] = OrderedDict()
        self._values: OrderedDict[str, list[tuple[str, str, tuple[str, ...], tuple[str, ...]] | None]] = OrderedDict()
        self._cache_lock = threading.Lock()

    # --- storage ---------------------------------------------------------------------------

    def is_current(self) -> bool:
        return whoosh_index.exists_in(str(self.path))

    def _index(self, *, writing: bool = False):  # type: ignore[no-untyped-def]
        """The open index, reopened when a rebuild swapped the folder. A missing index reads as
        empty and refuses writes: only a rebuild creates one, so an index that exists is whole."""
        with self._open_lock:
            inode = self.path.stat().st_ino if self.path.exists() else None
            if self._ix is None or inode != self._ix_inode:
                if not whoosh_index.exists_in(str(self.path)):
                    if writing:
                        raise RuntimeError(f"no search index at {self.path}; it is built at start or by `praxis reindex`")
                    return RamStorage().create_index(schema())
                self._ix = whoosh_index.open_dir(str(self.path))
                self._ix_inode = inode
            return self._ix

    @contextmanager
    def writer_lock(self, timeout: float) -> Iterator[bool]:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / "writer.lock", "a+") as handle:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        yield False
                        return
                    time.sleep(0.02)
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def apply(self, upserts: Sequence[SearchDoc], removals: Sequence[str]) -> None:
        writer = self._index(writing=True).writer(timeout=30)
        try:
            for doc in upserts:
                writer.update_document(**_fields(doc))
            for note_id in removals:
                writer.delete_by_term("id", note_id)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def rebuild(self, batches: Iterator[Sequence[SearchDoc]]) -> int:
        building = self.root / f"whoosh-v{VERSION}.building-{os.getpid()}"
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir(parents=True)
        fresh = whoosh_index.create_in(str(building), schema())
        count, writer = 0, None
        try:
            for batch in batches:
                if writer is None:
                    # Whoosh's multiprocessing writer pays off only on a large corpus.
                    procs = self.procs if len(batch) >= 500 else 1
                    writer = fresh.writer(procs=procs, limitmb=256, multisegment=procs > 1)
                for doc in batch:
                    writer.add_document(**_fields(doc))
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
        with self._open_lock:
            if self._ix is not None:
                self._ix.close()
            self._ix = None

    # --- reading ---------------------------------------------------------------------------

    def _searcher(self) -> Searcher:
        """This thread's searcher, brought up to date with the last commit."""
        ix = self._index()
        current = getattr(self._local, "searcher", None)
        stale = current is not None and (
            getattr(self._local, "ix", None) is not ix or ix.latest_generation() != current.reader().generation()
        )
        if current is None or stale:
            # Not Searcher.refresh(): it fails on a searcher of an empty index.
            if current is not None:
                current.close()
            current = ix.searcher()
            self._local.ix = ix
        self._local.searcher = current
        return current

    def _docset(self, searcher: Searcher, key: tuple[object, ...], q: wq.Query) -> frozenset[int]:
        """The documents matching a filter, cached per index generation (filters repeat)."""
        full = (searcher.reader().generation(), id(self._ix)) + key
        with self._cache_lock:
            found = self._docsets.get(full)
            if found is not None:
                self._docsets.move_to_end(full)
                return found
        found = frozenset(searcher.docs_for_query(q))
        with self._cache_lock:
            self._docsets[full] = found
            while len(self._docsets) > 64:
                self._docsets.popitem(last=False)
        return found

    def _allowed(self, searcher: Searcher, grants: Sequence[str] | None, filters: Filters) -> frozenset[int] | None:
        parts = _filter_terms(filters)
        if grants is not None:
            parts.append(wq.Or([wq.Term("grants", g) for g in grants]))
        if not parts:
            return None
        key = ("allowed", tuple(grants) if grants is not None else None, filters)
        return self._docset(searcher, key, wq.And(parts) if len(parts) > 1 else parts[0])

    def _doc_values(self, searcher: Searcher) -> list[tuple[str, str, tuple[str, ...], tuple[str, ...]] | None]:
        """kind, year, authors and carnets of every document number, cached per segment."""
        values: list[tuple[str, str, tuple[str, ...], tuple[str, ...]] | None] = []
        for reader, _offset in searcher.reader().leaf_readers():
            segment = reader.segment()
            if segment is None:  # an empty index
                continue
            key = f"{id(self._ix)}:{segment.segment_id()}"  # segments never change; deleted documents never match
            with self._cache_lock:
                cached = self._values.get(key)
            if cached is None:
                cached = [None] * reader.doc_count_all()
                for docnum, stored in reader.iter_docs():
                    cached[docnum] = (
                        stored.get("kind", ""), stored.get("year", ""),
                        tuple((stored.get("authors") or "").split()), tuple((stored.get("carnets") or "").split()),
                    )
                with self._cache_lock:
                    self._values[key] = cached
                    while len(self._values) > 256:
                        self._values.popitem(last=False)
            values.extend(cached)
        return values

    def search(self, request: SearchRequest) -> SearchHits:
        searcher = self._searcher()
        q = compile_query(request)
        allowed = self._allowed(searcher, request.grants, request.filters)
        matched = set(searcher.docs_for_query(q))
        visible = matched if request.grants is None else matched & self._allowed(searcher, request.grants, Filters())  # type: ignore[operator]
        selected = visible if allowed is None else (matched & allowed)
        hits: list[Hit] = []
        if selected and request.offset < len(selected):
            results = searcher.search(
                q, filter=set(selected), limit=request.offset + request.limit,
                sortedby="date" if request.sort == "date" else None, reverse=request.sort == "date",
            )
            for hit in results[request.offset:request.offset + request.limit]:
                hits.append(Hit(id=hit["id"], score=float(hit.score or 0.0)))
        return SearchHits(total=len(selected), hits=hits, facets=self._facets(searcher, request, visible))

    def _facets(self, searcher: Searcher, request: SearchRequest, visible: set[int]) -> dict[str, dict[str, int]]:
        values = self._doc_values(searcher)
        facets: dict[str, dict[str, int]] = {}
        positions = {"kind": 0, "year": 1, "author": 2, "carnet": 3}
        for facet in FACETS:
            position = positions[facet]
            others = request.filters.without(facet)
            narrowed = visible
            if _filter_terms(others):
                narrowed = visible & self._allowed(searcher, None, others)  # type: ignore[operator]
            counts: Counter[str] = Counter()
            for docnum in narrowed:
                value = values[docnum]
                if value is None:
                    continue
                item = value[position]
                if isinstance(item, tuple):
                    counts.update(item)
                elif item:
                    counts[item] += 1
            facets[facet] = dict(counts)
        return facets

    def finds(self, word: str, grants: Sequence[str] | None) -> bool:
        searcher = self._searcher()
        q = wq.Or([wq.Term(f, stem(word)) for f in FIELDS])
        allowed = self._allowed(searcher, grants, Filters())
        for docnum in searcher.docs_for_query(q):
            if allowed is None or docnum in allowed:
                return True
        return False

    def spelling(self, word: str, limit: int) -> list[str]:
        searcher = self._searcher()
        found: list[str] = []
        for field in ("title", "body"):
            for candidate in searcher.suggest(field, word, limit=limit, maxdist=2):
                if candidate not in found and candidate != word:
                    found.append(candidate)
        return found[:limit]

    def document_ids(self) -> set[str]:
        searcher = self._searcher()
        return {stored["id"] for stored in searcher.reader().all_stored_fields()}
