"""Differences between two revisions: word-level for the body, field-level for metadata. Pure."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Any

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


# A changed block larger than this many tokens is shown as a whole deletion and insertion:
# word matching inside it would cost quadratic time for little reading value.
_MAX_WORD_BLOCK = 20_000


def word_diff(before: str, after: str) -> list[dict[str, str]]:
    """Segments {op, text} that turn `before` into `after`, word by word (whitespace kept).

    Lines are matched first, then words inside the changed lines, which keeps large texts fast.
    """
    segments: list[dict[str, str]] = []

    def emit(op: str, text: str) -> None:
        if not text:
            return
        if segments and segments[-1]["op"] == op:
            segments[-1]["text"] += text
        else:
            segments.append({"op": op, "text": text})

    def words(old: str, new: str) -> None:
        a, b = _TOKENS.findall(old), _TOKENS.findall(new)
        if len(a) + len(b) > _MAX_WORD_BLOCK:
            emit("delete", old)
            emit("insert", new)
            return
        for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if tag == "equal":
                emit("equal", "".join(a[i1:i2]))
            else:
                emit("delete", "".join(a[i1:i2]))
                emit("insert", "".join(b[j1:j2]))

    la, lb = before.splitlines(keepends=True), after.splitlines(keepends=True)
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, la, lb, autojunk=False).get_opcodes():
        if tag == "equal":
            emit("equal", "".join(la[i1:i2]))
        else:
            words("".join(la[i1:i2]), "".join(lb[j1:j2]))
    return segments


def field_changes(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """The fields whose values differ, in a stable order."""
    keys = list(before) + [k for k in after if k not in before]
    return [
        {"field": k, "before": before.get(k), "after": after.get(k)}
        for k in keys
        if before.get(k) != after.get(k)
    ]
