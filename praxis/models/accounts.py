"""Table models: people, their sign-in tokens and failures, and communities."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from praxis.models.common import UTCDateTime, utcnow


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
