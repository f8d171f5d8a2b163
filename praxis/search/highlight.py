"""Snippets: the passage of a note that best matches a query, as HTML where only <mark> is markup."""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape

from praxis.search.analysis import ACCENTS, STOP_WORDS, WORD_RE, stem, strip_elision

AROUND = 80  # characters searched back for the words that lead to the passage
LEAD = 6  # words of context kept before the first match of the passage


def _matches(word: str, exact: set[str], prefixes: tuple[str, ...]) -> bool:
    bare = strip_elision(word.lower())
    if not bare or bare in STOP_WORDS:
        return False
    term = stem(bare)
    return term in exact or any(term.startswith(p) or bare.startswith(p) for p in prefixes)


@lru_cache(maxsize=256)
def _candidates(starts: frozenset[str]) -> re.Pattern[str]:
    """Words (after an elision) that begin like one of these folded stems, accents allowed: a
    C-speed sieve; each candidate is then analysed for real."""
    alternatives = []
    for start in sorted(starts, key=len, reverse=True):
        alternatives.append("".join(f"[{ACCENTS[c]}]" if c in ACCENTS else re.escape(c) for c in start))
    return re.compile(r"(?<!\w)(?:\w+['’])?(?:" + "|".join(alternatives) + r")\w*(?:['’]\w+)*", re.IGNORECASE)


def snippet(text: str, exact: set[str], prefixes: tuple[str, ...] = (), *, width: int = 30) -> str:
    """About `width` words of `text` around the densest cluster of matching words, matches in
    <mark>, everything else escaped; the opening words when nothing matches."""
    seen: dict[str, bool] = {}

    def hit(word: str) -> bool:
        found = seen.get(word)
        if found is None:
            found = seen[word] = _matches(word, exact, prefixes)
        return found

    starts = frozenset(t for t in (*exact, *prefixes) if t)
    hits = [m.start() for m in _candidates(starts).finditer(text) if hit(m.group())] if starts else []
    begin = 0
    if hits:
        # The passage of about `width` words (some 8 characters each) holding the most matches.
        span, best, j = width * 8, (0, hits[0]), 0
        for i, first in enumerate(hits):
            while j < len(hits) and hits[j] < first + span:
                j += 1
            if j - i > best[0]:
                best = (j - i, first)
        # Start a few words before the first match of the passage.
        window = max(0, best[1] - AROUND * 4)
        before = [m.start() for m in WORD_RE.finditer(text, window, best[1])]
        begin = before[-LEAD] if len(before) >= LEAD else (before[0] if before and window > 0 else 0)
    out: list[str] = []
    pos = begin
    count = 0
    for m in WORD_RE.finditer(text, begin):
        out.append(escape(text[pos : m.start()]))
        word = escape(m.group())
        out.append(f"<mark>{word}</mark>" if hit(m.group()) else word)
        pos = m.end()
        count += 1
        if count >= width:
            break
    if not count:
        return escape(text[:200])
    more = WORD_RE.search(text, pos) is not None
    return ("… " if begin > 0 else "") + "".join(out).strip() + (" …" if more else "")
