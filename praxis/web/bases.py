"""Base pages: the list, one base with its carnets and the notes across them, its settings."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from sqlmodel import Session
from starlette.responses import Response

from praxis.carnets import service as carnet_service
from praxis.deps import ActorDep, SessionDep, UserDep
from praxis.people import service as people_service
from praxis.publishing import service as publishing_service
from praxis.schemas import BaseCarnetAdd, BaseCreate, BaseManagerAdd, BaseUpdate, NoteQuery
from praxis.transfer import service as transfer_service
from praxis.web import citations as citation_pages
from praxis.web.citations import StyleParam
from praxis.web.done import said
from praxis.web.forms import MemberName, form_page, member_form, parse
from praxis.web.templating import page

router = APIRouter()
_FIELDS = ("title", "description", "visibility", "community")


async def _values(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v.replace("\r\n", "\n") if isinstance(v := form.get(k), str) else "" for k in _FIELDS}


@router.get("/b/")
def list_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    return _list(request, session, actor, {}, {})


def _list(request: Request, session: Session, actor: Any, values: dict, errors: dict, status: int = 200) -> Response:
    return page(
        request,
        "bases/list.html",
        {
            "bases": carnet_service.list_bases(session=session, actor=actor),
            "values": values,
            "errors": errors,
            "communities": people_service.my_communities(session=session, actor=actor),
            "share": publishing_service.listing_card(session, "/b/"),
        },
        status_code=status,
        alternate="/api/v1/bases",
    )


@router.post("/b/")
async def create(request: Request, session: SessionDep, actor: UserDep) -> Response:
    values = await _values(request)
    form_page(request, lambda s, errors, status: _list(request, s, actor, values, errors, status=status))
    created = carnet_service.create_base(
        session=session, actor=actor, data=parse(BaseCreate, {k: v for k, v in values.items() if v})
    )
    return said(request, f"/b/{created.id}/", "base_created")


@router.get("/b/{base_id}/")
def base_page(
    request: Request,
    base_id: str,
    session: SessionDep,
    actor: ActorDep,
    carnet: Annotated[str, Query(max_length=32)] = "",
    kind: str = "",
    author: Annotated[str, Query(max_length=64)] = "",
    q: Annotated[str, Query(max_length=200)] = "",
    p: Annotated[int, Query(ge=1, le=100_000)] = 1,
    style: StyleParam = "",
) -> Response:
    query = parse(NoteQuery, {"carnet": carnet, "kind": kind, "author": author, "q": q, "page": p})
    base = carnet_service.read_base(session=session, actor=actor, base_id=base_id, query=query)
    params = [
        (k, v)
        for k, v in (("carnet", query.carnet), ("kind", query.kind), ("author", query.author), ("q", query.q))
        if v
    ]
    work = publishing_service.base_work(session, base)
    cite = citation_pages.block(
        session,
        work,
        citation_pages.style_query(style),
        api=f"/api/v1/bases/{base.id}/citation",
        keep=params + ([("p", query.page)] if query.page > 1 else []),
    )
    share = publishing_service.base_card(session, base, work)
    if params:  # a filtered view repeats the base: only the base itself is indexed
        share = replace(share, indexable=False)
    return page(
        request,
        "bases/view.html",
        {"base": base, "query": query, "params": params, "filtered": bool(params), "cite": cite, "share": share},
        alternate=f"/api/v1/bases/{base.id}",
    )


@router.get("/b/{base_id}/edit")
def edit_page(request: Request, base_id: str, session: SessionDep, actor: UserDep) -> Response:
    return _saved_editor(request, session, actor, base_id, {}, 200)


def _saved_editor(
    request: Request, session: Session, actor: Any, base_id: str, errors: dict, status: int, member: dict | None = None
) -> Response:
    """The settings page with the base's saved settings (the manager form's refusals show here)."""
    base = carnet_service.base_for_editing(session=session, actor=actor, base_id=base_id)
    values = {
        "title": base.title,
        "description": base.description,
        "visibility": base.visibility,
        "community": base.community.id if base.community else "",
    }
    return _editor(request, session, actor, base, values, errors, status=status, member=member)


def _editor(
    request: Request,
    session: Session,
    actor: Any,
    base: Any,
    values: dict,
    errors: dict,
    status: int = 200,
    member: dict | None = None,
) -> Response:
    inside = {c.id for c in base.carnets}
    choices = [
        c for c in carnet_service.list_carnets(session=session, actor=actor, per_page=100).items if c.id not in inside
    ]
    return page(
        request,
        "bases/edit.html",
        {
            "base": base,
            "values": values,
            "errors": errors,
            "member": member or {},
            "choices": choices,
            "communities": people_service.my_communities(session=session, actor=actor),
        },
        status_code=status,
    )


@router.post("/b/{base_id}/edit")
async def edit(request: Request, base_id: str, session: SessionDep, actor: UserDep) -> Response:
    values = await _values(request)
    fields: dict[str, Any] = {k: v for k, v in values.items() if v or k == "description"}
    fields.setdefault("community", None)
    # What was typed is shown back to managers only (get_for_editing refuses anyone else).
    form_page(
        request,
        lambda s, errors, status: _editor(
            request,
            s,
            actor,
            carnet_service.base_for_editing(session=s, actor=actor, base_id=base_id),
            values,
            errors,
            status=status,
        ),
    )
    carnet_service.update_base(session=session, actor=actor, base_id=base_id, data=parse(BaseUpdate, fields))
    return said(request, f"/b/{base_id}/", "base_saved")


@router.get("/b/{base_id}/delete")
def confirm_delete(request: Request, base_id: str, session: SessionDep, actor: UserDep) -> Response:
    """Deleting a base asks first (its managers)."""
    base = carnet_service.base_for_editing(session=session, actor=actor, base_id=base_id)
    return page(
        request,
        "confirm.html",
        {
            "what": "base",
            "title": base.title,
            "action": f"/b/{base_id}/delete",
            "cancel": f"/b/{base_id}/edit",
        },
    )


@router.post("/b/{base_id}/delete")
def delete(request: Request, base_id: str, session: SessionDep, actor: UserDep) -> Response:
    title = carnet_service.delete_base(session=session, actor=actor, base_id=base_id)
    return said(request, "/b/", "base_deleted", title=title)


@router.post("/b/{base_id}/carnets")
def add_carnet(
    request: Request,
    base_id: str,
    session: SessionDep,
    actor: UserDep,
    carnet_id: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    data = parse(BaseCarnetAdd, {"carnet_id": carnet_id})
    base = carnet_service.add_carnet_to_base(session=session, actor=actor, base_id=base_id, data=data)
    title = next(c.title for c in base.carnets if c.id == data.carnet_id)
    return said(request, f"/b/{base_id}/edit#carnets", "base_carnet_added", title=title)


@router.post("/b/{base_id}/carnets/{carnet_id}/remove")
def remove_carnet(request: Request, base_id: str, carnet_id: str, session: SessionDep, actor: UserDep) -> Response:
    title = carnet_service.remove_carnet_from_base(session=session, actor=actor, base_id=base_id, carnet_id=carnet_id)
    return said(request, f"/b/{base_id}/edit#carnets", "base_carnet_removed", title=title)


@router.post("/b/{base_id}/managers")
def add_manager(
    request: Request, base_id: str, session: SessionDep, actor: UserDep, username: MemberName = ""
) -> Response:
    typed = {"username": username}
    form_page(request, lambda s, errors, status: _saved_editor(request, s, actor, base_id, errors, status, typed))
    data = member_form(BaseManagerAdd, people_service.named_person(session, username.strip()))
    base = carnet_service.add_base_manager(session=session, actor=actor, base_id=base_id, username=data.username)
    name = next(m.display_name for m in base.managers if m.username == data.username)
    return said(request, f"/b/{base_id}/edit#gestion", "base_manager_added", name=name)


@router.post("/b/{base_id}/managers/{username}/remove")
def remove_manager(request: Request, base_id: str, username: str, session: SessionDep, actor: UserDep) -> Response:
    """A manager takes another off (back to the managers), or leaves (to the bases: they may not
    manage, or even see, this one now)."""
    if username == actor.username:
        title = carnet_service.base_ref(session=session, actor=actor, base_id=base_id).title
        carnet_service.remove_base_manager(session=session, actor=actor, base_id=base_id, username=username)
        return said(request, "/b/", "base_left", title=title)
    name = carnet_service.remove_base_manager(session=session, actor=actor, base_id=base_id, username=username)
    return said(request, f"/b/{base_id}/edit#gestion", "base_manager_removed", name=name)


@router.get("/b/{base_id}/export.zip")
def export(base_id: str, session: SessionDep, actor: ActorDep) -> Response:
    """The base, its carnets and their notes as a ZIP (what the reader may see of them)."""
    base = carnet_service.base_ref(session=session, actor=actor, base_id=base_id)
    body = transfer_service.export_archive(session=session, actor=actor, base_id=base.id)
    return Response(
        body,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="base-{base.id}.zip"', "Cache-Control": "private"},
    )
