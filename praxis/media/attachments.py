"""Files attached to notes ("Fichiers joints"): upload, list, delete, and what to serve.

Who may do what is the note's rule and nothing else: whoever may edit a note attaches files to
it and deletes them (`notes.load_editable`); whoever may read it reads its files
(`notes.load_readable`), so a file of a note the reader may not see is a 404, like the note.
Uploading writes no revision, but records who uploaded. Blobs are shared by content: deleting
an attachment removes its blob only when no other attachment holds the same bytes. An upload
keeping a blob and a deletion removing it take turns (`_blob_turn`), so a file uploaded while
the last other holder of the same bytes is deleted never loses them.

A file sent from the editor before its note is saved is a draft upload (`upload_draft`), kept
by the same steps, without a note until a save claims it (`drafts`).
"""

from __future__ import annotations

import io
import logging
import re
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sqlmodel import Session, col, select

from praxis import policy, text
from praxis.errors import Invalid, NotFound
from praxis.i18n import N_
from praxis.media import drafts, images, metadata, sniff, svg
from praxis.media.blobs import blob_turn, collect_after_commit
from praxis.media.paths import draft_path, draft_thumbnail_path, file_path, thumbnail_path
from praxis.media.store import FileStore, Received
from praxis.models import Attachment, Note, User, utcnow
from praxis.notes import notes as note_service
from praxis.schemas import AttachmentRead, is_note_id
from praxis.urls import site_url

log = logging.getLogger("praxis.attachments")

MAX_NAME = 120  # characters of a file's name, extension included


# --- names -----------------------------------------------------------------------------------

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*\u200b-\u200f\u2028-\u202e\u2066-\u2069]')
_EXTENSION = re.compile(r"^(.+)\.([A-Za-z0-9]{1,8})$")


