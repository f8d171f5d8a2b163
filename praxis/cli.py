"""The `praxis` command: a thin shell over the services."""

from __future__ import annotations

import functools
import getpass
import logging
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import sqlalchemy as sa
import typer

from praxis import policy, storage
from praxis.config import Settings
from praxis.db import (
    current_revision,
    head_revision,
    make_engine,
    refresh_statistics,
    session_scope,
    site_lock,
    upgrade,
    vacuum_after_bulk,
)
from praxis.errors import DomainError
from praxis.models import Carnet, KnowledgeBase, Note
from praxis.schemas import UserCreate
from praxis.services import accounts, transfer

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


def _storage_message(kind: storage.Problem, folder: Path | None, *, database: bool = False) -> str:
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
    return _storage_message(kind, folder, database=from_database)


def _settings_error(exc: ValueError) -> str:
    lines = str(exc).splitlines()
    return " ".join(line.strip() for line in lines[1:3])


def prepare_site(settings: Settings) -> transfer.ImportReport | None:
    """Migrate to head, fill an empty site from the content folder, refresh planner statistics."""
    engine = make_engine(settings)
    try:
        upgrade(engine, settings=settings)
        report = None
        # Servers starting together on one PostgreSQL database seed it once: the others wait, then find it full.
        with site_lock(engine, "seed"), session_scope(engine, settings) as session:
            empty = not session.execute(sa.select(sa.func.count()).select_from(Note)).scalar_one()
            content = settings.resolved_content_dir
            if empty and content.is_dir():
                report = transfer.import_path(
                    session=session, path=content, at_once=True
                )  # before serving: all or nothing
            elif empty:
                warn(
                    f"the site is empty and {content.resolve()} does not exist: nothing was imported (PRAXIS_CONTENT_DIR "
                    "names the folder an empty site is seeded from)"
                )
        refresh_statistics(engine)
        return report
    finally:
        engine.dispose()


def shared_database_warnings(settings: Settings, workers: int) -> list[str]:
    """What would go wrong once several servers share this PostgreSQL database (docs/operations.md, "Deployment")."""
    if settings.is_sqlite:
        return []
    warnings = []
    if not settings.secret_key:
        warnings.append(
            f"the secret key is generated in {settings.data_dir.resolve()}: if other servers share this database, "
            "give every one the same PRAXIS_SECRET_KEY, or their sign-ins and forms will not work on each other"
        )
    if settings.resolved_search_backend == "whoosh":
        warnings.append(
            f"the Whoosh index lives in {settings.data_dir.resolve() / 'search'}: no other host may serve this "
            "database (its index would miss changes); several hosts need PRAXIS_SEARCH_BACKEND=postgres"
        )
    if not settings.db_prepared_statements:
        return warnings  # behind pgbouncer, its own pool limits the server's connections
    engine = make_engine(settings)
    try:
        with engine.connect() as conn:
            allowed = int(conn.exec_driver_sql("SHOW max_connections").scalar() or 0)
            reserved = int(conn.exec_driver_sql("SHOW superuser_reserved_connections").scalar() or 0)
    except sa.exc.DBAPIError:
        return warnings  # not PostgreSQL, or a proxy (pgbouncer) that answers no SHOW
    finally:
        engine.dispose()
    most = workers * (settings.db_pool_size + settings.db_max_overflow)
    if most > allowed - reserved:
        warnings.append(
            f"{workers} worker(s) may open {most} connections (PRAXIS_DB_POOL_SIZE + PRAXIS_DB_MAX_OVERFLOW each) "
            f"but PostgreSQL accepts {allowed - reserved}: lower them, raise max_connections, or put pgbouncer in between"
        )
    return warnings


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
    # A full disk is told by the first write that needs room (on SQLite, opening the database).
    if storage.probe(settings.ensure_data_dir()) == "read-only":
        fail(_storage_message("read-only", settings.data_dir.resolve()))
    report = prepare_site(settings)
    if report:
        typer.echo(f"Imported {report.created} notes from {settings.resolved_content_dir}.")
    for warning in shared_database_warnings(settings, workers):
        warn(warning)
    typer.echo(f"Praxis on http://{host}:{port}/ (data in {settings.data_dir.resolve()})")
    from praxis.logs import logging_config
    from praxis.search import indexing

    # The workers answer a write once it is committed; one process beside them indexes it.
    os.environ[indexing.ENV] = "process"
    indexer = indexing.IndexingProcess()
    indexer.start()

    def stopped(signum: int, _frame: object) -> None:
        # Uvicorn re-raises the SIGTERM it stopped on once it is done: the indexer stops before
        # the process does.
        indexer.stop()
        signal.signal(signum, signal.SIG_DFL)
        signal.raise_signal(signum)

    signal.signal(signal.SIGTERM, stopped)
    try:
        # On SIGTERM or Ctrl-C the server stops accepting, lets requests in flight finish (up to
        # 30 s), then runs the app's shutdown (the mail drain, the search index).
        uvicorn.run(
            "praxis.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_config=logging_config(settings.log_format),
            access_log=False,
            proxy_headers=True,
            timeout_graceful_shutdown=30,
        )
    finally:
        indexer.stop()  # it finishes the batch it is applying


