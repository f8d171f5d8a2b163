"""Import and export: the functions the pages, the API and the command line call."""

from __future__ import annotations

from praxis.transfer.folders import ImportReport, count_files, export_archive, export_path, import_path

__all__ = [
    "ImportReport",
    "count_files",
    "export_archive",
    "export_path",
    "import_path",
]
