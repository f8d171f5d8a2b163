"""Communities: groups of members and managers that notes can be kept among."""

from __future__ import annotations

import secrets

from sqlmodel import Session, col, select

from praxis import policy
from praxis.errors import Invalid, NotFound
from praxis.i18n import N_
from praxis.models import Community, CommunityMember
from praxis.people import members
from praxis.schemas import CommunityCreate, CommunityRead, CommunityRef, CommunitySummary, MemberRead, is_note_id
from praxis.urls import community_url

# A community's members and managers.
ROSTER = members.Roster(
    table=CommunityMember,
    owner="community_id",
    last_manager="A community keeps at least one manager.",
    absent="This person is not a member.",
    last_manager_text=N_("Une communauté garde au moins un·e gestionnaire."),
    absent_text=N_("Cette personne n'est pas membre de la communauté."),
)


def get(session: Session, community_id: str) -> Community | None:
    return session.get(Community, community_id) if is_note_id(community_id) else None


def role_of(session: Session, community_id: str, actor: policy.Actor) -> str | None:
    """ "manager", "member", or None."""
    if actor is None or actor.id is None:
        return None
    return session.exec(
        select(CommunityMember.role).where(
            CommunityMember.community_id == community_id, CommunityMember.user_id == actor.id
        )
    ).first()


def ref(session: Session, community_id: str) -> CommunityRef | None:
    community = get(session, community_id)
    if community is None:
        return None
    return CommunityRef(id=community.id, name=community.name, url=community_url(session, community.id))


def check_link(
    session: Session,
    actor: policy.Actor,
    visibility: str,
    community_id: str | None,
    old: tuple[str, str | None] | None = None,
) -> None:
    """Visibility `community` needs a community, and only its members link a note, a carnet or a
    base to it or open one to it (a change of community, or a change to community visibility,
    whatever the path). `old` is the (visibility, community) before the change."""
    if visibility == "community" and community_id is None:
        raise Invalid("Visibility 'community' needs a community.", field="community")
    opening = old is None or community_id != old[1] or (visibility == "community" and old[0] != "community")
    if community_id is not None and opening:
        if get(session, community_id) is None:
            raise Invalid(f"Unknown community: {community_id}.", field="community")
        if not policy.can_link_community(actor, role_of(session, community_id, actor)):
            raise Invalid("Only the community's members can link something to it.", field="community")


def _load(session: Session, community_id: str, *, for_update: bool = False) -> Community:
    """The community; `for_update` locks it, so membership changes on it happen one at a time."""
    if not is_note_id(community_id):
        raise NotFound("No such community.")
    query = select(Community).where(Community.id == community_id)
    community = session.exec(query.with_for_update() if for_update else query).first()
    if community is None:
        raise NotFound("No such community.")
    return community


def read(*, session: Session, actor: policy.Actor, community_id: str) -> CommunityRead:
    """A community: its name and description for everyone; its members for members and admins."""
    community = _load(session, community_id)
    role = role_of(session, community.id, actor)
    shown: list[MemberRead] = []
    if policy.can_see_community_members(actor, role):
        shown = members.listing(
            session,
            ROSTER,
            community.id,
            MemberRead,
            lambda member_id, last: policy.can_remove_community_member(actor, role, member_id, last_manager=last),
        )
    return CommunityRead(
        id=community.id,
        name=community.name,
        description=community.description,
        url=community_url(session, community.id),
        members=shown,
        my_role=role,
        can_manage=policy.can_manage_community(actor, role),
    )


def list_all(*, session: Session, actor: policy.Actor) -> list[CommunitySummary]:
    rows = session.exec(select(Community).order_by(Community.name)).all()
    return [
        CommunitySummary(id=c.id, name=c.name, url=community_url(session, c.id), description=c.description)
        for c in rows
    ]


def offered(*, session: Session, actor: policy.Actor) -> bool:
    """Whether the navigation offers the communities to this reader (asks the database only for
    those who may not create one)."""
    if policy.offers_communities(actor, any_exist=False):
        return True
    exists = session.exec(select(Community.id).limit(1)).first() is not None
    return policy.offers_communities(actor, any_exist=exists)


def mine(*, session: Session, actor: policy.Actor) -> list[CommunityRef]:
    """The communities the actor can link notes to."""
    if actor is None or not policy.is_signed_in(actor):
        return []
    query = select(Community).order_by(Community.name)
    if not policy.is_admin(actor):
        query = query.join(CommunityMember, col(CommunityMember.community_id) == Community.id).where(
            CommunityMember.user_id == actor.id
        )
    return [CommunityRef(id=c.id, name=c.name, url=community_url(session, c.id)) for c in session.exec(query)]


def create(*, session: Session, actor: policy.Actor, data: CommunityCreate) -> CommunityRead:
    """Create a community; its creator is its first manager."""
    policy.ensure_can_create_community(actor)
    assert actor is not None
    community = Community(
        id=secrets.token_urlsafe(9), name=data.name, description=data.description, created_by_id=actor.id
    )
    session.add(community)
    session.flush()
    members.enrol_creator(session, ROSTER, community.id, actor.id)
    return read(session=session, actor=actor, community_id=community.id)


def set_member(*, session: Session, actor: policy.Actor, community_id: str, username: str, role: str) -> CommunityRead:
    """Add someone to a community, or change their role (managers and admins)."""
    community = _load(session, community_id, for_update=True)
    policy.ensure_can_manage_community(actor, role_of(session, community.id, actor))
    members.put(session, ROSTER, community.id, username, role)
    return read(session=session, actor=actor, community_id=community.id)


def remove_member(*, session: Session, actor: policy.Actor, community_id: str, username: str) -> str:
    """Take someone out of a community (managers and admins; anyone may leave); answers with
    their name."""
    community = _load(session, community_id, for_update=True)
    role = role_of(session, community.id, actor)
    taken_off = members.take_off(
        session,
        ROSTER,
        community.id,
        username,
        ensure=lambda member_id: policy.ensure_can_remove_community_member(actor, role, member_id),
    )
    return taken_off.display_name
