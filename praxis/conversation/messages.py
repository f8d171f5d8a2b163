"""Writing to a note's authors ("Contacter les auteur·trices") without ever seeing their address.

A message goes to every author who has an account; it lands in their inbox, and in their
mailbox when they chose so. Visitors write too, with a name and an address, behind
a honeypot field and a rate limit per connecting address; signed-in people are limited per
account."""

from __future__ import annotations

import secrets
from datetime import timedelta
from email.utils import formataddr

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from praxis import limits, policy
from praxis.conversation import mail, notifications
from praxis.errors import Invalid, NotFound
from praxis.i18n import N_
from praxis.models import Message, MessageRecipient, Note, User, utcnow
from praxis.notes import notes as note_service
from praxis.people import accounts
from praxis.schemas import ContactCreate, MessageRead, MessageReply, NoteRef, SenderRead
from praxis.urls import note_url, user_url

LIMIT_SIGNED_IN = 5  # messages an account sends per hour
LIMIT_VISITOR = 3  # messages one address (an IPv6 /64) sends per hour without an account
LIMIT_REPLIES = 20  # answers an account sends per hour
WINDOW = timedelta(hours=1)


def _check_rate(session: Session, where: ColumnElement[bool], limit: int) -> None:
    limits.check(
        session,
        col(Message.created_at),
        where,
        limit=limit,
        window=WINDOW,
        what="messages",
        text=N_("Trop de messages envoyés en peu de temps : réessayez plus tard."),
    )


def contact(*, session: Session, actor: policy.Actor, note_id: str, data: ContactCreate, address: str) -> str | None:
    """Send a message to the note's authors; its id (None when the honeypot caught a robot,
    which is told nothing different)."""
    note, author_ids = note_service.load_readable(session, actor, note_id)
    # The rule the note's page offers the form by (NoteRead.can_contact): a deleted note (only
    # admins still read it) is written to about by no one, and a message must reach someone.
    inbox_ids = accounts.with_inbox(session, author_ids)
    if (refusal := policy.contact_refusal(actor, note, author_ids, inbox_ids)) is not None:
        raise refusal
    if data.website:  # a field people never see: only robots fill it
        return None
    signed_in = policy.is_signed_in(actor)
    key = limits.address_key(address)
    if signed_in:
        assert actor is not None
        _check_rate(
            session, (col(Message.sender_id) == actor.id) & col(Message.in_reply_to_id).is_(None), LIMIT_SIGNED_IN
        )
    else:
        if not data.name or not data.email:
            raise Invalid(
                "Give your name and an address to be answered at.",
                field="email" if data.name else "name",
                text=N_("Donnez votre nom et une adresse où recevoir la réponse."),
            )
        _check_rate(session, col(Message.sender_address) == key, LIMIT_VISITOR)
    to = policy.contact_recipients(actor, author_ids, inbox_ids)
    message = Message(
        id=secrets.token_urlsafe(9),
        note_id=note.id,
        sender_id=actor.id if signed_in and actor else None,
        sender_name=None if signed_in else data.name,
        sender_email=None if signed_in else data.email,
        sender_address=None if signed_in else key,
        subject=data.subject,
        body=data.message,
    )
    session.add(message)
    session.flush()
    for user_id in to:
        session.add(MessageRecipient(message_id=message.id, user_id=user_id))
    notifications.notify(
        session,
        to,
        "message",
        actor=actor if signed_in else None,
        note_id=note.id,
        message_id=message.id,
        mail_extra=f"{data.subject}\n\n{data.message}",
    )
    return message.id


def _read(
    session: Session, actor: User, message: Message, note: Note | None, sender: User | None, read: bool
) -> MessageRead:
    return MessageRead(
        id=message.id,
        subject=message.subject,
        body=message.body,
        created_at=message.created_at,
        read=read,
        note=NoteRef(id=note.id, title=note.title, kind=note.kind, url=note_url(session, note.id)) if note else None,
        # A visitor's address is never shown: answers to it go through the site.
        sender=SenderRead(
            username=sender.username if sender else None,
            display_name=sender.display_name if sender else (message.sender_name or "?"),
            url=user_url(session, sender.username) if sender else None,
            has_account=sender is not None,
        ),
        can_reply=(sender is not None and sender.id != actor.id) or (sender is None and bool(message.sender_email)),
    )


