"""The `praxis` commands that run the site: serve, indexer, db, user."""

from __future__ import annotations

import getpass
import os
import signal
from typing import Annotated

import sqlalchemy as sa
import typer

from praxis import storage
from praxis.cli.common import app, db_app, fail, storage_message, user_app, user_errors, warn
from praxis.config import Settings
from praxis.db import (
    current_revision,
    head_revision,
    make_engine,
    refresh_statistics,
    session_scope,
    site_lock,
    upgrade,
)
from praxis.models import Note
from praxis.notes import service as note_service
from praxis.people import service as people_service
from praxis.schemas import UserCreate
from praxis.transfer import service as transfer_service


def prepare_site(settings: Settings) -> transfer_service.ImportReport | None:
    """Migrate to head, fill an empty site from the content folder, refresh planner statistics."""
    engine = make_engine(settings)
    try:
        upgrade(engine, settings=settings)
        report = None
        # Servers starting together on one PostgreSQL database seed it once: the others wait, then find it full.
        with site_lock(engine, "seed"), session_scope(engine, settings) as session:
            empty = not session.execute(sa.select(sa.func.count()).select_from(Note)).scalar_one()
            if empty:
                note_service.stamp_renderings(session)  # whatever it gets is rendered by this renderer
            content = settings.resolved_content_dir
            if empty and content.is_dir():
                report = transfer_service.import_path(
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
        fail(storage_message("read-only", settings.data_dir.resolve()))
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
        people_service.create_user(session=session, data=data)
    typer.echo(f"Created {'administrator' if admin else 'member'} {data.username}.")
