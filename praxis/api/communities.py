"""Communities over the API."""

from fastapi import APIRouter, Response

from praxis.deps import ActorDep, SessionDep, UserDep
from praxis.schemas import CommunityCreate, CommunityRead, CommunityRef, MemberAdd
from praxis.services import communities

router = APIRouter(prefix="/communities", tags=["communities"])


@router.post("", response_model=CommunityRead, status_code=201)
def create(data: CommunityCreate, session: SessionDep, actor: UserDep) -> CommunityRead:
    return communities.create(session=session, actor=actor, data=data)


@router.get("", response_model=list[CommunityRef])
def list_all(session: SessionDep, actor: ActorDep) -> list[CommunityRef]:
    return communities.list_all(session=session, actor=actor)


@router.get("/{community_id}", response_model=CommunityRead)
def read(community_id: str, session: SessionDep, actor: ActorDep) -> CommunityRead:
    return communities.read(session=session, actor=actor, community_id=community_id)


@router.post("/{community_id}/members", response_model=CommunityRead, status_code=201)
def add_member(community_id: str, data: MemberAdd, session: SessionDep, actor: ActorDep) -> CommunityRead:
    return communities.set_member(
        session=session, actor=actor, community_id=community_id, username=data.username, role=data.role
    )


@router.delete("/{community_id}/members/{username}", status_code=204)
def remove_member(community_id: str, username: str, session: SessionDep, actor: ActorDep) -> Response:
    communities.remove_member(session=session, actor=actor, community_id=community_id, username=username)
    return Response(status_code=204)
