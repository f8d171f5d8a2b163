"""A note file read and checked as its note: its id, its state, its dates (see `plan.check`,
which checks every file of an import before anything is written)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import frontmatter
import yaml
from pydantic import TypeAdapter
from sqlmodel import Session

from praxis.errors import Invalid
from praxis.notes import fields
from praxis.notes import notes as note_service
from praxis.people import accounts
from praxis.schemas import DETAIL_FIELDS, MAX_AUTHORS, MAX_READERS, Body, NoteDetails, Title, is_note_id
from praxis.transfer import front_matter
from praxis.vocab import DEFAULT_LICENCE, KINDS, LICENCES

_title = TypeAdapter(Title)
_body = TypeAdapter(Body)


def load(path: Path) -> frontmatter.Post:
    """A file's front matter and text, or an error naming the file."""
    try:
        post = frontmatter.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise Invalid(f"{path}: not UTF-8 text.") from None
    except yaml.YAMLError as exc:
        raise Invalid(f"{path}: the front matter is not valid YAML ({exc.__class__.__name__}).") from None
    return post


@dataclass
class Defaults:
    """What a file that says nothing of it is taken to say: the title its source gives it, its
    body with its links written again, who wrote it (`--author`), when it was last changed."""

    title: str | None = None
    body: str | None = None
    author: str | None = None
    modified: datetime | None = None
    visibility: str | None = None
    tags: list[str] = field(default_factory=list)  # the #tags of its text


_NO_AUTHOR = "no author: add 'authors:' to its front matter, or name who wrote what names nobody with --author NAME."
_NO_TITLE = "no title: add 'title:' to its front matter, or name the file."


def _first(meta: dict, *names: str) -> tuple[bool, object]:
    """Whether the front matter has one of these keys, and the value of the first it has."""
    for name in names:
        if name in meta:
            return True, meta[name]
    return False, None


def note_id_of(meta: dict, where: str) -> str | None:
    """A file's `id`: letters, digits, '-' and '_' (a number, as YAML reads 202401011200, too)."""
    note_id = meta.get("id")
    if isinstance(note_id, int) and not isinstance(note_id, bool) and note_id >= 0:
        note_id = str(note_id)
    if note_id is not None and not (isinstance(note_id, str) and is_note_id(note_id)):
        raise Invalid(
            f"{where}: 'id' must be 1 to 32 letters without accents, digits, '-' or '_' (found {note_id!r}); "
            "correct it, or remove it and Praxis chooses one.",
            field="id",
        )
    return note_id


def read_note(
    session: Session, path: Path | str, post: frontmatter.Post, defaults: Defaults | None = None
) -> tuple[str | None, note_service.NoteState, dict]:
    """A note's file as its id, its state and its dates, every value checked (people it names
    and the site lacks are made, and written unless `fields.checking_only`); `defaults`: what
    the file does not say."""
    where = str(path)
    meta = post.metadata
    given = defaults or Defaults()
    raw_title = meta.get("title")
    if isinstance(raw_title, int | float) and not isinstance(raw_title, bool):
        raw_title = str(raw_title)
    if "title" not in meta:
        raw_title = (given.title or "")[:300].strip()
        if not raw_title:
            raise Invalid(f"{where}: {_NO_TITLE}", field="title")
    elif not isinstance(raw_title, str):
        raise Invalid(f"{where}: title: must be text on one line.", field="title")
    elif not raw_title.strip():
        raise Invalid(
            f"{where}: title: empty; write one, or remove the line to name the note after its file.", field="title"
        )
    title = fields.checked(where, "title", lambda: _title.validate_python(raw_title))
    body = fields.checked(
        where, "body", lambda: _body.validate_python(given.body if given.body is not None else post.content)
    )
    kind = meta.get("kind", "note")
    if not isinstance(kind, str) or kind not in KINDS:
        raise Invalid(f"{where}: unknown kind {kind!r}.", field="kind")
    if "visibility" not in meta and given.visibility:
        meta = {**meta, "visibility": given.visibility}
    visibility, community_id = fields.visibility_and_community(session, meta, where)
    readers = meta.get("readers") or []
    if not isinstance(readers, list) or not all(isinstance(r, (str, dict)) for r in readers):
        raise Invalid(f"{where}: 'readers' must be a list of usernames or {{username, name}}.", field="readers")
    if len(readers) > MAX_READERS:
        raise Invalid(
            f"{where}: 'readers' names {len(readers)} people; a note names at most {MAX_READERS}.", field="readers"
        )
    # A username must exist; {username, name} (what export writes) becomes a profile if it does not.
    found = [
        accounts.get_user(session, r) if isinstance(r, str) else fields.people(session, r, where, "readers")[0]
        for r in readers
    ]
    reader_users = [user for user in found if user is not None]
    if len(reader_users) < len(found):
        raise Invalid(f"{where}: unknown user in 'readers'.", field="readers")
    licence = meta.get("licence", DEFAULT_LICENCE)
    if not isinstance(licence, str) or licence not in LICENCES:
        raise Invalid(f"{where}: unknown licence {licence!r}.", field="licence")
    links = meta.get("links") or []
    if not isinstance(links, list) or not all(isinstance(x, str) and is_note_id(x) for x in links):
        raise Invalid(f"{where}: 'links' must be a list of note ids.", field="links")
    note_id = note_id_of(meta, where)
    details = fields.checked(
        where, "details", lambda: NoteDetails.model_validate({k: meta[k] for k in DETAIL_FIELDS if k in meta})
    )
    has_authors, named = _first(meta, "authors", "author")
    if not has_authors or named is None:
        if not given.author:
            raise Invalid(f"{where}: {_NO_AUTHOR}", field="authors")
        named = [given.author]
    # Dates: as the front matter says them (Praxis, Obsidian, Hugo, Jekyll…), else the file's.
    has_published, published = _first(meta, "published", "date", "created")
    _, created = _first(meta, "created", "date", "published")
    _, updated = _first(meta, "updated", "modified", "lastmod")
    state = note_service.NoteState(
        title=title,
        body=body,
        kind=kind,
        visibility=visibility,
        licence=licence,
        published_at=fields.when(published, session, "published", where) if has_published else given.modified,
        authors=fields.people(session, named, where, limit=MAX_AUTHORS),
        links=links,
        community_id=community_id,
        readers=reader_users,
        details=note_service.kind_details(kind, details.model_dump(), strict=False),
        aliases=front_matter.aliases(meta, where),
        keywords=front_matter.keywords(meta, where, given.tags),
        properties=front_matter.properties(meta, where),
    )
    dates = {
        "created": fields.when(created, session, "created", where) or given.modified,
        "updated": fields.when(updated, session, "updated", where) or given.modified,
        "published_said": has_published,  # else the file's date, which an update does not move
    }
    return note_id, state, dates
