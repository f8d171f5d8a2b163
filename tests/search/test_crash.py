"""A server killed in the middle of writing: after a restart, database and index agree."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.cli.test_serve import _serve

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "mot-de-passe-crash"


def _env(tmp_path: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRAXIS_")}
    env.update(PRAXIS_DATA_DIR=str(tmp_path / "data"), PRAXIS_CONTENT_DIR=str(tmp_path / "no-content"),
               PRAXIS_PASSWORD=PASSWORD, PRAXIS_SECRET_KEY="crash-test")
    if database_url:
        env["PRAXIS_DATABASE_URL"] = database_url
    return env


def _write_until_stopped(base: str, headers: dict[str, str], stop: threading.Event, done: list[str]) -> None:
    """Create and edit notes as fast as the server answers, until it dies."""
    n = 0
    with httpx.Client(base_url=base, headers=headers, timeout=10) as http:
        while not stop.is_set():
            n += 1
            try:
                created = http.post("/api/v1/notes", json={"title": f"Compte rendu {n}", "body": f"Rencontre numéro {n}."})
                if created.status_code == 201 and n % 3 == 0:
                    note = created.json()
                    http.patch(f"/api/v1/notes/{note['id']}", json={"base_revision": 1, "title": f"Compte rendu révisé {n}"})
                if created.status_code == 201 and n % 5 == 0:
                    http.delete(f"/api/v1/notes/{created.json()['id']}")
                done.append(str(n))
            except httpx.HTTPError:
                return


def _kill_while_writing(tmp_path: Path, env: dict[str, str], seconds: float) -> None:
    proc, base = _serve(tmp_path, env)
    token = httpx.post(base + "/api/v1/auth/token", json={"username": "admin", "password": PASSWORD}).json()["access_token"]
    stop, done = threading.Event(), []
    writers = [threading.Thread(target=_write_until_stopped, args=(base, {"Authorization": f"Bearer {token}"}, stop, done))
               for _ in range(3)]
    for w in writers:
        w.start()
    time.sleep(seconds)
    proc.send_signal(signal.SIGKILL)  # no shutdown, no cleanup: a power cut
    proc.wait(timeout=10)
    stop.set()
    for w in writers:
        w.join(timeout=15)
    assert len(done) > 5, "the server wrote too little before the kill to test anything"


@pytest.mark.slow
def test_database_and_index_agree_after_the_server_is_killed_mid_write(tmp_path, unmigrated_database_url):
    env = _env(tmp_path, unmigrated_database_url)
    created = subprocess.run([sys.executable, "-m", "praxis", "user", "create", "admin", "--admin"],
                             cwd=tmp_path, env=env, capture_output=True, text=True)
    assert created.returncode == 0, created.stderr
    for seconds in (1.5, 2.5):
        _kill_while_writing(tmp_path, env, seconds)

    proc, base = _serve(tmp_path, env)  # the restart applies what the kill left queued
    try:
        token = httpx.post(base + "/api/v1/auth/token", json={"username": "admin", "password": PASSWORD}).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        in_database: dict[str, str] = {}
        page = 1
        while True:
            listed = httpx.get(base + "/api/v1/notes", params={"per_page": 100, "page": page}, headers=headers).json()
            in_database.update({item["id"]: item["title"] for item in listed["items"]})
            if page * 100 >= listed["total"]:
                break
            page += 1
        in_index: dict[str, str] = {}
        page = 1
        while True:
            found = httpx.get(base + "/api/v1/search", params={"q": "compte", "per_page": 100, "page": page}, headers=headers).json()
            in_index.update({item["id"]: item["title"] for item in found["items"]})
            if page * 100 >= found["total"]:
                break
            page += 1
        assert in_database, "nothing was written"
        assert in_index == in_database
        # Revised titles are found by their new words, and only those notes.
        revised = {i for i, t in in_database.items() if "révisé" in t}
        found = httpx.get(base + "/api/v1/search", params={"q": "révisé", "per_page": 100}, headers=headers).json()
        assert {item["id"] for item in found["items"]} == revised and found["total"] == len(revised)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=20)
