"""A note's discussion: comments, their moderation, closing it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, StringConstraints

from praxis.schemas.common import NoteId, Strict, _one_line, _storable
from praxis.schemas.notes import AuthorRead

MAX_COMMENT_CHARS = 10_000
CommentBody = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_COMMENT_CHARS), AfterValidator(_storable)
]


class CommentCreate(Strict):
    body: CommentBody
    parent_id: NoteId | None = None  # the comment answered


class CommentUpdate(Strict):
    body: CommentBody


class CommentHide(Strict):
    reason: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
        AfterValidator(_storable),
        AfterValidator(_one_line),
    ]


class DiscussionUpdate(Strict):
    closed: bool


class CommentEditRead(BaseModel):
    body: str
    written_at: datetime


class CommentRead(BaseModel):
    """A comment as the reader may see it: a hidden one keeps its place and its reason, and
    shows its text only to its author and the note's moderators; a deleted one answered by
    others keeps its place, empty."""

    id: str
    note_id: str
    parent_id: str | None
    depth: int  # 0 for a comment on the note, 1 for a reply, …
    author: AuthorRead | None
    state: Literal["visible", "hidden", "deleted"]
    body: str | None
    html: str | None
    hidden_reason: str | None = None
    created_at: datetime
    edited_at: datetime | None
    url: str
    edits: list[CommentEditRead] = []  # earlier versions, newest first
    can_edit: bool = False
    can_delete: bool = False
    can_hide: bool = False
    can_restore: bool = False


class DiscussionRead(BaseModel):
    note_id: str
    closed: bool
    total: int  # the comments shown with their text (not hidden, not deleted)
    items: list[CommentRead]  # the thread, depth first, oldest first at each level
    can_comment: bool = False
    can_moderate: bool = False
