"""Where files are served: a note's files under the note, draft uploads under `/envois/`."""

from __future__ import annotations

from urllib.parse import quote

DRAFTS = "/envois/"


def file_path(note_id: str, attachment_id: str, name: str) -> str:
    return f"{file_prefix(note_id, attachment_id)}{quote(name, safe='')}"


def thumbnail_path(note_id: str, attachment_id: str) -> str:
    return f"{file_prefix(note_id, attachment_id)}thumb"


def file_prefix(note_id: str, attachment_id: str) -> str:
    """What a note file's path and its thumbnail's begin with."""
    return f"/n/{quote(note_id, safe='')}/files/{quote(attachment_id, safe='')}/"


def draft_path(attachment_id: str, name: str) -> str:
    return f"{draft_prefix(attachment_id)}{quote(name, safe='')}"


def draft_thumbnail_path(attachment_id: str) -> str:
    return f"{draft_prefix(attachment_id)}thumb"


def draft_prefix(attachment_id: str) -> str:
    return f"{DRAFTS}{quote(attachment_id, safe='')}/"
