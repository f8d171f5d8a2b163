"""The archive: written from a snapshot (`create_backup`), and read back with its manifest."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import re
import shutil
import tarfile
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from praxis.backup.common import (
    _CHUNK,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    POSTGRES_MEMBER,
    SECRET_KEY,
    SQLITE_MEMBER,
    BackupError,
    Progress,
    Summary,
    _backend,
    _os_message,
    _praxis_version,
    _sha256_file,
    _staging,
    _sync_folder,
    human_size,
)
from praxis.backup.snapshot import _BlobLinker, _consistent_snapshot, _Snapshot
from praxis.config import Settings

MAX_MANIFEST_BYTES = 1 << 20
_BLOB = re.compile(r"^uploads/([0-9a-f]{2})/([0-9a-f]{64})$")
_THUMB = re.compile(r"^uploads/thumbs/([0-9a-f]{2})/([0-9a-f]{64})\.webp$")


# --- backup ----------------------------------------------------------------------------------


def create_backup(settings: Settings, path: Path, progress: Progress | None = None) -> Summary:
    """Write a consistent snapshot of the site (database, attached files, secret key) to `path`.

    The site may be serving writes meanwhile. `path` must not exist; the archive is written to
    `path.partial` and renamed only once whole and synced, so a failed backup leaves no file that
    looks like a backup.
    """
    say = progress or (lambda _message: None)
    path = Path(path)
    if path.exists() or path.is_symlink():
        raise BackupError(f"{path} exists (a backup never overwrites a file)")
    if not path.parent.is_dir():
        raise BackupError(f"{path.parent} is not a folder")
    partial = path.with_name(path.name + ".partial")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # it holds the secret key
    except FileExistsError:
        raise BackupError(
            f"{partial} exists: another backup is writing it, or one was interrupted (delete it)"
        ) from None
    except OSError as exc:
        raise BackupError(f"cannot write {partial}: {exc.strerror}") from None
    try:
        linker = _BlobLinker(settings.data_dir / "uploads")
        try:
            with os.fdopen(fd, "wb") as out, _staging(path.parent, f".{path.name}.") as work:
                snapshot, missing, attempts = _consistent_snapshot(settings, work, linker, say)
                files = _write_archive(out, settings, snapshot, missing, linker, work, say)
                out.flush()
                os.fsync(out.fileno())
        finally:
            linker.close()
        _publish(partial, path)
    except BaseException as exc:
        partial.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise BackupError(f"the backup failed: {_os_message(exc)}") from exc
        raise
    size = path.stat().st_size
    summary = Summary(
        path=path,
        backend=_backend(settings),
        revision=snapshot.revision,
        counts=snapshot.counts,
        files=files,
        size=size,
        missing=sorted(missing),
    )
    if missing:
        summary.warnings.append(
            f"{len(missing)} attached file(s) listed by the database were already missing from "
            f"{settings.data_dir / 'uploads'}; the backup holds everything else (see missing_files in its manifest)"
        )
    if attempts > 1:
        say(f"Files were deleted while the database was copied; took {attempts} snapshots.")
    return summary


def _write_archive(
    out: IO[bytes],
    settings: Settings,
    snapshot: _Snapshot,
    missing: set[str],
    linker: _BlobLinker,
    work: Path,
    say: Progress,
) -> int:
    """The manifest first (what the archive holds, so that a cut file is told from a whole one),
    then the database, the secret key, the blobs and the thumbnails."""
    if settings.is_sqlite:
        member, database = SQLITE_MEMBER, work / "praxis.db.gz"
        with snapshot.database.open("rb") as raw, gzip.open(database, "wb", compresslevel=6) as packed:
            shutil.copyfileobj(raw, packed, _CHUNK)
        snapshot.database.unlink()
    else:
        member, database = POSTGRES_MEMBER, snapshot.database
    secret = settings.data_dir / SECRET_KEY
    secret_bytes = secret.read_bytes() if secret.is_file() else None
    blobs = sorted(linker.linked.items())
    thumbs = sorted(linker.thumbs.items())
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "praxis": _praxis_version(),
        "backend": _backend(settings),
        "alembic_revision": snapshot.revision,
        "counts": snapshot.counts,
        "database": {"name": member, "size": database.stat().st_size, "sha256": _sha256_file(database)},
        "secret_key": None if secret_bytes is None else hashlib.sha256(secret_bytes).hexdigest(),
        "uploads": {
            "blobs": len(blobs),
            "thumbnails": len(thumbs),
            "bytes": sum(p.stat().st_size for _, p in blobs + thumbs),
        },
        "missing_files": sorted(missing),
    }
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False).encode() + b"\n")
        _add_file(tar, member, database)
        if secret_bytes is not None:
            _add_bytes(tar, SECRET_KEY, secret_bytes)
        say(f"Archiving {len(blobs)} attached files ({human_size(manifest['uploads']['bytes'])}).")
        for sha256, source in blobs:
            _add_file(tar, f"uploads/{sha256[:2]}/{sha256}", source)
        for sha256, source in thumbs:
            _add_file(tar, f"uploads/thumbs/{sha256[:2]}/{sha256}.webp", source)
    return len(blobs)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    tar.addfile(_member(name, len(data)), io.BytesIO(data))


def _add_file(tar: tarfile.TarFile, name: str, source: Path) -> None:
    with source.open("rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        tar.addfile(_member(name, size), fh)


def _member(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, int(time.time())
    return info


def _publish(partial: Path, path: Path) -> None:
    """Give the finished archive its name, never replacing a file that appeared meanwhile."""
    try:
        os.link(partial, path)
    except FileExistsError:
        raise BackupError(
            f"{path} appeared while the backup ran (a backup never overwrites a file); nothing was written"
        ) from None
    except OSError:  # a file system without hard links
        if path.exists():
            raise BackupError(
                f"{path} appeared while the backup ran (a backup never overwrites a file); nothing was written"
            ) from None
        os.rename(partial, path)
    else:
        partial.unlink()
    _sync_folder(path.parent)


# --- reading ---------------------------------------------------------------------------------


_TAR_ERRORS = (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile)


@contextmanager
def _archive(path: Path) -> Iterator[tuple[dict[str, Any], tarfile.TarFile]]:
    """The manifest, and the archive read as one stream, positioned after it."""
    try:
        tar = tarfile.open(path, "r|*")  # "*": a backup someone gzipped afterwards reads as well
    except _TAR_ERRORS:
        raise BackupError(f"{path} is not a Praxis backup") from None
    with tar:
        try:
            first = tar.next()
            reader = tar.extractfile(first) if first is not None and first.isreg() else None
            if first is None or first.name != MANIFEST or reader is None or first.size > MAX_MANIFEST_BYTES:
                raise BackupError(f"{path} is not a Praxis backup")
            raw = reader.read()
        except _TAR_ERRORS as exc:
            raise BackupError(_unreadable(path, exc)) from None
        try:
            manifest = json.loads(raw)
        except ValueError:
            raise BackupError(f"{path} is not a Praxis backup (its manifest is unreadable)") from None
        if not isinstance(manifest, dict):
            raise BackupError(f"{path} is not a Praxis backup")
        yield manifest, tar


def _unreadable(path: Path, exc: BaseException) -> str:
    if isinstance(exc, EOFError) or "unexpected end" in str(exc):
        return f"{path} is truncated ({str(exc) or 'the file ends too soon'})"
    return f"{path} is not a Praxis backup ({exc})"


def _extract(path: Path, manifest: dict[str, Any], tar: tarfile.TarFile, staging: Path) -> int:
    """Write the members after the manifest to `staging` (the data dir's layout), checking each:
    a blob against its name, the database and the secret key against the manifest, and at the
    end that nothing the manifest lists is missing (a file cut between two members)."""
    database = manifest["database"]
    uploads = manifest.get("uploads") or {}
    found: dict[str, str] = {}  # database, secret key -> sha256
    blobs = thumbs = 0
    try:
        while (member := tar.next()) is not None:
            name = member.name
            blob = _BLOB.match(name)
            if not member.isreg():
                raise BackupError(f"{path} is not a Praxis backup (unexpected entry {name})")
            if name == database.get("name") and "database" not in found:
                target, kind = staging / Path(name).name, "database"
            elif name == SECRET_KEY and SECRET_KEY not in found:
                target, kind = staging / SECRET_KEY, SECRET_KEY
            elif blob and blob.group(1) == blob.group(2)[:2]:
                target, kind = staging / name, "blob"
                blobs += 1
            elif _THUMB.match(name):
                target, kind = staging / name, "thumbnail"
                thumbs += 1
            else:
                raise BackupError(f"{path} is not a Praxis backup (unexpected entry {name})")
            target.parent.mkdir(parents=True, exist_ok=True)
            digest = _copy_member(tar, member, target)
            if kind == "blob" and blob is not None and digest != blob.group(2):
                raise BackupError(f"{path} is damaged ({name} does not hold the bytes it is named after)")
            if kind in ("database", SECRET_KEY):
                found[kind] = digest
    except _TAR_ERRORS as exc:
        raise BackupError(f"{path} is truncated or damaged ({str(exc) or type(exc).__name__})") from None
    if (
        "database" not in found
        or blobs != uploads.get("blobs")
        or thumbs != uploads.get("thumbnails")
        or found.get(SECRET_KEY) != manifest.get("secret_key")
    ):
        raise BackupError(f"{path} is truncated or damaged (it lacks entries its manifest lists)")
    if found["database"] != database.get("sha256"):
        raise BackupError(f"{path} is damaged (its database does not match its manifest)")
    if SECRET_KEY in found:
        (staging / SECRET_KEY).chmod(0o600)
    return blobs


def _copy_member(tar: tarfile.TarFile, member: tarfile.TarInfo, target: Path) -> str:
    reader = tar.extractfile(member)
    if reader is None:
        raise tarfile.ReadError(f"unreadable entry {member.name}")
    digest, size = hashlib.sha256(), 0
    with target.open("wb") as out:
        while chunk := reader.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    if size != member.size:
        raise tarfile.ReadError(f"unexpected end of data in {member.name}")
    return digest.hexdigest()
