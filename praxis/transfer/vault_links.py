"""Links between the files of an imported folder, resolved the way Obsidian resolves them, and
written again as wikilinks to the notes' ids.

`[[Note]]` names a file by its name in any folder; when several files have that name, the one
nearest the linking file wins, then the one with the shortest path (the others are reported).
`[[Dossier/Note]]` names it by the end of its path. A name no file has may be a note's title or
one of its `aliases`. Relative Markdown links to `.md` files (`./guide.md#ancre`, `../a/b.md`)
and a documentation site's own paths (`/section/page`, `/section/page.html`, `/section/` for
its README or index) become wikilinks too. Names are compared ignoring case, accents,
Unicode's composed or decomposed forms and straight or typographic apostrophes. The note part
of a link alone is rewritten: `[[Dossier/Note#Titre|libellé]]` -> `[[<id>#Titre|libellé]]`.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import unquote

from praxis.markdown import fold
from praxis.transfer.sources import SourceFile

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


def key(text: str) -> str:
    """A name as links compare it: case, accents, NFC/NFD and apostrophes ignored."""
    return fold(text.translate(_APOSTROPHES))


@dataclass
class Entry:
    """A note of the import, as links find it."""

    file: SourceFile
    note_id: str
    title: str
    aliases: list[str] = field(default_factory=list)


@dataclass
class Found:
    """Where a link leads: a note of the import (`entry`), or a file (`file`)."""

    entry: Entry | None = None
    file: SourceFile | None = None
    others: list[str] = field(default_factory=list)  # the other files of that name (an ambiguity)


class Index:
    """The notes (and other files) of an import, by name, path, title and alias."""

    def __init__(self, entries: list[Entry], files: Sequence[SourceFile] = ()) -> None:
        self.entries = entries
        self.by_name: dict[str, list[Entry]] = {}
        self.by_path: dict[str, Entry] = {}
        self.by_title: dict[str, list[Entry]] = {}
        self.ids = {entry.note_id for entry in entries}
        for entry in entries:
            self.by_name.setdefault(key(entry.file.stem), []).append(entry)
            self.by_path[key(_without_md(entry.file.rel))] = entry
            self.by_title.setdefault(key(entry.title), []).append(entry)
            for alias in entry.aliases:
                self.by_title.setdefault(key(alias), []).append(entry)
        self.files_by_name: dict[str, list[SourceFile]] = {}
        self.files_by_path: dict[str, SourceFile] = {}
        for file in files:
            self.files_by_name.setdefault(key(PurePosixPath(file.rel).name), []).append(file)
            self.files_by_path[key(file.rel)] = file

    # --- notes -------------------------------------------------------------------------------

    def note(self, target: str, source: SourceFile) -> Found | None:
        """The note a wikilink's target names, seen from the file `source`."""
        target = target.strip().replace("\\", "/")
        if not target:
            return None
        if target.startswith("/") or target.startswith("./") or target.startswith("../"):
            return self.path(target, source)
        written = _without_md(target)
        if "/" in written:
            parts = key(written).split("/")
            suffix = [
                e
                for e in self.by_name.get(parts[-1], [])
                if key(_without_md(e.file.rel)).split("/")[-len(parts) :] == parts
            ]
            if suffix:
                return _nearest(suffix, source, lambda e: e.file)
            return None
        named = self.by_name.get(key(written))
        if named:
            return _nearest(named, source, lambda e: e.file)
        titled = self.by_title.get(key(target))
        if titled:
            return _nearest(titled, source, lambda e: e.file)
        return None

    def path(self, target: str, source: SourceFile) -> Found | None:
        """The note a Markdown link's path names: relative to the linking file, or from the
        site's root (`/section/page`, `.html` or not, `/section/` for its README or index)."""
        target = unquote(target)
        if target.startswith("/"):
            wanted = target.strip("/")
            for candidate in _page_paths(wanted):
                if found := self.by_path.get(key(candidate)):
                    return Found(found)
            # The site's root may be a folder of the import (docs/, src/…): the path's end then.
            for candidate in _page_paths(wanted):
                parts = key(candidate).split("/")
                ends = [
                    e
                    for e in self.by_name.get(parts[-1], [])
                    if key(_without_md(e.file.rel)).split("/")[-len(parts) :] == parts
                ]
                if ends:
                    return _nearest(ends, source, lambda e: e.file)
            return None
        joined = posixpath.normpath(posixpath.join(source.folder, target))
        if joined.startswith(".."):
            return None
        for candidate in _page_paths(joined, relative=True):
            if found := self.by_path.get(key(candidate)):
                return Found(found)
        return None

    # --- other files -------------------------------------------------------------------------

    def file(self, target: str, source: SourceFile) -> Found | None:
        """The file (not a note) an embed or a link names: by its path from the linking file or
        the root, else (Obsidian) by its name anywhere, the nearest first."""
        target = unquote(target.strip()).replace("\\", "/")
        if not target:
            return None
        if not target.startswith("/"):
            joined = posixpath.normpath(posixpath.join(source.folder, target))
            if not joined.startswith("..") and (hit := self.files_by_path.get(key(joined))):
                return Found(file=hit)
        if hit := self.files_by_path.get(key(target.lstrip("/"))):
            return Found(file=hit)
        parts = key(target.lstrip("./")).split("/")
        named = self.files_by_name.get(parts[-1], [])
        if len(parts) > 1:
            named = [f for f in named if key(f.rel).split("/")[-len(parts) :] == parts]
        if named:
            return _nearest(named, source, lambda f: f, file=True)
        return None


