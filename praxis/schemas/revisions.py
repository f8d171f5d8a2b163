"""A note's revisions, their differences, restoring one."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel

from praxis.schemas.common import Strict, Summary
from praxis.schemas.notes import AuthorRead, LicenceRead


class RevisionSummary(BaseModel):
    number: int
    editor: str | None
    editor_name: str | None = None
    created_at: datetime
    summary: str | None
    # The summary is one Praxis wrote ("Restauration de la révision 2"), given in the reader's
    # language; otherwise it is what the editor wrote, as written.
    generated_summary: bool = False


class RevisionRead(RevisionSummary):
    """A revision as it was: its text and the metadata the note had then."""

    note_id: str
    title: str
    body: str
    html: str
    meta: dict[str, Any]
    url: str
    kind: str
    visibility: str
    licence_info: LicenceRead
    published_at: datetime | None
    authors: list[AuthorRead]


class DiffSegment(BaseModel):
    op: Literal["equal", "insert", "delete"]
    text: str


class FieldChange(BaseModel):
    field: str
    before: Any
    after: Any


class DiffRead(BaseModel):
    note_id: str
    from_revision: int
    to_revision: int
    fields: list[FieldChange]
    body: list[DiffSegment]


class RestoreRequest(Strict):
    summary: Summary | None = None
