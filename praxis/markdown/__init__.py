"""The one Markdown renderer: CommonMark plus tables, footnotes, task lists, heading anchors,
wikilinks, and the markup Obsidian vaults and documentation sites bring (callouts, `:::`
containers, highlights, block ids, comments, image sizes, raw HTML through an allow-list).

    renderer   build the two renderers, `render`, `render_many`, and the `VERSION` of their output
    wikilinks  `[[…]]` parsing, and reading and re-pointing them in stored HTML
    embeds     `![[Note]]`: a slot in stored HTML, the note's text in each reader's view
    anchors    heading anchors (and the ones made before), block ids, `headings`
    callouts   `> [!type]` callouts and `:::` containers
    obsidian   `==highlight==` and `%%comments%%`
    images     image sizes, lazy loading, sound and video players
    sanitize   allowed links, raw HTML, the final allow-list (nh3)
    text       folded forms, slugs, plain text and excerpts of HTML
"""

from praxis.markdown.anchors import Heading, heading_slug, headings
from praxis.markdown.embeds import Embedded, embedded_ids, expand_embeds, has_embeds, outside_embeds
from praxis.markdown.obsidian import strip_comments
from praxis.markdown.renderer import VERSION, Rendered, Resolver, build, render, render_many
from praxis.markdown.sanitize import sanitize
from praxis.markdown.text import apostrophe_forms, excerpt, fold, match_words, plain_text, slugify, words_match
from praxis.markdown.wikilinks import (
    Resolved,
    WikiTarget,
    mark_kinds,
    relink_wikilinks,
    split_target,
    wikilinks_in,
)

__all__ = [
    "Embedded",
    "VERSION",
    "Heading",
    "Rendered",
    "Resolved",
    "Resolver",
    "WikiTarget",
    "apostrophe_forms",
    "build",
    "embedded_ids",
    "excerpt",
    "expand_embeds",
    "fold",
    "heading_slug",
    "has_embeds",
    "headings",
    "mark_kinds",
    "match_words",
    "outside_embeds",
    "plain_text",
    "relink_wikilinks",
    "render",
    "render_many",
    "sanitize",
    "slugify",
    "strip_comments",
    "split_target",
    "wikilinks_in",
    "words_match",
]
