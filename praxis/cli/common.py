"""What every `praxis` command shares: the Typer app, and errors told in one line."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import typer

from praxis import storage
from praxis.config import Settings
from praxis.errors import DomainError

app = typer.Typer(
    help="Praxis: a knowledge commons for communities of practice.", no_args_is_help=True, add_completion=False
)
db_app = typer.Typer(help="Database migrations.", no_args_is_help=True)
user_app = typer.Typer(help="Accounts.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
log = logging.getLogger("praxis")


def fail(message: str) -> None:
    typer.secho(f"Error: {message}", err=True, fg=typer.colors.RED)
    raise typer.Exit(1)


def warn(message: str) -> None:
    typer.secho(f"Warning: {message}", err=True, fg=typer.colors.YELLOW)


def user_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn domain, settings and connection errors into one line and a non-zero exit."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DomainError as exc:
            fail(exc.message)
        except sa.exc.OperationalError as exc:
            fail(
                _storage_line(exc)
                or f"cannot reach the database: {str(exc.orig).strip().splitlines()[0] if exc.orig else exc}"
            )
        except sa.exc.ArgumentError as exc:
            fail(f"bad PRAXIS_DATABASE_URL: {exc}")
        except sa.exc.DBAPIError as exc:
            fail(
                _storage_line(exc)
                or f"the database refused the change: {str(exc.orig).strip().splitlines()[0] if exc.orig else exc}"
            )
        except ValueError as exc:  # pydantic's ValidationError is a ValueError
            fail(str(exc).splitlines()[0] if "validation error" not in str(exc) else _settings_error(exc))
        except OSError as exc:  # the data folder, the search index, attached files
            line = _storage_line(exc)
            if line is None:
                raise
            fail(line)

    return wrapper


def storage_message(kind: storage.Problem, folder: Path | None, *, database: bool = False) -> str:
    if database:  # PostgreSQL said it: a standby, or its server's disk
        return "the database is read-only" if kind == "read-only" else "the database server's disk is full"
    where = f"the data folder {folder}" if folder else "the data folder"
    if kind == "read-only":
        return f"{where} is read-only: Praxis writes its database, search index and attached files there"
    return f"the disk holding {where} is full: free some space, then try again"


def _storage_line(exc: BaseException) -> str | None:
    """One line for a write a full or read-only disk refused (praxis/storage.py), or None."""
    try:
        settings: Settings | None = Settings()
    except Exception:  # noqa: BLE001 - settings that do not load leave the line without a folder
        settings = None
    folder = settings.data_dir.resolve() if settings else None
    kind = storage.problem(exc, folder)
    if kind is None:
        return None
    from_database = isinstance(exc, sa.exc.DBAPIError) and settings is not None and not settings.is_sqlite
    return storage_message(kind, folder, database=from_database)


def _settings_error(exc: ValueError) -> str:
    lines = str(exc).splitlines()
    return " ".join(line.strip() for line in lines[1:3])
