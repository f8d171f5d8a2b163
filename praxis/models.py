"""Table models: accounts, notes, authorship, links and revisions."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


def pk(row_id: int | None) -> int:
    """The id of a row read from the database or flushed to it (typed `int | None` before that)."""
    if row_id is None:
        raise ValueError("this row has no id yet: it was never flushed")
    return row_id


def table_of(model: type[SQLModel]) -> sa.Table:
    """The table of a table model, for Core statements."""
    # SQLModel sets __table__ on a table=True class when it is created; its class does not declare it.
    return model.__table__  # type: ignore[attr-defined]  # see the line above


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware UTC datetime on every backend (SQLite forgets the zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class User(SQLModel, table=True):
    """A person: an account that can sign in, or a profile without login (no password)."""

    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True, index=True)
    display_name: str = Field(max_length=200, index=True)  # import finds the people it names by name
    # How citations name the person: family and given names when the display name splits badly,
    # or an organisation, whose name is never split.
    family_name: str | None = Field(default=None, max_length=200)
    given_name: str | None = Field(default=None, max_length=200)
    is_organisation: bool = Field(default=False)
    email: str | None = Field(default=None, max_length=320)
    password_hash: str | None = Field(default=None, max_length=255)
    is_admin: bool = Field(default=False)
    is_active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AuthToken(SQLModel, table=True):
    """A browser session or an API bearer token; only its SHA-256 is stored."""

    __tablename__ = "auth_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=16)  # "session" or "api"
    token_hash: str = Field(max_length=64, unique=True, index=True)
    name: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # API tokens only, and to the hour (accounts.LAST_USED_STEP): a read does not write each time.
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Note(SQLModel, table=True):
    """A unit of knowledge (note, organisation or term) in its current revision."""

    __tablename__ = "note"
    __table_args__ = (
        # Live notes by date. Partial: an index led by deleted_at, true of nearly every row, would
        # tempt a planner without statistics into reading the whole table through it.
        sa.Index(
            "ix_note_live_updated",
            "updated_at",
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        ),
        # Equality, prefix ranges (suggestions, A–Z) and A–Z order, all from one index.
        sa.Index("ix_note_title_key_prefix", "title_key"),
    )

    id: str = Field(primary_key=True, max_length=32)
    kind: str = Field(max_length=16, index=True)
    title: str = Field(max_length=300)
    # fold(title): wikilinks, suggestions, A–Z. Byte order ("C") on PostgreSQL as on SQLite, so a
    # prefix is a range of the index and its order is the index's order.
    title_key: str = Field(sa_type=sa.String(300).with_variant(sa.String(300, collation="C"), "postgresql"))
    slug: str = Field(max_length=120)
    body: str = Field(sa_type=sa.Text)
    html: str = Field(sa_type=sa.Text)
    # Not indexed on its own: three values select too little, and an index on it misleads planners.
    visibility: str = Field(default="public", max_length=16)
    community_id: str | None = Field(default=None, foreign_key="community.id", index=True, ondelete="SET NULL")
    licence: str = Field(default="CC-BY-SA-4.0", max_length=32)
    # Organisations: website, region and a short description. Terms: a short definition and synonyms.
    website: str | None = Field(default=None, max_length=500)
    region: str | None = Field(default=None, max_length=100, index=True)
    description: str | None = Field(default=None, max_length=1000)
    definition: str | None = Field(default=None, max_length=1000)
    synonyms: list[str] | None = Field(default=None, sa_type=sa.JSON)
    revision: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    deleted_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    # "Discuter de la note": its authors may close the discussion (comments stay readable).
    discussion_closed: bool = Field(default=False)


class NoteAuthor(SQLModel, table=True):
    """An author of a note, in the order the note shows them."""

    __tablename__ = "note_author"

    note_id: str = Field(foreign_key="note.id", primary_key=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user_account.id", primary_key=True, index=True, ondelete="CASCADE")
    position: int = Field(default=0)


class NoteLink(SQLModel, table=True):
    """A link from a note: chosen explicitly, or found in its body as a [[wikilink]].

    A wikilink to a title that no note has yet keeps the title and no target.
    """

    __tablename__ = "note_link"

    id: int | None = Field(default=None, primary_key=True)
    source_id: str = Field(foreign_key="note.id", index=True, ondelete="CASCADE")
    target_id: str | None = Field(default=None, foreign_key="note.id", index=True, ondelete="CASCADE")
    target_title: str | None = Field(default=None, max_length=300)
    target_key: str | None = Field(default=None, max_length=300, index=True)  # fold(target_title)
    origin: str = Field(max_length=16)  # "explicit" or "wikilink"


class Revision(SQLModel, table=True):
    """One numbered state of a note: title, body, rendered HTML and a metadata snapshot."""

    __tablename__ = "revision"
    __table_args__ = (sa.UniqueConstraint("note_id", "number", name="uq_revision_note_number"),)

    id: int | None = Field(default=None, primary_key=True)
    note_id: str = Field(foreign_key="note.id", index=True, ondelete="CASCADE")
    number: int
    editor_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    summary: str | None = Field(default=None, max_length=500)
    title: str = Field(max_length=300)
    body: str = Field(sa_type=sa.Text)
    html: str = Field(sa_type=sa.Text)
    meta: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)


class Community(SQLModel, table=True):
    """A group of people (members and managers) that notes can be kept among."""

    __tablename__ = "community"

    id: str = Field(primary_key=True, max_length=32)
    name: str = Field(max_length=200)
    description: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")


class CommunityMember(SQLModel, table=True):
    __tablename__ = "community_member"

    community_id: str = Field(foreign_key="community.id", primary_key=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user_account.id", primary_key=True, index=True, ondelete="CASCADE")
    role: str = Field(default="member", max_length=16)  # "member" or "manager"
    added_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class NoteReader(SQLModel, table=True):
    """Someone an author chose to let read a restricted note."""

    __tablename__ = "note_reader"

    note_id: str = Field(foreign_key="note.id", primary_key=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user_account.id", primary_key=True, index=True, ondelete="CASCADE")


class EditRequest(SQLModel, table=True):
    """A reader asking to become a co-author ("Demander les droits d'édition")."""

    __tablename__ = "edit_request"

    id: str = Field(primary_key=True, max_length=32)
    note_id: str = Field(foreign_key="note.id", index=True, ondelete="CASCADE")
    requester_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    message: str = Field(default="", max_length=2000)
    status: str = Field(default="pending", max_length=16)  # pending, approved, refused
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decided_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")


class AuthorInvitation(SQLModel, table=True):
    """A person with an account named as a co-author: they become one only by accepting."""

    __tablename__ = "author_invitation"

    id: str = Field(primary_key=True, max_length=32)
    note_id: str = Field(foreign_key="note.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    invited_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    status: str = Field(default="pending", max_length=16)  # pending, accepted, refused, withdrawn
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    __table_args__ = (
        sa.Index("ix_author_invitation_sender_created", "invited_by_id", "created_at"),  # the rate limit counts these
    )


class LoginFailure(SQLModel, table=True):
    """A failed sign-in, kept for a while to rate-limit guessing per account and per address."""

    __tablename__ = "login_failure"
    __table_args__ = (
        sa.Index("ix_login_failure_account", "account", "created_at"),
        sa.Index("ix_login_failure_address", "address", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account: str = Field(max_length=200)
    address: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Carnet(SQLModel, table=True):
    """A curated collection of notes, with its own categories, managers and contributors."""

    __tablename__ = "carnet"

    id: str = Field(primary_key=True, max_length=32)
    title: str = Field(max_length=300)
    description: str = Field(default="", sa_type=sa.Text)  # Markdown
    guide: str = Field(default="", sa_type=sa.Text)  # Markdown, shown to whoever adds to the carnet
    visibility: str = Field(default="public", max_length=16)
    community_id: str | None = Field(default=None, foreign_key="community.id", index=True, ondelete="SET NULL")
    sort: str = Field(default="manual", max_length=16)  # the order readers see first
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")


class CarnetMember(SQLModel, table=True):
    """A manager (gestionnaire) or contributor (contributeur·trice) of a carnet."""

    __tablename__ = "carnet_member"

    carnet_id: str = Field(foreign_key="carnet.id", primary_key=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user_account.id", primary_key=True, index=True, ondelete="CASCADE")
    role: str = Field(default="contributor", max_length=16)  # "manager" or "contributor"
    added_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CarnetAxis(SQLModel, table=True):
    """One of a carnet's (up to three) category lists."""

    __tablename__ = "carnet_axis"

    id: int | None = Field(default=None, primary_key=True)
    carnet_id: str = Field(foreign_key="carnet.id", index=True, ondelete="CASCADE")
    position: int = Field(default=0)
    name: str = Field(max_length=100)


