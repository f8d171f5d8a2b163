"""Citations of a note, a carnet or a base, in the styles researchers use. Pure: no database.

`cite(work, style, lang, accessed)` gives the plain text to copy and the HTML to show; the
prose styles live in `prose`, the reference-manager formats in `formats`, the page's meta tags
and COinS in `meta`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Literal

from praxis.citation.names import Person, person

Style = Literal["praxis", "apa", "mla", "chicago", "bibtex", "ris", "csl-json"]
STYLES: tuple[str, ...] = ("praxis", "apa", "mla", "chicago", "bibtex", "ris", "csl-json")
PROSE_STYLES: tuple[str, ...] = ("praxis", "apa", "mla", "chicago")
Lang = Literal["fr", "en"]


@dataclass(frozen=True)
class Work:
    """What a citation says about a page of the site."""

    id: str
    kind: str  # note | organisation | term | carnet | base
    title: str
    authors: tuple[Person, ...]
    published: date | None  # the day of publication where the site is (None: never published)
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


def cite(work: Work, style: str, lang: str, accessed: date) -> Citation:
    """The citation of `work` in `style` and `lang`, as accessed on `accessed`."""
    from praxis.citation import formats, prose

    if style in PROSE_STYLES:
        rich = prose.RENDERERS[style](work, lang, accessed)
        return Citation(style=style, lang=lang, text=rich.text(), html=rich.html())
    text, media_type = formats.RENDERERS[style](work, lang, accessed)
    return Citation(style=style, lang=lang, text=text, html=escape(text, quote=False), media_type=media_type)


__all__ = ["STYLES", "Citation", "Person", "Work", "cite", "person"]
