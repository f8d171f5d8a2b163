"""Who the actor is, and how a refusal is told: the pieces every rule of the policy is made of."""

from __future__ import annotations

from typing import NoReturn, TypeGuard

from praxis.errors import Forbidden, NotSignedIn
from praxis.models import User

Actor = User | None

# The actor of command-line imports and exports: sees and writes everything, is nobody.
SYSTEM = User(username="system", display_name="system", is_admin=True, is_active=True)


def is_admin(actor: Actor) -> bool:
    return bool(actor and actor.is_active and actor.is_admin)


def is_signed_in(actor: Actor) -> TypeGuard[User]:
    # A guard for the checker: where it holds, `actor` is a User (not None); where it does not,
    # `actor` may still be a User (an inactive one), so nothing is narrowed there.
    return bool(actor and actor.is_active and actor.id is not None)


def reader_key(actor: Actor) -> tuple[int | None, bool]:
    """What a visibility clause depends on: (the reader's id, None for a visitor or an admin;
    whether an admin). The clauses are built once per key and kept (`functools.lru_cache`): a
    clause is immutable, and building one cost about 1 ms of SQLAlchemy's coercions, paid
    several times by every page and every write (issue 22)."""
    if is_admin(actor):
        return None, True
    if not is_signed_in(actor):
        return None, False
    return actor.id, False


def is_self(actor: Actor, user_id: int | None) -> bool:
    """Whether `actor` is the signed-in person with this id."""
    return is_signed_in(actor) and user_id is not None and actor.id == user_id


def require_signed_in(actor: Actor, message: str = "Sign in first.") -> User:
    """The actor, for what only a signed-in person does; NotSignedIn (401) for anyone else."""
    if not is_signed_in(actor):
        raise NotSignedIn(message)
    assert actor is not None
    return actor


def refuse(actor: Actor, message: str, *, sign_in: str = "Sign in first.", text: str | None = None) -> NoReturn:
    """Refuse what `actor` may not do: 401 (`sign_in`) when not signed in, since signing in may
    be all that is missing; 403 (`message`) otherwise."""
    if not is_signed_in(actor):
        raise NotSignedIn(sign_in)
    raise Forbidden(message, text=text)


def ensure(
    allowed: bool, actor: Actor, message: str, *, sign_in: str = "Sign in first.", text: str | None = None
) -> None:
    """Nothing when `allowed`; otherwise `refuse`."""
    if not allowed:
        refuse(actor, message, sign_in=sign_in, text=text)


def is_public(visibility: str, deleted_at: object = None) -> bool:
    """Whether everyone may read it — an anonymous visitor, a search engine, a link preview: what
    the sitemap lists, what is indexed and described to others (`visible_notes(None)`,
    `visible_carnets(None)` and `visible_bases(None)` for one object)."""
    return visibility == "public" and deleted_at is None


def shared_caches_may_keep(visibility: str, deleted_at: object = None) -> bool:
    """Whether a note's files may be kept by any cache (a proxy's, a CDN's): only those everyone
    may read, so that a note made private or deleted is never served from one."""
    return is_public(visibility, deleted_at)