def received(*, session: Session, actor: policy.Actor) -> list[MessageRead]:
    """The messages written to the actor, newest first (the note each is about, if still visible)."""
    actor = policy.require_signed_in(actor, "Sign in to read your messages.")
    rows = session.exec(
        select(Message, MessageRecipient.read_at)
        .join(MessageRecipient, col(MessageRecipient.message_id) == Message.id)
        .where(MessageRecipient.user_id == actor.id)
        .order_by(col(Message.created_at).desc())
    ).all()
    visible = set(
        session.exec(
            select(Note.id).where(
                col(Note.id).in_({m.note_id for m, _ in rows if m.note_id}), policy.visible_notes(actor)
            )
        )
    )
    notes = {n.id: n for n in session.exec(select(Note).where(col(Note.id).in_(visible)))}
    senders = {
        u.id: u
        for u in session.exec(select(User).where(col(User.id).in_({m.sender_id for m, _ in rows if m.sender_id})))
    }
    return [
        _read(session, actor, m, notes.get(m.note_id or ""), senders.get(m.sender_id or -1), read_at is not None)
        for m, read_at in rows
    ]


def reply(*, session: Session, actor: policy.Actor, message_id: str, data: MessageReply) -> str:
    """Answer a message: in the inbox of a sender with an account, by email to a visitor. The
    answer shows the author's name; their address only when they choose to give it to a
    visitor (as the mail's Reply-To)."""
    actor = policy.require_signed_in(actor)
    found = session.exec(
        select(Message)
        .join(MessageRecipient, col(MessageRecipient.message_id) == Message.id)
        .where(Message.id == message_id, MessageRecipient.user_id == actor.id)
    ).first()
    if found is None:
        raise NotFound("No such message.")
    if found.sender_id is None and not found.sender_email:
        raise Invalid(
            "This message left no way to be answered.",
            field="message",
            text=N_("Ce message n'a laissé aucun moyen d'y répondre."),
        )
    _check_rate(session, (col(Message.sender_id) == actor.id) & col(Message.in_reply_to_id).is_not(None), LIMIT_REPLIES)
    subject = found.subject if found.subject.lower().startswith("re:") else f"Re: {found.subject}"[:200]
    answer = Message(
        id=secrets.token_urlsafe(9),
        note_id=found.note_id,
        sender_id=actor.id,
        subject=subject,
        body=data.message,
        in_reply_to_id=found.id,
    )
    session.add(answer)
    session.flush()
    if found.sender_id is not None:
        session.add(MessageRecipient(message_id=answer.id, user_id=found.sender_id))
        notifications.notify(
            session,
            [found.sender_id],
            "message",
            actor=actor,
            note_id=found.note_id,
            message_id=answer.id,
            mail_extra=f"{subject}\n\n{data.message}",
        )
        return answer.id
    if data.reveal_address and not actor.email:
        raise Invalid(
            "Your account has no email address to give.",
            field="reveal_address",
            text=N_("Votre compte n'a pas d'adresse courriel à donner."),
        )
    note = session.get(Note, found.note_id) if found.note_id else None
    reply_to = formataddr((actor.display_name, actor.email)) if data.reveal_address and actor.email else None
    text, html = mail.render(
        session,
        "reply",
        name=found.sender_name,
        author=actor.display_name,
        body=data.message,
        note_title=note.title if note else None,
        reply_to=reply_to,
    )
    mail.enqueue(session, to=found.sender_email or "", subject=subject, text=text, html=html, reply_to=reply_to)
    return answer.id


def mark_read(*, session: Session, actor: policy.Actor, ids: list[str] | None = None) -> None:
    """Mark the actor's messages read (those named, or all)."""
    actor = policy.require_signed_in(actor)
    query = sa.update(MessageRecipient).where(
        col(MessageRecipient.user_id) == actor.id, col(MessageRecipient.read_at).is_(None)
    )
    if ids is not None:
        query = query.where(col(MessageRecipient.message_id).in_(ids))
    session.execute(query.values(read_at=utcnow()).execution_options(synchronize_session=False))
