"""What a page says was just done ("Note enregistrée — révision 3", "Note retirée du carnet ·
Annuler"): the one way every form of the site acknowledges what it did.

A form's answer is a redirect (`said`) that leaves the browser a short-lived cookie, signed with
the site's key, naming the page it leads to, the person who acted, one message of a fixed list
(`Kind`, worded in templates/done.html) and the names that message shows, read from the database
by the action. The page at that address says it once, for that person (`current`), where the
redirect's anchor points (a section, a note of a carnet) or at the top, and the cookie is gone:
a reload, a bookmark or a link says nothing, and no address can make a page say anything.

Only signed-in people's pages say it: visitors' pages are kept by the page cache
(praxis.caching), which lets no other cookie through. The one visitor's form, "Contacter les
auteur·trices", keeps its `?contact=sent` (a fixed sentence, naming nothing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, get_args
from urllib.parse import urlsplit

from fastapi.responses import RedirectResponse
from itsdangerous import BadData, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

DONE_COOKIE = "praxis_done"
LASTS = 60  # seconds: the redirect is followed at once; an older message is stale

Kind = Literal[
    # a note
    "saved",
    "restored",
    "deleted",
    "undeleted",
    "filed",
    "invitation_accepted",
    "invitation_refused",
    "left_note",
    # files joined to a note
    "file_attached",
    "file_deleted",
    # a carnet
    "carnet_created",
    "carnet_saved",
    "carnet_deleted",
    "carnet_left",
    "member_manager",
    "member_contributor",
    "member_removed",
    "axis_added",
    "axis_renamed",
    "axis_deleted",
    "category_added",
    "category_renamed",
    "category_deleted",
    # the notes of a carnet
    "entry_added",
    "entry_filed",
    "entry_moved",
    "entry_pinned",
    "entry_unpinned",
    "entry_removed",
    "entry_back",
    # a base
    "base_created",
    "base_saved",
    "base_deleted",
    "base_left",
    "base_carnet_added",
    "base_carnet_removed",
    "base_manager_added",
    "base_manager_removed",
    # a community
    "community_created",
    "community_member",
    "community_manager",
    "community_member_removed",
    "community_left",
    # people and accounts
    "profile_saved",
    "account_created",
    "account_deactivated",
    "account_activated",
    "password_changed",
    "token_revoked",
    "notifications_saved",
    "reply_sent",
]
KINDS: tuple[str, ...] = get_args(Kind)
Name = str | int


@dataclass
class Done:
    """A message for this page: `kind` picks it, `names` fills it, `at` is the id of the part
    of the page it is said in ("" : at the top)."""

    kind: str
    at: str = ""
    names: dict[str, Name] = field(default_factory=dict)


def _serializer(request: Request, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.secret_key, salt=f"praxis.{purpose}")


def seal(request: Request, purpose: str, data: Any) -> str:
    """`data` signed with the site's key for `purpose`, dated: what a form may carry back and
    the site trust (`unseal`) because only the site could have written it."""
    return _serializer(request, purpose).dumps(data)


def unseal(request: Request, purpose: str, token: str, max_age: int) -> Any | None:
    """What `seal` signed for `purpose` at most `max_age` seconds ago; None for anything else."""
    try:
        return _serializer(request, purpose).loads(token, max_age=max_age)
    except BadData:
        return None


def said(request: Request, url: str, kind: Kind, **names: Name) -> RedirectResponse:
    """A 303 to `url`, whose page then says `kind` once, to the person who acted, where `url`'s
    anchor points. `names`: what the message names, read from the database by the action."""
    response = RedirectResponse(url, status_code=303)
    actor = getattr(request.state, "actor", None)
    if actor is None:
        return response
    parts = urlsplit(url)
    told = {"k": kind, "p": parts.path, "u": actor.id, "a": parts.fragment, "v": names}
    response.set_cookie(
        DONE_COOKIE,
        seal(request, "done", told),
        max_age=LASTS,
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.app.state.settings.secure_cookies,
    )
    return response


def _read(request: Request) -> tuple[Done | None, bool]:
    """The message for this page and this person, and whether the cookie is spent (said here,
    or unreadable); one for another address is left for it."""
    raw = request.cookies.get(DONE_COOKIE)
    if not raw:
        return None, False
    told = unseal(request, "done", raw, LASTS)
    if not (isinstance(told, dict) and isinstance(told.get("v"), dict) and told.get("k") in KINDS):
        return None, True
    if told.get("p") != request.url.path:
        return None, False
    actor = getattr(request.state, "actor", None)
    if actor is None or told.get("u") != actor.id:
        return None, True
    names = {k: v for k, v in told["v"].items() if isinstance(k, str) and isinstance(v, str | int)}
    return Done(kind=told["k"], at=str(told.get("a") or ""), names=names), True


def current(request: Request) -> Done | None:
    """What this page says was just done, if anything (read once per request: a page may move
    it, see praxis/web/carnets.py, before it is rendered)."""
    if not hasattr(request.state, "done"):
        request.state.done, request.state.done_spent = _read(request)
    done: Done | None = request.state.done
    return done


def forget(request: Request, response: Response) -> None:
    """Drop the cookie once its page has been rendered: it is said once."""
    current(request)
    if request.state.done_spent:
        settings = request.app.state.settings
        response.delete_cookie(DONE_COOKIE, path="/", httponly=True, samesite="lax", secure=settings.secure_cookies)
