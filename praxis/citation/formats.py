"""What reference managers import: BibTeX, RIS and CSL-JSON, from the same `Work`."""

from __future__ import annotations

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
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
    "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
_LATEX_RE = re.compile("|".join(re.escape(c) for c in _LATEX))


def latex(text: str) -> str:
    return _LATEX_RE.sub(lambda m: _LATEX[m.group(0)], text)


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]", "", folded)


def bibtex_key(work: Work) -> str:
    """ "gervais2024merci": first author, year, first word of four letters or more of the title."""
    first = work.authors[0] if work.authors else None
    who = _ascii_word((first.family or first.display.split()[0]) if first else "") or "praxis"
    year = str(work.dated.year) if work.dated else "nd"
    words = [_ascii_word(w) for w in re.split(r"[\s'’\-]+", work.title)]
    word = next((w for w in words if len(w) >= 4), next((w for w in words if w), ""))
    return f"{who}{year}{word}"


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
    if work.dated:
        fields += [
            ("year", "{" + str(work.dated.year) + "}"),
            ("month", _BIBTEX_MONTHS[work.dated.month - 1]),
            ("date", "{" + work.dated.isoformat() + "}"),
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
    if work.dated:
        lines += [("PY", str(work.dated.year)), ("DA", _ris_date(work.dated))]
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
    if work.dated:
        item["issued"] = _date_parts(work.dated)
    if work.licence:
        item["license"] = work.licence
    if work.revision is not None:
        item["version"] = str(work.revision)
    return item


def csl_json(work: Work, lang: str, accessed: date) -> tuple[str, str]:
    return json.dumps([csl_item(work, accessed)], ensure_ascii=False, indent=2) + "\n", "application/vnd.citationstyles.csl+json"


RENDERERS: dict[str, Callable[[Work, str, date], tuple[str, str]]] = {"bibtex": bibtex, "ris": ris, "csl-json": csl_json}
