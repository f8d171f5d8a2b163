"""The forms of co-authorship: answering an invitation to co-sign, leaving a note's authors."""

from __future__ import annotations

from typing import Literal
from urllib.parse import quote

from fastapi import APIRouter, Request
from starlette.responses import Response

from praxis.deps import SessionDep, UserDep
from praxis.people import service as people_service
from praxis.web.done import said

router = APIRouter()


@router.post("/invitations/{invitation_id}/{decision}")
def answer(
    request: Request,
    invitation_id: str,
    decision: Literal["accept", "refuse"],
    session: SessionDep,
    actor: UserDep,
) -> Response:
    answered = people_service.answer_invitation(
        session=session, actor=actor, invitation_id=invitation_id, accept=decision == "accept"
    )
    if answered.status == "accepted":
        return said(request, f"/n/{answered.note_id}/", "invitation_accepted")
    return said(request, "/u/me/inbox", "invitation_refused")  # its list may be gone with it


@router.post("/n/{note_id}/leave")
def leave(request: Request, note_id: str, session: SessionDep, actor: UserDep) -> Response:
    """The author leaves; their profile, where the note no longer is, says it is done."""
    people_service.remove_author(session=session, actor=actor, note_id=note_id, username="me")
    return said(request, f"/u/{quote(actor.username)}/", "left_note")
