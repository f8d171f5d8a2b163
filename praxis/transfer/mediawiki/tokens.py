"""What wikitext.py takes out of a text before pandoc runs, written back in Markdown after it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

FragmentWriter = Callable[[int], str]  # a fragment's number -> its Markdown


class Token:
    """A construct taken out of the wikitext, written in Markdown once its fragments are converted:
    `block` where its token is a paragraph of its own, `inline` elsewhere."""

    def inline(self, fragment: FragmentWriter) -> str:
        raise NotImplementedError

    def block(self, fragment: FragmentWriter) -> str:
        return self.inline(fragment)


@dataclass
class FootnoteRef(Token):
    number: int
    labels: dict[int, int]  # footnote number -> its label in the Markdown (footnotes without text have none)

    def inline(self, fragment: FragmentWriter) -> str:
        label = self.labels.get(self.number)
        return f"[^{label}]" if label else ""


@dataclass
class Embeds(Token):
    """One file ([[Fichier:…]]) or several (<gallery>): `(name, size, caption fragment or None)`."""

    files: list[tuple[str, str | None, int | None]]

    @staticmethod
    def _embed(name: str, size: str | None) -> str:
        return f"![[{name}|{size}]]" if size else f"![[{name}]]"

    @staticmethod
    def _caption(markdown: str) -> str:
        text = " ".join(markdown.split())
        return f"*{text}*" if text and "*" not in text and "_" not in text else text

    def inline(self, fragment: FragmentWriter) -> str:
        parts = []
        for name, size, caption in self.files:
            parts.append(self._embed(name, size))
            if caption is not None and (text := self._caption(fragment(caption))):
                parts.append(text)
        return " ".join(parts)

    def block(self, fragment: FragmentWriter) -> str:
        blocks = []
        for name, size, caption in self.files:
            blocks.append(self._embed(name, size))
            if caption is not None and (text := self._caption(fragment(caption))):
                blocks.append(text)
        return "\n\n".join(blocks)


@dataclass
class KeptTemplate(Token):
    """A template Praxis cannot show otherwise: its wikitext, as code."""

    wikitext: str

    def inline(self, fragment: FragmentWriter) -> str:
        text = " ".join(self.wikitext.split())
        ticks = "`"
        while ticks in text:
            ticks += "`"
        padding = " " if text.startswith("`") or text.endswith("`") else ""
        return f"{ticks}{padding}{text}{padding}{ticks}"

    def block(self, fragment: FragmentWriter) -> str:
        fence = "```"
        while fence in self.wikitext:
            fence += "`"
        return f"{fence}\n{self.wikitext.strip()}\n{fence}"


@dataclass
class Prepared:
    """One wikitext made ready: its sections for pandoc (and as they were written), the fragments
    and tokens taken out of it, and what was found on the way."""

    sections: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    fragments: list[str] = field(default_factory=list)
    tokens: dict[str, Token] = field(default_factory=dict)
    footnotes: list[int | None] = field(default_factory=list)  # footnote number - 1 -> its fragment
    labels: dict[int, int] = field(default_factory=dict)
    categories: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    templates: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def token_pattern(marker: str) -> re.Pattern[str]:
    """Finds the tokens of a conversion: they start and end with a digit, so that neither a link's
    trail ([[chat]]s) nor a word around them is read as part of them."""
    return re.compile(rf"9{marker}T[0-9A-F]+Z9")
