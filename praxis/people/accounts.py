"""Accounts, profiles without login, passwords and tokens."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple, cast

import sqlalchemy as sa
from argon2 import PasswordHasher
from sqlmodel import Session, col, select

from praxis import limits, passwords, policy, text
from praxis.citation.names import Person, person
from praxis.config import site_settings
from praxis.db import engine_of, writer
from praxis.errors import Conflict, Invalid, NotFound, NotSignedIn
from praxis.i18n import N_
from praxis.markdown import slugify
from praxis.models import AuthToken, LoginFailure, User, pk, utcnow
from praxis.schemas import RegisterRequest, UserCreate, UserRead
from praxis.urls import user_url


def _hasher(session: Session) -> PasswordHasher:
    return passwords.hasher(site_settings(session))  # at the site's cost; building it hashes nothing


def get_user(session: Session, username: str) -> User | None:
    """The user with this username; None for anything that cannot be a username."""
    username = username.strip().lower()
    if not username or len(username) > 64 or "\x00" in username:
        return None
    return session.exec(select(User).where(User.username == username)).first()


def with_inbox(session: Session, user_ids: Sequence[int]) -> set[int]:
    """Those of these people who read an inbox: active accounts (not profiles without login)."""
    if not user_ids:
        return set()
    rows = session.exec(
        select(User.id).where(col(User.id).in_(list(user_ids)), User.is_active, col(User.password_hash).is_not(None))
    )
    return {pk(i) for i in rows}


def create_user(*, session: Session, data: UserCreate) -> UserRead:
    """Create an account (with a password) or a profile without login (without)."""
    return user_read(session, _new_user(session, data))


def _new_user(session: Session, data: UserCreate) -> User:
    if get_user(session, data.username):
        raise Conflict(
            f"The username '{data.username}' is taken.",
            field="username",
            text=N_("Le nom d'utilisateur « %(username)s » est déjà pris."),
            params={"username": data.username},
        )
    user = User(
        username=data.username,
        display_name=data.display_name or data.username,
        email=data.email,
        password_hash=_hasher(session).hash(data.password) if data.password else None,
        is_admin=data.is_admin,
    )
    session.add(user)
    session.flush()
    return user


def set_password(*, session: Session, user: User, password: str) -> None:
    if len(password) < 8:
        raise Invalid(
            "The password must have at least 8 characters.",
            field="password",
            text=N_("Le mot de passe doit compter au moins 8 caractères."),
        )
    user.password_hash = _hasher(session).hash(password)
    session.add(user)


BAD_CREDENTIALS = "Incorrect username or password."
PASSWORD_CHANGE = "password-change"  # where guesses of the current password are counted from


def _account_key(username: str) -> str:
    # Kept as typed (NUL made storable), so unknown names are limited like real ones.
    return username.strip().lower().replace("\x00", "\ufffd")[:200]


# Returns the row: it is the actor of the session or token the caller opens.
def sign_in(*, session: Session, username: str, password: str, address: str) -> User:
    """The active account with these credentials.

    Failures are written to the session before NotSignedIn is raised: the caller commits them,
    so that guessing is throttled per address and per account (TooManyRequests, 429; see
    limits.check_sign_in).
    """
    account = _account_key(username)
    address = limits.address_key(address)
    now = utcnow()
    limits.check_sign_in(session, account=account, address=address, now=now)
    user = get_user(session, username)
    hasher = _hasher(session)
    ok = passwords.verify(hasher, user.password_hash if user else None, password)
    if ok and user and user.is_active:
        if user.password_hash and hasher.check_needs_rehash(user.password_hash):
            # Hashed at another cost (before the site raised it): hashed again at the site's, now
            # that the password is known.
            user.password_hash = hasher.hash(password)
            session.add(user)
        # Only this address's own slips are forgotten: others' failures keep slowing them.
        session.execute(
            sa.delete(LoginFailure).where(col(LoginFailure.account) == account, col(LoginFailure.address) == address)
        )
        return user
    session.execute(sa.delete(LoginFailure).where(col(LoginFailure.created_at) < now - limits.WINDOW))
    session.add(LoginFailure(account=account, address=address, created_at=now))
    session.flush()
    raise NotSignedIn(BAD_CREDENTIALS, keep_writes=True)


# Returns the row: the new account is the actor of the session the page opens for it.
def register(*, session: Session, actor: User | None, data: RegisterRequest) -> User:
    """Open an account: anyone while registration is open, only admins once it is closed."""
    policy.ensure_can_register(actor, site_settings(session).registration)
    return _new_user(
        session,
        UserCreate(username=data.username, password=data.password, display_name=data.display_name, email=data.email),
    )


def change_password(*, session: Session, actor: User | None, current: str, new: str, keep_token: str | None) -> None:
    """Change one's password: every other session and API token is revoked, and wrong guesses of
    the current password count towards the account's sign-in limit."""
    actor = policy.require_signed_in(actor)
    user = session.get(User, actor.id)
    assert user is not None
    now = utcnow()
    account = _account_key(user.username)
    limits.check_sign_in(session, account=account, address=PASSWORD_CHANGE, now=now, everywhere=False)
    if not passwords.verify(_hasher(session), user.password_hash, current):
        session.add(LoginFailure(account=account, address=PASSWORD_CHANGE, created_at=now))
        session.flush()
        raise Invalid(
            "The current password is not correct.",
            field="current_password",
            keep_writes=True,
            text=N_("Le mot de passe actuel n'est pas le bon."),
        )
    set_password(session=session, user=user, password=new)
    keep = _digest(keep_token) if keep_token else ""
    session.execute(
        sa.update(AuthToken)
        .where(
            col(AuthToken.user_id) == user.id, col(AuthToken.revoked_at).is_(None), col(AuthToken.token_hash) != keep
        )
        .values(revoked_at=now)
    )


