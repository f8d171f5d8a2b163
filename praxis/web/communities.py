"""Community pages: the list, one community with its members and notes, membership forms."""

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from sqlmodel import Session
from starlette.responses import Response

from praxis.deps import ActorDep, SessionDep, UserDep
from praxis.notes import service as note_service
from praxis.people import service as people_service
from praxis.publishing import service as publishing_service
from praxis.schemas import CommunityCreate, MemberAdd, NoteQuery
from praxis.web.done import Kind, said
from praxis.web.forms import FormInvalid, MemberName, MemberRole, form_page, member_form, parse
from praxis.web.templating import page

router = APIRouter(prefix="/communautes")


@router.get("/")
def list_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    return page(
        request,
        "communities/list.html",
        {
            "communities": people_service.list_communities(session=session, actor=actor),
            "errors": {},
            "share": publishing_service.listing_card(session, "/communautes/"),
        },
        alternate="/api/v1/communities",
    )


@router.post("/")
async def create(request: Request, session: SessionDep, actor: UserDep) -> Response:
    form = await request.form()
    form_page(
        request,
        lambda reading, errors, status: page(
            request,
            "communities/list.html",
            {"communities": people_service.list_communities(session=reading, actor=actor), "errors": errors},
            status_code=status,
        ),
        answers=(FormInvalid,),
    )  # the service's refusals have the error page
    data = parse(CommunityCreate, {k: v for k in ("name", "description") if isinstance(v := form.get(k), str) and v})
    created = people_service.create_community(session=session, actor=actor, data=data)
    return said(request, f"/communautes/{quote(created.id)}/", "community_created")


@router.get("/{community_id}/")
def community_page(
    request: Request,
    community_id: str,
    session: SessionDep,
    actor: ActorDep,
    p: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    return _community(request, session, actor, community_id, p)


def _community(
    request: Request,
    session: Session,
    actor: Any,
    community_id: str,
    p: int = 1,
    errors: dict | None = None,
    status: int = 200,
    member: dict | None = None,
) -> Response:
    """A community's page; the member form's refusals show on it, with what was typed."""
    community = people_service.read_community(session=session, actor=actor, community_id=community_id)
    notes = note_service.list_notes(session=session, actor=actor, query=NoteQuery(community=community.id, page=p))
    return page(
        request,
        "communities/view.html",
        {
            "community": community,
            "notes": notes,
            "errors": errors or {},
            "member": member or {},
            "share": publishing_service.listing_card(session, f"/communautes/{quote(community.id)}/"),
        },
        status_code=status,
        alternate=f"/api/v1/communities/{community.id}",
    )


@router.post("/{community_id}/members")
def add_member(
    request: Request,
    community_id: str,
    session: SessionDep,
    actor: UserDep,
    username: MemberName = "",
    role: MemberRole = "member",
) -> Response:
    typed = {"username": username, "role": role}
    form_page(
        request,
        lambda s, errors, status: _community(
            request, s, actor, community_id, errors=errors, status=status, member=typed
        ),
    )
    data = member_form(MemberAdd, username, role)
    community = people_service.set_community_member(
        session=session, actor=actor, community_id=community_id, username=data.username, role=data.role
    )
    name = next(m.display_name for m in community.members if m.username == data.username)
    kind: Kind = "community_manager" if data.role == "manager" else "community_member"
    return said(request, f"/communautes/{quote(community.id)}/", kind, name=name)


@router.post("/{community_id}/members/{username}/remove")
def remove_member(request: Request, community_id: str, username: str, session: SessionDep, actor: UserDep) -> Response:
    name = people_service.remove_community_member(
        session=session, actor=actor, community_id=community_id, username=username
    )
    to = f"/communautes/{quote(community_id)}/"
    if username == actor.username:
        return said(request, to, "community_left")
    return said(request, to, "community_member_removed", name=name)
