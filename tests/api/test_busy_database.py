"""When SQLite's write lock is held too long, a write is told to retry (503), and nothing is lost."""

import shutil
import sqlite3

from fastapi.testclient import TestClient

from praxis.app import create_app
from praxis.config import Settings
from praxis.db import new_session
from tests.factories import make_user, token_for


def test_a_write_that_cannot_get_the_lock_is_503_with_retry_after(tmp_path, sqlite_template):
    (tmp_path / "data").mkdir()
    shutil.copy(sqlite_template, tmp_path / "data" / "praxis.db")
    settings = Settings(data_dir=tmp_path / "data", secret_key="k", sqlite_busy_ms=200, content_dir=tmp_path / "none")
    app = create_app(settings)
    with new_session(app.state.engine, settings, write=True) as session:
        make_user(session, "alice")
    with TestClient(app, base_url="https://testserver") as client:
        headers = token_for(client, "alice")
        holder = sqlite3.connect(settings.data_dir / "praxis.db", isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            busy = client.post("/api/v1/notes", json={"title": "En attente"}, headers=headers)
            assert busy.status_code == 503 and busy.headers["retry-after"] == "2"
            assert "try again" in busy.json()["detail"]
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        retried = client.post("/api/v1/notes", json={"title": "En attente"}, headers=headers)
        assert retried.status_code == 201
        assert client.get("/api/v1/notes").json()["total"] == 1
    app.state.engine.dispose()
