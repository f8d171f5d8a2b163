"""A consistent snapshot of the site: its database (SQLite or PostgreSQL) and the blobs it names."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from praxis.backup.common import BackupError, Progress, _libpq, _run, _sqlite_path, _tool
from praxis.config import Settings
from praxis.db import make_engine

SNAPSHOT_ATTEMPTS = 5
# The derived search index lives in this schema on PostgreSQL (see praxis/search/postgres_index.py).
SEARCH_SCHEMA = "praxis_search"


@dataclass
class _Snapshot:
    """One consistent state of the database, staged in a file, and the blobs it names."""

    database: Path  # the staged copy or dump
    revision: str
    counts: dict[str, int]
    blobs: dict[str, bool]  # sha256 -> has a thumbnail


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
