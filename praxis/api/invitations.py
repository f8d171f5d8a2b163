"""Invitations to co-sign a note, and taking oneself off a note, over the API."""

from fastapi import APIRouter
from starlette.responses import Response

from praxis.deps import SessionDep, UserDep
from praxis.people import service as people_service
from praxis.schemas import InvitationRead

router = APIRouter(tags=["co-authors"])


@router.get("/me/invitations", response_model=list[InvitationRead])
def my_invitations(session: SessionDep, actor: UserDep) -> list[InvitationRead]:
    return people_service.my_invitations(session=session, actor=actor)


@router.post("/invitations/{invitation_id}/accept", response_model=InvitationRead)
def accept(invitation_id: str, session: SessionDep, actor: UserDep) -> InvitationRead:
    return people_service.answer_invitation(session=session, actor=actor, invitation_id=invitation_id, accept=True)


@router.post("/invitations/{invitation_id}/refuse", response_model=InvitationRead)
def refuse(invitation_id: str, session: SessionDep, actor: UserDep) -> InvitationRead:
    return people_service.answer_invitation(session=session, actor=actor, invitation_id=invitation_id, accept=False)


@router.delete("/notes/{note_id}/authors/{username}", status_code=204)
def remove_author(note_id: str, username: str, session: SessionDep, actor: UserDep) -> Response:
    people_service.remove_author(session=session, actor=actor, note_id=note_id, username=username)
    return Response(status_code=204)
