"""Reading and writing the values of front matter: dates, people, checked fields.

Shared by the files of notes and those of carnets and bases."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from functools import partial
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from pydantic import TypeAdapter, ValidationError
from sqlmodel import Session

from praxis.config import site_settings
from praxis.errors import Invalid
from praxis.models import User
from praxis.people import accounts, communities
from praxis.schemas import DisplayName, PersonName, Timestamp, Username
from praxis.vocab import VISIBILITIES

T = TypeVar("T")
_timestamp = TypeAdapter(Timestamp)
_username = TypeAdapter(Username)
_display_name = TypeAdapter(DisplayName)
_person_name = TypeAdapter(PersonName)


def timezone(session: Session) -> ZoneInfo:
    return ZoneInfo(site_settings(session).timezone)


def when(value: object, session: Session, name: str, where: str) -> datetime | None:
    """A front-matter date or date-time; a bare date is midnight in the site's time zone."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise Invalid(f"{where}: '{name}' is not an ISO 8601 date ({value!r}).", field=name) from None
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, time(0))
    if not isinstance(value, datetime):
        raise Invalid(f"{where}: '{name}' is not a date.", field=name)
    try:
        return _timestamp.validate_python(value if value.tzinfo else value.replace(tzinfo=timezone(session)))
    except ValidationError:
        raise Invalid(f"{where}: '{name}' must be between the years 1000 and 9998.", field=name) from None


# An import names the same people in thousands of files: within `remembering_people`, who a
# name is is asked of the database once.
_PEOPLE = "praxis_people_seen"


@contextmanager
def remembering_people(session: Session) -> Iterator[None]:
    session.info[_PEOPLE] = {}
    try:
        yield
    finally:
        session.info.pop(_PEOPLE, None)


# Within `checking_only`, people a file names who are not on the site yet are made as the write
# would make them but not added: an import checks every file before it writes anything.
_CHECKING = "praxis_checking_only"


@contextmanager
def checking_only(session: Session) -> Iterator[None]:
    session.info[_CHECKING] = True
    try:
        yield
    finally:
        session.info.pop(_CHECKING, None)


def _person(session: Session, key: tuple[str, str], find: Callable[[], T]) -> T:
    seen = session.info.get(_PEOPLE)
    if seen is None:
        return find()
    if seen.get(key) is None:
        seen[key] = find()
    return seen[key]


def people(
    session: Session,
    value: object,
    where: str,
    name: str = "authors",
    *,
    required: bool = True,
    limit: int | None = None,
) -> list[User]:
    """People named in front matter: usernames with names ({username, name}) or display names
    (which become profiles without login); `name` is the field, for errors; at most `limit`
    (checked before anyone is looked up or created)."""
    if isinstance(value, (str, dict)):
        value = [value]
    if value is None and not required:
        return []
    if not isinstance(value, list) or (required and not value):
        raise Invalid(f"{where}: '{name}' must list at least one person.", field=name)
    if limit is not None and len(value) > limit:
        raise Invalid(f"{where}: '{name}' names {len(value)} people; a note names at most {limit}.", field=name)
    users: list[User] = []
    seen: set[int | None] = set()  # by id: comparing models one to another made long lists quadratic
    for item in value:
        if isinstance(item, dict) and item.get("username"):
            try:
                username = _username.validate_python(str(item["username"]))
                display = _display_name.validate_python(str(item.get("name") or username))
            except ValidationError:
                raise Invalid(
                    f"{where}: {name}: {item['username']!r} is not a valid username and name.", field=name
                ) from None
            user = _person(session, ("username", username), partial(accounts.get_user, session, username))
            if user is None:
                user = User(username=username, display_name=display, **_citation_name(item, where, name))
                if not session.info.get(_CHECKING):
                    session.add(user)
                    session.flush()
                if session.info.get(_PEOPLE) is not None:
                    session.info[_PEOPLE][("username", username)] = user
        elif isinstance(item, str):
            try:
                user = _person(
                    session,
                    ("name", item),
                    partial(accounts.profile_for, session=session, name=item, create=not session.info.get(_CHECKING)),
                )
            except Invalid as exc:  # a name accounts.author_name refuses, said with the file and the field
                raise Invalid(f"{where}: {name}: {exc.message}", field=name) from None
        else:
            raise Invalid(f"{where}: {name}: each must be a name or {{username, name}}.", field=name)
        if user.id not in seen:
            seen.add(user.id)
            users.append(user)
    return users


def visibility_and_community(session: Session, meta: dict, where: str) -> tuple[str, str | None]:
    """A file's `visibility` and `community`: a known level, an existing community, and a
    community whenever the visibility is `community`."""
    visibility = meta.get("visibility", "public")
    if not isinstance(visibility, str) or visibility not in VISIBILITIES:
        raise Invalid(f"{where}: unknown visibility {visibility!r}.", field="visibility")
    community_id = meta.get("community")
    if community_id is not None and not (isinstance(community_id, str) and communities.get(session, community_id)):
        raise Invalid(f"{where}: unknown community {community_id!r}.", field="community")
    if visibility == "community" and community_id is None:
        raise Invalid(f"{where}: visibility 'community' needs a 'community'.", field="community")
    return visibility, community_id


def checked(where: str, name: str, validate: Callable[[], T]) -> T:
    """A front-matter value validated, or one clear error naming the file and the field."""
    try:
        return validate()
    except ValidationError as exc:
        first = exc.errors()[0]
        field_name = str(first["loc"][0]) if first["loc"] else name
        raise Invalid(f"{where}: {field_name}: {first['msg']}.", field=field_name) from None


def iso(value: datetime | None, tz: ZoneInfo) -> str | None:
    return value.astimezone(tz).isoformat() if value else None


def person(user: User) -> dict[str, Any]:
    """A person as front matter names them, with how citations name them when set."""
    out: dict[str, Any] = {"username": user.username, "name": user.display_name}
    if user.family_name:
        out["family"] = user.family_name
        if user.given_name:
            out["given"] = user.given_name
    if user.is_organisation:
        out["organisation"] = True
    return out


def _citation_name(item: dict, where: str, field: str) -> dict[str, Any]:
    """`family`, `given` and `organisation` of a front-matter person, checked."""
    try:
        family = _person_name.validate_python(item.get("family") or "") or None
        given = _person_name.validate_python(item.get("given") or "") or None
    except ValidationError:
        raise Invalid(f"{where}: {field}: 'family' and 'given' must be names on one line.", field=field) from None
    organisation = item.get("organisation", False)
    if not isinstance(organisation, bool):
        raise Invalid(f"{where}: {field}: 'organisation' must be true or false.", field=field)
    return {"family_name": family, "given_name": given if family else None, "is_organisation": organisation}
