"""Who may see and do what: the single place permissions are decided.

Reading is decided by one SQL clause, `visible_notes`, so a list, a count, a link and a single
page can never disagree: `can_read_note` asks the same clause about one note. Changing is decided
by the `can_*` predicates below. Services call these; routes never decide.

- public: everyone, signed in or not.
- community: members (and managers) of the note's community.
- restricted: the readers its authors chose.
Authors always read their notes; admins read everything, deleted notes included.

Carnets and bases follow the same three levels: `restricted` is a carnet's managers and
contributors, a base's managers. A note shows in a carnet (a base) only to whoever may read both
the note and the carnet (the base): `visible_entries` joins the two clauses.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, select

from praxis.errors import Conflict, DomainError, Forbidden, NotSignedIn
from praxis.i18n import N_
from praxis.models import (
    BaseManager,
    Carnet,
    CarnetMember,
    CommunityMember,
    KnowledgeBase,
    Note,
    NoteAuthor,
    NoteReader,
    User,
)

Actor = User | None


def is_admin(actor: Actor) -> bool:
    return bool(actor and actor.is_active and actor.is_admin)


def is_signed_in(actor: Actor) -> bool:
    return bool(actor and actor.is_active and actor.id is not None)


def require_signed_in(actor: Actor, message: str = "Sign in first.") -> User:
    """The actor, for what only a signed-in person does; NotSignedIn (401) for anyone else."""
    if not is_signed_in(actor):
        raise NotSignedIn(message)
    assert actor is not None
    return actor


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


# --- search ---------------------------------------------------------------------------------
# A search index cannot run `visible_notes`, so each indexed note carries the grants that open
# it, and each reader holds grants: a note is found by whoever holds one of its grants. The two
# functions below are `visible_notes` written as grants; the search permission tests hold them
# to it for every viewer of the access matrix.


def note_grants(visibility: str, community_id: str | None, author_ids: list[int], reader_ids: list[int]) -> list[str]:
    """The grants that open a live note in the search index."""
    grants = [f"user:{uid}" for uid in author_ids]
    if visibility == "public":
        grants.append("public")
    elif visibility == "community" and community_id:
        grants.append(f"community:{community_id}")
    elif visibility == "restricted":
        grants += [f"user:{uid}" for uid in reader_ids]
    return sorted(set(grants))


def reader_grants(session: Session, actor: Actor) -> list[str] | None:
    """The grants `actor` holds; None for admins, who find every live note."""
    if is_admin(actor):
        return None
    if not is_signed_in(actor):
        return ["public"]
    uid = actor.id  # type: ignore[union-attr]
    communities = session.exec(select(CommunityMember.community_id).where(CommunityMember.user_id == uid)).all()
    return ["public", f"user:{uid}", *(f"community:{c}" for c in communities)]


def is_public(visibility: str, deleted_at: object = None) -> bool:
    """Whether everyone may read it — an anonymous visitor, a search engine, a link preview: what
    the sitemap lists, what is indexed and described to others (`visible_notes(None)`,
    `visible_carnets(None)` and `visible_bases(None)` for one object)."""
    return visibility == "public" and deleted_at is None


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


def invitation_stands(inviter: Actor, note: Note, author_ids: set[int]) -> bool:
    """An invitation to co-sign a note stands only while whoever sent it may still name its
    authors: one from someone who left (or was taken off) is no invitation to accept."""
    return inviter is not None and can_edit_note(inviter, note, author_ids)


def edit_request_refusal(actor: Actor, note: Note, author_ids: set[int], invited_ids: set[int]) -> DomainError | None:
    """Why `actor`, who reads `note`, may not ask to become its co-author; None when they may.
    Any signed-in reader of a live note may, but its authors and admins, who already edit it,
    and those invited to co-sign it (`invited_ids`), who accept instead."""
    if not is_signed_in(actor):
        return NotSignedIn("Sign in to ask for editing rights.")
    if note.deleted_at is not None:
        return Forbidden("This note is deleted: no one can ask to edit it.",
                         text=N_("Cette note est supprimée : on ne peut plus demander à la modifier."))
    if actor.id in author_ids:  # type: ignore[union-attr]
        return Conflict("You are already an author of this note.", text=N_("Vous êtes déjà auteur·trice de cette note."))
    if actor.id in invited_ids:  # type: ignore[union-attr]
        return Conflict("You are already invited to co-sign this note: accept the invitation.",
                        text=N_("Vous êtes déjà invité·e à co-signer cette note : acceptez l'invitation."))
    if is_admin(actor):
        return Conflict("Administrators already edit every note.",
                        text=N_("Les administrateur·trices modifient déjà toutes les notes."))
    return None


def names_author_at_once(actor: Actor, person: User, author_ids: set[int]) -> bool:
    """Whether naming `person` as an author makes them one at once: they already are, they name
    themselves, they are a profile without login (a name from an imported file, who cannot
    consent), or the system imports. Anyone else with an account, whoever names them (admins
    too), is invited and becomes an author only by accepting."""
    return (
        person.id in author_ids
        or (actor is not None and actor.id is not None and person.id == actor.id)
        or person.password_hash is None
        or actor is SYSTEM
    )


def can_leave_note(actor: Actor, note: Note, author_ids: set[int]) -> bool:
    """An author takes themselves off a live note, unless they are its last author (pending
    invitations are not authors, so they do not count)."""
    return (note.deleted_at is None and is_signed_in(actor) and actor.id in author_ids  # type: ignore[union-attr]
            and len(author_ids) > 1)


def can_request_edit(actor: Actor, note: Note, author_ids: set[int], invited_ids: set[int]) -> bool:
    """Whether `actor` may ask to become a co-author: the flag pages show, from the same rule that refuses."""
    return edit_request_refusal(actor, note, author_ids, invited_ids) is None


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


def can_edit_profile(actor: Actor, person: User) -> bool:
    """People change their own name and how citations name them; admins change anyone's
    (profiles without login, made from the names in imported files, have no one else)."""
    return is_admin(actor) or (is_signed_in(actor) and actor is not None and actor.id == person.id)


def can_register(actor: Actor, registration: str) -> bool:
    """Anyone may open an account while registration is open; only admins when it is closed."""
    return registration == "open" or is_admin(actor)


# --- carnets and bases ------------------------------------------------------------------------


def visible_carnets(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause selecting the carnets `actor` may read, for any query on `Carnet`."""
    if is_admin(actor):
        return sa.true()
    public = Carnet.visibility == "public"
    if not is_signed_in(actor):
        return public
    uid = actor.id  # type: ignore[union-attr]
    member = sa.exists().where(CarnetMember.carnet_id == Carnet.id, CarnetMember.user_id == uid)
    community_member = sa.and_(
        Carnet.visibility == "community",
        sa.exists().where(CommunityMember.community_id == Carnet.community_id, CommunityMember.user_id == uid),
    )
    return sa.or_(public, member, community_member)


