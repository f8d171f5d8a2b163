"""Integrating notes into carnets, filing them under categories, ordering and pinning them."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from praxis import policy
from praxis.carnets import browsing, carnets, categories, entries
from praxis.conversation import notifications
from praxis.errors import Conflict, Invalid, NotFound
from praxis.i18n import N_
from praxis.models import Carnet, CarnetCategory, CarnetEntry, EntryCategory, Note, User, utcnow
from praxis.notes import links
from praxis.notes import notes as note_service
from praxis.schemas import (
    EntryCreate,
    EntryItem,
    EntryRead,
    EntryUpdate,
    NoteCreate,
    NoteRead,
    RemovedEntry,
    is_note_id,
)


def _readable_note(session: Session, actor: policy.Actor, note_id: str) -> Note:
    """A note the curator may read; any other id is bad input, named on `note_id`."""
    note = (
        session.exec(select(Note).where(Note.id == note_id, policy.visible_notes(actor))).first()
        if is_note_id(note_id)
        else None
    )
    if note is None:
        raise Invalid(f"Unknown note: {note_id}.", field="note_id")
    return note


def _place(session: Session, actor: policy.Actor, carnet_id: str, note_id: str, rank: int | None) -> None:
    """Put a note at `rank` among the notes the actor sees (the end when None); the carnet's
    memberships are then numbered 0, 1, 2… without gaps."""
    if rank is None:
        entries.append_last(session, carnet_id, note_id)
        return
    rows = entries.ordered(session, carnet_id)
    moving = next(e for e in rows if e.note_id == note_id)
    rows.remove(moving)
    index = len(rows)
    if rank is not None:
        seen = {e.note_id for e in entries.visible_entries(session, actor, carnet_id)}
        visible_rows = [i for i, e in enumerate(rows) if e.note_id in seen]
        if rank < len(visible_rows):
            index = visible_rows[rank]
    rows.insert(index, moving)
    entries.renumber(session, carnet_id, rows)


def _touch_for_all(session: Session, carnet: Carnet, note_id: str) -> None:
    """A change to a note's membership moves the carnet's `updated_at` only when every reader of
    the carnet reads the note (a live public one): a reader learns nothing of a note they may not
    see. The others' integrations still show to those who read them (`carnets.seen_updated_at`)."""
    note = session.get(Note, note_id)
    if note is not None and note.deleted_at is None and note.visibility == "public":
        carnets.touch(session, carnet)


def _check_ordering(actor: policy.Actor, role: str | None, reorders: bool) -> None:
    if reorders:
        policy.ensure_can_order_carnet(actor, role)


def integrate(
    session: Session,
    actor: policy.Actor,
    carnet: Carnet,
    note: Note,
    names: list[str],
    *,
    pinned: bool = False,
    position: int | None = None,
    added_by: User | None = None,
    added_at: datetime | None = None,
) -> EntryRead:
    """Put a note in a carnet, filed under `names` (shared by the API, the forms and import)."""
    chosen = categories.resolve(session, carnet.id, names)
    if session.get(CarnetEntry, (carnet.id, note.id)) is not None:
        raise Conflict("This note is already in the carnet.", text=N_("Cette note est déjà dans ce carnet."))
    who = added_by if added_by is not None else actor
    entry = CarnetEntry(
        carnet_id=carnet.id,
        note_id=note.id,
        added_by_id=who.id if who is not None else None,
        added_at=added_at or utcnow(),
        pinned=pinned,
        position=0,
    )
    session.add(entry)
    session.flush()
    categories.file_entry(session, carnet.id, note.id, chosen)
    _place(session, actor, carnet.id, note.id, position)
    _touch_for_all(session, carnet, note.id)
    session.flush()
    return entries.entry_reads(session, actor, carnet.id, [entry])[0]


def add(*, session: Session, actor: policy.Actor, carnet_id: str, data: EntryCreate) -> EntryRead:
    """ "Intégrer une note existante": any note the curator may read, by a contributor or manager."""
    carnet, role = carnets.load_contributable(session, actor, carnet_id)
    _check_ordering(actor, role, bool(data.pinned) or data.position is not None)
    note = _readable_note(session, actor, data.note_id)
    entry = integrate(session, actor, carnet, note, data.categories, pinned=bool(data.pinned), position=data.position)
    notifications.notify(
        session,
        note_service.list_author_ids(session, note.id),
        "carnet_entry",
        actor=actor,
        note_id=note.id,
        carnet_id=carnet.id,
    )
    return entry


def _entry(session: Session, actor: policy.Actor, carnet: Carnet, note_id: str) -> CarnetEntry:
    """The membership of a note the actor may see; NotFound otherwise."""
    entry = session.get(CarnetEntry, (carnet.id, note_id)) if is_note_id(note_id) else None
    if entry is None or not links.visible_ids(session, actor, [note_id]):
        raise NotFound("This note is not in the carnet.")
    return entry


def update(*, session: Session, actor: policy.Actor, carnet_id: str, note_id: str, data: EntryUpdate) -> EntryRead:
    """File a note under other categories (contributors), move or pin it (managers)."""
    carnet, role = carnets.load_contributable(session, actor, carnet_id)
    entry = _entry(session, actor, carnet, note_id)
    _check_ordering(actor, role, (data.pinned is not None and data.pinned != entry.pinned) or data.position is not None)
    if data.categories is not None:
        categories.file_entry(
            session, carnet.id, entry.note_id, categories.resolve(session, carnet.id, data.categories)
        )
    if data.pinned is not None:
        entry.pinned = data.pinned
        session.add(entry)
    if data.position is not None:
        _place(session, actor, carnet.id, entry.note_id, data.position)
    _touch_for_all(session, carnet, entry.note_id)
    session.flush()
    return entries.entry_reads(session, actor, carnet.id, [entry])[0]


