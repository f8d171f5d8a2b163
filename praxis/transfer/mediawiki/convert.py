"""Wikitext to Praxis Markdown: mwparserfromhell first (wikitext.py), then pandoc with a Lua filter
(praxis.lua), many texts in one pandoc process.

Pandoc is a separate program (the one pypandoc-binary ships). Starting it costs 10 to 30 ms;
reading wikitext costs more: about 2 s of processor time a megabyte, whatever the markup (as much
as its Markdown reader). So `to_markdown_many` converts each distinct section, footnote and caption
of all its texts once (a page's revisions share most of theirs), sends many to one process, each
followed by a separator line that the conversion keeps as a paragraph of its own, and runs one
process a processor at once (pandoc takes about 150 MB for a batch of 500 KB). Should a text
swallow its separator (an unclosed table), the batch is halved until the culprit is converted
alone.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pypandoc

from praxis.transfer.mediawiki.titles import Namespaces
from praxis.transfer.mediawiki.tokens import Prepared, token_pattern
from praxis.transfer.mediawiki.wikitext import prepare

_FILTER = Path(__file__).with_name("praxis.lua")
_BATCH_CHARACTERS = 500_000  # the most wikitext sent to one pandoc process
_MIN_BATCH = 50_000  # the least, when the texts are shared between processes
_MAX_WORKERS = 4
_TIMEOUT_BASE, _TIMEOUT_PER_MB = 30, 60  # seconds: pandoc reads about 1 MB of wikitext a second
_MAX_DEPTH = 8  # tokens within fragments within tokens…


@dataclass
class Converted:
    """A wikitext as Praxis Markdown, and what it names."""

    markdown: str
    categories: list[str] = field(default_factory=list)  # "Chantiers", from [[Catégorie:Chantiers]]
    files: list[str] = field(default_factory=list)  # "Logo ADN.png", embedded or in a <gallery>
    links: list[str] = field(default_factory=list)  # main-namespace titles linked to: "Page d'accueil"
    templates: list[str] = field(default_factory=list)  # every template met, known or not
    problems: list[str] = field(default_factory=list)  # what could not be kept as it was, in words


class PandocError(RuntimeError):
    """Pandoc could not be run at all (not the failure of one text, which is reported)."""


def _pandoc(wikitext: str, marker: str) -> str:
    timeout = _TIMEOUT_BASE + _TIMEOUT_PER_MB * len(wikitext) / 1_000_000
    command = [
        pypandoc.get_pandoc_path(),
        "--from=mediawiki",
        "--to=gfm-raw_html",  # a raw <div> or <span> is dropped, what it holds kept
        "--wrap=none",
        f"--lua-filter={_FILTER}",
        f"--metadata=praxis-marker:{marker}",
    ]
    try:
        done = subprocess.run(command, input=wikitext.encode(), capture_output=True, timeout=timeout, check=False)
    except OSError as error:
        raise PandocError(f"pandoc could not be started: {error}") from error
    if done.returncode != 0:
        raise subprocess.CalledProcessError(done.returncode, command, done.stdout, done.stderr)
    return done.stdout.decode()


def _separator(marker: str, index: int) -> str:
    return f"9{marker}S{index}Z9"


_TABLE_OPEN = re.compile(r"^\s*\{\|", re.MULTILINE)
_TABLE_CLOSE = re.compile(r"^\s*\|\}", re.MULTILINE)
_CLOSABLE = ("pre", "nowiki", "syntaxhighlight", "source", "code", "math", "blockquote", "div", "span")


def _closed(wikitext: str) -> str:
    """The wikitext with the tags and tables it leaves open closed at its end."""
    closers = []
    for tag in _CLOSABLE:
        opened = len(re.findall(rf"<{tag}(?:\s[^>]*)?(?<!/)>", wikitext, re.IGNORECASE))
        closed = len(re.findall(rf"</{tag}\s*>", wikitext, re.IGNORECASE))
        closers.extend([f"</{tag}>"] * (opened - closed))
    tables = len(_TABLE_OPEN.findall(wikitext)) - len(_TABLE_CLOSE.findall(wikitext))
    return wikitext + "".join(reversed(closers)) + "\n|}" * tables


def _convert(texts: Sequence[str], marker: str) -> list[str | None]:
    """Each text in Markdown, None for one pandoc fails on or takes too long over."""
    if not texts:
        return []
    joined = "".join(f"{text}\n\n{_separator(marker, i)}\n\n" for i, text in enumerate(texts))
    try:
        output = _pandoc(joined, marker)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
        output = None
    if output is not None:
        parts = re.split(rf"^9{marker}S(\d+)Z9$", output, flags=re.MULTILINE)
        numbers = parts[1::2]
        if numbers == [str(i) for i in range(len(texts))]:
            return [part.strip("\n") for part in parts[0:-1:2]]
    if len(texts) == 1:
        # Alone, a text that swallowed its separator needs none; pandoc refuses what MediaWiki
        # closes at the end of a page by itself, so it is closed for it.
        try:
            return [_pandoc(_closed(texts[0]), marker).strip("\n")]
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
            return [None]
    middle = len(texts) // 2
    return _convert(texts[:middle], marker) + _convert(texts[middle:], marker)


def _batches(pieces: Sequence[str], workers: int) -> list[list[str]]:
    """The texts in batches: each process gets its share, within the limits."""
    total = sum(len(piece) for piece in pieces)
    limit = max(_MIN_BATCH, min(_BATCH_CHARACTERS, total // workers + 1))
    batches: list[list[str]] = []
    batch: list[str] = []
    size = 0
    for piece in pieces:
        if batch and size + len(piece) > limit:
            batches.append(batch)
            batch, size = [], 0
        batch.append(piece)
        size += len(piece)
    if batch:
        batches.append(batch)
    return batches


def _workers() -> int:
    try:
        processors = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        processors = os.cpu_count() or 1
    return max(1, min(_MAX_WORKERS, processors))


def _fenced(text: str) -> str:
    fence = "```"
    while fence in text:
        fence += "`"
    return f"{fence}\n{text}\n{fence}"


class _Writer:
    """Writes one text's Markdown from pandoc's output: tokens replaced, footnotes appended."""

    def __init__(self, item: Prepared, outputs: Mapping[str, str | None], marker: str) -> None:
        self.item, self.outputs, self.marker = item, outputs, marker
        self.tokens = token_pattern(marker)
        self.problem_line = re.compile(rf"^.*{marker}PROBLEM(\w+).*$\n?", re.MULTILINE)

    def fragment(self, index: int, depth: int = 1) -> str:
        wikitext = self.item.fragments[index]
        output = self.outputs[wikitext]
        if output is None:
            self.item.problems.append("a footnote or caption could not be converted: kept as wikitext")
            output = wikitext
        return self.substitute(output, depth)

    def substitute(self, markdown: str, depth: int = 0) -> str:
        for kind in self.problem_line.findall(markdown):
            if kind == "table":
                self.item.problems.append("a table with merged cells or lists in cells was simplified")
        markdown = self.problem_line.sub("", markdown)
        if depth > _MAX_DEPTH:
            return self.tokens.sub("", markdown)

        def write(line: str) -> str:
            token = self.item.tokens.get(line.strip())
            if token is not None and line == line.strip():
                return token.block(lambda i: self.fragment(i, depth + 1))
            table_row = line.lstrip().startswith("|")

            def inline(found: re.Match[str]) -> str:
                token = self.item.tokens.get(found.group(0))
                text = token.inline(lambda i: self.fragment(i, depth + 1)) if token else ""
                return text.replace("|", "\\|") if table_row else text

            return self.tokens.sub(inline, line)

        return "\n".join(write(line) if "9" + self.marker in line else line for line in markdown.split("\n"))

    def section(self, wikitext: str, source: str) -> str:
        output = self.outputs[wikitext]
        if output is None:
            self.item.problems.append("pandoc could not convert a section: it is kept as wikitext, in a code block")
            return _fenced(source.strip())
        return self.substitute(output).strip()

    def markdown(self) -> str:
        sections = (self.section(text, source) for text, source in zip(self.item.sections, self.item.sources))
        body = "\n\n".join(section for section in sections if section)
        notes = []
        for number, fragment in enumerate(self.item.footnotes, start=1):
            label = self.item.labels.get(number)
            if label is None or fragment is None:
                continue
            text = self.fragment(fragment).strip().replace("\n", "\n    ")
            notes.append(f"[^{label}]: {text}")
        if notes:
            body = f"{body}\n\n" + "\n\n".join(notes)
        body = re.sub(r"\n{3,}", "\n\n", body).strip()
        return unicodedata.normalize("NFC", body) + "\n" if body else ""


def to_markdown_many(
    texts: Iterable[str],
    *,
    namespaces: Mapping[int, str] | None = None,
    case: str = "first-letter",
    workers: int | None = None,
) -> list[Converted]:
    """Each wikitext as Praxis Markdown, in as few pandoc processes as their size allows, run
    `workers` at a time (by default one a processor, at most four).

    `namespaces`: the wiki's local namespace names by number (`SiteInfo.namespaces`); without
    them, French MediaWiki's ("Fichier", "Catégorie"…). English names are always understood.
    `case`: `SiteInfo.case`; on a "case-sensitive" wiki, titles keep their first letter as written.
    Give it a page's whole history, or many pages' at once: a section, a footnote or a caption
    that several revisions share is converted once.
    """
    spaces = Namespaces(namespaces, case=case)
    marker = f"PRX{secrets.token_hex(5).upper()}"
    sources = [unicodedata.normalize("NFC", text) for text in texts]
    prepared = {text: prepare(text, namespaces=spaces, marker=marker) for text in dict.fromkeys(sources)}
    pieces = list(dict.fromkeys(p for item in prepared.values() for p in (*item.sections, *item.fragments) if p))
    workers = workers or _workers()
    batches = _batches(pieces, workers)

    def convert(batch: list[str]) -> list[str | None]:
        return _convert(batch, marker)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        converted = list(pool.map(convert, batches))
    outputs: dict[str, str | None] = {"": ""}
    for batch, batch_outputs in zip(batches, converted):
        outputs.update(zip(batch, batch_outputs))
    done = {text: _converted(item, outputs, marker) for text, item in prepared.items()}
    return [_copy(done[text]) for text in sources]


def _converted(item: Prepared, outputs: Mapping[str, str | None], marker: str) -> Converted:
    return Converted(
        markdown=_Writer(item, outputs, marker).markdown(),
        categories=item.categories,
        files=item.files,
        links=item.links,
        templates=item.templates,
        problems=item.problems,
    )


def _copy(converted: Converted) -> Converted:
    """A result of its own for each text, however many are the same."""
    return Converted(
        markdown=converted.markdown,
        categories=list(converted.categories),
        files=list(converted.files),
        links=list(converted.links),
        templates=list(converted.templates),
        problems=list(dict.fromkeys(converted.problems)),
    )
