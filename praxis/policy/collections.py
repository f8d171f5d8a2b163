"""Carnets, bases and communities: who sees them, manages them, adds to them and leaves them.

Carnets and bases follow the notes' three levels: `restricted` is a carnet's managers and
contributors, a base's managers. A note shows in a carnet (a base) only to whoever may read both
the note and the carnet (the base): `visible_entries` joins the two clauses."""

from __future__ import annotations

from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from praxis.errors import NotSignedIn
from praxis.models import BaseManager, Carnet, CarnetMember, CommunityMember, KnowledgeBase
from praxis.policy.core import Actor, ensure, is_admin, is_self, is_signed_in, reader_key


def visible_carnets(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause selecting the carnets `actor` may read, for any query on `Carnet`."""
    return _visible_carnets(*reader_key(actor))


@lru_cache(maxsize=4096)
def _visible_carnets(uid: int | None, admin: bool) -> ColumnElement[bool]:
    if admin:
        return sa.true()
    public = col(Carnet.visibility) == "public"
    if uid is None:
        return public
    member = sa.exists().where(col(CarnetMember.carnet_id) == Carnet.id, col(CarnetMember.user_id) == uid)
    community_member = sa.and_(
        col(Carnet.visibility) == "community",
        sa.exists().where(
            col(CommunityMember.community_id) == Carnet.community_id, col(CommunityMember.user_id) == uid
        ),
    )
    return sa.or_(public, member, community_member)


def visible_bases(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause selecting the bases `actor` may read, for any query on `KnowledgeBase`."""
    return _visible_bases(*reader_key(actor))


@lru_cache(maxsize=4096)
def _visible_bases(uid: int | None, admin: bool) -> ColumnElement[bool]:
    if admin:
        return sa.true()
    public = col(KnowledgeBase.visibility) == "public"
    if uid is None:
        return public
    manager = sa.exists().where(col(BaseManager.base_id) == KnowledgeBase.id, col(BaseManager.user_id) == uid)
    community_member = sa.and_(
        col(KnowledgeBase.visibility) == "community",
        sa.exists().where(
            col(CommunityMember.community_id) == KnowledgeBase.community_id, col(CommunityMember.user_id) == uid
        ),
    )
    return sa.or_(public, manager, community_member)


# --- carnets --------------------------------------------------------------------------------


def can_create_carnet(actor: Actor) -> bool:
    return is_signed_in(actor)


def ensure_can_create_carnet(actor: Actor) -> None:
    if not can_create_carnet(actor):
        raise NotSignedIn("Sign in to create a carnet.")


def can_manage_carnet(actor: Actor, role: str | None) -> bool:
    """Managers edit a carnet, its members, categories, order and pins; admins every carnet."""
    return is_admin(actor) or (is_signed_in(actor) and role == "manager")


def ensure_can_manage_carnet(actor: Actor, role: str | None) -> None:
    ensure(can_manage_carnet(actor, role), actor, "Only the carnet's managers can do this.")


def ensure_can_order_carnet(actor: Actor, role: str | None) -> None:
    """Ordering and pinning a carnet's notes is managing it."""
    ensure(can_manage_carnet(actor, role), actor, "Only the carnet's managers order and pin its notes.")


def can_contribute_to_carnet(actor: Actor, role: str | None) -> bool:
    """Contributors (and managers) integrate notes, create notes in the carnet and file them."""
    return is_admin(actor) or (is_signed_in(actor) and role in ("manager", "contributor"))


def contributable_carnets(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause selecting the carnets `actor` may add notes to (`can_contribute_to_carnet`
    as SQL), for any query on `Carnet`: the "Ajouter à un carnet" choices."""
    if is_admin(actor):
        return sa.true()
    if not is_signed_in(actor):
        return sa.false()
    assert actor is not None
    return sa.exists().where(
        col(CarnetMember.carnet_id) == Carnet.id,
        col(CarnetMember.user_id) == actor.id,
        col(CarnetMember.role).in_(("manager", "contributor")),
    )


def ensure_can_contribute_to_carnet(
    actor: Actor, role: str | None, message: str = "Only the carnet's managers and contributors can add notes to it."
) -> None:
    ensure(can_contribute_to_carnet(actor, role), actor, message)


def can_remove_entry(actor: Actor, role: str | None, added_by_id: int | None) -> bool:
    """Managers take any note out of a carnet; a contributor the notes they integrated."""
    if can_manage_carnet(actor, role):
        return True
    return (
        can_contribute_to_carnet(actor, role)
        and actor is not None
        and added_by_id is not None
        and added_by_id == actor.id
    )


def ensure_can_remove_entry(actor: Actor, role: str | None, added_by_id: int | None) -> None:
    ensure_can_contribute_to_carnet(
        actor, role, "Only the carnet's managers and contributors can take notes out of it."
    )
    ensure(
        can_remove_entry(actor, role, added_by_id),
        actor,
        "Only the carnet's managers, or whoever integrated the note, can take it out.",
    )


def can_remove_carnet_member(
    actor: Actor, role: str | None, member_id: int | None, *, last_manager: bool = False
) -> bool:
    """Managers take anyone off a carnet; anyone may leave it. Not its last manager
    (`last_manager`): a carnet keeps one, and refuses that change as bad input (422)."""
    return not last_manager and (is_self(actor, member_id) or can_manage_carnet(actor, role))


def ensure_can_remove_carnet_member(actor: Actor, role: str | None, member_id: int | None) -> None:
    ensure(
        can_remove_carnet_member(actor, role, member_id), actor, "Only the carnet's managers can remove its members."
    )


# --- bases ----------------------------------------------------------------------------------


def can_create_base(actor: Actor) -> bool:
    return is_signed_in(actor)


def ensure_can_create_base(actor: Actor) -> None:
    if not can_create_base(actor):
        raise NotSignedIn("Sign in to create a base.")


def can_manage_base(actor: Actor, is_manager: bool) -> bool:
    """A base's managers edit it, choose its carnets and managers (and leave it); admins every base."""
    return is_admin(actor) or (is_signed_in(actor) and is_manager)


def can_remove_base_manager(actor: Actor, is_manager: bool, *, last_manager: bool = False) -> bool:
    """Those who manage a base take a manager off (or leave); not its last one (`last_manager`):
    a base keeps one, and refuses that change as bad input (422)."""
    return not last_manager and can_manage_base(actor, is_manager)


def ensure_can_manage_base(actor: Actor, is_manager: bool) -> None:
    ensure(can_manage_base(actor, is_manager), actor, "Only the base's managers can do this.")


# --- communities ----------------------------------------------------------------------------


def can_create_community(actor: Actor) -> bool:
    return is_signed_in(actor)


def offers_communities(actor: Actor, *, any_exist: bool) -> bool:
    """Whether the navigation offers "Communautés": there is one to see (a community's name and
    description are for everyone), or the reader may create the first."""
    return any_exist or can_create_community(actor)


def ensure_can_create_community(actor: Actor) -> None:
    if not can_create_community(actor):
        raise NotSignedIn("Sign in to create a community.")


def can_link_community(actor: Actor, role: str | None) -> bool:
    """Members (and managers) link notes to their community; admins to any."""
    return is_admin(actor) or role in ("member", "manager")


def can_see_community_members(actor: Actor, role: str | None) -> bool:
    """A community's name and description are for everyone; who is in it, for its members and admins."""
    return bool(role) or is_admin(actor)


def can_manage_community(actor: Actor, role: str | None) -> bool:
    """Managers add and remove members; admins manage every community."""
    return is_admin(actor) or role == "manager"


def ensure_can_manage_community(
    actor: Actor, role: str | None, message: str = "Only the community's managers can add members."
) -> None:
    ensure(can_manage_community(actor, role), actor, message)


def can_remove_community_member(
    actor: Actor, role: str | None, member_id: int | None, *, last_manager: bool = False
) -> bool:
    """Managers take anyone out of a community; anyone may leave it. Not its last manager
    (`last_manager`): a community keeps one, and refuses that change as bad input (422)."""
    return not last_manager and (is_self(actor, member_id) or can_manage_community(actor, role))


def ensure_can_remove_community_member(actor: Actor, role: str | None, member_id: int | None) -> None:
    ensure(
        can_remove_community_member(actor, role, member_id), actor, "Only the community's managers can remove members."
    )
