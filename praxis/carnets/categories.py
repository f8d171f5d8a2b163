"""A carnet's category axes: up to three lists of up to ten categories, names unique in the carnet.

Categories are filed by id, so renaming one renames it on every note of the carnet at once.
"""

from __future__ import annotations

from collections.abc import Container, Sequence

import sqlalchemy as sa
from sqlmodel import Session, col, select

from praxis import policy
from praxis.carnets import entries
from praxis.errors import Invalid, NotFound
from praxis.markdown import fold
from praxis.models import Carnet, CarnetAxis, CarnetCategory, CarnetEntry, EntryCategory, Note, pk
from praxis.schemas import MAX_AXES, MAX_CATEGORIES, AxisCreate, CategoryRemoval


def axes_of(session: Session, carnet_id: str) -> list[tuple[CarnetAxis, list[CarnetCategory]]]:
    """The carnet's axes in order, each with its categories in order."""
    axes = session.exec(
        select(CarnetAxis)
        .where(CarnetAxis.carnet_id == carnet_id)
        .order_by(col(CarnetAxis.position), col(CarnetAxis.id))
    ).all()
    cats = session.exec(
        select(CarnetCategory)
        .where(CarnetCategory.carnet_id == carnet_id)
        .order_by(col(CarnetCategory.position), col(CarnetCategory.id))
    ).all()
    return [(axis, [c for c in cats if c.axis_id == axis.id]) for axis in axes]


def key_of(name: str) -> str:
    """How a category name is compared: case and accents ignored."""
    return fold(name)[:100]


def check_axis_count(count: int) -> None:
    """A carnet holds at most MAX_AXES category lists: `count` lists beyond that is a 422."""
    if count > MAX_AXES:
        raise Invalid(f"A carnet has at most {MAX_AXES} category lists.", field="axes")


def check_free(taken: Container[str], name: str) -> str:
    """The key (`key_of`) of a new category name; a 422 when it is `taken`, the keys of the
    carnet's other categories: names are unique in a carnet, case and accents ignored."""
    key = key_of(name)
    if key in taken:
        raise Invalid(f"The carnet already has a category named '{name}'.", field="categories")
    return key


def _taken(session: Session, carnet_id: str, *, but: int | None = None) -> set[str]:
    """The keys of the carnet's category names, but category `but`'s."""
    query = select(CarnetCategory.name_key).where(CarnetCategory.carnet_id == carnet_id)
    if but is not None:
        query = query.where(CarnetCategory.id != but)
    return set(session.exec(query))


def add_axis(session: Session, carnet: Carnet, data: AxisCreate) -> CarnetAxis:
    count = session.exec(select(sa.func.count()).select_from(CarnetAxis).where(CarnetAxis.carnet_id == carnet.id)).one()
    check_axis_count(count + 1)
    axis = CarnetAxis(carnet_id=carnet.id, position=count, name=data.name)
    session.add(axis)
    session.flush()
    for name in data.categories:
        add_category(session, carnet, axis, name)
    return axis


def load_axis(session: Session, carnet: Carnet, axis_id: int) -> CarnetAxis:
    axis = session.get(CarnetAxis, axis_id)
    if axis is None or axis.carnet_id != carnet.id:
        raise NotFound("No such category list in this carnet.")
    return axis


def rename_axis(session: Session, carnet: Carnet, axis_id: int, name: str) -> None:
    axis = load_axis(session, carnet, axis_id)
    axis.name = name
    session.add(axis)
    session.flush()


def delete_axis(session: Session, carnet: Carnet, axis_id: int) -> None:
    """Delete a category list and its categories; the notes filed under them stay in the carnet."""
    axis = load_axis(session, carnet, axis_id)
    session.execute(sa.delete(CarnetCategory).where(col(CarnetCategory.axis_id) == axis.id))
    session.delete(axis)
    session.flush()
    for position, (other, _) in enumerate(axes_of(session, carnet.id)):
        other.position = position
        session.add(other)
    session.flush()


def add_category(session: Session, carnet: Carnet, axis: CarnetAxis, name: str) -> CarnetCategory:
    count = session.exec(
        select(sa.func.count()).select_from(CarnetCategory).where(CarnetCategory.axis_id == axis.id)
    ).one()
    if count >= MAX_CATEGORIES:
        raise Invalid(f"A category list has at most {MAX_CATEGORIES} categories.", field="categories")
    key = check_free(_taken(session, carnet.id), name)
    category = CarnetCategory(carnet_id=carnet.id, axis_id=pk(axis.id), position=count, name=name, name_key=key)
    session.add(category)
    session.flush()
    return category


