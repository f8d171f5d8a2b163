"""The citation styles a reader pastes into a text: Praxis's own, APA 7, MLA 9, Chicago author-date.

Each renderer builds a `Rich` line (plain words, italics, the link), so the copied text and the
shown HTML can never say different things. French follows the usage of Québec's university
guides: APA's "et" instead of "&", "(2024, 30 octobre)", "s. d.", "Consulté le … à l'adresse …";
French quotation marks with non-breaking spaces in MLA and Chicago.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from html import escape

from praxis.citation.names import Person, initials
from praxis.citation.work import Work
from praxis.i18n import day_of_month, format_day, month_name

NBSP = "\u00a0"
NO_DATE = {"fr": "s. d.", "en": "n.d."}
# MLA 9's own abbreviations (the Handbook writes "Sept.", not "Sep.").
MLA_MONTHS = ("Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")
_ENDS = (".", "?", "!", "…")


class Rich:
    """A citation as runs of plain text, italics and one link."""

    def __init__(self) -> None:
        self.runs: list[tuple[str, str]] = []
        self.href = ""

    def add(self, text: str, kind: str = "text") -> Rich:
        if text:
            self.runs.append((kind, text))
        return self

    def link(self, url: str, shown: str | None = None) -> Rich:
        """The address, written as `shown` (MLA drops the protocol) but linking to `url`."""
        self.href = url
        return self.add(shown or url, "url")

    def text(self) -> str:
        return "".join(text for _, text in self.runs)

    def html(self) -> str:
        out = []
        for kind, text in self.runs:
            if kind == "i":
                out.append(f"<i>{escape(text, quote=False)}</i>")
            elif kind == "url":
                out.append(f'<a href="{escape(self.href)}">{escape(text, quote=False)}</a>')
            else:
                out.append(escape(text, quote=False))
        return "".join(out)


# --- shared pieces ---------------------------------------------------------------------------


def closed(text: str) -> str:
    """`text` ending a sentence: a period added unless it already ends with one (or ?, !, …)."""
    text = text.rstrip()
    return text if text.endswith(_ENDS) else f"{text}."


def _curly(text: str, opening: str, closing: str) -> str:
    """Straight double quotes as curly ones: opening at the start or after a space or an
    opening bracket, closing anywhere else."""
    out = []
    for i, char in enumerate(text):
        if char == '"':
            before = text[i - 1] if i else " "
            out.append(opening if before.isspace() or before in "([{‘“«—–-" else closing)
        else:
            out.append(char)
    return "".join(out)


def _ends_sentence(text: str) -> bool:
    """Whether `text` ends with its own punctuation, inside closing quotation marks or not."""
    return text.rstrip().rstrip("’”").endswith(_ENDS)


def quoted(title: str, lang: str) -> str:
    """A title between quotation marks, the period inside in English (“Title.”), after in
    French (« Titre ».); quotation marks within the title take the inner form."""
    if lang == "fr":
        inner = re.sub(r"\s*»", "”", re.sub(r"«\s*", "“", _curly(title.strip(), "“", "”")))
        return f"«{NBSP}{inner}{NBSP}»" + ("" if _ends_sentence(inner) else ".")
    inner = _curly(title.replace("“", "‘").replace("”", "’").strip(), "‘", "’")
    # American usage puts the period inside every closing quotation mark: “… ‘usages.’”
    body = inner.rstrip("’")
    if not _ends_sentence(body):
        body += "."
    return f"“{body}{inner[len(inner.rstrip('’')) :]}”"


def series(items: Sequence[str], conjunction: str, *, serial_comma: bool) -> str:
    """ "A, B, and C" (serial comma) or "A, B et C"."""
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return f"{items[0]} {conjunction} {items[1]}"
    head = ", ".join(items[:-1])
    return f"{head}{',' if serial_comma else ''} {conjunction} {items[-1]}"


def _and(lang: str) -> str:
    return "et" if lang == "fr" else "and"


def _accessed(lang: str, written: str) -> str:
    return f"Consulté le {written}" if lang == "fr" else f"Accessed {written}"


def _italic_title(rich: Rich, title: str) -> Rich:
    """The title in italics, then the period that closes it (in roman)."""
    title = title.rstrip()
    return rich.add(title, "i").add(closed(title)[len(title) :])


def _site_is_author(work: Work) -> bool:
    """APA and Chicago leave the site's name out when the site itself is the author."""
    return len(work.authors) == 1 and work.authors[0].display == work.site_name


def _humanities_names(authors: Sequence[Person], lang: str, *, all_up_to: int, shown_beyond: int) -> str:
    """MLA and Chicago: the first author inverted, the others as they sign; "et al." past a count."""
    if not authors:
        return ""
    names = [authors[0].inverted] + [a.natural for a in authors[1:]]
    if len(names) > all_up_to:
        return ", ".join(names[:shown_beyond]) + ", et al."
    if len(names) == 2 and not authors[0].whole:
        # "Gervais, Maryse, and Marie-Hélène Laurence": the comma closes the inverted name.
        return f"{names[0]}{',' if lang == 'en' else ''} {_and(lang)} {names[1]}"
    return series(names, _and(lang), serial_comma=lang == "en")


