"""What the pages about one part of a carnet or a base show of it, checked as the whole is: its
heading (the title, linking back to it) for the graph and the exports, and for a category about
to be deleted, the choice its notes leave to the manager."""

from __future__ import annotations

from sqlmodel import Session

from praxis import policy
from praxis.carnets import bases, carnets, categories
from praxis.models import pk
from praxis.schemas import BaseRef, CarnetRef, CategoryDeletion, CategoryRead
from praxis.urls import base_url, carnet_url


def carnet_ref(*, session: Session, actor: policy.Actor, carnet_id: str) -> CarnetRef:
    """The carnet's id, title and address; NotFound when it does not exist or may not be seen."""
    carnet, _ = carnets.load_readable(session, actor, carnet_id)
    return CarnetRef(id=carnet.id, title=carnet.title, url=carnet_url(session, carnet.id))


def base_ref(*, session: Session, actor: policy.Actor, base_id: str) -> BaseRef:
    """The base's id, title and address; NotFound when it does not exist or may not be seen."""
    base, _ = bases.load_readable(session, actor, base_id)
    return BaseRef(id=base.id, title=base.title, url=base_url(session, base.id))


def category_deletion(*, session: Session, actor: policy.Actor, carnet_id: str, name: str) -> CategoryDeletion:
    """What deleting a category of a carnet the actor manages would leave to choose: how many of
    the notes they see are filed under it, and the other categories of its list."""
    carnet, _ = carnets.load_managed(session, actor, carnet_id)
    category = categories.load(session, carnet, name)
    siblings = [
        c.name
        for axis, cats in categories.axes_of(session, carnet.id)
        if axis.id == category.axis_id
        for c in cats
        if c.id != category.id
    ]
    return CategoryDeletion(
        carnet=CarnetRef(id=carnet.id, title=carnet.title, url=carnet_url(session, carnet.id)),
        category=CategoryRead(name=category.name, count=categories.filed_count(session, actor, pk(category.id))),
        siblings=siblings,
    )
