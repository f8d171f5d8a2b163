"""What a citation is made from, and what it gives."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from praxis.citation.names import Person


@dataclass(frozen=True)
class Work:
    """What a citation says about a page of the site."""

    id: str
    kind: str  # note | organisation | term | carnet | base
    title: str
    authors: tuple[Person, ...]
    # The day of publication where the site is (None: never published): the one date of every
    # address of a note, a revision's permanent link included (its number and address tell it
    # apart), so the meta tags, the COinS, the files and every style give the same day.
    published: date | None
    url: str  # absolute
    site_name: str
    # A permanent link to one revision, whose content never changes: styles that date what
    # changes (APA's "Retrieved", MLA's "Accessed") leave the access date out.
    archived: bool = False
    language: str = "fr"  # the language of the content
    licence: str | None = None
    revision: int | None = None


@dataclass(frozen=True)
class Citation:
    style: str
    lang: str
    text: str  # what the copy button copies
    html: str  # what the page shows (italics, a link), the same words as `text`
    media_type: str = "text/plain"
