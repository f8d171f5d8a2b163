"""Callouts: Obsidian's `> [!tip] Titre` and the `::: tip Titre` containers of VuePress,
Docusaurus and MkDocs sites, rendered alike.

    <div class="callout callout-tip"><p class="callout-title">Titre</p><div class="callout-body">…</div></div>

A foldable callout (`> [!tip]-` closed, `> [!tip]+` open, `::: details`) is a `<details>` whose
`<summary>` is the title. The stored HTML is the same for every reader's language: a callout
without a title is named by its type as written, capitalised ("Tip", "Attention"). An unknown
type reads as a note. The body is ordinary Markdown, callouts included.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

# Obsidian's callout types, each with the other names it answers to.
_TYPES = {
    "note": (),
    "abstract": ("summary", "tldr"),
    "info": (),
    "todo": (),
    "tip": ("hint", "important"),
    "success": ("check", "done"),
    "question": ("help", "faq"),
    "warning": ("caution", "attention"),
    "failure": ("fail", "missing"),
    "danger": ("error",),
    "bug": (),
    "example": (),
    "quote": ("cite",),
}
CALLOUT_TYPES = {name: kind for kind, names in _TYPES.items() for name in (kind, *names)}

_CALLOUT = re.compile(r"^\[!([^\]\s]+)\]([+-]?)[ \t]*(.*)$")
_CONTAINER = re.compile(r"^\s*([A-Za-z]+)(?:\[([^\]]*)\])?\s*(.*?)\s*$")


def _container_name(params: str) -> str | None:
    found = _CONTAINER.match(params)
    name = found.group(1).lower() if found else None
    return name if name in CALLOUT_TYPES or name == "details" else None


def _opening(kind_as_written: str, title: str, fold: str, level: int) -> list[Token]:
    """The tokens that open a callout: the element, its title (inline Markdown), its body."""
    kind = CALLOUT_TYPES.get(kind_as_written.lower(), "note")
    folds = fold in ("+", "-")
    outer = Token("callout_open", "details" if folds else "div", 1, level=level, block=True)
    outer.attrSet("class", f"callout callout-{kind}")
    if fold == "+":
        outer.attrSet("open", "")
    outer.meta = {"tag": outer.tag}
    title_tag = "summary" if folds else "p"
    title_open = Token("callout_title_open", title_tag, 1, level=level + 1, block=True)
    title_open.attrSet("class", "callout-title")
    name = kind_as_written[:1].upper() + kind_as_written[1:].lower()
    inline = Token("inline", "", 0, level=level + 2, content=title.strip() or name, children=[])
    body = Token("callout_body_open", "div", 1, level=level + 1, block=True)
    body.attrSet("class", "callout-body")
    return [outer, title_open, inline, Token("callout_title_close", title_tag, -1, level=level + 1, block=True), body]


def _closing(tag: str, level: int) -> list[Token]:
    return [
        Token("callout_body_close", "div", -1, level=level + 1, block=True),
        Token("callout_close", tag, -1, level=level, block=True),
    ]


def _quote_callout(tokens: list[Token], idx: int) -> re.Match[str] | None:
    """The `[!type]` line that makes the blockquote opened at `idx` a callout, if it is one."""
    if idx + 2 >= len(tokens) or tokens[idx + 1].type != "paragraph_open" or tokens[idx + 2].type != "inline":
        return None
    return _CALLOUT.match(tokens[idx + 2].content.split("\n", 1)[0])


def callouts(state: StateCore) -> None:
    """Turn `> [!type]` blockquotes and `::: type` containers into callouts (before inline parsing:
    the title and the rest of the first paragraph are then parsed as Markdown)."""
    tokens, out = state.tokens, []
    quotes: list[str | None] = []  # per open blockquote: the callout's tag, or None
    containers: list[str] = []
    skip_to = -1
    for idx, token in enumerate(tokens):
        if idx <= skip_to:
            continue
        if token.type == "blockquote_open":
            found = _quote_callout(tokens, idx)
            if found is None:
                quotes.append(None)
                out.append(token)
                continue
            opening = _opening(found.group(1), found.group(3), found.group(2), token.level)
            quotes.append(opening[0].tag)
            out += opening
            first = tokens[idx + 2]
            rest = first.content.partition("\n")[2].strip()
            if rest:
                first.content = rest
            else:
                skip_to = idx + 3  # the paragraph held the title alone
        elif token.type == "blockquote_close":
            tag = quotes.pop() if quotes else None
            out += _closing(tag, token.level) if tag else [token]
        elif token.type == "container_callout_open":
            found = _CONTAINER.match(token.info)
            assert found is not None  # the container rule accepted these params
            name, bracketed, title = found.groups()
            details = name.lower() == "details"
            opening = _opening("note" if details else name, bracketed or title, "-" if details else "", token.level)
            if details and not (bracketed or title):
                opening[2].content = "Details"
            containers.append(opening[0].tag)
            out += opening
        elif token.type == "container_callout_close":
            out += _closing(containers.pop() if containers else "div", token.level)
        else:
            out.append(token)
    state.tokens = out


def callouts_plugin(md: MarkdownIt) -> None:
    """Callouts and `:::` containers, before block ids and inline parsing."""
    container_plugin(md, "callout", validate=lambda params, _markup: _container_name(params) is not None)
    md.core.ruler.after("block", "callouts", callouts)
