"""Carnets: collections of notes that managers (gestionnaires) and contributors curate.

What a reader sees of a carnet comes from what that reader may see: its notes, their count,
and when it last changed (`seen_updated_at`), so that nothing about it moves when only notes
hidden from the reader come, change or go."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from praxis import policy
from praxis.carnets import browsing, categories
from praxis.errors import NotFound
from praxis.i18n import N_
from praxis.markdown import excerpt as html_excerpt
from praxis.markdown import render
from praxis.models import BaseCarnet, Carnet, CarnetEntry, CarnetMember, KnowledgeBase, Note, User, utcnow
from praxis.notes import links
from praxis.notes.notes import new_id
from praxis.people import communities, members
from praxis.schemas import (
    AxisCreate,
    BaseRef,
    CarnetCreate,
    CarnetMemberRead,
    CarnetPage,
    CarnetQuery,
    CarnetRead,
    CarnetSummary,
    CarnetUpdate,
    CategoryRemoval,
    FilingChoice,
    is_note_id,
)
from praxis.urls import base_url, carnet_url

# A carnet's managers and contributors.
ROSTER = members.Roster(
    table=CarnetMember,
    owner="carnet_id",
    last_manager="A carnet keeps at least one manager.",
    absent="This person is not a member of the carnet.",
    last_manager_text=N_("Un carnet garde au moins un·e gestionnaire."),
    absent_text=N_("Cette personne n'est pas membre du carnet."),
)

# --- loading and rights ----------------------------------------------------------------------


def role_of(session: Session, carnet_id: str, actor: policy.Actor) -> str | None:
    """ "manager", "contributor", or None."""
    if actor is None or actor.id is None:
        return None
    return session.exec(
        select(CarnetMember.role).where(CarnetMember.carnet_id == carnet_id, CarnetMember.user_id == actor.id)
    ).first()


def load_readable(
    session: Session, actor: policy.Actor, carnet_id: str, *, for_update: bool = False
) -> tuple[Carnet, str | None]:
    """The carnet and the actor's role in it, or NotFound when it does not exist or may not be seen.

    `for_update` locks the carnet's row, so that changes to its members, categories and order
    happen one at a time."""
    if not is_note_id(carnet_id):
        raise NotFound("No such carnet.")
    query = select(Carnet).where(Carnet.id == carnet_id, policy.visible_carnets(actor))
    carnet = session.exec(query.with_for_update() if for_update else query).first()
    if carnet is None:
        raise NotFound("No such carnet.")
    return carnet, role_of(session, carnet.id, actor)


def load_managed(session: Session, actor: policy.Actor, carnet_id: str) -> tuple[Carnet, str | None]:
    carnet, role = load_readable(session, actor, carnet_id, for_update=True)
    policy.ensure_can_manage_carnet(actor, role)
    return carnet, role


def load_contributable(session: Session, actor: policy.Actor, carnet_id: str) -> tuple[Carnet, str | None]:
    carnet, role = load_readable(session, actor, carnet_id, for_update=True)
    policy.ensure_can_contribute_to_carnet(actor, role)
    return carnet, role


def touch(session: Session, carnet: Carnet) -> None:
    """Record a change every reader of the carnet sees: its settings, members, categories, or a
    note they all read (`filing` does not call it for the others: see `seen_updated_at`)."""
    carnet.updated_at = utcnow()
    session.add(carnet)


def seen_updated_at(actor: policy.Actor) -> ColumnElement[datetime]:
    """When a carnet last changed as `actor` sees it, for any query on `Carnet`: the later of its
    own `updated_at` (changes every reader sees) and the integration of the last note the actor
    may read in it."""
    return seen_change(
        Carnet, CarnetEntry.carnet_id, CarnetEntry.added_at, Note, CarnetEntry.note_id, policy.visible_notes(actor)
    )


def seen_change(
    collection: type[Carnet] | type[KnowledgeBase],
    owner: Any,
    added_at: Any,
    item: type[Note] | type[Carnet],
    item_id: Any,
    visible: ColumnElement[bool],
) -> ColumnElement[datetime]:
    """When a collection (a carnet, a base) last changed as a reader sees it, for any query on
    `collection`: the later of its own `updated_at` and the last `added_at` of a membership (whose
    collection is `owner` and whose item is `item_id`) of an item the reader sees (`visible`).
    A CASE, since SQLite's max() and PostgreSQL's greatest() disagree on NULL (nothing seen)."""
    last_added = (
        select(sa.func.max(added_at))
        .join(item, item.id == item_id)
        .where(owner == collection.id, visible)
        .correlate(collection)
        .scalar_subquery()
    )
    return sa.case((last_added > collection.updated_at, last_added), else_=collection.updated_at)


def updated_for(session: Session, actor: policy.Actor, carnet_ids: Sequence[str]) -> dict[str, datetime]:
    """Each carnet's `seen_updated_at` for `actor`."""
    if not carnet_ids:
        return {}
    rows = session.exec(select(Carnet.id, seen_updated_at(actor)).where(col(Carnet.id).in_(list(carnet_ids)))).all()
    return dict(rows)


