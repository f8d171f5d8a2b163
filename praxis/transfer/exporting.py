"""Export: what an actor may see, as Markdown files with YAML front matter (the `content/`
format), each note's attached files beside it; a carnet or a base as a ZIP of the same files plus
`manifest.yaml`. `praxis import` (folders.py) reads it all back.
"""

from __future__ import annotations

import io
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

import frontmatter
import yaml
from sqlmodel import Session, col, select

from praxis import policy, text
from praxis.config import site_settings
from praxis.markdown import slugify, strip_comments
from praxis.media.paths import file_path, file_prefix
from praxis.media.store import FileStore
from praxis.models import Attachment, Carnet, CarnetEntry, KnowledgeBase, Note, pk, utcnow
from praxis.notes import fields, links
from praxis.notes import notes as note_service
from praxis.transfer import collection_files
from praxis.transfer.folders import batches
from praxis.urls import site_url

KIND_DIRS = {"note": "notes", "organisation": "organisations", "term": "lexique", "carnet": "carnets", "base": "bases"}
ARCHIVE_FORMAT = "praxis-export/1"


def _write(path: Path, kind: str, slug: str, object_id: str, meta: dict[str, Any], body: str, used: set[Path]) -> None:
    _write_at(_target(path, kind, slug, object_id, used), meta, body)


def _target(path: Path, kind: str, slug: str, object_id: str, used: set[Path]) -> Path:
    """Where an object's file goes: `<kind folder>/<slug>.md`, made unique."""
    folder = path / KIND_DIRS[kind]
    target = folder / f"{slug or kind}.md"
    if target in used:
        target = folder / f"{slug or kind}-{slugify(object_id, 40) or 'x'}-{len(used)}.md"
    used.add(target)
    return target


def _write_at(target: Path, meta: dict[str, Any], body: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    # Text stored before the text rule may hold what an import now refuses: the file leaves it out,
    # so that what is exported can be imported again.
    post = frontmatter.Post(text.xml_safe(body), **_xml_safe(meta))
    target.write_text(frontmatter.dumps(post, sort_keys=False, allow_unicode=True) + "\n", encoding="utf-8")


def _with_files(
    store: FileStore, target: Path, note_id: str, rows: list[Attachment], meta: dict[str, Any], body: str, site: str
) -> str:
    """Write a note's files beside its file, in `<slug>.files/`, and its body referring to them
    there (relatively, as `<slug>.files/<name>`), listing them all in `attachments` (a file the
    body does not show comes back too). Answers with the body."""
    folder = target.with_suffix(".files")
    names: set[str] = set()
    listed = []
    for row in rows:
        source = store.blob_path(row.sha256)
        if not source.is_file():
            continue  # a blob lost from the store: the note keeps its address, which answers 404 already
        name = row.name
        if name.casefold() in names:
            stem, dot, extension = name.rpartition(".")
            name = f"{stem}-{row.id}{dot}{extension}" if dot else f"{name}-{row.id}"
        names.add(name.casefold())
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, folder / name)
        relative = f"{folder.name}/{name}"
        listed.append(relative)
        address = file_path(note_id, row.id, row.name)
        shown = quote(relative, safe="/")
        for written in (site + address, address, file_prefix(note_id, row.id) + "thumb"):
            body = body.replace(f"({written})", f"({shown})").replace(f"(<{written}>)", f"({shown})")
    if listed:
        meta["attachments"] = listed
    return body


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
        if state.aliases:
            meta["aliases"] = state.aliases
        if state.keywords:
            meta["tags"] = state.keywords
        # The keys an import kept, after Praxis's own (which they never replace).
        meta.update({k: v for k, v in state.properties.items() if k not in meta})
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
    store, site = FileStore.for_settings(site_settings(session)), site_url(session)
    # 500 notes at a time, let go once written: a million notes export in a small memory.
    for batch in batches(note_ids):
        loaded = {note.id: note for note in session.exec(select(Note).where(col(Note.id).in_(batch)))}
        notes = [loaded[note_id] for note_id in batch]
        files: dict[str, list[Attachment]] = {}
        for row in session.exec(
            select(Attachment)
            .where(col(Attachment.note_id).in_(batch))
            .order_by(col(Attachment.created_at), col(Attachment.id))
        ):
            files.setdefault(row.note_id or "", []).append(row)
        for note, (meta, body) in zip(notes, _note_files(session, actor, notes), strict=True):
            target = _target(path, note.kind, note.slug, note.id, used)
            body = _with_files(store, target, note.id, files.get(note.id, []), meta, body, site)
            _write_at(target, meta, body)
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
        attached = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and p.suffix != ".md")
        manifest = {
            "format": ARCHIVE_FORMAT,
            "site": site_url(session),
            "exported_at": fields.iso(utcnow(), fields.timezone(session)),
            "carnet" if carnet_id else "base": carnet_id or base_id,
            "notes": count,
            "files": files,
        }
        if attached:
            manifest["attachments"] = attached  # the notes' files, beside them
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("manifest.yaml", yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True))
            for name in files + attached:
                zf.write(root / name, name)
    return buffer.getvalue()
