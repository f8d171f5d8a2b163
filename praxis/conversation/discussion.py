"""A note's discussion ("Discuter de la note"): threaded comments, their edits, moderation.

Comments are seen by whoever may read their note and by no one else: every function loads the
note through `notes.load_readable` first, so a hidden note's comments are a 404 like the note."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from praxis import limits, policy
from praxis.conversation import notifications
from praxis.errors import Conflict, Invalid, NotFound
from praxis.i18n import N_
from praxis.markdown import render, strip_comments
from praxis.models import Comment, CommentEdit, Note, User, pk, utcnow
from praxis.notes import links
from praxis.notes import notes as note_service
from praxis.schemas import (
    AuthorRead,
    CommentCreate,
    CommentEditRead,
    CommentHide,
    CommentRead,
    CommentUpdate,
    DiscussionRead,
    DiscussionUpdate,
    is_note_id,
)
from praxis.urls import note_url, user_url

# Abuse limit: comments one person may post in a window (429 beyond, with Retry-After).
RATE_LIMIT = 10
EDIT_LIMIT = 30  # edits, each keeping the text it replaces
RATE_WINDOW = timedelta(minutes=10)


def _load_comment(session: Session, actor: policy.Actor, comment_id: str) -> tuple[Comment, Note, list[int]]:
    """A live comment of a note the actor may read, with the note and its author ids; any
    other id is told exactly as one that names nothing (a hidden note is not confirmed)."""
    comment = session.get(Comment, comment_id) if is_note_id(comment_id) else None
    if comment is None or comment.deleted_at is not None:
        raise NotFound("No such comment.")
    try:
        note, author_ids = note_service.load_readable(session, actor, comment.note_id)
    except NotFound:
        raise NotFound("No such comment.") from None
    return comment, note, author_ids


def _depth(session: Session, comment: Comment) -> int:
    depth, parent_id = 0, comment.parent_id
    while parent_id is not None and depth < 1000:
        parent = session.get(Comment, parent_id)
        parent_id = parent.parent_id if parent else None
        depth += 1
    return depth


def _one(session: Session, actor: policy.Actor, note: Note, author_ids: list[int], comment: Comment) -> CommentRead:
    return _reads(session, actor, note, author_ids, [(comment, _depth(session, comment))])[0]


def _rendered(session: Session, body: str) -> str:
    return render(body, links.resolver(session), comment=True).html


# --- reading ---------------------------------------------------------------------------------


def _ordered(comments: Sequence[Comment]) -> list[tuple[Comment, int]]:
    """The thread depth first, oldest first at each level, with each comment's depth."""
    children: dict[str | None, list[Comment]] = {}
    ids = {c.id for c in comments}
    for c in sorted(comments, key=lambda c: (c.created_at, c.id)):
        children.setdefault(c.parent_id if c.parent_id in ids else None, []).append(c)
    out: list[tuple[Comment, int]] = []
    stack = [(c, 0) for c in reversed(children.get(None, []))]
    while stack:
        comment, depth = stack.pop()
        out.append((comment, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(comment.id, [])))
    return out


def _with_live_descendants(ordered: list[tuple[Comment, int]]) -> set[str]:
    """Deleted comments that still have a comment under them keep their place in the thread."""
    keep: set[str] = set()
    parent_of = {c.id: c.parent_id for c, _ in ordered}
    for c, _ in ordered:
        if c.deleted_at is None:
            parent = parent_of.get(c.id)
            while parent is not None and parent not in keep:
                keep.add(parent)
                parent = parent_of.get(parent)
    return keep


def _people(session: Session, ids: set[int]) -> dict[int, AuthorRead]:
    if not ids:
        return {}
    rows = session.exec(select(User.id, User.username, User.display_name).where(col(User.id).in_(ids))).all()
    return {pk(i): AuthorRead(username=u, display_name=d, url=user_url(session, u)) for i, u, d in rows}


def _edits(session: Session, comment_ids: list[str], whole: set[str]) -> dict[str, list[CommentEditRead]]:
    """The earlier versions of these comments, with their `%%comments%%` for those in `whole`."""
    out: dict[str, list[CommentEditRead]] = {}
    if not comment_ids:
        return out
    rows = session.exec(
        select(CommentEdit)
        .where(col(CommentEdit.comment_id).in_(comment_ids))
        .order_by(col(CommentEdit.replaced_at).desc())
    )
    for edit in rows:
        body = edit.body if edit.comment_id in whole else strip_comments(edit.body)
        out.setdefault(edit.comment_id, []).append(CommentEditRead(body=body, written_at=edit.written_at))
    return out


