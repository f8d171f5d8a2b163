"""What goes in and out of the services, the API and the pages."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator

from praxis import text
from praxis.vocab import DEFAULT_LICENCE, Kind, LicenceId, Visibility

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
USERNAME_PATTERN = r"^[a-z0-9][a-z0-9_.\-]{1,63}$"


def is_note_id(value: str) -> bool:
    """Whether a string has the shape of a note id (anything else names no note)."""
    return re.fullmatch(NOTE_ID_PATTERN, value) is not None


def _storable(value: str) -> str:
    # Only what XML and HTML can carry: the rule is praxis.text's (NUL, lone surrogates, other
    # controls, noncharacters are refused).
    return text.check(value)


def _plausible_time(value: datetime) -> datetime:
    # Far-off years overflow when moved between time zones; no note is dated outside this range.
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    if not 1000 <= value.year <= 9998:
        raise ValueError("must be a date between the years 1000 and 9998")
    return value.astimezone(UTC)


def _one_line(value: str) -> str:
    if _CONTROL.search(value) or "\n" in value or "\r" in value:
        raise ValueError("must be a single line without control characters")
    return value


Title = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=300),
    AfterValidator(_storable),
    AfterValidator(_one_line),
]
Body = Annotated[str, StringConstraints(max_length=900_000), AfterValidator(_storable)]
Summary = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=500), AfterValidator(_storable), AfterValidator(_one_line)
]
DisplayName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_storable),
    AfterValidator(_one_line),
]
Username = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, pattern=USERNAME_PATTERN)]
# One mailbox, as mail servers read it: no display name, no list, no route (ASCII addresses).
EMAIL_PATTERN = (
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
EmailAddress = Annotated[str, StringConstraints(strip_whitespace=True, max_length=254, pattern=EMAIL_PATTERN)]
Timestamp = Annotated[datetime, AfterValidator(_plausible_time)]
NOTE_ID_PATTERN = r"^[A-Za-z0-9_\-]{1,32}$"
NoteId = Annotated[str, StringConstraints(pattern=NOTE_ID_PATTERN)]
RevisionNumber = Annotated[int, Field(ge=1, le=2_147_483_647)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- accounts -------------------------------------------------------------------------------


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


# --- notes ----------------------------------------------------------------------------------


class NoteBase(Strict):
    title: Title
    body: Body = ""
    kind: Kind = "note"
    visibility: Visibility = "public"
    licence: LicenceId = DEFAULT_LICENCE


CategoryName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
    AfterValidator(_storable),
    AfterValidator(_one_line),
]
MAX_AXES = 3
MAX_CATEGORIES = 10

Website = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=500, pattern=r"^https?://[^\s\x00-\x1f]+$"),
    AfterValidator(_storable),
]
Region = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
    AfterValidator(_storable),
    AfterValidator(_one_line),
]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000), AfterValidator(_storable)]
Synonym = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
    AfterValidator(_storable),
    AfterValidator(_one_line),
]

# Which details belong to which kind of note.
KIND_DETAILS = {"organisation": ("website", "region", "description"), "term": ("definition", "synonyms"), "note": ()}
DETAIL_FIELDS = ("website", "region", "description", "definition", "synonyms")


class NoteDetails(Strict):
    """Organisations carry a website, a region and a description; terms a definition and synonyms."""

    website: Website | None = None
    region: Region | None = None
    description: ShortText | None = None
    definition: ShortText | None = None
    synonyms: list[Synonym] | None = Field(None, max_length=30)


# How many authors (and readers) one note may name: the API, the forms and import all check these.
MAX_AUTHORS = 100
MAX_READERS = 500


class NoteCreate(NoteBase, NoteDetails):
    community: NoteId | None = None
    readers: list[Username] | None = Field(None, max_length=MAX_READERS)
    authors: list[Username] | None = Field(None, max_length=MAX_AUTHORS)
    links: list[NoteId] | None = Field(None, max_length=500)
    published_at: Timestamp | None = None
    summary: Summary | None = None
    # Create the note in a carnet (contributors), filed under these categories of it.
    carnet: NoteId | None = None
    categories: list[CategoryName] | None = Field(None, max_length=MAX_AXES)


class NoteUpdate(NoteDetails):
    """A change to a note; `base_revision` is the revision the change was made from."""

    base_revision: RevisionNumber
    title: Title | None = None
    body: Body | None = None
    kind: Kind | None = None
    visibility: Visibility | None = None
    licence: LicenceId | None = None
    community: NoteId | None = None
    readers: list[Username] | None = Field(None, max_length=MAX_READERS)
    authors: list[Username] | None = Field(None, min_length=1, max_length=MAX_AUTHORS)
    links: list[NoteId] | None = Field(None, max_length=500)
    published_at: Timestamp | None = None
    summary: Summary | None = None


class AuthorRead(BaseModel):
    username: str
    display_name: str
    url: str


class NoteRef(BaseModel):
    """A linked note, organisation or term."""

    id: str
    title: str
    kind: str
    url: str


class NoteLinks(BaseModel):
    notes: list[NoteRef] = []
    organisations: list[NoteRef] = []
    terms: list[NoteRef] = []


class CarnetRef(BaseModel):
    """A carnet a note is in, with who integrated it, when, and how it is filed there."""

    id: str
    title: str
    url: str
    category: str | None = None  # the categories, joined with ", "
    categories: list[str] = []
    added_by: AuthorRead | None = None
    added_at: datetime | None = None


class CommunityRef(BaseModel):
    id: str
    name: str
    url: str


class LicenceRead(BaseModel):
    id: str
    name: str
    url: str | None


class NoteRead(BaseModel):
    id: str
    kind: str
    title: str
    slug: str
    body: str
    html: str
    visibility: str
    community: CommunityRef | None = None
    readers: list[str] = []  # shown to those who may change the note
    licence: str
    licence_info: LicenceRead
    url: str
    authors: list[AuthorRead]
    website: str | None = None
    region: str | None = None
    description: str | None = None
    definition: str | None = None
    synonyms: list[str] | None = None
    created_at: datetime
    published_at: datetime | None
    updated_at: datetime
    revision: int
    links: NoteLinks
    backlinks: list[NoteRef]
    backlinks_by_kind: NoteLinks = NoteLinks()
    carnets: list[CarnetRef] = []
    deleted_at: datetime | None = None
    can_edit: bool = False
    can_request_edit: bool = False  # may ask to become a co-author (policy.edit_request_refusal)
    # People invited to co-sign who have not answered (shown to those who may change the note);
    # they are not authors until they accept.
    pending_authors: list[AuthorRead] = []
    invitation: str | None = None  # the reader's own invitation to co-sign, not answered yet
    can_leave: bool = False  # the reader is an author and not the last one


class NoteEditing(BaseModel):
    """A note as its editor opens it: the note, and the notes it links to explicitly, in its order."""

    note: NoteRead
    links: list[str]


class NoteSummary(BaseModel):
    id: str
    kind: str
    title: str
    url: str
    visibility: str
    authors: list[AuthorRead]
    excerpt: str
    region: str | None = None
    description: str | None = None
    definition: str | None = None
    published_at: datetime | None
    updated_at: datetime
    revision: int
    comment_count: int = 0  # comments of its discussion shown with their text


class NotePage(BaseModel):
    items: list[NoteSummary]
    total: int
    page: int
    per_page: int


class Facet(BaseModel):
    value: str
    count: int


class Suggestion(BaseModel):
    id: str
    title: str
    kind: str
    url: str


class PreviewRequest(Strict):
    """Markdown to render as saving would; `note_id`: the note being edited, if any."""

    body: Body
    note_id: NoteId | None = None


class PreviewRead(BaseModel):
    """A body rendered for its writer: the HTML the saved note would show them, the notes its
    wikilinks lead them to, and the targets that lead nowhere (yet)."""

    html: str
    links: NoteLinks
    missing: list[str]


class UserSuggestion(BaseModel):
    username: str
    display_name: str


class GraphNode(BaseModel):
    id: str
    title: str
    kind: str
    url: str


class GraphEdge(BaseModel):
    source: str
    target: str


class Graph(BaseModel):
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: bool = False  # True when the neighbourhood had more nodes than the graph shows


SORTS = ("updated", "-updated", "published", "-published", "created", "-created", "title", "-title")
Sort = Literal["updated", "-updated", "published", "-published", "created", "-created", "title", "-title"]


class QueryParams(Strict):
    """Query-string parameters: an empty value means the parameter is absent."""

    @model_validator(mode="before")
    @classmethod
    def _empty_is_absent(cls, data: Any) -> Any:
        # "?kind=&author=" means no filter, as HTML forms send it.
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if v != ""}
        return data


class NoteQuery(QueryParams):
    kind: Kind | None = None
    author: str | None = None
    carnet: str | None = None
    base: str | None = None
    community: str | None = None
    q: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), AfterValidator(_storable)] | None = None
    region: Annotated[str, StringConstraints(max_length=100), AfterValidator(_storable)] | None = None
    letter: Annotated[str, StringConstraints(min_length=1, max_length=1), AfterValidator(_storable)] | None = (
        None  # A–Z, or "#"
    )
    sort: Sort = "-updated"
    page: int = Field(1, ge=1, le=100_000)
    per_page: int = Field(20, ge=1, le=100)


# --- edit requests -------------------------------------------------------------------------


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


# --- communities ---------------------------------------------------------------------------


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


# --- carnets and bases ---------------------------------------------------------------------

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


class EntryItem(EntryRead):
    note: NoteSummary
    can_remove: bool = False


class EntryPage(BaseModel):
    items: list[EntryItem]
    total: int
    page: int
    per_page: int


class CarnetMemberRead(BaseModel):
    username: str
    display_name: str
    role: Literal["manager", "contributor"]
    url: str
    can_remove: bool = False  # the reader may take them off (or leave, when it is the reader)


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


# --- revisions ------------------------------------------------------------------------------


class RevisionSummary(BaseModel):
    number: int
    editor: str | None
    editor_name: str | None = None
    created_at: datetime
    summary: str | None


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


# --- search ---------------------------------------------------------------------------------


class SearchQuery(QueryParams):
    q: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500), AfterValidator(_storable)] = ""
    kind: Kind | None = None
    carnet: Annotated[str, StringConstraints(max_length=32)] | None = None
    author: Annotated[str, StringConstraints(max_length=64)] | None = None
    year: int | None = Field(None, ge=1, le=9999)
    sort: Literal["relevance", "date"] = "relevance"
    page: int = Field(1, ge=1, le=1000)
    per_page: int = Field(20, ge=1, le=100)


class FacetCount(BaseModel):
    value: str
    label: str
    count: int


class SearchItem(BaseModel):
    id: str
    kind: str
    title: str
    url: str
    snippet: str  # HTML in which only <mark> is markup
    score: float
    authors: list[AuthorRead]
    date: datetime
    visibility: str


class SearchPage(BaseModel):
    q: str
    total: int
    items: list[SearchItem]
    facets: dict[str, list[FacetCount]]
    page: int
    per_page: int
    sort: str
    match: Literal["all", "any"] = "all"  # "any": no note held every word, these hold some
    suggestion: str | None = None  # "Vouliez-vous dire…": the query with a misspelt word corrected


# --- citations ------------------------------------------------------------------------------

CitationStyle = Literal["praxis", "apa", "mla", "chicago", "bibtex", "ris", "csl-json"]


def _iso_day(value: Any) -> Any:
    # A day as written in a query string: 2025-04-21 (no timestamp, no time, no year before 1000).
    if not isinstance(value, str) or not re.fullmatch(r"[1-9]\d{3}-\d{2}-\d{2}", value):
        raise ValueError("must be a day written YYYY-MM-DD, from the year 1000")
    return value


class CitationQuery(QueryParams):
    """Which citation: a style, a language (default: the site's), a revision, the day of access."""

    style: CitationStyle = "praxis"
    lang: Literal["fr", "en"] | None = None
    rev: RevisionNumber | None = None  # notes only: that revision's permanent link
    accessed: Annotated[date, BeforeValidator(_iso_day)] | None = None  # default: today where the site is


class CitationRead(BaseModel):
    style: str
    lang: str
    text: str  # plain text, what "Copier" copies
    html: str  # the same words as HTML (italics, the link); escaped text for file formats
    media_type: str  # of `text` as a download
    url: str  # the address cited
    accessed: date


# --- discussion -----------------------------------------------------------------------------

MAX_COMMENT_CHARS = 10_000
CommentBody = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_COMMENT_CHARS), AfterValidator(_storable)
]


