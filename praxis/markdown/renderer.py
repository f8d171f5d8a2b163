"""The renderer itself: CommonMark with its plugins, built once, and `render`.

Pure: `render(text, resolve)` returns the safe HTML and the wikilinks it found, resolving them in
one call of `resolve`. Two renderers: a note's (heading anchors, footnotes, raw HTML through the
raw allow-list) and a comment's (none of these: their ids would collide with the page's own, and
raw HTML is shown as text).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

from linkify_it import LinkifyIt
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from praxis.markdown.anchors import block_ids, heading_anchors
from praxis.markdown.callouts import callouts_plugin
from praxis.markdown.embeds import embed_blocks, embed_rule, render_embed
from praxis.markdown.images import image_sizes, render_image
from praxis.markdown.obsidian import obsidian_plugin
from praxis.markdown.sanitize import raw_html_plugin, sanitize, validate_link
from praxis.markdown.wikilinks import Resolved, WikiTarget, render_wikilink, targets, wikilink_rule

# The version of what this renderer writes. Bump it in the same change as anything that makes
# the same text render to other HTML (a plugin, a sanitizer rule, an anchor, a link's form):
# renderings are stored (notes, their revisions, comments), and a site whose renderings were made
# by another version renders them all again (`praxis rerender`, and `praxis indexer` as it starts).
# 1: the package praxis/markdown (callouts, highlights, block ids, %%comments%%, raw HTML,
#    accented heading anchors, wikilinks with #fragments).
VERSION = 1


@dataclass
class Rendered:
    html: str
    wikilinks: list[WikiTarget] = field(default_factory=list)
    resolved: dict[str, Resolved] = field(default_factory=dict)


Resolver = Callable[[Sequence[str]], Mapping[str, Resolved]]


def _table_align_to_class(state: StateCore) -> None:
    # Keep table alignment without allowing inline styles through the sanitiser.
    for token in state.tokens:
        if token.type in ("th_open", "td_open"):
            style = token.attrGet("style")
            if isinstance(style, str) and style.startswith("text-align:"):
                token.attrs.pop("style", None)
                token.attrSet("class", "align-" + style.split(":", 1)[1].strip())


class _Linkify(LinkifyIt):
    """linkify-it, asked first whether a text could hold a link at all. Its own `pretest` runs
    one pattern of every scheme and top-level domain along the text: half the time of rendering
    ordinary prose (and of importing a large site). Every link it finds has one of these marks,
    so this only says "no" where `pretest` would too, and finds the same links."""

    _MAYBE = re.compile(r"[:@]|//|\.\w|www\.|localhost", re.IGNORECASE)

    def pretest(self, text: str) -> bool:
        return self._MAYBE.search(text) is not None and bool(super().pretest(text))


@cache
def build(*, page: bool = True) -> MarkdownIt:
    """The renderer of notes; with `page` False, of comments. Built at its first use, once."""
    md = MarkdownIt("commonmark", {"html": page, "linkify": True, "typographer": False, "maxNesting": 40})
    md.enable(["table", "strikethrough", "linkify"])
    md.linkify = _Linkify()
    md.use(tasklists_plugin).use(obsidian_plugin).use(callouts_plugin)
    md.core.ruler.after("callouts", "block_ids", block_ids)
    if page:
        md.use(footnote_plugin)
        md.core.ruler.push("heading_anchors", heading_anchors)
        md.use(raw_html_plugin)
        md.inline.ruler.before("link", "embed", embed_rule)
        md.core.ruler.after("text_join", "embeds", embed_blocks)
        md.add_render_rule("embed", render_embed)
    # markdown-it-py's way to choose the allowed link schemes: replace the instance's method.
    md.validateLink = validate_link  # type: ignore[method-assign]  # see the line above
    md.inline.ruler.before("link", "wikilink", wikilink_rule)
    md.core.ruler.push("table_align_class", _table_align_to_class)
    md.core.ruler.push("image_sizes", image_sizes)
    md.add_render_rule("wikilink", render_wikilink)
    md.add_render_rule("image", render_image)
    return md


def render(text: str, resolve: Resolver | None = None, *, comment: bool = False) -> Rendered:
    """Render Markdown to safe HTML, resolving wikilinks in one batch through `resolve`
    (`comment`: with the comments' renderer and sanitizer)."""
    return render_many([text], resolve, comment=comment)[0]


def render_many(texts: Sequence[str], resolve: Resolver | None = None, *, comment: bool = False) -> list[Rendered]:
    """Render several texts, resolving the wikilinks of all of them in one call of `resolve`
    (a target resolves the same whichever text names it)."""
    md = build(page=not comment)
    parsed = []
    for text in texts:
        env: dict = {}
        tokens = md.parse(text, env)
        parsed.append((tokens, env, targets(tokens)))
    every = list(dict.fromkeys(t for _tokens, _env, found in parsed for t in found))
    found = dict(resolve(every)) if (resolve and every) else {}
    rendered = []
    for tokens, env, named in parsed:
        env["resolved"] = resolved = {t: found[t] for t in named if t in found}
        html = sanitize(md.renderer.render(tokens, md.options, env), comment=comment)
        rendered.append(Rendered(html=html, wikilinks=[WikiTarget(t) for t in named], resolved=resolved))
    return rendered
