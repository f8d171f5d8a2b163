"""Invitations to co-sign a note: naming someone with an account as an author invites them, and
they become an author only by accepting (see `coauthors` for their answer). Until then the note
is not theirs: not on their profile or feed, not cited as theirs, not theirs to edit."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from sqlmodel import Session, select

from praxis import policy
from praxis.models import AuthorInvitation, Notification, User, utcnow
from praxis.services import notifications


def split(actor: policy.Actor, named: Sequence[User], author_ids: set[int]) -> tuple[list[User], list[User]]:
    """The people named as authors, in order: those who are authors at once, and those invited."""
    at_once = [u for u in named if policy.names_author_at_once(actor, u, author_ids)]
    kept = {u.id for u in at_once}
    return at_once, [u for u in named if u.id not in kept]


def pending(session: Session, note_id: str) -> list[tuple[AuthorInvitation, User]]:
    """The note's invitations not answered yet, oldest first, with whom they invite."""
    return list(session.exec(
        select(AuthorInvitation, User).join(User, User.id == AuthorInvitation.user_id)  # type: ignore[arg-type]
        .where(AuthorInvitation.note_id == note_id, AuthorInvitation.status == "pending")
        .order_by(AuthorInvitation.created_at, AuthorInvitation.id)  # type: ignore[arg-type]
    ).all())


def invite(session: Session, actor: policy.Actor, note_id: str, people: Sequence[User], *, withdraw_others: bool) -> None:
    """Invite these people to co-sign the note (once each; each is told in their inbox); with
    `withdraw_others`, the invitations of anyone else are withdrawn (the authors sent were the
    whole list)."""
    current = {inv.user_id: inv for inv, _user in pending(session, note_id)}
    wanted = {u.id for u in people}
    if withdraw_others:
        for user_id, inv in current.items():
            if user_id not in wanted:
                close(session, inv, "withdrawn")
    new = [u for u in people if u.id not in current]
    session.add_all([AuthorInvitation(id=secrets.token_urlsafe(9), note_id=note_id, user_id=u.id,  # type: ignore[arg-type]
                                      invited_by_id=actor.id if actor else None) for u in new])
    session.flush()
    notifications.notify(session, [u.id for u in new], "author_invitation", actor=actor, note_id=note_id)


def close(session: Session, invitation: AuthorInvitation, status: str) -> None:
    """Answer or withdraw an invitation; a withdrawn one is taken out of its inbox too, so
    that nobody is told of an invitation that no longer stands."""
    invitation.status = status
    invitation.decided_at = utcnow()
    session.add(invitation)
    if status == "withdrawn":
        session.execute(sa.delete(Notification).where(
            Notification.user_id == invitation.user_id, Notification.note_id == invitation.note_id,  # type: ignore[arg-type]
            Notification.kind == "author_invitation"))
    session.flush()


def close_for(session: Session, note_id: str, user_id: int, status: str) -> None:
    """Close this person's pending invitation to the note, if any (they became an author otherwise)."""
    session.execute(
        sa.update(AuthorInvitation)
        .where(AuthorInvitation.note_id == note_id, AuthorInvitation.user_id == user_id, AuthorInvitation.status == "pending")  # type: ignore[arg-type]
        .values(status=status, decided_at=utcnow()).execution_options(synchronize_session=False)
    )