class CommentCreate(Strict):
    body: CommentBody
    parent_id: NoteId | None = None  # the comment answered


class CommentUpdate(Strict):
    body: CommentBody


class CommentHide(Strict):
    reason: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
        AfterValidator(_storable),
        AfterValidator(_one_line),
    ]


class DiscussionUpdate(Strict):
    closed: bool


class CommentEditRead(BaseModel):
    body: str
    written_at: datetime


class CommentRead(BaseModel):
    """A comment as the reader may see it: a hidden one keeps its place and its reason, and
    shows its text only to its author and the note's moderators; a deleted one answered by
    others keeps its place, empty."""

    id: str
    note_id: str
    parent_id: str | None
    depth: int  # 0 for a comment on the note, 1 for a reply, …
    author: AuthorRead | None
    state: Literal["visible", "hidden", "deleted"]
    body: str | None
    html: str | None
    hidden_reason: str | None = None
    created_at: datetime
    edited_at: datetime | None
    url: str
    edits: list[CommentEditRead] = []  # earlier versions, newest first
    can_edit: bool = False
    can_delete: bool = False
    can_hide: bool = False
    can_restore: bool = False


class DiscussionRead(BaseModel):
    note_id: str
    closed: bool
    total: int  # the comments shown with their text (not hidden, not deleted)
    items: list[CommentRead]  # the thread, depth first, oldest first at each level
    can_comment: bool = False
    can_moderate: bool = False


# --- inbox: notifications and messages ------------------------------------------------------


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


class AttachmentRead(BaseModel):
    """A file attached to a note, as its readers see it; `markdown` is the snippet that embeds
    it in a note (an image, a player for audio and video, a link for the rest)."""

    id: str
    note_id: str
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
