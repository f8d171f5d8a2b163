"""The `praxis` commands that move the site's data: reindex, rerender, strip-metadata, import,
export, backup, restore. They are registered on the app of `praxis.cli.common` when
`praxis.cli` imports this module."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import sqlalchemy as sa
import typer

from praxis import policy
from praxis.cli.common import app, fail, user_errors, warn
from praxis.config import Settings
from praxis.db import make_engine, refresh_statistics, session_scope, upgrade, vacuum_after_bulk
from praxis.models import Carnet, KnowledgeBase
from praxis.transfer import service as transfer_service


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


@app.command()
@user_errors
def rerender(
    force: Annotated[
        bool, typer.Option("--force", help="Render them again even when this renderer version made them.")
    ] = False,
) -> None:
    """Render every note, revision and comment again when another version of the renderer made
    them (after an upgrade; `praxis indexer` does it as it starts), with a progress bar."""
    from praxis.markdown import VERSION
    from praxis.notes import service as note_service

    settings = Settings()
    engine = make_engine(settings)
    upgrade(engine, settings=settings)
    try:
        if not force and not note_service.renderings_stale(engine, settings):
            typer.echo(f"The renderings are already those of renderer version {VERSION}: nothing to do.")
            return
        with session_scope(engine, settings, write=False) as session:
            total = note_service.count_renderings(session)
        with typer.progressbar(length=total, label="Rendering", file=sys.stderr) as bar:
            report = note_service.rerender(engine, settings, force=force, progress=bar.update)
        if report is None:  # another process made them meanwhile
            typer.echo(f"The renderings are already those of renderer version {VERSION}: nothing to do.")
            return
        _apply_search_queue(settings, engine)
    finally:
        engine.dispose()
    typer.echo(
        f"Rendered {report.rendered} notes, revisions and comments again with renderer version {VERSION} "
        f"in {report.seconds:.1f} s: {report.notes} notes, {report.revisions} revisions and "
        f"{report.comments} comments changed; {report.reindexed} notes indexed again (their text changed)."
    )


@app.command("strip-metadata")
@user_errors
def strip_metadata() -> None:
    """Remove personal metadata (GPS position, device, author) from the images attached before
    uploads did it themselves; run it once after upgrading. Running it again changes nothing."""
    from praxis.media import service as media_service

    settings = Settings()
    engine = make_engine(settings)
    upgrade(engine, settings=settings)
    store = media_service.FileStore.for_settings(settings)
    try:
        total = media_service.count_stored(engine=engine, settings=settings)
        with typer.progressbar(length=total, label="Images", file=sys.stderr) as bar:
            report = media_service.strip_stored(engine=engine, settings=settings, store=store, progress=bar.update)
    finally:
        engine.dispose()
    typer.echo(
        f"{report.checked} image(s) read, {report.cleaned} cleaned, {report.skipped} left as they were "
        "(missing or unreadable: see the log)."
    )


@app.command("import")
@user_errors
def import_(
    path: Path,
    author: Annotated[
        str | None, typer.Option(help="Who wrote the notes whose files name nobody (a display name or a username).")
    ] = None,
    visibility: Annotated[
        str | None,
        typer.Option(help="The visibility of notes whose files do not say: public, community or restricted."),
    ] = None,
    carnet: Annotated[
        str | None,
        typer.Option(help="File every imported note in the carnet of this title (made if there is none)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Read and check every file, list every problem, write nothing.")
    ] = False,
) -> None:
    """Import a Praxis export (a folder, a .md file, a carnet's or base's ZIP), an Obsidian vault,
    a folder of Markdown files (a documentation site), a ZIP of one, or a MediaWiki XML export
    (.xml, with its history)."""
    from praxis.vocab import VISIBILITIES

    if visibility is not None and visibility not in VISIBILITIES:
        fail(f"--visibility must be one of {', '.join(VISIBILITIES)}")
    settings = Settings()
    engine = make_engine(settings)
    upgrade(engine, settings=settings)
    files = transfer_service.count_files(path)  # each is three steps (see transfer_service.import_path)
    carnet = " ".join(carnet.split()) if carnet else None
    if carnet is not None and not 1 <= len(carnet) <= 300:
        fail("--carnet: a carnet's title is 1 to 300 characters")
    options = transfer_service.ImportOptions(
        author=author.strip() if author and author.strip() else None, visibility=visibility, carnet=carnet or None
    )
    started = time.perf_counter()
    with (
        typer.progressbar(length=(1 if dry_run else 3) * files, label="Importing", file=sys.stderr) as bar,
        session_scope(engine, settings) as session,
    ):
        report = transfer_service.import_path(
            session=session, path=path, progress=bar.update, options=options, dry_run=dry_run
        )
    seconds = time.perf_counter() - started
    if report.skipped:
        typer.echo(
            f"Skipped {len(report.skipped)} hidden file(s) or folder(s): {', '.join(report.skipped[:10])}"
            + (" …" if len(report.skipped) > 10 else "")
        )
    for warning in report.warnings:
        warn(warning)
    if report.unreferenced:
        typer.echo(
            f"{len(report.unreferenced)} file(s) no note refers to, not imported: {', '.join(report.unreferenced[:10])}"
            + (" …" if len(report.unreferenced) > 10 else "")
        )
    if dry_run:
        for problem in report.problems:
            typer.secho(problem, err=True, fg=typer.colors.RED)
        unit = "page(s)" if report.kind == "mediawiki" else "file(s)"  # a MediaWiki export is one file of pages
        if report.problems:
            fail(f"{len(report.problems)} {unit} cannot be imported (dry run: nothing was written)")
        done = "read (those of other namespaces are counted above)" if report.kind == "mediawiki" else "can be imported"
        typer.echo(f"Dry run ({report.kind}): {files} {unit} {done}; nothing was written.")
        return
    refresh_statistics(engine)
    _apply_search_queue(settings, engine)
    vacuum_after_bulk(engine)
    typer.echo(
        f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged; "
        f"{report.files} file(s) attached; {report.carnets} carnet(s), {report.bases} base(s); "
        + (f"{report.filed} note(s) filed in the carnet {carnet!r}; " if carnet else "")
        + f"{(report.created + report.updated + report.unchanged) / max(seconds, 1e-6):.0f} notes/s."
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
                transfer_service.export_archive(session=session, actor=policy.SYSTEM, carnet_id=carnet, base_id=base)
            )
        typer.echo(f"Exported {'carnet' if carnet else 'base'} {carnet or base} to {path}.")
        return
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        fail(f"{path} exists and is not an empty folder (an export never mixes with older files)")
    with session_scope(engine, settings, write=False) as session:
        count = transfer_service.export_path(session=session, path=path, actor=policy.SYSTEM)
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
