"""Carnet pages: the list, one carnet with its notes, its graph, filing notes in it, its export.
Its settings, members and categories (for its managers) are in praxis/web/carnet_settings.py."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse
from sqlmodel import Session
from starlette.datastructures import FormData
from starlette.responses import Response

from praxis.carnets import service as carnet_service
from praxis.deps import ActorDep, SessionDep, UserDep
from praxis.errors import Conflict, Invalid
from praxis.i18n import N_
from praxis.notes import service as note_service
from praxis.people import service as people_service
from praxis.publishing import service as publishing_service
from praxis.schemas import (
    MAX_AXES,
    CarnetCreate,
    CarnetQuery,
    EntryCreate,
    EntryUpdate,
)
from praxis.transfer import service as transfer_service
from praxis.web import citations as citation_pages
from praxis.web.citations import StyleParam
from praxis.web.forms import form_page, parse, split_list
from praxis.web.templating import page

router = APIRouter()
AxisId = Annotated[int, Query(ge=1, le=2_147_483_647)]


def back(carnet_id: str, anchor: str = "") -> Response:
    return RedirectResponse(f"/c/{carnet_id}/{anchor}", status_code=303)


def form_text(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value.replace("\r\n", "\n") if isinstance(value, str) else None


def _chosen(form: FormData) -> list[str]:
    """The categories picked in the form's lists (one select per list; empty means none)."""
    return [v for v in form.getlist("categories") if isinstance(v, str) and v.strip()]


# --- list and creation -----------------------------------------------------------------------


@router.get("/c/")
def list_page(
    request: Request, session: SessionDep, actor: ActorDep, p: Annotated[int, Query(ge=1, le=100_000)] = 1
) -> Response:
    return _list(request, session, actor, p, values={}, errors={})


def _list(
    request: Request, session: Session, actor: Any, p: int, *, values: dict, errors: dict, status: int = 200
) -> Response:
    listing = carnet_service.list_carnets(session=session, actor=actor, page=p, per_page=50)
    return page(
        request,
        "carnets/list.html",
        {
            "carnets": listing,
            "values": values,
            "errors": errors,
            "communities": people_service.my_communities(session=session, actor=actor),
            "share": publishing_service.listing_card(session, "/c/"),
        },
        status_code=status,
        alternate="/api/v1/carnets",
    )


@router.post("/c/")
async def create(request: Request, session: SessionDep, actor: UserDep) -> Response:
    form = await request.form()
    values = {k: form_text(form, k) or "" for k in ("title", "description", "guide", "visibility", "community", "sort")}
    axes = []
    for i in range(1, MAX_AXES + 1):
        name, cats = (form_text(form, f"axis{i}") or "").strip(), form_text(form, f"axis{i}_categories") or ""
        values[f"axis{i}"], values[f"axis{i}_categories"] = name, cats
        if name:
            axes.append({"name": name, "categories": split_list(cats)})
    fields: dict[str, Any] = {k: v for k, v in values.items() if v and not k.startswith("axis")}
    form_page(
        request, lambda s, errors, status: _list(request, s, actor, 1, values=values, errors=errors, status=status)
    )
    created = carnet_service.create_carnet(
        session=session, actor=actor, data=parse(CarnetCreate, {**fields, "axes": axes})
    )
    return back(created.id)


# --- reading ---------------------------------------------------------------------------------


@router.get("/c/{carnet_id}/")
def carnet_page(
    request: Request,
    carnet_id: str,
    session: SessionDep,
    actor: ActorDep,
    category: Annotated[list[str], Query(max_length=30)] = [],  # noqa: B006 (FastAPI copies defaults)
    kind: str = "",
    author: Annotated[str, Query(max_length=64)] = "",
    q: Annotated[str, Query(max_length=200)] = "",
    sort: str = "",
    p: Annotated[int, Query(ge=1, le=100_000)] = 1,
    style: StyleParam = "",
) -> Response:
    query = parse(CarnetQuery, {"category": category, "kind": kind, "author": author, "q": q, "sort": sort, "page": p})
    return _view(request, session, actor, carnet_id, query, errors={}, style=style)


def _view(
    request: Request,
    session: Session,
    actor: Any,
    carnet_id: str,
    query: CarnetQuery,
    *,
    errors: dict,
    status: int = 200,
    style: str = "",
) -> Response:
    carnet = carnet_service.read_carnet(session=session, actor=actor, carnet_id=carnet_id, query=query)
    filtered = bool(query.category or query.kind or query.author or query.q)
    params = [("category", c) for c in query.category] + [
        (k, v) for k, v in (("kind", query.kind), ("author", query.author), ("q", query.q), ("sort", query.sort)) if v
    ]
    work = publishing_service.carnet_work(session, carnet)
    cite = citation_pages.block(
        session,
        work,
        citation_pages.style_query(style),
        api=f"/api/v1/carnets/{carnet.id}/citation",
        keep=params + ([("p", query.page)] if query.page > 1 else []),
    )
    share = publishing_service.carnet_card(session, carnet, work)
    if filtered:  # a filtered view repeats the carnet: only the carnet itself is indexed
        share = replace(share, indexable=False)
    return page(
        request,
        "carnets/view.html",
        {
            "carnet": carnet,
            "query": query,
            "filtered": filtered,
            "params": params,
            "errors": errors,
            "cite": cite,
            "share": share,
            "reorderable": carnet.can_manage and (query.sort or carnet.sort) == "manual" and not filtered,
        },
        status_code=status,
        alternate=f"/api/v1/carnets/{carnet.id}",
    )


