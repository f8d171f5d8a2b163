"""Accounts, profiles without login, passwords and tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from praxis.errors import Conflict, Invalid, NotSignedIn
from praxis.markdown import slugify
from praxis.models import AuthToken, User, utcnow
from praxis.schemas import UserCreate

_hasher = PasswordHasher()
# Verified against when the username is unknown, so both failures take the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def get_user(session: Session, username: str) -> User | None:
    """The user with this username; None for anything that cannot be a username."""
    username = username.strip().lower()
    if not username or len(username) > 64 or "\x00" in username:
        return None
    return session.exec(select(User).where(User.username == username)).first()


def create_user(*, session: Session, data: UserCreate) -> User:
    """Create an account (with a password) or a profile without login (without)."""
    if get_user(session, data.username):
        raise Conflict(f"The username '{data.username}' is taken.", field="username")
    user = User(
        username=data.username,
        display_name=data.display_name or data.username,
        email=data.email,
        password_hash=hash_password(data.password) if data.password else None,
        is_admin=data.is_admin,
    )
    session.add(user)
    session.flush()
    return user


def set_password(*, session: Session, user: User, password: str) -> None:
    if len(password) < 8:
        raise Invalid("The password must have at least 8 characters.", field="password")
    user.password_hash = hash_password(password)
    session.add(user)


def authenticate(*, session: Session, username: str, password: str) -> User:
    """The active account with these credentials; one uniform error otherwise."""
    user = get_user(session, username)
    ok = verify_password(user.password_hash if user else None, password)
    if not (ok and user and user.is_active):
        raise NotSignedIn("Incorrect username or password.")
    return user


def profile_for(*, session: Session, name: str) -> User:
    """The user a front-matter author names: a username, a display name, or a new profile."""
    name = " ".join(name.split())
    if not name:
        raise Invalid("An author name is empty.", field="authors")
    user = get_user(session, name)
    if user:
        return user
    if "\x00" in name or len(name) > 200:
        raise Invalid("An author name is not valid.", field="authors")
    user = session.exec(select(User).where(User.display_name == name).order_by(User.id)).first()
    if user:
        return user
    base = (slugify(name, max_length=56) or "auteur").replace("-", ".")
    username, n = base, 1
    while get_user(session, username):
        n += 1
        username = f"{base}.{n}"
    user = User(username=username, display_name=name)
    session.add(user)
    session.flush()
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(*, session: Session, user: User, kind: str, name: str | None = None, days: int | None = None) -> str:
    """Create a session or API token and return it; only its digest is stored."""
    raw = secrets.token_urlsafe(32)
    expires = utcnow() + timedelta(days=days) if days else None
    session.add(AuthToken(user_id=user.id, kind=kind, token_hash=_digest(raw), name=name, expires_at=expires))
    session.flush()
    return raw


def user_for_token(*, session: Session, token: str, kind: str) -> User | None:
    """The active user a live token belongs to, or None."""
    now = datetime.now(timezone.utc)
    row = session.exec(
        select(User)
        .join(AuthToken, AuthToken.user_id == User.id)  # type: ignore[arg-type]
        .where(
            AuthToken.token_hash == _digest(token),
            AuthToken.kind == kind,
            AuthToken.revoked_at.is_(None),  # type: ignore[union-attr]
            sa.or_(AuthToken.expires_at.is_(None), AuthToken.expires_at > now),  # type: ignore[union-attr,operator]
            User.is_active.is_(True),  # type: ignore[attr-defined]
        )
    ).first()
    return row


def revoke_token(*, session: Session, token: str) -> bool:
    """Revoke a token; True if it was live."""
    result = session.execute(
        sa.update(AuthToken)
        .where(AuthToken.token_hash == _digest(token), AuthToken.revoked_at.is_(None))  # type: ignore[union-attr]
        .values(revoked_at=utcnow())
    )
    return bool(result.rowcount)
