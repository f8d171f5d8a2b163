"""Invitations to co-sign a note: naming someone with an account as an author invites them, and
they become an author only by accepting (see `coauthors` for their answer). Until then the note
is not theirs: not on their profile or feed, not cited as theirs, not theirs to edit."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from praxis import limits, policy
from praxis.conversation import notifications
from praxis.errors import Invalid
from praxis.i18n import N_
from praxis.models import AuthorInvitation, EditRequest, Note, NoteAuthor, Notification, User, pk, utcnow
from praxis.schemas import MAX_AUTHORS

# Invitations one account sends in a day: a note's whole list of authors can always be invited
# at once, but naming crowds (or saving the same names again and again) is stopped.
LIMIT = MAX_AUTHORS
WINDOW = timedelta(days=1)
TOO_MANY = N_("Trop d'invitations à co-signer envoyées en peu de temps : réessayez plus tard.")
LEAVING = N_(
    "Vous quittez les auteur·trices de cette note : les personnes que vous y nommez ne seraient invitées par "
    "personne. Invitez-les d'abord, et retirez-vous une fois l'invitation acceptée."
)
DECLINED = N_(
    "Invitation à co-signer cette note déjà refusée par : %(names)s. Une personne qui a refusé n'est "
    "invitée de nouveau que si elle demande elle-même les droits d'édition ; retirez son nom de la liste."
)


def split(actor: policy.Actor, named: Sequence[User], author_ids: set[int]) -> tuple[list[User], list[User]]:
    """The people named as authors, in order: those who are authors at once, and those invited."""
    at_once = [u for u in named if policy.names_author_at_once(actor, u, author_ids)]
    kept = {u.id for u in at_once}
    return at_once, [u for u in named if u.id not in kept]


def pending(session: Session, note_id: str) -> list[tuple[AuthorInvitation, User]]:
    """The note's invitations not answered yet, oldest first, with whom they invite."""
    return list(
        session.exec(
            select(AuthorInvitation, User)
            .join(User, col(User.id) == AuthorInvitation.user_id)
            .where(AuthorInvitation.note_id == note_id, AuthorInvitation.status == "pending")
            .order_by(col(AuthorInvitation.created_at), col(AuthorInvitation.id))
        ).all()
    )


def standing(session: Session, note: Note, author_ids: set[int]) -> list[tuple[AuthorInvitation, User]]:
    """The note's pending invitations that still stand (`policy.invitation_stands`): only these
    make someone invited (an accept button, no edit request); the others are withdrawn on sight."""
    return _sorted(session, note, author_ids)[0]


def _sorted(
    session: Session, note: Note, author_ids: set[int]
) -> tuple[list[tuple[AuthorInvitation, User]], list[AuthorInvitation]]:
    """The note's pending invitations: those that stand (with whom they invite), and the others."""
    rows = pending(session, note.id)
    sender_ids = {inv.invited_by_id for inv, _user in rows if inv.invited_by_id is not None}
    senders = {u.id: u for u in session.exec(select(User).where(col(User.id).in_(sender_ids)))} if sender_ids else {}
    stands = [(inv, u) for inv, u in rows if policy.invitation_stands(senders.get(inv.invited_by_id), note, author_ids)]
    kept = {inv.id for inv, _u in stands}
    return stands, [inv for inv, _u in rows if inv.id not in kept]


def _as_written(session: Session, note_id: str) -> tuple[Note, set[int]]:
    """The note and its authors as this transaction has written them so far."""
    session.flush()
    note = session.get(Note, note_id)
    assert note is not None
    return note, set(session.exec(select(NoteAuthor.user_id).where(NoteAuthor.note_id == note_id)))


def withdraw_stale(session: Session, note_id: str) -> None:
    """Withdraw the note's invitations that no longer stand, as its authors now are (whoever sent
    them left, or was taken off): the invitee is no longer offered to accept, and may ask instead."""
    note, author_ids = _as_written(session, note_id)
    for inv in _sorted(session, note, author_ids)[1]:
        close(session, inv, "withdrawn")


