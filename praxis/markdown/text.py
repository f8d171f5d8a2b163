"""Text helpers around the renderer: folded forms for matching, slugs, and plain text of HTML."""

from __future__ import annotations

import re
import unicodedata
from html import unescape

_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a text: "  Économie  Sociale" -> "economie sociale"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.split())


_STRAIGHT, _CURLY = "'", "\u2019"


def apostrophe_forms(key: str) -> list[str]:
    """A folded text as written, with straight apostrophes and with typographic ones: the forms
    a title that reads the same may be stored under ("grille d'analyse", "grille d’analyse")."""
    return list(dict.fromkeys((key, key.replace(_CURLY, _STRAIGHT), key.replace(_STRAIGHT, _CURLY))))


_SEPARATORS = str.maketrans({_STRAIGHT: " ", _CURLY: " ", "-": " "})


def match_words(text: str) -> list[str]:
    """The words a suggestion query or a name is matched by: folded (case and accents ignored),
    apostrophes (' ’) and hyphens separating words, as in "l’économie" -> ["l", "economie"]."""
    return fold(text).translate(_SEPARATORS).split()


def words_match(query: list[str], text: str) -> int | None:
    """How well a text matches query words, each of which must start one of its words: 0 for the
    same text, 1 when it starts with the query, 2 for words anywhere; None when it does not match."""
    words = match_words(text)
    if not query or not all(any(word.startswith(q) for word in words) for q in query):
        return None
    whole, asked = " ".join(words), " ".join(query)
    return 0 if whole == asked else 1 if whole.startswith(asked) else 2


def slugify(text: str, max_length: int = 80) -> str:
    """A lowercase ASCII slug: "Économie sociale" -> "economie-sociale"."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    return slug[:max_length].rstrip("-")


_BLOCK_TAG = re.compile(
    r"</?(?:p|div|li|ul|ol|h[1-6]|br|hr|tr|td|th|table|blockquote|pre|dl|dt|dd|figure|figcaption|details|summary)\b[^>]*>",
    re.I,
)
_TAG = re.compile(r"<[^>]*>")


_HEADING_ELEMENT = re.compile(r"(<h([1-6])\b[^>]*>)(.*?)(</h\2\s*>)", re.IGNORECASE | re.DOTALL)


def _end_heading(match: re.Match[str]) -> str:
    opening, _level, inner, closing = match.groups()
    words = unescape(_TAG.sub("", inner)).rstrip()
    return opening + inner + ("" if not words or words[-1] in ".!?:;…" else ".") + closing


def plain_text(html: str) -> str:
    """The words of rendered HTML without markup: blocks apart, inline elements in their text, and
    a heading that does not end a sentence ended by a full stop, so that an excerpt or a search
    snippet does not run it into the next paragraph ("Partie. Suite." rather than "Partie Suite.")."""
    html = _HEADING_ELEMENT.sub(_end_heading, html)
    return " ".join(unescape(_TAG.sub("", _BLOCK_TAG.sub(" ", html))).split())


def excerpt(html: str, length: int) -> str:
    """The first words of rendered HTML as plain text, cut at a word within `length` characters."""
    text = plain_text(html)
    return text if len(text) <= length else text[: length - 1].rsplit(" ", 1)[0] + "…"
