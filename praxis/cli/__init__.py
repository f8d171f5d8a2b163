"""The `praxis` command: a thin shell over the services. Its commands live in `site` (serve,
indexer, db, user) and `data` (reindex, strip-metadata, import, export, backup, restore), and are
registered on the one Typer app of `common` when they are imported here."""

from __future__ import annotations

# The order of these imports is the order of `praxis --help`; each registers its commands.
# isort: off
from praxis.cli import site  # noqa: F401
from praxis.cli import data  # noqa: F401

# isort: on
from praxis.cli.common import app
from praxis.cli.site import prepare_site, shared_database_warnings

__all__ = ["app", "main", "prepare_site", "shared_database_warnings"]


def main() -> None:
    app()
