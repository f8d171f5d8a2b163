"""Communities over the API."""

from fastapi import APIRouter, Response

from praxis.deps import ActorDep, SessionDep, UserDep
from praxis.people import service as people_service
from praxis.schemas import CommunityCreate, CommunityRead, CommunityRef, MemberAdd

router = APIRouter(prefix="/communities", tags=["communities"])


@router.post("", response_model=CommunityRead, status_code=201)
def create(data: CommunityCreate, session: SessionDep, actor: UserDep) -> CommunityRead:
    return people_service.create_community(session=session, actor=actor, data=data)


@router.get("", response_model=list[CommunityRef])
def list_all(session: SessionDep, actor: ActorDep) -> list[CommunityRef]:
    return [*people_service.list_communities(session=session, actor=actor)]


@router.get("/{community_id}", response_model=CommunityRead)
def read(community_id: str, session: SessionDep, actor: ActorDep) -> CommunityRead:
    return people_service.read_community(session=session, actor=actor, community_id=community_id)


@router.post("/{community_id}/members", response_model=CommunityRead, status_code=201)
def add_member(community_id: str, data: MemberAdd, session: SessionDep, actor: ActorDep) -> CommunityRead:
    return people_service.set_community_member(
        session=session, actor=actor, community_id=community_id, username=data.username, role=data.role
    )


@router.delete("/{community_id}/members/{username}", status_code=204)
def remove_member(community_id: str, username: str, session: SessionDep, actor: ActorDep) -> Response:
    people_service.remove_community_member(session=session, actor=actor, community_id=community_id, username=username)
    return Response(status_code=204)
