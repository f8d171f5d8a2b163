"""Where a note stands for its page: the carnet it is read from, the base above it, the
carnets' note counts, and the notes before and after it in the carnet the reader came from."""

from __future__ import annotations

from sqlmodel import Session, col, select

from praxis import policy
from praxis.carnets.browsing import ENTRY_ORDER, count_visible
from praxis.models import BaseCarnet, Carnet, CarnetEntry, KnowledgeBase, Note
from praxis.schemas import NoteNeighbour, NotePlace, NoteRead, is_note_id
from praxis.urls import base_url, note_url


def place_of(
    *,
    session: Session,
    actor: policy.Actor,
    note: NoteRead,
    carnet_id: str | None,
    base_id: str | None,
    sort: str | None = None,
) -> NotePlace:
    """The place of a note the actor reads. `carnet_id` and `base_id` say where the reader came
    from: a carnet they may not see, or that does not hold the note, is ignored exactly as if
    none were given, and so is a base they may not see or that does not hold that carnet. `sort`
    is the order the reader browsed the carnet in: one of `ENTRY_ORDER` other than the carnet's
    own, else ignored (the carnet's own order)."""
    counts = count_visible(session, actor, [c.id for c in note.carnets]) if note.carnets else {}
    chosen = next((c for c in note.carnets if c.id == carnet_id), None) if carnet_id else None
    if chosen is None:
        return NotePlace(carnet=note.carnets[0] if note.carnets else None, counts=counts)
    base = None
    if base_id and is_note_id(base_id):
        found = session.exec(
            select(KnowledgeBase.id, KnowledgeBase.title)
            .join(BaseCarnet, col(BaseCarnet.base_id) == KnowledgeBase.id)
            .where(KnowledgeBase.id == base_id, BaseCarnet.carnet_id == chosen.id, policy.visible_bases(actor))
        ).first()
        if found is not None:
            base = NoteNeighbour(id=found[0], title=found[1], url=base_url(session, found[0]))
    own = session.exec(select(Carnet.sort).where(Carnet.id == chosen.id)).one()
    chosen_sort = sort if sort in ENTRY_ORDER and sort != own else None
    previous, following = _neighbours(session, actor, chosen.id, note.id, chosen_sort or own)
    return NotePlace(
        carnet=chosen,
        base=base,
        came_from_carnet=True,
        sort=chosen_sort,
        counts=counts,
        previous=previous,
        next=following,
    )


def _neighbours(
    session: Session, actor: policy.Actor, carnet_id: str, note_id: str, sort: str
) -> tuple[NoteNeighbour | None, NoteNeighbour | None]:
    """The visible notes just before and after `note_id` in the carnet, in the order `sort`."""
    rows = session.exec(
        select(Note.id, Note.title)
        .join(CarnetEntry, col(CarnetEntry.note_id) == Note.id)
        .where(CarnetEntry.carnet_id == carnet_id, policy.visible_notes(actor))
        .order_by(col(CarnetEntry.pinned).desc(), *ENTRY_ORDER.get(sort, ENTRY_ORDER["manual"]), Note.id)
    ).all()
    ids = [r[0] for r in rows]
    if note_id not in ids:
        return None, None
    at = ids.index(note_id)

    def neighbour(index: int) -> NoteNeighbour | None:
        if not 0 <= index < len(rows):
            return None
        return NoteNeighbour(id=rows[index][0], title=rows[index][1], url=note_url(session, rows[index][0]))

    return neighbour(at - 1), neighbour(at + 1)
