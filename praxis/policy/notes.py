"""Notes: who reads them (one SQL clause, also written as search grants), who changes them, who
asks to, who leaves them."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from praxis.errors import Conflict, DomainError, Forbidden, NotFound, NotSignedIn
from praxis.i18n import N_
from praxis.models import CommunityMember, Note, NoteAuthor, NoteReader, User, pk
from praxis.policy.core import SYSTEM, Actor, ensure, is_admin, is_signed_in, reader_key


def visible_notes(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause selecting the live notes `actor` may read, for any query on `Note`."""
    return _visible_notes(*reader_key(actor))


@lru_cache(maxsize=4096)
def _visible_notes(uid: int | None, admin: bool) -> ColumnElement[bool]:
    live = col(Note.deleted_at).is_(None)
    if admin:
        return live
    public = col(Note.visibility) == "public"
    if uid is None:
        return sa.and_(live, public)
    authored = sa.exists().where(col(NoteAuthor.note_id) == Note.id, col(NoteAuthor.user_id) == uid)
    chosen_reader = sa.and_(
        col(Note.visibility) == "restricted",
        sa.exists().where(col(NoteReader.note_id) == Note.id, col(NoteReader.user_id) == uid),
    )
    community_member = sa.and_(
        col(Note.visibility) == "community",
        sa.exists().where(col(CommunityMember.community_id) == Note.community_id, col(CommunityMember.user_id) == uid),
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
    uid = actor.id
    communities = session.exec(select(CommunityMember.community_id).where(col(CommunityMember.user_id) == uid)).all()
    return ["public", f"user:{uid}", *(f"community:{c}" for c in communities)]


def can_read_note(session: Session, actor: Actor, note: Note) -> bool:
    """Whether `actor` may read this note: the `visible_notes` rule, plus deleted notes for admins."""
    if is_admin(actor):
        return True
    return session.exec(select(Note.id).where(col(Note.id) == note.id, visible_notes(actor))).first() is not None


# --- changing -------------------------------------------------------------------------------


def can_create_note(actor: Actor) -> bool:
    return is_signed_in(actor)


def can_edit_note(actor: Actor, note: Note, author_ids: set[int]) -> bool:
    """Authors and admins change a live note: its text, metadata, authors, readers and visibility."""
    if note.deleted_at is not None:
        return False
    if is_admin(actor):
        return True
    return actor is not None and is_signed_in(actor) and pk(actor.id) in author_ids


def ensure_can_edit_note(actor: Actor, note: Note, author_ids: set[int]) -> None:
    """Refuse a change `can_edit_note` does not allow: a deleted note is missing (404) to whoever
    changes it, a visitor is asked to sign in (401), anyone else is refused (403)."""
    if note.deleted_at is not None:
        raise NotFound("No such note.")
    ensure(
        can_edit_note(actor, note, author_ids),
        actor,
        "Only the note's authors and administrators can change it.",
        sign_in="Sign in to edit this note.",
    )


def can_read_note_source(actor: Actor, note: Note, author_ids: set[int]) -> bool:
    """Whether `actor` gets a note's Markdown with its `%%comments%%`, which its writers keep for
    themselves (Obsidian's comments: never published): its authors and admins, those who may
    change it (`can_edit_note`), and while it is in the trash those who may bring it back (the
    command line, as the system, too). Every other reader gets the text without them
    (`markdown.strip_comments`, as its rendering leaves them out)."""
    return is_admin(actor) or (actor is not None and is_signed_in(actor) and pk(actor.id) in author_ids)


# Managing a note (co-authors, visibility, deletion, edit requests) is the authors' right too.
can_manage_note = can_edit_note


def can_see_note_readers(actor: Actor, note: Note, author_ids: set[int]) -> bool:
    """Who a note's chosen readers are is told to those who choose them: its authors and admins
    (who keep seeing them on a deleted note's history)."""
    return is_admin(actor) or can_edit_note(actor, note, author_ids)


def ensure_can_answer_edit_request(actor: Actor, note: Note, author_ids: set[int], requester_id: int) -> None:
    """The note's authors (and admins) answer an edit request; the one who made it sees it but
    may not answer it (403); to anyone else it does not exist (404)."""
    if can_manage_note(actor, note, author_ids):
        return
    if not is_signed_in(actor):
        raise NotSignedIn("Sign in first.")
    if actor.id != requester_id:
        raise NotFound("No such request.")
    raise Forbidden("Only the note's authors answer edit requests.")


# --- co-authors -----------------------------------------------------------------------------


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
    assert actor is not None
    if note.deleted_at is not None:
        return Forbidden(
            "This note is deleted: no one can ask to edit it.",
            text=N_("Cette note est supprimée : on ne peut plus demander à la modifier."),
        )
    if pk(actor.id) in author_ids:
        return Conflict(
            "You are already an author of this note.", text=N_("Vous êtes déjà auteur·trice de cette note.")
        )
    if pk(actor.id) in invited_ids:
        return Conflict(
            "You are already invited to co-sign this note: accept the invitation.",
            text=N_("Vous êtes déjà invité·e à co-signer cette note : acceptez l'invitation."),
        )
    if is_admin(actor):
        return Conflict(
            "Administrators already edit every note.",
            text=N_("Les administrateur·trices modifient déjà toutes les notes."),
        )
    return None


def can_request_edit(actor: Actor, note: Note, author_ids: set[int], invited_ids: set[int]) -> bool:
    """Whether `actor` may ask to become a co-author: the flag pages show, from the same rule that refuses."""
    return edit_request_refusal(actor, note, author_ids, invited_ids) is None


def asked_again_refusal(waiting_id: str | None) -> Conflict | None:
    """Why one may not ask again: a request of theirs (`waiting_id`) still waits for an answer."""
    if waiting_id is None:
        return None
    return Conflict(
        "You already asked; the authors have not answered yet.",
        request_id=waiting_id,
        text=N_("Vous avez déjà demandé ces droits ; les auteur·trices n'ont pas encore répondu."),
    )


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


def leave_note_refusal(actor: Actor, note: Note, author_ids: set[int]) -> DomainError | None:
    """Why `actor` may not take themselves off the note's authors; None when they may: an author
    of a live note, unless they are its last author (pending invitations are not authors)."""
    if not is_signed_in(actor):
        return NotSignedIn("Sign in first.")
    assert actor is not None
    if pk(actor.id) not in author_ids:
        return NotFound("You are not an author of this note.")
    if note.deleted_at is not None:
        return Forbidden("This note is deleted.")
    if len(author_ids) <= 1:
        return Conflict(
            "You are the note's last author: name another (who accepts) before leaving, or delete the note.",
            text=N_(
                "Vous êtes la dernière personne autrice de cette note : une autre doit d'abord accepter d'en être, ou supprimez la note."
            ),
        )
    return None


def can_leave_note(actor: Actor, note: Note, author_ids: set[int]) -> bool:
    """Whether `actor` may take themselves off the note's authors (`leave_note_refusal`)."""
    return leave_note_refusal(actor, note, author_ids) is None


# --- the trash ------------------------------------------------------------------------------

# How long a deleted note can be brought back by its authors and admins (it is never erased here).
TRASH_DAYS = 30


def in_trash(actor: Actor, since: datetime) -> ColumnElement[bool]:
    """A WHERE clause selecting the deleted notes `actor` may bring back: deleted at or after
    `since` (now less TRASH_DAYS), authored by `actor` (any, for admins); none for visitors."""
    deleted = sa.and_(col(Note.deleted_at).is_not(None), col(Note.deleted_at) >= since)
    if is_admin(actor):
        return deleted
    if not is_signed_in(actor):
        return sa.false()
    authored = sa.exists().where(col(NoteAuthor.note_id) == Note.id, col(NoteAuthor.user_id) == actor.id)
    return sa.and_(deleted, authored)


def undelete_refusal(actor: Actor, note: Note, author_ids: set[int], now: datetime) -> DomainError | None:
    """Why `actor` may not bring `note` back (None: they may): it is missing (404) to whoever may
    not read it nor is its author or an admin; a live note is not in the trash (409), nor is one
    deleted more than TRASH_DAYS ago (409)."""
    mine = is_admin(actor) or (is_signed_in(actor) and pk(actor.id) in author_ids)
    if not mine:
        return NotFound("No such note.")
    if note.deleted_at is None:
        return Conflict("This note is not deleted.", text=N_("Cette note n'est pas supprimée."))
    if note.deleted_at < now - timedelta(days=TRASH_DAYS):
        return Conflict(
            f"This note was deleted more than {TRASH_DAYS} days ago: it can no longer be restored.",
            text=N_("Cette note a été supprimée il y a plus de %(days)s jours : elle ne peut plus être restaurée."),
            params={"days": TRASH_DAYS},
        )
    return None


def ensure_can_undelete_note(actor: Actor, note: Note, author_ids: set[int], now: datetime) -> None:
    refusal = undelete_refusal(actor, note, author_ids, now)
    if refusal is not None:
        raise refusal
