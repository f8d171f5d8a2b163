"""Profile pages."""

from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from sqlmodel import Session
from starlette.responses import Response

from praxis.deps import ActorDep, SessionDep, UserDep
from praxis.errors import NotFound
from praxis.notes import service as note_service
from praxis.people import service as people_service
from praxis.publishing import service as publishing_service
from praxis.schemas import NoteQuery, ProfileUpdate
from praxis.web.done import Kind, said
from praxis.web.forms import FormInvalid, form_page, parse
from praxis.web.templating import page

router = APIRouter()


@router.get("/u/{username}/")
def profile(
    request: Request,
    username: str,
    session: SessionDep,
    actor: ActorDep,
    p: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    if len(username) > 64:
        raise NotFound("No such person.")
    person = people_service.read_profile(session=session, actor=actor, username=username)
    notes = note_service.list_notes(session=session, actor=actor, query=NoteQuery(author=person.username, page=p))
    return page(
        request,
        "users/profile.html",
        {
            "person": person,
            "notes": notes,
            "can_set_active": person.can_set_active,
            "can_edit": person.can_edit,
            "cited_as": person.cited_as,
            "share": publishing_service.listing_card(session, f"/u/{quote(person.username)}/"),
        },
        alternate=f"/api/v1/users/{quote(person.username)}",
    )


@router.get("/u/{username}/edit")
def edit_form(request: Request, username: str, session: SessionDep, actor: UserDep) -> Response:
    person = people_service.load_editable_profile(session, actor, username)
    values = {
        "display_name": person.display_name,
        "family_name": person.family_name or "",
        "given_name": person.given_name or "",
        "is_organisation": person.is_organisation,
    }
    return page(
        request,
        "users/edit.html",
        {"person": person, "values": values, "errors": {}, "cited_as": person.cited_as},
    )


@router.post("/u/{username}/edit")
async def edit(request: Request, username: str, session: SessionDep, actor: UserDep) -> Response:
    person = people_service.load_editable_profile(session, actor, username)
    form = await request.form()
    values: dict[str, Any] = {
        k: v for k in ("display_name", "family_name", "given_name") if isinstance(v := form.get(k), str)
    }
    values["is_organisation"] = form.get("is_organisation") == "on"

    def again(reading: Session, errors: dict[str, str], status: int) -> Response:
        # Only the form's own refusals come back here, before anything was changed.
        return page(
            request,
            "users/edit.html",
            {"person": person, "values": values, "errors": errors, "cited_as": person.cited_as},
            status_code=status,
        )

    form_page(request, again, answers=(FormInvalid,))  # the service's refusals have the error page
    data = parse(ProfileUpdate, values)
    people_service.update_profile(session=session, actor=actor, username=person.username, data=data)
    return said(request, f"/u/{quote(person.username)}/", "profile_saved")


@router.post("/u/{username}/{action}")
def set_active(
    request: Request, username: str, action: Literal["deactivate", "activate"], session: SessionDep, actor: UserDep
) -> Response:
    """Admins deactivate an account (its sessions and tokens stop at once) or reactivate it."""
    person = people_service.set_active(session=session, actor=actor, username=username, active=action == "activate")
    kind: Kind = "account_activated" if action == "activate" else "account_deactivated"
    return said(request, f"/u/{quote(person.username)}/", kind)
