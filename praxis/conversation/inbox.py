"""The inbox as its page opens it: what it shows as new is then marked read."""

from __future__ import annotations

from sqlmodel import Session

from praxis import policy
from praxis.conversation import messages, notifications
from praxis.db import begin_writes, end_writes
from praxis.people import coauthors
from praxis.schemas import InboxRead


def open_inbox(*, session: Session, actor: policy.Actor) -> InboxRead:
    """The actor's inbox; the notifications and messages it shows unread are marked read. It is
    read without the write lock, which is taken (in the request's own session) only to mark them,
    and only when there is something to mark."""
    shown = InboxRead(
        notifications=notifications.inbox(session=session, actor=actor),
        messages=messages.received(session=session, actor=actor),
        invitations=coauthors.mine(session=session, actor=actor),
    )
    unread_notifications = [n.id for n in shown.notifications.items if not n.read]
    unread_messages = [m.id for m in shown.messages if not m.read]
    if unread_notifications or unread_messages:
        begin_writes(session)
        notifications.mark_read(session=session, actor=actor, ids=unread_notifications)
        messages.mark_read(session=session, actor=actor, ids=unread_messages)
        end_writes(session)  # the page is built without holding the lock
    return shown
