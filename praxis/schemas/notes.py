"""Notes: writing, reading and listing them, and what they link to."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field, StringConstraints

from praxis.schemas.common import (
    Body,
    NoteId,
    QueryParams,
    RevisionNumber,
    Strict,
    Summary,
    Timestamp,
    Title,
    Username,
    _one_line,
    _storable,
)
from praxis.vocab import DEFAULT_LICENCE, Kind, LicenceId, Visibility


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

# Another name a note answers to (an alias), and a keyword (a tag): a short line each.
Alias = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=300),
    AfterValidator(_storable),
    AfterValidator(_one_line),
]
Keyword = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
    AfterValidator(_storable),
    AfterValidator(_one_line),
]
MAX_ALIASES = 30
MAX_KEYWORDS = 50


class NoteLabels(Strict):
    """What every kind of note may carry: other names and keywords."""

    aliases: list[Alias] | None = Field(None, max_length=MAX_ALIASES)
    keywords: list[Keyword] | None = Field(None, max_length=MAX_KEYWORDS)


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


# How many authors (and readers, and links) one note may name: the API, the forms and import all check these.
MAX_AUTHORS = 100
MAX_READERS = 500
MAX_LINKS = 500


class NoteCreate(NoteBase, NoteDetails, NoteLabels):
    community: NoteId | None = None
    readers: list[Username] | None = Field(None, max_length=MAX_READERS)
    authors: list[Username] | None = Field(None, max_length=MAX_AUTHORS)
    links: list[NoteId] | None = Field(None, max_length=MAX_LINKS)
    published_at: Timestamp | None = None
    summary: Summary | None = None
    # Create the note in a carnet (contributors), filed under these categories of it.
    carnet: NoteId | None = None
    categories: list[CategoryName] | None = Field(None, max_length=MAX_AXES)


class NoteUpdate(NoteDetails, NoteLabels):
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
    links: list[NoteId] | None = Field(None, max_length=MAX_LINKS)
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


class CommunitySummary(CommunityRef):
    """A community as the list of communities shows it."""

    description: str = ""


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
    aliases: list[str] = []
    keywords: list[str] = []
    properties: dict[str, Any] = {}  # other front-matter keys an import kept, exported again
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
    # A message to its authors would reach one of them (policy.contact_refusal): the contact form is offered.
    can_contact: bool = False


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
    # Another note the reader may see has the same title: a wikilink to this one names its id.
    shared: bool = False


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


class LinkPreview(BaseModel):
    """What a link preview card shows of a note the reader may see: its kind, title and first
    words, a term's definition, an organisation's region and description."""

    id: str
    kind: str
    title: str
    url: str
    excerpt: str
    definition: str | None = None
    region: str | None = None
    description: str | None = None


class NoteNeighbour(BaseModel):
    """The note before or after another in a carnet, as the reader sees the carnet."""

    id: str
    title: str
    url: str


class NotePlace(BaseModel):
    """Where a note stands for its page: the carnet it is read from (the one the reader came
    from, else its first visible carnet) and the base above it when the reader came that way,
    the note counts of its carnets, and its neighbours in the carnet the reader came from, in the
    order the reader browsed it (`sort`, when not the carnet's own)."""

    carnet: CarnetRef | None = None
    base: NoteNeighbour | None = None
    came_from_carnet: bool = False
    sort: str | None = None
    counts: dict[str, int] = {}
    previous: NoteNeighbour | None = None
    next: NoteNeighbour | None = None


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


class NoteQuery(QueryParams):
    kind: Kind | None = None
    author: str | None = None
    carnet: str | None = None
    base: str | None = None
    community: str | None = None
    keyword: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=100), AfterValidator(_storable)] | None
    ) = None
    q: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), AfterValidator(_storable)] | None = None
    region: Annotated[str, StringConstraints(max_length=100), AfterValidator(_storable)] | None = None
    letter: Annotated[str, StringConstraints(min_length=1, max_length=1), AfterValidator(_storable)] | None = (
        None  # A–Z, or "#"
    )
    sort: Sort = "-updated"
    page: int = Field(1, ge=1, le=100_000)
    per_page: int = Field(20, ge=1, le=100)


class TrashItem(BaseModel):
    """A deleted note its reader may bring back, until `restorable_until`."""

    id: str
    kind: str
    title: str
    url: str
    deleted_at: datetime
    restorable_until: datetime


class TrashPage(BaseModel):
    items: list[TrashItem]
    total: int
    page: int
    per_page: int
