"""Notes: the functions the pages, the API and the command line call. A new note is created by
`carnets.service.create_note`, which files it in a carnet when one is named: one door for both."""

from __future__ import annotations

from praxis.notes.directory import graph as link_graph
from praxis.notes.directory import kind_counts, letter_of, letters, regions, term_by_slug
from praxis.notes.directory import preview as link_preview
from praxis.notes.directory import suggest as suggest_notes
from praxis.notes.naming import link_line, link_lines, notes_named, one_note
from praxis.notes.notes import delete_note, get_note, list_notes, save_note
from praxis.notes.notes import get_for_editing as note_for_editing
from praxis.notes.renderings import count as count_renderings
from praxis.notes.renderings import rerender
from praxis.notes.renderings import stale as renderings_stale
from praxis.notes.renderings import stamp as stamp_renderings
from praxis.notes.revisions import diff_revisions, get_revision, list_revisions, restore_revision
from praxis.notes.trash import list_trash, undelete_note
from praxis.notes.writing import ConflictView, reconcile
from praxis.notes.writing import preview as preview_note

__all__ = [
    "link_preview",
    "ConflictView",
    "delete_note",
    "diff_revisions",
    "note_for_editing",
    "notes_named",
    "one_note",
    "get_note",
    "get_revision",
    "kind_counts",
    "letter_of",
    "letters",
    "link_graph",
    "list_notes",
    "list_revisions",
    "link_line",
    "link_lines",
    "list_trash",
    "preview_note",
    "reconcile",
    "count_renderings",
    "renderings_stale",
    "rerender",
    "stamp_renderings",
    "regions",
    "restore_revision",
    "save_note",
    "suggest_notes",
    "term_by_slug",
    "undelete_note",
]
