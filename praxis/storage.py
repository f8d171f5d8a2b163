"""What a failed write says of the disk: full, read-only, or neither.

The one place that knows the errors a full or read-only data folder (or database server)
raises: SQLite's "database or disk is full" and "attempt to write a readonly database", its
"disk I/O error" and "unable to open database file" when the folder turned read-only under it,
PostgreSQL's disk_full and read_only_sql_transaction, and OSError ENOSPC, EDQUOT or EROFS from
the search index, attached files or the secret key. The web answers them 507 or 503
(`praxis/web/errors.py`), the command line in one line (`praxis/cli/common.py`), and the search
queue keeps its rows for later (`praxis/search/queue.py`).
"""

from __future__ import annotations

import errno
import sqlite3
import tempfile
from pathlib import Path
from typing import Literal

Problem = Literal["full", "read-only"]

_BY_ERRNO: dict[int, Problem] = {errno.ENOSPC: "full", errno.EDQUOT: "full", errno.EROFS: "read-only"}
_BY_SQLSTATE: dict[str, Problem] = {"53100": "full", "25006": "read-only"}  # disk_full, read_only_sql_transaction


def probe(folder: Path) -> Problem | None:
    """Write a page to a nameless file in `folder`: what stops it, or None when it can be written."""
    try:
        with tempfile.TemporaryFile(dir=folder) as handle:
            handle.write(b"\0" * 4096)
            handle.flush()
    except OSError as exc:
        return _BY_ERRNO.get(exc.errno or 0)
    return None


def _one(error: BaseException, folder: Path | None) -> Problem | None:
    if isinstance(error, OSError):
        found = _BY_ERRNO.get(error.errno or 0)
        if found is None and error.errno == errno.EIO and folder is not None:
            return probe(folder)
        return found
    if isinstance(error, sqlite3.Error):
        name = getattr(error, "sqlite_errorname", "") or ""
        if name.startswith("SQLITE_FULL") or "database or disk is full" in str(error):
            return "full"
        if name.startswith("SQLITE_READONLY") or "readonly database" in str(error):
            return "read-only"
        if name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN")) or str(error) in (
            "disk I/O error",
            "unable to open database file",
        ):
            # A folder remounted read-only under an open database reads as an I/O error.
            return probe(folder) if folder is not None else None
        return None
    sqlstate = getattr(error, "sqlstate", None)  # psycopg
    return _BY_SQLSTATE.get(sqlstate) if isinstance(sqlstate, str) else None


def problem(exc: BaseException, folder: Path | None = None) -> Problem | None:
    """ "full" or "read-only" when `exc` (or the driver error or cause it wraps) is a write the
    storage refused; an I/O error that names no cause is told by writing to `folder`."""
    seen: list[BaseException] = []
    queue: list[object] = [exc]
    while queue:
        error = queue.pop(0)
        if not isinstance(error, BaseException) or any(error is s for s in seen) or len(seen) > 8:
            continue
        seen.append(error)
        found = _one(error, folder)
        if found is not None:
            return found
        queue += [getattr(error, "orig", None), error.__cause__, error.__context__]  # orig: SQLAlchemy's wrapper
    return None
