"""Differences between two revisions: word-level for the body, field-level for metadata. Pure."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from diff_match_patch import diff_match_patch

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)
# Myers' algorithm with a deadline: past it the diff is still correct, only less minimal,
# so a crafted pair of revisions cannot hold a worker.
DIFF_SECONDS = 1.0
_OPS = {0: "equal", 1: "insert", -1: "delete"}


def _encode(tokens: list[str], table: dict[str, str], vocabulary: list[str]) -> str:
    """One character per distinct token, so the character diff is a word diff."""
    out = []
    for token in tokens:
        char = table.get(token)
        if char is None:
            code = len(vocabulary) + 0x100
            if code >= 0xD800:  # skip the surrogate range
                code += 0x800
            char = table[token] = chr(code)
            vocabulary.append(token)
        out.append(char)
    return "".join(out)


def word_diff(before: str, after: str) -> list[dict[str, str]]:
    """Segments {op, text} that turn `before` into `after`, word by word (whitespace kept)."""
    table: dict[str, str] = {}
    vocabulary: list[str] = []
    a = _encode(_TOKENS.findall(before), table, vocabulary)
    b = _encode(_TOKENS.findall(after), table, vocabulary)
    dmp = diff_match_patch()
    dmp.Diff_Timeout = DIFF_SECONDS
    diffs = dmp.diff_main(a, b, False)
    dmp.diff_cleanupSemantic(diffs)
    segments: list[dict[str, str]] = []
    for op, chars in diffs:
        text = "".join(vocabulary[(ord(c) - 0x100) - (0x800 if ord(c) >= 0xE000 else 0)] for c in chars)
        if segments and segments[-1]["op"] == _OPS[op]:
            segments[-1]["text"] += text
        elif text:
            segments.append({"op": _OPS[op], "text": text})
    return segments


def field_changes(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """The fields whose values differ, in a stable order."""
    keys = list(before) + [k for k in after if k not in before]
    return [{"field": k, "before": before.get(k), "after": after.get(k)} for k in keys if before.get(k) != after.get(k)]


_BREAK = re.compile(r"<br\s*/?>", re.I)
_BLOCK_END = re.compile(r"</(?:p|h[1-6]|blockquote|pre|table|ul|ol|dl|figure|div|details|summary)>|<hr\b[^>]*>", re.I)
_LINE_END = re.compile(r"</(?:li|tr|dt|dd|figcaption)>", re.I)
_CELL_END = re.compile(r"</t[dh]>", re.I)
_ITEM = re.compile(r"<li\b[^>]*>", re.I)
_ANY_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"[ \t\r\f\v]+")
_GAPS = re.compile(r"\n\s*\n\s*")


def readable_text(html: str) -> str:
    """A rendering's text as a reader sees it: words without markup, one block per paragraph
    (blank lines between blocks, a line per list item), for a diff of the text as it reads."""
    text = _CELL_END.sub(" ", _BREAK.sub("\n", html.replace("\n", " ")))
    text = _LINE_END.sub("\n", _BLOCK_END.sub("\n\n", _ITEM.sub("• ", text)))
    text = unescape(_ANY_TAG.sub("", text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _GAPS.sub("\n\n", "\n".join(lines)).strip()


# [[id|label]] as the editor writes a link to a note: the id says nothing to a reader.
_ID_WIKILINK = re.compile(r"\[\[[A-Za-z0-9_-]{12}\|([^\[\]\n]+)\]\]")


def without_note_ids(body: str) -> str:
    """Markdown with its links to notes by id shown by their label alone: [[label]]."""
    return _ID_WIKILINK.sub(r"[[\1]]", body)


def changed_blocks(segments: list[dict[str, str]]) -> list[dict[str, Any]]:
    """A word diff of a text in blocks (paragraphs apart by a blank line): each block that
    changed as {"segments": [...]}, each run of unchanged blocks between them as {"unchanged": n}."""
    blocks: list[list[dict[str, str]]] = [[]]
    for segment in segments:
        parts = segment["text"].split("\n\n")
        for i, part in enumerate(parts):
            if i:
                blocks.append([])
            if part:
                blocks[-1].append({"op": segment["op"], "text": part})
    out: list[dict[str, Any]] = []
    for block in blocks:
        if not block:
            continue
        if any(s["op"] != "equal" for s in block):
            out.append({"segments": block})
        elif out and "unchanged" in out[-1]:
            out[-1]["unchanged"] += 1
        else:
            out.append({"unchanged": 1})
    return out
