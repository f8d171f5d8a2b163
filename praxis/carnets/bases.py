"""Bases de connaissances: collections of carnets, each with its own description and visibility.

What a reader sees of a base comes from what that reader may see: its carnets, their count, and
when it last changed (`seen_updated_at`), so that nothing about it moves when only carnets hidden
from the reader come, change or go."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from praxis import policy
from praxis.carnets import carnets
from praxis.errors import Conflict, Invalid, NotFound
from praxis.i18n import N_
from praxis.models import BaseCarnet, BaseManager, Carnet, KnowledgeBase, utcnow
from praxis.notes import notes as note_service
from praxis.notes.notes import new_id
from praxis.people import communities, members
from praxis.schemas import (
    BaseCarnetAdd,
    BaseCreate,
    BaseRead,
    BaseSummary,
    BaseUpdate,
    MemberRead,
    NoteQuery,
    is_note_id,
)
from praxis.urls import base_url

# A base's managers (a base has no other role: its rows carry none).
ROSTER = members.Roster(
    table=BaseManager,
    owner="base_id",
    last_manager="A base keeps at least one manager.",
    absent="This person does not manage the base.",
    last_manager_text=N_("Une base garde au moins un·e gestionnaire."),
    absent_text=N_("Cette personne ne gère pas la base."),
    last_manager_field="username",
)


def _is_manager(session: Session, base_id: str, actor: policy.Actor) -> bool:
    if actor is None or actor.id is None:
        return False
    return session.get(BaseManager, (base_id, actor.id)) is not None


def load_readable(
    session: Session, actor: policy.Actor, base_id: str, *, for_update: bool = False
) -> tuple[KnowledgeBase, bool]:
    """The base and whether the actor manages it; NotFound when it does not exist or may not be seen."""
    if not is_note_id(base_id):
        raise NotFound("No such base.")
    query = select(KnowledgeBase).where(KnowledgeBase.id == base_id, policy.visible_bases(actor))
    base = session.exec(query.with_for_update() if for_update else query).first()
    if base is None:
        raise NotFound("No such base.")
    return base, _is_manager(session, base.id, actor)


def load_managed(session: Session, actor: policy.Actor, base_id: str) -> KnowledgeBase:
    base, manager = load_readable(session, actor, base_id, for_update=True)
    policy.ensure_can_manage_base(actor, manager)
    return base


def visible_carnets_of(session: Session, actor: policy.Actor, base_id: str) -> list[Carnet]:
    """The base's carnets the actor may see, in the base's order."""
    return list(
        session.exec(
            select(Carnet)
            .join(BaseCarnet, col(BaseCarnet.carnet_id) == Carnet.id)
            .where(BaseCarnet.base_id == base_id, policy.visible_carnets(actor))
            .order_by(col(BaseCarnet.position), col(BaseCarnet.added_at), col(Carnet.id))
        )
    )


def seen_updated_at(actor: policy.Actor) -> ColumnElement[datetime]:
    """When a base last changed as `actor` sees it, for any query on `KnowledgeBase`: the later of
    its own `updated_at` (changes every reader sees) and the gathering of the last carnet the actor
    may read in it."""
    return carnets.seen_change(
        KnowledgeBase,
        BaseCarnet.base_id,
        BaseCarnet.added_at,
        Carnet,
        BaseCarnet.carnet_id,
        policy.visible_carnets(actor),
    )


def updated_for(session: Session, actor: policy.Actor, base_id: str) -> datetime:
    """The base's `seen_updated_at` for `actor`."""
    return session.exec(select(seen_updated_at(actor)).where(KnowledgeBase.id == base_id)).one()


def _managers(session: Session, base_id: str, actor: policy.Actor, manager: bool) -> list[MemberRead]:
    return members.listing(
        session,
        ROSTER,
        base_id,
        MemberRead,
        lambda _, last: policy.can_remove_base_manager(actor, manager, last_manager=last),
    )


def read(*, session: Session, actor: policy.Actor, base_id: str, query: NoteQuery | None = None) -> BaseRead:
    """A base, its carnets and a page of the notes across them that `query` selects."""
    base, manager = load_readable(session, actor, base_id)
    return _read_loaded(session, actor, base, manager, query)


def _read_loaded(
    session: Session, actor: policy.Actor, base: KnowledgeBase, manager: bool, query: NoteQuery | None
) -> BaseRead:
    query = (query or NoteQuery()).model_copy(update={"base": base.id})
    if query.carnet and query.carnet not in {c.id for c in visible_carnets_of(session, actor, base.id)}:
        raise Invalid("This carnet is not in the base.", field="carnet")
    return BaseRead(
        id=base.id,
        title=base.title,
        url=base_url(session, base.id),
        description=base.description,
        description_html=carnets.rendered(session, actor, base.description),
        visibility=base.visibility,
        community=communities.ref(session, base.community_id) if base.community_id else None,
        managers=_managers(session, base.id, actor, manager),
        carnets=carnets.summaries(session, actor, visible_carnets_of(session, actor, base.id)),
        notes=note_service.list_notes(session=session, actor=actor, query=query),
        created_at=base.created_at,
        updated_at=updated_for(session, actor, base.id),
        can_manage=policy.can_manage_base(actor, manager),
    )


def get_for_editing(*, session: Session, actor: policy.Actor, base_id: str) -> BaseRead:
    """A base as its settings page shows it, to its managers (NotSignedIn, Forbidden otherwise)."""
    base = load_managed(session, actor, base_id)
    return _read_loaded(session, actor, base, True, NoteQuery(per_page=1))


