"""Differences between two revisions: word-level for the body, field-level for metadata. Pure."""

from __future__ import annotations

import re
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
