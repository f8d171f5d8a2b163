"""Import: a folder or a ZIP of Markdown files (the `content/` format, an Obsidian vault, a
documentation folder) or a MediaWiki export, checked whole, then written by the batch.

Notes are files under notes/, organisations/ and lexique/; carnets (`kind: carnet`) and bases
(`kind: base`) are files under carnets/ and bases/. What `praxis export` writes (exporting.py),
including a carnet's or a base's ZIP, is read back as it is.
"""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import TypeVar

import sqlalchemy as sa
from sqlmodel import Session, col, select

from praxis import policy
from praxis.db import analyze_own_writes, insert_rows, reader_of
from praxis.errors import Invalid
from praxis.models import Carnet, CarnetEntry, ImportSource, Note, utcnow
from praxis.notes import fields, links, summaries
from praxis.notes import notes as note_service
from praxis.transfer import collection_files, sources, wiki_import
from praxis.transfer import plan as plans

MAX_ARCHIVE_BYTES = 200 * 1024 * 1024  # unpacked; a larger ZIP is refused rather than filling the disk


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    carnets: int = 0
    bases: int = 0
    kind: str = ""  # what the source was read as: sources.OBSIDIAN, DOCS or PRAXIS
    skipped: list[str] = field(default_factory=list)  # hidden files and folders, not read
    warnings: list[str] = field(default_factory=list)  # links that lead nowhere, names shared by files
    filed: int = 0  # notes newly filed in the carnet named by `--carnet`
    files: int = 0  # files kept as notes' attachments (those the notes had already not counted)
    unreferenced: list[str] = field(default_factory=list)  # files no note refers to: not imported
    problems: list[str] = field(default_factory=list)  # a dry run's: each would stop the import

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def count_files(path: Path) -> int:
    """How many files an import of `path` reads (for its progress: three times this many steps)."""
    if path.is_file() and path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as zf:
                return sum(1 for name in zf.namelist() if name.lower().endswith(".md") and not _hidden_member(name))
        except zipfile.BadZipFile:
            return 1  # the import says what is wrong
    if not path.exists():
        return 0
    if wiki_import.is_export(path):
        return wiki_import.count_pages(path)
    return len(sources.scan(path).notes)


def _source(path: Path) -> sources.Source:
    if path.is_file():
        if path.suffix.lower() != ".md":
            raise Invalid(f"{path}: not a Markdown (.md) file, a folder or a ZIP archive.")
        return sources.scan(path)
    if path.is_dir():
        return sources.scan(path)
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