class CarnetCategory(SQLModel, table=True):
    """A category of an axis. Names are unique in a carnet, ignoring case and accents."""

    __tablename__ = "carnet_category"
    __table_args__ = (sa.UniqueConstraint("carnet_id", "name_key", name="uq_carnet_category_name"),)

    id: int | None = Field(default=None, primary_key=True)
    carnet_id: str = Field(foreign_key="carnet.id", ondelete="CASCADE")
    axis_id: int = Field(foreign_key="carnet_axis.id", index=True, ondelete="CASCADE")
    position: int = Field(default=0)
    name: str = Field(max_length=100)
    name_key: str = Field(max_length=100)  # fold(name)


class CarnetEntry(SQLModel, table=True):
    """A note's membership in a carnet: who integrated it and when, its place and whether pinned."""

    __tablename__ = "carnet_entry"
    __table_args__ = (sa.Index("ix_carnet_entry_order", "carnet_id", "pinned", "position"),)

    carnet_id: str = Field(foreign_key="carnet.id", primary_key=True, ondelete="CASCADE")
    note_id: str = Field(foreign_key="note.id", primary_key=True, index=True, ondelete="CASCADE")
    added_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    added_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    pinned: bool = Field(default=False)
    position: int = Field(default=0)


class EntryCategory(SQLModel, table=True):
    """A category given to a note in one carnet (at most one per axis)."""

    __tablename__ = "entry_category"
    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["carnet_id", "note_id"],
            ["carnet_entry.carnet_id", "carnet_entry.note_id"],
            name="fk_entry_category_entry",
            ondelete="CASCADE",
        ),
    )

    carnet_id: str = Field(primary_key=True, max_length=32)
    note_id: str = Field(primary_key=True, max_length=32)
    category_id: int = Field(foreign_key="carnet_category.id", primary_key=True, index=True, ondelete="CASCADE")


