"""Who may see and do what: the single place permissions are decided.

Reading is decided by one SQL clause, `visible_notes`, so a list, a count, a link and a single
page can never disagree: `can_read_note` asks the same clause about one note. Changing is decided
by the `can_*` predicates below. Services call these; routes never decide.

- public: everyone, signed in or not.
- community: members (and managers) of the note's community.
- restricted: the readers its authors chose.
Authors always read their notes; admins read everything, deleted notes included.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, select

from praxis.models import CommunityMember, Note, NoteAuthor, NoteReader, User

Actor = User | None


def is_admin(actor: Actor) -> bool:
    return bool(actor and actor.is_active and actor.is_admin)


def is_signed_in(actor: Actor) -> bool:
    return bool(actor and actor.is_active and actor.id is not None)


def visible_notes(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause selecting the live notes `actor` may read, for any query on `Note`."""
    live = Note.deleted_at.is_(None)  # type: ignore[union-attr]
    if is_admin(actor):
        return live
    public = Note.visibility == "public"
    if not is_signed_in(actor):
        return sa.and_(live, public)
    uid = actor.id  # type: ignore[union-attr]
    authored = sa.exists().where(NoteAuthor.note_id == Note.id, NoteAuthor.user_id == uid)
    chosen_reader = sa.and_(
        Note.visibility == "restricted",
        sa.exists().where(NoteReader.note_id == Note.id, NoteReader.user_id == uid),
    )
    community_member = sa.and_(
        Note.visibility == "community",
        sa.exists().where(CommunityMember.community_id == Note.community_id, CommunityMember.user_id == uid),
    )
    return sa.and_(live, sa.or_(public, authored, chosen_reader, community_member))


def can_read_note(session: Session, actor: Actor, note: Note) -> bool:
    """Whether `actor` may read this note: the `visible_notes` rule, plus deleted notes for admins."""
    if is_admin(actor):
        return True
    return session.exec(select(Note.id).where(Note.id == note.id, visible_notes(actor))).first() is not None


def can_create_note(actor: Actor) -> bool:
    return is_signed_in(actor)


def can_edit_note(actor: Actor, note: Note, author_ids: set[int]) -> bool:
    """Authors and admins change a live note: its text, metadata, authors, readers and visibility."""
    if note.deleted_at is not None:
        return False
    if is_admin(actor):
        return True
    return is_signed_in(actor) and actor.id in author_ids  # type: ignore[union-attr]


# Managing a note (co-authors, visibility, deletion, edit requests) is the authors' right too.
can_manage_note = can_edit_note


def can_request_edit(actor: Actor, note: Note, author_ids: set[int]) -> bool:
    """Any signed-in reader who is not already an author may ask to become a co-author."""
    return note.deleted_at is None and is_signed_in(actor) and actor.id not in author_ids  # type: ignore[union-attr]


def can_link_community(actor: Actor, role: str | None) -> bool:
    """Members (and managers) link notes to their community; admins to any."""
    return is_admin(actor) or role in ("member", "manager")


def can_manage_community(actor: Actor, role: str | None) -> bool:
    """Managers add and remove members; admins manage every community."""
    return is_admin(actor) or role == "manager"


def can_create_community(actor: Actor) -> bool:
    return is_signed_in(actor)


def can_manage_accounts(actor: Actor) -> bool:
    """Admins deactivate and reactivate accounts."""
    return is_admin(actor)


def can_register(actor: Actor, registration: str) -> bool:
    """Anyone may open an account while registration is open; only admins when it is closed."""
    return registration == "open" or is_admin(actor)


# The actor of command-line imports and exports: sees and writes everything, is nobody.
SYSTEM = User(username="system", display_name="system", is_admin=True, is_active=True)
