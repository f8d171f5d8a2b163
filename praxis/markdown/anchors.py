"""Anchors a link can point into: heading ids as GitHub and Obsidian write them, and block ids.

A heading's id keeps its accents ("Apprentissage supervisé" -> `apprentissage-supervisé`). Ids
made before that were folded to ASCII (`apprentissage-supervise`): where the two differ, an empty
element inside the heading still carries the old one, so links already out there keep working.

A paragraph or a list item that ends with ` ^block-id` (Obsidian's block reference) takes the id
`^block-id` and the mark leaves its text; `^block-id` alone after a table, a list or a quote names
that block. `[[Note#^block-id]]` then leads to `/n/ID/#^block-id`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from praxis.markdown.text import plain_text, slugify

_KEPT_CATEGORIES = ("Nd", "Nl", "Pc")


def heading_slug(text: str) -> str:
    """A heading's anchor as GitHub writes it: lowercase, punctuation and symbols dropped except
    `-` and `_`, each space a `-` ("Qu'est-ce que l'ESS ?" -> `quest-ce-que-less-`); "section"
    when nothing is left. Obsidian's `[[Note#Heading]]` is pointed at the same anchor."""
    kept = [
        c
        for c in unicodedata.normalize("NFC", text.strip()).lower()
        if c in " -" or unicodedata.category(c)[0] in "LM" or unicodedata.category(c) in _KEPT_CATEGORIES
    ]
    return "".join(kept).replace(" ", "-") or "section"


def _legacy_slug(text: str) -> str:
    """The anchor headings had before they kept their accents."""
    return slugify(text) or "section"


class _GitHubSlugs:
    """Unique slugs as GitHub makes them: a repeated one gets -1, -2… after it."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def unique(self, slug: str) -> str:
        result = slug
        while result in self.seen:
            self.seen[slug] += 1
            result = f"{slug}-{self.seen[slug]}"
        self.seen[result] = 0
        return result


def _legacy_unique(slug: str, slugs: set[str]) -> str:
    # As mdit-py-plugins' anchors made them (its unique_slug), so old ids come out the same.
    unique, i = slug, 1
    while unique in slugs:
        unique, i = f"{slug}-{i}", i + 1
    slugs.add(unique)
    return unique


def _text_of(children: Sequence[Token], *, legacy: bool) -> str:
    if legacy:  # what the anchors plugin read: text and code, no wikilink
        return "".join(c.content for c in children if c.type in ("text", "code_inline"))
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "wikilink":
            parts.append(child.meta["label"])
    return "".join(parts)


def heading_anchors(state: StateCore) -> None:
    """Give headings of levels 1 to 4 their anchor, and the old one beside it where it differs."""
    tokens = state.tokens
    new_slugs, old_slugs = _GitHubSlugs(), set[str]()
    placed: list[tuple[Token, str, str]] = []
    for idx, token in enumerate(tokens):
        if token.type != "heading_open" or token.tag not in ("h1", "h2", "h3", "h4"):
            continue
        children = tokens[idx + 1].children or []
        new = new_slugs.unique(heading_slug(_text_of(children, legacy=False)))
        old = _legacy_unique(_legacy_slug(_text_of(children, legacy=True)), old_slugs)
        token.attrSet("id", new)
        placed.append((tokens[idx + 1], new, old))
    ids = {new for _inline, new, _old in placed}
    for inline, _new, old in placed:
        if old not in ids:  # differs from this heading's id, and names no other heading
            inline.children = [
                Token("span_open", "span", 1, attrs={"id": old}),
                Token("span_close", "span", -1),
                *(inline.children or []),
            ]


_HEADING = re.compile(r'<h([1-4]) id="([^"]+)">(.*?)</h\1>', re.DOTALL)


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str


def headings(html: str) -> list[Heading]:
    """The headings of rendered HTML that carry an anchor, for a table of contents."""
    return [Heading(int(level), anchor, plain_text(inner)) for level, anchor, inner in _HEADING.findall(html)]


_BLOCK_ID = re.compile(r"(?:^|[ \t\n])\^([A-Za-z0-9-]+)[ \t]*$")
_ALONE = re.compile(r"^\^([A-Za-z0-9-]+)$")
_NAMED_BLOCKS = {"table_close", "bullet_list_close", "ordered_list_close", "blockquote_close", "callout_close"}


def _opener(tokens: Sequence[Token], close: int) -> Token:
    """The token that opens the block closed at `close`."""
    depth = 0
    for i in range(close, -1, -1):
        depth += tokens[i].nesting
        if depth == 0:
            return tokens[i]
    return tokens[close]  # unbalanced: not produced by markdown-it


def block_ids(state: StateCore) -> None:
    """Take each ` ^block-id` off the end of its paragraph and give the block that id."""
    tokens = state.tokens
    seen: set[str] = set()
    drop: set[int] = set()
    for idx, token in enumerate(tokens):
        if token.type != "inline" or "^" not in token.content or tokens[idx - 1].type != "paragraph_open":
            continue
        alone = _ALONE.match(token.content)
        if alone and idx >= 2 and tokens[idx - 2].type in _NAMED_BLOCKS:
            block, name = _opener(tokens, idx - 2), alone.group(1)
            drop.update((idx - 1, idx, idx + 1))
        else:
            found = _BLOCK_ID.search(token.content)
            if found is None:
                continue
            name = found.group(1)
            token.content = token.content[: found.start()].rstrip()
            before = tokens[idx - 2] if idx >= 2 else None
            block = before if before is not None and before.type == "list_item_open" else tokens[idx - 1]
            if not token.content and block is tokens[idx - 1]:
                drop.update((idx - 1, idx, idx + 1))  # an id alone, with no block before it to name
                continue
        if name not in seen:
            seen.add(name)
            block.attrSet("id", "^" + name)
    if drop:
        state.tokens = [t for i, t in enumerate(tokens) if i not in drop]
