"""The home page, an entrance (what the site is, its bases and carnets, the lexique and the
répertoire, recent activity), and /notes/, every note in the order the reader chooses."""

from dataclasses import replace
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from starlette.responses import RedirectResponse, Response

from praxis import policy
from praxis.carnets import service as carnet_service
from praxis.deps import ActorDep, SessionDep
from praxis.i18n import N_
from praxis.notes import service as note_service
from praxis.publishing import service as publishing_service
from praxis.schemas import NoteQuery, Sort
from praxis.web.forms import parse
from praxis.web.templating import page, site_description

router = APIRouter()

SORT_LABELS = {
    "-updated": N_("Dernières modifiées"),
    "-published": N_("Dernières publiées"),
    "published": N_("Plus anciennes"),
    "title": N_("Titre (A à Z)"),
}
# How much of each the home page shows; the rest is one link away.
HOME_CARNETS = 6
HOME_BASES = 6
HOME_RECENT = 8


@router.get("/")
def home(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    if "sort" in request.query_params or "p" in request.query_params:
        # The full list was here before /notes/: its addresses (a sort, a page) still lead to it.
        return RedirectResponse(f"/notes/?{request.url.query}", status_code=301)
    counts = note_service.kind_counts(session=session, actor=actor)
    bases = carnet_service.list_bases(session=session, actor=actor)
    carnets = carnet_service.list_carnets(session=session, actor=actor, per_page=HOME_CARNETS)
    recent = note_service.list_notes(
        session=session, actor=actor, query=NoteQuery(sort="-updated", per_page=HOME_RECENT)
    )
    share = publishing_service.listing_card(session, "/")
    return page(
        request,
        "home.html",
        {
            "counts": counts,
            "total": sum(counts.values()),
            "bases": bases[:HOME_BASES],
            "base_total": len(bases),
            "carnets": carnets,
            "recent": recent,
            "is_admin": policy.is_admin(actor),
            "share": replace(share, description=site_description(request.app.state.settings)),
        },
        alternate=f"/api/v1/notes?sort=-updated&per_page={HOME_RECENT}",
    )


@router.get("/notes/")
def all_notes(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    p: Annotated[int, Query(ge=1, le=100_000)] = 1,
    sort: Sort = "-updated",
    keyword: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    query = parse(NoteQuery, {"page": p, "per_page": 20, "sort": sort, "keyword": keyword})
    notes = note_service.list_notes(session=session, actor=actor, query=query)
    chosen = f"&keyword={quote(query.keyword)}" if query.keyword else ""
    return page(
        request,
        "notes/list.html",
        {
            "notes": notes,
            "sort": sort,
            "sorts": SORT_LABELS,
            "keyword": query.keyword,
            "share": publishing_service.listing_card(session, "/notes/"),
        },
        alternate=f"/api/v1/notes?page={p}&sort={sort}{chosen}",
    )
