"""Two `praxis serve` processes, as two hosts would run them: each its own data folder, one
PostgreSQL database and one PRAXIS_SECRET_KEY between them. Whatever one acknowledges, the
other sees at once; nothing either keeps for itself makes them disagree."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from email import message_from_bytes, policy
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from sqlmodel import Session

from praxis.cli import shared_database_warnings
from praxis.config import Settings
from praxis.db import make_engine
from praxis.services import mail
from tests.cli.test_serve import _free_port
from tests.conftest import BACKENDS, pg_database

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif("postgres" not in BACKENDS, reason="several servers share one PostgreSQL database"),
]

SECRET = "une-clé-partagée-par-tous-les-serveurs-de-ce-site-0123456789"
PASSWORD = "mot-de-passe-partagé"


class Inbox:
    """What the SMTP server received, a little slowly (so both drains are busy at once)."""

    def __init__(self) -> None:
        self.subjects: list[str] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]  # aiosmtpd's hook
        time.sleep(0.01)
        subject = str(message_from_bytes(envelope.original_content, policy=policy.default)["Subject"])
        with self.lock:
            self.subjects.append(subject)
        return "250 OK"


class Server:
    """One `praxis serve` process, its output in a file (a pipe left unread would fill up)."""

    def __init__(self, folder: Path, env: dict[str, str]) -> None:
        folder.mkdir()
        self.log = folder / "serve.log"
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        with self.log.open("w") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "praxis", "serve", "--port", str(self.port)],
                cwd=folder, env={**env, "PRAXIS_DATA_DIR": str(folder / "data")}, stdout=out, stderr=subprocess.STDOUT,
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_ready(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"praxis serve exited early:\n{self.output()}")
            try:
                if httpx.get(f"{self.base}/readyz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"praxis serve did not start in time:\n{self.output()}")

    def stop(self) -> str:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.output()


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def site(tmp_path: Path, smtp: tuple[Inbox, int]) -> Iterator[tuple[Server, Server, str]]:
    """Two servers started at the same moment on one new, empty PostgreSQL database: they take
    turns to migrate it and build its search index, then both drain the outbox."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRAXIS_")}
    with pg_database() as url:
        env.update(
            PRAXIS_DATABASE_URL=url, PRAXIS_SECRET_KEY=SECRET, PRAXIS_SITE_URL="http://praxis.example.org",
            PRAXIS_SMTP_URL=f"smtp://127.0.0.1:{smtp[1]}?tls=none", PRAXIS_MAIL_INTERVAL="0.2",
            # An empty site stays empty (the sample site would be found wherever the servers start).
            PRAXIS_CONTENT_DIR=str(tmp_path / "empty-content"),
        )
        (tmp_path / "empty-content").mkdir()
        a, b = Server(tmp_path / "a", env), Server(tmp_path / "b", env)
        try:
            deadline = time.monotonic() + 60
            a.wait_ready(deadline)
            b.wait_ready(deadline)
            yield a, b, url
        finally:
            outputs = [a.stop(), b.stop()]
        for server, out in zip((a, b), outputs):
            assert server.proc.returncode == 0 and "Traceback" not in out and "Warning" not in out, out
        assert not (tmp_path / "a" / "data" / "secret_key").exists()  # the shared key, never a local one


