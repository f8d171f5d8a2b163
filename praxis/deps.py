"""Request dependencies shared by the HTML and JSON routes: database session and current user."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import Depends, Request
from itsdangerous import BadSignature, Signer
from sqlmodel import Session

from praxis.conversation import service as conversation_service
from praxis.db import session_scope
from praxis.errors import Forbidden, NotSignedIn
from praxis.middleware import is_api_path
from praxis.models import User
from praxis.people import service as people_service

SESSION_COOKIE = "praxis_session"
CSRF_COOKIE = "praxis_csrf"
_READ_METHODS = {"GET", "HEAD", "OPTIONS"}


def reads_only(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a POST route that only computes (a preview): like a read, it takes no write lock."""
    endpoint.reads_only = True  # type: ignore[attr-defined]  # a mark on the function, read back by getattr below
    return endpoint


def writes_late(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a write route that prepares its change reading, then calls `db.begin_writes`: it holds
    the write lock only while it writes, not while it checks, renders and resolves."""
    endpoint.writes_late = True  # type: ignore[attr-defined]  # a mark on the function, read back by getattr below
    return endpoint


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request; reads do not take SQLite's write lock."""
    endpoint = getattr(request.scope.get("route"), "endpoint", None)
    write = request.method not in _READ_METHODS and not (
        getattr(endpoint, "reads_only", False) or getattr(endpoint, "writes_late", False)
    )
    with session_scope(request.app.state.engine, request.app.state.settings, write=write) as session:
        yield session


@contextmanager
def reading_session(request: Request) -> Iterator[Session]:
    """A transaction that only reads, for a page shown once the request's own has ended (the page
    of a refused form, shown by the error handler)."""
    with session_scope(request.app.state.engine, request.app.state.settings, write=False) as session:
        yield session


def _session_signer(request: Request) -> Signer:
    return Signer(request.app.state.secret_key, salt="praxis.session")


def sign_session(request: Request, raw: str) -> str:
    return _session_signer(request).sign(raw).decode("ascii")


def session_token(request: Request) -> str | None:
    """The raw session token from the signed cookie, if the signature holds."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    try:
        return _session_signer(request).unsign(cookie).decode("ascii")
    except (BadSignature, UnicodeDecodeError):
        return None


def client_address(request: Request) -> str:
    """The address a request came from (behind a trusted proxy, the one it names)."""
    return request.client.host if request.client else "unknown"


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def get_actor(request: Request, session: Annotated[Session, Depends(get_session, scope="function")]) -> User | None:
    """The signed-in user (bearer token first, then session cookie), or None for a visitor."""
    if hasattr(request.state, "actor"):
        return request.state.actor
    actor = None
    token = bearer_token(request)
    if token:
        actor = people_service.user_for_token(session=session, token=token, kind="api")
        if actor is None:
            raise NotSignedIn("Invalid or revoked token.")
    else:
        raw = session_token(request)
        if raw:
            actor = people_service.user_for_token(session=session, token=raw, kind="session")
            if actor is not None and request.method not in _READ_METHODS and is_api_path(request.url.path):
                _require_same_origin(request)
    if not is_api_path(request.url.path):
        # The header's navigation: "Communautés" when there is one to see or one to create.
        request.state.communities_offered = people_service.communities_offered(session=session, actor=actor)
    if actor is not None:
        if not is_api_path(request.url.path):
            request.state.unread = conversation_service.unread_count(session, actor)  # the header's count
        # Detached with its columns loaded: a rollback cannot expire it before an error page shows it.
        session.expunge(actor)
    request.state.actor = actor
    return actor


def _require_same_origin(request: Request) -> None:
    """A JSON write made with the browser's cookie must come from one of this site's pages.

    HTML forms carry a CSRF token; API calls from the site's own scripts carry Origin instead.
    """
    origin = request.headers.get("origin")
    if origin is not None:
        own = {f"{request.url.scheme}://{request.url.netloc}", request.app.state.settings.site_url.rstrip("/")}
        if origin.rstrip("/") in own:
            return
    elif request.headers.get("sec-fetch-site") in ("same-origin", "none"):
        return
    raise Forbidden("Cross-site request refused; API clients use a bearer token.")


def require_actor(actor: Annotated[User | None, Depends(get_actor)]) -> User:
    if actor is None:
        raise NotSignedIn("Sign in first.")
    return actor


# scope="function": the transaction commits before the response is sent, so a 2xx means stored.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
ActorDep = Annotated[User | None, Depends(get_actor)]
UserDep = Annotated[User, Depends(require_actor)]


# --- CSRF: a random cookie, and forms carry its HMAC ---------------------------------------------


def csrf_mac(secret_key: str, value: str) -> str:
    """The token a form carries for the browser whose CSRF cookie holds `value`."""
    return hmac.new(secret_key.encode("utf-8"), b"csrf:" + value.encode("utf-8"), hashlib.sha256).hexdigest()


def _csrf_mac(request: Request, value: str) -> str:
    return csrf_mac(request.app.state.secret_key, value)


def new_csrf_value() -> str:
    return secrets.token_urlsafe(24)


def csrf_cookie(value: str, *, secure: bool) -> str:
    """The Set-Cookie header that gives a browser its CSRF cookie."""
    return f"{CSRF_COOKIE}={value}; HttpOnly; Path=/; SameSite=lax" + ("; Secure" if secure else "")


def csrf_token(request: Request) -> str:
    """The token forms must send back; creates the cookie's value when the browser has none."""
    value = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if not value:
        value = new_csrf_value()
        request.state.new_csrf = value
    return _csrf_mac(request, value)


async def require_csrf(request: Request) -> None:
    """Refuse a state-changing form post whose token does not match the browser's cookie."""
    if request.method in _READ_METHODS:
        return
    form = await request.form()
    sent = form.get("csrf_token")
    value = request.cookies.get(CSRF_COOKIE)
    expected = _csrf_mac(request, value).encode() if value else b""
    if not (isinstance(sent, str) and expected and hmac.compare_digest(sent.encode("utf-8", "replace"), expected)):
        raise Forbidden("The form expired or did not come from this site. Reload the page and try again.")
