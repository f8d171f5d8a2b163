"""People named as others type them: a username or a display name, or words of one (case,
accents and apostrophes ignored): the suggestions of the pickers, and the names typed in a form
without them (the editor's authors and readers, the members of a carnet or a base)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from praxis import policy
from praxis.errors import Invalid
from praxis.i18n import N_
from praxis.markdown import fold, match_words, words_match
from praxis.models import User
from praxis.schemas import UserSuggestion

SUGGEST_PEOPLE_WINDOW = 5000
# The most people offered to choose from, for one name that several match.
CHOICES = 10

# (id, username, display name); and the same with how well it matches (0: the same name).
Person = tuple[int, str, str]


def suggest_people(*, session: Session, actor: User | None, q: str, limit: int = 10) -> list[UserSuggestion]:
    """Active people whose username or display name has words starting with each word of `q`,
    case, accents and apostrophes ignored, as notes are suggested (for the editor's authors and
    readers fields; signed-in people only): the username itself first, then names that start with
    the query, then the others, by username."""
    policy.require_signed_in(actor)
    return [UserSuggestion(username=u, display_name=d) for _id, u, d in matching_people(session, q)[:limit]]


def named_person(session: Session, typed: str) -> str:
    """The username a member form's field names (see `people_named`); Invalid listing them when
    several match; what was typed when nobody does (refused then as an unknown username)."""
    found = people_named(session=session, names=[typed]).get(typed.strip(), [])
    if len(found) == 1:
        return found[0].username
    if len(found) > 1:
        names = ", ".join(f"{p.display_name} ({p.username})" for p in found)
        raise Invalid(
            f"Several people match: {names}.",
            field="username",
            text=N_("Plusieurs personnes correspondent : %(names)s. Indiquez un nom d'utilisateur."),
            params={"names": names},
        )
    return typed


def people_named(*, session: Session, names: Sequence[str], limit: int = CHOICES) -> dict[str, list[UserSuggestion]]:
    """The people each name (stripped) names. One when it is decided: a username (of any account,
    case ignored), else the one active person with that username or display name (case, accents,
    apostrophes ignored), else the one whose username or display name has words starting with
    its words. Several to choose from: the people with that name, else those it matches, the best
    first. None: an empty list. Two queries, whatever the number of names."""
    wanted = list(dict.fromkeys(name.strip() for name in names if name.strip()))
    named: dict[str, list[UserSuggestion]] = {name: [] for name in wanted if "\x00" in name}
    lowered = {name: name.lower() for name in wanted if name not in named and len(name) <= 64}
    accounts = dict(
        session.exec(
            select(User.username, User.display_name).where(col(User.username).in_(list(set(lowered.values()))))
        ).all()
    )
    for name, username in lowered.items():
        if username in accounts:
            named[name] = [UserSuggestion(username=username, display_name=accounts[username])]
    rest = [name for name in wanted if name not in named]
    rows = _active_people(session) if rest else []
    for name in rest:
        found = _ranked(rows, name)
        same = [person for score, person in found if score == 0]
        named[name] = [
            UserSuggestion(username=username, display_name=display_name)
            for _id, username, display_name in (same or [person for _score, person in found])[:limit]
        ]
    return named


def matching_people(session: Session, q: str) -> list[Person]:
    """(id, username, display name) of the active people whose username or display name has
    words starting with each word of `q` (case, accents and apostrophes ignored): the username
    itself first, then names that start with the query, then the others, by username."""
    if not match_words(q) or "\x00" in q:
        return []
    return [person for _score, person in _ranked(_active_people(session), q)]


def _active_people(session: Session) -> list[Person]:
    # Display names are not stored folded: the matching is done here, over the active accounts.
    rows = session.exec(
        select(User.id, User.username, User.display_name)
        .where(col(User.is_active).is_(True))
        .order_by(User.username)
        .limit(SUGGEST_PEOPLE_WINDOW)
    ).all()
    return [(user_id, username, display_name) for user_id, username, display_name in rows if user_id is not None]


def _ranked(people: Sequence[Person], q: str) -> list[tuple[int, Person]]:
    """The people `q` matches, the best first, each with how well (0: the same name)."""
    query = match_words(q)
    if not query or "\x00" in q:
        return []
    asked = " ".join(query)
    ranked = []
    for person in people:
        _id, username, display_name = person
        scores = [s for s in (words_match(query, username), words_match(query, display_name)) if s is not None]
        if scores:
            ranked.append((fold(username) != asked, min(scores), username, display_name, person))
    return [(score, person) for _exact, score, *_, person in sorted(ranked)]
