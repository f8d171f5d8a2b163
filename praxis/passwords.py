"""Password hashing: argon2id at the cost the site's settings give (PRAXIS_PASSWORD_*)."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

if TYPE_CHECKING:
    from praxis.config import Settings


def hasher(settings: Settings) -> PasswordHasher:
    """An argon2id hasher at the site's cost."""
    return PasswordHasher(
        time_cost=settings.password_time_cost,
        memory_cost=settings.password_memory_cost,
        parallelism=settings.password_parallelism,
        type=Type.ID,
    )


def verify(hasher: PasswordHasher, password_hash: str | None, password: str) -> bool:
    """Whether `password` is the one hashed; None (no password, or no such account) is checked
    against a hash no password matches, so that every failure takes the same time."""
    try:
        hasher.verify(password_hash or _unmatchable(hasher), password)  # raises when it does not match
        return password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def _unmatchable(hasher: PasswordHasher) -> str:
    """A hash at the hasher's cost that no password matches (zero salt, zero digest).

    Written out rather than computed: checking it costs what checking a real hash does, and
    nothing is hashed at import or at start."""
    salt = base64.b64encode(bytes(hasher.salt_len)).decode("ascii").rstrip("=")
    digest = base64.b64encode(bytes(hasher.hash_len)).decode("ascii").rstrip("=")
    return f"$argon2id$v=19$m={hasher.memory_cost},t={hasher.time_cost},p={hasher.parallelism}${salt}${digest}"
