"""The site's change counter: every committed transaction that changes what readers can see
moves `site_state.version` forward, in the same transaction. Pages cached for visitors, their
ETag and their Last-Modified are keyed on it, so every process serving one database agrees on
what is current without talking to the others."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import ORMExecuteState, sessionmaker
from sqlmodel import Session, col

from praxis.models import SiteState, utcnow

# Tables whose rows never show on a page or in an API read that a visitor (not signed in) gets:
# writing them alone keeps every cached page valid.
PRIVATE_TABLES = frozenset(
    {
        "site_state",
        "auth_token",
        "login_failure",
        "search_queue",
        "notification",
        "notification_setting",
        "message",
        "message_recipient",
        "outgoing_mail",
        "scheduled_job",
    }
)
_CHANGED = "praxis_public_change"


@dataclass(frozen=True)
class Version:
    number: int
    changed_at: datetime


def _public(table: str | None) -> bool:
    return table not in PRIVATE_TABLES


def _after_flush(session: Session, _context: object) -> None:
    if session.info.get(_CHANGED):
        return
    # After a flush, new/dirty/deleted still list what was just written.
    if any(
        _public(getattr(obj, "__tablename__", None))
        for obj in itertools.chain(session.new, session.dirty, session.deleted)
    ):
        session.info[_CHANGED] = True


def _on_execute(state: ORMExecuteState) -> None:
    """Bulk INSERT / UPDATE / DELETE statements bypass the flush: look at their table."""
    if state.session.info.get(_CHANGED) or not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if _public(getattr(table, "name", None)):
        state.session.info[_CHANGED] = True


def _before_commit(session: Session) -> None:
    # Everything else is written first: the counter's row lock (PostgreSQL) is the last one the
    # transaction takes, so two writers never wait on each other in opposite orders.
    session.flush()
    if session.info.pop(_CHANGED, False):
        session.execute(
            sa.update(SiteState)
            .where(col(SiteState.id) == 1)
            .values(version=col(SiteState.version) + 1, changed_at=utcnow())
        )


def _forget(session: Session, *_args: object) -> None:
    session.info.pop(_CHANGED, None)


def track(sessions: sessionmaker[Any]) -> None:
    """Make every session of `sessions` (the site's, see db.session_factory) move the counter
    when it commits a visible change."""
    if sa.event.contains(sessions, "before_commit", _before_commit):
        return
    sa.event.listen(sessions, "after_flush", _after_flush)
    sa.event.listen(sessions, "do_orm_execute", _on_execute)
    sa.event.listen(sessions, "before_commit", _before_commit)
    sa.event.listen(sessions, "after_rollback", _forget)


def current(engine: sa.Engine) -> Version:
    """The counter as committed now (one indexed read)."""
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(col(SiteState.version), col(SiteState.changed_at)).where(col(SiteState.id) == 1)
        ).one()
    return Version(number=row[0], changed_at=row[1])
