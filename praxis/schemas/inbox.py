"""The inbox: notifications, messages, and where each kind of notification goes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, StringConstraints

from praxis.schemas.common import EmailAddress, Strict, _one_line, _storable
from praxis.schemas.edit_requests import InvitationRead
from praxis.schemas.notes import AuthorRead, NoteRef


class NotificationRead(BaseModel):
    id: int
    kind: Literal["comment", "reply", "message", "edit_request", "edit_decision", "carnet_entry", "author_invitation"]
    text: str
    url: str
    created_at: datetime
    read: bool
    actor: AuthorRead | None = None
    note: NoteRef | None = None


class NotificationPage(BaseModel):
    items: list[NotificationRead]
    total: int
    unread: int
    page: int
    per_page: int


class NotificationsRead(Strict):
    """Mark these notifications read (all of them when `ids` is absent)."""

    ids: list[Annotated[int, Field(ge=1, le=2**62)]] | None = Field(None, max_length=500)


OneLine = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_storable),
    AfterValidator(_one_line),
]
MessageText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000), AfterValidator(_storable)
]


class ContactCreate(Strict):
    """A message to a note's authors; visitors add a name and an address to be answered at."""

    subject: OneLine
    message: MessageText
    name: OneLine | None = None
    email: EmailAddress | None = None
    website: Annotated[str, StringConstraints(max_length=500)] | None = None  # a honeypot: left empty by people


class MessageReply(Strict):
    message: MessageText
    reveal_address: bool = False  # to a visitor: let them answer to my address (Reply-To)


Channel = Literal["app", "email", "digest"]


class NotificationSettings(Strict):
    """Where each kind of notification goes: in the site only ("app"), also by email at once
    ("email"), or in a daily email digest ("digest")."""

    comment: Channel | None = None
    reply: Channel | None = None
    message: Channel | None = None
    edit_request: Channel | None = None
    edit_decision: Channel | None = None
    carnet_entry: Channel | None = None
    author_invitation: Channel | None = None


class SenderRead(BaseModel):
    username: str | None  # None for a visitor without an account
    display_name: str
    url: str | None
    has_account: bool


class MessageRead(BaseModel):
    id: str
    subject: str
    body: str
    created_at: datetime
    read: bool
    note: NoteRef | None  # what it is about, while the reader may still see it
    sender: SenderRead
    can_reply: bool = False


class InboxRead(BaseModel):
    """The inbox page: notifications and messages as they were before it opened (what is new is
    shown as new), and the invitations to co-sign not answered yet."""

    notifications: NotificationPage
    messages: list[MessageRead]
    invitations: list[InvitationRead]
