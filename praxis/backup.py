"""`praxis backup` and `praxis restore`: one archive holding everything a site holds.

The archive is a plain tar file:

- `manifest.json`, first: format and version, backend, Alembic revision, date, site counts, and
  what the archive must hold (so a truncated file is told from a complete one);
- `database/praxis.db.gz` (SQLite, a copy made with SQLite's online backup API, gzip-compressed) or
  `database/praxis.pgdump` (PostgreSQL, `pg_dump --format=custom`, compressed by pg_dump);
- `secret_key`, the generated key, when the data dir has one (sessions survive a restore);
- `uploads/<2 hex>/<sha256>`, the blobs of attached files, and `uploads/thumbs/…` their thumbnails.

The search index is derived from the database and never archived: a restore rebuilds it.

Consistency while the site serves writes. The database is snapshotted once, at one point in time:
SQLite's backup API copies the whole file in one step inside one read transaction (WAL writers go
on meanwhile); on PostgreSQL a REPEATABLE READ transaction exports its snapshot, reads the site's
attachments in it, and `pg_dump --snapshot` dumps exactly that state. Attached files are then
taken from the store: blobs are written (and synced) before the row that names them commits, and
removed only after the deletion of their last row commits, so every blob the snapshot names was
in the store when the snapshot was taken. Right after the snapshot, each blob it names is
hard-linked into a staging folder of the store (a link costs no copy, and keeps the bytes even if
the site removes the blob a moment later). A blob that is already gone by then was deleted by a
write committed after the snapshot: the backup takes a new snapshot, which no longer names it.
A blob missing from two snapshots in a row is not a race but a file the site had already lost;
the backup goes on without it, says so, and lists it in the manifest (the restored site answers
404 for it, as the live one does).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory

from praxis.config import Settings
from praxis.db import MIGRATIONS_DIR, make_engine, refresh_statistics, upgrade, vacuum_after_bulk
from praxis.errors import DomainError

FORMAT = "praxis-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/praxis.db.gz"
POSTGRES_MEMBER = "database/praxis.pgdump"
SECRET_KEY = "secret_key"
SNAPSHOT_ATTEMPTS = 5
COUNTED = ("notes", "revisions", "files")
MAX_MANIFEST_BYTES = 1 << 20
_CHUNK = 1 << 20
_BLOB = re.compile(r"^uploads/([0-9a-f]{2})/([0-9a-f]{64})$")
_THUMB = re.compile(r"^uploads/thumbs/([0-9a-f]{2})/([0-9a-f]{64})\.webp$")
# The derived search index lives in this schema on PostgreSQL (see praxis/search/postgres_index.py).
SEARCH_SCHEMA = "praxis_search"

Progress = Callable[[str], None]


class BackupError(DomainError):
    """A backup or a restore that cannot be done; the message says why, in one line."""


@dataclass
class Summary:
    """What a backup or a restore did."""

    path: Path
    backend: str
    revision: str | None
    counts: dict[str, int]
    files: int = 0  # blobs archived or restored
    size: int = 0  # bytes of the archive
    missing: list[str] = field(default_factory=list)  # blobs the site lists but had already lost
    migrated_to: str | None = None  # restore: the revision the database was brought to
    indexed: int | None = None  # restore: notes in the rebuilt search index
    warnings: list[str] = field(default_factory=list)


# --- backup ----------------------------------------------------------------------------------


@dataclass
class _Snapshot:
    """One consistent state of the database, staged in a file, and the blobs it names."""

    database: Path  # the staged copy or dump
    revision: str
    counts: dict[str, int]
    blobs: dict[str, bool]  # sha256 -> has a thumbnail


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


def _consistent_snapshot(
    settings: Settings, work: Path, linker: _BlobLinker, say: Progress
) -> tuple[_Snapshot, set[str], int]:
    """A database snapshot and a hard link to every blob it names, retried while blobs vanish."""
    previous: set[str] | None = None
    for attempt in range(1, SNAPSHOT_ATTEMPTS + 1):  # noqa: B007 - returned after the loop
        take = _snapshot_sqlite if settings.is_sqlite else _snapshot_postgres
        snapshot, missing = take(settings, work, linker.link)
        if not missing:
            break
        if previous is not None and missing <= previous:
            break  # missing from two snapshots in a row: lost before the backup, not a race
        previous = missing
    else:
        raise BackupError(
            f"attached files kept being deleted while the backup ran ({SNAPSHOT_ATTEMPTS} snapshots); try again"
        )
    linker.keep_only(snapshot.blobs)
    say(
        f"Database snapshot: {snapshot.counts['notes']} notes, {snapshot.counts['revisions']} revisions, "
        f"{snapshot.counts['files']} attached files."
    )
    return snapshot, missing, attempt


class _BlobLinker:
    """Hard links to blobs (and thumbnails) in a staging folder inside the store itself, so that
    the link never crosses file systems; a copy where links are not allowed."""

    def __init__(self, store: Path) -> None:
        self.store = store
        self.folder: Path | None = None
        self.linked: dict[str, Path] = {}
        self.thumbs: dict[str, Path] = {}
        self.can_link = True

    def _folder(self) -> Path:
        if self.folder is None:
            tmp = self.store / "tmp"  # the store's own temporary folder, never archived
            tmp.mkdir(parents=True, exist_ok=True)
            self.folder = Path(tempfile.mkdtemp(dir=tmp, prefix="backup-"))
        return self.folder

    def _take(self, source: Path, target: Path) -> bool:
        if self.can_link:
            try:
                os.link(source, target)
                return True
            except FileNotFoundError:
                return False
            except OSError:
                self.can_link = False  # a file system without hard links: copy instead
        try:
            shutil.copyfile(source, target)
            return True
        except FileNotFoundError:
            return False

    def link(self, blobs: dict[str, bool]) -> set[str]:
        """Take every blob (and thumbnail) not taken yet; return the blobs that are missing."""
        missing = set()
        for sha256, has_thumbnail in blobs.items():
            if sha256 not in self.linked:
                if not self.store.is_dir() or not self._take(self.store / sha256[:2] / sha256, self._folder() / sha256):
                    missing.add(sha256)
                    continue
                self.linked[sha256] = self._folder() / sha256
            if has_thumbnail and sha256 not in self.thumbs:
                # Thumbnails are derived; one the site lacks is simply not archived.
                thumb = self.store / "thumbs" / sha256[:2] / f"{sha256}.webp"
                if self._take(thumb, self._folder() / f"{sha256}.webp"):
                    self.thumbs[sha256] = self._folder() / f"{sha256}.webp"
        return missing

    def keep_only(self, blobs: dict[str, bool]) -> None:
        """Forget what an earlier snapshot named and the last one does not."""
        for taken in (self.linked, self.thumbs):
            for sha256 in [s for s in taken if s not in blobs]:
                taken.pop(sha256).unlink(missing_ok=True)

    def close(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


def _read_site(conn: Any, exists: Callable[[str], bool]) -> tuple[str, dict[str, int], dict[str, bool]]:
    """Revision, counts and named blobs, read on a DB-API or SQLAlchemy connection."""

    def rows(sql: str) -> list[tuple[Any, ...]]:
        # An if statement, not a conditional expression: mypy 2.4.1 crashes inferring the latter's
        # type (Result[*tuple[Any, ...]] joined with Any).
        if isinstance(conn, sa.Connection):
            return [tuple(row) for row in conn.execute(sa.text(sql))]
        return [tuple(row) for row in conn.execute(sql)]

    if not exists("alembic_version") or not exists("note"):
        raise BackupError("the database holds no Praxis site (no tables); nothing to back up")
    revision = rows("SELECT version_num FROM alembic_version")[0][0]
    counts = {
        "notes": rows("SELECT count(*) FROM note")[0][0],
        "revisions": rows("SELECT count(*) FROM revision")[0][0],
        "files": 0,
    }
    blobs: dict[str, bool] = {}
    if exists("attachment"):  # before migration 0009 a site has no attached files
        counts["files"] = rows("SELECT count(*) FROM attachment")[0][0]
        for sha256, has_thumbnail in rows("SELECT sha256, has_thumbnail FROM attachment"):
            blobs[sha256] = blobs.get(sha256, False) or bool(has_thumbnail)
    return revision, counts, blobs


def _snapshot_sqlite(
    settings: Settings, work: Path, link: Callable[[dict[str, bool]], set[str]]
) -> tuple[_Snapshot, set[str]]:
    source_path = _sqlite_path(settings)
    if not source_path.is_file():
        raise BackupError(f"no database at {source_path}; nothing to back up")
    copy = work / "praxis.db"
    copy.unlink(missing_ok=True)
    # mode=rw: never create an empty database where the site's should be.
    source = sqlite3.connect(f"file:{source_path}?mode=rw", uri=True, timeout=settings.sqlite_busy_ms / 1000)
    try:
        target = sqlite3.connect(copy)
        try:
            # pages=-1: the whole database in one step, inside one read transaction: one point in
            # time, while WAL writers go on committing.
            source.backup(target, pages=-1)
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file

            def exists(name: str) -> bool:
                return bool(
                    target.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone()
                )

            revision, counts, blobs = _read_site(target, exists)
        finally:
            target.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"cannot copy the database {source_path}: {exc}") from None
    finally:
        source.close()
    missing = link(blobs)
    return _Snapshot(copy, revision, counts, blobs), missing


def _snapshot_postgres(
    settings: Settings, work: Path, link: Callable[[dict[str, bool]], set[str]]
) -> tuple[_Snapshot, set[str]]:
    pg_dump = _tool("pg_dump")
    dump = work / "praxis.pgdump"
    dump.unlink(missing_ok=True)
    engine = make_engine(settings)
    try:
        with engine.connect() as conn:
            conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            with conn.begin():
                # The snapshot is fixed by this first statement; pg_dump imports it below, so the
                # dump and what is read here are one and the same state.
                snapshot_id = conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar()

                def exists(name: str) -> bool:
                    return bool(
                        conn.execute(
                            sa.text("SELECT to_regclass(:name) IS NOT NULL"), {"name": f"public.{name}"}
                        ).scalar()
                    )

                revision, counts, blobs = _read_site(conn, exists)
                missing = link(blobs)  # while the snapshot is held: the window is as short as can be
                conninfo, env = _libpq(settings.resolved_database_url)
                _run(
                    [
                        pg_dump,
                        "--format=custom",
                        f"--snapshot={snapshot_id}",
                        f"--exclude-schema={SEARCH_SCHEMA}",
                        f"--file={dump}",
                        f"--dbname={conninfo}",
                    ],
                    env,
                    "pg_dump",
                )
    finally:
        engine.dispose()
    return _Snapshot(dump, revision, counts, blobs), missing


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


# --- restore ---------------------------------------------------------------------------------


def restore_backup(settings: Settings, path: Path, progress: Progress | None = None) -> Summary:
    """Bring the archive at `path` back into an empty data dir (and, on PostgreSQL, an empty
    database), migrate it to this version's schema, and rebuild the search index.

    The archive is checked as it is read (every blob against its name, the database against the
    manifest, nothing missing or unexpected); anything wrong stops the restore and removes what it
    wrote, so the data dir and the database are left as they were found."""
    say = progress or (lambda _message: None)
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"no file {path}")
    backend = _backend(settings)
    data_dir = settings.data_dir
    with _archive(path) as (manifest, tar):
        _check_manifest(path, manifest, backend)
        _check_target(settings)
        created = not data_dir.exists()
        staging: Path | None = None
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(dir=data_dir, prefix=".restore-"))
            files = _extract(path, manifest, tar, staging)
            say(f"Archive read: {manifest['counts']['notes']} notes, {files} attached files.")
            if backend == "sqlite":
                migrated, counts = _load_sqlite(settings, staging, manifest)
            else:
                migrated, counts = _load_postgres(settings, staging, manifest)
            _move_into_place(staging, data_dir, _sqlite_path(settings) if backend == "sqlite" else None)
        except BaseException as exc:
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
            if created:
                shutil.rmtree(data_dir, ignore_errors=True)
            if isinstance(exc, OSError):
                raise BackupError(f"the restore failed: {_os_message(exc)}") from exc
            raise
    summary = Summary(
        path=path,
        backend=backend,
        revision=manifest["alembic_revision"],
        counts=counts,
        files=files,
        size=path.stat().st_size,
        missing=list(manifest.get("missing_files") or []),
        migrated_to=migrated,
    )
    if summary.missing:
        summary.warnings.append(
            f"{len(summary.missing)} attached file(s) were already missing from the site "
            "when it was backed up; they are missing here too"
        )
    summary.indexed = _rebuild_search(settings, summary, say)
    return summary


def _check_manifest(path: Path, manifest: dict[str, Any], backend: str) -> None:
    if manifest.get("format") != FORMAT or not isinstance(manifest.get("version"), int):
        raise BackupError(f"{path} is not a Praxis backup")
    if manifest["version"] > FORMAT_VERSION:
        raise BackupError(
            f"{path} was written by a newer Praxis (backup format {manifest['version']}); upgrade Praxis to restore it"
        )
    if manifest.get("backend") not in ("sqlite", "postgresql"):
        raise BackupError(f"{path} is not a Praxis backup (its manifest is incomplete)")
    if manifest["backend"] != backend:
        where = (
            "PRAXIS_DATABASE_URL naming a PostgreSQL database"
            if manifest["backend"] == "postgresql"
            else "no PRAXIS_DATABASE_URL (SQLite in the data dir)"
        )
        raise BackupError(
            f"{path} is a backup of a {_backend_name(manifest['backend'])} site and this site uses "
            f"{_backend_name(backend)}; restore it with {where}"
        )
    counts, database = manifest.get("counts"), manifest.get("database")
    member = SQLITE_MEMBER if backend == "sqlite" else POSTGRES_MEMBER
    if not (
        isinstance(counts, dict)
        and all(isinstance(counts.get(k), int) for k in COUNTED)
        and isinstance(database, dict)
        and database.get("name") == member
        and isinstance(database.get("sha256"), str)
        and isinstance(manifest.get("uploads"), dict)
        and isinstance(manifest.get("alembic_revision"), str)
    ):
        raise BackupError(f"{path} is not a Praxis backup (its manifest is incomplete)")
    revision, known = manifest["alembic_revision"], _known_revisions()
    if revision not in known:
        raise BackupError(
            f"{path} holds a database at migration {revision}, newer than this Praxis knows "
            f"(up to {known[-1]}); upgrade Praxis to restore it"
        )


def _check_target(settings: Settings) -> None:
    data_dir = settings.data_dir
    if data_dir.exists() and (not data_dir.is_dir() or any(data_dir.iterdir())):
        raise BackupError(f"{data_dir} is not empty (a restore only fills an empty data dir)")
    if settings.is_sqlite:
        database = _sqlite_path(settings)
        if database.exists():
            raise BackupError(f"{database} exists (a restore never replaces a database)")
        return
    engine = make_engine(settings)
    try:
        with engine.connect() as conn:
            tables = conn.exec_driver_sql(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') "
                "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND left(n.nspname, 3) <> 'pg_'"
            ).scalar()
            name = conn.exec_driver_sql("SELECT current_database()").scalar()
    finally:
        engine.dispose()
    if tables:
        raise BackupError(f"the database {name} already has tables (a restore only fills an empty database)")


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


def _load_sqlite(settings: Settings, staging: Path, manifest: dict[str, Any]) -> tuple[str | None, dict[str, int]]:
    packed, database = staging / Path(SQLITE_MEMBER).name, staging / "praxis.db"
    try:
        with gzip.open(packed, "rb") as source, database.open("wb") as out:
            shutil.copyfileobj(source, out, _CHUNK)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise BackupError(f"the database in the backup is damaged ({exc})") from None
    packed.unlink()
    staged = settings.model_copy(update={"data_dir": staging, "database_url": f"sqlite:///{database}"})
    result = _migrate(staged, manifest)
    conn = sqlite3.connect(database)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")  # one file to move, nothing left in a -wal
    finally:
        conn.close()
    return result


def _load_postgres(settings: Settings, staging: Path, manifest: dict[str, Any]) -> tuple[str | None, dict[str, int]]:
    pg_restore = _tool("pg_restore")
    dump = staging / Path(POSTGRES_MEMBER).name
    conninfo, env = _libpq(settings.resolved_database_url)
    # One transaction: a restore that fails leaves the database as empty as it found it.
    _run(
        [
            pg_restore,
            "--no-owner",
            "--no-acl",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={conninfo}",
            str(dump),
        ],
        env,
        "pg_restore",
    )
    dump.unlink()
    try:
        return _migrate(settings, manifest)
    except Exception as exc:
        reason = exc.message if isinstance(exc, BackupError) else str(exc).strip().splitlines()[0]
        raise BackupError(f"{reason} (the database was restored nonetheless: empty it before trying again)") from exc


def _migrate(settings: Settings, manifest: dict[str, Any]) -> tuple[str | None, dict[str, int]]:
    """Bring the restored database to this version's schema; check it holds what was backed up."""
    engine = make_engine(settings)
    try:
        migrated = None
        head = _known_revisions()[-1]
        if manifest["alembic_revision"] != head:
            upgrade(engine, settings=settings)
            migrated = head
        with engine.connect() as conn:
            counts = {
                "notes": conn.exec_driver_sql("SELECT count(*) FROM note").scalar() or 0,
                "revisions": conn.exec_driver_sql("SELECT count(*) FROM revision").scalar() or 0,
                "files": conn.exec_driver_sql("SELECT count(*) FROM attachment").scalar() or 0,
            }
        refresh_statistics(engine)
        vacuum_after_bulk(engine)
    finally:
        engine.dispose()
    if counts != {name: manifest["counts"][name] for name in COUNTED}:
        raise BackupError(
            f"the restored database does not hold what the backup's manifest counts "
            f"({counts} instead of {manifest.get('counts')})"
        )
    return migrated, counts


