"""Snippets: the passage of a note that best matches a query, as HTML where only <mark> is markup."""

from __future__ import annotations

import re
from html import escape

from praxis.search.analysis import STOP_WORDS, WORD, stem, strip_elision

WORD_RE = re.compile(WORD)


def _matches(word: str, exact: set[str], prefixes: tuple[str, ...]) -> bool:
    bare = strip_elision(word.lower())
    if not bare or bare in STOP_WORDS:
        return False
    term = stem(bare)
    return term in exact or any(term.startswith(p) or bare.startswith(p) for p in prefixes)


def snippet(text: str, exact: set[str], prefixes: tuple[str, ...] = (), *, width: int = 30) -> str:
    """About `width` words of `text` around the densest cluster of matching words, matches in
    <mark>, everything else escaped; the opening words when nothing matches."""
    spans = [(m.start(), m.end(), _matches(m.group(), exact, prefixes)) for m in WORD_RE.finditer(text)]
    if not spans:
        return escape(text[:200])
    hits = [i for i, (_, _, hit) in enumerate(spans) if hit]
    start = 0
    if hits:
        # The window of `width` words holding the most matches; ties go to the earliest.
        best, j = (0, hits[0]), 0
        for i, first in enumerate(hits):
            while hits[j] < first:
                j += 1
            count = sum(1 for h in hits[i:] if h < first + width)
            if count > best[0]:
                best = (count, first)
        start = max(0, best[1] - width // 4)
    window = spans[start:start + width]
    out, pos = [], window[0][0]
    for begin, end, hit in window:
        out.append(escape(text[pos:begin]))
        word = escape(text[begin:end])
        out.append(f"<mark>{word}</mark>" if hit else word)
        pos = end
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + width < len(spans) else ""
    return prefix + "".join(out).strip() + suffix