def clean_name(original: str, kind: sniff.FileType) -> str:
    """A name safe to show and to serve: the last part of what was sent, without control,
    bidirectional or path characters, with the extension of the type the bytes were found to be."""
    name = unicodedata.normalize("NFC", original or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = " ".join(_UNSAFE.sub("_", text.FORBIDDEN.sub("_", name)).split()).strip(" .")
    stem, extension = name, ""
    if match := _EXTENSION.match(name):
        stem, extension = match.group(1).rstrip(" ."), match.group(2).lower()
    if extension not in kind.extensions:
        if extension and extension not in _KNOWN_EXTENSIONS:
            stem = f"{stem}.{extension}"  # "rapport.v2" keeps its ".v2"
        extension = kind.extension
    stem = stem[: MAX_NAME - len(extension) - 1].rstrip(" .") or "fichier"
    return f"{stem}.{extension}"


# Extensions that name a type: a file sent with one of them that is of another type loses it.
_KNOWN_EXTENSIONS = {e for t in sniff.ACCEPTED for e in t.extensions} | {
    "svg",
    "svgz",
    "html",
    "htm",
    "xhtml",
    "xml",
    "js",
    "mjs",
    "exe",
    "dll",
    "bat",
    "cmd",
    "sh",
    "ps1",
    "msi",
    "apk",
    "jar",
    "zip",
    "gz",
    "tgz",
    "7z",
    "rar",
    "bz2",
    "xz",
    "doc",
    "xls",
    "ppt",
    "rtf",
    "ps",
    "bmp",
    "tif",
    "tiff",
    "ico",
    "heic",
    "heif",
    "avif",
    "mov",
    "mkv",
    "avi",
    "wmv",
    "mid",
    "midi",
    "epub",
    "php",
    "py",
    "docm",
    "xlsm",
    "pptm",
}


def _markdown(name: str, path: str, kind: sniff.FileType) -> str:
    label = re.sub(r"([\\\[\]*_`<>])", r"\\\1", name)
    # Images are shown, audio and video get a player; everything else is a link.
    embed = "!" if kind.kind in ("image", "audio", "video") else ""
    return f"{embed}[{label}]({path})"


# --- reading ---------------------------------------------------------------------------------


def _read(session: Session, row: Attachment, uploader: str | None) -> AttachmentRead:
    kind = sniff.stored_type(row.media_type, row.name)
    if row.note_id is None:  # a draft upload
        path, thumbnail = draft_path(row.id, row.name), draft_thumbnail_path(row.id)
    else:
        path, thumbnail = file_path(row.note_id, row.id, row.name), thumbnail_path(row.note_id, row.id)
    thumb = thumbnail if row.has_thumbnail else None
    if kind == sniff.SVG:
        thumb = path  # a drawing is its own thumbnail: it scales (Pillow cannot draw one)
    base = site_url(session)
    return AttachmentRead(
        id=row.id,
        note_id=row.note_id,
        name=row.name,
        media_type=row.media_type,
        content_type=row.media_type,
        kind=kind.kind,
        format=kind.format,
        size=row.size,
        width=row.width,
        height=row.height,
        url=base + path,
        thumbnail_url=base + thumb if thumb else None,
        markdown=_markdown(row.name, path, kind),
        uploaded_by=uploader,
        created_at=row.created_at,
        path=path,
        thumbnail_path=thumb,
    )


def list_attachments(*, session: Session, actor: policy.Actor, note_id: str) -> list[AttachmentRead]:
    """The files of a note the actor may read, oldest first."""
    note_service.load_readable(session, actor, note_id)
    rows = session.exec(
        select(Attachment, User.username)
        .join(User, col(User.id) == Attachment.uploaded_by_id, isouter=True)
        .where(Attachment.note_id == note_id)
        .order_by(col(Attachment.created_at), col(Attachment.id))
    ).all()
    return [_read(session, row, username) for row, username in rows]


def _load(session: Session, note: Note, attachment_id: str) -> Attachment:
    row = session.get(Attachment, attachment_id) if is_note_id(attachment_id) else None
    if row is None or row.note_id != note.id:
        raise NotFound("No such file.")
    return row


@dataclass(frozen=True)
class Served:
    """What the file route sends: the bytes at `path`, and how."""

    path: Path
    media_type: str
    name: str
    inline: bool
    etag: str
    public: bool  # the note is public: anyone, and any cache, may keep it


def serve(
    *,
    session: Session,
    actor: policy.Actor,
    store: FileStore,
    note_id: str,
    attachment_id: str,
    thumbnail: bool = False,
) -> Served:
    """The file (or its thumbnail) of a note the actor may read; NotFound otherwise."""
    note, _ = note_service.load_readable(session, actor, note_id)
    return _served(store, _load(session, note, attachment_id), thumbnail, public=_public(note))


def serve_upload(
    *, session: Session, actor: policy.Actor, store: FileStore, attachment_id: str, thumbnail: bool = False
) -> Served | str:
    """A draft upload (or its thumbnail), to its uploader alone; NotFound for anyone else.
    Once a save has claimed it, the path of the note's file instead, for that note's readers."""
    row = session.get(Attachment, attachment_id) if is_note_id(attachment_id) else None
    if row is None:
        raise NotFound("No such file.")
    if row.note_id is not None:
        note, _ = note_service.load_readable(session, actor, row.note_id)
        return thumbnail_path(note.id, row.id) if thumbnail else file_path(note.id, row.id, row.name)
    if actor is None or row.uploaded_by_id != actor.id:
        raise NotFound("No such file.")
    return _served(store, row, thumbnail, public=False)


def _served(store: FileStore, row: Attachment, thumbnail: bool, *, public: bool) -> Served:
    if thumbnail and not row.has_thumbnail:
        raise NotFound("This file has no thumbnail.")
    path = store.thumbnail_path(row.sha256) if thumbnail else store.blob_path(row.sha256)
    if not path.is_file():
        log.warning("The blob of attachment %s is missing from the store", row.id)
        raise NotFound("No such file.")
    if thumbnail:
        name = row.name.rsplit(".", 1)[0] + ".webp"
        return Served(path, images.THUMBNAIL_MEDIA_TYPE, name, True, f'"{row.sha256}-thumb"', public)
    kind = sniff.stored_type(row.media_type, row.name)
    media_type = f"{row.media_type}; charset=utf-8" if kind.kind == "text" else row.media_type
    return Served(path, media_type, row.name, kind.inline, f'"{row.sha256}"', public)


def _public(note: Note) -> bool:
    """Files any cache may keep: those of a live public note (a deleted one is for admins only)."""
    return policy.shared_caches_may_keep(note.visibility, note.deleted_at)


# --- writing ---------------------------------------------------------------------------------


def attach(
    *, session: Session, actor: policy.Actor, store: FileStore, note_id: str, source: BinaryIO | None, filename: str
) -> AttachmentRead:
    """Attach the file read from `source` (None: no file was sent) to a note the actor may edit.

    Its type comes from its bytes (`UnsupportedType` otherwise); it is kept once per content.
    """
    note, _ = note_service.load_editable(session, actor, note_id)
    return _keep(session, actor, store, source, filename, note_id=note.id)


def upload_draft(
    *, session: Session, actor: policy.Actor, store: FileStore, source: BinaryIO | None, filename: str
) -> AttachmentRead:
    """Keep the file read from `source` as a draft upload of the actor, for a note they are
    writing: `attach` without a note, within what one person may keep waiting (`drafts`)."""
    actor = policy.require_signed_in(actor, "Sign in to upload a file.")
    drafts.sweep(session, store)  # the expired drafts of anyone go first: a site only uploaded to sheds them too

    def room(size: int) -> None:
        drafts.check_room(session, actor, adding=size, max_upload_bytes=store.max_bytes)

    return _keep(session, actor, store, source, filename, note_id=None, check=room)


def _keep(
    session: Session,
    actor: policy.Actor,
    store: FileStore,
    source: BinaryIO | None,
    filename: str,
    *,
    note_id: str | None,
    check: Callable[[int], None] | None = None,
) -> AttachmentRead:
    """Receive, recognise, clean and keep a file (`check` may refuse it by its size once it is
    received), and record it as a file of `note_id` (None: a draft upload)."""
    if source is None:
        raise Invalid("No file was sent.", field="file", text=N_("Aucun fichier n'a été envoyé : choisissez-en un."))
    ready = receive(store, source, filename, check=check)
    row = record(session, actor, store, ready, note_id=note_id)
    return _read(session, row, actor.username if actor else None)


@dataclass
class Ready:
    """A file received, recognised and cleaned, waiting in the store to be kept."""

    received: Received
    kind: sniff.FileType
    name: str  # as it will be served
    width: int | None = None
    height: int | None = None
    thumbnail: bytes | None = None

    @property
    def sha256(self) -> str:
        return self.received.sha256


def receive(store: FileStore, source: BinaryIO, filename: str, *, check: Callable[[int], None] | None = None) -> Ready:
    """Receive, recognise and clean a file (`check` may refuse it by its size once it is
    received): the checks every file kept passes, uploaded or imported. Nothing is kept yet
    (`record` keeps it; `store.discard(ready.received)` lets it go)."""
    received = store.receive(source)
    try:
        kind = sniff.detect(received.path, filename)
        picture = images.read_image(received.path, kind) if kind in sniff.IMAGES else None
        if picture is not None:
            received = _without_metadata(store, received, kind)
        drawing = None
        if kind == sniff.SVG:  # what is kept (and hashed) is the drawing without what runs or fetches
            drawing = svg.sanitise(received.path.read_bytes())
            store.discard(received)
            received = store.receive(io.BytesIO(drawing.data))
        if check is not None:
            check(received.size)
    except BaseException:
        store.discard(received)
        raise
    return Ready(
        received=received,
        kind=kind,
        name=clean_name(filename, kind),
        width=picture.width if picture else drawing.width if drawing else None,
        height=picture.height if picture else drawing.height if drawing else None,
        thumbnail=picture.thumbnail if picture else None,
    )


def record(
    session: Session,
    actor: policy.Actor,
    store: FileStore,
    ready: Ready,
    *,
    note_id: str | None,
    attachment_id: str | None = None,
) -> Attachment:
    """Keep a received file's blob (once per content) and record it as a file of `note_id`
    (None: a draft upload). The same `ready` may be recorded for several notes."""
    keep_blob(session, store, ready)
    row = Attachment(**row_values(actor, ready, note_id=note_id, attachment_id=attachment_id or new_attachment_id()))
    session.add(row)
    session.flush()
    return row


def keep_blob(session: Session, store: FileStore, ready: Ready) -> None:
    """Keep a received file's bytes (and its thumbnail), once per content, for a row that names
    them to be written in the same transaction."""
    blob_turn(session, ready.sha256)  # until this upload commits, the blob is not collected
    store.keep(ready.received)
    if ready.thumbnail is not None and not store.thumbnail_path(ready.sha256).exists():
        store.write_thumbnail(ready.sha256, ready.thumbnail)


def row_values(actor: policy.Actor, ready: Ready, *, note_id: str | None, attachment_id: str) -> dict:
    """The attachment row of a received file."""
    return {
        "id": attachment_id,
        "note_id": note_id,
        "sha256": ready.sha256,
        "name": ready.name,
        "media_type": ready.kind.media_type,
        "size": ready.received.size,
        "width": ready.width,
        "height": ready.height,
        "has_thumbnail": ready.thumbnail is not None,
        "uploaded_by_id": actor.id if actor else None,
        "created_at": utcnow(),
    }


def new_attachment_id() -> str:
    return secrets.token_urlsafe(9)


def _without_metadata(store: FileStore, received: Received, kind: sniff.FileType) -> Received:
    """The received image without its personal metadata (where it was taken, by whom, with
    what), kept in place of what was sent; the same one when it carries none."""
    try:
        cleaned = metadata.without_metadata(received.path, kind)
    except images.UNREADABLE:
        raise images.unreadable(kind) from None
    if cleaned is None:
        return received
    store.discard(received)
    return store.receive(io.BytesIO(cleaned))


def delete(*, session: Session, actor: policy.Actor, store: FileStore, note_id: str, attachment_id: str) -> str:
    """Remove a file from a note the actor may edit; its blob goes once no attachment uses it.
    Answers with the file's name, for the page that says it is gone."""
    note, _ = note_service.load_editable(session, actor, note_id)
    row = _load(session, note, attachment_id)
    name = row.name
    session.delete(row)
    session.flush()
    # The blob is removed only once the deletion is committed, and only if, by then, no other
    # attachment (of any note, deleted ones included) holds the same bytes.
    collect_after_commit(session, store, [row.sha256])
    return name