def _reads(
    session: Session, actor: policy.Actor, note: Note, author_ids: list[int], ordered: list[tuple[Comment, int]]
) -> list[CommentRead]:
    moderator = policy.can_moderate_discussion(actor, note, set(author_ids))
    people = _people(session, {c.author_id for c, _ in ordered if c.author_id})
    whole = {c.id for c, _ in ordered if policy.can_read_comment_source(actor, c)}
    edits = _edits(session, [c.id for c, _ in ordered if c.edited_at and c.deleted_at is None], whole)
    items = []
    for c, depth in ordered:
        state = "deleted" if c.deleted_at else "hidden" if c.hidden_at else "visible"
        shown = policy.can_read_comment(actor, c, moderator)
        items.append(
            CommentRead(
                id=c.id,
                note_id=c.note_id,
                parent_id=c.parent_id,
                depth=depth,
                author=people.get(c.author_id) if c.author_id and state != "deleted" else None,
                state=state,
                body=(c.body if c.id in whole else strip_comments(c.body)) if shown else None,
                html=links.visible_html(session, actor, c.html, comment=True) if shown else None,
                hidden_reason=c.hidden_reason if state == "hidden" else None,
                created_at=c.created_at,
                edited_at=c.edited_at if state != "deleted" else None,
                url=f"{note_url(session, c.note_id)}#c-{c.id}",
                edits=edits.get(c.id, []) if shown else [],
                can_edit=policy.can_edit_comment(actor, c, note),
                can_delete=policy.can_delete_comment(actor, c),
                can_hide=policy.can_hide_comment(actor, c, moderator),
                can_restore=policy.can_restore_comment(actor, c),
            )
        )
    return items


def thread(*, session: Session, actor: policy.Actor, note_id: str) -> DiscussionRead:
    """The note's discussion as the actor may see it."""
    note, author_ids = note_service.load_readable(session, actor, note_id)
    comments = session.exec(select(Comment).where(Comment.note_id == note.id)).all()
    ordered = _ordered(comments)
    keep = _with_live_descendants(ordered)
    ordered = [(c, d) for c, d in ordered if c.deleted_at is None or c.id in keep]
    items = _reads(session, actor, note, author_ids, ordered)
    return DiscussionRead(
        note_id=note.id,
        closed=note.discussion_closed,
        total=sum(1 for i in items if i.state == "visible"),
        items=items,
        can_comment=policy.can_comment(actor, note),
        can_moderate=policy.can_moderate_discussion(actor, note, set(author_ids)),
    )


def get_comment(*, session: Session, actor: policy.Actor, comment_id: str) -> CommentRead:
    comment, note, author_ids = _load_comment(session, actor, comment_id)
    return _one(session, actor, note, author_ids, comment)


def get_for_editing(*, session: Session, actor: policy.Actor, comment_id: str) -> CommentRead:
    """A comment as its edit page shows it, to whoever may change it (refused as `update` refuses otherwise)."""
    comment, note, author_ids = _load_comment(session, actor, comment_id)
    policy.ensure_can_edit_comment(actor, comment, note)  # the rule `update` refuses by
    return _one(session, actor, note, author_ids, comment)


# --- writing ---------------------------------------------------------------------------------


