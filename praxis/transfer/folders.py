"""Import and export as Markdown files with YAML front matter (the `content/` format).

Notes are files under notes/, organisations/ and lexique/; carnets (`kind: carnet`) and bases
(`kind: base`) are files under carnets/ and bases/. A carnet or a base also exports as a ZIP of
the same files plus `manifest.yaml`, and `import` takes that ZIP as it is.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

import frontmatter
import yaml
from sqlmodel import Session, col, select

from praxis import policy, text
from praxis.db import analyze_own_writes, reader_of
from praxis.errors import Invalid
from praxis.markdown import slugify, strip_comments
from praxis.models import Carnet, CarnetEntry, KnowledgeBase, Note, pk, utcnow
from praxis.notes import fields, links, summaries
from praxis.notes import notes as note_service
from praxis.transfer import collection_files, import_check
from praxis.urls import site_url

KIND_DIRS = {"note": "notes", "organisation": "organisations", "term": "lexique", "carnet": "carnets", "base": "bases"}
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


def count_files(path: Path) -> int:
    """How many files an import of `path` reads (for its progress: three times this many steps)."""
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


# Notes are written and linked this many at a time, each batch in its own transaction: SQLite's
# write lock is let go between them, so the site's writes pass during an import, and what the
# session holds is let go too, so an import of a million notes keeps a small session and keeps
# in memory only what linking needs.
_BATCH = 500
# Notes that exist are updated fewer at a time: each is read and rendered inside its batch's
# transaction (a new revision is checked against the note as it is), about 5 ms a note.
_UPDATE_BATCH = 100


_T = TypeVar("_T")


def _batches(items: list[_T], size: int = _BATCH) -> Iterator[list[_T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def import_path(
    *,
    session: Session,
    path: Path,
    actor: policy.Actor = None,
    progress: Callable[[int], None] | None = None,
    at_once: bool = False,
) -> ImportReport:
    """Import one .md file or a folder of them; a note whose id exists is updated, not duplicated.

    Every file is read and checked first, writing nothing: a bad file stops the import, naming
    every bad file, and nothing is kept. Then new notes are written, then linked, so links and
    wikilinks between imported notes resolve whatever the order of the files; notes that exist
    are updated next, carnets and bases last; each batch of notes, each carnet and each base in
    its own transaction (what `session` held before is committed first). `progress` is called
    with how many steps are done, three times the files in all (each file once checked; a note
    once written, once linked or updated; a carnet or base file twice once imported).
    `at_once`: one transaction instead (a site seeded before it serves: a seeding stopped
    halfway leaves the site empty, to be seeded again at the next start).
    """
    if path.is_file() and path.suffix == ".zip":
        with tempfile.TemporaryDirectory(prefix="praxis-import-") as folder:
            _unpack(path, Path(folder))
            return import_path(session=session, path=Path(folder), actor=actor, progress=progress, at_once=at_once)
    step = progress or (lambda _n: None)
    files = _files(path)
    session.commit()  # a writing session holds SQLite's write lock from its first statement
    checked = import_check.check_files(session, files, step)
    with fields.remembering_people(session):
        return _write_checked(session, checked, actor or policy.SYSTEM, step, at_once)


def _write_checked(
    session: Session, checked: import_check.Checked, actor: policy.Actor, step: Callable[[int], None], at_once: bool
) -> ImportReport:
    def let_go() -> None:  # a batch done: committed, or only flushed when all is one transaction
        _let_go(session, commit=not at_once)

    report = ImportReport()
    to_link: list[tuple[str, list[str]]] = []  # new notes: (id, explicit links), linked once all exist
    to_update: list[tuple[str, note_service.NoteState, dict[str, Any]]] = []  # files of notes that exist
    taken: set[str] = set()
    for batch in _batches(checked.notes):
        posts = [import_check.load(file) for file in batch]  # read before the batch's transaction begins
        notes = [import_check.read_note(session, file, post) for file, post in zip(batch, posts, strict=True)]
        wanted = [note_id for note_id, _state, _dates in notes if note_id]
        existing = set(links.known_ids(session, wanted))
        new = [
            (note_id, state, dates)
            for note_id, state, dates in notes
            if not note_id or (note_id not in existing and note_id not in taken)
        ]
        to_update += [
            (note_id, state, dates)
            for note_id, state, dates in notes
            if note_id and (note_id in existing or note_id in taken)
        ]  # a second file of an id updates it
        ids = note_service.insert_notes(
            session=session,
            actor=actor,
            link_later=True,
            notes=[
                note_service.NewNote(
                    state=replace(state, links=[]),
                    id=note_id,
                    summary=summaries.written(summaries.IMPORTED),
                    created_at=dates["created"] or state.published_at or dates["updated"],
                    updated_at=dates["updated"],
                )
                for note_id, state, dates in new
            ],
        )
        taken.update(ids)
        to_link += [(note_id, state.links) for note_id, (_id, state, _dates) in zip(ids, new, strict=True)]
        report.created += len(new)
        let_go()
        step(len(batch))
    if report.created > _BATCH:
        analyze_own_writes(session, "note", "note_author", "revision")  # linking looks them up
    with reader_of(
        session
    ) as reader:  # the rendering reads outside the batch's transaction (not when at once: it alone holds the notes)
        for number, linking in enumerate(_batches(to_link), 1):
            links.link_new_notes(session=session, notes=linking, reading=None if at_once else reader)
            if number % 100 == 0:
                analyze_own_writes(session, "note_link")  # which it also reads as it grows
            let_go()
            step(len(linking))
    for updating in _batches(to_update, _UPDATE_BATCH):
        for note_id, state, dates in updating:
            _update(session, actor, report, note_id, state, dates)
        let_go()
        step(len(updating))
    # Carnets after the notes they hold, bases after their carnets; each in its own transaction.
    for file, post in checked.carnets:
        collection_files.import_carnet(session, post.metadata, post.content, str(file))
        report.carnets += 1
        let_go()
        step(2)
    for file, post in checked.bases:
        collection_files.import_base(session, post.metadata, post.content, str(file))
        report.bases += 1
        let_go()
        step(2)
    return report


def _let_go(session: Session, *, commit: bool = True) -> None:
    """Commit a batch: SQLite's write lock is let go, and what the session held."""
    session.flush()
    session.expunge_all()
    if commit:
        session.commit()


