"""Edit requests ("Demander les droits d'édition"): a reader asks to become a co-author."""

from __future__ import annotations

import secrets

from sqlmodel import Session, col, select

from praxis import policy
from praxis.conversation import notifications
from praxis.errors import Conflict, NotFound
from praxis.i18n import N_
from praxis.models import EditRequest, Note, User, pk, utcnow
from praxis.notes import notes as note_service
from praxis.notes import summaries
from praxis.people import coauthors, invitations
from praxis.schemas import EditRequestCreate, EditRequestRead
from praxis.urls import note_url, user_url


def _read(session: Session, req: EditRequest, note: Note, requester: User) -> EditRequestRead:
    # Who decided is never said: a refusal stays impersonal.
    return EditRequestRead(
        id=req.id,
        note_id=note.id,
        note_title=note.title,
        note_url=note_url(session, note.id),
        requester=requester.username,
        requester_name=requester.display_name,
        requester_url=user_url(session, requester.username),
        message=req.message,
        status=req.status,
        created_at=req.created_at,
        decided_at=req.decided_at,
    )


def request_edit(*, session: Session, actor: policy.Actor, note_id: str, data: EditRequestCreate) -> EditRequestRead:
    """Ask the authors of a note one can read to make one a co-author."""
    actor = policy.require_signed_in(actor, "Sign in to ask for editing rights.")
    note, author_ids = note_service.load_readable(session, actor, note_id)
    invited = {pk(u.id) for _inv, u in invitations.standing(session, note, set(author_ids))}
    if (refusal := policy.edit_request_refusal(actor, note, set(author_ids), invited)) is not None:
        raise refusal
    pending = session.exec(
        select(EditRequest.id).where(
            EditRequest.note_id == note.id, EditRequest.requester_id == actor.id, EditRequest.status == "pending"
        )
    ).first()
    if (refusal := policy.asked_again_refusal(pending)) is not None:
        raise refusal
    req = EditRequest(id=secrets.token_urlsafe(9), note_id=note.id, requester_id=pk(actor.id), message=data.message)
    session.add(req)
    session.flush()
    notifications.notify(session, author_ids, "edit_request", actor=actor, note_id=note.id, edit_request_id=req.id)
    return _read(session, req, note, actor)


def list_for_note(*, session: Session, actor: policy.Actor, note_id: str) -> list[EditRequestRead]:
    """The note's requests for its authors and admins; one's own requests for anyone else."""
    note, author_ids = note_service.load_readable(session, actor, note_id)
    query = (
        select(EditRequest, User)
        .join(User, col(User.id) == EditRequest.requester_id)
        .where(EditRequest.note_id == note.id)
    )
    if not policy.can_manage_note(actor, note, set(author_ids)):
        if actor is None or not policy.is_signed_in(actor):
            return []
        query = query.where(EditRequest.requester_id == actor.id)
    rows = session.exec(query.order_by(col(EditRequest.created_at).desc())).all()
    return [_read(session, req, note, user) for req, user in rows]


def mine(*, session: Session, actor: policy.Actor) -> list[EditRequestRead]:
    """The requests the actor made, with their outcome, on notes they can still read."""
    actor = policy.require_signed_in(actor)
    rows = session.exec(
        select(EditRequest, Note)
        .join(Note, col(Note.id) == EditRequest.note_id)
        .where(EditRequest.requester_id == actor.id, policy.visible_notes(actor))
        .order_by(col(EditRequest.created_at).desc())
    ).all()
    return [_read(session, req, note, actor) for req, note in rows]


def decide(*, session: Session, actor: policy.Actor, request_id: str, approve: bool) -> EditRequestRead:
    """An author approves (the requester becomes the last co-author) or refuses a request.

    A request is seen by the note's authors (and admins) and by who made it: to anyone else it
    does not exist, and is told exactly as an id that names nothing."""
    actor = policy.require_signed_in(actor)
    missing = NotFound("No such request.")
    req = session.get(EditRequest, request_id) if len(request_id) <= 32 else None
    if req is None:
        raise missing
    try:
        note, author_ids = note_service.load_readable(session, actor, req.note_id)
    except NotFound:
        raise missing from None
    policy.ensure_can_answer_edit_request(actor, note, set(author_ids), req.requester_id)
    if req.status != "pending":
        raise Conflict(f"This request was already {req.status}.", text=N_("Cette demande a déjà reçu une réponse."))
    requester = session.get(User, req.requester_id)
    assert requester is not None
    if approve:
        coauthors.add_author(
            session=session,
            actor=actor,
            note=note,
            author_ids=author_ids,
            person=requester,
            summary=summaries.written(summaries.COAUTHOR_ADDED, name=requester.display_name),
        )
        invitations.close_for(session, note.id, pk(requester.id), "accepted")  # they asked: that is consent
    req.status = "approved" if approve else "refused"
    req.decided_at = utcnow()
    req.decided_by_id = actor.id
    session.add(req)
    session.flush()
    # Told without saying who answered: a refusal stays impersonal.
    notifications.notify(session, [requester.id], "edit_decision", actor=None, note_id=note.id, edit_request_id=req.id)
    return _read(session, req, note, requester)