@app.command("indexer")
@user_errors
def indexer_() -> None:
    """Apply the search queue as writes fill it, until stopped (`serve` runs one beside its workers)."""
    import logging.config

    from praxis.logs import logging_config
    from praxis.search import indexing

    settings = Settings()
    logging.config.dictConfig(logging_config(settings.log_format))
    indexing.run(settings)


@db_app.command("upgrade")
@user_errors
def db_upgrade() -> None:
    """Apply pending migrations (Alembic, to head)."""
    settings = Settings()
    engine = make_engine(settings)
    upgrade(engine, settings=settings)
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
    upgrade(engine, settings=settings)
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
    upgrade(engine, settings=settings)
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


@app.command("strip-metadata")
@user_errors
def strip_metadata() -> None:
    """Remove personal metadata (GPS position, device, author) from the images attached before
    uploads did it themselves; run it once after upgrading. Running it again changes nothing."""
    from praxis.media.store import FileStore
    from praxis.services import stored_images

    settings = Settings()
    engine = make_engine(settings)
    upgrade(engine, settings=settings)
    store = FileStore(settings.data_dir / "uploads", max_bytes=settings.max_upload_bytes)
    try:
        total = stored_images.count_stored(engine=engine, settings=settings)
        with typer.progressbar(length=total, label="Images", file=sys.stderr) as bar:
            report = stored_images.strip_stored(engine=engine, settings=settings, store=store, progress=bar.update)
    finally:
        engine.dispose()
    typer.echo(
        f"{report.checked} image(s) read, {report.cleaned} cleaned, {report.skipped} left as they were "
        "(missing or unreadable: see the log)."
    )


@app.command("import")
@user_errors
def import_(path: Path) -> None:
    """Import one .md file, a folder of them, or a carnet's or base's ZIP export."""
    settings = Settings()
    engine = make_engine(settings)
    upgrade(engine, settings=settings)
    files = transfer.count_files(path)  # each is three steps (see transfer.import_path)
    started = time.perf_counter()
    with (
        typer.progressbar(length=3 * files, label="Importing", file=sys.stderr) as bar,
        session_scope(engine, settings) as session,
    ):
        report = transfer.import_path(session=session, path=path, progress=bar.update)
    seconds = time.perf_counter() - started
    refresh_statistics(engine)
    _apply_search_queue(settings, engine)
    vacuum_after_bulk(engine)
    typer.echo(
        f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged; "
        f"{report.carnets} carnet(s), {report.bases} base(s); "
        f"{(report.created + report.updated + report.unchanged) / max(seconds, 1e-6):.0f} notes/s."
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
            path.write_bytes(
                transfer.export_archive(session=session, actor=policy.SYSTEM, carnet_id=carnet, base_id=base)
            )
        typer.echo(f"Exported {'carnet' if carnet else 'base'} {carnet or base} to {path}.")
        return
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        fail(f"{path} exists and is not an empty folder (an export never mixes with older files)")
    with session_scope(engine, settings, write=False) as session:
        count = transfer.export_path(session=session, path=path, actor=policy.SYSTEM)
    typer.echo(f"Exported {count} notes to {path}.")


@app.command()
@user_errors
def backup(file: Path) -> None:
    """Write a consistent snapshot of the site (database, attached files) to FILE, while it serves."""
    from praxis import backup as backups

    summary = backups.create_backup(Settings(), file, progress=typer.echo)
    for warning in summary.warnings:
        warn(warning)
    typer.echo(
        f"Backed up {summary.counts['notes']} notes, {summary.counts['revisions']} revisions and "
        f"{summary.files} files to {file} ({backups.human_size(summary.size)})."
    )


@app.command()
@user_errors
def restore(file: Path) -> None:
    """Bring a backup back into an empty data dir (and an empty PostgreSQL database)."""
    from praxis import backup as backups

    summary = backups.restore_backup(Settings(), file, progress=typer.echo)
    for warning in summary.warnings:
        warn(warning)
    migrated = f", migrated from {summary.revision} to {summary.migrated_to}" if summary.migrated_to else ""
    typer.echo(
        f"Restored {summary.counts['notes']} notes, {summary.counts['revisions']} revisions and "
        f"{summary.files} files from {file}{migrated}; indexed {summary.indexed or 0} notes."
    )


def main() -> None:
    app()
