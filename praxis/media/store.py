"""Where attached files live: `DATA_DIR/uploads/<first two hex>/<sha256>`, one blob per content,
and their thumbnails under `uploads/thumbs/`. Every file is written whole to a temporary file,
synced, then renamed into place, so a reader never sees half a file, even after a crash."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from praxis.errors import TooLarge
from praxis.i18n import N_, format_size, gettext

if TYPE_CHECKING:
    from praxis.config import Settings

_CHUNK = 1 << 20
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Received:
    """An upload written to a temporary file of the store, not yet kept."""

    path: Path
    sha256: str
    size: int


class FileStore:
    """The blobs of attached files, by content hash, under `root`."""

    def __init__(self, root: Path, *, max_bytes: int, sync: bool = True) -> None:
        self.root = root
        self.max_bytes = max_bytes
        # False: files are not synced one by one; whoever writes many (an import) calls
        # `sync_all` once before committing the rows that name them.
        self.sync = sync

    def unsynced(self) -> FileStore:
        """The same store, writing without syncing each file (see `sync_all`)."""
        return FileStore(self.root, max_bytes=self.max_bytes, sync=False)

    def sync_all(self) -> None:
        """Make every file written so far durable, at once (a file-by-file fsync costs a journal
        commit each: most of an import's time for a vault of small images)."""
        os.sync()

    @classmethod
    def for_settings(cls, settings: Settings) -> FileStore:
        """The site's store: `DATA_DIR/uploads`, files up to PRAXIS_MAX_UPLOAD_BYTES."""
        return cls(settings.data_dir / "uploads", max_bytes=settings.max_upload_bytes)

    def blob_path(self, sha256: str) -> Path:
        return self.root / _checked(sha256)[:2] / sha256

    def thumbnail_path(self, sha256: str) -> Path:
        return self.root / "thumbs" / _checked(sha256)[:2] / f"{sha256}.webp"

    def receive(self, source: BinaryIO) -> Received:
        """Copy `source` into a temporary file of the store, hashing it on the way; `TooLarge`
        (and nothing left behind) past `max_bytes`."""
        tmp = self._temp_file()
        digest, size = hashlib.sha256(), 0
        try:
            with tmp.open("wb") as out:
                while chunk := source.read(_CHUNK):
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise TooLarge(
                            too_large_message(self.max_bytes),
                            field="file",
                            text=TOO_LARGE_TEXT,
                            params={"size": format_size(self.max_bytes)},
                            max_bytes=self.max_bytes,
                        )
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                if self.sync:
                    os.fsync(out.fileno())
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return Received(path=tmp, sha256=digest.hexdigest(), size=size)

    def keep(self, received: Received) -> Path:
        """Move a received file to its blob path; a blob of the same content is already it."""
        target = self.blob_path(received.sha256)
        if target.exists():
            self.discard(received)
        else:
            _move_into_place(received.path, target, sync=self.sync)
        return target

    def discard(self, received: Received) -> None:
        received.path.unlink(missing_ok=True)

    def write_thumbnail(self, sha256: str, data: bytes) -> None:
        target = self.thumbnail_path(sha256)
        if target.exists():
            return
        tmp = self._temp_file()
        try:
            with tmp.open("wb") as out:
                out.write(data)
                out.flush()
                if self.sync:
                    os.fsync(out.fileno())
            _move_into_place(tmp, target, sync=self.sync)
        finally:
            tmp.unlink(missing_ok=True)

    def remove(self, sha256: str) -> None:
        """Remove a blob and its thumbnail (when no attachment uses them any more)."""
        self.blob_path(sha256).unlink(missing_ok=True)
        self.thumbnail_path(sha256).unlink(missing_ok=True)

    def _temp_file(self) -> Path:
        # In the store itself, so that the final rename never crosses file systems.
        folder = self.root / "tmp"
        try:
            fd, name = tempfile.mkstemp(dir=folder, prefix="upload-")
        except FileNotFoundError:  # the first file of the store: its folder made once
            folder.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=folder, prefix="upload-")
        os.close(fd)
        return Path(name)


TOO_LARGE_TEXT = N_("Le fichier dépasse la taille permise : un fichier joint peut peser au plus %(size)s.")


def too_large_message(max_bytes: int) -> str:
    """What the API says of a file over the limit."""
    return f"The file is larger than allowed: an attached file may weigh at most {format_size(max_bytes, 'en')}."


def too_large_text(max_bytes: int) -> str:
    """What a page says of it, in the reader's language."""
    return gettext(TOO_LARGE_TEXT) % {"size": format_size(max_bytes)}


def _checked(sha256: str) -> str:
    if not _SHA256.match(sha256):
        raise ValueError("not a SHA-256 digest")
    return sha256


def _move_into_place(source: Path, target: Path, *, sync: bool = True) -> None:
    try:
        os.replace(source, target)
    except FileNotFoundError:  # the first blob of its folder
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
    if not sync:
        return
    # The rename itself is made durable by syncing the folder that holds the new name.
    fd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
