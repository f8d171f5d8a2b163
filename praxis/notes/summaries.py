"""The summaries of revisions that Praxis writes itself ("Restauration de la révision 2"): stored in
French, the interface's source language, as every revision written so far has them, and shown in
the reader's language. What people write as a summary is shown as they wrote it."""

from __future__ import annotations

import re
from typing import NamedTuple

from praxis import i18n
from praxis.i18n import N_


class Generated(NamedTuple):
    message: str  # a message id with %(name)s placeholders: what is stored, in French
    pattern: re.Pattern[str]  # the same sentence as stored, with its values as named groups


VALUES = {"number": r"\d+"}


def _generated(message: str) -> Generated:
    # "Restauration de la révision %(number)s" -> Restauration\ de\ la\ révision\ (?P<number>\d+): a
    # number is digits, a name anything (summaries people write are told apart by everything else).
    parts = re.split(r"%\((\w+)\)s", message)
    pattern = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>{VALUES.get(part, '.+')})" for i, part in enumerate(parts)
    )
    return Generated(message, re.compile(pattern))


RESTORED = _generated(N_("Restauration de la révision %(number)s"))
COAUTHOR_ADDED = _generated(N_("Ajout de %(name)s comme co-auteur·trice"))
COAUTHOR_ACCEPTED = _generated(N_("%(name)s accepte de co-signer"))
AUTHOR_LEFT = _generated(N_("%(name)s se retire des auteur·trices"))
AUTHOR_REMOVED = _generated(N_("Retrait de %(name)s des auteur·trices"))
IMPORTED = _generated(N_("Import"))
GENERATED = (RESTORED, COAUTHOR_ADDED, COAUTHOR_ACCEPTED, AUTHOR_LEFT, AUTHOR_REMOVED, IMPORTED)


def written(kind: Generated, **values: object) -> str:
    """The summary as it is stored (in French, whatever the language of who acted)."""
    return kind.message % values


def shown(summary: str | None) -> tuple[str | None, bool]:
    """A stored summary in the current language, and whether Praxis wrote it (then it speaks the
    interface's language; otherwise it is what someone wrote, in the content's)."""
    if not summary:
        return summary, False
    for kind in GENERATED:
        if (found := kind.pattern.fullmatch(summary)) is not None:
            return i18n.gettext(kind.message) % found.groupdict(), True
    return summary, False
