"""Who may see and do what: the single place permissions are decided.

Every read path asks `can_read_note` for one note or filters queries with `visible_notes`;
every write path asks `can_edit_note` / `can_create_note`.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from praxis.models import Note, NoteAuthor, User

Actor = User | None


def is_admin(actor: Actor) -> bool:
    return bool(actor and actor.is_active and actor.is_admin)


def is_signed_in(actor: Actor) -> bool:
    return bool(actor and actor.is_active and actor.id is not None)


def can_read_note(actor: Actor, note: Note, author_ids: set[int]) -> bool:
    """A live public note is for everyone; a restricted one for its authors; admins see all."""
    if is_admin(actor):
        return True
    if note.deleted_at is not None:
        return False
    if note.visibility == "public":
        return True
    return is_signed_in(actor) and actor.id in author_ids  # type: ignore[union-attr]


def can_read_history_of_deleted(actor: Actor) -> bool:
    """A deleted note's history is kept for admins only."""
    return is_admin(actor)


def can_create_note(actor: Actor) -> bool:
    return is_signed_in(actor)


def can_edit_note(actor: Actor, note: Note, author_ids: set[int]) -> bool:
    """Authors and admins edit a live note."""
    if note.deleted_at is not None:
        return False
    if is_admin(actor):
        return True
    return is_signed_in(actor) and actor.id in author_ids  # type: ignore[union-attr]


def visible_notes(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause selecting the notes `actor` may read, for any query on `Note`."""
    live = Note.deleted_at.is_(None)  # type: ignore[union-attr]
    if is_admin(actor):
        return live
    public = Note.visibility == "public"
    if not is_signed_in(actor):
        return sa.and_(live, public)
    authored = sa.exists().where(NoteAuthor.note_id == Note.id, NoteAuthor.user_id == actor.id)  # type: ignore[union-attr]
    return sa.and_(live, sa.or_(public, authored))


# The actor of command-line imports and exports: sees and writes everything, is nobody.
SYSTEM = User(username="system", display_name="system", is_admin=True, is_active=True)
