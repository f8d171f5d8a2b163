"""Publishing: the functions the pages, the API and the command line call."""

from __future__ import annotations

from praxis.publishing.citations import (
    base_work,
    carnet_work,
    load_base_work,
    load_carnet_work,
    load_note_work,
    note_work,
    revision_work,
)
from praxis.publishing.citations import for_base as base_citation
from praxis.publishing.citations import for_carnet as carnet_citation
from praxis.publishing.citations import for_note as note_citation
from praxis.publishing.citations import render as render_citation
from praxis.publishing.feeds import author_feed, base_feed, carnet_feed, discussion_feed, site_feed
from praxis.publishing.sharing import base_card, carnet_card, listing_card, note_card
from praxis.publishing.sitemap import robots_txt, sitemap_xml

__all__ = [
    "author_feed",
    "base_card",
    "base_citation",
    "base_feed",
    "base_work",
    "carnet_card",
    "carnet_citation",
    "carnet_feed",
    "carnet_work",
    "discussion_feed",
    "listing_card",
    "load_base_work",
    "load_carnet_work",
    "load_note_work",
    "note_card",
    "note_citation",
    "note_work",
    "render_citation",
    "revision_work",
    "robots_txt",
    "site_feed",
    "sitemap_xml",
]