class KnowledgeBase(SQLModel, table=True):
    """A base de connaissances: a collection of carnets with its own description and visibility."""

    __tablename__ = "knowledge_base"

    id: str = Field(primary_key=True, max_length=32)
    title: str = Field(max_length=300)
    description: str = Field(default="", sa_type=sa.Text)
    visibility: str = Field(default="public", max_length=16)
    community_id: str | None = Field(default=None, foreign_key="community.id", index=True, ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")


class BaseManager(SQLModel, table=True):
    """Someone who edits a base and the carnets it gathers; a restricted base is theirs to read."""

    __tablename__ = "base_manager"

    base_id: str = Field(foreign_key="knowledge_base.id", primary_key=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user_account.id", primary_key=True, index=True, ondelete="CASCADE")
    added_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class BaseCarnet(SQLModel, table=True):
    """A carnet in a base, in the base's order."""

    __tablename__ = "base_carnet"

    base_id: str = Field(foreign_key="knowledge_base.id", primary_key=True, ondelete="CASCADE")
    carnet_id: str = Field(foreign_key="carnet.id", primary_key=True, index=True, ondelete="CASCADE")
    position: int = Field(default=0)
    added_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    added_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SearchQueue(SQLModel, table=True):
    """A note whose search document must be rewritten: written in the same transaction as the
    change, removed once the index holds it. What is left after a crash is applied at start."""

    __tablename__ = "search_queue"

    id: int | None = Field(default=None, primary_key=True)
    note_id: str = Field(max_length=32)  # no foreign key: a purged note is still to be removed
    queued_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # The notes linking to it are rewritten too: a term's or organisation's title, kind or
    # visibility changed (linking notes' documents hold it), or it came or went.
    dependents: bool = Field(default=True)


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


class ScheduledJob(SQLModel, table=True):
    """When a periodic job (the daily digest) last ran, shared by every worker."""

    __tablename__ = "scheduled_job"

    name: str = Field(primary_key=True, max_length=64)
    last_run_at: datetime = Field(sa_type=UTCDateTime)


class Attachment(SQLModel, table=True):
    """A file attached to a note. Its bytes live once per content, under the data dir, named by
    their SHA-256: notes that attach the same file share one blob."""

    __tablename__ = "attachment"
    __table_args__ = (sa.Index("ix_attachment_note_created", "note_id", "created_at"),)

    id: str = Field(primary_key=True, max_length=32)
    note_id: str = Field(foreign_key="note.id", ondelete="CASCADE")
    sha256: str = Field(max_length=64, index=True)
    name: str = Field(max_length=255)  # sanitised, with the extension of the detected type
    media_type: str = Field(max_length=100)  # as detected from the content
    size: int = Field(sa_type=sa.BigInteger)
    width: int | None = Field(default=None)  # images
    height: int | None = Field(default=None)
    has_thumbnail: bool = Field(default=False)
    uploaded_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SiteState(SQLModel, table=True):
    """One row: a counter that every committed change readers can see moves forward, and when it
    last moved. Pages cached for visitors, and their ETag and Last-Modified, are keyed on it."""

    __tablename__ = "site_state"

    id: int = Field(default=1, primary_key=True)
    version: int = Field(default=1, sa_type=sa.BigInteger)
    changed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SiteIdentity(SQLModel, table=True):
    """One row: a UUID the site was given once, when its database was made. The ids of its Atom
    feeds and entries are derived from it, so they outlive a change of address (RFC 4287, 4.2.6)
    and a backup restored elsewhere keeps them."""

    __tablename__ = "site_identity"

    id: int = Field(default=1, primary_key=True)
    uuid: str = Field(max_length=36)
