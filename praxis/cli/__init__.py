"""The `praxis` command: a thin shell over the services. Its commands live in `site` (serve,
indexer, db, user) and `data` (reindex, strip-metadata, import, export, backup, restore), and are
registered on the one Typer app of `common` when they are imported here."""

from __future__ import annotations

import gc

# The order of these imports is the order of `praxis --help`; each registers its commands.
# isort: off
from praxis.cli import site  # noqa: F401
from praxis.cli import data  # noqa: F401

# isort: on
from praxis.cli.common import app
from praxis.cli.site import prepare_site, shared_database_warnings

__all__ = ["app", "main", "prepare_site", "shared_database_warnings"]


def main() -> None:
    try:
        app()
    finally:
        # The process is ending: the garbage collector need not go through the 270 000 objects
        # the app holds once more at exit, which took 0.6 s of CPU after every command and at
        # every stop of `serve` and of its indexer. What must be written is closed or flushed
        # explicitly before this point (a server stopped by SIGTERM skips this teardown altogether).
        gc.freeze()