def _without_md(path: str) -> str:
    return path[:-3] if path.lower().endswith(".md") else path


def _page_paths(path: str, *, relative: bool = False) -> list[str]:
    """The files a page's path may be: itself, without `.html`, or its folder's README or index."""
    path = path.strip("/")
    if path.lower().endswith(".html"):
        path = path[:-5]
    base = _without_md(path)
    found = [base] if base and base != "." else []
    folder = "" if base in ("", ".") else base + "/"
    found += [folder + name for name in ("README", "index", "_index")]
    if relative and not path.lower().endswith(".md"):
        return found
    return found


def _distance(a: str, b: str) -> int:
    """Folders between two folders: up from `a` to what they share, then down to `b`."""
    pa = [p for p in a.split("/") if p]
    pb = [p for p in b.split("/") if p]
    shared = 0
    for x, y in zip(pa, pb, strict=False):
        if x != y:
            break
        shared += 1
    return (len(pa) - shared) + (len(pb) - shared)


def _nearest(candidates: list, source: SourceFile, file_of: Callable, *, file: bool = False) -> Found:
    """The candidate nearest the linking file, then the one with the shortest path."""
    unique = list({id(c): c for c in candidates}.values())
    ranked = sorted(
        unique,
        key=lambda c: (
            _distance(source.folder, file_of(c).folder),
            file_of(c).rel.count("/"),
            len(file_of(c).rel),
            file_of(c).rel,
        ),
    )
    best = ranked[0]
    others = [file_of(c).rel for c in ranked[1:]]
    return Found(file=best, others=others) if file else Found(entry=best, others=others)


# --- rewriting a body ------------------------------------------------------------------------

# Code is left as written: fenced blocks, then inline code; then wikilinks (and embeds) and
# Markdown links (and images) are rewritten.
_TOKENS = re.compile(
    r"(?P<fence>^(?P<mark>```|~~~)[^\n]*\n.*?(?:^(?P=mark)[^\n]*$|\Z))"
    r"|(?P<code>(?P<ticks>`+)[^`].*?(?P=ticks))"
    r"|(?P<wiki>(?P<bang>!?)\[\[(?P<inner>[^\[\]\n]+?)\]\])"
    r"|(?P<md>(?P<mdbang>!?)\[(?P<label>[^\[\]\n]*)\]\((?P<href><[^>\n]+>|[^)\s]+)(?P<title>\s+\"[^\"\n]*\")?\))",
    re.MULTILINE | re.DOTALL,
)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")


@dataclass
class Rewritten:
    body: str
    unresolved: list[str] = field(default_factory=list)  # links as written that lead nowhere
    ambiguous: list[str] = field(default_factory=list)  # what was chosen among files of one name
    files: list[SourceFile] = field(default_factory=list)  # the files it embeds or links to


# What a reference to a file (not a note) becomes: the new Markdown, given the file, its
# label as written, the size or label after '|' (or None), and whether it was shown in place.
FileLink = Callable[[SourceFile, str, str | None, bool], str]


