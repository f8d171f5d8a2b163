"""The `praxis` command: a thin shell over the services."""

from __future__ import annotations

import functools
import getpass
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import sqlalchemy as sa
import typer

from praxis.config import Settings
from praxis.db import current_revision, head_revision, make_engine, refresh_statistics, session_scope, upgrade
from praxis.errors import DomainError
from praxis import policy
from praxis.models import Carnet, KnowledgeBase, Note
from praxis.schemas import UserCreate
from praxis.services import accounts, transfer

app = typer.Typer(help="Praxis: a knowledge commons for communities of practice.", no_args_is_help=True, add_completion=False)
db_app = typer.Typer(help="Database migrations.", no_args_is_help=True)
user_app = typer.Typer(help="Accounts.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
log = logging.getLogger("praxis")


def fail(message: str) -> None:
    typer.secho(f"Error: {message}", err=True, fg=typer.colors.RED)
    raise typer.Exit(1)


def user_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn domain, settings and connection errors into one line and a non-zero exit."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DomainError as exc:
            fail(exc.message)
        except sa.exc.OperationalError as exc:
            fail(f"cannot reach the database: {str(exc.orig).strip().splitlines()[0] if exc.orig else exc}")
        except sa.exc.ArgumentError as exc:
            fail(f"bad PRAXIS_DATABASE_URL: {exc}")
        except sa.exc.DBAPIError as exc:
            fail(f"the database refused the change: {str(exc.orig).strip().splitlines()[0] if exc.orig else exc}")
        except ValueError as exc:  # pydantic's ValidationError is a ValueError
            fail(str(exc).splitlines()[0] if "validation error" not in str(exc) else _settings_error(exc))

    return wrapper


def _settings_error(exc: ValueError) -> str:
    lines = str(exc).splitlines()
    return " ".join(line.strip() for line in lines[1:3])


def prepare_site(settings: Settings) -> transfer.ImportReport | None:
    """Migrate to head, fill an empty site from the content folder, refresh planner statistics."""
    engine = make_engine(settings)
    try:
        upgrade(engine)
        report = None
        with session_scope(engine, settings) as session:
            empty = not session.exec(sa.select(sa.func.count()).select_from(Note)).one()[0]  # type: ignore[call-overload]
            if empty and settings.content_dir.is_dir():
                report = transfer.import_path(session=session, path=settings.content_dir)
        refresh_statistics(engine)
        return report
    finally:
        engine.dispose()


@app.command()
@user_errors
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.", min=1, max=64)] = 1,
) -> None:
    """Apply migrations, import content/ into an empty site, and serve HTML and JSON."""
    import uvicorn

    settings = Settings()
    report = prepare_site(settings)
    if report:
        typer.echo(f"Imported {report.created} notes from {settings.content_dir}.")
    typer.echo(f"Praxis on http://{host}:{port}/ (data in {settings.data_dir.resolve()})")
    uvicorn.run("praxis.app:create_app", factory=True, host=host, port=port, workers=workers,
                log_level="info", proxy_headers=True, timeout_graceful_shutdown=10)


@db_app.command("upgrade")
@user_errors
def db_upgrade() -> None:
    """Apply pending migrations (Alembic, to head)."""
    engine = make_engine(Settings())
    upgrade(engine)
    typer.echo(f"Database at {current_revision(engine)} (head).")


@db_app.command("current")
@user_errors
def db_current() -> None:
    """Show the migration the database is at."""
    engine = make_engine(Settings())
    rev, head = current_revision(engine), head_revision(engine)
    state = "head" if rev == head else f"behind head {head}"
    typer.echo(f"{rev or 'empty'} ({state})")


@user_app.command("create")
@user_errors
def user_create(
    username: str,
    admin: Annotated[bool, typer.Option("--admin", help="Make an administrator.")] = False,
    email: Annotated[str | None, typer.Option(help="Email address.")] = None,
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
) -> None:
    """Create an account; the password comes from PRAXIS_PASSWORD or is asked twice."""
    password = os.environ.get("PRAXIS_PASSWORD")
    if password is None:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password (again): ") != password:
            fail("the passwords do not match")
    data = UserCreate(username=username, password=password, email=email, display_name=name, is_admin=admin)
    settings = Settings()
    engine = make_engine(settings)
    upgrade(engine)
    with session_scope(engine, settings) as session:
        accounts.create_user(session=session, data=data)
    typer.echo(f"Created {'administrator' if admin else 'member'} {data.username}.")


def _apply_search_queue(settings: Settings, engine: sa.Engine) -> None:
    """Index what a command wrote, so a running site finds it without waiting for its next write."""
    from praxis.search import make_indexer

    indexer = make_indexer(settings, engine)
    try:
        indexer.ensure(timeout=30)  # builds a missing index whole, else applies the queue
    finally:
        indexer.close()


@app.command()
@user_errors
def reindex() -> None:
    """Rebuild the search index from the database (the source of truth), with a progress bar."""
    from praxis.search import documents, make_indexer

    settings = Settings()
    engine = make_engine(settings)
    upgrade(engine)
    indexer = make_indexer(settings, engine)
    try:
        with session_scope(engine, settings, write=False) as session:
            total = documents.count_live(session)
        with typer.progressbar(length=total, label=f"Indexing ({indexer.index.name})", file=None) as bar:
            count = indexer.rebuild(progress=bar.update)
    finally:
        indexer.close()
        engine.dispose()
    typer.echo(f"Indexed {count} notes ({indexer.index.name}).")


@app.command("import")
@user_errors
def import_(path: Path) -> None:
    """Import one .md file, a folder of them, or a carnet's or base's ZIP export."""
    settings = Settings()
    engine = make_engine(settings)
    upgrade(engine)
    with session_scope(engine, settings) as session:
        report = transfer.import_path(session=session, path=path)
    refresh_statistics(engine)
    _apply_search_queue(settings, engine)
    typer.echo(
        f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged; "
        f"{report.carnets} carnet(s), {report.bases} base(s)."
    )


@app.command("export")
@user_errors
def export(
    path: Path,
    carnet: Annotated[str | None, typer.Option(help="Export only this carnet, as a ZIP file at PATH.")] = None,
    base: Annotated[str | None, typer.Option(help="Export only this base, as a ZIP file at PATH.")] = None,
) -> None:
    """Export every note, carnet and base as Markdown files with front matter under PATH."""
    settings = Settings()
    engine = make_engine(settings)
    if carnet or base:
        if path.exists():
            fail(f"{path} exists (an export never overwrites a file)")
        with session_scope(engine, settings, write=False) as session:
            found = session.get(Carnet, carnet) if carnet else session.get(KnowledgeBase, base or "")
            if found is None:
                fail(f"no {'carnet' if carnet else 'base'} {carnet or base}")
            path.write_bytes(transfer.export_archive(session=session, actor=policy.SYSTEM, carnet_id=carnet, base_id=base))
        typer.echo(f"Exported {'carnet' if carnet else 'base'} {carnet or base} to {path}.")
        return
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        fail(f"{path} exists and is not an empty folder (an export never mixes with older files)")
    with session_scope(engine, settings, write=False) as session:
        count = transfer.export_path(session=session, path=path, actor=policy.SYSTEM)
    typer.echo(f"Exported {count} notes to {path}.")


def main() -> None:
    app()