def batches(items: list[_T], size: int = _BATCH) -> Iterator[list[_T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def import_path(
    *,
    session: Session,
    path: Path,
    actor: policy.Actor = None,
    progress: Callable[[int], None] | None = None,
    at_once: bool = False,
    options: plans.Options | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Import one .md file, a folder (a Praxis export, an Obsidian vault, a documentation
    site) or a ZIP of one; a note already imported is updated, not duplicated.

    Every file is read and checked first, writing nothing: a bad file stops the import, naming
    every bad file, and nothing is kept (`dry_run`: the report lists them, and nothing is
    written either way). Then new notes are written, then linked, so links and wikilinks
    between imported notes resolve whatever the order of the files; notes that exist are
    updated next, carnets and bases last; each batch of notes, each carnet and each base in
    its own transaction (what `session` held before is committed first). `progress` is called
    with how many steps are done, three times the files in all (each file once checked; a note
    once written, once linked or updated; a carnet or base file twice once imported).
    `at_once`: one transaction instead (a site seeded before it serves: a seeding stopped
    halfway leaves the site empty, to be seeded again at the next start).
    """
    if wiki_import.is_export(path):  # a MediaWiki export: its own importer
        return wiki_import.import_export(
            session=session,
            path=path,
            actor=actor,
            progress=progress,
            at_once=at_once,
            options=options or plans.Options(),
            dry_run=dry_run,
        )
    if path.is_file() and path.suffix.lower() == ".zip":
        with tempfile.TemporaryDirectory(prefix="praxis-import-") as folder:
            root = Path(folder) / (sources.nfc(path.stem) or "archive")
            _unpack(path, root)
            return _import(
                session=session,
                source=sources.scan(root, shown=str(path)),
                actor=actor,
                progress=progress,
                at_once=at_once,
                options=options,
                dry_run=dry_run,
            )
    return _import(
        session=session,
        source=_source(path),
        actor=actor,
        progress=progress,
        at_once=at_once,
        options=options,
        dry_run=dry_run,
    )


def _import(
    *,
    session: Session,
    source: sources.Source,
    actor: policy.Actor,
    progress: Callable[[int], None] | None,
    at_once: bool,
    options: plans.Options | None,
    dry_run: bool,
) -> ImportReport:
    step = progress or (lambda _n: None)
    session.commit()  # a writing session holds SQLite's write lock from its first statement
    plan = plans.make_plan(session, source, options or plans.Options())
    try:
        checked = plans.check(session, plan, step)
        report = ImportReport(
            kind=source.kind, skipped=source.skipped, warnings=checked.warnings, unreferenced=checked.unreferenced
        )
        if dry_run:
            report.problems = [problem.message for problem in checked.problems]
            return report
        if checked.problems:
            raise plans.refusal(checked.problems)
        with fields.remembering_people(session):
            return _write_checked(session, plan, actor or policy.SYSTEM, step, at_once, report)
    finally:
        if plan.files is not None:
            plan.files.discard()


def _write_checked(
    session: Session,
    plan: plans.Plan,
    actor: policy.Actor,
    step: Callable[[int], None],
    at_once: bool,
    report: ImportReport,
) -> ImportReport:
    def let_go() -> None:  # a batch done: committed, or only flushed when all is one transaction
        if plan.files is not None:
            plan.files.sync(session)  # its files' rows, the files durable first
        _let_go(session, commit=not at_once)

    to_link: list[tuple[str, list[str]]] = []  # new notes: (id, explicit links), linked once all exist
    to_update: list[plans.Prepared] = []  # files of notes that exist
    taken: set[str] = set()
    for batch in batches(plan.notes):
        posts = [plan.load(planned.file) for planned in batch]  # read before the batch's transaction begins
        notes = [plan.prepare(session, planned, post) for planned, post in zip(batch, posts, strict=True)]
        existing = set(links.known_ids(session, [prepared.note_id for prepared in notes]))
        new = [p for p in notes if p.note_id not in existing and p.note_id not in taken]
        to_update += [
            p for p in notes if p.note_id in existing or p.note_id in taken
        ]  # a second file of an id updates it
        ids = note_service.insert_notes(
            session=session,
            actor=actor,
            link_later=True,
            notes=[
                note_service.NewNote(
                    state=replace(p.state, links=[]),
                    id=p.note_id,
                    summary=summaries.written(summaries.IMPORTED),
                    created_at=p.dates["created"] or p.state.published_at or p.dates["updated"],
                    updated_at=p.dates["updated"],
                )
                for p in new
            ],
        )
        taken.update(ids)
        if plan.files is not None:
            for p in new:
                report.files += plan.files.keep(session, actor, p.note_id, p.attachments)
        insert_rows(session, ImportSource, plans.source_rows(plan, new))  # imported again, they are found
        to_link += [(note_id, p.state.links) for note_id, p in zip(ids, new, strict=True)]
        report.created += len(new)
        let_go()
        step(len(batch))
    if report.created > _BATCH:
        analyze_own_writes(session, "note", "note_author", "revision")  # linking looks them up
    with reader_of(
        session
    ) as reader:  # the rendering reads outside the batch's transaction (not when at once: it alone holds the notes)
        for number, linking in enumerate(batches(to_link), 1):
            links.link_new_notes(session=session, notes=linking, reading=None if at_once else reader)
            if number % 100 == 0:
                analyze_own_writes(session, "note_link")  # which it also reads as it grows
            let_go()
            step(len(linking))
    for updating in batches(to_update, _UPDATE_BATCH):
        for prepared in updating:
            if _update(session, actor, report, prepared.note_id, prepared.state, prepared.dates) and plan.files:
                report.files += plan.files.keep(session, actor, prepared.note_id, prepared.attachments)
        let_go()
        step(len(updating))
    if plan.options.carnet:
        report.filed = _file_in_carnet(session, plan.options.carnet, [planned.note_id for planned in plan.notes])
        let_go()
    # Carnets after the notes they hold, bases after their carnets; each in its own transaction.
    for file, post in plan.carnets:
        collection_files.import_carnet(session, post.metadata, post.content, file.where)
        report.carnets += 1
        let_go()
        step(2)
    for file, post in plan.bases:
        collection_files.import_base(session, post.metadata, post.content, file.where)
        report.bases += 1
        let_go()
        step(2)
    return report


def _file_in_carnet(session: Session, title: str, note_ids: list[str]) -> int:
    """File the live notes of the import in the carnet of that title (the oldest of that title;
    made if there is none: public, with no member, so the site's admins manage it, as every
    carnet), after what it holds; answers how many were not in it yet."""
    carnet = session.exec(
        select(Carnet).where(Carnet.title == title).order_by(col(Carnet.created_at), col(Carnet.id)).limit(1)
    ).first()
    if carnet is None:
        carnet = Carnet(id=note_service.new_id(), title=title)
        session.add(carnet)
        session.flush()
    carnet_id = carnet.id
    held = set(session.exec(select(CarnetEntry.note_id).where(CarnetEntry.carnet_id == carnet_id)))
    last = session.exec(select(sa.func.max(CarnetEntry.position)).where(CarnetEntry.carnet_id == carnet_id)).one()
    position = (last or 0) + 1
    rows = []
    for start in range(0, len(note_ids), 1000):
        live = set(
            session.exec(
                select(Note.id).where(col(Note.id).in_(note_ids[start : start + 1000]), col(Note.deleted_at).is_(None))
            )
        )
        for note_id in note_ids[start : start + 1000]:
            if note_id in live and note_id not in held:
                held.add(note_id)
                rows.append(
                    {
                        "carnet_id": carnet_id,
                        "note_id": note_id,
                        "added_by_id": None,
                        "added_at": utcnow(),
                        "pinned": False,
                        "position": position,
                    }
                )
                position += 1
    insert_rows(session, CarnetEntry, rows)
    if rows:
        carnet.updated_at = utcnow()
        session.add(carnet)
    return len(rows)


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
) -> bool:
    """An imported file whose note exists: a new revision if it says something else. Whether
    the note is live (its files are kept)."""
    note = session.get(Note, note_id)
    assert note is not None
    old = note_service.current_state(session, note, note_service.list_author_ids(session, note.id))
    new = replace(state, links=links.known_ids(session, state.links))
    if not dates.get("published_said", True):
        new = replace(new, published_at=old.published_at)  # a file changed is not published again
    if note.deleted_at is None and old == new and note.revision == 1 and note.body and not note.html:
        # Written by an import that stopped before linking it: this one finishes it.
        links.link_new_notes(session=session, notes=[(note.id, new.links)])
        report.updated += 1
        return True
    if old == new or note.deleted_at is not None:
        report.unchanged += 1
        return note.deleted_at is None
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
    return True


def _hidden_member(name: str) -> bool:
    return any(part.startswith(".") or part in sources.SKIPPED_FOLDERS for part in PurePosixPath(name).parts[:-1]) or (
        PurePosixPath(name).name.startswith(".")
    )


def _unpack(archive: Path, folder: Path) -> None:
    """Unpack a ZIP (an export, a vault, a documentation site): only inside `folder`, within a
    size; hidden files and folders are unpacked too, for the import to count them as skipped."""
    try:
        with zipfile.ZipFile(archive) as zf:
            members = [m for m in zf.infolist() if not m.is_dir()]
            if sum(m.file_size for m in members) > MAX_ARCHIVE_BYTES:
                raise Invalid(f"{archive}: the archive unpacks to more than {MAX_ARCHIVE_BYTES // 2**20} MB.")
            for member in members:
                name = PurePosixPath(member.filename.replace("\\", "/"))
                if name.is_absolute() or ".." in name.parts or ":" in member.filename:
                    raise Invalid(f"{archive}: unexpected file {member.filename!r} in the archive.")
                target = folder.joinpath(*name.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(zf.read(member))
    except zipfile.BadZipFile:
        raise Invalid(f"{archive}: not a ZIP archive.") from None