@router.get("/c/{carnet_id}/graphe")
def graph_page(request: Request, carnet_id: str, session: SessionDep, actor: ActorDep) -> Response:
    carnet = carnet_service.carnet_ref(session=session, actor=actor, carnet_id=carnet_id)
    graph = carnet_service.carnet_graph(session=session, actor=actor, carnet_id=carnet.id)
    return page(
        request,
        "carnets/graph.html",
        {"carnet": carnet, "graph": graph, "drawing": carnet_service.graph_layout(graph)},
        alternate=f"/api/v1/carnets/{carnet.id}/graph",
    )


# --- notes in the carnet ---------------------------------------------------------------------


@router.post("/c/{carnet_id}/notes")
async def integrate(request: Request, carnet_id: str, session: SessionDep, actor: UserDep) -> Response:
    """ "Intégrer une note existante": a title (or "Titre [id]") the curator may read."""
    form = await request.form()
    typed = (form_text(form, "note") or "").strip()

    def again(reading: Session, errors: dict[str, str], status: int) -> Response:
        # The picker's refusals (an unknown title) are said at the note field, with what was typed.
        said = {"note_id" if field == "links" else field: message for field, message in errors.items()}
        return _view(request, reading, actor, carnet_id, CarnetQuery(), errors={**said, "_typed": typed}, status=status)

    # "Already in this carnet" is the form's refusal too, said where the note was named.
    form_page(request, again, answers=(Invalid, Conflict), field="note_id")
    picked = note_service.picked_notes(session, actor, typed) if typed else []
    if len(picked) != 1:
        raise Invalid(
            "Name one note, by its title or its id.",
            field="note_id",
            text=N_("Nommez une note, par son titre ou son identifiant."),
        )
    data = parse(EntryCreate, {"note_id": picked[0], "categories": _chosen(form)})
    carnet_service.add_entry(session=session, actor=actor, carnet_id=carnet_id, data=data)
    return back(carnet_id, f"#n-{picked[0]}")


@router.get("/c/{carnet_id}/n/{note_id}")
def entry_page(request: Request, carnet_id: str, note_id: str, session: SessionDep, actor: UserDep) -> Response:
    """Filing one note in the carnet: its categories, and for managers its place and pin."""
    carnet = carnet_service.carnet_for_filing(session=session, actor=actor, carnet_id=carnet_id)
    entry = carnet_service.entry_item(session=session, actor=actor, carnet_id=carnet_id, note_id=note_id)
    return page(request, "carnets/entry.html", {"carnet": carnet, "entry": entry})


@router.post("/c/{carnet_id}/n/{note_id}")
async def file_entry(request: Request, carnet_id: str, note_id: str, session: SessionDep, actor: UserDep) -> Response:
    form = await request.form()
    fields: dict[str, Any] = {"categories": _chosen(form)}
    if "pinned" in form or "position" in form:  # the managers' part of the form
        fields["pinned"] = form.get("pinned") == "on"
        position = form_text(form, "position")
        if position and position.strip():
            fields["position"] = position.strip()
    data = parse(EntryUpdate, fields)
    carnet_service.update_entry(session=session, actor=actor, carnet_id=carnet_id, note_id=note_id, data=data)
    return back(carnet_id, f"#n-{note_id}")


@router.post("/c/{carnet_id}/n/{note_id}/move")
def move(
    carnet_id: str, note_id: str, session: SessionDep, actor: UserDep, step: Annotated[Literal["-1", "1"], Form()] = "1"
) -> Response:
    """Up or down one place: the keyboard's way to order (the browser's drag-and-drop uses the API)."""
    carnet_service.move_entry(session=session, actor=actor, carnet_id=carnet_id, note_id=note_id, step=int(step))
    return back(carnet_id, f"#n-{note_id}")


@router.post("/c/{carnet_id}/n/{note_id}/pin")
def pin(
    carnet_id: str,
    note_id: str,
    session: SessionDep,
    actor: UserDep,
    pinned: Annotated[Literal["0", "1"], Form()] = "1",
) -> Response:
    carnet_service.update_entry(
        session=session, actor=actor, carnet_id=carnet_id, note_id=note_id, data=EntryUpdate(pinned=pinned == "1")
    )
    return back(carnet_id, f"#n-{note_id}")


@router.post("/c/{carnet_id}/n/{note_id}/remove")
def remove(carnet_id: str, note_id: str, session: SessionDep, actor: UserDep) -> Response:
    carnet_service.remove_entry(session=session, actor=actor, carnet_id=carnet_id, note_id=note_id)
    return back(carnet_id)


@router.get("/c/{carnet_id}/export.zip")
def export(carnet_id: str, session: SessionDep, actor: ActorDep) -> Response:
    """The carnet as a ZIP of Markdown notes and its manifest (what the reader may see of it)."""
    carnet = carnet_service.carnet_ref(session=session, actor=actor, carnet_id=carnet_id)
    body = transfer_service.export_archive(session=session, actor=actor, carnet_id=carnet.id)
    return Response(
        body,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="carnet-{carnet.id}.zip"', "Cache-Control": "private"},
    )