def _register(base: str, username: str, email: str) -> dict[str, str]:
    created = httpx.post(f"{base}/api/v1/auth/register", json={"username": username, "password": PASSWORD, "email": email})
    assert created.status_code == 201, created.text
    token = httpx.post(f"{base}/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    assert token.status_code == 200, token.text
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


def _csrf(html: str) -> str:
    marker = 'name="csrf_token" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def test_two_servers_on_one_database_agree(site, smtp):  # type: ignore[no-untyped-def]
    a, b, url = site
    inbox, _ = smtp

    # An account made on A signs in on B; a token from B works on A; a session cookie and a form
    # token from one are good on the other.
    alice = _register(a.base, "alice", "alice@exemple.org")
    assert httpx.get(f"{b.base}/api/v1/me", headers=alice).json()["username"] == "alice"
    bob = _register(b.base, "bob", "bob@exemple.org")
    assert httpx.get(f"{a.base}/api/v1/me", headers=bob).json()["username"] == "bob"
    form = httpx.get(f"{a.base}/login")
    signed_in = httpx.post(f"{b.base}/login", cookies=form.cookies, follow_redirects=False,
                           data={"username": "alice", "password": PASSWORD, "csrf_token": _csrf(form.text), "next": "/"})
    assert signed_in.status_code == 303, signed_in.text
    me = httpx.get(f"{a.base}/api/v1/me", cookies={"praxis_session": signed_in.cookies["praxis_session"]})
    assert me.status_code == 200 and me.json()["username"] == "alice"

    # Written on A: read and found on B at once.
    created = httpx.post(f"{a.base}/api/v1/notes", headers=alice,
                         json={"title": "Mutualisation des cuisines collectives", "body": "Un inventaire partagé."})
    assert created.status_code == 201, created.text
    note = created.json()["id"]
    assert httpx.get(f"{b.base}/api/v1/notes/{note}").json()["title"] == "Mutualisation des cuisines collectives"
    found = httpx.get(f"{b.base}/api/v1/search", params={"q": "cuisines mutualisation"}).json()
    assert [item["id"] for item in found["items"]] == [note]

    # A change from a revision the other server has moved past is a 409 on either.
    assert httpx.patch(f"{b.base}/api/v1/notes/{note}", headers=alice, json={"base_revision": 1, "body": "B."}).status_code == 200
    for server in (a, b):
        stale = httpx.patch(f"{server.base}/api/v1/notes/{note}", headers=alice, json={"base_revision": 1, "body": "Périmé."})
        assert stale.status_code == 409 and stale.json()["current_revision"] == 2

    # Saves racing from both servers: every acknowledged one is a revision, numbered without gap.
    acknowledged: dict[int, str] = {}
    writers, saves = 6, 2
    start = threading.Barrier(writers)

    def save(writer: int) -> list[tuple[int, str]]:
        base = (a, b)[writer % 2].base
        done: list[tuple[int, str]] = []
        with httpx.Client(base_url=base, headers=alice, timeout=30) as client:
            start.wait()
            attempt, deadline = 0, time.monotonic() + 30
            while len(done) < saves and time.monotonic() < deadline:
                attempt += 1
                current = client.get(f"/api/v1/notes/{note}").json()["revision"]
                body = f"Version {writer}.{attempt}, écrite sur {'AB'[writer % 2]}."
                saved = client.patch(f"/api/v1/notes/{note}", json={"base_revision": current, "body": body})
                assert saved.status_code in (200, 409), saved.text
                if saved.status_code == 200:
                    assert saved.json()["revision"] == current + 1
                    done.append((saved.json()["revision"], body))
        return done

    with ThreadPoolExecutor(writers) as pool:
        for results in pool.map(save, range(writers)):
            for number, body in results:
                assert number not in acknowledged, "two saves acknowledged as the same revision"
                acknowledged[number] = body
    assert len(acknowledged) == writers * saves
    for server in (a, b):
        history = httpx.get(f"{server.base}/api/v1/notes/{note}/revisions", headers=alice).json()
        assert sorted(r["number"] for r in history) == list(range(1, 3 + writers * saves))
    for number, body in acknowledged.items():
        assert httpx.get(f"{(a, b)[number % 2].base}/api/v1/notes/{note}/revisions/{number}", headers=alice).json()["body"] == body

    # A rate limit counts what both servers let through, even at the same instant (5 messages an hour).
    go = threading.Barrier(12)

    def contact(i: int) -> int:
        go.wait()
        return httpx.post(f"{(a, b)[i % 2].base}/api/v1/notes/{note}/contact", headers=bob, timeout=30,
                          json={"subject": f"Question {i}", "message": "Bonjour !"}).status_code

    with ThreadPoolExecutor(12) as pool:
        answers = Counter(pool.map(contact, range(12)))
    assert answers == {202: 5, 429: 7}
    for server in (a, b):
        later = httpx.post(f"{server.base}/api/v1/notes/{note}/contact", headers=bob, json={"subject": "Encore", "message": "?"})
        assert later.status_code == 429 and int(later.headers["Retry-After"]) > 0

    # Both servers drain the outbox every 0.2 s: each mail leaves exactly once.
    engine = make_engine(Settings(database_url=url))
    try:
        with Session(engine) as session:
            for i in range(40):
                mail.enqueue(session, to=f"membre{i}@exemple.org", subject=f"Courrier {i}", text="Bonjour.", html="<p>Bonjour.</p>")
            session.commit()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                waiting = conn.exec_driver_sql("SELECT count(*) FROM outgoing_mail WHERE sent_at IS NULL").scalar()
            if not waiting:
                break
            time.sleep(0.1)
        assert waiting == 0
        time.sleep(1)  # five more rounds of both drains: nothing goes twice
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT subject, attempts FROM outgoing_mail")).all()
    finally:
        engine.dispose()
    assert len(rows) == 45  # the 40 above and a mail to alice for each message she received
    assert all(attempts == 1 for _, attempts in rows)
    assert Counter(inbox.subjects) == Counter(subject for subject, _ in rows)


def test_serve_warns_of_what_several_servers_could_not_share(tmp_path):
    with pg_database() as url:
        alone = Settings(data_dir=tmp_path, database_url=url, search_backend="whoosh")
        warnings = shared_database_warnings(alone, workers=64)
        assert len(warnings) == 3
        assert "PRAXIS_SECRET_KEY" in warnings[0]
        assert "PRAXIS_SEARCH_BACKEND=postgres" in warnings[1]
        assert "64 worker(s) may open 1920 connections" in warnings[2]  # 64 × (10 + 20)
        shared = Settings(data_dir=tmp_path, database_url=url, secret_key=SECRET, db_pool_size=5, db_max_overflow=5)
        assert shared_database_warnings(shared, workers=2) == []  # 20 connections
    assert shared_database_warnings(Settings(data_dir=tmp_path), workers=64) == []  # SQLite: one machine
