"""Attached files: the functions the pages, the API and the command line call."""

from __future__ import annotations

from praxis.media.attachments import Served, attach, file_path, list_attachments, serve
from praxis.media.attachments import delete as delete_attachment
from praxis.media.store import FileStore
from praxis.media.stored_images import count_stored, strip_stored

__all__ = [
    "FileStore",
    "Served",
    "attach",
    "count_stored",
    "delete_attachment",
    "file_path",
    "list_attachments",
    "serve",
    "strip_stored",
]
