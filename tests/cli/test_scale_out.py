"""Two `praxis serve` processes, as two hosts would run them: each its own data folder, one
PostgreSQL database and one PRAXIS_SECRET_KEY between them. Whatever one acknowledges, the
other sees at once; nothing either keeps for itself makes them disagree."""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import Session

from praxis.cli import shared_database_warnings
from praxis.config import Settings
from praxis.db import make_engine
from praxis.conversation import mail
from tests.conftest import BACKENDS, pg_database
from tests.factories import bearer_at, csrf_from
from tests.servers import Inbox, PraxisServer, SmtpServer, smtp_server, wait_until

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif("postgres" not in BACKENDS, reason="several servers share one PostgreSQL database"),
]

SECRET = "une-clé-partagée-par-tous-les-serveurs-de-ce-site-0123456789"
PASSWORD = "mot-de-passe-partagé"


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A slow SMTP server (10 ms a mail), so that both drains are busy at once."""
    with smtp_server(Inbox(delay=0.01)) as server:
        yield server


@pytest.fixture
def site(tmp_path: Path, smtp: SmtpServer) -> Iterator[tuple[PraxisServer, PraxisServer, str]]:
    """Two servers started at the same moment on one new, empty PostgreSQL database: they take
    turns to migrate it and build its search index, then both drain the outbox."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRAXIS_")}
    with pg_database() as url:
        env.update(
            PRAXIS_DATABASE_URL=url,
            PRAXIS_SECRET_KEY=SECRET,
            PRAXIS_SITE_URL="http://praxis.example.org",
            PRAXIS_SMTP_URL=f"smtp://127.0.0.1:{smtp.port}?tls=none",
            PRAXIS_MAIL_INTERVAL="0.2",
            # An empty site stays empty (the sample site would be found wherever the servers start).
            PRAXIS_CONTENT_DIR=str(tmp_path / "empty-content"),
        )
        for folder in ("empty-content", "a", "b"):
            (tmp_path / folder).mkdir()
        with ExitStack() as running:  # both stopped at the end, even when one fails to
            a, b = (
                running.enter_context(
                    PraxisServer(tmp_path / name, {**env, "PRAXIS_DATA_DIR": str(tmp_path / name / "data")})
                )
                for name in ("a", "b")
            )  # each its own data folder, as on its own host
            a.wait_ready("/readyz")
            b.wait_ready("/readyz")
            yield a, b, url
        for server in (a, b):
            out = server.output()
            assert server.returncode == 0 and "Traceback" not in out and "Warning" not in out, out
        assert not (tmp_path / "a" / "data" / "secret_key").exists()  # the shared key, never a local one


def _register(base: str, username: str, email: str) -> dict[str, str]:
    created = httpx.post(
        f"{base}/api/v1/auth/register", json={"username": username, "password": PASSWORD, "email": email}
    )
    assert created.status_code == 201, created.text
    return bearer_at(base, username, PASSWORD)


def test_two_servers_on_one_database_agree(site, smtp):  # type: ignore[no-untyped-def]
    a, b, url = site

    # An account made on A signs in on B; a token from B works on A; a session cookie and a form
    # token from one are good on the other.
    alice = _register(a.base, "alice", "alice@exemple.org")
    assert httpx.get(f"{b.base}/api/v1/me", headers=alice).json()["username"] == "alice"
    bob = _register(b.base, "bob", "bob@exemple.org")
    assert httpx.get(f"{a.base}/api/v1/me", headers=bob).json()["username"] == "bob"
    form = httpx.get(f"{a.base}/login")
    signed_in = httpx.post(
        f"{b.base}/login",
        cookies=form.cookies,
        follow_redirects=False,
        data={"username": "alice", "password": PASSWORD, "csrf_token": csrf_from(form.text), "next": "/"},
    )
    assert signed_in.status_code == 303, signed_in.text
    me = httpx.get(f"{a.base}/api/v1/me", cookies={"praxis_session": signed_in.cookies["praxis_session"]})
    assert me.status_code == 200 and me.json()["username"] == "alice"

    # Written on A: read and found on B at once.
    created = httpx.post(
        f"{a.base}/api/v1/notes",
        headers=alice,
        json={"title": "Mutualisation des cuisines collectives", "body": "Un inventaire partagé."},
    )
    assert created.status_code == 201, created.text
    note = created.json()["id"]
    assert httpx.get(f"{b.base}/api/v1/notes/{note}").json()["title"] == "Mutualisation des cuisines collectives"
    found = httpx.get(f"{b.base}/api/v1/search", params={"q": "cuisines mutualisation"}).json()
    assert [item["id"] for item in found["items"]] == [note]

    # A change from a revision the other server has moved past is a 409 on either.
    assert (
        httpx.patch(f"{b.base}/api/v1/notes/{note}", headers=alice, json={"base_revision": 1, "body": "B."}).status_code
        == 200
    )
    for server in (a, b):
        stale = httpx.patch(
            f"{server.base}/api/v1/notes/{note}", headers=alice, json={"base_revision": 1, "body": "Périmé."}
        )
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
        assert (
            httpx.get(f"{(a, b)[number % 2].base}/api/v1/notes/{note}/revisions/{number}", headers=alice).json()["body"]
            == body
        )

    # A rate limit counts what both servers let through, even at the same instant (5 messages an hour).
    go = threading.Barrier(12)

    def contact(i: int) -> int:
        go.wait()
        return httpx.post(
            f"{(a, b)[i % 2].base}/api/v1/notes/{note}/contact",
            headers=bob,
            timeout=30,
            json={"subject": f"Question {i}", "message": "Bonjour !"},
        ).status_code

    with ThreadPoolExecutor(12) as pool:
        answers = Counter(pool.map(contact, range(12)))
    assert answers == {202: 5, 429: 7}
    for server in (a, b):
        later = httpx.post(
            f"{server.base}/api/v1/notes/{note}/contact", headers=bob, json={"subject": "Encore", "message": "?"}
        )
        assert later.status_code == 429 and int(later.headers["Retry-After"]) > 0

    # Both servers drain the outbox every 0.2 s: each mail leaves exactly once.
    engine = make_engine(Settings(database_url=url))
    try:
        with Session(engine) as session:
            for i in range(40):
                mail.enqueue(
                    session,
                    to=f"membre{i}@exemple.org",
                    subject=f"Courrier {i}",
                    text="Bonjour.",
                    html="<p>Bonjour.</p>",
                )
            session.commit()

        def waiting() -> int:
            with engine.connect() as conn:
                return conn.exec_driver_sql("SELECT count(*) FROM outgoing_mail WHERE sent_at IS NULL").scalar_one()

        wait_until(lambda: waiting() == 0, message=lambda: f"{waiting()} mails still wait")
        # Time passing is the point here: five more rounds of both drains, in which nothing may go
        # twice. A duplicate is an event that must not happen, so there is no condition to wait on.
        time.sleep(1)
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT subject, attempts FROM outgoing_mail")).all()
    finally:
        engine.dispose()
    assert len(rows) == 45  # the 40 above and a mail to alice for each message she received
    assert all(attempts == 1 for _, attempts in rows)
    assert Counter(smtp.inbox.subjects) == Counter(subject for subject, _ in rows)


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
