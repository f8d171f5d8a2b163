"""What every domain's schemas share: the base model, the checks on text, ids and times, the mailbox."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from praxis import text

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A username, once trimmed and lowercased: 2 to 64 characters, a-z, 0-9, "." "_" "-", not
# starting with a sign. USERNAME_HTML_PATTERN and USERNAME_MAX_LENGTH say the same to a form
# field (its `pattern` is matched against the whole value as typed, before the server trims and
# lowercases it); USERNAME_ERROR is the type of the error that says what is allowed.
USERNAME_PATTERN = r"^[a-z0-9][a-z0-9_.\-]{1,63}$"
USERNAME_HTML_PATTERN = r"\s*[A-Za-z0-9][A-Za-z0-9_.\-]{1,63}\s*"
USERNAME_MAX_LENGTH = 64
USERNAME_ERROR = "username_format"


def is_note_id(value: str) -> bool:
    """Whether a string has the shape of a note id (anything else names no note)."""
    return re.fullmatch(NOTE_ID_PATTERN, value) is not None


def _storable(value: str) -> str:
    # Only what XML and HTML can carry: the rule is praxis.text's (NUL, lone surrogates, other
    # controls, noncharacters are refused).
    return text.check(value)


def _username(value: str) -> str:
    if re.fullmatch(USERNAME_PATTERN, value) is None:
        raise PydanticCustomError(
            USERNAME_ERROR,
            "A username is 2 to 64 characters: letters a to z without accents, digits, and . _ -,"
            " starting with a letter or a digit",
        )
    return value


def _plausible_time(value: datetime) -> datetime:
    # Far-off years overflow when moved between time zones; no note is dated outside this range.
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    if not 1000 <= value.year <= 9998:
        raise ValueError("must be a date between the years 1000 and 9998")
    return value.astimezone(UTC)


def _one_line(value: str) -> str:
    if _CONTROL.search(value) or "\n" in value or "\r" in value:
        raise ValueError("must be a single line without control characters")
    return value


Title = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=300),
    AfterValidator(_storable),
    AfterValidator(_one_line),
]
Body = Annotated[str, StringConstraints(max_length=900_000), AfterValidator(_storable)]
Summary = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=500), AfterValidator(_storable), AfterValidator(_one_line)
]
DisplayName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_storable),
    AfterValidator(_one_line),
]
Username = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_lower=True),
    AfterValidator(_username),
    WithJsonSchema({"pattern": USERNAME_PATTERN, "type": "string"}),
]
# One mailbox, as mail servers read it: no display name, no list, no route (ASCII addresses).
EMAIL_PATTERN = (
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
EmailAddress = Annotated[str, StringConstraints(strip_whitespace=True, max_length=254, pattern=EMAIL_PATTERN)]
Timestamp = Annotated[datetime, AfterValidator(_plausible_time)]
NOTE_ID_PATTERN = r"^[A-Za-z0-9_\-]{1,32}$"
NoteId = Annotated[str, StringConstraints(pattern=NOTE_ID_PATTERN)]
RevisionNumber = Annotated[int, Field(ge=1, le=2_147_483_647)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class QueryParams(Strict):
    """Query-string parameters: an empty value means the parameter is absent."""

    @model_validator(mode="before")
    @classmethod
    def _empty_is_absent(cls, data: Any) -> Any:
        # "?kind=&author=" means no filter, as HTML forms send it.
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if v != ""}
        return data
