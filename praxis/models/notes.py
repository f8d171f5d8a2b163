"""Table models: notes, their authors, readers, links and revisions, edit requests and author invitations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from praxis.models.common import UTCDateTime, utcnow


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
    # Every kind: other names it answers to in wikilinks and suggestions ("Autres noms"), its
    # keywords ("Mots-clés", an Obsidian vault's tags), and the other front-matter keys an import
    # found (kept as they were, exported again). Their folded forms are in `note_label`.
    aliases: list[str] | None = Field(default=None, sa_type=sa.JSON)
    keywords: list[str] | None = Field(default=None, sa_type=sa.JSON)
    properties: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
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


class NoteLabel(SQLModel, table=True):
    """A note's alias or keyword, folded: what wikilinks, suggestions and the keyword filter look up."""

    __tablename__ = "note_label"
    __table_args__ = (sa.Index("ix_note_label_kind_key", "kind", "key"),)

    note_id: str = Field(foreign_key="note.id", primary_key=True, ondelete="CASCADE")
    kind: str = Field(primary_key=True, max_length=16)  # "alias" or "keyword"
    key: str = Field(
        primary_key=True, sa_type=sa.String(300).with_variant(sa.String(300, collation="C"), "postgresql")
    )  # fold(alias or keyword)


class ImportSource(SQLModel, table=True):
    """The file a note was imported from, by the name of the folder imported and its path in it:
    importing that folder again updates the note instead of making another."""

    __tablename__ = "import_source"

    root: str = Field(primary_key=True, max_length=255)
    path: str = Field(primary_key=True, max_length=1000)
    note_id: str = Field(foreign_key="note.id", index=True, ondelete="CASCADE")


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
