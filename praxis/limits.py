"""Rate limits counted from the rows a kind of action writes, so every worker agrees."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from ipaddress import ip_address, ip_network
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from praxis.db import take_turn
from praxis.errors import TooManyRequests
from praxis.models import LoginFailure, utcnow


def check(
    session: Session,
    column: Mapped[datetime],
    where: ColumnElement[bool],
    *,
    limit: int,
    window: timedelta,
    what: str,
    adding: int = 1,
    text: str | None = None,
    field: str | None = None,
) -> None:
    """429 (with Retry-After) when `adding` more rows would make more than `limit` rows matching
    `where` with their `column` time within `window`; the wait is until enough of them leave it
    (`text`: what a page says, as `DomainError.text`; `field`: the form field it is shown at).

    On PostgreSQL, requests counting the same rows wait for each other (a transaction-scoped
    advisory lock, held until the first commits), so simultaneous requests on several workers or
    hosts are all counted; SQLite's writing transactions are already one at a time.
    """
    take_turn(session, _lock_key(session.get_bind().dialect, what, where))
    since = utcnow() - window
    times: list[datetime] = list(session.exec(select(column).where(where, column >= since).order_by(column)))
    if len(times) + adding > limit:
        # The rows that must age out first, oldest first; a batch larger than the limit waits a whole window.
        leaving = times[len(times) + adding - limit - 1] if adding <= limit else utcnow()
        wait = int((leaving + window - utcnow()).total_seconds()) + 1
        where_shown: dict[str, Any] = {"field": field} if field else {}
        raise TooManyRequests(
            f"Too many {what} in a short time; try again later.", retry_after=max(wait, 1), text=text, **where_shown
        )


def _lock_key(dialect: sa.Dialect, what: str, where: ColumnElement[bool]) -> str:
    """One key per counted set of rows ("message.sender_id = 5 …"); the kind alone when the
    condition cannot be written out (all its counts then wait for each other: slower, still right)."""
    try:
        condition = str(where.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    except Exception:  # noqa: BLE001 - a value with no literal form
        condition = ""
    return f"praxis-limit:{what}:{condition}"


def address_key(address: str) -> str:
    """The network a visitor writes from: an IPv4 address, or an IPv6 /64 (one household's)."""
    try:
        parsed = ip_address(address)
    except ValueError:
        return address[:64]
    if parsed.version == 6 and parsed.ipv4_mapped is not None:
        # A dual-stack listener shows IPv4 visitors as ::ffff:a.b.c.d: each is its own address,
        # not one /64 that every IPv4 visitor would share (and be throttled as one).
        return str(parsed.ipv4_mapped)
    if parsed.version == 6:
        return str(ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


# --- guessing passwords ----------------------------------------------------------------------
# Failed sign-ins are throttled per address and per account together (OWASP's advice), so that
# failing on purpose cannot lock an owner out: an address that failed 5 times on an account is
# refused on it for the window; an address that failed 20 times is refused everywhere; an account
# that failed 5 times from anywhere is slowed, not locked: each further attempt waits a delay that
# doubles (5 s, 10 s … up to a minute). Addresses that never failed on the account (the owner's,
# most likely) are slowed only by how fast new addresses keep failing on it, so an attack from a
# few addresses leaves them untouched, and one from many costs a fresh address per guess.
WINDOW = timedelta(minutes=15)
PAIR_LIMIT = 5
ADDRESS_LIMIT = 20
ACCOUNT_FREE = 5
FIRST_DELAY = 5
MAX_DELAY = 60


def check_sign_in(session: Session, *, account: str, address: str, now: datetime, everywhere: bool = True) -> None:
    """429 (with Retry-After) when this address may not try this account's password now.

    `everywhere`: the address's failures on other accounts count too (not for a pseudo-address
    such as a password change's). On PostgreSQL, attempts on one account or address wait for
    each other (transaction-scoped advisory locks, always taken in the same order), so
    simultaneous guesses are all counted; SQLite's writing transactions are one at a time already.
    """
    take_turn(session, f"praxis-login:{account}")
    if everywhere:
        take_turn(session, f"praxis-login:{address}")
    since = now - WINDOW
    recent = (col(LoginFailure.account) == account) & (col(LoginFailure.created_at) > since)
    rows = session.exec(select(LoginFailure.address, LoginFailure.created_at).where(recent)).all()
    mine = sorted(at for where, at in rows if where == address)
    waits = []
    if len(mine) >= PAIR_LIMIT:
        waits.append(mine[-PAIR_LIMIT] + WINDOW - now)
    if everywhere:
        times = session.exec(
            select(LoginFailure.created_at)
            .where(LoginFailure.address == address, LoginFailure.created_at > since)
            .order_by(col(LoginFailure.created_at).desc())
            .limit(ADDRESS_LIMIT)
        ).all()
        if len(times) >= ADDRESS_LIMIT:
            waits.append(times[-1] + WINDOW - now)
    if mine:  # a known guesser: every failure on the account slows it
        count, last = len(rows), max((at for _, at in rows), default=now)
    else:  # a new address: only new addresses failing slow it
        firsts: dict[str, datetime] = {}
        for where, at in rows:
            firsts[where] = min(at, firsts.get(where, at))
        count, last = len(firsts), max(firsts.values(), default=now)
    if count >= ACCOUNT_FREE:
        waits.append(last + timedelta(seconds=min(FIRST_DELAY * 2 ** (count - ACCOUNT_FREE), MAX_DELAY)) - now)
    wait = max(waits, default=timedelta(0))
    if wait > timedelta(0):
        raise TooManyRequests(
            "Too many failed sign-ins; try again later.", retry_after=max(1, math.ceil(wait.total_seconds()))
        )
