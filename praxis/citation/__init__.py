"""Citations of a note, a carnet or a base, in the styles researchers use. Pure: no database.

`cite(work, style, lang, accessed)` gives the plain text to copy and the HTML to show; the
prose styles live in `prose`, the reference-manager formats in `formats`, the page's meta tags
and COinS in `meta`, people's names in `names`.
"""

from __future__ import annotations

from datetime import date
from html import escape

from praxis.citation import formats, prose
from praxis.citation.names import Person, person
from praxis.citation.work import Citation, Work


def cite(work: Work, style: str, lang: str, accessed: date) -> Citation:
    """The citation of `work` in `style` and `lang`, as accessed on `accessed`."""
    if style in prose.RENDERERS:
        rich = prose.RENDERERS[style](work, lang, accessed)
        return Citation(style=style, lang=lang, text=rich.text(), html=rich.html())
    text, media_type = formats.RENDERERS[style](work, lang, accessed)
    return Citation(style=style, lang=lang, text=text, html=escape(text, quote=False), media_type=media_type)


__all__ = ["Citation", "Person", "Work", "cite", "person"]
