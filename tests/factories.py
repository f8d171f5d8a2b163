"""Builders of users and notes for tests, with sensible defaults to override."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from praxis.models import User
from praxis.schemas import NoteCreate, NoteRead, UserCreate
from praxis.services import accounts
from praxis.services import notes as note_service

PASSWORD = "mot-de-passe-test"


def make_user(session: Session, username: str = "alice", *, admin: bool = False, name: str | None = None,
              password: str | None = PASSWORD) -> User:
    user = accounts.create_user(
        session=session,
        data=UserCreate(username=username, password=password, display_name=name or username.capitalize(), is_admin=admin),
    )
    session.commit()
    return user


def make_note(session: Session, actor: User, **overrides: Any) -> NoteRead:
    fields: dict[str, Any] = {"title": "Qu'est-ce qu'un chantier?", "body": "Un **chantier** réunit des agent·es."}
    fields.update(overrides)
    note = note_service.create_note(session=session, actor=actor, data=NoteCreate(**fields))
    session.commit()
    return note


def token_for(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    """Authorization headers with a fresh bearer token."""
    response = client.post("/api/v1/auth/token", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> None:
    """Sign the test client's browser in through the login form."""
    page = client.get("/login")
    token = csrf_from(page.text)
    response = client.post("/login", data={"username": username, "password": password, "csrf_token": token, "next": "/"},
                           follow_redirects=False)
    assert response.status_code == 303, response.text


def csrf_from(html: str, action: str | None = None) -> str:
    """The CSRF token of the page's form posting to `action` (else of the page's first form)."""
    if action is not None:
        html = html[html.index(f'action="{action}"'):]
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
        raw = accounts.issue_token(session=session, user=user, kind="session", days=1)
        session.commit()
        cookie = Signer(app.state.secret_key, salt="praxis.session").sign(raw).decode()
        client.cookies.set("praxis_session", cookie)
    return client


def page_text(html: str) -> str:
    """A page's words as a reader sees them, every tag a space."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
