"""Bases de connaissances over the API."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from praxis.carnets import service as carnet_service
from praxis.deps import ActorDep, SessionDep, UserDep
from praxis.publishing import service as publishing_service
from praxis.schemas import (
    BaseCarnetAdd,
    BaseCreate,
    BaseManagerAdd,
    BaseRead,
    BaseSummary,
    BaseUpdate,
    CitationQuery,
    CitationRead,
    NoteQuery,
)

router = APIRouter(prefix="/bases", tags=["bases"])


@router.post("", response_model=BaseRead, status_code=201)
def create(data: BaseCreate, session: SessionDep, actor: UserDep, response: Response) -> BaseRead:
    base = carnet_service.create_base(session=session, actor=actor, data=data)
    response.headers["Location"] = base.url
    return base


@router.get("", response_model=list[BaseSummary])
def list_bases(session: SessionDep, actor: ActorDep) -> list[BaseSummary]:
    return carnet_service.list_bases(session=session, actor=actor)


@router.get("/{base_id}", response_model=BaseRead)
def read(base_id: str, query: Annotated[NoteQuery, Query()], session: SessionDep, actor: ActorDep) -> BaseRead:
    """The base, its carnets, and a page of the notes across them (filters `carnet`, `kind`, `author`, `q`)."""
    return carnet_service.read_base(session=session, actor=actor, base_id=base_id, query=query)


@router.patch("/{base_id}", response_model=BaseRead)
def update(base_id: str, data: BaseUpdate, session: SessionDep, actor: ActorDep) -> BaseRead:
    return carnet_service.update_base(session=session, actor=actor, base_id=base_id, data=data)


@router.delete("/{base_id}", status_code=204)
def delete(base_id: str, session: SessionDep, actor: ActorDep) -> Response:
    """Delete the base; its carnets are not deleted."""
    carnet_service.delete_base(session=session, actor=actor, base_id=base_id)
    return Response(status_code=204)


@router.post("/{base_id}/carnets", response_model=BaseRead, status_code=201)
def add_carnet(base_id: str, data: BaseCarnetAdd, session: SessionDep, actor: ActorDep) -> BaseRead:
    return carnet_service.add_carnet_to_base(session=session, actor=actor, base_id=base_id, data=data)


@router.delete("/{base_id}/carnets/{carnet_id}", status_code=204)
def remove_carnet(base_id: str, carnet_id: str, session: SessionDep, actor: ActorDep) -> Response:
    carnet_service.remove_carnet_from_base(session=session, actor=actor, base_id=base_id, carnet_id=carnet_id)
    return Response(status_code=204)


@router.post("/{base_id}/managers", response_model=BaseRead, status_code=201)
def add_manager(base_id: str, data: BaseManagerAdd, session: SessionDep, actor: ActorDep) -> BaseRead:
    return carnet_service.add_base_manager(session=session, actor=actor, base_id=base_id, username=data.username)


@router.delete("/{base_id}/managers/{username}", status_code=204)
def remove_manager(base_id: str, username: str, session: SessionDep, actor: ActorDep) -> Response:
    carnet_service.remove_base_manager(session=session, actor=actor, base_id=base_id, username=username)
    return Response(status_code=204)


@router.get("/{base_id}/citation", response_model=CitationRead)
def citation(
    base_id: str, query: Annotated[CitationQuery, Query()], session: SessionDep, actor: ActorDep
) -> CitationRead:
    """ "Pour citer cette base", with its managers as authors."""
    return publishing_service.base_citation(session=session, actor=actor, base_id=base_id, query=query)
