"""Table models: files attached to notes."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from praxis.models.common import UTCDateTime, utcnow


class Attachment(SQLModel, table=True):
    """A file attached to a note. Its bytes live once per content, under the data dir, named by
    their SHA-256: notes that attach the same file share one blob. Without a note, a draft
    upload: sent from the editor before the note that shows it is saved, its uploader's alone
    until a save claims it (`media.drafts`)."""

    __tablename__ = "attachment"
    __table_args__ = (sa.Index("ix_attachment_note_created", "note_id", "created_at"),)

    id: str = Field(primary_key=True, max_length=32)
    note_id: str | None = Field(default=None, foreign_key="note.id", ondelete="CASCADE")  # None: a draft
    sha256: str = Field(max_length=64, index=True)
    name: str = Field(max_length=255)  # sanitised, with the extension of the detected type
    media_type: str = Field(max_length=100)  # as detected from the content
    size: int = Field(sa_type=sa.BigInteger)
    width: int | None = Field(default=None)  # images
    height: int | None = Field(default=None)
    has_thumbnail: bool = Field(default=False)
    uploaded_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
