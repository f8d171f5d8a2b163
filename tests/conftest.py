"""A temp site per test, on SQLite and again on PostgreSQL.

Migrations run once per backend and worker into a template (a SQLite file, a PostgreSQL
template database); each test gets a fresh copy of it.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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


@contextmanager
def fresh_database(backend: str, data: Path, request: pytest.FixtureRequest) -> Iterator[str | None]:
    """A migrated, empty database: a copy of the SQLite template in `data` (URL None), or a
    PostgreSQL database cloned from the migrated template."""
    if backend == "sqlite":
        data.mkdir(parents=True, exist_ok=True)
        shutil.copy(request.getfixturevalue("sqlite_template"), data / "praxis.db")
        yield None
        return
    with pg_database(request.getfixturevalue("pg_template")) as url:
        yield url


@pytest.fixture
def database_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str | None]:
    """None for SQLite (the data dir's file), or the URL of a fresh PostgreSQL database."""
    with fresh_database(backend, tmp_path / "data", request) as url:
        yield url


@pytest.fixture
def unmigrated_database_url(backend: str) -> Iterator[str | None]:
    """None for SQLite (a fresh data dir makes its own), or an empty PostgreSQL database."""
    if backend == "sqlite":
        yield None
        return
    with pg_database() as url:
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
    return Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        secret_key="test-secret-key",
        content_dir=tmp_path / "no-content",
        site_url="https://praxis.example.org",
        site_name="Praxis",
        **CHEAP_PASSWORDS,
    )


@pytest.fixture
def app(settings: Settings):  # type: ignore[no-untyped-def]
    application = create_app(settings)
    yield application
    # A test that wrote without a client's lifespan started the indexing thread: stop it before its
    # database goes (closing twice, after a lifespan, does nothing more).
    application.state.search.close()
    application.state.engine.dispose()


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
