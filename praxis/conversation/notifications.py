"""The inbox: what happened that concerns someone, told once, in the site and, if they chose,
by email (at once, or in a daily digest).

A notification points at what it is about (a note, a comment, a carnet, a message, an edit
request) and is shown — and mailed — only while its reader may still see that: a note made
restricted since, or a carnet the reader was never allowed in, takes its notifications out of
sight with it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, cast

import sqlalchemy as sa
from sqlmodel import Session, col, select

from praxis import i18n, policy
from praxis.config import site_settings
from praxis.conversation import mail
from praxis.i18n import N_
from praxis.models import AuthorInvitation, Carnet, Note, Notification, NotificationSetting, User, pk, utcnow
from praxis.schemas import AuthorRead, NoteRef, NotificationPage, NotificationRead, NotificationSettings
from praxis.urls import carnet_url, note_url, site_url, user_url

KINDS = ("comment", "reply", "message", "edit_request", "edit_decision", "carnet_entry", "author_invitation")
# Where a notification goes when its reader never chose: messages written to them by email
# at once (a person wrote to them), everything else in the site only.
DEFAULT_CHANNEL = {"message": "email"}
_TEXT = {
    "comment": N_("{who} a commenté votre note « {note} »."),
    "reply": N_("{who} a répondu à votre commentaire sur « {note} »."),
    "message": N_("{who} vous a écrit au sujet de « {note} »."),
    "edit_request": N_("{who} demande à devenir co-auteur·trice de « {note} »."),
    "edit_decision": N_("Votre demande de droits d'édition sur « {note} » a reçu une réponse."),
    "carnet_entry": N_("{who} a intégré votre note « {note} » au carnet « {carnet} »."),
    "author_invitation": N_("{who} vous invite à co-signer « {note} »."),
}


# --- preferences -----------------------------------------------------------------------------


def channels(session: Session, user_id: int) -> dict[str, str]:
    """Where each kind of notification goes for this person: "app", "email" or "digest"."""
    chosen = {
        s.kind: s.channel
        for s in session.exec(select(NotificationSetting).where(NotificationSetting.user_id == user_id))
    }
    return {kind: chosen.get(kind, DEFAULT_CHANNEL.get(kind, "app")) for kind in KINDS}


def get_settings(*, session: Session, actor: policy.Actor) -> NotificationSettings:
    actor = policy.require_signed_in(actor)
    return NotificationSettings(**channels(session, pk(actor.id)))


def set_settings(*, session: Session, actor: policy.Actor, data: NotificationSettings) -> NotificationSettings:
    """Choose, kind by kind, where notifications go (the kinds not sent stay as they were)."""
    actor = policy.require_signed_in(actor)
    before = channels(session, pk(actor.id))
    for kind, channel in data.model_dump(exclude_unset=True, exclude_none=True).items():
        session.merge(NotificationSetting(user_id=pk(actor.id), kind=kind, channel=channel))
        if channel != before[kind]:
            # A new choice counts from now: what came before is not mailed after the fact.
            session.execute(
                sa.update(Notification)
                .where(
                    col(Notification.user_id) == actor.id,
                    col(Notification.kind) == kind,
                    col(Notification.emailed_at).is_(None),
                )
                .values(emailed_at=utcnow())
                .execution_options(synchronize_session=False)
            )
    session.flush()
    return get_settings(session=session, actor=actor)


# --- telling ---------------------------------------------------------------------------------


def notify(
    session: Session,
    recipients: Iterable[int | None],
    kind: str,
    *,
    actor: policy.Actor,
    note_id: str | None = None,
    comment_id: str | None = None,
    carnet_id: str | None = None,
    message_id: str | None = None,
    edit_request_id: str | None = None,
    mail_extra: str = "",
) -> None:
    """Tell each recipient (once, and never the person who did it) that `kind` happened; by
    email at once to those who chose so (`mail_extra`: the words a mail adds, a message's text)."""
    assert kind in KINDS
    actor_id = actor.id if actor is not None else None
    made = []
    for user_id in dict.fromkeys(recipients):  # in order, without repeats
        if user_id is None or user_id == actor_id:
            continue
        made.append(
            Notification(
                user_id=user_id,
                kind=kind,
                actor_id=actor_id,
                note_id=note_id,
                comment_id=comment_id,
                carnet_id=carnet_id,
                message_id=message_id,
                edit_request_id=edit_request_id,
            )
        )
    session.add_all(made)
    session.flush()
    for notification in made:
        person = session.get(User, notification.user_id)
        if not (person and person.email and person.is_active and channels(session, pk(person.id))[kind] == "email"):
            continue
        # Mailed only if its reader may see what it is about (a reply on a note restricted since).
        if session.exec(select(Notification.id).where(Notification.id == notification.id, _visible(person))).first():
            with i18n.using(i18n.site_language(session)):  # the site's language, not the language of who acted
                item = describe(session, [notification])[0]
                text, html = mail.render(session, "notification", person=person, item=item, extra=mail_extra)
            mail.enqueue(
                session,
                to=person.email,
                subject=f"[{site_settings(session).site_name}] {item.text}",
                text=text,
                html=html,
            )
            notification.emailed_at = utcnow()
    session.flush()


def send_digests(session: Session, now: datetime | None = None, *, force: bool = False) -> int:
    """Once a day (at once with `force`): one mail per person listing what they chose to get as
    a digest and was not mailed yet, among what they may still see; how many mails were queued."""
    moment = now or utcnow()
    if not mail.claim_job(session, "digest", timedelta(0) if force else timedelta(days=1), moment):
        return 0
    people = session.exec(
        select(User).where(
            User.is_active,
            col(User.email).is_not(None),
            col(User.id).in_(select(Notification.user_id).where(col(Notification.emailed_at).is_(None))),
        )
    ).all()
    queued = 0
    for person in people:
        digest_kinds = [k for k, channel in channels(session, pk(person.id)).items() if channel == "digest"]
        rows = (
            session.exec(
                select(Notification)
                .where(
                    Notification.user_id == person.id,
                    col(Notification.emailed_at).is_(None),
                    col(Notification.kind).in_(digest_kinds),
                    _visible(person),
                )
                .order_by(col(Notification.created_at))
            ).all()
            if digest_kinds
            else []
        )
        if not rows:
            continue
        with i18n.using(i18n.site_language(session)):
            items = describe(session, rows)
            text, html = mail.render(session, "digest", person=person, items=items)
            subject = i18n.gettext("Votre résumé ({count})").format(count=i18n.format_number(len(items)))
        mail.enqueue(
            session,
            to=person.email or "",
            subject=f"[{site_settings(session).site_name}] {subject}",
            text=text,
            html=html,
        )
        for row in rows:
            row.emailed_at = moment
        session.add_all(rows)
        queued += 1
    session.flush()
    return queued


# --- reading ---------------------------------------------------------------------------------


def _visible(actor: User) -> sa.ColumnElement[bool]:
    """Notifications about what the reader may still see; an invitation to co-sign a note also
    while it waits for an answer (the invitee may not read a restricted note before accepting)."""
    invited_to = (
        select(AuthorInvitation.note_id)
        .join(Note, col(Note.id) == AuthorInvitation.note_id)
        .where(
            AuthorInvitation.user_id == actor.id, AuthorInvitation.status == "pending", col(Note.deleted_at).is_(None)
        )
    )
    return sa.and_(
        sa.or_(
            col(Notification.note_id).is_(None),
            col(Notification.note_id).in_(select(Note.id).where(policy.visible_notes(actor))),
            sa.and_(col(Notification.kind) == "author_invitation", col(Notification.note_id).in_(invited_to)),
        ),
        sa.or_(
            col(Notification.carnet_id).is_(None),
            col(Notification.carnet_id).in_(select(Carnet.id).where(policy.visible_carnets(actor))),
        ),
    )


def unread_count(session: Session, actor: policy.Actor) -> int:
    """The number shown beside "Boîte de réception" in the header."""
    if not policy.is_signed_in(actor):
        return 0
    assert actor is not None
    return session.exec(
        select(sa.func.count())
        .select_from(Notification)
        .where(Notification.user_id == actor.id, col(Notification.read_at).is_(None), _visible(actor))
    ).one()


def describe(session: Session, rows: Sequence[Notification]) -> list[NotificationRead]:
    """Notifications as their reader reads them (a fixed number of queries)."""
    people = {
        u.id: u for u in session.exec(select(User).where(col(User.id).in_({n.actor_id for n in rows if n.actor_id})))
    }
    notes = {
        n.id: n for n in session.exec(select(Note).where(col(Note.id).in_({r.note_id for r in rows if r.note_id})))
    }
    carnets = {
        c.id: c
        for c in session.exec(select(Carnet).where(col(Carnet.id).in_({r.carnet_id for r in rows if r.carnet_id})))
    }
    out = []
    for n in rows:
        who = people.get(n.actor_id) if n.actor_id else None
        note = notes.get(n.note_id) if n.note_id else None
        carnet = carnets.get(n.carnet_id) if n.carnet_id else None
        if n.kind == "carnet_entry" and carnet:
            url = carnet_url(session, carnet.id)
        elif n.kind == "author_invitation":
            url = f"{site_url(session)}/u/me/inbox#invitations"
        elif n.kind == "message" or not note:
            url = f"{site_url(session)}/u/me/inbox" + ("#messages" if n.kind == "message" else "")
        else:
            url = note_url(session, note.id) + (
                f"#c-{n.comment_id}" if n.comment_id else "#demandes" if n.edit_request_id else ""
            )
        out.append(
            NotificationRead(
                id=n.id or 0,
                kind=n.kind,
                url=url,
                created_at=n.created_at,
                read=n.read_at is not None,
                text=i18n.gettext(_TEXT[n.kind]).format(
                    who=who.display_name if who else i18n.gettext("Quelqu'un"),
                    note=note.title if note else "",
                    carnet=carnet.title if carnet else "",
                ),
                actor=AuthorRead(
                    username=who.username, display_name=who.display_name, url=user_url(session, who.username)
                )
                if who
                else None,
                note=NoteRef(id=note.id, title=note.title, kind=note.kind, url=note_url(session, note.id))
                if note
                else None,
            )
        )
    return out


def inbox(*, session: Session, actor: policy.Actor, page: int = 1, per_page: int = 30) -> NotificationPage:
    """The actor's notifications, newest first, about what they may still see."""
    actor = policy.require_signed_in(actor)
    where = (Notification.user_id == actor.id, _visible(actor))
    total = session.exec(select(sa.func.count()).select_from(Notification).where(*where)).one()
    rows = session.exec(
        select(Notification)
        .where(*where)
        .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return NotificationPage(
        items=describe(session, rows), total=total, unread=unread_count(session, actor), page=page, per_page=per_page
    )


def mark_read(*, session: Session, actor: policy.Actor, ids: list[int] | None = None) -> int:
    """Mark the actor's notifications read (those named, or all); how many changed."""
    actor = policy.require_signed_in(actor)
    query = sa.update(Notification).where(col(Notification.user_id) == actor.id, col(Notification.read_at).is_(None))
    if ids is not None:
        query = query.where(col(Notification.id).in_(ids))
    # An UPDATE answers with a cursor result, which counts the rows it changed.
    done = cast(
        sa.CursorResult[Any],
        session.execute(query.values(read_at=utcnow()).execution_options(synchronize_session=False)),
    )
    return done.rowcount
