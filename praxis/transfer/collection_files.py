"""Carnets and bases as Markdown files with front matter (`kind: carnet` / `kind: base`).

A carnet's file is its manifest: settings, managers and contributors, category lists, and every
membership (note, categories, pinned, position, who integrated it and when); the body is its
description. A base's file lists its managers and its carnets in order.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from pydantic import TypeAdapter
from sqlmodel import Session, col, select

from praxis import policy
from praxis.carnets import categories
from praxis.carnets import entries as carnet_entries
from praxis.db import insert_rows, row_of
from praxis.errors import Invalid
from praxis.models import (
    BaseCarnet,
    BaseManager,
    Carnet,
    CarnetAxis,
    CarnetCategory,
    CarnetEntry,
    CarnetMember,
    EntryCategory,
    KnowledgeBase,
    User,
    pk,
    utcnow,
)
from praxis.notes import fields, links
from praxis.schemas import AxisCreate, CarnetSort, Markdown, Title, is_note_id

_title = TypeAdapter(Title)
_markdown = TypeAdapter(Markdown)
_sort = TypeAdapter(CarnetSort)
_axes = TypeAdapter(list[AxisCreate])


@dataclass
class Common:
    id: str
    title: str
    description: str
    visibility: str
    community_id: str | None
    created: Any
    updated: Any
    managers: list[User]


def _common(session: Session, meta: dict, body: str, where: str) -> Common:
    object_id = meta.get("id")
    if not (isinstance(object_id, str) and is_note_id(object_id)):
        raise Invalid(f"{where}: 'id' must be 1 to 32 letters, digits, '-' or '_'.", field="id")
    visibility, community_id = fields.visibility_and_community(session, meta, where)
    return Common(
        id=object_id,
        title=fields.checked(where, "title", lambda: _title.validate_python(meta.get("title"))),
        description=fields.checked(where, "description", lambda: _markdown.validate_python(body)),
        visibility=visibility,
        community_id=community_id,
        created=fields.when(meta.get("created"), session, "created", where),
        updated=fields.when(meta.get("updated"), session, "updated", where),
        managers=fields.people(session, meta.get("managers"), where, "managers", required=False),
    )


# --- carnets ---------------------------------------------------------------------------------


@dataclass
class CarnetFile:
    """A carnet's file, checked: what `write_carnet` writes."""

    common: Common
    guide: str
    sort: str
    axes: list[AxisCreate]
    contributors: list[User]
    entries: list[dict]  # note, categories (names), pinned, position, added_by, added_at; checked


def import_carnet(session: Session, meta: dict, body: str, where: str) -> bool:
    """Create or replace the carnet the file describes; True when it was new. The notes it names
    must exist (in the same import or on the site)."""
    return write_carnet(session, check_carnet(session, meta, body, where))


def check_carnet(session: Session, meta: dict, body: str, where: str, coming: Collection[str] = ()) -> CarnetFile:
    """Every value of a carnet's file checked, writing nothing; `coming`: ids of notes the same
    import writes before it."""
    common = _common(session, meta, body, where)
    guide = fields.checked(where, "guide", lambda: _markdown.validate_python(meta.get("guide") or ""))
    sort = fields.checked(where, "sort", lambda: _sort.validate_python(meta.get("sort", "manual")))
    axes = fields.checked(where, "axes", lambda: _axes.validate_python(meta.get("axes") or []))
    # The carnet's categories as `categories.choose` reads them, numbered by list, not yet written;
    # checked by the rules the managers' forms meet (`categories.add_axis`, `add_category`).
    known: dict[str, CarnetCategory] = {}
    try:
        categories.check_axis_count(len(axes))
        for number, axis in enumerate(axes):
            for name in axis.categories:
                key = categories.check_free(known, name)
                known[key] = CarnetCategory(carnet_id=common.id, axis_id=number, position=0, name=name, name_key=key)
    except Invalid as exc:
        raise Invalid(f"{where}: {exc.message[:1].lower()}{exc.message[1:]}", field=exc.field) from None
    contributors = fields.people(session, meta.get("contributors"), where, "contributors", required=False)
    rows = meta.get("entries") or []
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise Invalid(f"{where}: 'entries' must be a list of {{note, categories, …}}.", field="entries")
    try:
        entries = _checked_entries(session, rows, known, coming)
    except Invalid as exc:
        raise Invalid(f"{where}: {exc.message}", field=exc.field) from None
    return CarnetFile(common=common, guide=guide, sort=sort, axes=axes, contributors=contributors, entries=entries)


