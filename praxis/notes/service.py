"""Notes: the functions the pages, the API and the command line call."""

from __future__ import annotations

from praxis.notes.directory import graph as link_graph
from praxis.notes.directory import letter_of, letters, regions, suggest, term_by_slug
from praxis.notes.links import picked
from praxis.notes.notes import delete_note, get_for_editing, get_note, list_notes, save_note
from praxis.notes.revisions import diff_revisions, get_revision, list_revisions, restore_revision
from praxis.notes.writing import ConflictView, preview, reconcile

__all__ = [
    "ConflictView",
    "delete_note",
    "diff_revisions",
    "get_for_editing",
    "get_note",
    "get_revision",
    "letter_of",
    "letters",
    "link_graph",
    "list_notes",
    "list_revisions",
    "picked",
    "preview",
    "reconcile",
    "regions",
    "restore_revision",
    "save_note",
    "suggest",
    "term_by_slug",
]
