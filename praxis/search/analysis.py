"""French text analysis, the same at index and at query time.

Tokens are words (letters and digits, inner hyphens split); elisions (l', d', qu'…) are
removed, then French stop words, then each word is stemmed with Snowball's French stemmer
and only then folded to plain letters, so the stemmer sees the accents it was written for
("mutualisé" and "mutualiser" both stem to "mutualis") while "economie" still finds
"économie". English words go through the same chain: they stay searchable, only less well
stemmed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import Stemmer
from whoosh.analysis import Token, Tokenizer
from whoosh.lang.stopwords import stoplists

ELISION = re.compile(r"^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu|presqu)['’]", re.IGNORECASE)
WORD = r"[^\W_]+(?:['’][^\W_]+)*"  # letters and digits; "rapport_annuel" is two words
WORD_RE = re.compile(WORD)
# Snowball's French stop words (PostgreSQL's too), plus "les", which that list lacks.
STOP_WORDS = frozenset(stoplists["fr"]) | {"les"}
_stemmer = Stemmer.Stemmer("french")
# A plain letter and the accented forms French writes it with.
ACCENTS = {"a": "aàâäá", "c": "cç", "e": "eéèêë", "i": "iîïí", "o": "oôöó", "u": "uùûüú", "y": "yÿ", "n": "nñ"}


def fold(word: str) -> str:
    """Lowercase letters without accents or ligatures: "Économie" -> "economie"."""
    decomposed = unicodedata.normalize("NFKD", word.lower().replace("œ", "oe").replace("æ", "ae"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The folded Snowball stem of a lowercase word; cached, since a corpus repeats its words."""
    return fold(_stemmer.stemWord(word))


def strip_elision(word: str) -> str:
    """ "l'économie" -> "économie", "qu'il" -> "il"; the rest of an apostrophe word is kept."""
    return ELISION.sub("", word)


class FrenchTokenizer(Tokenizer):
    """The whole analysis in one pass (it is the hot spot of indexing): words, elision, stop
    words, stem then fold. Positions count kept words only, as a query's terms do, so a phrase
    with a stop word inside ("mutualisation des données") still matches."""

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        for match in WORD_RE.finditer(value):
            word = match.group().lower()
            if "'" in word or "’" in word:
                word = strip_elision(word)
            if not word or word in STOP_WORDS:
                continue
            token.text = stem(word)
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = match.group()
            if positions:
                token.pos = pos
                pos += 1
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token


def french_analyzer() -> FrenchTokenizer:
    """The Whoosh analyzer of every text field."""
    return FrenchTokenizer()


def words(text: str) -> list[str]:
    """The lowercase words of a text, elisions removed (stop words kept)."""
    return [w for w in (strip_elision(m.lower()) for m in WORD_RE.findall(text)) if w]


def terms(text: str) -> list[str]:
    """The index terms of a text, in order: what a query word must equal to match."""
    return [stem(w) for w in words(text) if w not in STOP_WORDS]


def distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count one) between two folded words."""
    a, b = fold(a), fold(b)
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current.append(value)
        previous2, previous = previous, current
    return previous[-1]


def spelling_words(text: str) -> set[str]:
    """The words a "Vouliez-vous dire…" may propose: as written, lowercase, accents kept."""
    return {w for w in words(text) if 3 <= len(w) <= 40 and w.isalpha() and w not in STOP_WORDS}
