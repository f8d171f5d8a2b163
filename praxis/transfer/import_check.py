"""The first step of an import: every file read and checked, nothing written.

An import writes in short transactions (see transfer.import_path), so it can no longer undo what
a bad file found late would leave half done: it checks every file first, on a session that only
reads (on SQLite it takes no write lock), and refuses the whole import naming every bad file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
import yaml
from pydantic import TypeAdapter
from sqlmodel import Session

from praxis.db import reader_of
from praxis.errors import Invalid
from praxis.notes import fields
from praxis.notes import notes as note_service
from praxis.people import accounts
from praxis.schemas import DETAIL_FIELDS, MAX_AUTHORS, MAX_READERS, Body, NoteDetails, Title, is_note_id
from praxis.transfer import collection_files, front_matter
from praxis.vocab import DEFAULT_LICENCE, KINDS, LICENCES

_title = TypeAdapter(Title)
_body = TypeAdapter(Body)
_CHECKED_AT_ONCE = 500  # files checked in one read transaction: a long one keeps SQLite's WAL from being emptied


@dataclass
class Checked:
    """An import's files, every one checked: the notes' paths, and the carnets and bases as read."""

    notes: list[Path] = field(default_factory=list)
    carnets: list[tuple[Path, frontmatter.Post]] = field(default_factory=list)
    bases: list[tuple[Path, frontmatter.Post]] = field(default_factory=list)


def load(path: Path) -> frontmatter.Post:
    """A file's front matter and text, or an error naming the file."""
    try:
        post = frontmatter.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise Invalid(f"{path}: not UTF-8 text.") from None
    except yaml.YAMLError as exc:
        raise Invalid(f"{path}: the front matter is not valid YAML ({exc.__class__.__name__}).") from None
    return post


def read_note(session: Session, path: Path, post: frontmatter.Post) -> tuple[str | None, note_service.NoteState, dict]:
    """A note's file as its id, its state and its dates, every value checked (people it names
    and the site lacks are made, and written unless `fields.checking_only`)."""
    where = str(path)
    meta = post.metadata
    title = fields.checked(where, "title", lambda: _title.validate_python(meta.get("title")))
    body = fields.checked(where, "body", lambda: _body.validate_python(post.content))
    kind = meta.get("kind", "note")
    if not isinstance(kind, str) or kind not in KINDS:
        raise Invalid(f"{where}: unknown kind {kind!r}.", field="kind")
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
    note_id = meta.get("id")
    if note_id is not None and not (isinstance(note_id, str) and is_note_id(note_id)):
        raise Invalid(f"{where}: 'id' must be 1 to 32 letters, digits, '-' or '_'.", field="id")
    details = fields.checked(
        where, "details", lambda: NoteDetails.model_validate({k: meta[k] for k in DETAIL_FIELDS if k in meta})
    )
    state = note_service.NoteState(
        title=title,
        body=body,
        kind=kind,
        visibility=visibility,
        licence=licence,
        published_at=fields.when(meta.get("published"), session, "published", where),
        authors=fields.people(session, meta.get("authors"), where, limit=MAX_AUTHORS),
        links=links,
        community_id=community_id,
        readers=reader_users,
        details=note_service.kind_details(kind, details.model_dump(), strict=False),
        aliases=front_matter.aliases(meta, where),
        keywords=front_matter.keywords(meta, where),
        properties=front_matter.properties(meta, where),
    )
    dates = {
        "created": fields.when(meta.get("created"), session, "created", where),
        "updated": fields.when(meta.get("updated"), session, "updated", where),
    }
    return note_id, state, dates


def check_files(session: Session, files: list[Path], step: Callable[[int], None]) -> Checked:
    """Read and check every file, writing nothing; raise one error naming every bad file."""
    checked = Checked()
    problems: list[Invalid] = []
    note_ids: set[str] = set()
    with reader_of(session) as reader, fields.checking_only(reader), fields.remembering_people(reader):
        for number, file in enumerate(files, 1):
            try:
                post = load(file)
                kind = post.metadata.get("kind")
                if kind in ("carnet", "base"):
                    (checked.carnets if kind == "carnet" else checked.bases).append((file, post))
                else:
                    note_id, _state, _dates = read_note(reader, file, post)
                    if note_id:
                        note_ids.add(note_id)
                    checked.notes.append(file)
            except Invalid as exc:
                problems.append(exc)
            step(1)
            if number % _CHECKED_AT_ONCE == 0:
                reader.expunge_all()
                reader.rollback()
        # Carnets name notes of the import and bases carnets of the import, which do not exist yet.
        carnet_ids = {
            carnet_id for _file, post in checked.carnets if isinstance(carnet_id := post.metadata.get("id"), str)
        }  # a wrong id is its own file's problem, said below
        for file, post in checked.carnets + checked.bases:
            try:
                if post.metadata["kind"] == "carnet":
                    collection_files.check_carnet(reader, post.metadata, post.content, str(file), note_ids)
                else:
                    collection_files.import_base(
                        reader, post.metadata, post.content, str(file), carnet_ids, write=False
                    )
            except Invalid as exc:
                problems.append(exc)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise Invalid(
            f"{len(problems)} files cannot be imported; nothing was written:\n"
            + "\n".join(p.message for p in problems),
            field=problems[0].field,
        )
    return checked