def find(session: Session, carnet_id: str, name: str) -> CarnetCategory | None:
    """The carnet's category of this name (case and accents ignored)."""
    return session.exec(
        select(CarnetCategory).where(CarnetCategory.carnet_id == carnet_id, CarnetCategory.name_key == key_of(name))
    ).first()


def load(session: Session, carnet: Carnet, name: str) -> CarnetCategory:
    category = find(session, carnet.id, name)
    if category is None:
        raise NotFound(f"The carnet has no category named '{name}'.")
    return category


def rename(session: Session, carnet: Carnet, name: str, new_name: str) -> CarnetCategory:
    """Rename a category: every note filed under it in this carnet now reads the new name."""
    category = load(session, carnet, name)
    category.name_key = check_free(_taken(session, carnet.id, but=category.id), new_name)
    category.name = new_name
    session.add(category)
    session.flush()
    return category


def filed_count(session: Session, actor: policy.Actor, category_id: int) -> int:
    """How many notes the actor may see are filed under a category."""
    return session.exec(
        select(sa.func.count())
        .select_from(EntryCategory)
        .join(Note, col(Note.id) == EntryCategory.note_id)
        .where(EntryCategory.category_id == category_id, policy.visible_notes(actor))
    ).one()


def delete(session: Session, actor: policy.Actor, carnet: Carnet, name: str, removal: CategoryRemoval | None) -> None:
    """Delete a category. Its notes lose it ("uncategorise"), go under another category of the
    same list ("move"), or leave the carnet ("remove"); with notes filed under it, the choice
    must be made."""
    category = load(session, carnet, name)
    filed = filed_count(session, actor, pk(category.id))  # the notes the manager may see: others stay, uncategorised
    if filed and removal is None:
        raise Invalid(
            f"{filed} note(s) are filed under '{category.name}': say what becomes of them "
            "(notes=uncategorise, move with to=another category, or remove).",
            field="notes",
        )
    choice = removal or CategoryRemoval()
    filed_notes = select(EntryCategory.note_id).where(EntryCategory.category_id == category.id)
    if choice.notes == "move":
        target = find(session, carnet.id, choice.to) if choice.to else None
        if target is None or target.axis_id != category.axis_id or target.id == category.id:
            raise Invalid("Move the notes to another category of the same list.", field="to")
        for note_id in session.exec(filed_notes).all():
            session.add(EntryCategory(carnet_id=carnet.id, note_id=note_id, category_id=pk(target.id)))
    elif choice.notes == "remove":  # the notes the manager sees leave; others only lose the category
        seen = filed_notes.where(col(EntryCategory.note_id).in_(select(Note.id).where(policy.visible_notes(actor))))
        session.execute(
            sa.delete(CarnetEntry).where(col(CarnetEntry.carnet_id) == carnet.id, col(CarnetEntry.note_id).in_(seen))
        )
    session.execute(sa.delete(EntryCategory).where(col(EntryCategory.category_id) == category.id))
    session.delete(category)
    session.flush()
    if choice.notes == "remove":
        session.expire_all()  # the bulk delete above bypassed the identity map
        entries.renumber(session, carnet.id)


def resolve(session: Session, carnet_id: str, names: Sequence[str]) -> list[CarnetCategory]:
    """The carnet's categories named (case and accents ignored), at most one per list; a name
    that is not one of the carnet's is a 422 on `categories`."""
    return choose(by_key(session, carnet_id), names)


def by_key(session: Session, carnet_id: str) -> dict[str, CarnetCategory]:
    """The carnet's categories by their folded names (for `choose`)."""
    return {c.name_key: c for c in session.exec(select(CarnetCategory).where(CarnetCategory.carnet_id == carnet_id))}


def choose(known: dict[str, CarnetCategory], names: Sequence[str]) -> list[CarnetCategory]:
    """`resolve` among categories read once (`by_key`): import files many notes in one carnet."""
    chosen: list[CarnetCategory] = []
    for name in names:
        category = known.get(key_of(name))
        if category is None:
            raise Invalid(f"'{name}' is not a category of this carnet.", field="categories")
        if category in chosen:
            continue
        if any(c.axis_id == category.axis_id for c in chosen):
            raise Invalid("A note takes at most one category of each list.", field="categories")
        chosen.append(category)
    return chosen


def file_entry(session: Session, carnet_id: str, note_id: str, chosen: Sequence[CarnetCategory]) -> None:
    """Set a note's categories in one carnet."""
    session.execute(
        sa.delete(EntryCategory).where(col(EntryCategory.carnet_id) == carnet_id, col(EntryCategory.note_id) == note_id)
    )
    for category in chosen:
        session.add(EntryCategory(carnet_id=carnet_id, note_id=note_id, category_id=pk(category.id)))
    session.flush()
