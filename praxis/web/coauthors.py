"""The forms of co-authorship: answering an invitation to co-sign, leaving a note's authors."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from praxis.deps import SessionDep, UserDep
from praxis.people import service as people_service

router = APIRouter()


@router.post("/invitations/{invitation_id}/{decision}")
def answer(invitation_id: str, decision: Literal["accept", "refuse"], session: SessionDep, actor: UserDep) -> Response:
    answered = people_service.answer_invitation(
        session=session, actor=actor, invitation_id=invitation_id, accept=decision == "accept"
    )
    target = f"/n/{answered.note_id}/" if answered.status == "accepted" else "/u/me/inbox#invitations"
    return RedirectResponse(target, status_code=303)


@router.post("/n/{note_id}/leave")
def leave(note_id: str, session: SessionDep, actor: UserDep) -> Response:
    """The author leaves; their profile, where the note no longer is, says it is done."""
    people_service.remove_author(session=session, actor=actor, note_id=note_id, username="me")
    return RedirectResponse(f"/u/{actor.username}/", status_code=303)
