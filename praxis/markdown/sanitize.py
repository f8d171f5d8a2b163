"""What markup may reach a page: the allowed link schemes, the raw HTML a note may hold, and the
final allow-list (nh3) every rendering goes through.

Raw HTML (notes only; comments show it as text) passes two filters. First each piece of it is
rebuilt from a small set of elements and attributes (`RAW_TAGS`): no id, no class (a wikilink or
a callout cannot be forged), no style, no event handler, no comment, and nothing of a script or a
style sheet but its absence. Then the whole rendering goes through nh3 with the renderer's own
allow-list, which also drops any URL that is not http, https, mailto or relative.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape
from html.parser import HTMLParser

import nh3
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

_SAFE_SCHEMES = ("http:", "https:", "mailto:")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")


def validate_link(url: str) -> bool:
    """Whether Markdown may make a link or an image of this address."""
    url = url.strip()
    if _SCHEME.match(url):
        return url.lower().startswith(_SAFE_SCHEMES)
    return True  # relative URLs and fragments


_TABLE = {"table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
RAW_TAGS = {
    *("details", "summary", "kbd", "mark", "sub", "sup", "br", "span", "div", "figure", "figcaption"),
    *("dl", "dt", "dd", "abbr", "u", "small", "img", "a", "p", "b", "i", "em", "strong", "code", "pre"),
    *("hr", "ul", "ol", "li", "blockquote", "s", "del", "q", "cite", "var", "samp"),
    *_TABLE,
    *_HEADINGS,
}
_RAW_ATTRIBUTES = {
    "*": {"title", "lang"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "details": {"open"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start"},
}
_NUMERIC = {"width", "height", "colspan", "rowspan", "span", "start"}
_VOID = {"br", "hr", "img", "col"}
_UNSEEN = {"script", "style", "template", "textarea", "title", "noscript", "xmp", "iframe", "noembed", "noframes"}


class _RawHTML(HTMLParser):
    """A piece of raw HTML rebuilt from what `RAW_TAGS` allows; its text kept as text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.unseen = 0  # inside an element whose content is not text to show

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _UNSEEN:
            self.unseen += 1
        if tag not in RAW_TAGS or self.unseen:
            return
        allowed = _RAW_ATTRIBUTES["*"] | _RAW_ATTRIBUTES.get(tag, set())
        kept = []
        for name, value in attrs:
            if name not in allowed or (name in _NUMERIC and not re.fullmatch(r"\d{1,5}", value or "")):
                continue
            kept.append(f' {name}="{escape(value or "")}"')
        if tag == "img":
            kept.append(' loading="lazy"')
        self.out.append(f"<{tag}{''.join(kept)}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _UNSEEN:
            self.unseen = max(0, self.unseen - 1)
        elif tag in RAW_TAGS and tag not in _VOID and not self.unseen:
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.unseen:
            self.out.append(escape(data, quote=False))

    # Comments, declarations and processing instructions are left out (handle_comment and the
    # others do nothing by default).


def raw_html(content: str) -> str:
    """A piece of a note's raw HTML as it may be shown."""
    parser = _RawHTML()
    parser.feed(content)
    parser.close()
    return "".join(parser.out)


def render_raw_html(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    return raw_html(tokens[idx].content)


def mark_raw_html(state: StateCore) -> None:
    """Tell the inline HTML a writer typed from the one plugins make afterwards (the task
    lists' checkboxes, which stay as they are)."""
    for token in state.tokens:
        for child in token.children or ():
            if child.type == "html_inline":
                child.type = "raw_html_inline"


def raw_html_plugin(md: MarkdownIt) -> None:
    """Raw HTML kept through `RAW_TAGS`, in a renderer that parses it (`html` on)."""
    md.core.ruler.after("inline", "raw_html", mark_raw_html)
    md.add_render_rule("html_block", render_raw_html)
    md.add_render_rule("raw_html_inline", render_raw_html)


_TAGS = {
    *("a", "abbr", "audio", "b", "blockquote", "br", "code", "del", "em", "hr", "i", "img", "input"),
    *("li", "ol", "p", "pre", "s", "section", "strong", "sub", "sup", "ul", "video"),
    *_TABLE,
    *_HEADINGS,
    *RAW_TAGS,
}
_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang"},
    "a": {"href", "title", "data-target"},
    "img": {"src", "alt", "title", "loading", "width", "height"},
    "audio": {"src", "controls", "preload"},
    "video": {"src", "controls", "preload"},
    "input": {"type", "checked", "disabled"},
    "details": {"open"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"scope", "colspan", "rowspan"},
    "col": {"span"},
    "colgroup": {"span"},
}
_COMMENT_ATTRIBUTES = {**_ATTRIBUTES, "*": _ATTRIBUTES["*"] - {"id"}}


def sanitize(html: str, *, comment: bool = False) -> str:
    """Keep only the markup the renderer itself produces; in comments no ids, and links that
    pass on no reputation (rel="nofollow ugc")."""
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_COMMENT_ATTRIBUTES if comment else _ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener noreferrer" if comment else "noopener noreferrer",
    )
