"""When SQLite's write lock is held too long, a write is told to retry (503), and nothing is lost."""

from tests.factories import sqlite_site_with_alice


def test_a_write_that_cannot_get_the_lock_is_503_with_retry_after(tmp_path, sqlite_template):
    with sqlite_site_with_alice(tmp_path, sqlite_template) as (client, headers, holder):
        holder.execute("BEGIN IMMEDIATE")
        try:
            busy = client.post("/api/v1/notes", json={"title": "En attente"}, headers=headers)
            assert busy.status_code == 503 and busy.headers["retry-after"] == "2"
            assert "try again" in busy.json()["detail"]
        finally:
            holder.execute("ROLLBACK")
        retried = client.post("/api/v1/notes", json={"title": "En attente"}, headers=headers)
        assert retried.status_code == 201
        assert client.get("/api/v1/notes").json()["total"] == 1