def remove(*, session: Session, actor: policy.Actor, carnet_id: str, note_id: str) -> RemovedEntry:
    """Take a note out of a carnet (the note itself stays). Answers with the membership as it
    was, which `put_back` restores."""
    carnet, role = carnets.load_readable(session, actor, carnet_id, for_update=True)
    policy.ensure_can_contribute_to_carnet(
        actor, role, "Only the carnet's managers and contributors can take notes out of it."
    )
    entry = _entry(session, actor, carnet, note_id)
    policy.ensure_can_remove_entry(actor, role, entry.added_by_id)
    note = session.get(Note, entry.note_id)
    removed = RemovedEntry(
        note_id=entry.note_id,
        title=note.title if note is not None else "",
        category_ids=list(
            session.exec(
                select(EntryCategory.category_id).where(
                    EntryCategory.carnet_id == carnet.id, EntryCategory.note_id == entry.note_id
                )
            )
        ),
        index=[e.note_id for e in entries.ordered(session, carnet.id)].index(entry.note_id),
        pinned=entry.pinned,
        added_by_id=entry.added_by_id,
        added_at=entry.added_at,
    )
    session.delete(entry)
    session.flush()
    entries.renumber(session, carnet.id)
    _touch_for_all(session, carnet, note_id)
    session.flush()
    return removed


def put_back(*, session: Session, actor: policy.Actor, carnet_id: str, removed: RemovedEntry | None) -> EntryRead:
    """ "Annuler" after `remove`: the note back in the carnet exactly as it was (its categories
    that still exist, its place, its pin, who integrated it and when), by whoever may take it
    out, which is who may put it back as it was. `removed` is what `remove` answered to this
    person, or None when what was sent is not that (too old, forged, another's): refused, after
    the carnet's own refusals (404 to those who may not see it, 403 to those who may not file)."""
    carnet, role = carnets.load_contributable(session, actor, carnet_id)
    if removed is None:
        raise Invalid(
            "This removal can no longer be undone: add the note to the carnet again.",
            text=N_("Il est trop tard pour annuler : ajoutez de nouveau la note au carnet."),
        )
    policy.ensure_can_remove_entry(actor, role, removed.added_by_id)
    note = _readable_note(session, actor, removed.note_id)
    kept = session.exec(
        select(CarnetCategory).where(
            CarnetCategory.carnet_id == carnet.id, col(CarnetCategory.id).in_(removed.category_ids)
        )
    ).all()
    added_by = session.get(User, removed.added_by_id) if removed.added_by_id is not None else None
    integrate(
        session,
        actor,
        carnet,
        note,
        [c.name for c in kept],
        pinned=removed.pinned,
        added_by=added_by,
        added_at=removed.added_at,
    )
    entry = session.get(CarnetEntry, (carnet.id, note.id))
    assert entry is not None
    entry.added_by_id = added_by.id if added_by is not None else None  # as it was, even nobody
    rows = entries.ordered(session, carnet.id)
    rows.remove(entry)
    rows.insert(min(removed.index, len(rows)), entry)
    entries.renumber(session, carnet.id, rows)
    return entries.entry_reads(session, actor, carnet.id, [entry])[0]


def move(*, session: Session, actor: policy.Actor, carnet_id: str, note_id: str, step: int) -> None:
    """One place up (-1) or down (+1) among the notes the manager sees: the keyboard's way to order."""
    carnet, role = carnets.load_managed(session, actor, carnet_id)
    entry = _entry(session, actor, carnet, note_id)
    visible = entries.visible_entries(session, actor, carnet.id)
    others = [e for e in visible if e.note_id != entry.note_id]
    peers = [e for e in visible if e.pinned == entry.pinned]  # pinned notes move among pinned ones
    index = next(i for i, e in enumerate(peers) if e.note_id == entry.note_id)
    if 0 <= index + step < len(peers):
        rank = others.index(peers[index + step]) + (1 if step > 0 else 0)
        _place(session, actor, carnet.id, entry.note_id, rank)
        _touch_for_all(session, carnet, entry.note_id)
        session.flush()


def create_note(*, session: Session, actor: policy.Actor, data: NoteCreate) -> NoteRead:
    """Create a note, its creator one of its authors: the one way a note is created (the API, the
    form and the tests). With `data.carnet`, "Créer une note dans le carnet": the writer must
    contribute to the carnet, and the note is filed under `data.categories` there."""
    carnet = None
    if data.carnet is None:
        if data.categories:
            raise Invalid("Categories belong to a carnet: name the carnet too.", field="categories")
    else:
        policy.require_signed_in(actor, "Sign in to write a note.")
        try:
            carnet, _ = carnets.load_contributable(session, actor, data.carnet)
        except NotFound:
            raise Invalid(f"Unknown carnet: {data.carnet}.", field="carnet") from None
        categories.resolve(session, carnet.id, data.categories or [])  # a wrong category refuses the note too
    note = note_service.write_new_note(session=session, actor=actor, data=data)
    if carnet is not None:
        integrate(session, actor, carnet, note, data.categories or [])
    return note_service.read_note(session=session, actor=actor, note=note)


def entry_item(*, session: Session, actor: policy.Actor, carnet_id: str, note_id: str) -> EntryItem:
    """One note's membership of a carnet, with the note as lists show it."""
    carnet, role = carnets.load_readable(session, actor, carnet_id)
    entry = _entry(session, actor, carnet, note_id)
    note = session.get(Note, entry.note_id)
    assert note is not None
    return browsing.entry_items(session, actor, carnet.id, role, [(entry, note)])[0]
