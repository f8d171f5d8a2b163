"""Embeds: `![[Note]]`, `![[Note#Section]]`, `![[Note#^bloc]]` show another note's text in place.

Written alone on a line or within a paragraph, an embed becomes a block of its own (the paragraph
is cut around it). The stored rendering, shared by every reader, holds only a slot: a
`<div class="embed-slot">` around a wikilink to the note (its id and the fragment in its
address), or, for a note that does not exist, the "create this note" wikilink alone. Each reader's
view (`praxis.notes.links.visible_html`) first re-points the slot's link as any wikilink's, then
`expand_embeds` puts in its place the note's text, or the section under the heading (to the next heading
of the same or a higher level), or the block with that id, framed with the note's title as a link;
a slot whose link now leads nowhere is left as that link alone, so a note the reader may not read
embeds exactly as a missing one. Embeds inside embedded text stay links (nothing loops). A file
(`![[photo.png]]`) is not a note: it stays as it was written.

An embedded text loses its ids (its headings, blocks and footnotes are the other note's, and
must not collide with the page's own nor enter its table of contents), and its links within its
own page lead into that note's page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape, unescape
from urllib.parse import quote, unquote

from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from praxis.markdown.sanitize import sanitize
from praxis.markdown.wikilinks import Resolved, href_fragment, new_note_link, note_link, parse_wikilink

# What Obsidian embeds as a file rather than a note (the importer makes these images and links).
_FILE = re.compile(
    r"\.(?:png|jpe?g|gif|bmp|svg|webp|avif|heic|tiff?|ico|mp3|wav|m4a|ogg|oga|opus|flac|3gp|webm|mp4|m4v|ogv"
    r"|mov|mkv|avi|pdf|docx?|xlsx?|pptx?|odt|ods|odp|csv|txt|zip|epub|canvas|excalidraw)$",
    re.IGNORECASE,
)


def embed_rule(state: StateInline, silent: bool) -> bool:
    """`![[target…]]` naming a note (not a file, not a section of this very note)."""
    if not state.src.startswith("![[", state.pos):
        return False
    found = parse_wikilink(state, state.pos + 1)
    if found is None:
        return False
    end, meta, inner = found
    if not meta["target"] or _FILE.search(meta["target"]):
        return False
    if not silent:
        token = state.push("embed", "", 0)
        token.meta = meta
        token.content = inner
    state.pos = end
    return True


def _blank(token: Token) -> bool:
    return token.type in ("softbreak", "hardbreak") or (token.type == "text" and not token.content.strip())


def _trimmed(children: list[Token], *, end: bool) -> list[Token]:
    """A piece of a cut paragraph without the line breaks and spaces at the cut."""
    while children and _blank(children[-1 if end else 0]):
        children.pop(-1 if end else 0)
    if children and children[-1 if end else 0].type == "text":
        edge = children[-1 if end else 0]
        edge.content = edge.content.rstrip() if end else edge.content.lstrip()
    return children


def _paragraph(opening: Token, children: list[Token], closing: Token, *, first: bool) -> list[Token]:
    if first:
        paragraph_open = opening  # keeps the paragraph's block id, if it has one
    else:
        paragraph_open = Token("paragraph_open", "p", 1, map=opening.map, level=opening.level, block=True)
        paragraph_open.hidden = opening.hidden
    inline = Token("inline", "", 0, map=opening.map, level=opening.level + 1, block=True, children=children)
    paragraph_close = Token("paragraph_close", "p", -1, level=opening.level, block=True)
    paragraph_close.hidden = closing.hidden
    return [paragraph_open, inline, paragraph_close]


def _cut(opening: Token, inline: Token, closing: Token) -> list[Token]:
    """A paragraph holding embeds (outside any emphasis or link) as paragraphs and embeds."""
    out: list[Token] = []
    piece: list[Token] = []
    depth = 0
    for child in inline.children or []:
        if child.type == "embed" and depth == 0:
            kept = _trimmed(_trimmed(piece, end=True), end=False)
            if kept:
                out += _paragraph(opening, kept, closing, first=not out)
            embed = Token("embed", "", 0, map=opening.map, level=opening.level, block=True)
            embed.meta = child.meta
            embed.content = child.content
            out.append(embed)
            piece = []
            continue
        if child.type == "embed":  # within emphasis or a link
            child.type = "wikilink"
        depth += child.nesting
        piece.append(child)
    kept = _trimmed(_trimmed(piece, end=False), end=True)
    if kept:
        out += _paragraph(opening, kept, closing, first=not out)
    return out


def _cuts(inline: Token) -> bool:
    depth = 0
    for child in inline.children or ():
        if child.type == "embed" and depth == 0:
            return True
        depth += child.nesting
    return False


def embed_blocks(state: StateCore) -> None:
    """Make each embed of a paragraph a block of its own; one anywhere else (a heading, a table
    cell, within emphasis or a link) is shown as a wikilink."""
    tokens = state.tokens
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "paragraph_open" and i + 2 < len(tokens) and _cuts(tokens[i + 1]):
            out += _cut(token, tokens[i + 1], tokens[i + 2])
            i += 3
            continue
        for child in token.children or ():
            if child.type == "embed":
                child.type = "wikilink"
        out.append(token)
        i += 1
    state.tokens = out


def render_embed(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    meta = tokens[idx].meta
    label = escape(meta["label"])
    found: Resolved | None = env.get("resolved", {}).get(meta["target"])
    link = (
        note_link(found.id, meta["target"], label, href_fragment(meta["fragment"]))
        if found
        else new_note_link(meta["target"], label)
    )
    # In a paragraph of its own even in a tight list, where the text before it has none: the
    # link alone (a missing note, or one the reader may not read) is not glued to that text.
    return f'<div class="embed-slot"><p>{link}</p></div>\n' if found else f"<p>{link}</p>\n"


# Each reader's view ----------------------------------------------------------------------------

# A slot holds one paragraph and one link, whose label is text: no <div> inside it.
_SLOT = re.compile(r'<div class="embed-slot">(.*?)</div>', re.DOTALL)
_SLOT_LINK = re.compile(
    r'<a class="wikilink(?: kind-[a-z]+)?" href="/n/([^/"#]+)/(#[^"]*)?"(?: data-target="([^"]*)")?'
)
# A tag as the sanitizer writes it (every attribute value in double quotes).
_TAG = re.compile(r'<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s"\'>/=]+(?:\s*=\s*"[^"]*")?)*)\s*/?>')
_ATTRIBUTE = re.compile(r'(\s+)([^\s"\'>/=]+)(?:(\s*=\s*)"([^"]*)")?')
_VOID = {"br", "hr", "img", "col", "input", "wbr"}
_HEADING = re.compile(r"h([1-6])")
_SOURCE = re.compile(r'<p class="embed-source">.*?</p>', re.DOTALL)
_OLD_ANCHOR = re.compile(r'<span id="[^"]*"></span>')


@dataclass(frozen=True)
class Embedded:
    """A note as an embed shows it: its id, title and stored rendering."""

    id: str
    title: str
    html: str


def has_embeds(html: str) -> bool:
    """Whether a rendering holds embeds (a slot, whether it leads to a note or not)."""
    return '<div class="embed-slot">' in html


def embedded_ids(html: str) -> list[str]:
    """The notes the slots of a rendering lead to, once each."""
    found = (_SLOT_LINK.search(m.group(1)) for m in _SLOT.finditer(html))
    return list(dict.fromkeys(link.group(1) for link in found if link))


def expand_embeds(html: str, notes: Mapping[str, Embedded]) -> str:
    """Each slot of a rendering replaced by the text of the note its link leads to (`notes`: those
    the reader may read, by id), or by its link alone when it leads to none of them or to a section
    that note does not have."""

    def swap(match: re.Match[str]) -> str:
        shown = match.group(1)
        link = _SLOT_LINK.search(shown)
        note = notes.get(link.group(1)) if link else None
        if link is None or note is None:
            return shown
        fragment = unquote(unescape(link.group(2) or ""))[1:]
        text = _SLOT.sub(r"\1", note.html)  # embeds of the embedded note: links only
        if fragment:
            part = _part(text, fragment)
            if part is None:
                return shown
            text = sanitize(part)  # a section cut out of a quote or a list is closed again
        written = unescape(link.group(3)) if link.group(3) is not None else note.title
        source = note_link(note.id, written, escape(note.title), href_fragment(fragment))
        return (
            f'<blockquote class="embed"><p class="embed-source">{source}</p>\n{_detached(text, note.id)}</blockquote>'
        )

    return _SLOT.sub(swap, html)


def outside_embeds(html: str) -> str:
    """A reader's view with each embedded text left out, its frame's link kept (what the note
    itself says: its embeds as links)."""
    kept, pos = [], 0
    for tag in _TAG.finditer(html):
        if tag.start() < pos or tag.group(1) or tag.group(2) != "blockquote":
            continue
        if _attributes(tag.group(3)).get("class") == "embed":
            source = _SOURCE.match(html, tag.end())
            kept += [html[pos : tag.start()], source.group(0) if source else ""]
            pos = _end_of(html, tag)
    kept.append(html[pos:])
    return "".join(kept)


def _attributes(written: str) -> dict[str, str]:
    return {m.group(2).lower(): unescape(m.group(4) or "") for m in _ATTRIBUTE.finditer(written)}


def _end_of(html: str, opening: re.Match[str]) -> int:
    """Where the element that `opening` starts ends."""
    name = opening.group(2).lower()
    if name in _VOID:
        return opening.end()
    depth = 1
    for tag in _TAG.finditer(html, opening.end()):
        if tag.group(2).lower() == name:
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                return tag.end()
    return len(html)


def _part(html: str, fragment: str) -> str | None:
    """The block with id `^…`, or the section under the heading with that anchor (its old
    anchor too): the heading and what follows it, up to the next heading of its level or higher
    or the end of the quote, list or callout it is in (a heading within a quote that follows it
    is part of the section)."""
    tags = list(_TAG.finditer(html))
    at = next((i for i, t in enumerate(tags) if not t.group(1) and _attributes(t.group(3)).get("id") == fragment), None)
    if at is None:
        return None
    if fragment.startswith("^"):
        block = html[tags[at].start() : _end_of(html, tags[at])]
        return f"<ul>{block}</ul>" if tags[at].group(2).lower() == "li" else block
    heading = _HEADING.fullmatch(tags[at].group(2).lower())
    if heading is None and at > 0 and tags[at - 1].end() == tags[at].start():  # an old anchor's <span>
        at -= 1
        heading = _HEADING.fullmatch(tags[at].group(2).lower())
    if heading is None:
        return None
    start, level, depth = tags[at].start(), int(heading.group(1)), 1  # within the heading
    for tag in tags[at + 1 :]:
        name = tag.group(2).lower()
        if tag.group(1):
            depth -= 1
            if depth < 0:  # the end of what holds the heading
                return html[start : tag.start()]
            continue
        after = _HEADING.fullmatch(name)
        ends = after is not None and int(after.group(1)) <= level and depth == 0
        if ends or (name == "hr" and _attributes(tag.group(3)).get("class") == "footnotes-sep"):
            return html[start : tag.start()]
        if name not in _VOID:
            depth += 1
    return html[start:]


def _detached(html: str, note_id: str) -> str:
    """An embedded text without ids, its links within its page leading into that note's page."""
    page = f"/n/{quote(note_id)}/"

    def attribute(match: re.Match[str]) -> str:
        name, value = match.group(2).lower(), match.group(4)
        if name == "id":
            return ""
        if name == "href" and value is not None and value.startswith("#"):
            return f'{match.group(1)}href="{escape(page)}{value}"'
        return match.group(0)

    html = _OLD_ANCHOR.sub("", html)

    def tag(match: re.Match[str]) -> str:
        if match.group(1) or not match.group(3):
            return match.group(0)
        start = match.start(3) - match.start()
        end = match.end(3) - match.start()
        whole = match.group(0)
        return whole[:start] + _ATTRIBUTE.sub(attribute, match.group(3)) + whole[end:]

    return _TAG.sub(tag, html)
