"""Full-text search: the query and the page of results."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, StringConstraints

from praxis.schemas.common import QueryParams, _storable
from praxis.schemas.notes import AuthorRead
from praxis.vocab import Kind


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


class MatchReason(BaseModel):
    """Something a result was found through besides its own text: a linked term or
    organisation, a carnet it is in, or one of its authors."""

    kind: Literal["term", "organisation", "carnet", "author"]
    label: str
    url: str


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
    # The words its title and text lack were found here (empty when its own text holds them all).
    matched_by: list[MatchReason] = []


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
