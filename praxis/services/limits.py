"""Rate limits counted from the rows a kind of action writes, so every worker agrees."""

from __future__ import annotations

from datetime import datetime, timedelta
from ipaddress import ip_address, ip_network

import sqlalchemy as sa
from sqlmodel import Session, select

from praxis.db import take_turn
from praxis.errors import TooManyRequests
from praxis.models import utcnow


def check(session: Session, column: object, where: object, *, limit: int, window: timedelta, what: str) -> None:
    """429 (with Retry-After) when `limit` rows matching `where` have their `column` time within
    `window`; the wait is until the oldest of them leaves it.

    On PostgreSQL, requests counting the same rows wait for each other (a transaction-scoped
    advisory lock, held until the first commits), so simultaneous requests on several workers or
    hosts are all counted; SQLite's writing transactions are already one at a time.
    """
    take_turn(session, _lock_key(session.get_bind().dialect, what, where))
    since = utcnow() - window
    times: list[datetime] = list(session.exec(select(column).where(where, column >= since).order_by(column)))  # type: ignore[arg-type,operator,call-overload]
    if len(times) >= limit:
        wait = int((times[-limit] + window - utcnow()).total_seconds()) + 1
        raise TooManyRequests(f"Too many {what} in a short time; try again later.", retry_after=max(wait, 1))


def _lock_key(dialect: sa.Dialect, what: str, where: object) -> str:
    """One key per counted set of rows ("message.sender_id = 5 …"); the kind alone when the
    condition cannot be written out (all its counts then wait for each other: slower, still right)."""
    try:
        condition = str(where.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - a value with no literal form
        condition = ""
    return f"praxis-limit:{what}:{condition}"


def address_key(address: str) -> str:
    """The network a visitor writes from: an IPv4 address, or an IPv6 /64 (one household's)."""
    try:
        parsed = ip_address(address)
    except ValueError:
        return address[:64]
    if parsed.version == 6:
        return str(ip_network(f"{parsed}/64", strict=False))
    return str(parsed)