# --- reading ---------------------------------------------------------------------------------


def excerpt(markdown_text: str, length: int = 200) -> str:
    """The first words of a description, as plain text."""
    return html_excerpt(render(markdown_text).html, length)


def rendered(session: Session, actor: policy.Actor, text: str) -> str:
    """A description or a guide in HTML, its [[wikilinks]] resolved among the notes the reader sees."""
    return render(text, links.resolver(session, actor)).html if text else ""


def members_of(
    session: Session, carnet_id: str, actor: policy.Actor = None, role: str | None = None
) -> list[CarnetMemberRead]:
    return members.listing(
        session,
        ROSTER,
        carnet_id,
        CarnetMemberRead,
        lambda member_id, last: policy.can_remove_carnet_member(actor, role, member_id, last_manager=last),
    )


def bases_of(session: Session, actor: policy.Actor, carnet_id: str) -> list[BaseRef]:
    rows = session.exec(
        select(KnowledgeBase.id, KnowledgeBase.title)
        .join(BaseCarnet, col(BaseCarnet.base_id) == KnowledgeBase.id)
        .where(BaseCarnet.carnet_id == carnet_id, policy.visible_bases(actor))
        .order_by(KnowledgeBase.title)
    ).all()
    return [BaseRef(id=i, title=t, url=base_url(session, i)) for i, t in rows]


def read(
    *, session: Session, actor: policy.Actor, carnet_id: str, query: CarnetQuery | None = None, lenient: bool = False
) -> CarnetRead:
    """A carnet with the page of its notes that `query` selects, as `actor` may see them.
    `lenient`: a category that is not the carnet's is left out of the filters instead of refused
    (the page, reached by an old or edited link; the API refuses it)."""
    carnet, role = load_readable(session, actor, carnet_id)
    return read_loaded(
        session=session, actor=actor, carnet=carnet, role=role, query=query or CarnetQuery(), lenient=lenient
    )


def get_for_editing(*, session: Session, actor: policy.Actor, carnet_id: str) -> CarnetRead:
    """A carnet as its settings page shows it, to its managers (NotSignedIn, Forbidden otherwise)."""
    carnet, role = load_managed(session, actor, carnet_id)
    return read_loaded(session=session, actor=actor, carnet=carnet, role=role, query=CarnetQuery(per_page=1))


def get_for_filing(*, session: Session, actor: policy.Actor, carnet_id: str) -> CarnetRead:
    """A carnet as a page that files a note in it shows it (its guide, its categories), to its
    managers and contributors (NotSignedIn, Forbidden otherwise)."""
    carnet, role = load_contributable(session, actor, carnet_id)
    return read_loaded(session=session, actor=actor, carnet=carnet, role=role, query=CarnetQuery(per_page=1))


