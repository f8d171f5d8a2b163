"""Query evaluation over a Whoosh index with numpy: postings become arrays, clauses masks.

Whoosh's own searcher walks every matching posting in Python, which costs a second per query on
a hundred thousand notes. Here each segment's postings for a term are read block by block into
arrays (and cached: segments never change), and matching, BM25F scoring, grants, facet filters,
totals, facet counts and the top of the ranking are array operations.
"""

from __future__ import annotations

import math
import threading
from collections import Counter, OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import islice

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.matching import Matcher
from whoosh.reading import IndexReader
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from praxis.search.base import FACETS, Filters, Hit, SearchHits, SearchRequest
from praxis.search.query import Clause

BOOSTS = {"title": 3.0, "extra": 1.5, "body": 1.0}
K1, B = 1.2, 0.75
MAX_PREFIX_TERMS = 64
CACHED_POSTINGS = 8_000_000  # entries (docnum + frequency), about 64 MB
LENGTH_OF_BYTE = np.array([byte_to_length(i) for i in range(256)], dtype=np.float32)
EMPTY_IDS = np.zeros(0, dtype=np.int64)
EMPTY_TF = np.zeros(0, dtype=np.float32)


@dataclass
class Segment:
    """What queries need of one (immutable) segment, loaded once."""

    size: int
    ids: list[str | None]
    kind: np.ndarray  # codes into kinds
    kinds: list[str]
    year: np.ndarray  # the year itself
    date: np.ndarray  # microseconds
    multi: dict[
        str, tuple[np.ndarray, np.ndarray, list[str]]
    ]  # facet -> (doc of each entry, code of each entry, values)
    lengths: dict[str, np.ndarray] = field(default_factory=dict)


# One segment as a search reads it: (cache key, reader, its first document number, segment, visible documents).
Leaf = tuple[str, IndexReader, int, Segment, np.ndarray]


