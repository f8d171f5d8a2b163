"""The query language of the search box: words (all must match), "phrases", -exclusions, prefix*."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from praxis.search.analysis import STOP_WORDS, fold, stem, terms, words

TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
MAX_CLAUSES = 16
MIN_PREFIX = 2


@dataclass(frozen=True)
class Clause:
    """One part of a query: `terms` are index terms; a phrase wants them in order, a prefix
    clause has one term that index terms must start with."""

    kind: str  # "word", "phrase" or "prefix"
    text: str  # as typed, for suggestions and notices
    terms: tuple[str, ...]
    negated: bool = False


@dataclass(frozen=True)
class Query:
    clauses: tuple[Clause, ...] = field(default_factory=tuple)

    @property
    def positive(self) -> list[Clause]:
        return [c for c in self.clauses if not c.negated]

    @property
    def negative(self) -> list[Clause]:
        return [c for c in self.clauses if c.negated]

    @property
    def is_empty(self) -> bool:
        return not self.positive

    def highlight_terms(self) -> tuple[set[str], tuple[str, ...]]:
        """The index terms and prefixes a snippet marks."""
        exact = {t for c in self.positive if c.kind != "prefix" for t in c.terms}
        prefixes = tuple(t for c in self.positive if c.kind == "prefix" for t in c.terms)
        return exact, prefixes

    def corrected(self, words: dict[int, str]) -> str:
        """The query as typed, with the clauses at these positions replaced by these words."""
        return " ".join(words.get(i, _typed(c)) for i, c in enumerate(self.clauses))


def _typed(clause: Clause) -> str:
    sign = "-" if clause.negated else ""
    if clause.kind == "phrase":
        return f'{sign}"{clause.text}"'
    return f"{sign}{clause.text}{'*' if clause.kind == 'prefix' else ''}"


def parse(text: str) -> Query:
    """Clauses in the order typed; words that are only stop words or punctuation are dropped."""
    clauses: list[Clause] = []
    for match in TOKEN.finditer(text):
        quoted_sign, quoted, bare = match.groups()
        if bare is None:
            found = terms(quoted)
            if found:
                kind = "phrase" if len(found) > 1 else "word"
                clauses.append(Clause(kind, " ".join(words(quoted)), tuple(found), bool(quoted_sign)))
            continue
        negated = bare.startswith("-") and len(bare) > 1
        raw = bare[1:] if negated else bare
        if raw.endswith("*"):
            parts = words(raw)
            if len(parts) == 1 and len(fold(parts[0])) >= MIN_PREFIX and parts[0] not in STOP_WORDS:
                clauses.append(Clause("prefix", parts[0], (_prefix_term(parts[0]),), negated))
                continue
        found = terms(raw)
        if not found:
            continue
        kind = "phrase" if len(found) > 1 else "word"  # "économie-sociale", "l'IA" stay one clause
        clauses.append(Clause(kind, " ".join(words(raw)), tuple(found), negated))
    return Query(tuple(clauses[:MAX_CLAUSES]))


def _prefix_term(word: str) -> str:
    """What index terms must start with: the stem when it is a prefix of the folded word
    ("chantiers*" -> "chanti"), else the folded word itself ("mutu*" -> "mutu")."""
    stemmed, folded = stem(word), fold(word)
    return stemmed if folded.startswith(stemmed) else folded
