"""The home page: the latest notes, in the order the reader chooses."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from praxis.deps import ActorDep, SessionDep
from praxis.i18n import N_
from praxis.notes import service as note_service
from praxis.publishing import service as publishing_service
from praxis.schemas import NoteQuery, Sort
from praxis.web.templating import page

router = APIRouter()

SORT_LABELS = {
    "-updated": N_("Dernières modifiées"),
    "-published": N_("Dernières publiées"),
    "published": N_("Plus anciennes"),
    "title": N_("Titre (A à Z)"),
}


@router.get("/")
def home(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    p: Annotated[int, Query(ge=1, le=100_000)] = 1,
    sort: Sort = "-updated",
) -> Response:
    notes = note_service.list_notes(session=session, actor=actor, query=NoteQuery(page=p, per_page=20, sort=sort))
    return page(
        request,
        "home.html",
        {"notes": notes, "sort": sort, "sorts": SORT_LABELS, "share": publishing_service.listing_card(session, "/")},
        alternate=f"/api/v1/notes?page={p}&sort={sort}",
    )
