"""Managing a carnet (for its managers): its settings, members, axes and categories, and
deleting it. The carnet's other pages are in praxis/web/carnets.py."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Request
from sqlmodel import Session
from starlette.responses import Response

from praxis.carnets import service as carnet_service
from praxis.deps import SessionDep, UserDep
from praxis.people import service as people_service
from praxis.schemas import (
    AxisCreate,
    CarnetMemberAdd,
    CarnetUpdate,
    CategoryName,
    CategoryRemoval,
    NameChange,
)
from praxis.web.carnets import back, form_text
from praxis.web.done import Kind, said
from praxis.web.forms import MemberName, MemberRole, form_page, member_form, parse, split_list
from praxis.web.templating import page

router = APIRouter()


@router.get("/c/{carnet_id}/edit")
def edit_page(request: Request, carnet_id: str, session: SessionDep, actor: UserDep) -> Response:
    return _saved_editor(request, session, actor, carnet_id, {}, 200)


def _saved_editor(
    request: Request,
    session: Session,
    actor: Any,
    carnet_id: str,
    errors: dict,
    status: int,
    member: dict | None = None,
) -> Response:
    """The settings page with the carnet's saved settings (the member form's refusals show here)."""
    carnet = carnet_service.carnet_for_editing(session=session, actor=actor, carnet_id=carnet_id)
    values = {k: getattr(carnet, k) for k in ("title", "description", "guide", "visibility", "sort")}
    values["community"] = carnet.community.id if carnet.community else ""
    return _editor(request, session, actor, carnet, values, errors, status=status, member=member)


def _editor(
    request: Request,
    session: Session,
    actor: Any,
    carnet: Any,
    values: dict,
    errors: dict,
    status: int = 200,
    member: dict | None = None,
) -> Response:
    return page(
        request,
        "carnets/edit.html",
        {
            "carnet": carnet,
            "values": values,
            "errors": errors,
            "member": member or {},
            "communities": people_service.my_communities(session=session, actor=actor),
            "filed": {c.name: c.count for axis in carnet.axes for c in axis.categories},
        },
        status_code=status,
    )


@router.post("/c/{carnet_id}/edit")
async def edit(request: Request, carnet_id: str, session: SessionDep, actor: UserDep) -> Response:
    form = await request.form()
    values = {k: form_text(form, k) or "" for k in ("title", "description", "guide", "visibility", "community", "sort")}
    fields: dict[str, Any] = {k: v for k, v in values.items() if v or k in ("description", "guide")}
    fields.setdefault("community", None)
    # What was typed is shown back to managers only (get_for_editing refuses anyone else).
    form_page(
        request,
        lambda s, errors, status: _editor(
            request,
            s,
            actor,
            carnet_service.carnet_for_editing(session=s, actor=actor, carnet_id=carnet_id),
            values,
            errors,
            status=status,
        ),
    )
    carnet_service.update_carnet(session=session, actor=actor, carnet_id=carnet_id, data=parse(CarnetUpdate, fields))
    return said(request, back(carnet_id), "carnet_saved")


@router.get("/c/{carnet_id}/delete")
def confirm_delete(request: Request, carnet_id: str, session: SessionDep, actor: UserDep) -> Response:
    """Deleting a carnet asks first (its managers)."""
    carnet = carnet_service.carnet_for_editing(session=session, actor=actor, carnet_id=carnet_id)
    return page(
        request,
        "confirm.html",
        {
            "what": "carnet",
            "title": carnet.title,
            "action": f"/c/{carnet_id}/delete",
            "cancel": f"/c/{carnet_id}/edit",
        },
    )


@router.post("/c/{carnet_id}/delete")
def delete(request: Request, carnet_id: str, session: SessionDep, actor: UserDep) -> Response:
    title = carnet_service.delete_carnet(session=session, actor=actor, carnet_id=carnet_id)
    return said(request, "/c/", "carnet_deleted", title=title)


@router.post("/c/{carnet_id}/members")
def add_member(
    request: Request,
    carnet_id: str,
    session: SessionDep,
    actor: UserDep,
    username: MemberName = "",
    role: MemberRole = "contributor",
) -> Response:
    typed = {"username": username, "role": role}
    form_page(request, lambda s, errors, status: _saved_editor(request, s, actor, carnet_id, errors, status, typed))
    data = member_form(CarnetMemberAdd, people_service.named_person(session, username.strip()), role)
    carnet = carnet_service.set_carnet_member(
        session=session, actor=actor, carnet_id=carnet_id, username=data.username, role=data.role
    )
    name = next(m.display_name for m in carnet.members if m.username == data.username)
    kind: Kind = "member_manager" if data.role == "manager" else "member_contributor"
    return said(request, f"/c/{carnet_id}/edit#membres", kind, name=name)


@router.post("/c/{carnet_id}/members/{username}/remove")
def remove_member(request: Request, carnet_id: str, username: str, session: SessionDep, actor: UserDep) -> Response:
    """A manager takes someone off (back to the members), or someone leaves (to the carnets:
    this one may be closed to them now)."""
    if username == actor.username:
        title = carnet_service.carnet_ref(session=session, actor=actor, carnet_id=carnet_id).title
        carnet_service.remove_carnet_member(session=session, actor=actor, carnet_id=carnet_id, username=username)
        return said(request, "/c/", "carnet_left", title=title)
    name = carnet_service.remove_carnet_member(session=session, actor=actor, carnet_id=carnet_id, username=username)
    return said(request, f"/c/{carnet_id}/edit#membres", "member_removed", name=name)


@router.post("/c/{carnet_id}/axes")
def add_axis(
    request: Request,
    carnet_id: str,
    session: SessionDep,
    actor: UserDep,
    name: Annotated[str, Form(max_length=100)] = "",
    categories_: Annotated[str, Form(alias="categories", max_length=2000)] = "",
) -> Response:
    data = parse(AxisCreate, {"name": name, "categories": split_list(categories_)})
    carnet_service.add_axis(session=session, actor=actor, carnet_id=carnet_id, data=data)
    return said(request, f"/c/{carnet_id}/edit#categories", "axis_added")


def _name(value: str) -> str:
    data = parse(NameChange, {"name": value})
    return data.name


@router.post("/c/{carnet_id}/axes/{axis_id}/rename")
def rename_axis(
    request: Request,
    carnet_id: str,
    axis_id: int,
    session: SessionDep,
    actor: UserDep,
    name: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    carnet_service.rename_axis(session=session, actor=actor, carnet_id=carnet_id, axis_id=axis_id, name=_name(name))
    return said(request, f"/c/{carnet_id}/edit#categories", "axis_renamed")


@router.post("/c/{carnet_id}/axes/{axis_id}/delete")
def delete_axis(request: Request, carnet_id: str, axis_id: int, session: SessionDep, actor: UserDep) -> Response:
    carnet_service.delete_axis(session=session, actor=actor, carnet_id=carnet_id, axis_id=axis_id)
    return said(request, f"/c/{carnet_id}/edit#categories", "axis_deleted")


@router.post("/c/{carnet_id}/axes/{axis_id}/categories")
def add_category(
    request: Request,
    carnet_id: str,
    axis_id: int,
    session: SessionDep,
    actor: UserDep,
    name: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    carnet_service.add_category(session=session, actor=actor, carnet_id=carnet_id, axis_id=axis_id, name=_name(name))
    return said(request, f"/c/{carnet_id}/edit#categories", "category_added")


@router.post("/c/{carnet_id}/categories/rename")
def rename_category(
    request: Request,
    carnet_id: str,
    session: SessionDep,
    actor: UserDep,
    name: Annotated[str, Form(max_length=100)] = "",
    new_name: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    carnet_service.rename_category(
        session=session, actor=actor, carnet_id=carnet_id, name=_name(name), new_name=_name(new_name)
    )
    return said(request, f"/c/{carnet_id}/edit#categories", "category_renamed")


@router.get("/c/{carnet_id}/categories/delete")
def delete_category_page(
    request: Request, carnet_id: str, session: SessionDep, actor: UserDep, name: CategoryName
) -> Response:
    """Deleting a category asks first what becomes of the notes filed under it."""
    deletion = carnet_service.category_deletion(session=session, actor=actor, carnet_id=carnet_id, name=name)
    return page(
        request,
        "carnets/category_delete.html",
        {
            "carnet": deletion.carnet,
            "category": deletion.category,
            "filed": deletion.category.count,
            "siblings": deletion.siblings,
        },
    )


@router.post("/c/{carnet_id}/categories/delete")
def delete_category(
    request: Request,
    carnet_id: str,
    session: SessionDep,
    actor: UserDep,
    name: Annotated[str, Form(max_length=100)] = "",
    notes: Annotated[Literal["uncategorise", "move", "remove"], Form()] = "uncategorise",
    to: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    removal = parse(CategoryRemoval, {"notes": notes, "to": to or None})
    carnet_service.delete_category(session=session, actor=actor, carnet_id=carnet_id, name=_name(name), removal=removal)
    return said(request, f"/c/{carnet_id}/edit#categories", "category_deleted")