def _move_into_place(staging: Path, data_dir: Path, database: Path | None) -> None:
    """Move what was staged into the data dir (the SQLite file where PRAXIS_DATABASE_URL says)."""
    for entry in sorted(staging.iterdir()):
        if entry.name == "praxis.db" and database is not None:
            database.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(entry, database)  # a rename, unless the database lives on another file system
        else:
            os.replace(entry, data_dir / entry.name)
    staging.rmdir()
    _sync_folder(data_dir)


def _rebuild_search(settings: Settings, summary: Summary, say: Progress) -> int | None:
    """Build the search index from the restored database, as `praxis reindex` does. The data is
    in place by then: a failure only leaves the index to be built when the site starts."""
    from praxis.search import make_indexer

    engine = make_engine(settings)
    indexer = make_indexer(settings, engine)
    try:
        say(f"Building the search index ({indexer.index.name}).")
        return indexer.rebuild()
    except Exception as exc:  # noqa: BLE001 — the restore itself succeeded
        summary.warnings.append(f"the search index could not be built ({exc}); the site builds it when it starts")
        return None
    finally:
        indexer.close()
        engine.dispose()


# --- helpers ---------------------------------------------------------------------------------


def _backend(settings: Settings) -> str:
    return "sqlite" if settings.is_sqlite else "postgresql"


