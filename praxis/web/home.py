"""The home page: the latest notes."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from praxis.deps import ActorDep, SessionDep
from praxis.schemas import NoteQuery
from praxis.services import notes as note_service
from praxis.web.templating import page

router = APIRouter()


@router.get("/")
def home(request: Request, session: SessionDep, actor: ActorDep, p: Annotated[int, Query(ge=1, le=100_000)] = 1) -> Response:
    notes = note_service.list_notes(session=session, actor=actor, query=NoteQuery(page=p, per_page=20))
    return page(request, "home.html", {"notes": notes}, alternate=f"/api/v1/notes?page={p}")
