"""The front-matter keys of a note file beyond Praxis's own: other names (`aliases`), keywords
(`tags`, `keywords`) and every other key, kept as the note's properties and exported again."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from pydantic import TypeAdapter, ValidationError

from praxis.errors import Invalid
from praxis.notes.notes import labels
from praxis.schemas import DETAIL_FIELDS, MAX_ALIASES, MAX_KEYWORDS
from praxis.schemas.notes import Alias, Keyword

# The keys Praxis reads itself; every other key of a note file is one of its properties.
OWN_KEYS = frozenset(
    {
        "id",
        "attachments",  # a note's files, by their paths from its file (what export writes)
        "title",
        "kind",
        "authors",
        "author",
        "published",
        "created",
        "updated",
        "date",
        "modified",
        "lastmod",
        "visibility",
        "licence",
        "links",
        "community",
        "readers",
        "aliases",
        "alias",
        "tags",
        "tag",
        "keywords",
        *DETAIL_FIELDS,
    }
)
_aliases = TypeAdapter(list[Alias])
_keywords = TypeAdapter(list[Keyword])
_SPLIT = re.compile(r"[,\s]+")
MAX_PROPERTIES_CHARS = 20_000  # the properties of one note, as JSON: front matter, not a second body


def _strings(value: object, *, split: bool) -> list[str] | None:
    """A front-matter list of names: a list, or one string (keywords: separated by commas or spaces)."""
    if value is None or value == "":
        return []
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        text = str(value)
        return _SPLIT.split(text) if split else [text]
    if isinstance(value, list) and all(
        isinstance(v, str | int | float) and not isinstance(v, bool) or v is None for v in value
    ):
        return [str(v) for v in value if v is not None]
    return None


def aliases(meta: dict[str, Any], where: str) -> list[str]:
    """The other names a file gives its note (`aliases`, or Obsidian's older `alias`)."""
    value = meta.get("aliases", meta.get("alias"))
    found = _strings(value, split=False)
    if found is None:
        raise Invalid(f"{where}: 'aliases' must be a name or a list of names.", field="aliases")
    found = [unicodedata.normalize("NFC", name).strip() for name in found if name.strip()]
    if len(found) > MAX_ALIASES:
        raise Invalid(
            f"{where}: 'aliases' lists {len(found)} names; a note has at most {MAX_ALIASES}.", field="aliases"
        )
    try:
        return labels(_aliases.validate_python(found))
    except ValidationError:
        raise Invalid(
            f"{where}: each of 'aliases' must be one line of at most 300 characters.", field="aliases"
        ) from None


def keywords(meta: dict[str, Any], where: str, found_in_body: Sequence[str] = ()) -> list[str]:
    """A file's keywords: its `tags` (or `tag`, `keywords`), without their '#', then those of its text."""
    found: list[str] = []
    for name in ("tags", "tag", "keywords"):
        value = _strings(meta.get(name), split=True)
        if value is None:
            raise Invalid(f"{where}: '{name}' must be a word or a list of words.", field="keywords")
        found += value
    found = [unicodedata.normalize("NFC", tag).strip().lstrip("#").strip() for tag in [*found, *found_in_body]]
    found = labels([tag for tag in found if tag])
    if len(found) > MAX_KEYWORDS:
        raise Invalid(f"{where}: {len(found)} keywords (tags); a note has at most {MAX_KEYWORDS}.", field="keywords")
    try:
        return _keywords.validate_python(found)
    except ValidationError:
        raise Invalid(
            f"{where}: each keyword (tag) must be one line of at most 100 characters.", field="keywords"
        ) from None


def _plain(value: Any) -> Any:
    """A YAML value as JSON holds it: dates as ISO 8601 text, keys as text."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)


def properties(meta: dict[str, Any], where: str, *, also_own: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The keys of a file Praxis does not read itself, as they were (`also_own`: keys the source
    format reads, left out too)."""
    kept = {str(k): _plain(v) for k, v in meta.items() if str(k) not in OWN_KEYS and str(k) not in also_own}
    if len(json.dumps(kept, ensure_ascii=False)) > MAX_PROPERTIES_CHARS:
        raise Invalid(
            f"{where}: the front matter holds more than {MAX_PROPERTIES_CHARS} characters of other keys.",
            field="properties",
        )
    return kept
