"""Domain errors raised below the routes and mapped to HTTP once, in the app."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from praxis import i18n
from praxis.i18n import N_


class DomainError(Exception):
    """Base of the errors a service raises; `status` is the HTTP status it maps to."""

    status = 400
    # The error page's title and sentence (message ids) when the error says nothing of its own;
    # None: those of its status. A kind of error sets them, so a page never guesses them.
    title: str | None = None
    explanation: str | None = None

    def __init__(
        self,
        message: str,
        *,
        keep_writes: bool = False,
        text: str | None = None,
        params: Mapping[str, Any] | None = None,
        labels: tuple[str, ...] = (),
        **extra: Any,
    ) -> None:
        super().__init__(message)
        self.message = message  # what the API says (in English)
        # What a page says: a French sentence marked N_() with %(name)s placeholders, shown in the
        # reader's language; the values named in `labels` are interface words, translated too
        # (the others are what people typed, shown as they are).
        self.text = text
        self.params = dict(params or {})
        self.labels = labels
        self.extra = extra
        # True when what the service wrote before refusing must still be committed (a failed
        # sign-in or password guess is recorded, so that guessing can be rate-limited): the
        # request's transaction (db.session_scope) commits it and rolls back nothing else, whatever
        # door the refusal came through and however its page is shown.
        self.keep_writes = keep_writes

    def shown(self) -> str:
        """The message as a page shows it: `text` in the reader's language, else `message`."""
        if self.text is None:
            return i18n.gettext(self.message)
        values = {k: i18n.gettext(v) if k in self.labels and v else v for k, v in self.params.items()}
        return i18n.gettext(self.text) % values


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
    """A refusal because of how things stand (already in the carnet, already answered): no one's
    edit conflicts with anyone's, so the page says the action is not possible, and why."""

    status = 409
    title = N_("Action impossible")
    explanation = N_("Cette action n'est pas possible dans l'état actuel des choses. Rien n'a été modifié.")


class StaleEdit(Conflict):
    """A change made from a version that someone else changed since: nothing was overwritten.
    The only conflict whose page says that someone else changed the content meanwhile."""

    title = N_("Conflit de modification")
    explanation = N_("Quelqu'un d'autre a modifié ce contenu entre-temps. Rien n'a été écrasé.")


class TooLarge(DomainError):
    status = 413


class UnsupportedType(DomainError):
    """A file whose content is not of an accepted type."""

    status = 415


class TooManyRequests(DomainError):
    status = 429
