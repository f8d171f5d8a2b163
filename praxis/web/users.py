"""Profile pages."""

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from praxis import policy
from praxis.deps import ActorDep, SessionDep, UserDep
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
    return page(request, "users/profile.html", {"person": person, "notes": notes, "can_manage": policy.can_manage_accounts(actor)},
                alternate=f"/api/v1/users/{quote(person.username)}")


@router.post("/u/{username}/{action}")
def set_active(username: str, action: Literal["deactivate", "activate"], session: SessionDep, actor: UserDep) -> Response:
    """Admins deactivate an account (its sessions and tokens stop at once) or reactivate it."""
    person = accounts.set_active(session=session, actor=actor, username=username, active=action == "activate")
    return RedirectResponse(f"/u/{quote(person.username)}/", status_code=303)
