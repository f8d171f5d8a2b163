"""Asking to co-sign a note, and the invitations to."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, StringConstraints

from praxis.schemas.common import Strict, _storable


class EditRequestCreate(Strict):
    message: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000), AfterValidator(_storable)] = ""


class InvitationRead(BaseModel):
    """An invitation to co-sign a note, as the invited person reads it."""

    id: str
    note_id: str
    note_title: str
    note_url: str
    invited_by: str | None
    invited_by_name: str | None
    status: Literal["pending", "accepted", "refused", "withdrawn"]
    created_at: datetime
    decided_at: datetime | None


class EditRequestRead(BaseModel):
    id: str
    note_id: str
    note_title: str
    note_url: str
    requester: str
    requester_name: str
    requester_url: str
    message: str
    status: Literal["pending", "approved", "refused"]
    created_at: datetime
    decided_at: datetime | None
