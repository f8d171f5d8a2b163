"""Communities and their members."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, StringConstraints

from praxis.schemas.common import DisplayName, Strict, Username, _storable


class CommunityCreate(Strict):
    name: DisplayName
    description: Annotated[str, StringConstraints(max_length=20_000), AfterValidator(_storable)] = ""


class MemberAdd(Strict):
    username: Username
    role: Literal["member", "manager"] = "member"


class MemberRead(BaseModel):
    username: str
    display_name: str
    role: str
    url: str
    can_remove: bool = False  # the reader may take them out (or leave, when it is the reader)


class CommunityRead(BaseModel):
    id: str
    name: str
    description: str
    url: str
    members: list[MemberRead]  # shown to members and admins
    my_role: str | None = None
    can_manage: bool = False
