"""Import and export as Markdown files with YAML front matter (the `content/` format).

Notes are files under notes/, organisations/ and lexique/; carnets (`kind: carnet`) and bases
(`kind: base`) are files under carnets/ and bases/. A carnet or a base also exports as a ZIP of
the same files plus `manifest.yaml`, and `import` takes that ZIP as it is.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

import frontmatter
import yaml
from pydantic import TypeAdapter
from sqlmodel import Session, select

from praxis import policy, text
from praxis.db import analyze_own_writes
from praxis.errors import Invalid
from praxis.markdown import slugify
from praxis.models import Carnet, CarnetEntry, KnowledgeBase, Note, utcnow
from praxis.schemas import DETAIL_FIELDS, MAX_AUTHORS, MAX_READERS, Body, NoteDetails, Title, is_note_id
from praxis.services import accounts, collection_files, fields, links
from praxis.services import notes as note_service
from praxis.services.urls import site_url
from praxis.vocab import DEFAULT_LICENCE, KINDS, LICENCES

KIND_DIRS = {"note": "notes", "organisation": "organisations", "term": "lexique", "carnet": "carnets", "base": "bases"}
_title = TypeAdapter(Title)
_body = TypeAdapter(Body)
MAX_ARCHIVE_BYTES = 200 * 1024 * 1024  # unpacked; a larger ZIP is refused rather than filling the disk
ARCHIVE_FORMAT = "praxis-export/1"


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    carnets: int = 0
    bases: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def _load(path: Path) -> frontmatter.Post:
    try:
        post = frontmatter.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise Invalid(f"{path}: not UTF-8 text.") from None
    except yaml.YAMLError as exc:
        raise Invalid(f"{path}: the front matter is not valid YAML ({exc.__class__.__name__}).") from None
    return post


def _read_file(session: Session, path: Path, post: frontmatter.Post) -> tuple[str | None, note_service.NoteState, dict]:
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
        raise Invalid(f"{where}: 'readers' names {len(readers)} people; a note names at most {MAX_READERS}.", field="readers")
    # A username must exist; {username, name} (what export writes) becomes a profile if it does not.
    reader_users = [accounts.get_user(session, r) if isinstance(r, str) else fields.people(session, r, where, "readers")[0]
                    for r in readers]
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
        raise Invalid(f"{where}: 'id' must be 1 to 32 letters, digits, '-' or '_'.", field="id")
    details = fields.checked(where, "details", lambda: NoteDetails.model_validate({k: meta[k] for k in DETAIL_FIELDS if k in meta}))
    state = note_service.NoteState(
        title=title, body=body, kind=kind, visibility=visibility, licence=licence,
        published_at=fields.when(meta.get("published"), session, "published", where),
        authors=fields.people(session, meta.get("authors"), where, limit=MAX_AUTHORS), links=links,
        community_id=community_id, readers=reader_users,  # type: ignore[arg-type]
        details=note_service.kind_details(kind, details.model_dump(), strict=False),
    )
    dates = {
        "created": fields.when(meta.get("created"), session, "created", where),
        "updated": fields.when(meta.get("updated"), session, "updated", where),
    }
    return note_id, state, dates


def count_files(path: Path) -> int:
    """How many files an import of `path` reads (for its progress: twice this many steps)."""
    if path.is_file() and path.suffix == ".zip":
        try:
            with zipfile.ZipFile(path) as zf:
                return sum(1 for name in zf.namelist() if name.endswith(".md"))
        except zipfile.BadZipFile:
            return 1  # the import says what is wrong
    return len(_files(path))


def _files(path: Path) -> list[Path]:
    if path.is_file():
        if path.suffix != ".md":
            raise Invalid(f"{path}: not a Markdown (.md) file or a ZIP export.")
        return [path]
    if path.is_dir():
        return sorted(p for p in path.rglob("*.md") if p.is_file() and not p.name.startswith("."))
    raise Invalid(f"{path}: no such file or folder.")


# Files are read and notes written and linked this many at a time, in a few statements each time;
# after each batch what the session holds is let go, so an import of a million notes keeps a
# small session and keeps in memory only what linking needs.
_BATCH = 500


def _batches(items: list, size: int = _BATCH):  # type: ignore[no-untyped-def,type-arg]
    for start in range(0, len(items), size):
        yield items[start:start + size]


def import_path(*, session: Session, path: Path, actor: policy.Actor = None,
                progress: Callable[[int], None] | None = None) -> ImportReport:
    """Import one .md file or a folder of them; a note whose id exists is updated, not duplicated.

    New notes are written first, then linked, so links and wikilinks between imported notes
    resolve whatever the order of the files; notes that exist are updated next, carnets and
    bases last. One transaction: a bad file stops the import and nothing is kept. `progress` is
    called with how many steps are done, twice the files in all (a note counts once written,
    once linked or updated; a carnet or base file once read, once imported).
    """
    if path.is_file() and path.suffix == ".zip":
        with tempfile.TemporaryDirectory(prefix="praxis-import-") as folder:
            _unpack(path, Path(folder))
            return import_path(session=session, path=Path(folder), actor=actor, progress=progress)
    with fields.remembering_people(session):
        return _import_files(session, _files(path), actor or policy.SYSTEM, progress or (lambda _n: None))


def _import_files(session: Session, files: list[Path], actor: policy.Actor, step: Callable[[int], None]) -> ImportReport:
    report = ImportReport()
    collections: list[tuple[Path, frontmatter.Post]] = []
    to_link: list[tuple[str, list[str]]] = []  # new notes: (id, explicit links), linked once all exist
    to_update: list[tuple[str, note_service.NoteState, dict]] = []  # files of notes that exist
    taken: set[str] = set()
    # Read, check and write 500 files at a time: only what linking needs is kept, not the files.
    for batch in _batches(files):
        notes = []
        for file in batch:
            post = _load(file)
            if post.metadata.get("kind") in ("carnet", "base"):
                collections.append((file, post))
            else:
                notes.append(_read_file(session, file, post))
        wanted = [note_id for note_id, _state, _dates in notes if note_id]
        existing = set(links.known_ids(session, wanted))
        new = [(note_id, state, dates) for note_id, state, dates in notes
               if not note_id or (note_id not in existing and note_id not in taken)]
        to_update += [(note_id, state, dates) for note_id, state, dates in notes
                      if note_id and (note_id in existing or note_id in taken)]  # a second file of an id updates it
        ids = note_service.insert_notes(session=session, actor=actor, link_later=True, notes=[
            note_service.NewNote(
                state=replace(state, links=[]), id=note_id, summary="Import",
                created_at=dates["created"] or state.published_at or dates["updated"], updated_at=dates["updated"],
            )
            for note_id, state, dates in new
        ])
        taken.update(ids)
        to_link += [(note_id, state.links) for note_id, (_id, state, _dates) in zip(ids, new, strict=True)]
        report.created += len(new)
        _let_go(session)
        step(len(batch))
    if report.created > _BATCH:
        analyze_own_writes(session, "note", "note_author", "revision")  # linking looks them up
    for number, batch in enumerate(_batches(to_link), 1):
        links.link_new_notes(session=session, notes=batch)
        if number % 100 == 0:
            analyze_own_writes(session, "note_link")  # which it also reads as it grows
        _let_go(session)
        step(len(batch))
    for note_id, state, dates in to_update:
        _update(session, actor, report, note_id, state, dates)
        step(1)
    # Carnets after the notes they hold, bases after their carnets.
    for kind, load in (("carnet", collection_files.import_carnet), ("base", collection_files.import_base)):
        for file, post in collections:
            if post.metadata.get("kind") == kind:
                load(session, post.metadata, post.content, str(file))
                setattr(report, kind + "s", getattr(report, kind + "s") + 1)
                step(1)
    return report


def _let_go(session: Session) -> None:
    session.flush()
    session.expunge_all()


def _update(session: Session, actor: policy.Actor, report: ImportReport, note_id: str, state: note_service.NoteState, dates: dict) -> None:
    """An imported file whose note exists: a new revision if it says something else."""
    note = session.get(Note, note_id)
    assert note is not None
    old = note_service.current_state(session, note, note_service.list_author_ids(session, note.id))
    new = replace(state, links=links.known_ids(session, state.links))
    if old == new or note.deleted_at is not None:
        report.unchanged += 1
        return
    note_service.apply_state(
        session=session, actor=actor, note=note, base_revision=note.revision, old=old, new=new,
        summary="Import", updated_at=dates["updated"] or utcnow(),
    )
    report.updated += 1


def _unpack(archive: Path, folder: Path) -> None:
    """Unpack a ZIP export: only Markdown and the manifest, only inside `folder`, within a size."""
    try:
        with zipfile.ZipFile(archive) as zf:
            members = [m for m in zf.infolist() if not m.is_dir()]
            if sum(m.file_size for m in members) > MAX_ARCHIVE_BYTES:
                raise Invalid(f"{archive}: the archive unpacks to more than {MAX_ARCHIVE_BYTES // 2**20} MB.")
            for member in members:
                name = PurePosixPath(member.filename)
                if name.is_absolute() or ".." in name.parts or name.suffix not in (".md", ".yaml"):
                    raise Invalid(f"{archive}: unexpected file {member.filename!r} in the archive.")
                target = folder.joinpath(*name.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(zf.read(member))
    except zipfile.BadZipFile:
        raise Invalid(f"{archive}: not a ZIP archive.") from None


def _write(path: Path, kind: str, slug: str, object_id: str, meta: dict[str, Any], body: str, used: set[Path]) -> None:
    folder = path / KIND_DIRS[kind]
    target = folder / f"{slug or kind}.md"
    if target in used:
        target = folder / f"{slug or kind}-{slugify(object_id, 40) or 'x'}-{len(used)}.md"
    used.add(target)
    folder.mkdir(parents=True, exist_ok=True)
    # Text stored before the text rule may hold what an import now refuses: the file leaves it out,
    # so that what is exported can be imported again.
    post = frontmatter.Post(text.xml_safe(body), **_xml_safe(meta))
    target.write_text(frontmatter.dumps(post, sort_keys=False, allow_unicode=True) + "\n", encoding="utf-8")


def _xml_safe(value: Any) -> Any:
    if isinstance(value, str):
        return text.xml_safe(value)
    if isinstance(value, list):
        return [_xml_safe(v) for v in value]
    if isinstance(value, dict):
        return {k: _xml_safe(v) for k, v in value.items()}
    return value


def _notes_meta(session: Session, actor: policy.Actor, notes: list[Note]) -> list[dict[str, Any]]:
    """These notes' front matter as `actor` may know it, in a few queries for all of them: links
    to notes they may not see are left out, and the readers are named only to those who may
    change the note."""
    tz = fields.timezone(session)
    states = note_service.current_states(session, notes)
    targets = [target for state in states for target in state.links]
    visible = links.visible_ids(session, actor, targets) if targets else set()
    metas = []
    for note, state in zip(notes, states, strict=True):
        meta: dict[str, Any] = {
            "id": note.id,
            "title": note.title,
            "kind": note.kind,
            "authors": [fields.person(u) for u in state.authors],
            "published": fields.iso(note.published_at, tz),
            "created": fields.iso(note.created_at, tz),
            "updated": fields.iso(note.updated_at, tz),
            "visibility": note.visibility,
            "licence": note.licence,
        }
        meta.update(state.details)
        seen = [target for target in state.links if target in visible]
        if seen:
            meta["links"] = seen
        if state.community_id:
            meta["community"] = state.community_id
        if state.readers and policy.can_edit_note(actor, note, {u.id for u in state.authors}):
            meta["readers"] = [fields.person(u) for u in state.readers]
        metas.append(meta)
    return metas


def export_path(
    *, session: Session, path: Path, actor: policy.Actor,
    carnet_ids: list[str] | None = None, base_ids: list[str] | None = None,
) -> int:
    """Write what the actor may see under `path` and return how many notes: every live note,
    carnet and base, or only the carnets named (and the bases named, with their carnets) and
    the notes in them. `actor` None is a visitor, who exports public things only; the command
    line exports as `policy.SYSTEM`."""
    whole = carnet_ids is None and base_ids is None
    bases = list(session.exec(
        select(KnowledgeBase).where(policy.visible_bases(actor), *([] if whole else [KnowledgeBase.id.in_(base_ids or [])]))  # type: ignore[attr-defined]
        .order_by(KnowledgeBase.created_at, KnowledgeBase.id)
    ))
    base_files = [collection_files.base_file(session, base, actor) for base in bases]
    wanted = set(carnet_ids or []) | {c for meta, _ in base_files for c in meta["carnets"]}
    carnets = list(session.exec(
        select(Carnet).where(policy.visible_carnets(actor), *([] if whole else [Carnet.id.in_(wanted)]))  # type: ignore[attr-defined]
        .order_by(Carnet.created_at, Carnet.id)
    ))
    note_filter = [] if whole else [Note.id.in_(select(CarnetEntry.note_id).where(CarnetEntry.carnet_id.in_([c.id for c in carnets])))]  # type: ignore[attr-defined]
    note_ids = list(session.exec(select(Note.id).where(policy.visible_notes(actor), *note_filter).order_by(Note.created_at, Note.id)))
    used: set[Path] = set()
    # 500 notes at a time, let go once written: a million notes export in a small memory.
    for batch in _batches(note_ids):
        loaded = {note.id: note for note in session.exec(select(Note).where(Note.id.in_(batch)))}  # type: ignore[attr-defined]
        notes = [loaded[note_id] for note_id in batch]
        for note, meta in zip(notes, _notes_meta(session, actor, notes), strict=True):
            _write(path, note.kind, note.slug, note.id, meta, note.body, used)
            session.expunge(note)
    exported = set(note_ids)
    for carnet in carnets:
        meta, body = collection_files.carnet_file(session, carnet, exported)
        _write(path, "carnet", slugify(carnet.title), carnet.id, meta, body, used)
    for base, (meta, body) in zip(bases, base_files):
        _write(path, "base", slugify(base.title), base.id, meta, body, used)
    return len(note_ids)


def export_archive(*, session: Session, actor: policy.Actor, carnet_id: str | None = None, base_id: str | None = None) -> bytes:
    """A carnet or a base as a ZIP: its notes, its manifest(s) and `manifest.yaml`, which says
    what the archive holds. Importing it into an empty site restores the carnet exactly."""
    with tempfile.TemporaryDirectory(prefix="praxis-export-") as folder:
        root = Path(folder)
        count = export_path(session=session, path=root, actor=actor,
                            carnet_ids=[carnet_id] if carnet_id else [], base_ids=[base_id] if base_id else [])
        files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.md"))
        manifest = {
            "format": ARCHIVE_FORMAT, "site": site_url(session),
            "exported_at": fields.iso(utcnow(), fields.timezone(session)),
            "carnet" if carnet_id else "base": carnet_id or base_id, "notes": count, "files": files,
        }
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("manifest.yaml", yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True))
            for name in files:
                zf.write(root / name, name)
    return buffer.getvalue()
