"""Membership rows shared by carnets, bases and communities: who is in, with which role.

Each collection keeps one row per person in its own table (`CarnetMember`, `BaseManager`,
`CommunityMember`), keyed by (collection, user). Adding someone, changing their role, taking them
off, keeping at least one manager and listing the members with whether the reader may take each
off work the same way for the three; a `Roster` says which table, and what to answer when
something is refused. Who may do it stays with each collection's policy and loading: the
callers lock and check the collection first (or pass `ensure` to `take_off`), then call these."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa
from pydantic import BaseModel
from sqlmodel import Session, SQLModel, col, select

from praxis.errors import Invalid, NotFound
from praxis.models import User, pk
from praxis.urls import user_url

R = TypeVar("R", bound=BaseModel)

MANAGER = "manager"


@dataclass(frozen=True)
class Roster:
    """One collection's membership table, and its refusals' messages (English, as the API says them)."""

    table: type[SQLModel]
    owner: Any  # the column naming the collection, the first part of the table's primary key
    user_id: Any  # the column naming the member, the second part
    role: Any | None  # the role column; None where every row is a manager (a base's)
    last_manager: str  # the refusal when the last manager would lose that role or go
    last_manager_field: str  # the field that refusal names
    absent: str  # the refusal when the person taken off is not in the collection


def find_user(session: Session, username: str) -> User | None:
    return session.exec(select(User).where(User.username == username)).first()


def known_user(session: Session, username: str) -> User:
    """The account named `username`; Invalid (field `username`) when there is none."""
    user = find_user(session, username)
    if user is None:
        raise Invalid(f"Unknown user: {username}.", field="username")
    return user


def _role(roster: Roster, row: Any) -> str:
    return row.role if roster.role is not None else MANAGER


def _keep_a_manager(session: Session, roster: Roster, owner_id: str) -> None:
    """Refuse (422) when the collection has one manager left: a collection keeps one."""
    where = [roster.owner == owner_id]
    if roster.role is not None:
        where.append(roster.role == MANAGER)
    managers = session.exec(select(sa.func.count()).select_from(roster.table).where(*where)).one()
    if managers <= 1:
        raise Invalid(roster.last_manager, field=roster.last_manager_field)


def put(session: Session, roster: Roster, owner_id: str, username: str, role: str = MANAGER) -> None:
    """Add `username` with `role`, or change their role; the last manager keeps theirs."""
    user = known_user(session, username)
    row = session.get(roster.table, (owner_id, user.id))
    if row is None:
        fields = {roster.owner.key: owner_id, "user_id": pk(user.id)}
        if roster.role is not None:
            fields["role"] = role
        session.add(roster.table(**fields))
    elif _role(roster, row) != role:
        if _role(roster, row) == MANAGER:
            _keep_a_manager(session, roster, owner_id)
        row.role = role
        session.add(row)
    session.flush()


def take_off(
    session: Session,
    roster: Roster,
    owner_id: str,
    username: str,
    ensure: Callable[[int | None], None] | None = None,
) -> None:
    """Take `username` off the collection; not its last manager. `ensure(user_id)` refuses those
    who may not take that person off: it runs before anything says whether they are a member."""
    user = find_user(session, username)
    row = session.get(roster.table, (owner_id, user.id)) if user else None
    if ensure is not None:
        ensure(user.id if user else None)
    if row is None:
        raise NotFound(roster.absent)
    if _role(roster, row) == MANAGER:
        _keep_a_manager(session, roster, owner_id)
    session.delete(row)
    session.flush()


def listing(
    session: Session,
    roster: Roster,
    owner_id: str,
    schema: type[R],
    can_remove: Callable[[int | None, bool], bool],
) -> list[R]:
    """The members, managers first, then by name; `can_remove(user_id, last_manager)` says whether
    the reader may take each off (`last_manager`: they are its only manager)."""
    roles = [] if roster.role is None else [roster.role]
    query = (
        select(User.id, User.username, User.display_name, *roles)
        .join(roster.table, col(roster.user_id) == User.id)
        .where(roster.owner == owner_id)
        .order_by(*[col(r).desc() for r in roles], User.display_name)
    )
    # A base's rows carry no role: each of them is a manager.
    rows = [(i, u, d, role[0] if role else MANAGER) for i, u, d, *role in session.exec(query).all()]
    managers = sum(1 for *_, r in rows if r == MANAGER)
    return [
        schema(
            username=u,
            display_name=d,
            role=r,
            url=user_url(session, u),
            can_remove=can_remove(i, r == MANAGER and managers == 1),
        )
        for i, u, d, r in rows
    ]