def _backend_name(backend: str) -> str:
    return "SQLite" if backend == "sqlite" else "PostgreSQL"


def _sqlite_path(settings: Settings) -> Path:
    database = sa.engine.make_url(settings.resolved_database_url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError("PRAXIS_DATABASE_URL must name a SQLite file (sqlite:///path) to back it up or restore it")
    return Path(database)


def _known_revisions() -> list[str]:
    """Every migration this version knows, oldest first."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    script = ScriptDirectory.from_config(config)
    return [s.revision for s in reversed(list(script.walk_revisions()))]


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """The SQLAlchemy URL as a libpq connection URI (no driver); the password goes in the
    environment, never on a command line other users can read."""
    parsed = sa.engine.make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    return parsed.set(drivername="postgresql", password=None).render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").is_file() else None)
    if found is None:
        raise BackupError(f"{name} is not installed (PostgreSQL's client tools are needed for a PostgreSQL site)")
    return found


def _run(command: list[str], env: dict[str, str], name: str) -> None:
    done = subprocess.run(command, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if done.returncode != 0:
        lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
        errors = [line for line in lines if "error" in line.lower()] or lines
        raise BackupError(f"{name} failed: {errors[0] if errors else f'exit status {done.returncode}'}")


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def _staging(parent: Path, prefix: str) -> Iterator[Path]:
    work = Path(tempfile.mkdtemp(dir=parent, prefix=prefix))
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _os_message(exc: OSError) -> str:
    where = f"{exc.filename}: " if exc.filename else ""
    return f"{where}{exc.strerror or exc}"


def _praxis_version() -> str:
    try:
        return metadata.version("praxis")
    except metadata.PackageNotFoundError:
        return "unknown"


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{size} B"
