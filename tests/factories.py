"""Builders of users and notes for tests, with sensible defaults to override."""

from __future__ import annotations

import re
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from html import unescape
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from praxis import policy
from praxis.models import User
from praxis.schemas import CommunityCreate, NoteCreate, NoteRead, NoteUpdate, UserCreate
from praxis.carnets import service as carnet_service
from praxis.notes import service as note_service
from praxis.people import service as people_service

PASSWORD = "mot-de-passe-test"
# Argon2id at its cheapest valid cost for test sites: hashing is slow by design, and tests hash
# at every account made and every sign-in (the site's own cost: tests/test_config.py).
CHEAP_PASSWORDS = {"password_time_cost": 1, "password_memory_cost": 8, "password_parallelism": 1}


def make_user(
    session: Session,
    username: str = "alice",
    *,
    admin: bool = False,
    name: str | None = None,
    password: str | None = PASSWORD,
) -> User:
    made = people_service.create_user(
        session=session,
        data=UserCreate(
            username=username, password=password, display_name=name or username.capitalize(), is_admin=admin
        ),
    )
    user = as_actor(session, made.username)
    session.commit()  # after the read: a test's session reading opens a writing transaction
    return user


def make_cast(session: Session) -> tuple[dict[str, User], Any]:
    """The people of the permission matrices by their role, without passwords, and the
    community "Cercle" that Alice manages and Carl belongs to."""
    people = {
        "author": make_user(session, "alice", name="Alice", password=None),
        "reader": make_user(session, "rita", name="Rita", password=None),
        "community_member": make_user(session, "carl", name="Carl", password=None),
        "member": make_user(session, "mona", name="Mona", password=None),
        "admin": make_user(session, "adam", name="Adam", admin=True, password=None),
        "other": make_user(session, "olga", name="Olga", password=None),
    }
    cercle = people_service.create_community(
        session=session, actor=people["author"], data=CommunityCreate(name="Cercle")
    )
    people_service.set_community_member(
        session=session, actor=people["author"], community_id=cercle.id, username="carl", role="member"
    )
    session.commit()
    return people, cercle


def as_actor(session: Session, username: str) -> User:
    """The person as the services take them when they act: the `User` row that signing in gives
    a request (the services hand out schemas, never rows)."""
    return session.exec(select(User).where(User.username == username)).one()


def make_note(session: Session, actor: User, **overrides: Any) -> NoteRead:
    """A note written by `actor`; the co-authors it names accept their invitations (and the
    authors are then put back in the order named), as people would on the site."""
    fields: dict[str, Any] = {"title": "Qu'est-ce qu'un chantier?", "body": "Un **chantier** réunit des agent·es."}
    fields.update(overrides)
    note = carnet_service.create_note(session=session, actor=actor, data=NoteCreate(**fields))
    session.commit()
    if note.pending_authors:
        accept_invitations(session, note.id)
        note = note_service.get_note(session=session, actor=actor, note_id=note.id)
        session.commit()  # a test's session writes: reading opened a writing transaction
        named = list(dict.fromkeys(fields["authors"]))
        if actor.username not in named:
            named.insert(0, actor.username)
        if [a.username for a in note.authors] != named:
            note = note_service.save_note(
                session=session,
                actor=actor,
                note_id=note.id,
                data=NoteUpdate(base_revision=note.revision, authors=named),
            )
            session.commit()
    return note


def accept_all(client: TestClient, headers: dict[str, str]) -> None:
    """The person signed in by `headers` accepts every invitation to co-sign waiting for them."""
    for invitation in client.get("/api/v1/me/invitations", headers=headers).json():
        assert client.post(f"/api/v1/invitations/{invitation['id']}/accept", headers=headers).status_code == 200


def accept_invitations(session: Session, note_id: str) -> None:
    """Everyone invited to co-sign the note accepts, in the order they were invited, as people do:
    from their own list of invitations, through the services the site uses."""
    for invited in note_service.get_note(session=session, actor=policy.SYSTEM, note_id=note_id).pending_authors:
        person = as_actor(session, invited.username)
        for invitation in people_service.my_invitations(session=session, actor=person):
            if invitation.note_id == note_id:
                people_service.answer_invitation(
                    session=session, actor=person, invitation_id=invitation.id, accept=True
                )
        session.commit()


