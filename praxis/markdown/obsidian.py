"""Obsidian's marks: `==highlight==` and `%%comments%%`.

A comment runs from `%%` to the next `%%`, within a line or across lines and blocks, as in
Obsidian; one never closed runs to the end of the text (Obsidian hides it all too). Comments are
taken out of the text before it is parsed: they are in no rendering, so in no search document,
excerpt, feed or citation. `%%` inside code (a fenced block or a code span) is code.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.state_inline import Delimiter

_EQUALS = 0x3D  # "="


def _highlight_tokenize(state: StateInline, silent: bool) -> bool:
    """Each `==` is a text token and a delimiter, paired afterwards (as markdown-it's `~~`)."""
    if silent or state.src[state.pos] != "=":
        return False
    scanned = state.scanDelims(state.pos, True)
    length = scanned.length
    if length < 2:
        return False
    if length % 2:
        state.push("text", "", 0).content = "="
        length -= 1
    for _ in range(length // 2):
        state.push("text", "", 0).content = "=="
        state.delimiters.append(
            Delimiter(
                marker=_EQUALS,
                length=0,
                token=len(state.tokens) - 1,
                end=-1,
                open=scanned.can_open,
                close=scanned.can_close,
            )
        )
    state.pos += scanned.length
    return True


def _pair(state: StateInline, delimiters: list[Delimiter]) -> None:
    lone = []
    for start in delimiters:
        if start.marker != _EQUALS or start.end == -1:
            continue
        end = delimiters[start.end]
        opening, closing = state.tokens[start.token], state.tokens[end.token]
        opening.type, opening.nesting = "mark_open", 1
        closing.type, closing.nesting = "mark_close", -1
        for token in (opening, closing):
            token.tag, token.markup, token.content = "mark", "==", ""
        before = state.tokens[end.token - 1]
        if before.type == "text" and before.content == "=":
            lone.append(end.token - 1)
    # An odd run ("===") left one "=" before a closing mark: move it after the marks it precedes.
    while lone:
        i = lone.pop()
        j = i + 1
        while j < len(state.tokens) and state.tokens[j].type == "mark_close":
            j += 1
        j -= 1
        if i != j:
            state.tokens[i], state.tokens[j] = state.tokens[j], state.tokens[i]


def _highlight_pairs(state: StateInline) -> None:
    _pair(state, state.delimiters)
    for meta in state.tokens_meta:
        if meta and "delimiters" in meta:
            _pair(state, meta["delimiters"])


_FENCE = re.compile(r"(?:[ \t]*>)*[ \t]*(`{3,}|~{3,})([^\n]*)")
_NEXT = re.compile(r"`+|%%|\n")


def _fence_closes(opening: str, line: re.Match[str] | None) -> bool:
    return (
        line is not None
        and line.group(1)[0] == opening[0]
        and len(line.group(1)) >= len(opening)
        and not line.group(2).strip()
    )


def strip_comments(src: str) -> str:
    """The text without its `%%comments%%` (code left as it is)."""
    if "%%" not in src:
        return src
    kept: list[str] = []
    keep_from, pos, fence = 0, 0, ""
    line_start = True
    while pos < len(src):
        if line_start:
            line_start = False
            eol = src.find("\n", pos)
            eol = len(src) if eol < 0 else eol
            line = _FENCE.match(src, pos, eol)
            if fence:
                if _fence_closes(fence, line):
                    fence = ""
                pos, line_start = eol + 1, True
                continue
            if line is not None and not (line.group(1)[0] == "`" and "`" in line.group(2)):
                fence = line.group(1)
                pos, line_start = eol + 1, True
                continue
        found = _NEXT.search(src, pos)
        if found is None:
            break
        mark = found.group()
        if mark == "\n":
            pos, line_start = found.end(), True
        elif mark == "%%":
            kept.append(src[keep_from : found.start()])
            close = src.find("%%", found.end())
            if close < 0:
                keep_from = pos = len(src)  # never closed: the rest is the comment
                break
            keep_from = pos = close + 2
        else:  # a code span runs to the next run of as many backticks, within its paragraph
            end_of_paragraph = src.find("\n\n", found.end())
            closing = re.compile(rf"(?<!`){mark}(?!`)").search(
                src, found.end(), len(src) if end_of_paragraph < 0 else end_of_paragraph
            )
            pos = closing.end() if closing else found.end()
    kept.append(src[keep_from:])
    return "".join(kept)


def _comments(state: StateCore) -> None:
    state.src = strip_comments(state.src)


def obsidian_plugin(md: MarkdownIt) -> None:
    """`==highlight==` as <mark>, and `%%comments%%` left out."""
    md.core.ruler.after("normalize", "comments", _comments)
    md.inline.ruler.before("emphasis", "highlight", _highlight_tokenize)
    md.inline.ruler2.before("emphasis", "highlight", _highlight_pairs)
