"""The reader's language: which one a request gets, the gettext catalogues (French is the
source, English is translated in praxis/locale/), and dates and numbers written the way
each language writes them."""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime, get_month_names
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations
from jinja2 import pass_context
from markupsafe import Markup

from praxis.config import site_settings

LANGUAGES = ("fr", "en")
# The language the interface is written in (the catalogue's msgids): what is spoken where no
# language was chosen, and no setting (the site's default is PRAXIS_LANGUAGE, in config.py).
SOURCE_LANGUAGE = "fr"
LOCALES = {"fr": "fr_CA", "en": "en_CA"}
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}
LANGUAGE_COOKIE = "praxis_lang"
CATALOGUES = Path(__file__).resolve().parent / "locale"


def site_language(session: Any) -> str:
    """The site's language (PRAXIS_LANGUAGE), which a request's session carries: what is written
    for no reader in particular (mails, feeds) speaks it."""
    return site_settings(session).language


_current: ContextVar[str] = ContextVar("praxis_language", default=SOURCE_LANGUAGE)


def N_(message: str) -> str:
    """Mark a French interface string for the catalogue; it is translated where it is shown."""
    return message


# Which language a request gets -------------------------------------------------------------


def supported(value: str | None) -> str | None:
    """ "en", "en-CA", "EN_us" -> "en"; None for a language Praxis does not speak."""
    if not value:
        return None
    primary = value.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else None


def from_accept_language(header: str | None) -> str | None:
    """The first language of an Accept-Language header that Praxis speaks, by quality."""
    if not header:
        return None
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")[:32]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        lang = supported(tag)
        if lang and 0 < quality <= 1:
            ranked.append((-quality, position, lang))
    return min(ranked)[2] if ranked else None


def choose(*, query: str | None, cookie: str | None, accept_language: str | None, default: str) -> str:
    """`?lang=` first, then the remembered choice, then the browser's languages, then the site's."""
    return (
        supported(query)
        or supported(cookie)
        or from_accept_language(accept_language)
        or supported(default)
        or SOURCE_LANGUAGE
    )


@contextmanager
def using(lang: str) -> Iterator[None]:
    """Speak `lang` in what is rendered inside the block (a page, a mail)."""
    token = _current.set(supported(lang) or SOURCE_LANGUAGE)
    try:
        yield
    finally:
        _current.reset(token)


def current() -> str:
    return _current.get()


# Catalogues -------------------------------------------------------------------------------


class _French(_gettext.NullTranslations):
    """The source language: messages as written; French counts 0 and 1 in the singular."""

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return msgid1 if abs(n) < 2 else msgid2


@cache
def translations(lang: str) -> _gettext.NullTranslations:
    """The catalogue of `lang`, compiled from its .po file once per process (no .mo to keep)."""
    if lang == "fr":
        return _French()
    with open(CATALOGUES / lang / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalog = read_po(po, locale=LOCALES[lang])
    compiled = BytesIO()
    write_mo(compiled, catalog)  # fuzzy entries are left out: they fall back to French
    compiled.seek(0)
    return Translations(compiled)


def gettext(message: str) -> str:
    return translations(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` in the sense `context` names: one French word, two English ones ("Annuler" is
    "Cancel" on a confirmation, "Undo" after an action)."""
    return translations(current()).pgettext(context, message)


def install(env: Any) -> None:
    """Give a Jinja environment `_`, `gettext`, `ngettext` and `pgettext` in the current language, as
    Jinja's "newstyle" gettext does (`%(name)s` placeholders, escaped when autoescaping),
    except that a message given no values is shown as written,
    with the count of `ngettext` written as the language writes numbers ("1 234 notes")."""

    def filled(context: Any, text: str, variables: dict[str, Any]) -> str:
        if context.eval_ctx.autoescape:
            text = Markup(text)
        # Formatted only when given values: a "%" in a message (or in a name shown through a
        # label) never breaks a page.
        return text % variables if variables else text

    @pass_context
    def _gettext_(context: Any, message: str, /, **variables: Any) -> str:
        return filled(context, gettext(message), variables)

    @pass_context
    def _ngettext_(context: Any, singular: str, plural: str, num: int, /, **variables: Any) -> str:
        variables.setdefault("num", format_number(num))
        return filled(context, ngettext(singular, plural, num), variables)

    @pass_context
    def _pgettext_(context: Any, msgctxt: str, message: str, /, **variables: Any) -> str:
        return filled(context, pgettext(msgctxt, message), variables)

    env.globals.update(_=_gettext_, gettext=_gettext_, ngettext=_ngettext_, pgettext=_pgettext_)


# Dates and numbers ------------------------------------------------------------------------


def format_number(value: int | float, lang: str | None = None) -> str:
    """ "1 234" in French, "1,234" in English."""
    return str(format_decimal(value, locale=LOCALES[lang or current()]))


def format_size(size: int, lang: str | None = None) -> str:
    """A file size in units of 1 024: "12 octets", "1,5 Mo" in French; "12 bytes", "1.5 MB" in English."""
    lang = lang or current()
    if size < 1024:
        number = format_decimal(size, locale=LOCALES[lang])
        if lang == "fr":
            return f"{number}\u00a0octet" + ("s" if size >= 2 else "")
        return f"{number}\u00a0byte" + ("" if size == 1 else "s")
    units = ("ko", "Mo", "Go", "To") if lang == "fr" else ("KB", "MB", "GB", "TB")
    value = size / 1024
    for unit in units:
        if value < 1024 or unit == units[-1]:
            break
        value /= 1024
    return f"{format_decimal(value, format='#,##0.#', locale=LOCALES[lang])}\u00a0{unit}"


def month_name(month: int, lang: str) -> str:
    """ "avril", "April"."""
    return str(get_month_names("wide", locale=LOCALES[lang])[month])


def day_of_month(day: int, lang: str) -> str:
    """ "1er" in French for the first of the month, the number otherwise."""
    return "1er" if lang == "fr" and day == 1 else str(day)


def format_day(value: date, lang: str = SOURCE_LANGUAGE) -> str:
    """ "1er mai 2025", "21 avril 2025"; in English "May 1, 2025"."""
    if lang == "fr":
        return f"{day_of_month(value.day, lang)} {month_name(value.month, lang)} {value.year}"
    return f"{month_name(value.month, lang)} {value.day}, {value.year}"


def format_date(value: datetime | None, *, tz: str, lang: str = "fr", with_time: bool = False) -> str:
    """ "1er mai 2025", "21 avril 2025 14:28"; in English "May 1, 2025". A time of exactly
    midnight in `tz` is a date given without one (an imported `published: 2025-06-03`, which
    docs/import-export.md reads as midnight there): it is shown as the date alone."""
    if value is None:
        return ""
    try:
        local = value.astimezone(ZoneInfo(tz))
    except OverflowError:  # at the very ends of the calendar: show it as stored
        local = value
    text = format_day(local.date(), lang)
    if not with_time or local.time() == time(0):
        return text
    return (
        f"{text} {local:%H:%M}" if lang == "fr" else f"{text} {format_datetime(local, 'h:mm a', locale=LOCALES['en'])}"
    )
