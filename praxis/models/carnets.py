"""Table models: carnets (members, axes, categories, entries) and the knowledge bases that gather them."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from praxis.models.common import UTCDateTime, utcnow


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
