"""Running a site: structured request logs, readiness, and a graceful stop that lets the requests
in flight finish."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from praxis.config import Settings
from praxis.db import make_engine
from praxis.models import SearchQueue
from praxis.search.postgres_index import DOCS
from tests.conftest import one_database
from tests.factories import bearer_at
from tests.servers import serve, wait_until

PASSWORD = "mot-de-passe-operations"


def _env(tmp_path: Path, database_url: str | None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRAXIS_")}
    env.update(
        PRAXIS_DATA_DIR=str(tmp_path / "data"),
        PRAXIS_CONTENT_DIR=str(tmp_path / "no-content"),
        PRAXIS_PASSWORD=PASSWORD,
        PRAXIS_SECRET_KEY="operations-test-secret",
        **extra,
    )
    if database_url:
        env["PRAXIS_DATABASE_URL"] = database_url
    return env


def _token(base: str) -> dict[str, str]:
    return bearer_at(base, "admin", PASSWORD)


def _create_admin(tmp_path: Path, env: dict[str, str]) -> None:
    made = subprocess.run(
        [sys.executable, "-m", "praxis", "user", "create", "admin", "--admin"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr


@one_database  # the server's log lines: no SQL in what is checked
@pytest.mark.slow
def test_each_request_is_logged_as_one_json_line_with_its_timing(tmp_path, unmigrated_database_url):
    env = _env(tmp_path, unmigrated_database_url, PRAXIS_LOG_FORMAT="json")
    server = serve(tmp_path, env)
    base = server.base
    try:
        answered = httpx.get(base + "/api/v1/notes", headers={"X-Request-ID": "essai-42"})
        assert answered.status_code == 200 and answered.headers["x-request-id"] == "essai-42"
        missing = httpx.get(base + "/n/inexistante/")
        assert missing.status_code == 404 and len(missing.headers["x-request-id"]) == 16
    finally:
        out = server.stop()
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    requests = {line["request_id"]: line for line in lines if line["message"] == "request"}
    first = requests["essai-42"]
    assert first["method"] == "GET" and first["path"] == "/api/v1/notes" and first["status"] == 200
    assert isinstance(first["duration_ms"], float) and first["duration_ms"] > 0 and first["bytes"] > 0
    assert first["client"] == "127.0.0.1" and first["level"] == "info" and first["time"].endswith("+00:00")
    assert requests[missing.headers["x-request-id"]]["status"] == 404
    # The server's own lines are JSON too, and no plain access-log line repeats the requests.
    assert any("Application startup complete" in line["message"] for line in lines)
    assert not [line for line in out.splitlines() if '"GET /api/v1/notes HTTP/1.1"' in line]


def _takes_requests(base: str) -> bool:
    """Whether the server still accepts a new request (any answer at all)."""
    try:
        httpx.get(base + "/healthz", timeout=2)
    except httpx.TransportError:
        return False
    return True


# The server's shutdown; what a kill leaves of acknowledged writes on each backend is tried in
# tests/search/test_crash.py.
@one_database
@pytest.mark.slow
def test_a_stop_lets_the_request_in_flight_finish_and_refuses_new_ones(tmp_path, unmigrated_database_url):
    env = _env(tmp_path, unmigrated_database_url)
    _create_admin(tmp_path, env)
    server = serve(tmp_path, env)
    base = server.base
    headers = _token(base)
    halfway, refusing = threading.Event(), threading.Event()
    text = "Une note envoyée lentement, morceau par morceau, pendant l'arrêt du serveur. " * 20

    def slowly() -> object:
        payload = json.dumps({"title": "Envoi lent", "body": text}).encode("utf-8")
        for i in range(0, len(payload), 256):
            if i == 512:
                halfway.set()  # the request is in flight
                refusing.wait(30)  # the rest is sent once the stopping server refuses new connections
            yield payload[i : i + 256]

    result: dict[str, httpx.Response] = {}
    sender = threading.Thread(
        target=lambda: result.setdefault(
            "saved",
            httpx.post(
                base + "/api/v1/notes",
                headers={**headers, "Content-Type": "application/json"},
                content=slowly(),
                timeout=30,
            ),
        )
    )
    sender.start()
    assert halfway.wait(30), "the slow request never started"
    server.proc.send_signal(signal.SIGTERM)
    wait_until(lambda: not _takes_requests(base), message="the server still took new requests after SIGTERM")
    refusing.set()
    with pytest.raises(httpx.TransportError):
        httpx.get(base + "/healthz", timeout=2)  # no new request once stopping
    sender.join(timeout=30)
    out = server.stop(None)  # SIGTERM is sent: only wait for the end
    # Uvicorn ends by re-raising the signal it was stopped with, once everything is closed.
    assert server.returncode in (0, -signal.SIGTERM) and "Application shutdown complete" in out, out
    assert result["saved"].status_code == 201, result["saved"].text
    note_id = result["saved"].json()["id"]

    server = serve(tmp_path, env)  # what was acknowledged during the stop is kept
    try:
        kept = httpx.get(f"{server.base}/api/v1/notes/{note_id}")
        assert kept.status_code == 200 and kept.json()["body"] == text
    finally:
        server.stop()


def test_readiness_fails_when_the_search_index_is_gone(app, client):
    assert client.get("/readyz").status_code == 200
    if app.state.settings.resolved_search_backend != "whoosh":
        with app.state.engine.begin() as conn:
            conn.exec_driver_sql(f"DROP TABLE {DOCS}")
    else:
        app.state.search.close()
        shutil.rmtree(app.state.settings.data_dir / "search")
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.json() == {"status": "unavailable", "database": "ok", "search": "missing"}
    assert client.get("/healthz").status_code == 200  # the process itself is up


def test_readiness_fails_when_the_database_is_unreachable(tmp_path):
    from praxis.app import create_app
    from praxis.config import Settings
    from praxis.db import make_engine, upgrade
    from tests.conftest import _admin_engine, pg_database

    with pg_database() as url:
        engine = make_engine(Settings(database_url=url, secret_key="x"))
        upgrade(engine)
        engine.dispose()
        app = create_app(
            Settings(data_dir=tmp_path / "data", database_url=url, secret_key="x", content_dir=tmp_path / "none")
        )
        with TestClient(app) as client:
            assert client.get("/readyz").status_code == 200
            admin = _admin_engine()
            with admin.connect() as conn:  # the database goes away under the running site
                conn.exec_driver_sql(f'DROP DATABASE "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
            admin.dispose()
            ready = client.get("/readyz")
            assert ready.status_code == 503 and ready.json() == {
                "status": "unavailable",
                "database": "OperationalError",
            }
            assert client.get("/healthz").status_code == 200
        app.state.engine.dispose()


def _indexing_processes(parent: int) -> list[int]:
    """The `praxis indexer` processes `parent` started."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
        if ppid == parent and b"indexer" in command:
            found.append(int(entry.name))
    return found


