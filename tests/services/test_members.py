"""Membership shared by carnets, bases and communities (praxis/people/members.py): each collection
keeps its own refusals word for word (the API shows them), and lists its members alike."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session

from praxis.carnets import service as carnet_service
from praxis.errors import Invalid, NotFound
from praxis.models import User
from praxis.people import service as people_service
from praxis.schemas import BaseCreate, CarnetCreate, CommunityCreate
from tests.factories import make_user


def _collections(session: Session, alice: User) -> dict[str, dict[str, Any]]:
    """For each collection: how to add someone, take them off, list them, and what it refuses."""
    carnet = carnet_service.create_carnet(session=session, actor=alice, data=CarnetCreate(title="Carnet"))
    base = carnet_service.create_base(session=session, actor=alice, data=BaseCreate(title="Base"))
    community = people_service.create_community(session=session, actor=alice, data=CommunityCreate(name="Cercle"))
    who = {"session": session, "actor": alice}
    return {
        "carnet": {
            "put": lambda u, r="contributor": carnet_service.set_carnet_member(
                **who, carnet_id=carnet.id, username=u, role=r
            ),
            "off": lambda u: carnet_service.remove_carnet_member(**who, carnet_id=carnet.id, username=u),
            "list": lambda reader=alice: (
                carnet_service.read_carnet(session=session, actor=reader, carnet_id=carnet.id).members
            ),
            "demote": "contributor",
            "last": ("A carnet keeps at least one manager.", "role"),
            "absent": "This person is not a member of the carnet.",
            "with_bob": [("alice", False), ("bob", True)],
        },
        "base": {
            "put": lambda u, r="manager": carnet_service.add_base_manager(**who, base_id=base.id, username=u),
            "off": lambda u: carnet_service.remove_base_manager(**who, base_id=base.id, username=u),
            "list": lambda reader=alice: (
                carnet_service.read_base(session=session, actor=reader, base_id=base.id).managers
            ),
            "demote": None,  # a base's managers have no other role
            "last": ("A base keeps at least one manager.", "username"),
            "absent": "This person does not manage the base.",
            "with_bob": [("alice", True), ("bob", True)],
        },
        "community": {
            "put": lambda u, r="member": people_service.set_community_member(
                **who, community_id=community.id, username=u, role=r
            ),
            "off": lambda u: people_service.remove_community_member(**who, community_id=community.id, username=u),
            "list": lambda reader=alice: (
                people_service.read_community(session=session, actor=reader, community_id=community.id).members
            ),
            "demote": "member",
            "last": ("A community keeps at least one manager.", "role"),
            "absent": "This person is not a member.",
            "with_bob": [("bob", True), ("alice", False)],  # by role, descending: members first
        },
    }


def _refusal(call: Callable[[], object], kind: type[Exception]) -> Any:
    with pytest.raises(kind) as refused:
        call()
    return refused.value


@pytest.mark.parametrize("kind", ["carnet", "base", "community"])
def test_each_collection_refuses_in_its_own_words_and_lists_alike(session, kind):
    alice = make_user(session, "alice", name="Alice")
    bob = make_user(session, "bob", name="Bob")
    c = _collections(session, alice)[kind]

    unknown = _refusal(lambda: c["put"]("nobody"), Invalid)
    assert (unknown.message, unknown.field) == ("Unknown user: nobody.", "username")
    assert _refusal(lambda: c["off"]("bob"), NotFound).message == c["absent"]
    assert _refusal(lambda: c["off"]("nobody"), NotFound).message == c["absent"]
    last = _refusal(lambda: c["off"]("alice"), Invalid)
    assert (last.message, last.field) == c["last"]
    if c["demote"]:
        demoted = _refusal(lambda: c["put"]("alice", c["demote"]), Invalid)
        assert (demoted.message, demoted.field) == c["last"]
    # By role, then name; the only manager may not be taken off, whoever else may.
    c["put"]("bob")
    assert [(m.username, m.can_remove) for m in c["list"]()] == c["with_bob"]
    c["put"]("bob", "manager")
    assert [(m.username, m.role, m.can_remove) for m in c["list"]()] == [
        ("alice", "manager", True),
        ("bob", "manager", True),
    ]
    c["off"]("alice")
    assert [(m.username, m.can_remove) for m in c["list"](bob)] == [("bob", False)]


@pytest.mark.parametrize("kind", ["carnet", "base", "community"])
@pytest.mark.parametrize("name", ["nul\x00", "x" * 300, "Bob"])
def test_taking_off_any_spelling_of_a_name_never_fails_the_server(session, kind, name):
    """A name from an address (`DELETE …/members/{username}`) is not checked by a schema: one no
    username can be is nobody (404), as it is for a note's authors, and a username's case does not
    count (PostgreSQL refuses a NUL in a query: it must not reach one)."""
    alice = make_user(session, "alice", name="Alice")
    make_user(session, "bob", name="Bob")
    c = _collections(session, alice)[kind]
    c["put"]("bob")
    if name == "Bob":
        c["off"](name)
        assert [m.username for m in c["list"]()] == ["alice"]
    else:
        assert _refusal(lambda: c["off"](name), NotFound).message == c["absent"]
