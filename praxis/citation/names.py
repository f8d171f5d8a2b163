"""People as citations name them: a family name and given names, or one whole name."""

from __future__ import annotations

import re
from dataclasses import dataclass

from nameparser import HumanName


@dataclass(frozen=True)
class Person:
    """An author as a citation names them.

    `family` is None for an organisation or a single name ("Collectif Mauricie"), which every
    style writes whole and never inverts or abbreviates.
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
    as "de La" stay with the family name, titles such as "Dr" are dropped)."""
    display = " ".join(display.split())
    if organisation:
        return Person(display)
    if family and family.strip():
        return Person(display, family.strip(), (given or "").strip() or None)
    name = HumanName(display)
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