class Vectors:
    """Per-segment data and postings caches shared by the threads of one index."""

    def __init__(self) -> None:
        self._segments: OrderedDict[str, Segment] = OrderedDict()
        self._postings: OrderedDict[tuple[str, str, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._cached = 0
        self._lock = threading.Lock()
        # One segment is loaded by one thread: many searches arriving together on a new segment
        # wait for it rather than each reading every stored document of it at once.
        self._loading = threading.Lock()

    # --- loading ---------------------------------------------------------------------------

    def segment(self, key: str, reader: IndexReader) -> Segment:
        found = self._kept_segment(key)
        if found is not None:
            return found
        with self._loading:
            found = self._kept_segment(key)  # loaded by the thread this one waited for
            return found if found is not None else self._load_segment(key, reader)

    def _kept_segment(self, key: str) -> Segment | None:
        with self._lock:
            found = self._segments.get(key)
            if found is not None:
                self._segments.move_to_end(key)
            return found

    def _load_segment(self, key: str, reader: IndexReader) -> Segment:
        size = reader.doc_count_all()
        ids: list[str | None] = [None] * size
        kinds: dict[str, int] = {}
        kind = np.zeros(size, dtype=np.int16)
        year = np.zeros(size, dtype=np.int32)
        date = np.zeros(size, dtype=np.int64)
        entries: dict[str, tuple[list[int], list[int], dict[str, int]]] = {
            "author": ([], [], {}),
            "carnet": ([], [], {}),
        }
        for docnum, stored in reader.iter_docs():
            ids[docnum] = stored.get("id")
            kind[docnum] = kinds.setdefault(stored.get("kind", ""), len(kinds))
            year[docnum] = int(stored.get("year") or 0)
            date[docnum] = int(stored.get("date") or 0)
            for facet, name in (("author", "authors"), ("carnet", "carnets")):
                docs, codes, values = entries[facet]
                for value in (stored.get(name) or "").split():
                    docs.append(docnum)
                    codes.append(values.setdefault(value, len(values)))
        multi = {
            facet: (np.array(docs, dtype=np.int64), np.array(codes, dtype=np.int64), list(values))
            for facet, (docs, codes, values) in entries.items()
        }
        segment = Segment(size=size, ids=ids, kind=kind, kinds=list(kinds), year=year, date=date, multi=multi)
        for name in BOOSTS:
            column = reader._perdoc._cached_reader(_lenfield(name), LENGTHS_COLUMN)
            raw = (
                np.frombuffer(bytes(column[i] for i in range(size)), dtype=np.uint8)
                if column is not None and size
                else np.zeros(size, np.uint8)
            )
            segment.lengths[name] = LENGTH_OF_BYTE[raw]
        with self._lock:
            self._segments[key] = segment
            while len(self._segments) > 64:
                self._segments.popitem(last=False)
        return segment

    def postings(self, key: str, reader: IndexReader, fieldname: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """Document numbers (in the segment) and frequencies of a term."""
        cache_key = (key, fieldname, term)
        with self._lock:
            found = self._postings.get(cache_key)
            if found is not None:
                self._postings.move_to_end(cache_key)
                return found
        if (fieldname, term) not in reader:
            found = (EMPTY_IDS, EMPTY_TF)
        else:
            found = _read_postings(reader.postings(fieldname, term))
        with self._lock:
            self._postings[cache_key] = found
            self._cached += len(found[0])
            while self._cached > CACHED_POSTINGS and len(self._postings) > 1:
                _, (ids, _tf) = self._postings.popitem(last=False)
                self._cached -= len(ids)
        return found


def _read_postings(matcher: Matcher) -> tuple[np.ndarray, np.ndarray]:
    ids: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    if hasattr(matcher, "_read_ids") and hasattr(matcher, "_next_block"):
        # Whoosh's W3 codec: whole blocks at once instead of one posting at a time.
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            ids.append(np.asarray(matcher._ids, dtype=np.int64))
            weights.append(np.asarray(matcher._weights, dtype=np.float32))
            matcher._next_block()
    else:  # any other codec: one posting at a time
        one_ids, one_weights = [], []
        while matcher.is_active():
            one_ids.append(matcher.id())
            one_weights.append(matcher.weight())
            matcher.next()
        return np.array(one_ids, dtype=np.int64), np.array(one_weights, dtype=np.float32)
    if not ids:
        return EMPTY_IDS, EMPTY_TF
    return np.concatenate(ids), np.concatenate(weights)


class Evaluation:
    """One search over every segment of a searcher."""

    def __init__(self, vectors: Vectors, searcher: Searcher, index_key: str, grants: Sequence[str] | None):
        self.vectors = vectors
        self.searcher = searcher
        self.leaves: list[Leaf] = []
        for reader, offset in searcher.reader().leaf_readers():
            seg = reader.segment()
            if seg is None:
                continue
            key = f"{index_key}:{seg.segment_id()}"
            live = np.ones(reader.doc_count_all(), dtype=bool)
            if reader.has_deletions():
                live[list(reader.deleted_docs_set)] = False  # a cached property
            segment = vectors.segment(key, reader)
            self.leaves.append((key, reader, offset, segment, self._visible(key, reader, segment, live, grants)))
        # Ranking statistics come from the notes this reader may see: from all notes, a hidden
        # note holding a word would move the visible ones' scores and order.
        self.total_docs = max(sum(int(leaf[4].sum()) for leaf in self.leaves), 1)
        self._avg = {
            name: (sum(float(leaf[3].lengths[name][leaf[4]].sum()) for leaf in self.leaves) / self.total_docs) or 1.0
            for name in BOOSTS
        }
        self._idfs: dict[tuple[str, str], float] = {}

    def _visible(
        self, key: str, reader: IndexReader, segment: Segment, live: np.ndarray, grants: Sequence[str] | None
    ) -> np.ndarray:
        if grants is None:
            return live
        mask = np.zeros(segment.size, dtype=bool)
        for grant in grants:
            ids, _tf = self.vectors.postings(key, reader, "grants", grant)
            mask[ids] = True
        return mask & live

    # --- clauses ---------------------------------------------------------------------------

    def _idf(self, fieldname: str, term: str) -> float:
        found = self._idfs.get((fieldname, term))
        if found is None:
            df = 0
            for key, reader, _offset, _segment, visible in self.leaves:
                ids, _tf = self.vectors.postings(key, reader, fieldname, term)
                df += int(visible[ids].sum()) if len(ids) else 0
            found = self._idfs[(fieldname, term)] = math.log(1 + (self.total_docs - df + 0.5) / (df + 0.5))
        return found

    def _term(self, leaf: Leaf, term: str, score: np.ndarray, mask: np.ndarray) -> None:
        key, reader, _offset, segment, _visible = leaf
        for name, boost in BOOSTS.items():
            ids, tf = self.vectors.postings(key, reader, name, term)
            if not len(ids):
                continue
            norm = K1 * (1 - B + B * segment.lengths[name][ids] / self._avg[name])
            score[ids] += boost * self._idf(name, term) * tf * (K1 + 1) / (tf + norm)
            mask[ids] = True

    def _clause(self, leaf: Leaf, clause: Clause, phrase_docs: dict[int, set[int]]) -> tuple[np.ndarray, np.ndarray]:
        size = leaf[3].size
        score = np.zeros(size, dtype=np.float32)
        mask = np.zeros(size, dtype=bool)
        if clause.kind == "prefix":
            reader = leaf[1]
            for name in BOOSTS:
                for term in list(islice(reader.expand_prefix(name, clause.terms[0]), MAX_PREFIX_TERMS)):
                    self._term(leaf, term.decode("utf-8") if isinstance(term, bytes) else term, score, mask)
            return mask, score
        for term in clause.terms:
            term_mask = np.zeros(size, dtype=bool)
            self._term(leaf, term, score, term_mask)
            mask = term_mask if clause.kind == "word" else (mask | term_mask)
        if clause.kind == "phrase":
            exact = np.zeros(size, dtype=bool)
            found = [d - leaf[2] for d in phrase_docs.get(id(clause), set()) if leaf[2] <= d < leaf[2] + size]
            exact[found] = True
            mask &= exact
        return mask, score

    def _phrases(self, clauses: Sequence[Clause]) -> dict[int, set[int]]:
        """Documents holding each phrase in order, from Whoosh (positions are its business)."""
        found = {}
        for clause in clauses:
            if clause.kind == "phrase":
                q = wq.Or([wq.Phrase(name, list(clause.terms)) for name in BOOSTS])
                found[id(clause)] = set(self.searcher.docs_for_query(q))
        return found

    # --- filters ---------------------------------------------------------------------------

    @staticmethod
    def _facet_mask(segment: Segment, facet: str, value: str | int) -> np.ndarray:
        if facet == "kind":
            return np.isin(segment.kind, [i for i, k in enumerate(segment.kinds) if k == value])
        if facet == "year":
            return segment.year == int(value)
        docs, codes, values = segment.multi[facet]
        mask = np.zeros(segment.size, dtype=bool)
        if value in values:
            mask[docs[codes == values.index(value)]] = True
        return mask

    def _filter_masks(self, segment: Segment, filters: Filters) -> dict[str, np.ndarray]:
        """The documents each chosen facet value keeps."""
        return {
            facet: self._facet_mask(segment, facet, getattr(filters, facet))
            for facet in FACETS
            if getattr(filters, facet) is not None
        }

    # --- the search ------------------------------------------------------------------------

    def run(self, request: SearchRequest) -> SearchHits:
        positive, negative = request.query.positive, request.query.negative
        phrases = self._phrases(request.query.clauses)
        total = 0
        candidates: list[tuple[float, int, str]] = []
        counts: dict[str, Counter[str]] = {facet: Counter() for facet in FACETS}
        wanted = request.offset + request.limit
        for leaf in self.leaves:
            segment = leaf[3]
            if positive:
                parts = [self._clause(leaf, c, phrases) for c in positive]
                matched = parts[0][0].copy()
                for part_mask, _ in parts[1:]:
                    matched = (matched & part_mask) if request.match_all else (matched | part_mask)
                score = np.sum([s for _, s in parts], axis=0)
            else:
                matched = np.ones(segment.size, dtype=bool)
                score = np.zeros(segment.size, dtype=np.float32)
            for clause in negative:
                matched &= ~self._clause(leaf, clause, phrases)[0]
            visible = matched & leaf[4]
            masks = self._filter_masks(segment, request.filters)
            selected = visible
            for mask in masks.values():
                selected = selected & mask
            count = int(selected.sum())
            total += count
            if count and wanted:
                docs = np.flatnonzero(selected)
                if request.sort == "date" or not positive:
                    order = np.lexsort((docs, -segment.date[docs]))[:wanted]
                else:
                    order = np.lexsort((-segment.date[docs], -score[docs]))[:wanted]
                for i in order:
                    doc = docs[i]
                    candidates.append((float(score[doc]), int(segment.date[doc]), segment.ids[doc] or ""))
            self._count(segment, visible, masks, counts)
        if request.sort == "date" or not positive:
            candidates.sort(key=lambda c: (-c[1], c[2]))
        else:
            candidates.sort(key=lambda c: (-c[0], -c[1], c[2]))
        page = candidates[request.offset : wanted]
        return SearchHits(
            total=total,
            hits=[Hit(id=i, score=s) for s, _, i in page],
            facets={facet: dict(counter) for facet, counter in counts.items()},
        )

    def _count(
        self, segment: Segment, visible: np.ndarray, masks: dict[str, np.ndarray], counts: dict[str, Counter[str]]
    ) -> None:
        """Facet counts; each facet is narrowed by the other facets' choices, not its own."""
        for facet in FACETS:
            narrowed = visible
            for other, mask in masks.items():
                if other != facet:
                    narrowed = narrowed & mask
            if not narrowed.any():
                continue
            if facet == "kind":
                for code, n in enumerate(np.bincount(segment.kind[narrowed], minlength=len(segment.kinds))):
                    if n:
                        counts[facet][segment.kinds[code]] += int(n)
            elif facet == "year":
                years, n = np.unique(segment.year[narrowed], return_counts=True)
                for y, c in zip(years, n):
                    counts[facet][str(int(y))] += int(c)
            else:
                docs, codes, values = segment.multi[facet]
                chosen = codes[narrowed[docs]] if len(docs) else codes
                for code, n in enumerate(np.bincount(chosen, minlength=len(values))):
                    if n:
                        counts[facet][values[code]] += int(n)

    def finds(self, term: str) -> bool:
        """Whether a visible document holds the term in a searched field (no scoring needed)."""
        for key, reader, _offset, _segment, visible in self.leaves:
            for name in BOOSTS:
                ids, _tf = self.vectors.postings(key, reader, name, term)
                if len(ids) and visible[ids].any():
                    return True
        return False
