"""Files attached to notes."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field


class AttachmentRead(BaseModel):
    """A file attached to a note, as its readers see it; `markdown` is the snippet that embeds
    it in a note (an image, a player for audio and video, a link for the rest). A draft upload
    (`note_id` null) is its uploader's until a save of a note showing it claims it."""

    id: str
    note_id: str | None  # None: a draft upload, served at /envois/… to its uploader alone
    name: str
    media_type: str  # as detected from the bytes
    content_type: str  # the same, under the contract's name
    kind: Literal["image", "pdf", "document", "text", "audio", "video"]
    format: str  # "PNG", "PDF", "Opus"…
    size: int
    width: int | None = None
    height: int | None = None
    url: str
    thumbnail_url: str | None = None
    markdown: str
    uploaded_by: str | None = None  # username
    created_at: datetime
    path: str = Field(exclude=True)  # the site-relative forms of the URLs, for the pages
    thumbnail_path: str | None = Field(default=None, exclude=True)
