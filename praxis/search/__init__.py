"""Full-text search: one Index interface, a Whoosh and a PostgreSQL backend, one indexing queue."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from praxis.config import Settings
from praxis.search.base import Index
from praxis.search.indexer import Indexer


def make_index(settings: Settings, engine: Engine) -> Index:
    """The configured backend: Whoosh in the data folder, or PostgreSQL's full-text search."""
    if settings.resolved_search_backend == "postgres":
        from praxis.search.postgres_index import PostgresIndex

        return PostgresIndex(engine)
    from praxis.search.whoosh_index import WhooshIndex

    return WhooshIndex(settings.data_dir)


def make_indexer(settings: Settings, engine: Engine, *, follower: bool | None = None) -> Indexer:
    """The indexer of a process; a follower (by default, a worker of `praxis serve` when
    `praxis indexer` applies the queue) only catches up before a search."""
    if follower is None:
        follower = settings.search_indexer == "process"
    return Indexer(engine=engine, settings=settings, index=make_index(settings, engine), follower=follower)