def _update(
    session: Session,
    actor: policy.Actor,
    report: ImportReport,
    note_id: str,
    state: note_service.NoteState,
    dates: dict,
) -> None:
    """An imported file whose note exists: a new revision if it says something else."""
    note = session.get(Note, note_id)
    assert note is not None
    old = note_service.current_state(session, note, note_service.list_author_ids(session, note.id))
    new = replace(state, links=links.known_ids(session, state.links))
    if note.deleted_at is None and old == new and note.revision == 1 and note.body and not note.html:
        # Written by an import that stopped before linking it: this one finishes it.
        links.link_new_notes(session=session, notes=[(note.id, new.links)])
        report.updated += 1
        return
    if old == new or note.deleted_at is not None:
        report.unchanged += 1
        return
    note_service.apply_state(
        session=session,
        actor=actor,
        note=note,
        base_revision=note.revision,
        old=old,
        new=new,
        summary=summaries.written(summaries.IMPORTED),
        updated_at=dates["updated"] or utcnow(),
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


def _note_files(session: Session, actor: policy.Actor, notes: list[Note]) -> list[tuple[dict[str, Any], str]]:
    """These notes' front matter and text as `actor` may know them, in a few queries for all of
    them: links to notes they may not see are left out, the readers are named only to those who
    may change the note, and its `%%comments%%` are kept only for them (and the command line)."""
    tz = fields.timezone(session)
    states = note_service.current_states(session, notes)
    targets = [target for state in states for target in state.links]
    visible = links.visible_ids(session, actor, targets) if targets else set()
    files = []
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
        author_ids = {pk(u.id) for u in state.authors}
        if state.readers and policy.can_edit_note(actor, note, author_ids):
            meta["readers"] = [fields.person(u) for u in state.readers]
        whole = policy.can_read_note_source(actor, note, author_ids)
        files.append((meta, note.body if whole else strip_comments(note.body)))
    return files


def export_path(
    *,
    session: Session,
    path: Path,
    actor: policy.Actor,
    carnet_ids: list[str] | None = None,
    base_ids: list[str] | None = None,
) -> int:
    """Write what the actor may see under `path` and return how many notes: every live note,
    carnet and base, or only the carnets named (and the bases named, with their carnets) and
    the notes in them. `actor` None is a visitor, who exports public things only; the command
    line exports as `policy.SYSTEM`."""
    whole = carnet_ids is None and base_ids is None
    bases = list(
        session.exec(
            select(KnowledgeBase)
            .where(policy.visible_bases(actor), *([] if whole else [col(KnowledgeBase.id).in_(base_ids or [])]))
            .order_by(col(KnowledgeBase.created_at), col(KnowledgeBase.id))
        )
    )
    base_files = [collection_files.base_file(session, base, actor) for base in bases]
    wanted = set(carnet_ids or []) | {c for meta, _ in base_files for c in meta["carnets"]}
    carnets = list(
        session.exec(
            select(Carnet)
            .where(policy.visible_carnets(actor), *([] if whole else [col(Carnet.id).in_(wanted)]))
            .order_by(col(Carnet.created_at), col(Carnet.id))
        )
    )
    note_filter = (
        []
        if whole
        else [
            col(Note.id).in_(select(CarnetEntry.note_id).where(col(CarnetEntry.carnet_id).in_([c.id for c in carnets])))
        ]
    )
    note_ids = list(
        session.exec(
            select(Note.id)
            .where(policy.visible_notes(actor), *note_filter)
            .order_by(col(Note.created_at), col(Note.id))
        )
    )
    used: set[Path] = set()
    # 500 notes at a time, let go once written: a million notes export in a small memory.
    for batch in _batches(note_ids):
        loaded = {note.id: note for note in session.exec(select(Note).where(col(Note.id).in_(batch)))}
        notes = [loaded[note_id] for note_id in batch]
        for note, (meta, body) in zip(notes, _note_files(session, actor, notes), strict=True):
            _write(path, note.kind, note.slug, note.id, meta, body, used)
            session.expunge(note)
    exported = set(note_ids)
    for carnet in carnets:
        meta, body = collection_files.carnet_file(session, carnet, exported)
        _write(path, "carnet", slugify(carnet.title), carnet.id, meta, body, used)
    for base, (meta, body) in zip(bases, base_files):
        _write(path, "base", slugify(base.title), base.id, meta, body, used)
    return len(note_ids)


def export_archive(
    *, session: Session, actor: policy.Actor, carnet_id: str | None = None, base_id: str | None = None
) -> bytes:
    """A carnet or a base as a ZIP: its notes, its manifest(s) and `manifest.yaml`, which says
    what the archive holds. Importing it into an empty site restores the carnet exactly."""
    with tempfile.TemporaryDirectory(prefix="praxis-export-") as folder:
        root = Path(folder)
        count = export_path(
            session=session,
            path=root,
            actor=actor,
            carnet_ids=[carnet_id] if carnet_id else [],
            base_ids=[base_id] if base_id else [],
        )
        files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.md"))
        manifest = {
            "format": ARCHIVE_FORMAT,
            "site": site_url(session),
            "exported_at": fields.iso(utcnow(), fields.timezone(session)),
            "carnet" if carnet_id else "base": carnet_id or base_id,
            "notes": count,
            "files": files,
        }
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("manifest.yaml", yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True))
            for name in files:
                zf.write(root / name, name)
    return buffer.getvalue()
