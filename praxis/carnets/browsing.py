"""Reading a carnet's notes: filtered, counted per category, ordered with pinned notes first.

A note shows in a carnet only to whoever may read it (`policy.visible_notes`); the caller has
already checked that the carnet itself may be read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from praxis import policy
from praxis.carnets import categories
from praxis.carnets import entries as carnet_entries
from praxis.errors import Invalid
from praxis.markdown import fold
from praxis.models import Carnet, CarnetCategory, CarnetEntry, EntryCategory, Note, pk
from praxis.notes import notes as note_service
from praxis.schemas import AxisRead, CarnetQuery, CategoryRead, EntryItem, EntryPage


@dataclass
class Listing:
    page: EntryPage
    axes: list[AxisRead]
    kinds: dict[str, int]  # how many notes of each kind, every filter but the kind applied


def count_visible(session: Session, actor: policy.Actor, carnet_ids: Sequence[str]) -> dict[str, int]:
    """How many notes of each carnet the actor sees."""
    rows = session.exec(
        select(CarnetEntry.carnet_id, sa.func.count())
        .join(Note, col(Note.id) == CarnetEntry.note_id)
        .where(col(CarnetEntry.carnet_id).in_(list(carnet_ids)), policy.visible_notes(actor))
        .group_by(CarnetEntry.carnet_id)
    ).all()
    counts = dict.fromkeys(carnet_ids, 0)
    counts.update(dict(rows))
    return counts


def _filed_under(carnet_id: str, category_id: int) -> ColumnElement[bool]:
    filed = aliased(EntryCategory)  # its own name, as the counts join entry_category too
    return sa.exists().where(
        col(filed.carnet_id) == carnet_id,
        col(filed.note_id) == CarnetEntry.note_id,
        col(filed.category_id) == category_id,
    )


# A carnet's orders of its entries (pinned ones first, then this, then the id): its page and
# the previous/next of a note read from it (`place.py`) follow the same one.
ENTRY_ORDER = {
    "manual": (col(CarnetEntry.position).asc(), col(CarnetEntry.added_at).asc()),
    "added": (col(CarnetEntry.added_at).desc(),),
    "updated": (col(Note.updated_at).desc(),),
    "title": (col(Note.title_key).asc(),),
}


def list_entries(
    *,
    session: Session,
    actor: policy.Actor,
    carnet: Carnet,
    role: str | None,
    query: CarnetQuery,
    lenient: bool = False,
) -> Listing:
    """A page of the carnet's notes the actor sees, and its category lists with their counts.

    A category's count applies every filter but the categories of its own list, so each count
    tells how many notes choosing that category would show; so does each kind's count. A
    category that is not the carnet's is refused (Invalid), or left out when `lenient`."""
    axes = categories.axes_of(session, carnet.id)
    by_key = {c.name_key: c for _, cats in axes for c in cats}
    chosen: list[CarnetCategory] = []
    for name in query.category:
        category = by_key.get(fold(name)[:100])
        if category is None:
            if lenient:
                continue
            raise Invalid(f"'{name}' is not a category of this carnet.", field="category")
        chosen.append(category)
    where: list[ColumnElement[bool]] = [col(CarnetEntry.carnet_id) == carnet.id, policy.visible_notes(actor)]
    if query.author:
        where.append(note_service.authored_by(session, query.author))
    if query.q:
        where.append(note_service.text_filter(query.q))
    by_category = [_filed_under(carnet.id, pk(c.id)) for c in chosen]

    def joined(*columns: Any) -> Any:  # a select of these columns: its row type follows them
        return select(*columns).select_from(CarnetEntry).join(Note, col(Note.id) == CarnetEntry.note_id)

    kinds: dict[str, int] = dict(
        session.exec(joined(Note.kind, sa.func.count()).where(*where, *by_category).group_by(Note.kind)).all()
    )
    if query.kind:
        where.append(col(Note.kind) == query.kind)

    total = session.exec(joined(sa.func.count()).where(*where, *by_category)).one()
    order = ENTRY_ORDER[query.sort or carnet.sort]
    rows = session.exec(
        joined(CarnetEntry, Note)
        .where(*where, *by_category)
        .order_by(col(CarnetEntry.pinned).desc(), *order, Note.id)
        .offset((query.page - 1) * query.per_page)
        .limit(query.per_page)
    ).all()

    axis_reads: list[AxisRead] = []
    for axis, cats in axes:
        others = [_filed_under(carnet.id, pk(c.id)) for c in chosen if c.axis_id != axis.id]
        counts: dict[int, int] = (
            dict(
                session.exec(
                    joined(EntryCategory.category_id, sa.func.count())
                    .join(
                        EntryCategory,
                        sa.and_(
                            col(EntryCategory.carnet_id) == CarnetEntry.carnet_id,
                            col(EntryCategory.note_id) == CarnetEntry.note_id,
                        ),
                    )
                    .where(*where, *others, col(EntryCategory.category_id).in_([c.id for c in cats]))
                    .group_by(EntryCategory.category_id)
                ).all()
            )
            if cats
            else {}
        )
        axis_reads.append(
            AxisRead(
                id=pk(axis.id),
                name=axis.name,
                categories=[CategoryRead(name=c.name, count=counts.get(pk(c.id), 0)) for c in cats],
            )
        )

    items = entry_items(session, actor, carnet.id, role, [(entry, note) for entry, note in rows])
    return Listing(
        page=EntryPage(items=items, total=total, page=query.page, per_page=query.per_page), axes=axis_reads, kinds=kinds
    )


def entry_items(
    session: Session, actor: policy.Actor, carnet_id: str, role: str | None, rows: Sequence[tuple[CarnetEntry, Note]]
) -> list[EntryItem]:
    """Memberships with their notes as lists show them (the caller checked both may be seen)."""
    entries = [entry for entry, _ in rows]
    notes = note_service.summaries(session, [note for _, note in rows])
    reads = carnet_entries.entry_reads(session, actor, carnet_id, entries)
    return [
        EntryItem(**read.model_dump(), note=summary, can_remove=policy.can_remove_entry(actor, role, entry.added_by_id))
        for entry, read, summary in zip(entries, reads, notes)
    ]
