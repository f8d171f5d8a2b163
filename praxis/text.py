"""What text may hold: one rule for every way text comes in, and its repair for what goes out.

Praxis keeps only characters that XML 1.0 and HTML can both carry, so that whatever a note,
a comment or a profile holds can be written into an Atom feed or a page. Refused:
- C0 controls other than tab, line feed and carriage return (XML 1.0 cannot carry them at all);
- DEL and the C1 controls U+0080–U+009F (allowed by XML 1.0, but HTML calls them errors);
- lone surrogates (not Unicode text; PostgreSQL cannot store them);
- the 66 noncharacters: U+FDD0–U+FDEF and the last two code points of every plane (U+FFFE and
  U+FFFF cannot be in XML, the others are errors in HTML).

Incoming text is refused, not silently changed (`check`): the writer learns what is wrong and
where. What was stored before the rule existed is repaired on the way out (`xml_safe`).
"""

from __future__ import annotations

import re

from pydantic_core import PydanticCustomError

_NONCHARACTERS = "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef" + re.escape(_NONCHARACTERS) + "]"
)

# The pydantic error type of a refused character: forms show it in the reader's language.
ERROR_TYPE = "forbidden_character"


def first_forbidden(value: str) -> tuple[int, str] | None:
    """The position and the character of the first character text may not hold, if any."""
    found = FORBIDDEN.search(value)
    return (found.start(), found.group()) if found else None


def describe(position: int, char: str) -> str:
    """ "U+FFFF at position 2": a character nobody can see, named so it can be found."""
    return f"U+{ord(char):04X} at position {position + 1}"


def check(value: str) -> str:
    """The value as it is, or a validation error naming the first character it may not hold."""
    found = first_forbidden(value)
    if found is not None:
        raise PydanticCustomError(
            ERROR_TYPE,
            "contains a character that text cannot hold ({where}): a control character or a noncharacter",
            {"where": describe(*found)},
        )
    return value


def xml_safe(value: str) -> str:
    """The value without the characters XML and HTML cannot carry (text stored before the rule)."""
    return FORBIDDEN.sub("", value)
