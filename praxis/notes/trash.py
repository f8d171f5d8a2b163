"""The trash: deleted notes that their authors and admins may bring back for policy.TRASH_DAYS.

Deleting a note only marks it (notes.delete_note); bringing it back clears the mark, and the
search queue, which watches `deleted_at`, puts it back in the index with the notes linking to it.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from praxis import policy
from praxis.errors import NotFound
from praxis.models import Note, utcnow
from praxis.notes.reading import list_author_ids, read_note
from praxis.schemas import NoteRead, TrashItem, TrashPage, is_note_id
from praxis.urls import note_url


def undelete_note(*, session: Session, actor: policy.Actor, note_id: str) -> NoteRead:
    """Bring a deleted note back as it was (its authors and admins, within policy.TRASH_DAYS)."""
    note = session.get(Note, note_id) if is_note_id(note_id) else None
    if note is None:
        raise NotFound("No such note.")
    author_ids = list_author_ids(session, note_id)
    if note.deleted_at is None and not policy.can_read_note(session, actor, note):
        raise NotFound("No such note.")  # a live note the actor may not read is not told of
    policy.ensure_can_undelete_note(actor, note, set(author_ids), utcnow())
    note.deleted_at = None
    note.deleted_by_id = None
    session.add(note)
    session.flush()
    return read_note(session=session, actor=actor, note=note)


def list_trash(*, session: Session, actor: policy.Actor, page: int = 1, per_page: int = 50) -> TrashPage:
    """The deleted notes `actor` may bring back, the most recently deleted first."""
    since = utcnow() - timedelta(days=policy.TRASH_DAYS)
    where = policy.in_trash(actor, since)
    total = session.exec(select(sa.func.count()).select_from(Note).where(where)).one()
    notes = session.exec(
        select(Note)
        .where(where)
        .order_by(col(Note.deleted_at).desc(), Note.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    items = [
        TrashItem(
            id=n.id,
            kind=n.kind,
            title=n.title,
            url=note_url(session, n.id),
            deleted_at=n.deleted_at,
            restorable_until=n.deleted_at + timedelta(days=policy.TRASH_DAYS),
        )
        for n in notes
        if n.deleted_at is not None
    ]
    return TrashPage(items=items, total=total, page=page, per_page=per_page)