def declined(session: Session, note_id: str, people: Sequence[User]) -> list[User]:
    """Those of `people` whose refusal to co-sign the note stands: they refused an invitation
    to it and have not asked for editing rights on it since (asking is consent again)."""
    ids = [u.id for u in people]
    if not ids:
        return []
    refused = session.exec(
        select(AuthorInvitation.user_id, sa.func.max(AuthorInvitation.decided_at))
        .where(
            AuthorInvitation.note_id == note_id,
            AuthorInvitation.status == "refused",
            col(AuthorInvitation.user_id).in_(ids),
        )
        .group_by(col(AuthorInvitation.user_id))
    ).all()
    asked = dict(
        session.exec(
            select(EditRequest.requester_id, sa.func.max(EditRequest.created_at))
            .where(EditRequest.note_id == note_id, col(EditRequest.requester_id).in_(ids))
            .group_by(col(EditRequest.requester_id))
        ).all()
    )
    # A refusal always has its date (`close` sets it with the status): `at` is never None here.
    standing = {
        user_id for user_id, at in refused if at is not None and (asked.get(user_id) is None or asked[user_id] < at)
    }
    return [u for u in people if u.id in standing]


@dataclass
class Invite:
    """The invitations a write of a note sends along (see `invite`)."""

    people: Sequence[User]
    withdraw_others: bool = False
    skip_declined: bool = False


def invite(
    session: Session,
    actor: policy.Actor,
    note_id: str,
    people: Sequence[User],
    *,
    withdraw_others: bool,
    skip_declined: bool = False,
) -> None:
    """Invite these people to co-sign the note (once each; each is told in their inbox); with
    `withdraw_others`, the invitations of anyone else are withdrawn (the authors sent were the
    whole list). Someone whose refusal stands is not invited again: naming them is refused (422),
    or, with `skip_declined` (a revision restored, whose list nobody typed), they are left out.
    The invitations that no longer stand are withdrawn first (`withdraw_stale`)."""
    # The note and its authors as written, read once: inviting changes neither.
    note, author_ids = _as_written(session, note_id)
    stands, stale = _sorted(session, note, author_ids)
    for inv in stale:  # someone whose invitation no longer stands is invited anew
        close(session, inv, "withdrawn")
    current = {inv.user_id: inv for inv, _user in stands}
    wanted = {u.id for u in people}
    if withdraw_others:
        for user_id, inv in current.items():
            if user_id not in wanted:
                close(session, inv, "withdrawn")
    new = [u for u in people if u.id not in current]
    if refusing := declined(session, note_id, new):
        if not skip_declined:
            names = ", ".join(u.display_name for u in refusing)
            raise Invalid(
                f"The invitation to co-sign this note was already declined by: {names}. Someone who declined is "
                "invited again only if they ask for editing rights themselves; take their name off the list.",
                field="authors",
                text=DECLINED,
                params={"names": names},
            )
        left_out = {u.id for u in refusing}
        new = [u for u in new if u.id not in left_out]
    if new and not policy.invitation_stands(actor, note, author_ids):
        # Whoever takes themselves off the authors in the same save would invite no one.
        raise Invalid(
            "You are leaving this note's authors: the people you name would be invited by no one. "
            "Invite them first, and leave once they accept.",
            field="authors",
            text=LEAVING,
        )
    if new and actor is not None and actor.id is not None:
        limits.check(
            session,
            col(AuthorInvitation.created_at),
            col(AuthorInvitation.invited_by_id) == actor.id,
            limit=LIMIT,
            window=WINDOW,
            what="invitations",
            adding=len(new),
            text=TOO_MANY,
            field="authors",
        )
    session.add_all(
        [
            AuthorInvitation(
                id=secrets.token_urlsafe(9),
                note_id=note_id,
                user_id=pk(u.id),
                invited_by_id=actor.id if actor else None,
            )
            for u in new
        ]
    )
    session.flush()
    notifications.notify(session, [u.id for u in new], "author_invitation", actor=actor, note_id=note_id)


def close(session: Session, invitation: AuthorInvitation, status: str) -> None:
    """Answer or withdraw an invitation; a withdrawn one is taken out of its inbox too, so
    that nobody is told of an invitation that no longer stands."""
    invitation.status = status
    invitation.decided_at = utcnow()
    session.add(invitation)
    if status == "withdrawn":
        session.execute(
            sa.delete(Notification).where(
                col(Notification.user_id) == invitation.user_id,
                col(Notification.note_id) == invitation.note_id,
                col(Notification.kind) == "author_invitation",
            )
        )
    session.flush()


def close_for(session: Session, note_id: str, user_id: int, status: str) -> None:
    """Close this person's pending invitation to the note, if any (they became an author otherwise)."""
    session.execute(
        sa.update(AuthorInvitation)
        .where(
            col(AuthorInvitation.note_id) == note_id,
            col(AuthorInvitation.user_id) == user_id,
            col(AuthorInvitation.status) == "pending",
        )
        .values(status=status, decided_at=utcnow())
        .execution_options(synchronize_session=False)
    )
