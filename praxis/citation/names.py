"""People as citations name them: a family name and given names, or one whole name."""

from __future__ import annotations

import re
from dataclasses import dataclass

from nameparser import HumanName
from nameparser.config import Constants

# nameparser's vocabulary is English first: add French titles and suffixes ("Sœur", "fils") and
# the particles of names common in Québec (Maghrebi "El", "Ben", "Aït"), in an instance of our
# own rather than in the library's shared constants.
_NAMES = Constants()
_NAMES.titles.add("sœur", "soeur", "frère", "frere", "abbé", "abbe", "mère", "mme", "mlle", "pr")
_NAMES.suffix_not_acronyms.add("fils", "père")
_NAMES.prefixes.add("el", "ben", "bou", "abd", "ait", "aït")


@dataclass(frozen=True)
class Person:
    """An author as a citation names them.

    `family` is None for an organisation (a profile marked as one) or a single name
    ("Béatrice", "Abbé Pierre"), which every style writes whole, never inverted or abbreviated.
    """

    display: str  # the name the site shows ("Marie-Hélène Laurence")
    family: str | None = None  # "Laurence", "de La Fontaine"
    given: str | None = None  # "Marie-Hélène"
    suffix: str | None = None  # "Jr.", "fils"

    @property
    def whole(self) -> bool:
        return self.family is None

    @property
    def inverted(self) -> str:
        """ "Laurence, Marie-Hélène" (or the whole name)."""
        if self.family is None:
            return self.display
        parts = [self.family, self.given, self.suffix]
        return ", ".join(p for p in parts if p)

    @property
    def natural(self) -> str:
        """ "Marie-Hélène Laurence" as styles write the second and later authors."""
        if self.family is None:
            return self.display
        text = " ".join(p for p in (self.given, self.family) if p)
        return f"{text}, {self.suffix}" if self.suffix else text


def person(display: str, *, family: str | None = None, given: str | None = None, organisation: bool = False) -> Person:
    """How to cite someone: their own family/given names when they set them, their display name
    whole for an organisation, otherwise the display name split by nameparser (particles such
    as "de La" stay with the family name, titles such as "Dr" or "Sœur" are dropped, "fils"
    and "Jr." are suffixes)."""
    display = " ".join(display.split())
    if organisation:
        return Person(display)
    if family and family.strip():
        return Person(display, family.strip(), (given or "").strip() or None)
    name = HumanName(display, constants=_NAMES)
    given_names = " ".join(p for p in (name.first, name.middle) if p)
    if not name.last or not given_names:
        return Person(display)  # a single name: nothing to invert
    return Person(display, name.last, given_names, name.suffix or None)


_WORD = re.compile(r"[^\W\d_]", re.UNICODE)


def initials(given: str) -> str:
    """APA initials: "Marie-Hélène" → "M.-H.", "Jean Paul" → "J. P.", "Émile" → "É."."""
    words = []
    for word in given.split():
        parts = []
        for part in word.split("-"):
            letter = _WORD.search(part)
            if letter:
                parts.append(letter.group(0).upper() + ".")
        if parts:
            words.append("-".join(parts))
    return " ".join(words)
