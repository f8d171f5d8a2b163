"""Attached files: the functions the pages, the API and the command line call."""

from __future__ import annotations

from praxis.media.attachments import Served, attach, list_attachments, serve, serve_upload, upload_draft
from praxis.media.attachments import delete as delete_attachment
from praxis.media.drafts import sweep_all as sweep_drafts
from praxis.media.paths import draft_path, file_path
from praxis.media.sniff import ACCEPTED_EXTENSIONS
from praxis.media.store import FileStore
from praxis.media.stored_images import count_stored, strip_stored

__all__ = [
    "ACCEPTED_EXTENSIONS",
    "FileStore",
    "Served",
    "attach",
    "count_stored",
    "delete_attachment",
    "draft_path",
    "file_path",
    "list_attachments",
    "serve",
    "serve_upload",
    "strip_stored",
    "sweep_drafts",
    "upload_draft",
]
