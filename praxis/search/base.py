"""The one interface every search backend offers, and what goes in and out of it."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Protocol

from praxis.search.documents import SearchDoc
from praxis.search.query import Query

FACETS = ("kind", "carnet", "author", "year")


def acquire(try_lock: Callable[[], bool], timeout: float) -> bool:
    """Try a non-blocking lock until it is had or `timeout` seconds have passed."""
    deadline = time.monotonic() + timeout
    while not try_lock():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.02)
    return True


@dataclass(frozen=True)
class Filters:
    """Facet choices: a note must match every one given."""

    kind: str | None = None
    carnet: str | None = None
    author: str | None = None
    year: int | None = None

    def without(self, facet: str) -> Filters:
        return Filters(**{name: (None if name == facet else getattr(self, name)) for name in FACETS})


@dataclass(frozen=True)
class SearchRequest:
    query: Query
    grants: Sequence[str] | None  # None: every live note (admins)
    filters: Filters = Filters()
    match_all: bool = True  # False: any positive clause is enough
    sort: str = "relevance"  # or "date"
    offset: int = 0
    limit: int = 20


@dataclass(frozen=True)
class Hit:
    id: str
    score: float


@dataclass
class SearchHits:
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


class Index(Protocol):
    """A full-text index of notes. Writes come only from the indexing queue (praxis.search.queue)."""

    name: str
    version: int

    def is_current(self) -> bool:
        """Whether the index exists at this code's schema version (else it must be rebuilt)."""

    def writer_lock(self, timeout: float) -> AbstractContextManager[bool]:
        """Hold the single-writer lock (shared by every process using this index); yields False
        when it could not be taken within `timeout` seconds."""

    def apply(self, upserts: Sequence[SearchDoc], removals: Sequence[str]) -> None:
        """Write these documents and remove these note ids, durably, in one commit."""

    def rebuild(self, batches: Iterator[Sequence[SearchDoc]]) -> int:
        """Replace the whole index by these documents (the old one serves until the swap)."""

    def warm(self) -> None:
        """Load what the first queries would otherwise wait for."""

    def search(self, request: SearchRequest) -> SearchHits:
        """The notes matching the request among those its grants open, with facet counts."""

    def finds(self, word: str, grants: Sequence[str] | None) -> bool:
        """Whether a note these grants open holds this word (analysed as the index does)."""

    def spelling(self, word: str, limit: int) -> list[str]:
        """Indexed words (as written, accents kept) close to `word`, closest first."""

    def document_ids(self) -> set[str]:
        """Every note id in the index (for checks and tests)."""

    def close(self) -> None: ...
