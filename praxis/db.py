"""Database engine, sessions and migrations."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine
from sqlmodel import Session

from praxis import changes
from praxis.config import Settings
from praxis.errors import DomainError

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def _sqlite_pragmas(busy_ms: int):  # type: ignore[no-untyped-def]
    def on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # transactions are begun by _WriterTurns.begin
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
        cursor.close()

    return on_connect


class _WriterTurns:
    """A writing transaction takes SQLite's write lock when it begins (`BEGIN IMMEDIATE`), so
    concurrent writers queue instead of failing to upgrade a read lock. But SQLite's queue is a
    busy handler that polls with growing sleeps (up to 100 ms each): under load some writers
    waited seconds while others passed. So the writers of one process first take turns on a lock
    of their own, woken the moment it is free, and SQLite's lock sees one writer per process."""

    KEY = "praxis_write_turn"

    def __init__(self, busy_ms: int) -> None:
        self.lock = threading.Lock()
        self.timeout = busy_ms / 1000

    def begin(self, conn) -> None:  # type: ignore[no-untyped-def]
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        if mode == "IMMEDIATE":
            if not self.lock.acquire(timeout=self.timeout):
                raise sa.exc.OperationalError(f"BEGIN {mode}", None, sqlite3.OperationalError("database is locked"))
            conn.info[self.KEY] = True
        try:
            conn.exec_driver_sql(f"BEGIN {mode}")
        except BaseException:
            self.end(conn)
            raise

    def end(self, conn, *_args) -> None:  # type: ignore[no-untyped-def]
        if conn.info.pop(self.KEY, False):
            self.lock.release()

    def returned(self, _dbapi_connection, record) -> None:  # type: ignore[no-untyped-def]
        # A connection given back to the pool without a commit or a rollback (closed after an
        # error) still ends its writer's turn.
        if record.info.pop(self.KEY, False):
            self.lock.release()


def make_engine(settings: Settings) -> Engine:
    """An engine for the configured database, with SQLite set up for concurrent use.

    Errors never carry bound parameters (note bodies, token digests) into the logs.
    """
    url = settings.resolved_database_url
    if url.startswith("sqlite"):
        settings.ensure_data_dir()
        busy = settings.sqlite_busy_ms
        engine = sa.create_engine(
            url, connect_args={"check_same_thread": False, "timeout": busy / 1000}, hide_parameters=True
        )
        sa.event.listen(engine, "connect", _sqlite_pragmas(busy))
        turns = _WriterTurns(busy)
        sa.event.listen(engine, "begin", turns.begin)
        sa.event.listen(engine, "commit", turns.end)
        sa.event.listen(engine, "rollback", turns.end)
        sa.event.listen(engine, "checkin", turns.returned)
        return engine
    # Each worker process has its own pool: at most db_pool_size + db_max_overflow connections
    # (README, "Deployment", for the arithmetic against PostgreSQL's max_connections). A request
    # that waits db_pool_timeout seconds for one gets sqlalchemy.exc.TimeoutError, answered 503.
    connect_args: dict[str, object] = {}
    if not settings.db_prepared_statements and sa.engine.make_url(url).get_driver_name() == "psycopg":
        connect_args["prepare_threshold"] = None  # pgbouncer in transaction mode: nothing prepared server-side
    return sa.create_engine(
        url, pool_pre_ping=True, pool_size=settings.db_pool_size, max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout, connect_args=connect_args, hide_parameters=True,
    )


def writer(engine: Engine) -> Engine:
    """The engine for a transaction that will write (an immediate transaction on SQLite)."""
    return engine.execution_options(sqlite_begin="IMMEDIATE")


class PraxisSession(Session):
    """The site's sessions: a commit that changes what readers see moves the change counter."""


changes.track(PraxisSession)


def new_session(engine: Engine, settings: Settings, *, write: bool) -> Session:
    """A session carrying what services need to build absolute URLs and dates."""
    session = PraxisSession(writer(engine) if write else engine, expire_on_commit=False)
    # `engine` lets the search queue find the indexer that applies this session's changes.
    session.info.update(
        site_url=settings.site_url, site_name=settings.site_name, timezone=settings.timezone, language=settings.language,
        engine=engine,
    )
    return session


@contextmanager
def session_scope(engine: Engine, settings: Settings, *, write: bool = True) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    with new_session(engine, settings, write=write) as session:
        try:
            yield session
            session.commit()
        except DomainError as exc:
            if exc.keep_writes:
                session.commit()
            else:
                session.rollback()
            raise
        except BaseException:
            session.rollback()
            raise


def alembic_config(engine: Engine) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


@contextmanager
def site_lock(engine: Engine, name: str) -> Iterator[None]:
    """Run the block while no other process sharing this database runs a block of the same name.

    On PostgreSQL: a transaction-scoped advisory lock (so it also holds behind pgbouncer in
    transaction mode), taken on a connection of its own outside the pool, waited for without
    limit; servers starting together take turns to migrate and seed. Nothing on SQLite, whose
    writes are one at a time already.
    """
    if engine.dialect.name != "postgresql":
        yield
        return
    lock_engine = sa.create_engine(engine.url, poolclass=sa.pool.NullPool, hide_parameters=True)
    try:
        with lock_engine.connect() as conn, conn.begin():
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"praxis-{name}"})
            yield
    finally:
        lock_engine.dispose()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply pending migrations (one process at a time on PostgreSQL)."""
    with site_lock(engine, "migrate"):
        command.upgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at, or None when it has none."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def refresh_statistics(engine: Engine) -> None:
    """Give SQLite's query planner current statistics (PostgreSQL's autovacuum does its own).

    Without them SQLite may scan a whole table where an index would answer in a millisecond.
    """
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as conn:
        has_stats = conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first()
        conn.exec_driver_sql("PRAGMA optimize" if has_stats else "ANALYZE")
        conn.commit()


def ping(engine: Engine) -> None:
    """Raise unless the database answers."""
    with engine.connect() as conn:
        conn.execute(sa.text("SELECT 1"))
