"""A note's discussion: a comment is seen by whoever may read its note (the note's loader decides,
and nothing else); these rules say who writes, changes, hides and reads what is hidden."""

from __future__ import annotations

from praxis.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from praxis.i18n import N_
from praxis.models import Comment, Note
from praxis.policy.core import Actor, ensure, is_admin, is_self, is_signed_in, refuse
from praxis.policy.notes import can_edit_note


def can_comment(actor: Actor, note: Note) -> bool:
    """Signed-in readers write in an open discussion of a live note."""
    return is_signed_in(actor) and note.deleted_at is None and not note.discussion_closed


def ensure_can_comment(actor: Actor, note: Note) -> None:
    ensure(
        can_comment(actor, note), actor, "This discussion is closed.", sign_in="Sign in to take part in the discussion."
    )


def contact_recipients(actor: Actor, author_ids: list[int], inbox_ids: set[int]) -> list[int]:
    """Whom a message to a note's authors reaches: its authors whose account reads an inbox
    (`inbox_ids`, people.accounts.with_inbox), in their order, but the sender."""
    return [i for i in author_ids if i in inbox_ids and not is_self(actor, i)]


def contact_refusal(actor: Actor, note: Note, author_ids: list[int], inbox_ids: set[int]) -> DomainError | None:
    """Why `actor`, who reads the note, may not write to its authors (None: they may): a deleted
    note is written to about by no one; a message that would reach no one is not sent (its
    authors are profiles without an account, or the sender is the only one with an account)."""
    if note.deleted_at is not None:
        return NotFound("No such note.")
    if not contact_recipients(actor, author_ids, inbox_ids):
        if is_signed_in(actor) and actor.id in author_ids:
            return Invalid(
                "No other author of this note has an account to receive messages.",
                field="message",
                text=N_("Aucun·e autre auteur·trice de cette note ne peut recevoir de message sur ce site."),
            )
        return Invalid(
            "No author of this note has an account to receive messages.",
            field="message",
            text=N_("Les auteur·trices de cette note ne peuvent pas recevoir de message sur ce site."),
        )
    return None


def can_contact_authors(actor: Actor, note: Note, author_ids: list[int], inbox_ids: set[int]) -> bool:
    """Whether the note's page offers its contact form: the service would send the message."""
    return contact_refusal(actor, note, author_ids, inbox_ids) is None


def can_moderate_discussion(actor: Actor, note: Note, author_ids: set[int]) -> bool:
    """The note's authors and admins hide comments and close the discussion."""
    return can_edit_note(actor, note, author_ids)


def ensure_can_moderate_discussion(
    actor: Actor,
    note: Note,
    author_ids: set[int],
    message: str = "Only the note's authors and administrators can close its discussion.",
) -> None:
    ensure(can_moderate_discussion(actor, note, author_ids), actor, message)


def is_comment_author(actor: Actor, author_id: int | None) -> bool:
    return is_self(actor, author_id)


def can_read_comment(actor: Actor, comment: Comment, moderator: bool) -> bool:
    """Whether `actor`, who reads the note, reads this comment's words: a visible comment, or a
    hidden one for the note's moderators (`moderator`: `can_moderate_discussion`) and its author."""
    if comment.deleted_at is not None:
        return False
    if comment.hidden_at is None:
        return True
    return moderator or is_comment_author(actor, comment.author_id)


def can_read_comment_source(actor: Actor, comment: Comment) -> bool:
    """Whether `actor` gets a comment's Markdown (and its earlier versions) with the `%%comments%%`
    its writer kept for themselves: its author, and admins; every other reader gets it without
    them, as its rendering leaves them out."""
    return is_comment_author(actor, comment.author_id) or is_admin(actor)


def can_edit_comment(actor: Actor, comment: Comment, note: Note) -> bool:
    """Its author rewrites a visible comment while the discussion is open."""
    return (
        is_comment_author(actor, comment.author_id)
        and comment.deleted_at is None
        and comment.hidden_at is None
        and not note.discussion_closed
    )


def ensure_can_edit_comment(actor: Actor, comment: Comment, note: Note) -> None:
    if not is_comment_author(actor, comment.author_id):
        refuse(actor, "Only its author can change a comment.")
    if not can_edit_comment(actor, comment, note):
        raise Forbidden("This comment can no longer be changed.")


def can_delete_comment(actor: Actor, comment: Comment) -> bool:
    """Its author deletes a visible comment; a hidden one stays as the moderators left it."""
    return is_comment_author(actor, comment.author_id) and comment.deleted_at is None and comment.hidden_at is None


def ensure_can_delete_comment(actor: Actor, comment: Comment) -> None:
    if not is_comment_author(actor, comment.author_id):
        refuse(actor, "Only its author can delete a comment.")
    if not can_delete_comment(actor, comment):
        raise Forbidden("A hidden comment stays as the moderators left it.")


def can_hide_comment(actor: Actor, comment: Comment, moderator: bool) -> bool:
    """The note's moderators hide a visible comment."""
    return moderator and comment.deleted_at is None and comment.hidden_at is None


def ensure_can_hide_comment(actor: Actor, comment: Comment, note: Note, author_ids: set[int]) -> None:
    ensure_can_moderate_discussion(
        actor, note, author_ids, "Only the note's authors and administrators can hide a comment."
    )
    if not can_hide_comment(actor, comment, moderator=True):  # hiding it again would lose who hid it, and why
        raise Conflict(
            "This comment is already hidden or deleted.", text=N_("Ce commentaire est déjà masqué ou supprimé.")
        )


def can_restore_comment(actor: Actor, comment: Comment | None = None) -> bool:
    """Only admins bring back a hidden comment."""
    return is_admin(actor) and (comment is None or (comment.hidden_at is not None and comment.deleted_at is None))


def ensure_can_restore_comment(actor: Actor, comment: Comment) -> None:
    ensure(can_restore_comment(actor), actor, "Only administrators can restore a hidden comment.")
    if not can_restore_comment(actor, comment):
        raise Conflict("This comment is not hidden.", text=N_("Ce commentaire n'est pas masqué."))