def visible_bases(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause selecting the bases `actor` may read, for any query on `KnowledgeBase`."""
    if is_admin(actor):
        return sa.true()
    public = KnowledgeBase.visibility == "public"
    if not is_signed_in(actor):
        return public
    uid = actor.id  # type: ignore[union-attr]
    manager = sa.exists().where(BaseManager.base_id == KnowledgeBase.id, BaseManager.user_id == uid)
    community_member = sa.and_(
        KnowledgeBase.visibility == "community",
        sa.exists().where(CommunityMember.community_id == KnowledgeBase.community_id, CommunityMember.user_id == uid),
    )
    return sa.or_(public, manager, community_member)


def can_create_carnet(actor: Actor) -> bool:
    return is_signed_in(actor)


def can_manage_carnet(actor: Actor, role: str | None) -> bool:
    """Managers edit a carnet, its members, categories, order and pins; admins every carnet."""
    return is_admin(actor) or (is_signed_in(actor) and role == "manager")


def can_contribute_to_carnet(actor: Actor, role: str | None) -> bool:
    """Contributors (and managers) integrate notes, create notes in the carnet and file them."""
    return is_admin(actor) or (is_signed_in(actor) and role in ("manager", "contributor"))


def can_remove_entry(actor: Actor, role: str | None, added_by_id: int | None) -> bool:
    """Managers take any note out of a carnet; a contributor the notes they integrated."""
    if can_manage_carnet(actor, role):
        return True
    return can_contribute_to_carnet(actor, role) and added_by_id is not None and added_by_id == actor.id  # type: ignore[union-attr]


def can_create_base(actor: Actor) -> bool:
    return is_signed_in(actor)


def can_manage_base(actor: Actor, is_manager: bool) -> bool:
    """A base's managers edit it and choose its carnets; admins every base."""
    return is_admin(actor) or (is_signed_in(actor) and is_manager)


# The actor of command-line imports and exports: sees and writes everything, is nobody.
SYSTEM = User(username="system", display_name="system", is_admin=True, is_active=True)


# --- discussion ------------------------------------------------------------------------------
# A comment is seen by whoever may read its note: the note's loader decides, and nothing else.


def can_comment(actor: Actor, note: Note) -> bool:
    """Signed-in readers write in an open discussion of a live note."""
    return is_signed_in(actor) and note.deleted_at is None and not note.discussion_closed


def can_moderate_discussion(actor: Actor, note: Note, author_ids: set[int]) -> bool:
    """The note's authors and admins hide comments and close the discussion."""
    return can_edit_note(actor, note, author_ids)


def is_comment_author(actor: Actor, author_id: int | None) -> bool:
    return is_signed_in(actor) and actor is not None and author_id is not None and actor.id == author_id


def can_restore_comment(actor: Actor) -> bool:
    """Only admins bring back a hidden comment."""
    return is_admin(actor)
