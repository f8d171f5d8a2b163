"""Import and export: the functions the pages, the API and the command line call."""

from __future__ import annotations

from praxis.transfer.exporting import export_archive, export_path
from praxis.transfer.folders import ImportReport, count_files, import_path
from praxis.transfer.plan import Options as ImportOptions

__all__ = [
    "ImportOptions",
    "ImportReport",
    "count_files",
    "export_archive",
    "export_path",
    "import_path",
]