def set_active(*, session: Session, actor: User | None, username: str, active: bool) -> UserRead:
    """Deactivate an account (its sessions and tokens stop at once) or reactivate it; admins only."""
    policy.ensure_can_manage_accounts(actor)
    user = get_user(session, username)
    if user is None:
        raise NotFound("No such person.")
    policy.ensure_can_set_active(actor, user, active)
    user.is_active = active
    session.add(user)
    if not active:
        session.execute(
            sa.update(AuthToken)
            .where(col(AuthToken.user_id) == user.id, col(AuthToken.revoked_at).is_(None))
            .values(revoked_at=utcnow())
        )
    session.flush()
    return user_read(session, user)


def author_name(name: str) -> str:
    """A person's name as a file or a form writes it, on one line with single spaces; Invalid
    when it is empty, too long, or holds a character text cannot hold (looked for before spaces
    are joined: some of those characters count as spaces)."""
    if (found := text.first_forbidden(name)) is not None:
        raise Invalid(
            f"An author name holds a character text cannot hold ({text.describe(*found)}).",
            field="authors",
            text=N_("Un nom d'auteur·trice n'est pas valide."),
        )
    name = " ".join(name.split())
    if not name:
        raise Invalid("An author name is empty.", field="authors", text=N_("Un nom d'auteur·trice est vide."))
    if len(name) > 200:
        raise Invalid(
            "An author name is not valid.", field="authors", text=N_("Un nom d'auteur·trice n'est pas valide.")
        )
    return name


def profile_for(*, session: Session, name: str, create: bool = True) -> User:
    """The user a front-matter author names: a username, a display name, or a new profile (not
    added to the session when `create` is false: an import checking its files)."""
    name = author_name(name)
    user = get_user(session, name)
    if user:
        return user
    user = session.exec(select(User).where(User.display_name == name).order_by(col(User.id))).first()
    if user:
        return user
    base = (slugify(name, max_length=56) or "auteur").replace("-", ".")
    username, n = base, 1
    while get_user(session, username):
        n += 1
        username = f"{base}.{n}"
    user = User(username=username, display_name=name)
    if create:
        session.add(user)
        session.flush()
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class IssuedToken(NamedTuple):
    """A token just issued: the secret, shown this once, and the expiry stored with its digest."""

    token: str
    expires_at: datetime | None


def issue_token(
    *, session: Session, user: User, kind: str, name: str | None = None, days: int | None = None
) -> IssuedToken:
    """Create a session or API token, expiring after `days` (by default its kind's lifetime on
    the site: PRAXIS_SESSION_DAYS, PRAXIS_API_TOKEN_DAYS); only its digest is stored."""
    raw = secrets.token_urlsafe(32)
    expires = utcnow() + (timedelta(days=days) if days else lifetime(session, kind))
    session.add(AuthToken(user_id=pk(user.id), kind=kind, token_hash=_digest(raw), name=name, expires_at=expires))
    session.flush()
    return IssuedToken(raw, expires)


