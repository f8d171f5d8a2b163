"""Wikilinks: `[[Titre]]`, `[[id|libellé]]`, `[[Titre#Section]]`, `[[Titre#^bloc]]`, `[[#Section]]`.

The note is resolved by its title or id alone (the fragment plays no part); the fragment leads to
the heading's anchor (`heading_slug`) or to the block id in that note. The stored rendering holds
`/n/{id}/` links that each reader's view re-points (`relink_wikilinks`) and marks with the kind of
the note they reach (`mark_kinds`); renderings stored before fragments and `data-target` existed
are read the same way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape, unescape
from urllib.parse import quote

from markdown_it.renderer import RendererHTML
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from praxis.markdown.anchors import heading_slug
from praxis.markdown.sanitize import sanitize

_WIKILINK_MAX = 300


@dataclass(frozen=True)
class WikiTarget:
    """Where a wikilink points: a note id or a title, as written (without its #fragment)."""

    target: str


@dataclass(frozen=True)
class Resolved:
    """A wikilink target that matches a note."""

    id: str
    title: str


def split_target(written: str) -> tuple[str, str]:
    """A wikilink's note and its anchor in that note: "Note#Étape 2" -> ("Note", "étape-2"),
    "Note#^bloc" -> ("Note", "^bloc"), "#Étape" -> ("", "étape"). Of nested headings
    (`Note#Partie#Étape`, as Obsidian writes them) the last one is the anchor."""
    note, _, fragment = written.partition("#")
    note = unicodedata.normalize("NFC", note.strip())
    section = fragment.rsplit("#", 1)[-1].strip()
    if not section:
        return note, ""
    if section.startswith("^"):
        block = re.sub(r"[^A-Za-z0-9-]", "", section[1:])
        return note, "^" + block if block else ""
    return note, heading_slug(section)


def parse_wikilink(state: StateInline, pos: int) -> tuple[int, dict[str, str], str] | None:
    """The wikilink that starts at `pos` (its `[[`): where it ends, its meta (target, fragment,
    label) and its inner text; None when there is none."""
    src = state.src
    if not src.startswith("[[", pos):
        return None
    # Look no further than the longest possible wikilink: scanning to the end of the text at
    # every "[[" would make rendering quadratic.
    end = src.find("]]", pos + 2, pos + 4 + _WIKILINK_MAX)
    if end < 0:
        return None
    inner = src[pos + 2 : end]
    if not inner.strip() or "\n" in inner or "[" in inner or len(inner) > _WIKILINK_MAX:
        return None
    written, _, label = inner.partition("|")
    target, fragment = split_target(written)
    if not target and not fragment:
        return None
    shown = written.strip().lstrip("#") if not target else written.strip().replace("#", " > ")
    return end + 2, {"target": target, "fragment": fragment, "label": (label.strip() or shown)}, inner


def wikilink_rule(state: StateInline, silent: bool) -> bool:
    found = parse_wikilink(state, state.pos)
    if found is None:
        return False
    end, meta, inner = found
    if not silent:
        token = state.push("wikilink", "", 0)
        token.meta = meta
        token.content = inner
    state.pos = end
    return True


def href_fragment(fragment: str) -> str:
    return "#" + quote(fragment, safe="^-_~.!*'()") if fragment else ""


def new_note_link(target: str, label_html: str) -> str:
    return f'<a class="wikilink wikilink-new" href="/n/new?title={quote(target)}" data-target="{escape(target)}">{label_html}</a>'


def note_link(note_id: str, target: str, label_html: str, fragment_href: str = "") -> str:
    return f'<a class="wikilink" href="/n/{quote(note_id)}/{escape(fragment_href)}" data-target="{escape(target)}">{label_html}</a>'


def render_wikilink(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    meta = tokens[idx].meta
    label = escape(meta["label"])
    if not meta["target"]:  # [[#Section]]: within the page
        return f'<a class="wikilink" href="{escape(href_fragment(meta["fragment"]))}">{label}</a>'
    found: Resolved | None = env.get("resolved", {}).get(meta["target"])
    if found:
        return note_link(found.id, meta["target"], label, href_fragment(meta["fragment"]))
    return new_note_link(meta["target"], label)


def targets(tokens: Sequence[Token]) -> list[str]:
    """The notes the wikilinks of parsed Markdown name, once each, in order."""
    found: dict[str, None] = {}  # ordered set
    for block in tokens:
        if block.type == "embed":  # ![[Note]], made a block of its own (embeds.py)
            found[block.meta["target"]] = None
        for child in block.children or ():
            if child.type == "wikilink" and child.meta["target"]:
                found[child.meta["target"]] = None
    return list(found)


# data-target is optional so that renderings stored before it existed are still filtered; the
# fragment too, for renderings stored before wikilinks had one.
_RESOLVED_LINK = re.compile(
    r'<a class="wikilink(?: kind-[a-z]+)?" href="/n/([^/"#]+)/(#[^"]*)?"(?: data-target="([^"]*)")?[^>]*>(.*?)</a>',
    re.DOTALL,
)


def _target_of(match: re.Match[str]) -> str:
    if match.group(3) is not None:
        return unescape(match.group(3))
    return unescape(re.sub(r"<[^>]+>", "", match.group(4)))  # older renderings: the label


def wikilinks_in(html: str) -> list[tuple[str, str]]:
    """The resolved wikilinks of a stored rendering: (note id, the target as written)."""
    return [(m.group(1), _target_of(m)) for m in _RESOLVED_LINK.finditer(html)]


def relink_wikilinks(html: str, choose: Callable[[str, str], str | None], *, comment: bool = False) -> str:
    """Point each resolved wikilink at `choose(id, target)`: the same note, another, or (None) none.

    A wikilink that now points nowhere is rendered exactly as one whose target never existed;
    one that points to another note keeps its anchor.
    """

    def swap(match: re.Match[str]) -> str:
        note_id, target = match.group(1), _target_of(match)
        chosen = choose(note_id, target)
        if chosen == note_id:
            return match.group(0)
        label = match.group(4)
        fragment = unescape(match.group(2) or "")
        link = note_link(chosen, target, label, fragment) if chosen else new_note_link(target, label)
        return sanitize(link, comment=comment)  # a comment's links stay rel="nofollow ugc", whatever they point to

    return _RESOLVED_LINK.sub(swap, html)


_UNMARKED_LINK = re.compile(r'<a class="wikilink" href="/n/([^/"#]+)/')


def mark_kinds(html: str, kinds: Mapping[str, str]) -> str:
    """Mark each resolved wikilink with the kind of the note it leads to (`kinds`: id -> kind;
    a link to a note not in it stays unmarked)."""

    def mark(match: re.Match[str]) -> str:
        kind = kinds.get(match.group(1))
        return f'<a class="wikilink kind-{kind}" href="/n/{match.group(1)}/' if kind else match.group(0)

    return _UNMARKED_LINK.sub(mark, html)
