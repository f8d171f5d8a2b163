"""Accounts: people, their profiles and their API tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, StringConstraints

from praxis.schemas.common import DisplayName, EmailAddress, Strict, Username, _one_line, _storable


class UserCreate(Strict):
    username: Username
    password: Annotated[str, StringConstraints(min_length=8, max_length=1024)] | None = None
    display_name: DisplayName | None = None
    email: EmailAddress | None = None
    is_admin: bool = False


class RegisterRequest(Strict):
    username: Username
    password: Annotated[str, StringConstraints(min_length=8, max_length=1024)]
    display_name: DisplayName | None = None
    email: EmailAddress | None = None


class PasswordChange(Strict):
    current_password: Annotated[str, StringConstraints(max_length=1024)]
    new_password: Annotated[str, StringConstraints(min_length=8, max_length=1024)]


class UserRead(BaseModel):
    username: str
    display_name: str
    family_name: str | None = None
    given_name: str | None = None
    is_organisation: bool = False
    cited_as: str  # how citations name the person: "Laurence, Marie-Hélène", or an organisation whole
    is_admin: bool = False
    is_active: bool = True
    url: str


class ProfileRead(UserRead):
    """A person's profile page: who they are, and what the reader may do with the account."""

    can_edit: bool = False  # change the display name and how citations name them
    can_set_active: bool = False  # deactivate the account (or reactivate it)


PersonName = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=200), AfterValidator(_storable), AfterValidator(_one_line)
]


class ProfileUpdate(Strict):
    """A new display name, and how citations name the person (an empty name clears it)."""

    display_name: DisplayName | None = None
    family_name: PersonName | None = None
    given_name: PersonName | None = None
    is_organisation: bool | None = None


class TokenRequest(Strict):
    username: Annotated[str, StringConstraints(max_length=200)]
    password: Annotated[str, StringConstraints(max_length=1024)]
    name: (
        Annotated[str, StringConstraints(max_length=200), AfterValidator(_storable), AfterValidator(_one_line)] | None
    ) = None


class TokenRead(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime | None = None


class TokenInfo(BaseModel):
    """One of a person's live API tokens, as their account lists it (never the token itself)."""

    id: int
    name: str | None
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None


class TokenList(BaseModel):
    items: list[TokenInfo]
    total: int