# A token without an expiry of its own (an API token issued before expiries existed) lives the
# current lifetime of its kind from its creation, so that it never lives forever.
_LIFETIME = {"api": "api_token_days", "session": "session_days"}


def lifetime(session: Session, kind: str) -> timedelta:
    """How long a token of `kind` lives when it carries no expiry (the site's setting)."""
    name = _LIFETIME[kind]
    days = getattr(site_settings(session), name)
    assert isinstance(days, int)
    return timedelta(days=days)


def unexpired(session: Session, kind: str, now: datetime) -> sa.ColumnElement[bool]:
    """Tokens of `kind` still within their expiry, or within their kind's lifetime when they have none."""
    return sa.or_(
        col(AuthToken.expires_at) > now,
        sa.and_(col(AuthToken.expires_at).is_(None), col(AuthToken.created_at) > now - lifetime(session, kind)),
    )


def expiry(session: Session, token: AuthToken) -> datetime:
    """When a token stops working: its own expiry, or its creation plus its kind's lifetime."""
    return token.expires_at or token.created_at + lifetime(session, token.kind)


# How finely an API token's last use is kept: written at most once an hour per token, so that
# reading with a token does not write at each request.
LAST_USED_STEP = timedelta(hours=1)


# Returns the row: it is the actor of the request the token comes with.
def user_for_token(*, session: Session, token: str, kind: str) -> User | None:
    """The active user a live (unrevoked, unexpired) token belongs to, or None."""
    now = datetime.now(UTC)
    row = session.exec(
        select(User, AuthToken.id, AuthToken.last_used_at)
        .join(AuthToken, col(AuthToken.user_id) == User.id)
        .where(
            AuthToken.token_hash == _digest(token),
            AuthToken.kind == kind,
            col(AuthToken.revoked_at).is_(None),
            unexpired(session, kind, now),
            col(User.is_active).is_(True),
        )
    ).first()
    if row is None:
        return None
    user, token_id, last_used = row
    if kind == "api" and (last_used is None or last_used <= now - LAST_USED_STEP):
        _stamp_used(session, pk(token_id), now)
    return user


def _stamp_used(session: Session, token_id: int, now: datetime) -> None:
    stamp = sa.update(AuthToken).where(col(AuthToken.id) == token_id).values(last_used_at=now)
    engine = engine_of(session)
    if engine is None or session.bind is not engine:
        session.execute(stamp)  # a writing request: the stamp commits with it
        return
    # A reading request takes no write lock: the stamp is written apart, in a short transaction.
    try:
        with writer(engine).begin() as conn:
            conn.execute(stamp)
    except (sa.exc.OperationalError, sa.exc.TimeoutError):
        pass  # the database is busy (or the pool is): a later request of the same token stamps it


def revoke_token(*, session: Session, token: str) -> bool:
    """Revoke a token; True if it was live."""
    # An UPDATE answers with a cursor result, which counts the rows it changed.
    result = cast(
        sa.CursorResult[Any],
        session.execute(
            sa.update(AuthToken)
            .where(col(AuthToken.token_hash) == _digest(token), col(AuthToken.revoked_at).is_(None))
            .values(revoked_at=utcnow())
        ),
    )
    return bool(result.rowcount)


def cited_person(user: User) -> Person:
    """The person as citations name them: their own family/given split, or their display name."""
    return person(user.display_name, family=user.family_name, given=user.given_name, organisation=user.is_organisation)


def cited_as(user: User) -> str:
    """How citations name the person ("Laurence, Marie-Hélène"; an organisation whole)."""
    return cited_person(user).inverted


def user_read(session: Session, user: User) -> UserRead:
    return UserRead(
        username=user.username,
        display_name=user.display_name,
        family_name=user.family_name,
        given_name=user.given_name,
        is_organisation=user.is_organisation,
        cited_as=cited_as(user),
        is_admin=user.is_admin,
        is_active=user.is_active,
        url=user_url(session, user.username),
    )
