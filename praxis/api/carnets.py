"""Carnets over the API: the carnet, its members, its category lists and its notes."""

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response

from praxis.carnets import service as carnet_service
from praxis.deps import ActorDep, SessionDep, UserDep
from praxis.publishing import service as publishing_service
from praxis.schemas import (
    AxisCreate,
    CarnetCreate,
    CarnetMemberAdd,
    CarnetPage,
    CarnetQuery,
    CarnetRead,
    CarnetUpdate,
    CategoryName,
    CategoryRemoval,
    CitationQuery,
    CitationRead,
    EntryCreate,
    EntryRead,
    EntryUpdate,
    Graph,
    NameChange,
)

router = APIRouter(prefix="/carnets", tags=["carnets"])
AxisId = Annotated[int, Path(ge=1, le=2_147_483_647)]


@router.post("", response_model=CarnetRead, status_code=201)
def create(data: CarnetCreate, session: SessionDep, actor: UserDep, response: Response) -> CarnetRead:
    carnet = carnet_service.create_carnet(session=session, actor=actor, data=data)
    response.headers["Location"] = carnet.url
    return carnet


@router.get("", response_model=CarnetPage)
def list_carnets(
    session: SessionDep,
    actor: ActorDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 50,
) -> CarnetPage:
    return carnet_service.list_carnets(session=session, actor=actor, page=page, per_page=per_page)


@router.get("/{carnet_id}", response_model=CarnetRead)
def read(carnet_id: str, query: Annotated[CarnetQuery, Query()], session: SessionDep, actor: ActorDep) -> CarnetRead:
    """The carnet with a page of its notes: pinned first, then `sort`; `category` may repeat."""
    return carnet_service.read_carnet(session=session, actor=actor, carnet_id=carnet_id, query=query)


@router.patch("/{carnet_id}", response_model=CarnetRead)
def update(carnet_id: str, data: CarnetUpdate, session: SessionDep, actor: ActorDep) -> CarnetRead:
    return carnet_service.update_carnet(session=session, actor=actor, carnet_id=carnet_id, data=data)


@router.delete("/{carnet_id}", status_code=204)
def delete(carnet_id: str, session: SessionDep, actor: ActorDep) -> Response:
    """Delete the carnet; its notes are not deleted."""
    carnet_service.delete_carnet(session=session, actor=actor, carnet_id=carnet_id)
    return Response(status_code=204)


@router.get("/{carnet_id}/graph", response_model=Graph)
def graph(carnet_id: str, session: SessionDep, actor: ActorDep) -> Graph:
    """The carnet's notes and the links among them, as the reader sees them."""
    return carnet_service.carnet_graph(session=session, actor=actor, carnet_id=carnet_id)


# --- members ---------------------------------------------------------------------------------


@router.post("/{carnet_id}/members", response_model=CarnetRead, status_code=201)
def add_member(carnet_id: str, data: CarnetMemberAdd, session: SessionDep, actor: ActorDep) -> CarnetRead:
    return carnet_service.set_carnet_member(
        session=session, actor=actor, carnet_id=carnet_id, username=data.username, role=data.role
    )


@router.delete("/{carnet_id}/members/{username}", status_code=204)
def remove_member(carnet_id: str, username: str, session: SessionDep, actor: ActorDep) -> Response:
    carnet_service.remove_carnet_member(session=session, actor=actor, carnet_id=carnet_id, username=username)
    return Response(status_code=204)


# --- category lists --------------------------------------------------------------------------


@router.post("/{carnet_id}/axes", response_model=CarnetRead, status_code=201)
def add_axis(carnet_id: str, data: AxisCreate, session: SessionDep, actor: ActorDep) -> CarnetRead:
    return carnet_service.add_axis(session=session, actor=actor, carnet_id=carnet_id, data=data)


