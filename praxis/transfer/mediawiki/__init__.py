"""MediaWiki exports read into plain Python objects.

Pure: no database, no Praxis service; the importer builds notes from what this gives.

- `read_export(path_or_binary_file) -> WikiExport`: `.siteinfo` (SiteInfo: sitename, base URL,
  namespaces {number: local name}) and `.pages`, an iterator of WikiPage read one at a time
  (title, namespace, id, redirect, revisions oldest first, uploads, problems). Raises ExportError.
"""

from praxis.transfer.mediawiki.export import (
    ExportError,
    SiteInfo,
    WikiContributor,
    WikiExport,
    WikiPage,
    WikiRevision,
    WikiUpload,
    read_export,
)
from praxis.transfer.mediawiki.titles import normalize_title

__all__ = [
    "ExportError",
    "SiteInfo",
    "WikiContributor",
    "WikiExport",
    "WikiPage",
    "WikiRevision",
    "WikiUpload",
    "normalize_title",
    "read_export",
]
