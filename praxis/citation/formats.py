"""What reference managers import: BibTeX, RIS and CSL-JSON, from the same `Work`."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable
from datetime import date
from typing import Any

from praxis.citation.names import Person
from praxis.citation.work import Work

LANGUAGE_NAMES = {"fr": "french", "en": "english"}
_BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# LaTeX's special characters, escaped so that any title or name compiles as written.
_LATEX = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LATEX_RE = re.compile("|".join(re.escape(c) for c in _LATEX))


def latex(text: str) -> str:
    return _LATEX_RE.sub(lambda m: _LATEX[m.group(0)], text)


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]", "", folded)


def bibtex_key(work: Work) -> str:
    """ "gervais2024merci-k3q7vd2a": first author, year, first word of four letters or more of
    the title, then a suffix drawn from the address alone (`-r3` more for a revision's permanent
    link). Two notes alike in author, year and first word still get two keys, and a key never
    changes because another note appeared: the suffix depends on nothing else on the site."""
    first = work.authors[0] if work.authors else None
    who = _ascii_word((first.family or first.display.split()[0]) if first else "") or "praxis"
    year = str(work.published.year) if work.published else "nd"
    words = [_ascii_word(w) for w in re.split(r"[\s'’\-]+", work.title)]
    word = next((w for w in words if len(w) >= 4), next((w for w in words if w), ""))
    version = f"-r{work.revision}" if work.archived and work.revision is not None else ""
    return f"{who}{year}{word}-{_key_suffix(work)}{version}"


_PATH_PREFIX = {"carnet": "c", "base": "b"}  # notes, organisations and terms live under /n/


def _key_suffix(work: Work) -> str:
    # Lowercase base32 of a hash of the address path: ids are mixed-case, and BibTeX takes keys
    # that differ only in case for the same key. 40 bits: two notes would also need the same
    # author, year and first word to collide.
    path = f"{_PATH_PREFIX.get(work.kind, 'n')}/{work.id}"
    return base64.b32encode(hashlib.sha256(path.encode("utf-8")).digest()).decode("ascii")[:8].lower()


_AND = re.compile(r"\band\b", re.IGNORECASE)


def _bibtex_part(text: str) -> str:
    # BibTeX separates authors at every " and " outside braces, even inside a name.
    return "{" + latex(text) + "}" if _AND.search(text) else latex(text)


def _bibtex_name(author: Person) -> str:
    if author.whole:
        return "{" + latex(author.display) + "}"  # braces: BibTeX never splits an organisation
    return ", ".join(_bibtex_part(p) for p in (author.family, author.suffix, author.given) if p)


def bibtex(work: Work, lang: str, accessed: date) -> tuple[str, str]:
    """A @misc entry (what BibTeX and biblatex both read for a web page), with biblatex's
    `date`, `url` and `urldate`."""
    fields: list[tuple[str, str]] = []
    if work.authors:
        fields.append(("author", "{" + " and ".join(_bibtex_name(a) for a in work.authors) + "}"))
    fields.append(("title", "{{" + latex(work.title) + "}}"))  # double braces keep its capitals
    fields.append(("howpublished", "{" + latex(work.site_name) + "}"))
    if work.published:
        fields += [
            ("year", "{" + str(work.published.year) + "}"),
            ("month", _BIBTEX_MONTHS[work.published.month - 1]),
            ("date", "{" + work.published.isoformat() + "}"),
        ]
    fields += [
        ("url", "{" + work.url.replace("{", "%7B").replace("}", "%7D") + "}"),
        ("urldate", "{" + accessed.isoformat() + "}"),
        ("language", "{" + LANGUAGE_NAMES.get(work.language, work.language) + "}"),
    ]
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"  {name.ljust(width)} = {value}" for name, value in fields)
    return f"@misc{{{bibtex_key(work)},\n{body}\n}}\n", "application/x-bibtex"


def _ris_date(d: date) -> str:
    return f"{d.year:04d}/{d.month:02d}/{d.day:02d}"


def ris(work: Work, lang: str, accessed: date) -> tuple[str, str]:
    """An ELEC (web page) record; lines end with CR LF as the RIS specification asks."""
    lines = [("TY", "ELEC")]
    lines += [("AU", a.inverted) for a in work.authors]  # no comma: an organisation, kept whole
    lines += [("TI", work.title), ("T2", work.site_name)]
    if work.published:
        lines += [("PY", str(work.published.year)), ("DA", _ris_date(work.published))]
    lines += [("Y2", _ris_date(accessed)), ("UR", work.url), ("LA", work.language)]
    if work.licence:
        lines.append(("CR", work.licence))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines), "application/x-research-info-systems"


def _date_parts(d: date) -> dict[str, list[list[int]]]:
    return {"date-parts": [[d.year, d.month, d.day]]}


def csl_item(work: Work, accessed: date) -> dict[str, Any]:
    """The work as one CSL-JSON item (what Zotero, Mendeley and citeproc processors read)."""
    authors: list[dict[str, str]] = []
    for a in work.authors:
        if a.whole:
            authors.append({"literal": a.display})
        else:
            name = {"family": a.family or "", "given": a.given or ""}
            if a.suffix:
                name["suffix"] = a.suffix
            authors.append(name)
    item: dict[str, Any] = {
        "id": work.id,
        "type": "webpage",
        "title": work.title,
        "author": authors,
        "container-title": work.site_name,
        "URL": work.url,
        "accessed": _date_parts(accessed),
        "language": work.language,
    }
    if work.published:
        item["issued"] = _date_parts(work.published)
    if work.licence:
        # CSL has no licence variable (its schema refuses any other property): the note carries
        # it, in the "name: value" form Zotero reads from a note into its Rights field.
        item["note"] = f"rights: {work.licence}"
    if work.revision is not None:
        item["version"] = str(work.revision)
    return item


def csl_json(work: Work, lang: str, accessed: date) -> tuple[str, str]:
    return json.dumps(
        [csl_item(work, accessed)], ensure_ascii=False, indent=2
    ) + "\n", "application/vnd.citationstyles.csl+json"


RENDERERS: dict[str, Callable[[Work, str, date], tuple[str, str]]] = {
    "bibtex": bibtex,
    "ris": ris,
    "csl-json": csl_json,
}