def list_bases(*, session: Session, actor: policy.Actor) -> list[BaseSummary]:
    rows = list(
        session.exec(
            select(KnowledgeBase).where(policy.visible_bases(actor)).order_by(KnowledgeBase.title, KnowledgeBase.id)
        )
    )
    counts = dict(
        session.exec(
            select(BaseCarnet.base_id, sa.func.count())
            .join(Carnet, col(Carnet.id) == BaseCarnet.carnet_id)
            .where(col(BaseCarnet.base_id).in_([b.id for b in rows]), policy.visible_carnets(actor))
            .group_by(BaseCarnet.base_id)
        ).all()
    )
    return [
        BaseSummary(
            id=b.id,
            title=b.title,
            url=base_url(session, b.id),
            visibility=b.visibility,
            excerpt=carnets.excerpt(b.description),
            carnet_count=counts.get(b.id, 0),
        )
        for b in rows
    ]


def create(*, session: Session, actor: policy.Actor, data: BaseCreate) -> BaseRead:
    """Create a base; its creator is its first manager."""
    policy.ensure_can_create_base(actor)
    assert actor is not None
    communities.check_link(session, actor, data.visibility, data.community)
    base = KnowledgeBase(
        id=new_id(),
        title=data.title,
        description=data.description,
        visibility=data.visibility,
        community_id=data.community,
        created_by_id=actor.id,
    )
    session.add(base)
    session.flush()
    members.enrol_creator(session, ROSTER, base.id, actor.id)
    return read(session=session, actor=actor, base_id=base.id)


def _touch(session: Session, base: KnowledgeBase) -> None:
    """Record a change every reader of the base sees: its settings, its managers, or a carnet they
    all read coming or going (see `_touch_for_all`)."""
    base.updated_at = utcnow()
    session.add(base)
    session.flush()


def _touch_for_all(session: Session, base: KnowledgeBase, carnet: Carnet) -> None:
    """A carnet gathered into the base or taken out of it moves the base's `updated_at` only when
    every reader of the base reads the carnet (a public one): a reader learns nothing of a carnet
    they may not see. The others' gatherings still show to those who read them (`seen_updated_at`)."""
    if policy.is_public(carnet.visibility):
        _touch(session, base)


def update(*, session: Session, actor: policy.Actor, base_id: str, data: BaseUpdate) -> BaseRead:
    base = load_managed(session, actor, base_id)
    fields = data.model_dump(exclude_unset=True)
    community_id = fields["community"] if "community" in fields else base.community_id
    visibility = data.visibility or base.visibility
    communities.check_link(session, actor, visibility, community_id, old=(base.visibility, base.community_id))
    for name in ("title", "description"):
        if fields.get(name) is not None:
            setattr(base, name, fields[name])
    base.visibility = visibility
    base.community_id = community_id
    _touch(session, base)
    return read(session=session, actor=actor, base_id=base.id)


def delete(*, session: Session, actor: policy.Actor, base_id: str) -> str:
    """Delete a base; its carnets and their notes stay as they are. Answers with its title, for
    the page that says it is gone."""
    base = load_managed(session, actor, base_id)
    title = base.title
    session.delete(base)
    session.flush()
    return title


def add_carnet(*, session: Session, actor: policy.Actor, base_id: str, data: BaseCarnetAdd) -> BaseRead:
    """Gather a carnet (one the manager may see) into the base."""
    base = load_managed(session, actor, base_id)
    carnet = session.exec(select(Carnet).where(Carnet.id == data.carnet_id, policy.visible_carnets(actor))).first()
    if carnet is None:
        raise Invalid(f"Unknown carnet: {data.carnet_id}.", field="carnet_id")
    if session.get(BaseCarnet, (base.id, carnet.id)) is not None:
        raise Conflict("This carnet is already in the base.", text=N_("Ce carnet est déjà dans cette base."))
    rows = list(
        session.exec(
            select(BaseCarnet)
            .where(BaseCarnet.base_id == base.id)
            .order_by(col(BaseCarnet.position), col(BaseCarnet.added_at))
        )
    )
    link = BaseCarnet(base_id=base.id, carnet_id=carnet.id, added_by_id=actor.id if actor else None)
    rows.insert(len(rows) if data.position is None else min(data.position, len(rows)), link)
    for index, row in enumerate(rows):
        row.position = index
        session.add(row)
    _touch_for_all(session, base, carnet)
    return read(session=session, actor=actor, base_id=base.id)


def remove_carnet(*, session: Session, actor: policy.Actor, base_id: str, carnet_id: str) -> str:
    """Take a carnet out of the base (it stays as it is); answers with its title."""
    base = load_managed(session, actor, base_id)
    found = (
        session.exec(
            select(BaseCarnet, Carnet)
            .join(Carnet, col(Carnet.id) == BaseCarnet.carnet_id)
            .where(BaseCarnet.base_id == base.id, BaseCarnet.carnet_id == carnet_id, policy.visible_carnets(actor))
        ).first()
        if is_note_id(carnet_id)
        else None
    )
    if found is None:  # a carnet the manager may not see is not theirs to take out
        raise NotFound("This carnet is not in the base.")
    link, carnet = found
    session.delete(link)
    session.flush()
    _touch_for_all(session, base, carnet)
    return carnet.title


def add_manager(*, session: Session, actor: policy.Actor, base_id: str, username: str) -> BaseRead:
    base = load_managed(session, actor, base_id)
    members.put(session, ROSTER, base.id, username)
    _touch(session, base)
    return read(session=session, actor=actor, base_id=base.id)


def remove_manager(*, session: Session, actor: policy.Actor, base_id: str, username: str) -> str:
    """Take a manager off the base (its managers and admins: `load_managed` refuses the others);
    answers with their name."""
    base = load_managed(session, actor, base_id)
    taken_off = members.take_off(session, ROSTER, base.id, username)
    _touch(session, base)
    return taken_off.display_name
