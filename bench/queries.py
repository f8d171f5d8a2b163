"""The search benchmark's queries: one-, two- and three-word sets drawn from the corpus vocabulary.

Shared by bench/search.py (through the HTTP API) and bench/fts5_reference.py (SQLite FTS5), so
both answer exactly the same queries. Deterministic for a seed. Words are the forms the corpus
generator writes (bench/french_corpus.py), mixing frequent, middling and rare ones; half of the
multi-word queries are words that go together (a theme's noun and an agreeing adjective, or a
compound noun), the other half independent words; a fifth of the queries lose their accents, as
people type them.
"""

from __future__ import annotations

import random
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import french_vocab as V
from bench.french_corpus import build_lexicon, vocabulary_forms

_STOPWORDS = {"des", "aux", "les", "une", "sur", "par", "pour", "dans", "avec", "est", "qui", "que"}


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def _content_words(text: str) -> list[str]:
    words = text.replace("'", "' ").split()
    return [w for w in words if w.isalpha() and len(w) > 2 and w not in _STOPWORDS]


def query_sets(seed: int = 7, per_set: int = 200) -> dict[str, list[str]]:
    """{"1": [...], "2": [...], "3": [...]}: `per_set` queries of one, two and three words."""
    rng = random.Random(seed)
    lex = build_lexicon()
    weights = vocabulary_forms(lex)
    ranked = sorted(
        (w for w in weights if w.isalpha() and len(w) > 2 and w not in _STOPWORDS), key=lambda w: (-weights[w], w)
    )
    frequent, middling, rare = ranked[:150], ranked[150:1000], ranked[1000:]

    def word() -> str:
        band = rng.choices([frequent, middling, rare], [40, 35, 25])[0]
        return rng.choice(band)

    def related(n: int) -> list[str]:
        theme = rng.choice(lex.themes)
        noun, gender = lex.theme_nouns[theme].draw(rng)
        number = "p" if rng.random() < 0.25 else "s"
        words = dict.fromkeys(_content_words(noun if number == "s" else V.noun_plural(noun)))
        for _ in range(20):
            if len(words) >= n:
                break
            if rng.random() < 0.6:
                words.update(dict.fromkeys(_content_words(V.adj_form(lex.theme_adjs[theme].draw(rng), gender, number))))
            else:
                words.update(dict.fromkeys(_content_words(lex.theme_nouns[theme].draw(rng)[0])))
        return list(words)[:n]

    def finish(words: list[str]) -> str:
        text = " ".join(words)
        if rng.random() < 0.2:
            text = strip_accents(text)
        if rng.random() < 0.1:
            text = text[0].upper() + text[1:]
        return text

    sets: dict[str, list[str]] = {"1": [], "2": [], "3": []}
    for n in (1, 2, 3):
        while len(sets[str(n)]) < per_set:
            words = related(n) if n > 1 and rng.random() < 0.5 else [word() for _ in range(n)]
            if len(words) == n:
                sets[str(n)].append(finish(words))
    return sets


if __name__ == "__main__":
    for size, queries in query_sets().items():
        print(size, "word(s):", " | ".join(queries[:25]))
