"""Three-way merge of two versions of a text made from the same base, line by line. Pure.

Used by the editor's conflict screen: what the author wrote and what was saved meanwhile, both
from the revision the author started from. Passages changed differently on both sides are kept
whole between conflict markers, so that no text of either side is lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import cast

from merge3 import ConflictRegion, Merge3

START, MIDDLE, END = "<" * 7, "=" * 7, ">" * 7
# A start line, a middle line and an end line, in this order: what is left of an unresolved merge.
_MARKERS = re.compile(rf"^{START}(?: .*)?$.*?^{MIDDLE}$.*?^{END}(?: .*)?$", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class Merged:
    text: str
    conflicts: int  # passages changed differently on both sides, left between markers

    @property
    def clean(self) -> bool:
        return self.conflicts == 0


def _lines(text: str) -> list[str]:
    # Every line ends with "\n", so that a marker never lands at the end of a line of text.
    return (text if text.endswith("\n") or not text else text + "\n").splitlines(keepends=True)


def merge_texts(base: str, yours: str, theirs: str, *, yours_label: str, theirs_label: str) -> Merged:
    """Your changes and theirs from `base` together; where both changed the same lines
    differently, your lines then theirs, between markers named by the labels."""
    origin, mine, other = _lines(base), _lines(yours), _lines(theirs)
    out: list[str] = []
    conflicts = 0
    for region in Merge3(origin, mine, other).merge_regions():
        kind = region[0]
        if kind == "unchanged":
            out.extend(origin[region[1] : region[2]])
        elif kind in ("a", "same"):
            out.extend(mine[region[1] : region[2]])
        elif kind == "b":
            out.extend(other[region[1] : region[2]])
        else:  # "conflict"
            _, _, _, a_lo, a_hi, b_lo, b_hi = cast(ConflictRegion, region)  # the kind says which tuple it is
            conflicts += 1
            out.append(f"{START} {yours_label}\n")
            out.extend(mine[a_lo:a_hi])
            out.append(f"{MIDDLE}\n")
            out.extend(other[b_lo:b_hi])
            out.append(f"{END} {theirs_label}\n")
    text = "".join(out)
    if text.endswith("\n") and not yours.endswith("\n"):
        text = text[:-1]
    return Merged(text=text, conflicts=conflicts)


def merge_line(base: str, yours: str, theirs: str) -> str | None:
    """A one-line value (a title) changed on either side: the changed one; None when both
    changed it differently."""
    if yours == theirs or theirs == base:
        return yours
    if yours == base:
        return theirs
    return None


def has_markers(text: str) -> bool:
    """Whether `text` still holds a conflict left by `merge_texts` (start, middle and end lines)."""
    return _MARKERS.search(text) is not None