# --- the styles ------------------------------------------------------------------------------


def praxis(work: Work, lang: str, accessed: date) -> Rich:
    """Prénom Nom, Prénom Nom. (AAAA). Titre. Praxis (consulté le 21 avril 2025), https://…/."""
    rich = Rich()
    year = str(work.published.year) if work.published else NO_DATE[lang]
    names = ", ".join(a.display for a in work.authors)
    if names:
        rich.add(f"{closed(names)} ({year}). {closed(work.title)} ")
    else:
        rich.add(f"{closed(work.title)} ({year}). ")
    label = "consulté le" if lang == "fr" else "accessed"
    rich.add(f"{work.site_name} ({label} {format_day(accessed, lang)}), ")
    return rich.link(work.url).add(".")


def apa_name(author: Person) -> str:
    if author.whole:
        return author.display
    name = author.family or ""
    given = initials(author.given or "")
    if given:
        name = f"{name}, {given}"
    return f"{name}, {author.suffix}" if author.suffix else name


def apa_names(authors: Sequence[Person], lang: str) -> str:
    """APA 7 §9.8: up to 20 authors; from 21, the first 19, an ellipsis, and the last."""
    names = [apa_name(a) for a in authors]
    if len(names) > 20:
        # The Manual's spaced ellipsis; Québec's French guides (UQAM, Couture) write three periods.
        return ", ".join(names[:19]) + (", ... " if lang == "fr" else ", . . . ") + names[-1]
    if lang == "fr":
        return series(names, "et", serial_comma=False)
    if len(names) == 2:
        return f"{names[0]}, & {names[1]}"
    return series(names, "&", serial_comma=True)


def apa_date(when: date | None, lang: str) -> str:
    """ "2024, 30 octobre", "2024, October 30", "s. d.", "n.d."."""
    if when is None:
        return NO_DATE[lang]
    if lang == "fr":
        return f"{when.year}, {day_of_month(when.day, lang)} {month_name(when.month, lang)}"
    return f"{when.year}, {month_name(when.month, lang)} {when.day}"


def apa(work: Work, lang: str, accessed: date) -> Rich:
    """APA 7 (webpage on a website, §10.16): Author. (Date). *Title*. Site. URL — with
    "Retrieved …, from" before the URL of a page designed to change (§9.16); the permanent
    link of a revision needs none."""
    rich = Rich()
    when = f"({apa_date(work.published, lang)})."
    names = apa_names(work.authors, lang)
    if names:
        rich.add(f"{names}{'' if names.endswith('.') else '.'} {when} ")
        _italic_title(rich, work.title).add(" ")
    else:  # no author: the title takes the author's place
        _italic_title(rich, work.title).add(f" {when} ")
    if not _site_is_author(work):
        rich.add(f"{closed(work.site_name)} ")
    if not work.archived:
        if lang == "fr":
            rich.add(f"Consulté le {format_day(accessed, 'fr')} à l'adresse ")
        else:
            rich.add(f"Retrieved {format_day(accessed, 'en')}, from ")
    return rich.link(work.url)


def mla_date(d: date, lang: str) -> str:
    """ "30 Oct. 2024"; "30 octobre 2024"."""
    if lang == "fr":
        return format_day(d, lang)
    return f"{d.day} {MLA_MONTHS[d.month - 1]} {d.year}"


def mla(work: Work, lang: str, accessed: date) -> Rich:
    """MLA 9 (a page on a website): Author. “Title.” *Site*, date, URL. Accessed date."""
    rich = Rich()
    names = _humanities_names(work.authors, lang, all_up_to=2, shown_beyond=1)
    if names:
        rich.add(f"{closed(names)} ")
    rich.add(f"{quoted(work.title, lang)} ")
    rich.add(work.site_name, "i").add(", ")
    if work.published:
        rich.add(f"{mla_date(work.published, lang)}, ")
    # The Handbook (5.96) drops the protocol from URLs.
    rich.link(work.url, work.url.split("://", 1)[-1]).add(".")
    if not work.archived:
        rich.add(f" {closed(_accessed(lang, mla_date(accessed, lang)))}")
    return rich


def chicago(work: Work, lang: str, accessed: date) -> Rich:
    """Chicago author-date (18th ed., 14.104 and 13.78): up to six authors named, from seven
    the first three and "et al."; the access date only when the page has no date."""
    rich = Rich()
    names = _humanities_names(work.authors, lang, all_up_to=6, shown_beyond=3)
    year = str(work.published.year) if work.published else NO_DATE[lang]
    if names:
        rich.add(f"{closed(names)} {closed(year)} {quoted(work.title, lang)} ")
    else:
        rich.add(f"{quoted(work.title, lang)} {closed(year)} ")
    if not _site_is_author(work):
        rich.add(f"{closed(work.site_name)} ")
    if work.published:
        rich.add(f"{closed(format_day(work.published, lang))} ")
    else:
        rich.add(f"{closed(_accessed(lang, format_day(accessed, lang)))} ")
    return rich.link(work.url).add(".")


RENDERERS: dict[str, Callable[[Work, str, date], Rich]] = {"praxis": praxis, "apa": apa, "mla": mla, "chicago": chicago}