def read_loaded(
    *,
    session: Session,
    actor: policy.Actor,
    carnet: Carnet,
    role: str | None,
    query: CarnetQuery,
    lenient: bool = False,
) -> CarnetRead:
    listing = browsing.list_entries(
        session=session, actor=actor, carnet=carnet, role=role, query=query, lenient=lenient
    )
    return CarnetRead(
        id=carnet.id,
        title=carnet.title,
        url=carnet_url(session, carnet.id),
        description=carnet.description,
        description_html=rendered(session, actor, carnet.description),
        guide=carnet.guide,
        guide_html=rendered(session, actor, carnet.guide),
        visibility=carnet.visibility,
        community=communities.ref(session, carnet.community_id) if carnet.community_id else None,
        sort=carnet.sort,
        axes=listing.axes,
        kinds=listing.kinds,
        members=members_of(session, carnet.id, actor, role),
        note_count=browsing.count_visible(session, actor, [carnet.id])[carnet.id],
        entries=listing.page,
        bases=bases_of(session, actor, carnet.id),
        created_at=carnet.created_at,
        updated_at=updated_for(session, actor, [carnet.id])[carnet.id],
        my_role=role,
        can_manage=policy.can_manage_carnet(actor, role),
        can_contribute=policy.can_contribute_to_carnet(actor, role),
    )


def summaries(session: Session, actor: policy.Actor, carnets: list[Carnet]) -> list[CarnetSummary]:
    counts = browsing.count_visible(session, actor, [c.id for c in carnets])
    updated = updated_for(session, actor, [c.id for c in carnets])
    return [
        CarnetSummary(
            id=c.id,
            title=c.title,
            url=carnet_url(session, c.id),
            visibility=c.visibility,
            excerpt=excerpt(c.description),
            note_count=counts[c.id],
            updated_at=updated[c.id],
        )
        for c in carnets
    ]


def list_carnets(
    *, session: Session, actor: policy.Actor, page: int = 1, per_page: int = 50, member: User | None = None
) -> CarnetPage:
    """The carnets the actor may see, most recently changed as the actor sees them first
    (`member`: those someone curates)."""
    where = [policy.visible_carnets(actor)]
    if member is not None:
        where.append(col(Carnet.id).in_(select(CarnetMember.carnet_id).where(CarnetMember.user_id == member.id)))
    total = session.exec(select(sa.func.count()).select_from(Carnet).where(*where)).one()
    rows = list(
        session.exec(
            select(Carnet)
            .where(*where)
            .order_by(seen_updated_at(actor).desc(), Carnet.id)
            .offset((page - 1) * per_page)
            .limit(per_page)
        )
    )
    return CarnetPage(items=summaries(session, actor, rows), total=total, page=page, per_page=per_page)


def filing_choices(*, session: Session, actor: policy.Actor, note_id: str) -> list[FilingChoice]:
    """The carnets the actor may add notes to, by title, each saying whether it holds the note
    `note_id` already (one the actor reads: the caller has loaded it)."""
    holding = set(session.exec(select(CarnetEntry.carnet_id).where(CarnetEntry.note_id == note_id)))
    rows = session.exec(
        select(Carnet.id, Carnet.title).where(policy.contributable_carnets(actor)).order_by(Carnet.title, Carnet.id)
    )
    return [
        FilingChoice(id=cid, title=title, url=carnet_url(session, cid), holds_note=cid in holding)
        for cid, title in rows
    ]


# --- writing ---------------------------------------------------------------------------------


def create(*, session: Session, actor: policy.Actor, data: CarnetCreate) -> CarnetRead:
    """Create a carnet with its category axes; its creator is its first manager."""
    policy.ensure_can_create_carnet(actor)
    assert actor is not None
    communities.check_link(session, actor, data.visibility, data.community)
    carnet = Carnet(
        id=new_id(),
        title=data.title,
        description=data.description,
        guide=data.guide,
        visibility=data.visibility,
        community_id=data.community,
        sort=data.sort,
        created_by_id=actor.id,
    )
    session.add(carnet)
    session.flush()
    members.enrol_creator(session, ROSTER, carnet.id, actor.id)
    for axis in data.axes:
        categories.add_axis(session, carnet, axis)
    session.flush()
    return read(session=session, actor=actor, carnet_id=carnet.id)


