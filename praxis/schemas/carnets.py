"""Carnets (their axes, categories and entries) and the bases that gather them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field, StringConstraints, model_validator

from praxis.schemas.common import NoteId, Strict, Title, Username, _storable
from praxis.schemas.communities import MemberRead
from praxis.schemas.notes import (
    MAX_AXES,
    MAX_CATEGORIES,
    AuthorRead,
    CarnetRef,
    CategoryName,
    CommunityRef,
    NotePage,
    NoteSummary,
)
from praxis.vocab import Kind, Visibility

Markdown = Annotated[str, StringConstraints(max_length=100_000), AfterValidator(_storable)]
CarnetSort = Literal["manual", "added", "updated", "title"]
CARNET_SORTS: tuple[str, ...] = ("manual", "added", "updated", "title")
Position = Annotated[int, Field(ge=0, le=1_000_000)]


class AxisCreate(Strict):
    name: CategoryName
    categories: list[CategoryName] = Field(default_factory=list, max_length=MAX_CATEGORIES)


class CarnetCreate(Strict):
    title: Title
    description: Markdown = ""
    guide: Markdown = ""
    visibility: Visibility = "public"
    community: NoteId | None = None
    sort: CarnetSort = "manual"
    axes: list[AxisCreate] = Field(default_factory=list, max_length=MAX_AXES)


class CarnetUpdate(Strict):
    title: Title | None = None
    description: Markdown | None = None
    guide: Markdown | None = None
    visibility: Visibility | None = None
    community: NoteId | None = None
    sort: CarnetSort | None = None


class CarnetMemberAdd(Strict):
    username: Username
    role: Literal["manager", "contributor"] = "contributor"


class NameChange(Strict):
    name: CategoryName


class CategoryRemoval(Strict):
    """What becomes of the notes filed under a category being deleted."""

    notes: Literal["uncategorise", "move", "remove"] = "uncategorise"
    to: CategoryName | None = None  # with "move": another category of the same axis


class EntryCreate(Strict):
    note_id: NoteId
    categories: list[CategoryName] = Field(default_factory=list, max_length=MAX_AXES)
    pinned: bool | None = None
    position: Position | None = None


class EntryUpdate(Strict):
    categories: list[CategoryName] | None = Field(None, max_length=MAX_AXES)
    pinned: bool | None = None
    position: Position | None = None


class CategoryRead(BaseModel):
    name: str
    count: int = 0  # the notes the reader sees under it, with the other filters applied


class AxisRead(BaseModel):
    id: int
    name: str
    categories: list[CategoryRead]


class EntryRead(BaseModel):
    note_id: str
    categories: list[str]
    pinned: bool
    position: int
    added_by: AuthorRead | None
    added_at: datetime


class RemovedEntry(BaseModel):
    """A note's membership as it was when it was taken out of a carnet: enough to put it back
    exactly (its categories, its place among all the carnet's notes, its pin, who integrated it
    and when). `title` is the note's, for the message that says it was taken out."""

    note_id: NoteId
    title: str = ""
    category_ids: list[int] = Field(default_factory=list, max_length=MAX_AXES)
    index: Position = 0
    pinned: bool = False
    added_by_id: int | None = None
    added_at: datetime


class EntryItem(EntryRead):
    note: NoteSummary
    can_remove: bool = False


class EntryPage(BaseModel):
    items: list[EntryItem]
    total: int
    page: int
    per_page: int


class CategoryDeletion(BaseModel):
    """What deleting a category asks first: the notes filed under it (`category.count`, those the
    manager sees) and the other categories of its list they could move to."""

    carnet: CarnetRef
    category: CategoryRead
    siblings: list[str]


class CarnetMemberRead(BaseModel):
    username: str
    display_name: str
    role: Literal["manager", "contributor"]
    url: str
    can_remove: bool = False  # the reader may take them off (or leave, when it is the reader)


class FilingChoice(BaseModel):
    """A carnet the reader may add a note to ("Ajouter à un carnet"), and whether it holds it already."""

    id: str
    title: str
    url: str
    holds_note: bool


class CarnetSummary(BaseModel):
    id: str
    title: str
    url: str
    visibility: str
    excerpt: str
    note_count: int
    updated_at: datetime


class CarnetPage(BaseModel):
    items: list[CarnetSummary]
    total: int
    page: int
    per_page: int


class BaseRef(BaseModel):
    id: str
    title: str
    url: str


class CarnetRead(BaseModel):
    id: str
    title: str
    url: str
    description: str
    description_html: str
    guide: str
    guide_html: str
    visibility: str
    community: CommunityRef | None = None
    sort: str
    axes: list[AxisRead]
    kinds: dict[str, int] = {}  # the notes the reader sees of each kind, the other filters applied
    members: list[CarnetMemberRead]
    note_count: int
    entries: EntryPage
    bases: list[BaseRef] = []
    created_at: datetime
    updated_at: datetime
    my_role: str | None = None
    can_manage: bool = False
    can_contribute: bool = False


class CarnetQuery(Strict):
    """Filters of a carnet's notes: categories (all must match), kind, author, text; an order."""

    category: list[CategoryName] = Field(default_factory=list, max_length=MAX_AXES * MAX_CATEGORIES)
    kind: Kind | None = None
    author: Annotated[str, StringConstraints(max_length=64)] | None = None
    q: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), AfterValidator(_storable)] | None = None
    sort: CarnetSort | None = None
    page: int = Field(1, ge=1, le=100_000)
    per_page: int = Field(50, ge=1, le=200)

    @model_validator(mode="before")
    @classmethod
    def _empty_is_absent(cls, data: Any) -> Any:
        if isinstance(data, dict):
            out = {k: v for k, v in data.items() if v != ""}
            if isinstance(out.get("category"), list):
                out["category"] = [c for c in out["category"] if c != ""]
            return out
        return data


class BaseCreate(Strict):
    title: Title
    description: Markdown = ""
    visibility: Visibility = "public"
    community: NoteId | None = None


class BaseUpdate(Strict):
    title: Title | None = None
    description: Markdown | None = None
    visibility: Visibility | None = None
    community: NoteId | None = None


class BaseCarnetAdd(Strict):
    carnet_id: NoteId
    position: Position | None = None


class BaseManagerAdd(Strict):
    username: Username


class BaseSummary(BaseModel):
    id: str
    title: str
    url: str
    visibility: str
    excerpt: str
    carnet_count: int


class BaseRead(BaseModel):
    id: str
    title: str
    url: str
    description: str
    description_html: str
    visibility: str
    community: CommunityRef | None = None
    managers: list[MemberRead]
    carnets: list[CarnetSummary]
    notes: NotePage  # the notes across its carnets, filtered
    created_at: datetime
    updated_at: datetime
    can_manage: bool = False
