"""Domain errors raised below the routes and mapped to HTTP once, in the app."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of the errors a service raises; `status` is the HTTP status it maps to."""

    status = 400

    def __init__(self, message: str, *, keep_writes: bool = False, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra
        # True when what the service wrote before refusing must still be committed
        # (a failed sign-in is recorded, so that guessing can be rate-limited).
        self.keep_writes = keep_writes


class Invalid(DomainError):
    """Bad input; `field` names where, when known, in the request's `part` (body or query)."""

    status = 422

    def __init__(
        self, message: str, field: str | None = None, *, part: str = "body", keep_writes: bool = False, **extra: Any
    ) -> None:
        super().__init__(message, keep_writes=keep_writes, **extra)
        self.field = field
        self.part = part


class NotSignedIn(DomainError):
    status = 401


class Forbidden(DomainError):
    status = 403


class NotFound(DomainError):
    """Also raised for what exists but may not be seen."""

    status = 404


class Conflict(DomainError):
    status = 409


class TooLarge(DomainError):
    status = 413


class TooManyRequests(DomainError):
    status = 429
