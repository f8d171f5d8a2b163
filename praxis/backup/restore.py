"""Restoring an archive: checking it and the target, loading and migrating the database, reindexing."""

from __future__ import annotations

import gzip
import os
import shutil
import sqlite3
import tempfile
import zlib
from pathlib import Path
from typing import Any

from praxis.backup.archive import _archive, _extract
from praxis.backup.common import (
    _CHUNK,
    COUNTED,
    FORMAT,
    FORMAT_VERSION,
    POSTGRES_MEMBER,
    SQLITE_MEMBER,
    BackupError,
    Progress,
    Summary,
    _backend,
    _backend_name,
    _known_revisions,
    _libpq,
    _os_message,
    _run,
    _sqlite_path,
    _sync_folder,
    _tool,
)
from praxis.config import Settings
from praxis.db import make_engine, refresh_statistics, upgrade, vacuum_after_bulk


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
