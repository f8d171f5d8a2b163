"""PostgreSQL: a worker whose connections are all in use tells the client to retry (503 with
Retry-After, after PRAXIS_DB_POOL_TIMEOUT), never a 500; nothing is lost."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from praxis.app import create_app
from praxis.config import Settings
from praxis.db import make_engine, new_session
from tests.conftest import pg_database
from tests.factories import CHEAP_PASSWORDS, make_user, token_for


@pytest.fixture
def pg_settings(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Settings]:
    """A migrated PostgreSQL site (a pool of connections is PostgreSQL's: SQLite opens its file)."""
    with pg_database(request.getfixturevalue("pg_template")) as url:
        yield Settings(
            data_dir=tmp_path / "data",
            database_url=url,
            secret_key="pool-test",
            content_dir=tmp_path / "none",
            **CHEAP_PASSWORDS,
        )


def test_a_request_that_finds_no_free_connection_is_503_with_retry_after(pg_settings):
    settings = pg_settings
    engine = make_engine(settings)
    with new_session(engine, settings, write=True) as session:
        make_user(session, "alice")
    engine.dispose()
    app = create_app(settings.model_copy(update={"db_pool_size": 3, "db_max_overflow": 0, "db_pool_timeout": 0.3}))
    try:
        with TestClient(app, base_url="https://testserver", raise_server_exceptions=False) as client:
            headers = token_for(client, "alice")
            held = [app.state.engine.connect() for _ in range(3)]  # every connection, as long requests would hold them
            try:
                for busy in (
                    client.post("/api/v1/notes", json={"title": "En attente"}, headers=headers),
                    client.get("/api/v1/notes"),  # a visitor's read: the page cache asks for a connection first
                    client.get("/"),
                ):
                    assert busy.status_code == 503 and busy.headers["retry-after"] == "2", busy.text
                assert "try again" in client.get("/api/v1/notes", headers=headers).json()["detail"]
            finally:
                for conn in held:
                    conn.close()
            assert client.post("/api/v1/notes", json={"title": "En attente"}, headers=headers).status_code == 201
            assert client.get("/api/v1/notes").json()["total"] == 1
            assert client.get("/api/v1/search", params={"q": "attente"}).json()["total"] == 1  # indexed: 3 are enough
    finally:
        app.state.engine.dispose()


def test_the_pool_and_prepared_statements_follow_the_settings(pg_settings):
    settings = pg_settings
    engine = make_engine(
        settings.model_copy(
            update={
                "db_pool_size": 3,
                "db_max_overflow": 4,
                "db_pool_timeout": 2.5,
                "db_prepared_statements": False,
            }
        )
    )
    try:
        assert (engine.pool.size(), engine.pool._max_overflow, engine.pool._timeout) == (3, 4, 2.5)  # type: ignore[attr-defined]
        with engine.connect() as conn:  # behind pgbouncer in transaction mode, nothing is prepared server-side
            assert conn.connection.dbapi_connection.prepare_threshold is None  # type: ignore[union-attr]
    finally:
        engine.dispose()


def test_a_pool_too_small_for_a_write_and_its_indexing_is_refused_at_start():
    with pytest.raises(ValueError, match="at least 3"):
        Settings(db_pool_size=2, db_max_overflow=0)
    assert Settings(db_pool_size=1, db_max_overflow=2).db_pool_size == 1
