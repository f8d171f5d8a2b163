"""Table models: comments on notes, notifications, messages to authors and the mail outbox."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from praxis.models.common import UTCDateTime, utcnow


class Comment(SQLModel, table=True):
    """A message in a note's discussion, threaded by `parent_id`. Never removed from the table:
    its author deletes it (a reply keeps its place), the note's authors or an admin hide it."""

    __tablename__ = "comment"
    __table_args__ = (
        sa.Index("ix_comment_note_created", "note_id", "created_at"),
        sa.Index("ix_comment_author_created", "author_id", "created_at"),  # the rate limit counts these
    )

    id: str = Field(primary_key=True, max_length=32)
    note_id: str = Field(foreign_key="note.id", ondelete="CASCADE")
    parent_id: str | None = Field(default=None, foreign_key="comment.id", index=True, ondelete="SET NULL")
    author_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    body: str = Field(sa_type=sa.Text)  # Markdown
    html: str = Field(sa_type=sa.Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    edited_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    hidden_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    hidden_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    hidden_reason: str | None = Field(default=None, max_length=500)


class CommentEdit(SQLModel, table=True):
    """What a comment said before an edit: edits are marked, and kept."""

    __tablename__ = "comment_edit"

    id: int | None = Field(default=None, primary_key=True)
    comment_id: str = Field(foreign_key="comment.id", index=True, ondelete="CASCADE")
    body: str = Field(sa_type=sa.Text)
    written_at: datetime = Field(sa_type=UTCDateTime)  # when this text was written
    replaced_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Notification(SQLModel, table=True):
    """Something that concerns a person, for their inbox: a comment, a reply, a message, an
    edit request or its answer, a note put in a carnet. Shown while what it is about may be seen."""

    __tablename__ = "notification"
    __table_args__ = (sa.Index("ix_notification_user_created", "user_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE")
    kind: str = Field(max_length=24)
    actor_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    note_id: str | None = Field(default=None, foreign_key="note.id", index=True, ondelete="CASCADE")
    comment_id: str | None = Field(default=None, foreign_key="comment.id", ondelete="CASCADE")
    carnet_id: str | None = Field(default=None, foreign_key="carnet.id", ondelete="CASCADE")
    message_id: str | None = Field(default=None, foreign_key="message.id", ondelete="CASCADE")
    edit_request_id: str | None = Field(default=None, foreign_key="edit_request.id", ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    emailed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # at once, or in a digest


class Message(SQLModel, table=True):
    """A message to a note's authors ("Contacter les auteur·trices"), or an answer to one.
    A visitor's name and address are kept to answer them; no one is shown an author's address."""

    __tablename__ = "message"
    __table_args__ = (
        sa.Index("ix_message_sender_created", "sender_id", "created_at"),  # rate limits count these
        sa.Index("ix_message_address_created", "sender_address", "created_at"),
    )

    id: str = Field(primary_key=True, max_length=32)
    note_id: str | None = Field(default=None, foreign_key="note.id", ondelete="SET NULL")
    sender_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    sender_name: str | None = Field(default=None, max_length=200)  # a visitor's
    sender_email: str | None = Field(default=None, max_length=320)  # a visitor's, to answer them
    sender_address: str | None = Field(default=None, max_length=64)  # a visitor's connection, for the rate limit
    in_reply_to_id: str | None = Field(default=None, foreign_key="message.id", ondelete="SET NULL")
    subject: str = Field(max_length=200)
    body: str = Field(sa_type=sa.Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class MessageRecipient(SQLModel, table=True):
    __tablename__ = "message_recipient"

    message_id: str = Field(foreign_key="message.id", primary_key=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user_account.id", primary_key=True, index=True, ondelete="CASCADE")
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class NotificationSetting(SQLModel, table=True):
    """Where one kind of notification goes for a person: "app", "email" (at once) or "digest"."""

    __tablename__ = "notification_setting"

    user_id: int = Field(foreign_key="user_account.id", primary_key=True, ondelete="CASCADE")
    kind: str = Field(primary_key=True, max_length=24)
    channel: str = Field(max_length=16)


class OutgoingMail(SQLModel, table=True):
    """A mail waiting for the SMTP server, or sent: the outbox the background task drains."""

    __tablename__ = "outgoing_mail"
    __table_args__ = (sa.Index("ix_outgoing_mail_due", "sent_at", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    to_address: str = Field(max_length=320)
    reply_to: str | None = Field(default=None, max_length=600)
    subject: str = Field(max_length=300)
    text: str = Field(sa_type=sa.Text)
    html: str = Field(sa_type=sa.Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, max_length=500)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    failed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # given up: refused for good