def create(*, session: Session, actor: policy.Actor, note_id: str, data: CommentCreate) -> CommentRead:
    """Write a comment, or a reply to `parent_id`, in the note's open discussion."""
    actor = policy.require_signed_in(actor, "Sign in to take part in the discussion.")
    note, author_ids = note_service.load_readable(session, actor, note_id)
    policy.ensure_can_comment(actor, note)
    parent = None
    if data.parent_id is not None:
        parent = session.get(Comment, data.parent_id)
        if parent is None or parent.note_id != note.id or parent.deleted_at is not None:
            raise Invalid("The comment answered is not in this discussion.", field="parent_id")
        if parent.hidden_at is not None:  # a moderator took it out of the discussion: no one answers it, no one is told
            raise Conflict(
                "The comment answered is hidden: it can no longer be replied to.",
                text=N_("Ce commentaire a été masqué : on ne peut plus y répondre."),
            )
    limits.check(
        session,
        col(Comment.created_at),
        col(Comment.author_id) == actor.id,
        limit=RATE_LIMIT,
        window=RATE_WINDOW,
        what="comments",
        text=N_("Trop de commentaires en peu de temps : réessayez plus tard."),
    )
    comment = Comment(
        id=secrets.token_urlsafe(9),
        note_id=note.id,
        parent_id=data.parent_id,
        author_id=actor.id,
        body=data.body,
        html=_rendered(session, data.body),
    )
    session.add(comment)
    session.flush()
    # The one answered hears of a reply; the note's authors of every other comment.
    replied = [parent.author_id] if parent is not None and parent.author_id else []
    notifications.notify(session, replied, "reply", actor=actor, note_id=note.id, comment_id=comment.id)
    notifications.notify(
        session,
        [i for i in author_ids if i not in replied],
        "comment",
        actor=actor,
        note_id=note.id,
        comment_id=comment.id,
    )
    return _one(session, actor, note, author_ids, comment)


def update(*, session: Session, actor: policy.Actor, comment_id: str, data: CommentUpdate) -> CommentRead:
    """Its author rewrites a comment: it is marked as edited, and what it said is kept."""
    comment, note, author_ids = _load_comment(session, actor, comment_id)
    policy.ensure_can_edit_comment(actor, comment, note)
    edited_by_actor = col(CommentEdit.comment_id).in_(select(Comment.id).where(Comment.author_id == comment.author_id))
    limits.check(
        session,
        col(CommentEdit.replaced_at),
        edited_by_actor,
        limit=EDIT_LIMIT,
        window=RATE_WINDOW,
        what="edits",
        text=N_("Trop de modifications de commentaires en peu de temps : réessayez plus tard."),
    )
    if data.body != comment.body:
        now = utcnow()
        session.add(
            CommentEdit(
                comment_id=comment.id,
                body=comment.body,
                written_at=comment.edited_at or comment.created_at,
                replaced_at=now,
            )
        )
        comment.body, comment.html, comment.edited_at = data.body, _rendered(session, data.body), now
        session.add(comment)
        session.flush()
    return _one(session, actor, note, author_ids, comment)


def delete(*, session: Session, actor: policy.Actor, comment_id: str) -> None:
    """Its author deletes a comment: its words and earlier versions go; a reply keeps its place."""
    comment, _, _ = _load_comment(session, actor, comment_id)
    policy.ensure_can_delete_comment(actor, comment)
    session.execute(sa.delete(CommentEdit).where(col(CommentEdit.comment_id) == comment.id))
    comment.deleted_at, comment.body, comment.html = utcnow(), "", ""
    session.add(comment)
    session.flush()


def hide(*, session: Session, actor: policy.Actor, comment_id: str, data: CommentHide) -> CommentRead:
    """The note's authors or an admin hide a comment, saying why ("masqué" in the thread)."""
    comment, note, author_ids = _load_comment(session, actor, comment_id)
    policy.ensure_can_hide_comment(actor, comment, note, set(author_ids))
    assert actor is not None
    comment.hidden_at, comment.hidden_by_id, comment.hidden_reason = utcnow(), actor.id, data.reason
    session.add(comment)
    session.flush()
    return _one(session, actor, note, author_ids, comment)


def restore(*, session: Session, actor: policy.Actor, comment_id: str) -> CommentRead:
    """An admin brings a hidden comment back."""
    comment, note, author_ids = _load_comment(session, actor, comment_id)
    policy.ensure_can_restore_comment(actor, comment)
    comment.hidden_at, comment.hidden_by_id, comment.hidden_reason = None, None, None
    session.add(comment)
    session.flush()
    return _one(session, actor, note, author_ids, comment)


def set_closed(*, session: Session, actor: policy.Actor, note_id: str, data: DiscussionUpdate) -> DiscussionRead:
    """The note's authors (or an admin) close the discussion, or open it again."""
    note, author_ids = note_service.load_readable(session, actor, note_id)
    policy.ensure_can_moderate_discussion(actor, note, set(author_ids))
    # Its own statement: closing is no revision of the note and must not race its saves.
    session.execute(
        sa.update(Note)
        .where(col(Note.id) == note.id)
        .values(discussion_closed=data.closed)
        .execution_options(synchronize_session=False)
    )
    session.refresh(note)
    return thread(session=session, actor=actor, note_id=note.id)