def write_carnet(session: Session, checked: CarnetFile) -> bool:
    """Write a checked carnet file; True when the carnet was new."""
    common = checked.common
    carnet = session.get(Carnet, common.id)
    new = carnet is None
    if carnet is None:
        carnet = Carnet(id=common.id, title=common.title)
    else:  # the file is the whole truth of the carnet: what it no longer lists goes
        for table in (CarnetEntry, CarnetAxis, CarnetMember):
            session.execute(sa.delete(table).where(col(table.carnet_id) == carnet.id))
    carnet.title, carnet.description, carnet.guide, carnet.sort = (
        common.title,
        common.description,
        checked.guide,
        checked.sort,
    )
    carnet.visibility, carnet.community_id = common.visibility, common.community_id
    carnet.created_at = common.created or carnet.created_at
    session.add(carnet)
    session.flush()
    for user in common.managers:
        session.add(CarnetMember(carnet_id=carnet.id, user_id=pk(user.id), role="manager"))
    for user in checked.contributors:
        if user not in common.managers:
            session.add(CarnetMember(carnet_id=carnet.id, user_id=pk(user.id), role="contributor"))
    for axis in checked.axes:
        categories.add_axis(session, carnet, axis)
    _write_entries(session, carnet, checked.entries)
    carnet.updated_at = common.updated or utcnow()
    session.add(carnet)
    session.flush()
    return new


def _checked_entries(
    session: Session, rows: list[dict], known: dict[str, CarnetCategory], coming: Collection[str]
) -> list[dict]:
    """A carnet file's entries, every one checked (a carnet of a large import can hold tens of
    thousands: the notes are looked up in a few queries)."""
    existing = set(
        links.known_ids(session, [r["note"] for r in rows if isinstance(r.get("note"), str) and is_note_id(r["note"])])
    )
    entries: list[dict] = []
    listed: set[str] = set()
    for index, row in enumerate(rows):
        at = f"entry {index + 1}"
        note_id = row.get("note")
        if not (isinstance(note_id, str) and (note_id in existing or note_id in coming)):
            raise Invalid(f"{at}: unknown note {note_id!r}.", field="entries")
        names = row.get("categories") or []
        if isinstance(names, str):
            names = [names]
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise Invalid(f"{at}: 'categories' must be a list of names.", field="categories")
        categories.choose(known, names)  # a category not the carnet's is refused
        if note_id in listed:
            raise Invalid(f"{at}: the note {note_id} is listed twice.", field="entries")
        listed.add(note_id)
        added_by = fields.people(session, row.get("added_by"), at, "added_by", required=False)
        position = row.get("position", index)
        if not isinstance(position, int) or not 0 <= position <= 1_000_000:
            raise Invalid(f"{at}: 'position' must be a whole number from 0.", field="position")
        entries.append(
            {
                "note": note_id,
                "categories": names,
                "pinned": bool(row.get("pinned", False)),
                "position": position,
                "added_by": added_by[0] if added_by else None,
                "added_at": fields.when(row.get("added_at"), session, "added_at", at) or utcnow(),
            }
        )
    return entries


def _write_entries(session: Session, carnet: Carnet, checked: list[dict]) -> None:
    """Checked entries written in a few statements."""
    known = categories.by_key(session, carnet.id)
    entries = [
        row_of(
            CarnetEntry(
                carnet_id=carnet.id,
                note_id=e["note"],
                added_by_id=e["added_by"].id if e["added_by"] else None,
                added_at=e["added_at"],
                pinned=e["pinned"],
                position=e["position"],
            )
        )
        for e in checked
    ]
    filed = [
        {"carnet_id": carnet.id, "note_id": e["note"], "category_id": category.id}
        for e in checked
        for category in categories.choose(known, e["categories"])
    ]
    insert_rows(session, CarnetEntry, entries)
    insert_rows(session, EntryCategory, filed)


