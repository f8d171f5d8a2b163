"""Page titles and namespaces as MediaWiki writes them: "Fichier:Logo_ADN.png" is file "Logo ADN.png"."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

# The names every MediaWiki answers to whatever its language, and "Image", the file namespace's
# old name, still accepted in links.
CANONICAL_NAMESPACES: dict[int, str] = {
    -2: "Media",
    -1: "Special",
    0: "",
    1: "Talk",
    2: "User",
    3: "User talk",
    4: "Project",
    5: "Project talk",
    6: "File",
    7: "File talk",
    8: "MediaWiki",
    9: "MediaWiki talk",
    10: "Template",
    11: "Template talk",
    12: "Help",
    13: "Help talk",
    14: "Category",
    15: "Category talk",
}
_ALIASES = {"Image": 6, "Image talk": 7}

# A French MediaWiki's names, for wikitext converted without the namespaces of its export.
FRENCH_NAMESPACES: dict[int, str] = {
    -2: "Média",
    -1: "Spécial",
    0: "",
    1: "Discussion",
    2: "Utilisateur",
    3: "Discussion utilisateur",
    6: "Fichier",
    7: "Discussion fichier",
    8: "MediaWiki",
    9: "Discussion MediaWiki",
    10: "Modèle",
    11: "Discussion modèle",
    12: "Aide",
    13: "Discussion aide",
    14: "Catégorie",
    15: "Discussion catégorie",
}

MAIN, TALK, FILE, TEMPLATE, CATEGORY, MEDIA = 0, 1, 6, 10, 14, -2


def normalize_title(text: str, *, first_letter: bool = True) -> str:
    """A title as MediaWiki stores it: NFC, underscores as spaces, spaces collapsed, and (as on
    most wikis, `case` "first-letter") the first letter in upper case: " chat_noir" -> "Chat noir"."""
    title = " ".join(unicodedata.normalize("NFC", text).replace("_", " ").split())
    if first_letter and title:
        upper = title[0].upper()
        if len(upper) == 1:  # "ß".upper() is "SS": MediaWiki leaves such letters as they are
            title = upper + title[1:]
    return title


def _key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).replace("_", " ").split()).casefold()


class Namespaces:
    """A wiki's namespaces: number -> local name, and any name or alias -> number."""

    def __init__(self, names: Mapping[int, str] | None = None, *, case: str = "first-letter") -> None:
        self.names = dict(CANONICAL_NAMESPACES) | dict(names if names is not None else FRENCH_NAMESPACES)
        self.first_letter = case != "case-sensitive"
        self._numbers = {_key(name): number for number, name in CANONICAL_NAMESPACES.items() if name}
        self._numbers |= {_key(name): number for name, number in _ALIASES.items()}
        self._numbers |= {_key(name): number for number, name in self.names.items() if name}

    def number(self, prefix: str) -> int | None:
        """The namespace a prefix names ("catégorie", "Category", "Image"…), or None."""
        return self._numbers.get(_key(prefix))

    def split(self, title: str) -> tuple[int, str]:
        """(namespace, title within it) of a full title: "Fichier:Logo.png" -> (6, "Logo.png");
        a prefix that names no namespace is part of a main-namespace title ("Chantier : bilan")."""
        prefix, colon, rest = title.partition(":")
        number = self.number(prefix) if colon else None
        if number is None:
            return MAIN, normalize_title(title, first_letter=self.first_letter)
        return number, normalize_title(rest, first_letter=self.first_letter)
