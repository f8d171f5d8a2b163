"""Dates and numbers written the way the reader's language writes them."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime, get_month_names

LOCALES = {"fr": "fr_CA", "en": "en_CA"}


def month_name(month: int, lang: str) -> str:
    """ "avril", "April"."""
    return str(get_month_names("wide", locale=LOCALES[lang])[month])


def day_of_month(day: int, lang: str) -> str:
    """ "1er" in French for the first of the month, the number otherwise."""
    return "1er" if lang == "fr" and day == 1 else str(day)


def format_day(value: date, lang: str = "fr") -> str:
    """ "1er mai 2025", "21 avril 2025"; in English "May 1, 2025"."""
    if lang == "fr":
        return f"{day_of_month(value.day, lang)} {month_name(value.month, lang)} {value.year}"
    return f"{month_name(value.month, lang)} {value.day}, {value.year}"


def format_date(value: datetime | None, *, tz: str, lang: str = "fr", with_time: bool = False) -> str:
    """ "1er mai 2025", "21 avril 2025 14:28"; in English "May 1, 2025"."""
    if value is None:
        return ""
    try:
        local = value.astimezone(ZoneInfo(tz))
    except OverflowError:  # at the very ends of the calendar: show it as stored
        local = value
    text = format_day(local.date(), lang)
    if not with_time:
        return text
    return f"{text} {local:%H:%M}" if lang == "fr" else f"{text} {format_datetime(local, 'h:mm a', locale=LOCALES['en'])}"
