"""What the table models share: the UTC datetime column type, the default time, helpers on rows and tables."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


def pk(row_id: int | None) -> int:
    """The id of a row read from the database or flushed to it (typed `int | None` before that)."""
    if row_id is None:
        raise ValueError("this row has no id yet: it was never flushed")
    return row_id


def table_of(model: type[SQLModel]) -> sa.Table:
    """The table of a table model, for Core statements."""
    # SQLModel sets __table__ on a table=True class when it is created; its class does not declare it.
    return model.__table__  # type: ignore[attr-defined]  # see the line above


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware UTC datetime on every backend (SQLite forgets the zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
