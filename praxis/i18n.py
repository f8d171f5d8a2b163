"""Dates and numbers written the way the reader's language writes them."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

LOCALES = {"fr": "fr_CA", "en": "en_CA"}


def format_date(value: datetime | None, *, tz: str, lang: str = "fr", with_time: bool = False) -> str:
    """ "1er mai 2025", "21 avril 2025 14:28"; in English "May 1, 2025"."""
    if value is None:
        return ""
    try:
        local = value.astimezone(ZoneInfo(tz))
    except OverflowError:  # at the very ends of the calendar: show it as stored
        local = value
    if lang == "fr":
        day = "1er" if local.day == 1 else str(local.day)
        text = f"{day} {format_datetime(local, 'MMMM y', locale=LOCALES['fr'])}"
        return f"{text} {local:%H:%M}" if with_time else text
    pattern = "MMMM d, y" + (" h:mm a" if with_time else "")
    return format_datetime(local, pattern, locale=LOCALES["en"])
