"""The répertoire des organisations, the lexique, and terms at /def/{slug}/."""

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from praxis.deps import ActorDep, SessionDep
from praxis.markdown import fold
from praxis.notes import service as note_service
from praxis.publishing import service as publishing_service
from praxis.schemas import NoteQuery
from praxis.web.citations import StyleParam
from praxis.web.notes import note_page
from praxis.web.templating import page

router = APIRouter()
Page = Annotated[int, Query(ge=1, le=100_000)]


@router.get("/organisations/")
def organisations(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    p: Page = 1,
    region: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    query = NoteQuery(kind="organisation", region=region or None, sort="title", page=p, per_page=30)
    found = note_service.list_notes(session=session, actor=actor, query=query)
    return page(
        request,
        "directory/organisations.html",
        {
            "notes": found,
            "regions": note_service.regions(session=session, actor=actor),
            "region": region or "",
            "share": publishing_service.listing_card(session, "/organisations/"),
        },
        alternate=f"/api/v1/notes?kind=organisation&sort=title&page={p}"
        + (f"&region={quote(region)}" if region else ""),
    )


@router.get("/lexique/")
def lexique(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    p: Page = 1,
    lettre: Annotated[str | None, Query(min_length=1, max_length=1)] = None,
) -> Response:
    query = NoteQuery(kind="term", letter=lettre or None, sort="title", page=p, per_page=100)
    found = note_service.list_notes(session=session, actor=actor, query=query)
    groups: dict[str, list] = {}
    for item in found.items:
        groups.setdefault(note_service.letter_of(fold(item.title)), []).append(item)
    return page(
        request,
        "directory/lexique.html",
        {
            "notes": found,
            "groups": groups,
            "letters": note_service.letters(session=session, actor=actor),
            "letter": lettre or "",
            "share": publishing_service.listing_card(session, "/lexique/"),
        },
        alternate=f"/api/v1/notes?kind=term&sort=title&page={p}",
    )


@router.get("/def/{slug}/")
def definition(request: Request, slug: str, session: SessionDep, actor: ActorDep, style: StyleParam = "") -> Response:
    term = note_service.term_by_slug(session=session, actor=actor, slug=slug)
    return note_page(request, session, actor, term, style=style)