def rewrite(
    body: str,
    source: SourceFile,
    index: Index,
    *,
    known_id: Callable[[str], bool],
    file_link: FileLink | None = None,
    notes: bool = True,
) -> Rewritten:
    """The body with its links to the import's notes (and files, through `file_link`) written
    again; `known_id`: whether a target is already a note's id (left as it is). `notes` False:
    links to notes are left as written (a Praxis export's), files alone are taken in."""
    out = Rewritten(body)

    def choose(found: Found | None, written: str) -> Found | None:
        if found is not None and found.others:
            chosen = found.entry.file.rel if found.entry else found.file.rel if found.file else ""
            out.ambiguous.append(f"{written} → {chosen} (also: {', '.join(found.others)})")
        return found

    def wiki(match: re.Match[str]) -> str:
        bang, inner = match.group("bang"), match.group("inner")
        escaped_pipe = "\\|" in inner
        target, sep, label = inner.replace("\\|", "|").partition("|")
        note_part, hash_sign, anchor = target.partition("#")
        pipe = "\\|" if escaped_pipe else "|"
        if not note_part.strip():
            return match.group(0)  # [[#Titre]]: a heading of the same note
        if known_id(note_part.strip()):
            return match.group(0)
        found = choose(index.note(note_part, source), f"[[{target}]]") if notes else None
        if found is None or found.entry is None:
            attached = choose(index.file(note_part, source), f"[[{target}]]") if file_link else None
            if attached is not None and attached.file is not None and file_link is not None:
                out.files.append(attached.file)
                return file_link(attached.file, note_part.strip(), label.strip() if sep else None, bool(bang))
            if notes:
                out.unresolved.append(match.group(0))
            return match.group(0)
        new_target = found.entry.note_id + (hash_sign + anchor if hash_sign else "")
        if bang:
            return f"![[{new_target}]]"
        shown = label if sep else (note_part.strip() + (" > " + anchor.lstrip("^") if hash_sign and anchor else ""))
        return f"[[{new_target}{pipe}{shown}]]"

    def markdown(match: re.Match[str]) -> str:
        href = match.group("href")
        if href.startswith("<"):
            href = href[1:-1]
        if not href or href.startswith("#") or _SCHEME.match(href) or href.startswith("//"):
            return match.group(0)
        path, hash_sign, anchor = href.partition("#")
        path = path.split("?", 1)[0]
        label, bang = match.group("label"), match.group("mdbang")
        looks_like_page = (
            path.lower().endswith((".md", ".html")) or path.endswith("/") or "." not in PurePosixPath(path).name
        )
        if not bang and looks_like_page and notes:
            found = choose(index.path(path, source), href)
            if found is not None and found.entry is not None:
                new_target = found.entry.note_id + (hash_sign + anchor if hash_sign and anchor else "")
                if label and not re.search(r"[\[\]|]", label):
                    return f"[[{new_target}|{label}]]"
                return f"[{label}](/n/{found.entry.note_id}/{'#' + anchor if anchor else ''})"
            if path.lower().endswith(".md") or path.startswith("/"):
                out.unresolved.append(match.group(0))
                return match.group(0)
        if file_link is not None:
            attached = choose(index.file(path, source), href)
            if attached is not None and attached.file is not None:
                out.files.append(attached.file)
                return file_link(attached.file, label, None, bool(bang))
            out.unresolved.append(match.group(0))
        return match.group(0)

    def replace(match: re.Match[str]) -> str:
        if match.group("wiki"):
            return wiki(match)
        if match.group("md"):
            return markdown(match)
        return match.group(0)

    out.body = _TOKENS.sub(replace, body)
    return out


def target_of(link: str) -> str:
    """The note a wikilink as written names (`[[Note#Titre|libellé]]` -> "Note")."""
    inner = link.lstrip("!")[2:-2] if link.lstrip("!").startswith("[[") else ""
    return inner.replace("\\|", "|").split("|", 1)[0].split("#", 1)[0].strip()


_CODE = re.compile(r"^(```|~~~)[^\n]*\n.*?(?:^\1[^\n]*$|\Z)|(`+)[^`].*?\2", re.MULTILINE | re.DOTALL)
_TAG = re.compile(r"(?:(?<=\s)|^)#([\w/\-]*[^\W\d_][\w/\-]*)", re.MULTILINE)


def hashtags(body: str) -> list[str]:
    """The #tags of a text as Obsidian finds them: outside code, after a space or at a line's
    start, with at least one letter (`#2024` is not one), nested with '/'."""
    return _TAG.findall(_CODE.sub(" ", body))