@pytest.mark.slow
def test_a_process_beside_the_workers_indexes_writes_and_is_started_again_if_it_dies(tmp_path, unmigrated_database_url):
    env = _env(tmp_path, unmigrated_database_url)
    _create_admin(tmp_path, env)
    settings = Settings(data_dir=tmp_path / "data", database_url=unmigrated_database_url, secret_key="x")
    engine = make_engine(settings)

    def queued() -> int:
        with engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(SearchQueue)).scalar_one()

    server = serve(tmp_path, env)
    base = server.base
    try:
        headers = _token(base)
        [first] = wait_until(lambda: _indexing_processes(server.pid))
        made = httpx.post(
            base + "/api/v1/notes",
            headers=headers,
            json={"title": "Semis de printemps", "body": "Les semis du jardin partagé commencent en mars."},
        )
        assert made.status_code == 201
        wait_until(lambda: queued() == 0)  # indexed with no search asking for it
        os.kill(first, signal.SIGKILL)
        [second] = wait_until(lambda: [p for p in _indexing_processes(server.pid) if p != first])
        again = httpx.post(
            base + "/api/v1/notes",
            headers=headers,
            json={"title": "Récolte d'automne", "body": "La récolte du jardin partagé se fait en octobre."},
        )
        assert again.status_code == 201
        wait_until(lambda: queued() == 0)
        found = httpx.get(base + "/api/v1/search", params={"q": "jardin partagé"}).json()
        assert {r["id"] for r in found["items"]} == {made.json()["id"], again.json()["id"]}
    finally:
        server.stop(signal.SIGTERM, timeout=60)
        engine.dispose()
    assert not Path(f"/proc/{second}").exists()  # stopped with the server
