"""Co-authorship: adding an author to a note (the one way, for an invitation accepted and an
edit request approved), answering an invitation to co-sign a note (accepting makes them its last
author, a new revision), and taking oneself (or another author) off a note."""

from __future__ import annotations

from dataclasses import replace

from sqlmodel import Session, col, select

from praxis import policy
from praxis.errors import Conflict, NotFound
from praxis.i18n import N_
from praxis.models import AuthorInvitation, Note, User
from praxis.notes import notes as note_service
from praxis.notes import summaries
from praxis.people import accounts, invitations
from praxis.schemas import InvitationRead
from praxis.urls import note_url


def _read(session: Session, inv: AuthorInvitation, note: Note) -> InvitationRead:
    inviter = session.get(User, inv.invited_by_id) if inv.invited_by_id else None
    return InvitationRead(
        id=inv.id,
        note_id=note.id,
        note_title=note.title,
        note_url=note_url(session, note.id),
        invited_by=inviter.username if inviter else None,
        invited_by_name=inviter.display_name if inviter else None,
        status=inv.status,
        created_at=inv.created_at,
        decided_at=inv.decided_at,
    )


def add_author(
    *, session: Session, actor: policy.Actor, note: Note, author_ids: list[int], person: User, summary: str
) -> None:
    """Make `person` the note's last author, in a new revision (nothing when they already are
    one): the one way an author is added, for an invitation accepted and an edit request approved."""
    if person.id in author_ids:
        return
    old = note_service.current_state(session, note, author_ids)
    note_service.apply_state(
        session=session,
        actor=actor,
        note=note,
        base_revision=note.revision,
        old=old,
        new=replace(old, authors=[*old.authors, person]),
        summary=summary,
    )


def mine(*, session: Session, actor: policy.Actor) -> list[InvitationRead]:
    """The invitations to co-sign that the actor has not answered, on live notes, newest first."""
    actor = policy.require_signed_in(actor)
    rows = session.exec(
        select(AuthorInvitation, Note)
        .join(Note, col(Note.id) == AuthorInvitation.note_id)
        .where(
            AuthorInvitation.user_id == actor.id, AuthorInvitation.status == "pending", col(Note.deleted_at).is_(None)
        )
        .order_by(col(AuthorInvitation.created_at).desc(), AuthorInvitation.id)
    ).all()
    # Only those that still stand are offered (an older database may hold some that do not).
    notes = {note.id: note for _inv, note in rows}
    stands = {
        inv.id
        for note in notes.values()
        for inv, _u in invitations.standing(session, note, set(note_service.list_author_ids(session, note.id)))
    }
    return [_read(session, inv, note) for inv, note in rows if inv.id in stands]


def answer(*, session: Session, actor: policy.Actor, invitation_id: str, accept: bool) -> InvitationRead:
    """The invited person accepts (they become the note's last author) or refuses. Someone
    else's invitation answers 404, as one that does not exist."""
    actor = policy.require_signed_in(actor)
    inv = session.get(AuthorInvitation, invitation_id) if len(invitation_id) <= 32 else None
    note = session.get(Note, inv.note_id) if inv is not None else None
    if inv is None or inv.user_id != actor.id or note is None or note.deleted_at is not None:
        raise NotFound("No such invitation.")
    if inv.status == "withdrawn":  # by the authors, or because whoever sent it left the note
        raise Conflict("This invitation was withdrawn.", text=N_("Cette invitation a été retirée."))
    if inv.status != "pending":
        raise Conflict(
            f"This invitation was already {inv.status}.", text=N_("Cette invitation a déjà reçu une réponse.")
        )
    author_ids = note_service.list_author_ids(session, note.id)
    inviter = session.get(User, inv.invited_by_id) if inv.invited_by_id else None
    if accept and not policy.invitation_stands(inviter, note, set(author_ids)):
        raise Conflict(
            "This invitation no longer stands: whoever sent it no longer edits the note.",
            text=N_("Cette invitation ne tient plus : la personne qui l'a envoyée ne modifie plus cette note."),
        )
    if accept:
        add_author(
            session=session,
            actor=actor,
            note=note,
            author_ids=author_ids,
            person=actor,
            summary=summaries.written(summaries.COAUTHOR_ACCEPTED, name=actor.display_name),
        )
    invitations.close(session, inv, "accepted" if accept else "refused")
    invitations.close_for(session, note.id, actor.id, inv.status)  # another invitation to the same note, if any
    return _read(session, inv, note)


def remove_author(*, session: Session, actor: policy.Actor, note_id: str, username: str) -> None:
    """Take an author off a note (a new revision), or withdraw an invitation not yet answered.
    Anyone takes themselves off (`username` their own, or "me"), unless they are the last
    author; taking someone else off is changing the note's authors, for those who may."""
    actor = policy.require_signed_in(actor)
    note, author_ids = note_service.load_readable(session, actor, note_id)
    if username.lower() in ("me", actor.username):
        if (refusal := policy.leave_note_refusal(actor, note, set(author_ids))) is not None:
            raise refusal
        person = actor
    else:
        note, author_ids = note_service.load_editable(session, actor, note_id)
        found = accounts.get_user(session, username)
        if found is None:
            raise NotFound("No such author.")
        person = found
        if person.id not in author_ids:
            pending = [inv for inv, u in invitations.pending(session, note.id) if u.id == person.id]
            if not pending:
                raise NotFound("No such author.")
            invitations.close(session, pending[0], "withdrawn")
            return
        if len(author_ids) == 1:
            raise Conflict(
                "A note keeps at least one author.", text=N_("Une note garde au moins une personne autrice.")
            )
    old = note_service.current_state(session, note, author_ids)
    note_service.apply_state(
        session=session,
        actor=actor,
        note=note,
        base_revision=note.revision,
        old=old,
        new=replace(old, authors=[u for u in old.authors if u.id != person.id]),
        summary=summaries.written(
            summaries.AUTHOR_LEFT if person.id == actor.id else summaries.AUTHOR_REMOVED, name=person.display_name
        ),
    )
