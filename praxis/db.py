"""Database engine, sessions and migrations."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry
from sqlmodel import Session, SQLModel

from praxis import changes
from praxis.config import Settings, give_settings, site_settings
from praxis.errors import DomainError
from praxis.models import table_of
from praxis.search import queue as search_queue

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def _sqlite_pragmas(busy_ms: int) -> Callable[[sqlite3.Connection, ConnectionPoolEntry], None]:
    def on_connect(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
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
    waited seconds while others passed. So writers take turns before SQLite's lock: on a lock of
    their process (woken the moment it is free), then on a file lock beside the database shared
    by the processes of a server (its workers, `praxis indexer`), tried every half millisecond.
    A process that has just had the turn lets the others try first, or the writers of one worker
    would pass the turn among themselves while another worker's waited."""

    KEY = "praxis_write_turn"
    POLL = 0.0005
    COURTESY = 0.001  # how long a process that just had the turn waits before asking again

    def __init__(self, busy_ms: int, path: Path | None) -> None:
        self.lock = threading.Lock()
        self.timeout = busy_ms / 1000
        self.path = path
        self._fd: tuple[int, int] | None = None  # (process id, descriptor): a forked child opens its own
        self._ended = 0.0  # when this process last ended a turn

    def _file(self) -> int | None:
        if self.path is None:
            return None
        if self._fd is None or self._fd[0] != os.getpid():
            try:
                self._fd = (os.getpid(), os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
            except OSError:
                return None  # a read-only data dir: SQLite answers the write itself
        return self._fd[1]

    def _locked(self, mode: str) -> sa.exc.OperationalError:
        return sa.exc.OperationalError(f"BEGIN {mode}", None, sqlite3.OperationalError("database is locked"))

    def begin(self, conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        if mode == "IMMEDIATE":
            deadline = time.monotonic() + self.timeout
            if not self.lock.acquire(timeout=self.timeout):
                raise self._locked(mode)
            try:
                self._take_file_turn(deadline, mode)
            except BaseException:
                self.lock.release()
                raise
            conn.info[self.KEY] = True
        try:
            conn.exec_driver_sql(f"BEGIN {mode}")
        except BaseException:
            self.end(conn)
            raise

    def _take_file_turn(self, deadline: float, mode: str) -> None:
        fd = self._file()
        if fd is None:
            return
        if time.monotonic() - self._ended < self.COURTESY:
            time.sleep(self.COURTESY)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise self._locked(mode) from None
                time.sleep(self.POLL)

    def _release(self) -> None:
        if self._fd is not None and self._fd[0] == os.getpid():
            fcntl.flock(self._fd[1], fcntl.LOCK_UN)
        self._ended = time.monotonic()
        self.lock.release()

    def end(self, conn: Connection, *_args: object) -> None:
        if conn.info.pop(self.KEY, False):
            self._release()

    def returned(self, _dbapi_connection: object, record: ConnectionPoolEntry) -> None:
        # A connection given back to the pool without a commit or a rollback (closed after an
        # error) still ends its writer's turn.
        if record.info.pop(self.KEY, False):
            self._release()


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
        database = sa.engine.make_url(url).database
        turns = _WriterTurns(busy, Path(database + "-turns") if database and database != ":memory:" else None)
        sa.event.listen(engine, "begin", turns.begin)
        sa.event.listen(engine, "commit", turns.end)
        sa.event.listen(engine, "rollback", turns.end)
        sa.event.listen(engine, "checkin", turns.returned)
        return engine
    # Each worker process has its own pool: at most db_pool_size + db_max_overflow connections
    # (docs/operations.md, "Deployment", for the arithmetic against PostgreSQL's max_connections). A request
    # that waits db_pool_timeout seconds for one gets sqlalchemy.exc.TimeoutError, answered 503.
    connect_args: dict[str, object] = {}
    if not settings.db_prepared_statements and sa.engine.make_url(url).get_driver_name() == "psycopg":
        connect_args["prepare_threshold"] = None  # pgbouncer in transaction mode: nothing prepared server-side
    return sa.create_engine(
        url,
        pool_pre_ping=True,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout,
        connect_args=connect_args,
        hide_parameters=True,
    )


def reader_of(session: Session) -> Session:
    """A session that only reads, on the database and site of `session` (on SQLite it takes no
    write lock, where a writing session takes it at its first statement)."""
    engine = engine_of(session)
    assert engine is not None, "a session of new_session"
    return new_session(engine, site_settings(session), write=False)


def writer(engine: Engine) -> Engine:
    """The engine for a transaction that will write (an immediate transaction on SQLite)."""
    return engine.execution_options(sqlite_begin="IMMEDIATE")


class PraxisSession(Session):
    """The site's sessions (made by `session_factory`)."""


_ENGINE = "praxis_engine"
_MEMO, _MEMO_KEPT = "praxis_memo", "praxis_memo_kept"
_factories: weakref.WeakKeyDictionary[Engine, sessionmaker[PraxisSession]] = weakref.WeakKeyDictionary()


def session_factory(engine: Engine) -> sessionmaker[PraxisSession]:
    """The maker of the site's sessions on `engine`, with what every one of them does as it
    writes: queue the notes it changes for the search index (`search.queue.install`: flushes
    and bulk statements alike) and move the change counter (`changes.track`). Made once per
    engine, by the app factory as it builds the app and by `new_session` for any other caller
    (the command line, the importer, the tests); nothing is registered at import."""
    factory = _factories.get(engine)
    if factory is None:
        # Bound by each call (to the writing engine or not); holding no engine, it keeps none alive.
        factory = sessionmaker(class_=PraxisSession, expire_on_commit=False, info={_MEMO_KEPT: True})
        search_queue.install(factory, engine)
        changes.track(factory)
        for moment in ("after_flush", "after_commit", "after_rollback", "after_soft_rollback"):
            sa.event.listen(factory, moment, _forget_memo)
        sa.event.listen(factory, "do_orm_execute", _forget_memo_on_write)
        _factories[engine] = factory
    return factory


def memo(session: Session) -> dict[Any, Any]:
    """What the session read in its transaction and will be asked again before it writes (who
    may read a note: each part of a page checks it), forgotten at its next flush, commit or
    rollback, and at any statement that is not a SELECT. A session not made by `session_factory`,
    which would never forget, keeps nothing."""
    if not session.info.get(_MEMO_KEPT):
        return {}
    if session.new or session.dirty or session.deleted:  # a write not flushed yet: ask the database
        _forget_memo(session)
        return {}
    found: dict[Any, Any] = session.info.setdefault(_MEMO, {})
    return found


def _forget_memo(session: sa.orm.Session, *_args: object) -> None:
    session.info.pop(_MEMO, None)


def _forget_memo_on_write(state: sa.orm.ORMExecuteState) -> None:
    if not state.is_select:  # a bulk statement, or text: it may have changed anything
        _forget_memo(state.session)


def engine_of(session: Session) -> Engine | None:
    """The engine a session of `new_session` was made on (its bind may be the writing one)."""
    engine = session.info.get(_ENGINE)
    assert engine is None or isinstance(engine, Engine)
    return engine


def new_session(engine: Engine, settings: Settings, *, write: bool) -> Session:
    """A session of the site: it carries the site's settings (`config.site_settings`) and its
    engine, and fills the search queue and the change counter as it writes."""
    session = session_factory(engine)(bind=writer(engine) if write else engine)
    give_settings(session.info, settings)
    session.info[_ENGINE] = engine
    return session


def begin_writes(session: Session) -> bool:
    """A request that prepared its change reading (`deps.writes_late`) is now ready to write: its
    reading transaction ends, and its next statement takes the write turn (on SQLite, the write
    lock), which it then holds only for the writes. What it prepared may have changed meanwhile,
    so its writes must check what they rely on (a note's save: the revision, in the UPDATE itself).
    Nothing happens in a session that writes from the start. Whether a read was ended (and so
    whether what was prepared needs checking) is returned."""
    engine = engine_of(session)
    if engine is None or session.bind is not engine:
        return False
    session.commit()  # nothing written: it only ends the read
    session.bind = writer(engine)
    return True


def end_writes(session: Session) -> None:
    """A request has written all it will: commit now, so that other writers need not wait while
    it builds its answer, which it reads in a transaction that takes no write lock."""
    session.commit()
    session.bind = engine_of(session) or session.bind


def settle_refusal(session: Session, exc: DomainError) -> None:
    """End the transaction of a write a service refused: what the refusal must keep (a failed
    sign-in or password guess, counted) is committed, the rest rolled back. Every refusal of a
    request ends this way, in `session_scope`, whatever door it came through: routes never answer
    a refusal inside their transaction (a refused form's page is shown by the error handler,
    web/forms.form_page, once this is done)."""
    if exc.keep_writes:
        session.commit()
    else:
        session.rollback()


@contextmanager
def session_scope(engine: Engine, settings: Settings, *, write: bool = True) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    with new_session(engine, settings, write=write) as session:
        try:
            yield session
            session.commit()
        except DomainError as exc:
            settle_refusal(session, exc)
            raise
        except BaseException:
            session.rollback()
            raise


def row_of(obj: SQLModel) -> dict[str, Any]:
    """A model instance as the row an INSERT writes (an unset generated key left to the database)."""
    table = table_of(type(obj))
    values = {column.key: getattr(obj, column.key) for column in table.columns}
    return {key: value for key, value in values.items() if not (value is None and table.c[key].primary_key)}


def insert_rows(
    session: Session, model: type[SQLModel], rows: Sequence[dict[str, Any]], *, indexed_later: bool = False
) -> None:
    """Many rows (with the same columns) in one statement, after what the session holds (the
    search queue reads the statement as it reads a flush). `indexed_later`: their notes are
    queued by a later statement of the caller (see search.queue.INDEXED_LATER)."""
    if rows:
        session.flush()  # a Core statement does not flush the session first
        statement = sa.insert(table_of(model))
        if indexed_later:
            statement = statement.execution_options(**{search_queue.INDEXED_LATER: True})
        session.execute(statement, list(rows))


def alembic_config(engine: Engine) -> AlembicConfig:
    # Alembic (and Mako, Pygments) are imported only where migrations are read or run: a worker
    # or a command that does neither starts a fifth of a second sooner.
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def take_turn(session: Session, key: str) -> None:
    """Wait for, then hold until the session's transaction ends, the turn named `key`: requests
    taking the same turn go one at a time, on every worker and host. On PostgreSQL a
    transaction-scoped advisory lock (it holds behind pgbouncer in transaction mode too);
    nothing on SQLite, whose writing transactions are one at a time already."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})


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


def upgrade(engine: Engine, revision: str = "head", settings: Settings | None = None) -> None:
    """Apply pending migrations (one process at a time on PostgreSQL); `settings`: the site's, for
    a migration that follows one (else they are read from the environment, as the site reads them)."""
    from alembic import command

    config = alembic_config(engine)
    config.attributes["settings"] = settings
    with site_lock(engine, "migrate"):
        command.upgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at, or None when it has none."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    from alembic.script import ScriptDirectory

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


def vacuum_after_bulk(engine: Engine) -> None:
    """On PostgreSQL, VACUUM (ANALYZE) the database after writing in bulk (an import, a restore).

    Autovacuum would come to it, but minutes later, and meanwhile the first readers of each
    page pay for marking its new rows committed (hint bits), index-only scans cannot skip the
    table, and the planner works from the statistics of a smaller site. Does not block
    readers or writers. Nothing on SQLite (see refresh_statistics)."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM (ANALYZE)")


def analyze_own_writes(session: Session, *tables: str) -> None:
    """On PostgreSQL, statistics of `tables` as this transaction sees them, its own uncommitted
    rows included, so that what it asks next of the rows it wrote in bulk (an import's linking)
    is planned by them: autovacuum cannot see those rows before the commit, and without
    statistics the planner took a million notes for a thousand (each lookup of a title then
    walked a whole index: 100 ms instead of one)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("ANALYZE " + ", ".join(tables)))


def ping(engine: Engine) -> None:
    """Raise unless the database answers."""
    with engine.connect() as conn:
        conn.execute(sa.text("SELECT 1"))
