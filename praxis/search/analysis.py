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
from functools import lru_cache

import Stemmer
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.lang.stopwords import stoplists

ELISION = re.compile(r"^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu|presqu)['’]", re.IGNORECASE)
WORD = r"\w+(?:['’]\w+)*"
STOP_WORDS = frozenset(stoplists["fr"])
_stemmer = Stemmer.Stemmer("french")


def fold(word: str) -> str:
    """Lowercase letters without accents or ligatures: "Économie" -> "economie"."""
    decomposed = unicodedata.normalize("NFKD", word.replace("œ", "oe").replace("æ", "ae"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The folded Snowball stem of a lowercase word; cached, since a corpus repeats its words."""
    return fold(_stemmer.stemWord(word))


def strip_elision(word: str) -> str:
    """"l'économie" -> "économie", "qu'il" -> "il"; the rest of an apostrophe word is kept."""
    return ELISION.sub("", word)


class ElisionFilter(Filter):
    """Drop the elided article or pronoun in front of a word, then split what is left."""

    def __call__(self, tokens):  # type: ignore[no-untyped-def]
        for t in tokens:
            t.text = strip_elision(t.text)
            if t.text:
                yield t


class FrenchStemFilter(Filter):
    """Stem then fold. A morph filter: the spelling words (Whoosh's no_morph pass) keep their
    accents, for "Vouliez-vous dire"."""

    is_morph = True

    def __call__(self, tokens):  # type: ignore[no-untyped-def]
        for t in tokens:
            t.text = stem(t.text)
            yield t


def french_analyzer():  # type: ignore[no-untyped-def]
    """The Whoosh analyzer used for every text field."""
    return (
        RegexTokenizer(WORD)
        | LowercaseFilter()
        | ElisionFilter()
        | StopFilter(stoplist=STOP_WORDS, minsize=1)
        | FrenchStemFilter()
    )


def words(text: str) -> list[str]:
    """The lowercase words of a text, elisions removed (stop words kept)."""
    return [w for w in (strip_elision(m.lower()) for m in re.findall(WORD, text)) if w]


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
