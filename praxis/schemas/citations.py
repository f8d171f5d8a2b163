"""Citing a note, a carnet or a base."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator

from praxis.schemas.common import QueryParams, RevisionNumber

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
