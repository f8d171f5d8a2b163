"""The one Markdown renderer: CommonMark plus tables, footnotes, task lists, anchors and wikilinks.

Pure: `render(text, resolve)` returns the safe HTML and the wikilinks it found. Raw HTML is shown
as text, `javascript:`/`data:` URLs never become links, and the output goes through nh3 as a
second line of defence.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from html import escape, unescape
from urllib.parse import quote

import nh3
from linkify_it import LinkifyIt
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

_SAFE_SCHEMES = ("http:", "https:", "mailto:")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")
_WIKILINK_MAX = 300


@dataclass(frozen=True)
class WikiTarget:
    """Where a wikilink points: a note id or a title, as written."""

    target: str


@dataclass(frozen=True)
class Resolved:
    """A wikilink target that matches a note."""

    id: str
    title: str


@dataclass
class Rendered:
    html: str
    wikilinks: list[WikiTarget] = field(default_factory=list)
    resolved: dict[str, Resolved] = field(default_factory=dict)


Resolver = Callable[[Sequence[str]], Mapping[str, Resolved]]


_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})


_BLOCK_TAG = re.compile(
    r"</?(?:p|div|li|ul|ol|h[1-6]|br|hr|tr|td|th|table|blockquote|pre|dt|dd|figure|figcaption)\b[^>]*>", re.I
)
_TAG = re.compile(r"<[^>]*>")


def plain_text(html: str) -> str:
    """The words of rendered HTML without markup: blocks apart, inline elements in their text, and
    a heading that does not end a sentence ended by a full stop, so that an excerpt or a search
    snippet does not run it into the next paragraph ("Partie. Suite." rather than "Partie Suite.")."""

    def end_heading(match: re.Match[str]) -> str:
        opening, _level, inner, closing = match.groups()
        words = unescape(_TAG.sub("", inner)).rstrip()
        return opening + inner + ("" if not words or words[-1] in ".!?:;…" else ".") + closing

    html = re.sub(r"(<h([1-6])\b[^>]*>)(.*?)(</h\2\s*>)", end_heading, html, flags=re.IGNORECASE | re.DOTALL)
    return " ".join(unescape(_TAG.sub("", _BLOCK_TAG.sub(" ", html))).split())


_HEADING = re.compile(r'<h([1-4]) id="([^"]+)">(.*?)</h\1>', re.DOTALL)


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str


def headings(html: str) -> list[Heading]:
    """The headings of rendered HTML that carry an anchor, for a table of contents."""
    return [Heading(int(level), anchor, plain_text(inner)) for level, anchor, inner in _HEADING.findall(html)]


def excerpt(html: str, length: int) -> str:
    """The first words of rendered HTML as plain text, cut at a word within `length` characters."""
    text = plain_text(html)
    return text if len(text) <= length else text[: length - 1].rsplit(" ", 1)[0] + "…"


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a text: "  Économie  Sociale" -> "economie sociale"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.split())


_SEPARATORS = str.maketrans({"'": " ", "\u2019": " ", "-": " "})


def match_words(text: str) -> list[str]:
    """The words a suggestion query or a name is matched by: folded (case and accents ignored),
    apostrophes (' ’) and hyphens separating words, as in "l’économie" -> ["l", "economie"]."""
    return fold(text).translate(_SEPARATORS).split()


def words_match(query: list[str], text: str) -> int | None:
    """How well a text matches query words, each of which must start one of its words: 0 for the
    same text, 1 when it starts with the query, 2 for words anywhere; None when it does not match."""
    words = match_words(text)
    if not query or not all(any(word.startswith(q) for word in words) for q in query):
        return None
    whole, asked = " ".join(words), " ".join(query)
    return 0 if whole == asked else 1 if whole.startswith(asked) else 2


def slugify(text: str, max_length: int = 80) -> str:
    """A lowercase ASCII slug: "Économie sociale" -> "economie-sociale"."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    return slug[:max_length].rstrip("-")


def _validate_link(url: str) -> bool:
    url = url.strip()
    if _SCHEME.match(url):
        return url.lower().startswith(_SAFE_SCHEMES)
    return True  # relative URLs and fragments


def _wikilink_rule(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if not src.startswith("[[", pos):
        return False
    # Look no further than the longest possible wikilink: scanning to the end of the text at
    # every "[[" would make rendering quadratic.
    end = src.find("]]", pos + 2, pos + 4 + _WIKILINK_MAX)
    if end < 0:
        return False
    inner = src[pos + 2 : end]
    if not inner.strip() or "\n" in inner or "[" in inner or len(inner) > _WIKILINK_MAX:
        return False
    if not silent:
        target, _, label = inner.partition("|")
        token = state.push("wikilink", "", 0)
        token.meta = {"target": target.strip(), "label": (label or target).strip()}
        token.content = inner
    state.pos = end + 2
    return True


def _table_align_to_class(state: StateCore) -> None:
    # Keep table alignment without allowing inline styles through the sanitiser.
    for token in state.tokens:
        if token.type in ("th_open", "td_open"):
            style = token.attrGet("style")
            if isinstance(style, str) and style.startswith("text-align:"):
                token.attrs.pop("style", None)
                token.attrSet("class", "align-" + style.split(":", 1)[1].strip())


def _new_note_link(target: str, label_html: str) -> str:
    return f'<a class="wikilink wikilink-new" href="/n/new?title={quote(target)}" data-target="{escape(target)}">{label_html}</a>'


def _note_link(note_id: str, target: str, label_html: str) -> str:
    return f'<a class="wikilink" href="/n/{quote(note_id)}/" data-target="{escape(target)}">{label_html}</a>'


def _render_wikilink(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    meta = tokens[idx].meta
    found: Resolved | None = env.get("resolved", {}).get(meta["target"])
    label = escape(meta["label"])
    if found:
        return _note_link(found.id, meta["target"], label)
    return _new_note_link(meta["target"], label)


# An "image" whose address ends like a sound or a video gets a player: `![Entretien](/n/…/entretien.mp3)`.
_PLAYERS = {
    **dict.fromkeys(("mp3", "ogg", "oga", "opus", "wav", "flac", "m4a"), "audio"),
    **dict.fromkeys(("mp4", "m4v", "webm", "ogv"), "video"),
}


def _player(src: str) -> str | None:
    """ "audio" or "video" when the address names a sound or a video file, else None."""
    last = src.split("#", 1)[0].split("?", 1)[0].rsplit("/", 1)[-1]
    return _PLAYERS.get(last.rsplit(".", 1)[-1].lower()) if "." in last else None


def _render_image(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    token = tokens[idx]
    src = token.attrGet("src") or ""
    player = _player(str(src))
    if player is None:
        token.attrSet("loading", "lazy")
        return self.image(tokens, idx, options, env)
    # The alt text is the player's fallback: a link to the file.
    label = escapeHtml(self.renderInlineAsText(token.children or [], options, env))
    url = escapeHtml(str(src))
    return f'<{player} controls preload="metadata" src="{url}"><a href="{url}">{label}</a></{player}>'


class _Linkify(LinkifyIt):
    """linkify-it, asked first whether a text could hold a link at all. Its own `pretest` runs
    one pattern of every scheme and top-level domain along the text: half the time of rendering
    ordinary prose (and of importing a large site). Every link it finds has one of these marks,
    so this only says "no" where `pretest` would too, and finds the same links."""

    _MAYBE = re.compile(r"[:@]|//|\.\w|www\.|localhost", re.IGNORECASE)

    def pretest(self, text: str) -> bool:
        return self._MAYBE.search(text) is not None and bool(super().pretest(text))


@cache
def _build(*, page: bool = True) -> MarkdownIt:
    """The renderer of notes; with `page` False, of comments: no heading anchors or footnotes,
    whose ids would collide with the page's own. Built at its first use, once."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False, "maxNesting": 40})
    md.enable(["table", "strikethrough", "linkify"])
    md.linkify = _Linkify()
    md.use(tasklists_plugin)
    if page:
        md.use(footnote_plugin).use(
            anchors_plugin, min_level=1, max_level=4, slug_func=lambda s: slugify(s) or "section"
        )
    # markdown-it-py's way to choose the allowed link schemes: replace the instance's method.
    md.validateLink = _validate_link  # type: ignore[method-assign]  # see the line above
    md.inline.ruler.before("link", "wikilink", _wikilink_rule)
    md.core.ruler.push("table_align_class", _table_align_to_class)
    md.add_render_rule("wikilink", _render_wikilink)
    md.add_render_rule("image", _render_image)
    return md


_TAGS = {
    "a",
    "abbr",
    "audio",
    "b",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "input",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "section",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
    "video",
}
_ATTRIBUTES = {
    "*": {"id", "class"},
    "a": {"href", "title", "data-target"},
    "img": {"src", "alt", "title", "loading"},
    "audio": {"src", "controls", "preload"},
    "video": {"src", "controls", "preload"},
    "input": {"type", "checked", "disabled"},
    "ol": {"start"},
    "th": {"scope"},
}


_COMMENT_ATTRIBUTES = {**_ATTRIBUTES, "*": {"class"}}


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


# data-target is optional so that renderings stored before it existed are still filtered.
_RESOLVED_LINK = re.compile(
    r'<a class="wikilink(?: kind-[a-z]+)?" href="/n/([^/"]+)/"(?: data-target="([^"]*)")?[^>]*>(.*?)</a>', re.DOTALL
)


def _target_of(match: re.Match[str]) -> str:
    if match.group(2) is not None:
        return unescape(match.group(2))
    return unescape(re.sub(r"<[^>]+>", "", match.group(3)))  # older renderings: the label


def wikilinks_in(html: str) -> list[tuple[str, str]]:
    """The resolved wikilinks of a stored rendering: (note id, the target as written)."""
    return [(m.group(1), _target_of(m)) for m in _RESOLVED_LINK.finditer(html)]


def relink_wikilinks(html: str, choose: Callable[[str, str], str | None], *, comment: bool = False) -> str:
    """Point each resolved wikilink at `choose(id, target)`: the same note, another, or (None) none.

    A wikilink that now points nowhere is rendered exactly as one whose target never existed.
    """

    def swap(match: re.Match[str]) -> str:
        note_id, target = match.group(1), _target_of(match)
        chosen = choose(note_id, target)
        if chosen == note_id:
            return match.group(0)
        label = match.group(3)
        link = _note_link(chosen, target, label) if chosen else _new_note_link(target, label)
        return sanitize(link, comment=comment)  # a comment's links stay rel="nofollow ugc", whatever they point to

    return _RESOLVED_LINK.sub(swap, html)


_UNMARKED_LINK = re.compile(r'<a class="wikilink" href="/n/([^/"]+)/"')


def mark_kinds(html: str, kinds: Mapping[str, str]) -> str:
    """Mark each resolved wikilink with the kind of the note it leads to (`kinds`: id -> kind;
    a link to a note not in it stays unmarked)."""

    def mark(match: re.Match[str]) -> str:
        kind = kinds.get(match.group(1))
        return f'<a class="wikilink kind-{kind}" href="/n/{match.group(1)}/"' if kind else match.group(0)

    return _UNMARKED_LINK.sub(mark, html)


def _targets(tokens: Sequence[Token]) -> list[str]:
    targets: dict[str, None] = {}  # ordered set
    for block in tokens:
        for child in block.children or ():
            if child.type == "wikilink":
                targets[child.meta["target"]] = None
    return list(targets)


def render(text: str, resolve: Resolver | None = None, *, comment: bool = False) -> Rendered:
    """Render Markdown to safe HTML, resolving wikilinks in one batch through `resolve`
    (`comment`: with the comments' renderer and sanitizer)."""
    return render_many([text], resolve, comment=comment)[0]


def render_many(texts: Sequence[str], resolve: Resolver | None = None, *, comment: bool = False) -> list[Rendered]:
    """Render several texts, resolving the wikilinks of all of them in one call of `resolve`
    (a target resolves the same whichever text names it)."""
    md = _build(page=not comment)
    parsed = []
    for text in texts:
        env: dict = {}
        tokens = md.parse(text, env)
        parsed.append((tokens, env, _targets(tokens)))
    every = list(dict.fromkeys(t for _tokens, _env, targets in parsed for t in targets))
    found = dict(resolve(every)) if (resolve and every) else {}
    rendered = []
    for tokens, env, targets in parsed:
        env["resolved"] = resolved = {t: found[t] for t in targets if t in found}
        html = sanitize(md.renderer.render(tokens, md.options, env), comment=comment)
        rendered.append(Rendered(html=html, wikilinks=[WikiTarget(t) for t in targets], resolved=resolved))
    return rendered
