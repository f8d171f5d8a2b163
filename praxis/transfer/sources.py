"""What an import reads: the files of a folder (an Obsidian vault, a documentation site, a
Praxis export), the kind of source it is, and what a file that says nothing is taken to say.

Hidden files and folders (`.obsidian/`, `.trash/`, `.git/`, `.vuepress/`…) and `node_modules/`
are skipped and counted. Paths are compared in Unicode NFC (macOS writes names decomposed).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

OBSIDIAN = "obsidian"  # a vault: a note is named by its file name
DOCS = "docs"  # a documentation folder: a page is named by its first heading, else its file name
PRAXIS = "praxis"  # a Praxis export: every note file says its id

SKIPPED_FOLDERS = {"node_modules"}
# A documentation site's generator, recognised by its configuration.
DOCS_CONFIGS = (
    "mkdocs.yml",
    "mkdocs.yaml",
    "docusaurus.config.js",
    "docusaurus.config.ts",
    "book.toml",
    "_config.yml",
    "astro.config.mjs",
)
INDEX_NAMES = ("readme", "index", "_index")  # a folder's own page in a documentation site


@dataclass(frozen=True)
class SourceFile:
    """A file of the source: its path on disk and its path in the source (NFC, '/'-separated)."""

    path: Path
    rel: str
    where: str = ""  # how messages name it: the path as the command was given it, then `rel`

    @property
    def stem(self) -> str:
        return PurePosixPath(self.rel).stem

    @property
    def folder(self) -> str:
        parent = str(PurePosixPath(self.rel).parent)
        return "" if parent == "." else parent


@dataclass
class Source:
    """A folder to import: its Markdown files, its other files, what was skipped, and its kind."""

    root: Path
    kind: str
    notes: list[SourceFile] = field(default_factory=list)
    files: list[SourceFile] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # hidden files and folders, as their paths


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _hidden(name: str) -> bool:
    return name.startswith(".") or name in SKIPPED_FOLDERS


def scan(path: Path, kind: str | None = None, *, shown: str | None = None) -> Source:
    """The files of a folder (or the one file) to import; `kind` decided here unless given;
    `shown`: how messages name the folder (else as given)."""
    if path.is_file():
        single = SourceFile(path, nfc(path.name), shown or str(path))
        if kind is None:
            kind = PRAXIS if _says_id(single.path) else DOCS
        return Source(root=path.parent, kind=kind, notes=[single] if path.suffix.lower() == ".md" else [])
    source = Source(root=path, kind=kind or DOCS)
    _walk(path, "", source, shown if shown is not None else str(path))
    source.notes.sort(key=lambda f: f.rel)
    source.files.sort(key=lambda f: f.rel)
    if kind is None:
        source.kind = _kind_of(path, source)
    return source


def _walk(folder: Path, prefix: str, source: Source, shown: str) -> None:
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError:
        return
    for entry in entries:
        rel = prefix + nfc(entry.name)
        if _hidden(entry.name):
            source.skipped.append(rel + ("/" if entry.is_dir() else ""))
            continue
        if entry.is_symlink():
            source.skipped.append(rel)  # a link may lead out of the folder: not followed
        elif entry.is_dir():
            _walk(entry, rel + "/", source, shown)
        elif entry.is_file():
            found = SourceFile(entry, rel, f"{shown}/{rel}" if shown else rel)
            (source.notes if entry.suffix.lower() == ".md" else source.files).append(found)


_ID_LINE = re.compile(r"^id:\s*\S", re.MULTILINE)


def _kind_of(root: Path, source: Source) -> str:
    """An Obsidian vault has `.obsidian/`; a Praxis export names each note's id in its front
    matter; anything else is read as a documentation folder."""
    if (root / ".obsidian").is_dir():
        return OBSIDIAN
    if (root / ".vuepress").is_dir() or any((root / name).is_file() for name in DOCS_CONFIGS):
        return DOCS
    if any((root / sub / ".vuepress").is_dir() for sub in ("docs", "src")):
        return DOCS
    if source.notes and all(_says_id(f.path) for f in source.notes):
        return PRAXIS
    return DOCS


def _says_id(path: Path) -> bool:
    """Whether a file's front matter has an `id` (read line by line, up to its end)."""
    try:
        with path.open(encoding="utf-8", errors="replace") as text:
            if text.readline().rstrip() != "---":
                return False
            for line in text:
                if line.rstrip() == "---":
                    return False
                if _ID_LINE.match(line):
                    return True
    except OSError:
        return False
    return False


_FENCE = re.compile(r"^(```|~~~)")
_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$")


def first_heading(body: str) -> tuple[str, str] | None:
    """The text of the body's first level-one heading (outside code blocks), and the body
    without it when it is the first thing the body says."""
    fenced = False
    seen_text = False
    lines = body.split("\n")
    for number, line in enumerate(lines):
        if _FENCE.match(line.lstrip()):
            fenced = not fenced
            seen_text = True
            continue
        if fenced:
            continue
        if match := _HEADING.match(line):
            heading = match.group(1).strip()
            rest = body if seen_text else "\n".join(lines[number + 1 :]).lstrip("\n")
            return heading, rest
        if line.strip():
            seen_text = True
    return None


def own_title(source_kind: str, file: SourceFile, body: str) -> tuple[str, str]:
    """The title a file without one in its front matter gets, and its body: an Obsidian note is
    named by its file name; a documentation page by its first heading (taken out of the body),
    else its file name (a folder's README or index: the folder's name). A body that begins with
    its title as a heading loses that heading, which the page shows as the title already."""
    name = file.stem
    if name.lower() in INDEX_NAMES and file.folder:
        name = PurePosixPath(file.folder).name
    if source_kind != OBSIDIAN:
        found = first_heading(body)
        if found is not None:
            return found[0], found[1]
    found = first_heading(body)
    if found is not None and found[1] is not body and _same(found[0], name):
        return name, found[1]
    return name, body


def _same(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def modified(path: Path) -> datetime:
    """When a file was last changed, as its file system says."""
    return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC).replace(microsecond=0)