@router.patch("/{carnet_id}/axes/{axis_id}", response_model=CarnetRead)
def rename_axis(carnet_id: str, axis_id: AxisId, data: NameChange, session: SessionDep, actor: ActorDep) -> CarnetRead:
    return carnet_service.rename_axis(
        session=session, actor=actor, carnet_id=carnet_id, axis_id=axis_id, name=data.name
    )


@router.delete("/{carnet_id}/axes/{axis_id}", status_code=204)
def delete_axis(carnet_id: str, axis_id: AxisId, session: SessionDep, actor: ActorDep) -> Response:
    """Delete a category list and its categories; the notes stay in the carnet."""
    carnet_service.delete_axis(session=session, actor=actor, carnet_id=carnet_id, axis_id=axis_id)
    return Response(status_code=204)


@router.post("/{carnet_id}/axes/{axis_id}/categories", response_model=CarnetRead, status_code=201)
def add_category(carnet_id: str, axis_id: AxisId, data: NameChange, session: SessionDep, actor: ActorDep) -> CarnetRead:
    return carnet_service.add_category(
        session=session, actor=actor, carnet_id=carnet_id, axis_id=axis_id, name=data.name
    )


@router.patch("/{carnet_id}/categories/{name}", response_model=CarnetRead)
def rename_category(
    carnet_id: str, name: CategoryName, data: NameChange, session: SessionDep, actor: ActorDep
) -> CarnetRead:
    """Rename a category: every note filed under it reads the new name."""
    return carnet_service.rename_category(
        session=session, actor=actor, carnet_id=carnet_id, name=name, new_name=data.name
    )


@router.delete("/{carnet_id}/categories/{name}", status_code=204)
def delete_category(
    carnet_id: str,
    name: CategoryName,
    session: SessionDep,
    actor: ActorDep,
    notes: Literal["uncategorise", "move", "remove"] | None = None,
    to: Annotated[CategoryName | None, Query()] = None,
) -> Response:
    """Delete a category. When notes are filed under it, `notes` says what becomes of them:
    `uncategorise`, `move` (to another category of the same list, `to`) or `remove` from the carnet."""
    removal = CategoryRemoval(notes=notes, to=to) if notes else None
    carnet_service.delete_category(session=session, actor=actor, carnet_id=carnet_id, name=name, removal=removal)
    return Response(status_code=204)


# --- notes in the carnet ---------------------------------------------------------------------


@router.post("/{carnet_id}/notes", response_model=EntryRead, status_code=201)
def add_note(carnet_id: str, data: EntryCreate, session: SessionDep, actor: ActorDep) -> EntryRead:
    """Integrate a note the curator may read; `categories` must be the carnet's own."""
    return carnet_service.add_entry(session=session, actor=actor, carnet_id=carnet_id, data=data)


@router.patch("/{carnet_id}/notes/{note_id}", response_model=EntryRead)
def update_note(carnet_id: str, note_id: str, data: EntryUpdate, session: SessionDep, actor: ActorDep) -> EntryRead:
    """File the note under other categories (contributors); move or pin it (managers)."""
    return carnet_service.update_entry(session=session, actor=actor, carnet_id=carnet_id, note_id=note_id, data=data)


@router.delete("/{carnet_id}/notes/{note_id}", status_code=204)
def remove_note(carnet_id: str, note_id: str, session: SessionDep, actor: ActorDep) -> Response:
    """Take the note out of the carnet; the note itself stays."""
    carnet_service.remove_entry(session=session, actor=actor, carnet_id=carnet_id, note_id=note_id)
    return Response(status_code=204)


@router.get("/{carnet_id}/citation", response_model=CitationRead)
def citation(
    carnet_id: str, query: Annotated[CitationQuery, Query()], session: SessionDep, actor: ActorDep
) -> CitationRead:
    """ "Pour citer ce carnet", with its managers as authors."""
    return publishing_service.carnet_citation(session=session, actor=actor, carnet_id=carnet_id, query=query)
