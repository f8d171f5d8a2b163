"""Membership shared by carnets, bases and communities: who is in a collection, with which role.

Each collection keeps one row per person in its own table (`CarnetMember`, `BaseManager`,
`CommunityMember`), keyed by (collection, user). Enrolling its creator, adding someone, changing
their role, taking them off, keeping at least one manager and listing the members with whether
the reader may take each off work the same way for the three; a `Roster` names the table and the
refusals' messages. Who may do it stays with each collection's policy and loading: the callers
lock and check the collection first (or pass `ensure` to `take_off`), then call these."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa
from pydantic import BaseModel
from sqlmodel import Session, SQLModel, col, select

from praxis.errors import Invalid, NotFound
from praxis.i18n import N_
from praxis.models import User, pk
from praxis.people.accounts import get_user
from praxis.urls import user_url

R = TypeVar("R", bound=BaseModel)

MANAGER = "manager"


@dataclass(frozen=True)
class Roster:
    """One collection's membership table (its primary key: `owner`, then `user_id`; a `role`
    column, unless every row is a manager, as a base's are) and its refusals, in English as the
    API says them."""

    table: type[SQLModel]
    owner: str  # the column naming the collection ("carnet_id")
    last_manager: str  # the refusal when the last manager would lose that role or go
    absent: str  # the refusal when the person taken off is not in the collection
    last_manager_text: str  # the same two refusals as pages say them (French message ids)
    absent_text: str
    last_manager_field: str = "role"  # the field that refusal names

    def column(self, name: str) -> Any:
        return getattr(self.table, name)

    @property
    def role(self) -> Any | None:
        return getattr(self.table, "role", None)

    def role_of(self, row: Any) -> str:
        return row.role if self.role is not None else MANAGER

    def row(self, owner_id: str, user_id: int, role: str) -> SQLModel:
        fields: dict[str, Any] = {self.owner: owner_id, "user_id": user_id}
        if self.role is not None:
            fields["role"] = role
        return self.table(**fields)


def known_user(session: Session, username: str) -> User:
    """The account named `username`; Invalid (field `username`) when there is none."""
    user = get_user(session, username)
    if user is None:
        raise Invalid(
            f"Unknown user: {username}.",
            field="username",
            text=N_("Aucun compte ne porte le nom d'utilisateur « %(username)s »."),
            params={"username": username},
        )
    return user


def enrol_creator(session: Session, roster: Roster, owner_id: str, user_id: int | None) -> None:
    """A collection's creator is its first manager."""
    session.add(roster.row(owner_id, pk(user_id), MANAGER))
    session.flush()


def _keep_a_manager(session: Session, roster: Roster, owner_id: str) -> None:
    """Refuse (422) when the collection has one manager left: a collection keeps one."""
    where = [roster.column(roster.owner) == owner_id]
    if roster.role is not None:
        where.append(roster.role == MANAGER)
    managers = session.exec(select(sa.func.count()).select_from(roster.table).where(*where)).one()
    if managers <= 1:
        raise Invalid(roster.last_manager, field=roster.last_manager_field, text=roster.last_manager_text)


def put(session: Session, roster: Roster, owner_id: str, username: str, role: str = MANAGER) -> None:
    """Add `username` with `role`, or change their role; the last manager keeps theirs."""
    user = known_user(session, username)
    row = session.get(roster.table, (owner_id, user.id))
    if row is None:
        session.add(roster.row(owner_id, pk(user.id), role))
    elif roster.role_of(row) != role:
        if roster.role_of(row) == MANAGER:
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
) -> User:
    """Take `username` off the collection (answered: that person); not its last manager.
    `ensure(user_id)` refuses those who may not take that person off: it runs before anything
    says whether they are a member."""
    user = get_user(session, username)
    row = session.get(roster.table, (owner_id, user.id)) if user else None
    if ensure is not None:
        ensure(user.id if user else None)
    if row is None or user is None:
        raise NotFound(roster.absent, text=roster.absent_text)
    if roster.role_of(row) == MANAGER:
        _keep_a_manager(session, roster, owner_id)
    session.delete(row)
    session.flush()
    return user


def listing(
    session: Session,
    roster: Roster,
    owner_id: str,
    schema: type[R],
    can_remove: Callable[[int | None, bool], bool],
) -> list[R]:
    """The members by role, descending (a carnet's managers first, a community's members), then by
    name; `can_remove(user_id, last_manager)` says whether the reader may take each off
    (`last_manager`: they are its only manager)."""
    roles = [] if roster.role is None else [roster.role]
    query = (
        select(User.id, User.username, User.display_name, *roles)
        .join(roster.table, col(roster.column("user_id")) == User.id)
        .where(roster.column(roster.owner) == owner_id)
        .order_by(*[col(r).desc() for r in roles], User.display_name)
    )
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