def update(*, session: Session, actor: policy.Actor, carnet_id: str, data: CarnetUpdate) -> CarnetRead:
    carnet, _ = load_managed(session, actor, carnet_id)
    fields = data.model_dump(exclude_unset=True)
    community_id = fields["community"] if "community" in fields else carnet.community_id
    visibility = data.visibility or carnet.visibility
    communities.check_link(session, actor, visibility, community_id, old=(carnet.visibility, carnet.community_id))
    for name in ("title", "description", "guide", "sort"):
        if fields.get(name) is not None:
            setattr(carnet, name, fields[name])
    carnet.visibility = visibility
    carnet.community_id = community_id
    touch(session, carnet)
    session.flush()
    return read(session=session, actor=actor, carnet_id=carnet.id)


def delete(*, session: Session, actor: policy.Actor, carnet_id: str) -> str:
    """Delete a carnet, its categories and memberships; its notes stay as they are. Answers
    with its title, for the page that says it is gone."""
    carnet, _ = load_managed(session, actor, carnet_id)
    title = carnet.title
    session.delete(carnet)
    session.flush()
    return title


def set_member(*, session: Session, actor: policy.Actor, carnet_id: str, username: str, role: str) -> CarnetRead:
    """Add a manager or contributor, or change someone's role (managers and admins)."""
    carnet, _ = load_managed(session, actor, carnet_id)
    members.put(session, ROSTER, carnet.id, username, role)
    touch(session, carnet)
    session.flush()
    return read(session=session, actor=actor, carnet_id=carnet.id)


def remove_member(*, session: Session, actor: policy.Actor, carnet_id: str, username: str) -> str:
    """Take someone off a carnet (managers and admins; anyone may leave); answers with their name."""
    carnet, role = load_readable(session, actor, carnet_id, for_update=True)
    taken_off = members.take_off(
        session,
        ROSTER,
        carnet.id,
        username,
        ensure=lambda member_id: policy.ensure_can_remove_carnet_member(actor, role, member_id),
    )
    return taken_off.display_name


# --- category lists (managers) ----------------------------------------------------------------


def add_axis(*, session: Session, actor: policy.Actor, carnet_id: str, data: AxisCreate) -> CarnetRead:
    carnet, _ = load_managed(session, actor, carnet_id)
    categories.add_axis(session, carnet, data)
    touch(session, carnet)
    return read(session=session, actor=actor, carnet_id=carnet.id)


def rename_axis(*, session: Session, actor: policy.Actor, carnet_id: str, axis_id: int, name: str) -> CarnetRead:
    carnet, _ = load_managed(session, actor, carnet_id)
    categories.rename_axis(session, carnet, axis_id, name)
    touch(session, carnet)
    return read(session=session, actor=actor, carnet_id=carnet.id)


def delete_axis(*, session: Session, actor: policy.Actor, carnet_id: str, axis_id: int) -> None:
    carnet, _ = load_managed(session, actor, carnet_id)
    categories.delete_axis(session, carnet, axis_id)
    touch(session, carnet)


def add_category(*, session: Session, actor: policy.Actor, carnet_id: str, axis_id: int, name: str) -> CarnetRead:
    carnet, _ = load_managed(session, actor, carnet_id)
    categories.add_category(session, carnet, categories.load_axis(session, carnet, axis_id), name)
    touch(session, carnet)
    return read(session=session, actor=actor, carnet_id=carnet.id)


def rename_category(*, session: Session, actor: policy.Actor, carnet_id: str, name: str, new_name: str) -> CarnetRead:
    carnet, _ = load_managed(session, actor, carnet_id)
    categories.rename(session, carnet, name, new_name)
    touch(session, carnet)
    return read(session=session, actor=actor, carnet_id=carnet.id)


def delete_category(
    *, session: Session, actor: policy.Actor, carnet_id: str, name: str, removal: CategoryRemoval | None
) -> None:
    carnet, _ = load_managed(session, actor, carnet_id)
    categories.delete(session, actor, carnet, name, removal)
    touch(session, carnet)
