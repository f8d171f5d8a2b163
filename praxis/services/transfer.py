"""Import and export of notes as Markdown files with YAML front matter (the `content/` format)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

import frontmatter
import yaml
from pydantic import TypeAdapter, ValidationError
from sqlmodel import Session, select

from praxis import policy
from praxis.errors import Invalid
from praxis.markdown import slugify
from praxis.models import Note, User, utcnow
from praxis.schemas import DETAIL_FIELDS, Body, DisplayName, NoteDetails, Timestamp, Title, Username, is_note_id
from praxis.services import accounts, communities, links
from praxis.services import notes as note_service
from praxis.vocab import DEFAULT_LICENCE, KINDS, LICENCES, VISIBILITIES

T = TypeVar("T")
KIND_DIRS = {"note": "notes", "organisation": "organisations", "term": "lexique"}
_title = TypeAdapter(Title)
_body = TypeAdapter(Body)
_timestamp = TypeAdapter(Timestamp)
_username = TypeAdapter(Username)
_display_name = TypeAdapter(DisplayName)


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    files: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def _timezone(session: Session) -> ZoneInfo:
    return ZoneInfo(str(session.info.get("timezone", "America/Toronto")))


def _when(value: object, session: Session, name: str, where: str) -> datetime | None:
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
        return _timestamp.validate_python(value if value.tzinfo else value.replace(tzinfo=_timezone(session)))
    except ValidationError:
        raise Invalid(f"{where}: '{name}' must be between the years 1000 and 9998.", field=name) from None


def _authors(session: Session, value: object, where: str) -> list[User]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise Invalid(f"{where}: 'authors' must list at least one author.", field="authors")
    users: list[User] = []
    for item in value:
        if isinstance(item, dict) and item.get("username"):
            try:
                username = _username.validate_python(str(item["username"]))
                name = _display_name.validate_python(str(item.get("name") or username))
            except ValidationError:
                raise Invalid(f"{where}: author {item['username']!r} is not a valid username and name.", field="authors") from None
            user = accounts.get_user(session, username)
            if user is None:
                user = User(username=username, display_name=name)
                session.add(user)
                session.flush()
        elif isinstance(item, str):
            user = accounts.profile_for(session=session, name=item)
        else:
            raise Invalid(f"{where}: an author must be a name or {{username, name}}.", field="authors")
        if user not in users:
            users.append(user)
    return users


def _checked(where: str, name: str, validate: Callable[[], T]) -> T:
    """A front-matter value validated, or one clear error naming the file and the field."""
    try:
        return validate()
    except ValidationError as exc:
        first = exc.errors()[0]
        field_name = str(first["loc"][0]) if first["loc"] else name
        raise Invalid(f"{where}: {field_name}: {first['msg']}.", field=field_name) from None


def _read_file(session: Session, path: Path) -> tuple[str | None, note_service.NoteState, dict]:
    where = str(path)
    try:
        post = frontmatter.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise Invalid(f"{where}: not UTF-8 text.") from None
    except yaml.YAMLError as exc:
        raise Invalid(f"{where}: the front matter is not valid YAML ({exc.__class__.__name__}).") from None
    meta = post.metadata
    title = _checked(where, "title", lambda: _title.validate_python(meta.get("title")))
    body = _checked(where, "body", lambda: _body.validate_python(post.content))
    kind = meta.get("kind", "note")
    if not isinstance(kind, str) or kind not in KINDS:
        raise Invalid(f"{where}: unknown kind {kind!r}.", field="kind")
    visibility = meta.get("visibility", "public")
    if not isinstance(visibility, str) or visibility not in VISIBILITIES:
        raise Invalid(f"{where}: unknown visibility {visibility!r}.", field="visibility")
    community_id = meta.get("community")
    if community_id is not None and not (isinstance(community_id, str) and communities.get(session, community_id)):
        raise Invalid(f"{where}: unknown community {community_id!r}.", field="community")
    if visibility == "community" and community_id is None:
        raise Invalid(f"{where}: visibility 'community' needs a 'community'.", field="community")
    readers = meta.get("readers") or []
    if not isinstance(readers, list) or not all(isinstance(r, str) for r in readers):
        raise Invalid(f"{where}: 'readers' must be a list of usernames.", field="readers")
    reader_users = [accounts.get_user(session, r) for r in readers]
    if None in reader_users:
        raise Invalid(f"{where}: unknown user in 'readers'.", field="readers")
    licence = meta.get("licence", DEFAULT_LICENCE)
    if not isinstance(licence, str) or licence not in LICENCES:
        raise Invalid(f"{where}: unknown licence {licence!r}.", field="licence")
    links = meta.get("links") or []
    if not isinstance(links, list) or not all(isinstance(x, str) and is_note_id(x) for x in links):
        raise Invalid(f"{where}: 'links' must be a list of note ids.", field="links")
    note_id = meta.get("id")
    if note_id is not None and not (isinstance(note_id, str) and is_note_id(note_id)):
        raise Invalid(f"{where}: 'id' must be 1 to 24 letters, digits, '-' or '_'.", field="id")
    details = _checked(where, "details", lambda: NoteDetails.model_validate({k: meta[k] for k in DETAIL_FIELDS if k in meta}))
    state = note_service.NoteState(
        title=title, body=body, kind=kind, visibility=visibility, licence=licence,
        published_at=_when(meta.get("published"), session, "published", where),
        authors=_authors(session, meta.get("authors"), where), links=links,
        community_id=community_id, readers=reader_users,  # type: ignore[arg-type]
        details=note_service.kind_details(kind, details.model_dump(), strict=False),
    )
    dates = {
        "created": _when(meta.get("created"), session, "created", where),
        "updated": _when(meta.get("updated"), session, "updated", where),
    }
    return note_id, state, dates


def _files(path: Path) -> list[Path]:
    if path.is_file():
        if path.suffix != ".md":
            raise Invalid(f"{path}: not a Markdown (.md) file.")
        return [path]
    if path.is_dir():
        return sorted(p for p in path.rglob("*.md") if p.is_file() and not p.name.startswith("."))
    raise Invalid(f"{path}: no such file or folder.")


def import_path(*, session: Session, path: Path, actor: policy.Actor = None) -> ImportReport:
    """Import one .md file or a folder of them; a note whose id exists is updated, not duplicated.

    Every file is read and checked first; new notes are created next; links are set last, so
    links and wikilinks between imported notes resolve whatever the order of the files.
    """
    actor = actor or policy.SYSTEM
    report = ImportReport()
    parsed = [(file, *_read_file(session, file)) for file in _files(path)]
    created: dict[str, Note] = {}
    for file, note_id, state, dates in parsed:
        if note_id and session.get(Note, note_id) is not None:
            continue
        note = note_service.insert_note(
            session=session, actor=actor, state=replace(state, links=[]), note_id=note_id,
            created_at=dates["created"] or state.published_at or dates["updated"],
            updated_at=dates["updated"], summary="Import",
        )
        created[str(file)] = note
        report.created += 1
    for file, note_id, state, dates in parsed:
        report.files.append(str(file))
        if str(file) in created:
            links.link_new_note(session=session, note=created[str(file)], explicit=state.links)
            continue
        note = session.get(Note, note_id)
        assert note is not None
        old = note_service.current_state(session, note, note_service.list_author_ids(session, note.id))
        new = replace(state, links=links.known_ids(session, state.links))
        if old == new or note.deleted_at is not None:
            report.unchanged += 1
            continue
        note_service.apply_state(
            session=session, actor=actor, note=note, base_revision=note.revision, old=old, new=new,
            summary="Import", updated_at=dates["updated"] or utcnow(),
        )
        report.updated += 1
    return report


def _iso(value: datetime | None, tz: ZoneInfo) -> str | None:
    return value.astimezone(tz).isoformat() if value else None


def export_path(*, session: Session, path: Path, actor: policy.Actor = None) -> int:
    """Write every live note the actor may see as a .md file under `path`; return how many."""
    actor = actor or policy.SYSTEM
    tz = _timezone(session)
    notes = session.exec(select(Note).where(policy.visible_notes(actor)).order_by(Note.created_at, Note.id)).all()
    used: set[Path] = set()
    for note in notes:
        state = note_service.current_state(session, note, note_service.list_author_ids(session, note.id))
        meta = {
            "id": note.id,
            "title": note.title,
            "kind": note.kind,
            "authors": [{"username": u.username, "name": u.display_name} for u in state.authors],
            "published": _iso(note.published_at, tz),
            "created": _iso(note.created_at, tz),
            "updated": _iso(note.updated_at, tz),
            "visibility": note.visibility,
            "licence": note.licence,
        }
        meta.update(state.details)
        if state.links:
            meta["links"] = state.links
        if state.community_id:
            meta["community"] = state.community_id
        if state.readers:
            meta["readers"] = [u.username for u in state.readers]
        folder = path / KIND_DIRS[note.kind]
        target = folder / f"{note.slug or 'note'}.md"
        if target in used:
            target = folder / f"{note.slug or 'note'}-{slugify(note.id, 40) or 'x'}-{len(used)}.md"
        used.add(target)
        folder.mkdir(parents=True, exist_ok=True)
        post = frontmatter.Post(note.body, **meta)
        target.write_text(frontmatter.dumps(post, sort_keys=False, allow_unicode=True) + "\n", encoding="utf-8")
    return len(notes)
