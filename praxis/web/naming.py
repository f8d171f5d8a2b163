"""The editor's fields that name people and notes (authors, readers, "Liens"), read as typed: a
username or a display name, a title, part of one, an id or "Titre [id]". A name that one person
or note matches is taken; one that several match comes back with them to choose from (radio
buttons, which work without JavaScript); one that none matches is said, naming it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlmodel import Session

from praxis import i18n
from praxis.i18n import N_
from praxis.notes import service as note_service
from praxis.people import service as people_service
from praxis.policy import Actor
from praxis.schemas import MAX_AUTHORS, MAX_LINKS, MAX_READERS, NoteRef, UserSuggestion
from praxis.web.forms import FormInvalid, split_list

T = TypeVar("T")

# The fields, and how many names each may hold (more is refused before anything is looked up).
PEOPLE_FIELDS = {"authors": MAX_AUTHORS, "readers": MAX_READERS}
# How many groups of choices one form post may answer, per field.
MAX_PICKS = 20

TOO_MANY = N_("Il y a trop d'éléments.")
NO_PERSON = N_("Aucune personne ne correspond à ces noms : %(names)s.")
SEVERAL_PEOPLE = N_("Plusieurs personnes correspondent à %(names)s. Choisissez la bonne sous le champ.")
NO_NOTE = N_("Aucune note ne correspond à ces liens : %(names)s.")
SEVERAL_NOTES = N_("Plusieurs notes correspondent à %(names)s. Choisissez la bonne sous le champ.")


@dataclass(frozen=True)
class Choice:
    """One of the people or notes a name may mean."""

    value: str  # what the field holds instead of the name, once chosen: a username, "Titre [id]"
    label: str  # a display name, a title
    detail: str = ""  # a username
    kind: str = ""  # a note's kind
    url: str = ""  # a note's page


@dataclass(frozen=True)
class Unclear:
    """A name that several people or notes match, and those to choose from."""

    typed: str
    choices: list[Choice]


class InvalidWithChoices(FormInvalid):
    """The editor's form refused, a message per field, with the choices offered for the names
    that several people or notes match (`unclear`, per field)."""

    def __init__(self, errors: dict[str, str], unclear: Mapping[str, list[Unclear]]) -> None:
        super().__init__(errors)
        self.unclear = dict(unclear)


def _items(name: str, text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()] if name == "links" else split_list(text)


def apply_picks(form: Any, values: dict[str, Any]) -> None:
    """The choices picked among those the editor offered (`pick-FIELD-N`, for the name sent as
    `pick-FIELD-N-typed`) take the place of the names they were offered for, in `values`."""
    for name in ("links", *PEOPLE_FIELDS):
        for n in range(MAX_PICKS):
            typed, chosen = form.get(f"pick-{name}-{n}-typed"), form.get(f"pick-{name}-{n}")
            if not (isinstance(typed, str) and isinstance(chosen, str) and typed.strip() and chosen.strip()):
                continue
            items = _items(name, values.get(name, ""))
            if typed.strip() in items:
                picked = [chosen.strip() if item == typed.strip() else item for item in items]
                values[name] = ("\n" if name == "links" else ", ").join(picked)


def read_names(
    session: Session, actor: Actor, values: Mapping[str, Any], fields: dict[str, Any]
) -> tuple[dict[str, str], dict[str, list[Unclear]]]:
    """Put in `fields` the usernames and the note ids that the editor's fields name (an emptied
    "Liens" removes every link, when a note is saved). What is left to correct: a message per
    field (in the reader's language), and the names several people or notes match, per field."""
    errors: dict[str, str] = {}
    unclear: dict[str, list[Unclear]] = {}
    for name, most in PEOPLE_FIELDS.items():
        if not fields.get(name):
            continue
        typed = fields[name]
        if len(typed) > most:
            errors[name] = i18n.gettext(TOO_MANY)
            continue
        people = people_service.people_named(session=session, names=typed)
        fields[name] = [found[0].username for found in (people[t] for t in typed) if len(found) == 1]
        _sort(name, people, errors, unclear, NO_PERSON, SEVERAL_PEOPLE, _person_choices)
    if "links" in values or "base_revision" in values:
        lines = _items("links", values.get("links", ""))
        if len(lines) > MAX_LINKS:
            errors["links"] = i18n.gettext(TOO_MANY)
        else:
            notes = note_service.notes_named(session=session, actor=actor, names=lines)
            fields["links"] = [found[0].id for found in (notes[line] for line in lines) if len(found) == 1]
            _sort("links", notes, errors, unclear, NO_NOTE, SEVERAL_NOTES, _note_choices)
    return errors, unclear


def _sort(
    name: str,
    found: Mapping[str, Sequence[T]],
    errors: dict[str, str],
    unclear: dict[str, list[Unclear]],
    none: str,
    several: str,
    choices: Callable[[Sequence[T]], list[Choice]],
) -> None:
    """Say, for the field `name`, the names nothing matches and those several things match."""
    missing = [typed for typed, matches in found.items() if not matches]
    many = [typed for typed, matches in found.items() if len(matches) > 1]
    said = []
    if missing:
        said.append(i18n.gettext(none) % {"names": ", ".join(typed.replace("\x00", "") for typed in missing)})
    if many:
        said.append(i18n.gettext(several) % {"names": ", ".join(many)})
        unclear[name] = [Unclear(typed, choices(found[typed])) for typed in many[:MAX_PICKS]]
    if said:
        errors[name] = " ".join(said)


def _person_choices(people: Sequence[UserSuggestion]) -> list[Choice]:
    return [Choice(value=p.username, label=p.display_name, detail=p.username) for p in people]


def _note_choices(notes: Sequence[NoteRef]) -> list[Choice]:
    return [
        Choice(value=note_service.link_line(n, with_id=True), label=n.title, kind=n.kind, url=f"/n/{n.id}/")
        for n in notes
    ]
