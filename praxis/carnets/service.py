"""Carnets and bases: the functions the pages, the API and the command line call."""

from __future__ import annotations

from praxis.carnets.bases import add_carnet as add_carnet_to_base
from praxis.carnets.bases import add_manager as add_base_manager
from praxis.carnets.bases import create as create_base
from praxis.carnets.bases import delete as delete_base
from praxis.carnets.bases import get_for_editing as base_for_editing
from praxis.carnets.bases import list_bases
from praxis.carnets.bases import read as read_base
from praxis.carnets.bases import remove_carnet as remove_carnet_from_base
from praxis.carnets.bases import remove_manager as remove_base_manager
from praxis.carnets.bases import update as update_base
from praxis.carnets.carnets import (
    add_axis,
    add_category,
    delete_axis,
    delete_category,
    filing_choices,
    list_carnets,
    rename_axis,
    rename_category,
)
from praxis.carnets.carnets import create as create_carnet
from praxis.carnets.carnets import delete as delete_carnet
from praxis.carnets.carnets import get_for_editing as carnet_for_editing
from praxis.carnets.carnets import (
    get_for_filing as carnet_for_filing,
)
from praxis.carnets.carnets import read as read_carnet
from praxis.carnets.carnets import remove_member as remove_carnet_member
from praxis.carnets.carnets import set_member as set_carnet_member
from praxis.carnets.carnets import update as update_carnet
from praxis.carnets.filing import add as add_entry
from praxis.carnets.filing import create_note, entry_item
from praxis.carnets.filing import move as move_entry
from praxis.carnets.filing import put_back as put_back_entry
from praxis.carnets.filing import remove as remove_entry
from praxis.carnets.filing import update as update_entry
from praxis.carnets.graph import carnet_graph
from praxis.carnets.graph import layout as graph_layout
from praxis.carnets.headings import base_ref, carnet_ref, category_deletion
from praxis.carnets.place import place_of as note_place

__all__ = [
    "note_place",
    "add_axis",
    "add_base_manager",
    "add_carnet_to_base",
    "add_category",
    "add_entry",
    "base_for_editing",
    "base_ref",
    "carnet_for_editing",
    "carnet_graph",
    "carnet_ref",
    "category_deletion",
    "create_base",
    "create_carnet",
    "create_note",
    "delete_axis",
    "delete_base",
    "delete_carnet",
    "delete_category",
    "entry_item",
    "carnet_for_filing",
    "filing_choices",
    "graph_layout",
    "list_bases",
    "list_carnets",
    "move_entry",
    "put_back_entry",
    "read_base",
    "read_carnet",
    "remove_base_manager",
    "remove_carnet_from_base",
    "remove_carnet_member",
    "remove_entry",
    "rename_axis",
    "rename_category",
    "set_carnet_member",
    "update_base",
    "update_carnet",
    "update_entry",
]
