"""MediaWiki exports read into plain Python objects, and their wikitext converted to Markdown.

Pure: no database, no Praxis service; the importer builds notes from what this gives.

- `read_export(path_or_binary_file) -> WikiExport`: `.siteinfo` (SiteInfo: sitename, base URL,
  namespaces {number: local name}) and `.pages`, an iterator of WikiPage read one at a time
  (title, namespace, id, redirect, revisions oldest first, uploads, problems). Raises ExportError.
- `to_markdown_many(texts, namespaces=siteinfo.namespaces, case=siteinfo.case, workers=None) ->
  list[Converted]` (many texts in
  one pandoc process, one process a processor: give it many pages' revisions at once):
  `.markdown`, `.categories`, `.files`, `.links`, `.templates`, `.problems`. Raises PandocError
  only when pandoc cannot be started; a text pandoc fails on is kept as wikitext and reported.
"""

from praxis.transfer.mediawiki.convert import Converted, PandocError, to_markdown_many
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
    "Converted",
    "ExportError",
    "PandocError",
    "SiteInfo",
    "WikiContributor",
    "WikiExport",
    "WikiPage",
    "WikiRevision",
    "WikiUpload",
    "normalize_title",
    "read_export",
    "to_markdown_many",
]
