"""People: profiles, and account activation by admins."""

from typing import Annotated

from fastapi import APIRouter, Query

from praxis.deps import ActorDep, SessionDep, UserDep
from praxis.people import service as people_service
from praxis.schemas import ProfileUpdate, UserRead, UserSuggestion

router = APIRouter(prefix="/users", tags=["users"])


@router.get("/suggest", response_model=list[UserSuggestion])
def suggest(
    session: SessionDep,
    actor: UserDep,
    q: Annotated[str, Query(max_length=100)] = "",
    limit: Annotated[int, Query(ge=1, le=20)] = 10,
) -> list[UserSuggestion]:
    """People whose username or name starts with `q`, for the editor's authors field (signed-in people)."""
    return people_service.suggest_people(session=session, actor=actor, q=q, limit=limit)


@router.get("/{username}", response_model=UserRead)
def profile(username: str, session: SessionDep, actor: ActorDep) -> UserRead:
    # A ProfileRead: the response model keeps its UserRead fields.
    return people_service.read_profile(session=session, actor=actor, username=username)


@router.patch("/{username}", response_model=UserRead)
def update(username: str, data: ProfileUpdate, session: SessionDep, actor: ActorDep) -> UserRead:
    """Change a display name and how citations name the person (themselves, or an admin)."""
    return people_service.update_profile(session=session, actor=actor, username=username, data=data)


@router.post("/{username}/deactivate", response_model=UserRead)
def deactivate(username: str, session: SessionDep, actor: ActorDep) -> UserRead:
    """Deactivate an account: its sessions and tokens stop working at once (admins)."""
    return people_service.set_active(session=session, actor=actor, username=username, active=False)


@router.post("/{username}/activate", response_model=UserRead)
def activate(username: str, session: SessionDep, actor: ActorDep) -> UserRead:
    return people_service.set_active(session=session, actor=actor, username=username, active=True)