def carnet_file(session: Session, carnet: Carnet, note_ids: set[str]) -> tuple[dict, str]:
    """The front matter and body of a carnet's file, listing the memberships of `note_ids`."""
    tz = fields.timezone(session)
    members = session.exec(
        select(CarnetMember, User)
        .join(User, col(User.id) == CarnetMember.user_id)
        .where(CarnetMember.carnet_id == carnet.id)
        .order_by(User.username)
    ).all()
    people = {
        u.id: u
        for u in session.exec(
            select(User).where(
                col(User.id).in_(select(CarnetEntry.added_by_id).where(CarnetEntry.carnet_id == carnet.id))
            )
        )
    }
    entries = session.exec(
        select(CarnetEntry)
        .where(CarnetEntry.carnet_id == carnet.id)
        .order_by(col(CarnetEntry.position), col(CarnetEntry.added_at), col(CarnetEntry.note_id))
    ).all()
    filed = carnet_entries.categories_of(session, [carnet.id], [e.note_id for e in entries])
    meta: dict[str, Any] = {
        "id": carnet.id,
        "kind": "carnet",
        "title": carnet.title,
        "visibility": carnet.visibility,
        "sort": carnet.sort,
        "created": fields.iso(carnet.created_at, tz),
        "updated": fields.iso(carnet.updated_at, tz),
        "managers": [fields.person(u) for m, u in members if m.role == "manager"],
        "contributors": [fields.person(u) for m, u in members if m.role == "contributor"],
        "guide": carnet.guide,
        "axes": [
            {"name": axis.name, "categories": [c.name for c in cats]}
            for axis, cats in categories.axes_of(session, carnet.id)
        ],
        "entries": [
            {
                "note": e.note_id,
                "categories": filed.get((carnet.id, e.note_id), []),
                "pinned": e.pinned,
                "position": position,
                "added_by": fields.person(people[e.added_by_id]) if e.added_by_id in people else None,
                "added_at": fields.iso(e.added_at, tz),
            }
            # Numbered among the notes exported, so no gap tells of one left out.
            for position, e in enumerate(e for e in entries if e.note_id in note_ids)
        ],
    }
    if carnet.community_id:
        meta["community"] = carnet.community_id
    return meta, carnet.description


# --- bases -----------------------------------------------------------------------------------


def import_base(
    session: Session, meta: dict, body: str, where: str, coming: Collection[str] = (), *, write: bool = True
) -> bool:
    """Create or replace the base the file describes; its carnets must exist (`coming`: ids of
    carnets the same import writes before it). `write` false only checks the file."""
    common = _common(session, meta, body, where)
    carnet_ids = meta.get("carnets") or []
    if not isinstance(carnet_ids, list) or not all(
        isinstance(c, str) and is_note_id(c) and (c in coming or session.get(Carnet, c)) for c in carnet_ids
    ):
        raise Invalid(f"{where}: 'carnets' must list the ids of carnets of the import or the site.", field="carnets")
    if not write:
        return False
    base = session.get(KnowledgeBase, common.id)
    new = base is None
    if base is None:
        base = KnowledgeBase(id=common.id, title=common.title)
    else:
        for table in (BaseCarnet, BaseManager):
            session.execute(sa.delete(table).where(col(table.base_id) == base.id))
    base.title, base.description, base.visibility, base.community_id = (
        common.title,
        common.description,
        common.visibility,
        common.community_id,
    )
    base.created_at = common.created or base.created_at
    base.updated_at = common.updated or utcnow()
    session.add(base)
    session.flush()
    for user in common.managers:
        session.add(BaseManager(base_id=base.id, user_id=pk(user.id)))
    for position, carnet_id in enumerate(dict.fromkeys(carnet_ids)):
        # Gathered no later than the base's date, which the file gives (`bases.seen_updated_at`).
        session.add(BaseCarnet(base_id=base.id, carnet_id=carnet_id, position=position, added_at=base.updated_at))
    session.flush()
    return new


def base_file(session: Session, base: KnowledgeBase, actor: policy.Actor) -> tuple[dict, str]:
    tz = fields.timezone(session)
    managers = session.exec(
        select(User)
        .join(BaseManager, col(BaseManager.user_id) == User.id)
        .where(BaseManager.base_id == base.id)
        .order_by(User.username)
    ).all()
    carnet_ids = session.exec(
        select(Carnet.id)
        .join(BaseCarnet, col(BaseCarnet.carnet_id) == Carnet.id)
        .where(BaseCarnet.base_id == base.id, policy.visible_carnets(actor))
        .order_by(col(BaseCarnet.position), col(BaseCarnet.added_at))
    ).all()
    meta: dict[str, Any] = {
        "id": base.id,
        "kind": "base",
        "title": base.title,
        "visibility": base.visibility,
        "created": fields.iso(base.created_at, tz),
        "updated": fields.iso(base.updated_at, tz),
        "managers": [fields.person(u) for u in managers],
        "carnets": list(carnet_ids),
    }
    if base.community_id:
        meta["community"] = base.community_id
    return meta, base.description
