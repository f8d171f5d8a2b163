"""Profile pages."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from praxis.deps import ActorDep, SessionDep
from praxis.errors import NotFound
from praxis.schemas import NoteQuery
from praxis.services import accounts
from praxis.services import notes as note_service
from praxis.web.templating import page

router = APIRouter()


@router.get("/u/{username}/")
def profile(
    request: Request, username: str, session: SessionDep, actor: ActorDep, p: Annotated[int, Query(ge=1, le=100_000)] = 1
) -> Response:
    person = accounts.get_user(session, username) if len(username) <= 64 else None
    if person is None:
        raise NotFound("No such person.")
    notes = note_service.list_notes(session=session, actor=actor, query=NoteQuery(author=person.username, page=p))
    return page(request, "users/profile.html", {"person": person, "notes": notes},
                alternate=f"/api/v1/notes?author={person.username}")
