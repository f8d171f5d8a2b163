"""What the backup and the restore share: the archive's names, the error, the summary, small helpers."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import sqlalchemy as sa
from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory

from praxis.config import Settings
from praxis.db import MIGRATIONS_DIR
from praxis.errors import DomainError

FORMAT = "praxis-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/praxis.db.gz"
POSTGRES_MEMBER = "database/praxis.pgdump"
SECRET_KEY = "secret_key"
COUNTED = ("notes", "revisions", "files")
_CHUNK = 1 << 20

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
