"""A temp site per test, on SQLite and again on PostgreSQL.

Migrations run once per backend and worker into a template (a SQLite file, a PostgreSQL
template database); each test gets a fresh copy of it.
"""

from __future__ import annotations

import gc
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session

from praxis.app import create_app
from praxis.config import Settings
from praxis.db import make_engine, new_session, upgrade
from praxis.search.postgres_index import PostgresIndex
from tests.factories import CHEAP_PASSWORDS
from tests.servers import SmtpServer, smtp_server

PG_SERVER = os.environ.get("PRAXIS_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
BACKENDS = [b for b in os.environ.get("PRAXIS_TEST_BACKENDS", "sqlite,postgres").split(",") if b]
PASSWORD = "mot-de-passe-test"


def _admin_engine() -> sa.Engine:
    return sa.create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def worker_tag() -> str:
    return f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("sqlite-template")
    settings = Settings(data_dir=data, secret_key="x")
    engine = make_engine(settings)
    upgrade(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return data / "praxis.db"


@pytest.fixture(scope="session")
def pg_template(worker_tag: str) -> Iterator[str]:
    name = f"praxis_tpl_{worker_tag}".lower()
    admin = _admin_engine()
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine = make_engine(Settings(database_url=f"{PG_SERVER}/{name}", secret_key="x"))
    upgrade(engine)
    PostgresIndex(engine).create()  # each test's copy starts with an empty, current search index
    engine.dispose()
    yield name
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


# For a test in which SQL plays no part in what it checks (markup, headers, the API's document,
# the interface's language, what the browser does with a page): it runs on one database only.
one_database = pytest.mark.parametrize("backend", BACKENDS[:1], indirect=True)


def on_backends_in_turn(argnames: str, cases: list[Any], *, fixture: str = "backend") -> pytest.MarkDecorator:
    """Each case of a long matrix on one backend, the backends taking turns (the first case on
    the first, the next on the other…): for cases that all try the same rule in SQL, which each
    backend then runs for half of them. `fixture` is the backend-parametrised fixture to set."""
    names = [name.strip() for name in argnames.split(",")]
    rows = [(BACKENDS[i % len(BACKENDS)], *(c if isinstance(c, tuple) else (c,))) for i, c in enumerate(cases)]
    return pytest.mark.parametrize([fixture, *names], rows, indirect=[fixture])


@contextmanager
def pg_database(template: str | None = None) -> Iterator[str]:
    """A new PostgreSQL database (a copy of `template` when given), dropped afterwards."""
    name = f"praxis_t_{uuid.uuid4().hex[:12]}"
    admin = _admin_engine()
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


# Everything a test could change in a database besides its rows: when any of it differs from the
# template's after a test, that copy is dropped instead of emptied for the next test.
_USER_SCHEMAS = "nspname NOT IN ('pg_catalog', 'information_schema') AND nspname !~ '^pg_(toast|temp|toast_temp)'"
_SHAPE = f"""
SELECT md5(coalesce(string_agg(line, E'\\n' ORDER BY line), '')) FROM (
  SELECT 'schema ' || nspname AS line FROM pg_namespace WHERE {_USER_SCHEMAS}
  UNION ALL SELECT format('rel %s.%s %s %s', n.nspname, c.relname, c.relkind, c.relpersistence)
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {_USER_SCHEMAS}
  UNION ALL SELECT format('col %s %s %s %s %s %s', a.attrelid::regclass, a.attname, format_type(a.atttypid, a.atttypmod),
                          a.attnotnull, a.attgenerated, pg_get_expr(d.adbin, d.adrelid))
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE a.attnum > 0 AND NOT a.attisdropped AND {_USER_SCHEMAS}
  UNION ALL SELECT 'index ' || pg_get_indexdef(i.indexrelid)
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {_USER_SCHEMAS}
  UNION ALL SELECT format('constraint %s %s %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid))
    FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE {_USER_SCHEMAS}
  UNION ALL SELECT format('function %s %s', p.oid::regprocedure, md5(p.prosrc))
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE {_USER_SCHEMAS}
  UNION ALL SELECT 'trigger ' || pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal
  UNION ALL SELECT format('view %s %s', c.oid::regclass, pg_get_viewdef(c.oid))
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('v', 'm') AND {_USER_SCHEMAS}
  UNION ALL SELECT format('enum %s %s %s', enumtypid::regtype, enumsortorder, enumlabel) FROM pg_enum
  UNION ALL SELECT format('type %s %s', t.oid::regtype, t.typtype)
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype IN ('e', 'd', 'c', 'r') AND {_USER_SCHEMAS}
  UNION ALL SELECT 'extension ' || extname || ' ' || extversion FROM pg_extension
  UNION ALL SELECT 'setting ' || array_to_string(setconfig, ',') FROM pg_db_role_setting
    WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
  UNION ALL SELECT 'large objects ' || count(*) FROM pg_largeobject_metadata
) AS shape
"""
_TABLES = f"""
SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND {_USER_SCHEMAS} ORDER BY 1
"""
_SEQUENCES = f"""
SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'S' AND {_USER_SCHEMAS} ORDER BY 1
"""


class _ReusedDatabases:
    """Per worker, PostgreSQL databases each used by one test at a time and put back after it
    (`_reset`, in a subclass), so that no test pays the checkpoint of the whole server that a
    DROP DATABASE costs (PostgreSQL 15). One that cannot be put back is dropped, and the next
    test gets a new one (`_create`)."""

    prefix = "praxis_"

    def __init__(self) -> None:
        self.clean: list[str] = []
        self.admin = _admin_engine()

    def take(self) -> str:
        if self.clean:
            return self.clean.pop()
        name = f"{self.prefix}{uuid.uuid4().hex[:12]}"
        self._create(name)
        return name

    def give_back(self, name: str) -> None:
        try:
            self._empty(name)
        except (sa.exc.SQLAlchemyError, RuntimeError):  # not as it was after the emptying: a new one next time
            self._drop(name)
        else:
            self.clean.append(name)

    def close(self) -> None:
        for name in self.clean:
            self._drop(name)
        self.admin.dispose()

    def _drop(self, name: str) -> None:
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _empty(self, name: str) -> None:
        # Whatever the test left connected (a server it started, an engine it did not dispose)
        # goes first, with its locks and sessions.
        with self.admin.connect() as conn:
            conn.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
        engine = sa.create_engine(f"{PG_SERVER}/{name}", poolclass=sa.pool.NullPool)
        try:
            with engine.begin() as conn:
                conn.exec_driver_sql("SET LOCAL lock_timeout = '10s'")
                self._reset(conn, name)
        finally:
            engine.dispose()

    def _create(self, name: str) -> None:
        raise NotImplementedError

    def _reset(self, conn: sa.Connection, name: str) -> None:
        raise NotImplementedError


class TemplateCopies(_ReusedDatabases):
    """Per worker, copies of the migrated PostgreSQL template, each used by one test at a time and
    put back in the template's exact state after it: its rows deleted, the template's rows
    (migration seeds, alembic_version) written again, its sequences where the template's are.

    Creating a database for every test and dropping it after was a second or more per test on
    this machine's disk (DROP DATABASE checkpoints the whole server in PostgreSQL 15); emptying a
    copy costs a few milliseconds. A test that changed anything but rows (a table, an index, a
    function, a setting: `_SHAPE`), or whose copy cannot be emptied, has its copy dropped and the
    next test gets a new one. Planner statistics and pg_stat counters are not reset."""

    prefix = "praxis_t_"

    def __init__(self, template: str) -> None:
        super().__init__()
        self.template = template
        engine = sa.create_engine(f"{PG_SERVER}/{template}", poolclass=sa.pool.NullPool)
        with engine.connect() as conn:
            self.shape = conn.exec_driver_sql(_SHAPE).scalar()
            self.tables = list(conn.exec_driver_sql(_TABLES).scalars())
            self.rows = {
                table: list(conn.exec_driver_sql(f"SELECT row_to_json(t)::text FROM {table} AS t").scalars())
                for table in self.tables
            }
            self.sequences = {
                seq: tuple(conn.exec_driver_sql(f"SELECT last_value, is_called FROM {seq}").one())
                for seq in conn.exec_driver_sql(_SEQUENCES).scalars()
            }
        engine.dispose()

    def _create(self, name: str) -> None:
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')

    def _reset(self, conn: sa.Connection, name: str) -> None:
        if conn.exec_driver_sql(_SHAPE).scalar() != self.shape:
            raise RuntimeError(f"the test changed the shape of {name}")
        conn.exec_driver_sql("SET LOCAL session_replication_role = replica")  # no foreign-key order to follow
        for table in self.tables:
            conn.exec_driver_sql(f"DELETE FROM {table}")
        for table, rows in self.rows.items():
            for row in rows:
                conn.exec_driver_sql(
                    f"INSERT INTO {table} OVERRIDING SYSTEM VALUE SELECT * FROM json_populate_record(NULL::{table}, %s)",
                    (row,),
                )
        for seq, (last_value, is_called) in self.sequences.items():
            conn.exec_driver_sql("SELECT setval(%s, %s, %s)", (seq, last_value, is_called))


@pytest.fixture(scope="session")
def pg_copies(pg_template: str) -> Iterator[TemplateCopies]:
    copies = TemplateCopies(pg_template)
    yield copies
    copies.close()


class EmptyDatabases(_ReusedDatabases):
    """Per worker, empty PostgreSQL databases (as CREATE DATABASE makes them), each used by one
    test at a time and emptied after it: its schemas dropped and `public` made again as it was.

    Creating one for each test and dropping it after cost a checkpoint of the whole server at
    each drop (PostgreSQL 15), as for the template's copies (`TemplateCopies`). A database that
    differs from a new one after the emptying (`_SHAPE`: an extension, a setting, a large object
    left), or that cannot be emptied, is dropped and the next test gets a new one."""

    prefix = "praxis_e_"

    def __init__(self) -> None:
        super().__init__()
        self.shape: str | None = None

    def _create(self, name: str) -> None:
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        if self.shape is None:
            engine = sa.create_engine(f"{PG_SERVER}/{name}", poolclass=sa.pool.NullPool)
            with engine.connect() as conn:
                self.shape = conn.exec_driver_sql(_SHAPE).scalar()
            engine.dispose()

    def _reset(self, conn: sa.Connection, name: str) -> None:
        schemas = conn.exec_driver_sql(f"SELECT quote_ident(nspname) FROM pg_namespace WHERE {_USER_SCHEMAS}")
        for schema in list(schemas.scalars()):
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        # `public` as CREATE DATABASE makes it (PostgreSQL 15).
        conn.exec_driver_sql("CREATE SCHEMA public AUTHORIZATION pg_database_owner")
        conn.exec_driver_sql("GRANT USAGE ON SCHEMA public TO PUBLIC")
        conn.exec_driver_sql("COMMENT ON SCHEMA public IS 'standard public schema'")
        if conn.exec_driver_sql(_SHAPE).scalar() != self.shape:
            raise RuntimeError(f"{name} is not as new after the emptying")


@pytest.fixture(scope="session")
def pg_empties() -> Iterator[EmptyDatabases]:
    empties = EmptyDatabases()
    yield empties
    empties.close()


@contextmanager
def empty_pg_database(request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of an empty PostgreSQL database, as new (`EmptyDatabases`), for the block."""
    empties: EmptyDatabases = request.getfixturevalue("pg_empties")
    name = empties.take()
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        empties.give_back(name)


@contextmanager
def fresh_database(backend: str, data: Path, request: pytest.FixtureRequest) -> Iterator[str | None]:
    """A migrated, empty database: a copy of the SQLite template in `data` (URL None), or a
    PostgreSQL copy of the migrated template (TemplateCopies: in the template's state)."""
    if backend == "sqlite":
        data.mkdir(parents=True, exist_ok=True)
        shutil.copy(request.getfixturevalue("sqlite_template"), data / "praxis.db")
        yield None
        return
    copies: TemplateCopies = request.getfixturevalue("pg_copies")
    name = copies.take()
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        copies.give_back(name)


@dataclass
class SiteSnapshot:
    """A site's data as a builder left it, to give each test of a module a copy of one world
    built once per backend (`snapshot_site`, `restore_site`) rather than built again: its data
    directory (on SQLite, the database and its search index) and, on PostgreSQL, each table's
    rows (the search index's among them) and each sequence's place."""

    data: Path
    rows: dict[str, str]
    sequences: dict[str, tuple[int, bool]]


def snapshot_site(data: Path, url: str | None, into: Path) -> SiteSnapshot:
    """The data of a closed site (its indexer closed and its engine disposed): `data` copied
    into `into`, and the rows of its PostgreSQL database (`url`) when it has one."""
    data.mkdir(parents=True, exist_ok=True)  # on PostgreSQL, a site may have written no file
    shutil.copytree(data, into)
    rows: dict[str, str] = {}
    sequences: dict[str, tuple[int, bool]] = {}
    if url is not None:
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        with engine.connect() as conn:
            for table in list(conn.exec_driver_sql(_TABLES).scalars()):
                rows[table] = conn.exec_driver_sql(
                    f"SELECT coalesce(json_agg(t), '[]')::text FROM {table} AS t"
                ).scalar()
            for seq in list(conn.exec_driver_sql(_SEQUENCES).scalars()):
                last_value, is_called = conn.exec_driver_sql(f"SELECT last_value, is_called FROM {seq}").one()
                sequences[seq] = (last_value, is_called)
        engine.dispose()
    return SiteSnapshot(into, rows, sequences)


def restore_site(snapshot: SiteSnapshot, data: Path, url: str | None) -> None:
    """Make a fresh site (`fresh_database`: its data directory `data`, its database `url`)
    hold exactly what `snapshot` holds, before any app opens it."""
    shutil.copytree(snapshot.data, data, dirs_exist_ok=True)
    if url is None:
        return
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")  # no foreign-key order to follow
            for table in snapshot.rows:
                conn.exec_driver_sql(f"DELETE FROM {table}")
            for table, rows in snapshot.rows.items():
                conn.exec_driver_sql(
                    f"INSERT INTO {table} OVERRIDING SYSTEM VALUE SELECT * FROM json_populate_recordset(NULL::{table}, %s)",
                    (rows,),
                )
            for seq, (last_value, is_called) in snapshot.sequences.items():
                conn.exec_driver_sql("SELECT setval(%s, %s, %s)", (seq, last_value, is_called))
    finally:
        engine.dispose()


def site_settings(data: Path, url: str | None) -> Settings:
    """A test site's settings: its data directory and database, cheap passwords."""
    return Settings(
        data_dir=data,
        database_url=url,
        secret_key="test-secret-key",
        content_dir=data.parent / "no-content",
        site_url="https://praxis.example.org",
        site_name="Praxis",
        **CHEAP_PASSWORDS,
    )


class WorldSnapshots:
    """One world per backend built once for a module by `build` (given the app of a site of its
    own and a session on it, it returns what the tests need to know of the world) and kept as a `SiteSnapshot`, each
    test that asks for it getting a fresh site holding a copy (`restore`): for tests that write
    to a world, which could not share one. The world is built as a test's `app` and `session`
    would build it (an app whose lifespan has not run: on SQLite, its search index is built by
    the first lifespan from what the database holds and queues)."""

    def __init__(self, request: pytest.FixtureRequest, tmp: Path, build: Callable[[Any, Session], Any]) -> None:
        self.request, self.tmp, self.build = request, tmp, build
        self.built: dict[str, tuple[Any, SiteSnapshot]] = {}

    def restore(self, backend: str, data: Path, url: str | None) -> Any:
        """What `build` returned, once `data` and `url` hold a copy of its world."""
        if backend not in self.built:
            self.built[backend] = self._build(backend)
        made, snapshot = self.built[backend]
        restore_site(snapshot, data, url)
        return made

    def _build(self, backend: str) -> tuple[Any, SiteSnapshot]:
        site = self.tmp / f"built-{backend}"
        with fresh_database(backend, site / "data", self.request) as url:
            application = create_app(site_settings(site / "data", url))
            try:
                with new_session(application.state.engine, application.state.settings, write=True) as s:
                    made = self.build(application, s)
                    s.commit()
            finally:
                application.state.search.close()
                application.state.engine.dispose()
            return made, snapshot_site(site / "data", url, self.tmp / f"snapshot-{backend}")


@pytest.fixture
def database_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str | None]:
    """None for SQLite (the data dir's file), or the URL of a fresh PostgreSQL database. A test
    module with a `world_snapshots` fixture (`WorldSnapshots`) gives its world, restored into
    this database, to those of its tests that ask for `snapshot_world`; when it gives several
    worlds by fixture name, a test gets the first one whose fixture it uses."""
    with fresh_database(backend, tmp_path / "data", request) as url:
        if "snapshot_world" in request.fixturenames:
            snapshots: WorldSnapshots | dict[str, WorldSnapshots] = request.getfixturevalue("world_snapshots")
            if isinstance(snapshots, dict):
                snapshots = next(snapshots[name] for name in snapshots if name in request.fixturenames)
            request.node.stash[_RESTORED] = snapshots.restore(backend, tmp_path / "data", url)
        yield url


_RESTORED = pytest.StashKey[Any]()


@pytest.fixture
def snapshot_world(app: Any, request: pytest.FixtureRequest) -> Any:
    """What the module's `world_snapshots` builder returned, its world restored into this
    test's site (`database_url`)."""
    return request.node.stash[_RESTORED]


@pytest.fixture
def unmigrated_database_url(backend: str, request: pytest.FixtureRequest) -> Iterator[str | None]:
    """None for SQLite (a fresh data dir makes its own), or an empty PostgreSQL database."""
    if backend == "sqlite":
        yield None
        return
    with empty_pg_database(request) as url:
        yield url


@pytest.fixture
def second_site(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[sa.Engine]:
    """A second empty, migrated database on the same backend, for round trips."""
    with fresh_database(backend, tmp_path / "second", request) as url:
        engine = make_engine(Settings(data_dir=tmp_path / "second", database_url=url, secret_key="x"))
        yield engine
        engine.dispose()


@pytest.fixture
def settings(tmp_path: Path, database_url: str | None) -> Settings:
    return site_settings(tmp_path / "data", database_url)


@pytest.fixture
def app(settings: Settings):  # type: ignore[no-untyped-def]
    application = create_app(settings)
    yield application
    # A test that wrote without a client's lifespan started the indexing thread: stop it before its
    # database goes (closing twice, after a lifespan, does nothing more).
    application.state.search.close()
    application.state.engine.dispose()


@contextmanager
def shared_site(
    backend: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest, **overrides: Any
) -> Iterator[tuple]:  # type: ignore[type-arg]
    """One app on `backend`, its test client and a writing session, for a module's fixture
    (`overrides`: settings of its own, such as no page cache)."""
    tmp = tmp_path_factory.mktemp("shared")
    with fresh_database(backend, tmp / "data", request) as url:
        shared = Settings(
            data_dir=tmp / "data",
            database_url=url,
            secret_key="test-secret-key",
            content_dir=tmp / "no-content",
            site_url="https://praxis.example.org",
            site_name="Praxis",
            **CHEAP_PASSWORDS,
            **overrides,
        )
        application = create_app(shared)
        with (
            TestClient(application, base_url="https://testserver") as c,
            new_session(application.state.engine, shared, write=True) as s,
        ):
            yield application, c, s
        application.state.search.close()
        application.state.engine.dispose()


@pytest.fixture(scope="module")
def shared_app(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[tuple]:  # type: ignore[type-arg]
    """One app, its test client and a session, on the first backend, built once for a module's
    tests that only read what a module fixture wrote in it (a test that writes takes `app`)."""
    with shared_site(BACKENDS[0], tmp_path_factory, request) as shared:
        yield shared


@pytest.fixture(scope="module", params=BACKENDS)
def shared_app_each_backend(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[tuple]:  # type: ignore[type-arg]
    """`shared_app` on each backend, for a module's read-only tests where SQL can differ (who
    sees what): built once per module and backend rather than once per test."""
    with shared_site(request.param, tmp_path_factory, request) as shared:
        yield shared


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app, base_url="https://testserver") as c:
        yield c


@pytest.fixture
def session(app) -> Iterator[Session]:  # type: ignore[no-untyped-def]
    """A database session on the test site; tests commit what they write."""
    s = new_session(app.state.engine, app.state.settings, write=True)
    yield s
    s.rollback()
    s.close()


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A real SMTP server for the test (tests/servers.py), empty at first."""
    with smtp_server() as server:
        yield server


def pytest_configure(config: pytest.Config) -> None:
    # Each test's app (engine, templates, routes' state) is garbage in reference cycles, freed by
    # the collector's oldest generation, whose every pass goes through the whole heap of a worker
    # (400 000 objects and more). Collecting after 10 000 allocations rather than 700 makes those
    # passes rarer: in the page and API tests, 14 full passes became 4, and the collector's time
    # went from about 3.8 s to 2 s in 117 tests (7 % of their CPU). What is collected is the same.
    gc.set_threshold(10_000, 10, 10)


# Files whose tests take tens of seconds each besides those with a test marked `slow` (real
# servers killed and restarted): the Nu checker's crawl, then the browser's.
LONGEST_FILES = ("tests/pages/test_html_validity.py",)
LONG_FILES = ("tests/browser/",)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The files with the longest tests run first, each whole and in its order, the rest after
    as collected: on two workers, a long test met last keeps one worker busy while the other idles."""
    rank: dict[object, int] = {}
    for item in items:
        if item.get_closest_marker("slow") or any(item.nodeid.startswith(f) for f in LONGEST_FILES):
            rank[item.path] = 0
        elif any(item.nodeid.startswith(f) for f in LONG_FILES):
            rank.setdefault(item.path, 1)
    items.sort(key=lambda item: rank.get(item.path, 2))  # stable: each group keeps its order
