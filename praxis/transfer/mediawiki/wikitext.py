"""Wikitext made ready for pandoc, with mwparserfromhell: what pandoc does not do, done first.

Pandoc reads MediaWiki's markup well but knows nothing of a wiki's namespaces (a French wiki's
[[Catégorie:…]] and [[Fichier:…]] become links), drops templates, makes a separate empty footnote
of each reuse of a named <ref>, and shows <gallery>, <poem> and <includeonly> as text. So before
it runs, every construct of that kind is taken out of the text and replaced by a *token*, a word
of letters and digits that pandoc passes through untouched, and written in Markdown afterwards
(`Token.inline` / `Token.block`); the wikitext inside them (footnotes, captions) becomes a
*fragment*, converted by pandoc in the same call. Categories are dropped from the text and
collected; links to the main namespace are left for pandoc and the Lua filter.

The text is cut into *sections*, each starting at a heading of the page (nothing in wikitext goes
on across a heading), converted one by one: the revisions of a page share most of their
sections, which are converted once. For that a token is named after what it stands for, not after
its place in the text.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter

import mwparserfromhell
from mwparserfromhell.nodes import Comment, ExternalLink, Heading, Node, Tag, Template, Text, Wikilink
from mwparserfromhell.wikicode import Wikicode

from praxis.transfer.mediawiki import templates
from praxis.transfer.mediawiki.titles import CATEGORY, FILE, MAIN, MEDIA, TEMPLATE, Namespaces, normalize_title
from praxis.transfer.mediawiki.tokens import Embeds, FootnoteRef, KeptTemplate, Prepared, Token

# Tags whose content MediaWiki does not read as wikitext: left to pandoc as they are.
_VERBATIM = {"nowiki", "pre", "math", "syntaxhighlight", "source", "score", "timeline", "chem", "ce", "hiero"}
_BEHAVIOUR_SWITCH = re.compile(r"__[A-ZÀ-ÖØ-Þ]+__")  # __TOC__, __NOTOC__, __SOMMAIRE__…
# Magic words that only set how a page is shown or sorted: dropped without a word.
_SILENT = {"defaultsort", "defaultsortkey", "clédetri", "cledetri", "displaytitle", "affichertitre"}
# Prefixes of links to other wikis (Wikimedia's projects and the commonest languages): such a link
# is kept as its text. Any other "Prefix:" is part of a page title, as on a wiki without them.
_INTERWIKI = set(
    "wikipedia w wikt wiktionary commons c meta m mw mediawikiwiki wikidata d wikisource s wikiquote q"
    " wikibooks b wikinews n wikiversity v wikivoyage voy species wikispecies"
    " en fr de es it pt nl pl ru ja zh ar ca eu br oc co ht la sv no da fi".split()
)
# What may follow a file's name in [[Fichier:…|…]] and is not its caption, in English and French.
_IMAGE_WORDS = set(
    "thumb thumbnail frame framed frameless border left right center centre none upright baseline sub super"
    " top text-top middle bottom text-bottom vignette miniature cadre encadré sans_cadre gauche droite centré"
    " néant bordure redresse haut bas milieu exposant indice".split()
)
_THUMB_WORDS = {"thumb", "thumbnail", "frame", "framed", "vignette", "miniature", "cadre", "encadré"}
_SIZE = re.compile(r"^(\d*)(?:x(\d+))?\s*px$", re.IGNORECASE)


class _Preparer:
    def __init__(self, namespaces: Namespaces, marker: str, prepared: Prepared) -> None:
        self.namespaces = namespaces
        self.marker = marker
        self.out = prepared
        self.named: dict[str, int] = {}
        self.identities: Counter[str] = Counter()

    # -- what is collected

    def token(self, token: Token, identity: str) -> str:
        """The token of a construct, the same in every revision that holds it (`identity`: what it
        is, in words; its n-th copy in the text gets a token of its own)."""
        self.identities[identity] += 1
        named = f"{identity}\0{self.identities[identity]}".encode()
        key = f"9{self.marker}T{hashlib.blake2b(named, digest_size=8).hexdigest().upper()}Z9"
        self.out.tokens[key] = token
        return key

    def fragment(self, wikitext: str) -> int:
        self.out.fragments.append(wikitext)
        return len(self.out.fragments) - 1

    def problem(self, text: str) -> None:
        if text not in self.out.problems:
            self.out.problems.append(text)

    @staticmethod
    def add(items: list[str], item: str) -> None:
        if item and item not in items:
            items.append(item)

    # -- the walk

    def walk(self, code: Wikicode, *, top: bool = False) -> Wikicode:
        """Replace, in place, every construct pandoc should not see in `code` and what it holds."""
        nodes = code.nodes
        for index, node in enumerate(list(nodes)):
            alone = top and self._alone(nodes, index)
            replacement = self.node(node)
            if replacement is not None:
                if alone and replacement in self.out.tokens:
                    replacement = f"\n{replacement}\n"  # a paragraph of its own
                nodes[index] = Text(replacement)
                following = nodes[index + 1] if index + 1 < len(nodes) else None
                if not replacement and isinstance(following, Text) and self._line_start(nodes, index, top):
                    # As MediaWiki does for a category link: the spaces after what vanished at the
                    # start of a line do not make the line preformatted text.
                    following.value = following.value.lstrip(" \t")
        return code

    @staticmethod
    def _line_start(nodes: list[Node], index: int, top: bool) -> bool:
        while index > 0 and not str(nodes[index - 1]):
            index -= 1
        return top if index == 0 else str(nodes[index - 1]).endswith("\n")

    @classmethod
    def _alone(cls, nodes: list[Node], index: int) -> bool:
        after = str(nodes[index + 1]).lstrip(" \t") if index + 1 < len(nodes) else "\n"
        before = str(nodes[index - 1]) if index else ""
        at_start = cls._line_start(nodes, index, True) or (before.rstrip(" \t").endswith("\n"))
        return at_start and (not after or after.startswith("\n"))

    def node(self, node: Node) -> str | None:
        """The text a node is replaced by, or None to keep it (with what it holds walked)."""
        if isinstance(node, Text):
            # A "<" in text is not a tag that mwparserfromhell could pair (it reads every pair of
            # tags, known or not): a stray </ref> or an unclosed <ref>, which pandoc fails on and
            # MediaWiki shows as text.
            text = str(node).replace("<", "&lt;")
            return _BEHAVIOUR_SWITCH.sub("", text) if "__" in text or "<" in str(node) else None
        if isinstance(node, Comment):
            return ""
        if isinstance(node, Wikilink):
            return self.wikilink(node)
        if isinstance(node, Template):
            return self.template(node)
        if isinstance(node, Tag):
            return self.tag(node)
        if isinstance(node, Heading):
            self.walk(node.title)
        elif isinstance(node, ExternalLink) and node.title is not None:
            self.walk(node.title)
        return None

    def wikilink(self, node: Wikilink) -> str | None:
        written = str(node.title).strip()
        colon = written.startswith(":")
        title = written.lstrip(":").strip()
        page, _hash, _section = title.partition("#")
        if node.text is not None and not str(node.text).strip():
            node.text = None  # the "pipe trick", [[Page|]]: shown as the page's name
        label = str(self.walk(node.text)) if node.text is not None else None
        if not page.strip():
            return None  # [[#Section]]: a link within the page
        number, name = self.namespaces.split(page)
        if number == CATEGORY and not colon:
            self.add(self.out.categories, name)
            return ""
        if number in (FILE, MEDIA) and not colon:
            return self.embed(name, node.text)
        prefix = page.partition(":")[0].strip().lower() if ":" in page else ""
        if number == MAIN and prefix not in _INTERWIKI:
            self.add(self.out.links, name)
            if colon:
                node.title = title  # [[:Page]] is [[Page]]
            return None
        # Another namespace or another wiki: the link's text, as a reader saw it.
        return label if label is not None else title

    def embed(self, name: str, options: Wikicode | None, *, caption_always: bool = False) -> str:
        self.add(self.out.files, name)
        size, caption, thumb = None, None, caption_always
        for option in _options(options):
            word = option.strip()
            key = word.lower().replace(" ", "_")
            if found := _SIZE.match(word):
                size = found.group(1) + (f"x{found.group(2)}" if found.group(1) and found.group(2) else "")
                size = size or None
            elif key in _IMAGE_WORDS or key.split("=", 1)[0] in _IMAGE_WORDS:
                thumb = thumb or key in _THUMB_WORDS
            elif re.match(r"^[\w-]+\s*=", word):
                continue  # link=, alt=, page=, class=, lang=…
            elif word:
                caption = word
        # As MediaWiki does, a caption is shown under a thumbnail or a framed image only; an
        # inline image's is its alternative text.
        fragment = self.fragment(str(self.walk(mwparserfromhell.parse(caption)))) if caption and thumb else None
        return self.token(Embeds([(name, size, fragment)]), f"file {name} {size} {caption if thumb else ''}")

    def gallery(self, node: Tag) -> str:
        files: list[tuple[str, str | None, int | None]] = []
        for line in str(node.contents).splitlines():
            title, _bar, caption = line.strip().partition("|")
            if not title:
                continue
            number, name = self.namespaces.split(title)
            if number not in (FILE, MEDIA, MAIN):
                name = normalize_title(title)
            self.add(self.out.files, name)
            options = [o for o in caption.split("|") if not re.match(r"^[\w-]+\s*=", o.strip())] if caption else []
            text = options[-1].strip() if options else ""
            fragment = self.fragment(str(self.walk(mwparserfromhell.parse(text)))) if text else None
            files.append((name, None, fragment))
        return self.token(Embeds(files), f"gallery {node}") if files else ""

    def template(self, node: Template) -> str:
        written = " ".join(str(node.name).split())
        name, colon, _argument = written.partition(":")
        if colon and name.lower() in _SILENT:
            return ""
        magic = bool(colon) and not name.startswith("#")  # {{formatnum:…}}, {{lc:…}}, {{Modèle:Nom}}
        if magic and self.namespaces.split(written)[0] == TEMPLATE:
            name, magic = self.namespaces.split(written)[1], False
        elif not colon:
            name = normalize_title(written)
        wikitext = str(node)
        self.add(self.out.templates, name)
        if templates.known(name, node, magic=magic):
            for parameter in node.params:
                self.walk(parameter.value)
            readable = templates.readable(name, node, magic=magic)
            if readable is not None:
                return readable
        self.problem(f"template {{{{{name}}}}} kept as written")
        return self.token(KeptTemplate(wikitext), f"template {wikitext}")

    def tag(self, node: Tag) -> str | None:
        name = str(node.tag).strip().lower()
        if name == "ref":
            return self.ref(node)
        if name == "references":
            self.references(node)
            return ""
        if name == "gallery":
            return self.gallery(node)
        if name == "includeonly":
            return ""
        if name in ("noinclude", "onlyinclude"):
            return str(self.walk(node.contents))
        if name == "poem":
            return "<br />\n".join(str(self.walk(node.contents)).strip("\n").split("\n"))
        if name not in _VERBATIM:
            self.walk(node.contents)
        return None

    def _ref_name(self, node: Tag) -> str | None:
        if node.has("name"):
            return " ".join(str(node.get("name").value).split()) or None
        return None

    def _footnote(self, name: str | None) -> int:
        if name is not None and name in self.named:
            return self.named[name]
        self.out.footnotes.append(None)
        number = len(self.out.footnotes)
        if name is not None:
            self.named[name] = number
        return number

    def _define(self, number: int, node: Tag) -> None:
        if node.self_closing or not str(node.contents).strip():
            return
        if self.out.footnotes[number - 1] is None:
            self.out.footnotes[number - 1] = self.fragment(str(self.walk(node.contents)).strip())

    def ref(self, node: Tag) -> str:
        written = str(node)
        number = self._footnote(self._ref_name(node))
        self._define(number, node)
        return self.token(FootnoteRef(number, self.out.labels), f"ref {written}")

    def references(self, node: Tag) -> None:
        """<references>…</references> may define the text of named references used above it."""
        if node.contents is None:
            return
        for inner in node.contents.filter_tags(recursive=False):
            if str(inner.tag).strip().lower() == "ref" and (name := self._ref_name(inner)) is not None:
                if name in self.named:
                    self._define(self.named[name], inner)


def _options(options: Wikicode | None) -> list[str]:
    """The "|"-separated options of a file link, the "|" of a link inside a caption left alone."""
    if options is None:
        return []
    parts = [""]
    for node in options.nodes:
        if isinstance(node, Text):
            first, *rest = str(node).split("|")
            parts[-1] += first
            parts.extend(rest)
        else:
            parts[-1] += str(node)
    return parts


def prepare(wikitext: str, *, namespaces: Namespaces, marker: str) -> Prepared:
    """`wikitext` made ready for pandoc, with the tokens and fragments taken out of it."""
    prepared = Prepared()
    preparer = _Preparer(namespaces, marker, prepared)
    code = mwparserfromhell.parse(wikitext)
    nodes = code.nodes
    starts = [0, *(i for i, node in enumerate(nodes) if i and isinstance(node, Heading)), len(nodes)]
    sections = list(zip(starts, starts[1:]))
    prepared.sources = ["".join(str(node) for node in nodes[start:end]) for start, end in sections]
    preparer.walk(code, top=True)  # node for node: the sections' bounds stay where they were
    prepared.sections = ["".join(str(node) for node in nodes[start:end]) for start, end in sections]
    for number, fragment in enumerate(prepared.footnotes, start=1):
        if fragment is None:
            prepared.problems.append(f"footnote {number} is used but its text is never given")
        else:
            prepared.labels[number] = len(prepared.labels) + 1
    return prepared