def token_for(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    """Authorization headers with a fresh bearer token."""
    response = client.post("/api/v1/auth/token", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def bearer_at(base: str, username: str, password: str = PASSWORD) -> dict[str, str]:
    """Authorization headers with a fresh bearer token from a real server at `base` (tests/servers.py)."""
    import httpx

    answer = httpx.post(base + "/api/v1/auth/token", json={"username": username, "password": password}, timeout=30)
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> None:
    """Sign the test client's browser in through the login form."""
    page = client.get("/login")
    token = csrf_from(page.text)
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def csrf_from(html: str, action: str | None = None) -> str:
    """The CSRF token of the page's form posting to `action` (else of the page's first form)."""
    if action is not None:
        html = html[html.index(f'action="{action}"') :]
    marker = 'name="csrf_token" value="'
    start = html.index(marker) + len(marker)
    token = html[start : html.index('"', start)]
    assert token, "the form carries an empty CSRF token"
    return token


def browser_for(app, session: Session, user: User | None) -> TestClient:  # type: ignore[no-untyped-def]
    """A test client signed in as `user` through a real session cookie (None: a visitor)."""
    from itsdangerous import Signer

    client = TestClient(app, base_url="https://testserver")
    if user is not None:
        raw = people_service.issue_token(session=session, user=user, kind="session", days=1).token
        session.commit()
        cookie = Signer(app.state.secret_key, salt="praxis.session").sign(raw).decode()
        client.cookies.set("praxis_session", cookie)
    return client


def page_text(html: str) -> str:
    """A page's words as a reader sees them, every tag a space."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def make_small_site(client: TestClient, session: Session) -> dict[str, Any]:
    """A small site whose content is plain English, so that any French on a page is the interface's."""
    alice = make_user(session, "alice", name="Alice Martin", admin=True)
    make_user(session, "bob", name="Bob Smith")
    alice.email = "alice@example.org"
    session.add(alice)
    session.commit()
    alice_h, bob_h = token_for(client, "alice"), token_for(client, "bob")
    community = client.post(
        "/api/v1/communities", headers=alice_h, json={"name": "Riverside", "description": "Neighbours."}
    ).json()
    org = make_note(session, alice, title="Riverside Library", body="A library.", kind="organisation")
    term = make_note(session, alice, title="Workshop", body="A meeting to make things.", kind="term")
    note = make_note(
        session,
        alice,
        title="Field notes",
        body="# Start\n\nWe met at [[Riverside Library]] for a [[Workshop]].\n\n## Then\n\nMore words.",
        published_at="2025-05-01T12:00:00Z",
        authors=["alice", "bob"],
    )
    saved = client.patch(
        f"/api/v1/notes/{note.id}",
        headers=alice_h,
        json={"body": "We met again.", "base_revision": note.revision, "summary": "Shorter"},
    )
    assert saved.status_code == 200, saved.text
    carnet = client.post(
        "/api/v1/carnets",
        headers=alice_h,
        json={"title": "Summer", "description": "Summer work.", "axes": [{"name": "Theme", "categories": ["Housing"]}]},
    ).json()
    assert (
        client.post(
            f"/api/v1/carnets/{carnet['id']}/notes",
            headers=alice_h,
            json={"note_id": note.id, "categories": ["Housing"]},
        ).status_code
        == 201
    )
    base = client.post("/api/v1/bases", headers=alice_h, json={"title": "Collection"}).json()
    client.post(f"/api/v1/bases/{base['id']}/carnets", headers=alice_h, json={"carnet_id": carnet["id"]})
    client.post(f"/api/v1/notes/{note.id}/comments", headers=bob_h, json={"body": "Nice work."})
    comment = client.post(f"/api/v1/notes/{note.id}/comments", headers=alice_h, json={"body": "Thanks."}).json()
    client.post(f"/api/v1/notes/{note.id}/contact", headers=bob_h, json={"subject": "Hello", "message": "Can we talk?"})
    term_slug = client.get(f"/api/v1/notes/{term.id}").json().get("slug") or "workshop"
    return {
        "alice": alice,
        "note": note.id,
        "carnet": carnet["id"],
        "base": base["id"],
        "community": community["id"],
        "comment": comment["id"],
        "term": term_slug,
        "org": org.id,
    }


@contextmanager
def sqlite_site_with_alice(
    tmp_path: Path, sqlite_template: Path
) -> Iterator[tuple[TestClient, dict[str, str], sqlite3.Connection]]:
    """A site on its own SQLite file that waits 200 ms for the write lock, signed in as alice,
    and a second connection to the file with which a test can hold the lock."""
    from praxis.app import create_app
    from praxis.config import Settings
    from praxis.db import new_session

    (tmp_path / "data").mkdir()
    shutil.copy(sqlite_template, tmp_path / "data" / "praxis.db")
    settings = Settings(
        data_dir=tmp_path / "data", secret_key="k", sqlite_busy_ms=200, content_dir=tmp_path / "none", **CHEAP_PASSWORDS
    )
    app = create_app(settings)
    with new_session(app.state.engine, settings, write=True) as session:
        make_user(session, "alice")
    holder = sqlite3.connect(settings.data_dir / "praxis.db", isolation_level=None)
    try:
        with TestClient(app, base_url="https://testserver") as client:
            yield client, token_for(client, "alice"), holder
    finally:
        holder.close()
        app.state.engine.dispose()


INDEXER = "praxis-indexer"  # the thread that applies the search queue after each commit


@contextmanager
def counted(engine: sa.Engine) -> Iterator[list[str]]:
    """The SQL statements run on `engine` meanwhile (not those of the search indexing thread)."""
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if threading.current_thread().name != INDEXER:  # the page's own statements, not the index's catching up
            statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
