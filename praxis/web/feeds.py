"""Atom feeds of the site, a carnet, a base and an author, for feed readers."""

from fastapi import APIRouter
from starlette.responses import Response

from praxis.deps import ActorDep, SessionDep
from praxis.publishing import service as publishing_service

router = APIRouter()
ATOM = "application/atom+xml; charset=utf-8"


def _atom(body: bytes, actor: object) -> Response:
    # A feed read with credentials may hold what others may not see: no shared cache keeps it.
    headers = {"Vary": "Authorization, Cookie"}
    if actor is not None:
        headers["Cache-Control"] = "private"
    return Response(body, media_type=ATOM, headers=headers)


@router.get("/feed.atom")
def site_feed(session: SessionDep, actor: ActorDep) -> Response:
    return _atom(publishing_service.site_feed(session, actor), actor)


@router.get("/c/{carnet_id}/feed.atom")
def carnet_feed(carnet_id: str, session: SessionDep, actor: ActorDep) -> Response:
    return _atom(publishing_service.carnet_feed(session, actor, carnet_id), actor)


@router.get("/b/{base_id}/feed.atom")
def base_feed(base_id: str, session: SessionDep, actor: ActorDep) -> Response:
    return _atom(publishing_service.base_feed(session, actor, base_id), actor)


@router.get("/u/{username}/feed.atom")
def author_feed(username: str, session: SessionDep, actor: ActorDep) -> Response:
    return _atom(publishing_service.author_feed(session, actor, username), actor)


@router.get("/n/{note_id}/discussion.atom")
def discussion_feed(note_id: str, session: SessionDep) -> Response:
    """A public note's discussion; the same for everyone, so it may be cached."""
    return _atom(publishing_service.discussion_feed(session, note_id), None)
