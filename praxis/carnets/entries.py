"""Who integrated a note into a carnet, when, and under which categories: read by the carnet's
page and by the note's page (which lists the carnets a note is in)."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

import sqlalchemy as sa
from sqlmodel import Session, col, select

from praxis import policy
from praxis.models import Carnet, CarnetAxis, CarnetCategory, CarnetEntry, EntryCategory, Note, User
from praxis.schemas import AuthorRead, CarnetRef, EntryRead
from praxis.urls import carnet_url, user_url


def _people(session: Session, user_ids: Sequence[int | None]) -> dict[int, AuthorRead]:
    ids = [i for i in set(user_ids) if i is not None]
    users = session.exec(select(User).where(col(User.id).in_(ids))).all() if ids else []
    return {
        u.id: AuthorRead(username=u.username, display_name=u.display_name, url=user_url(session, u.username))
        for u in users
        if u.id is not None
    }


def categories_of(
    session: Session, carnet_ids: Sequence[str], note_ids: Sequence[str]
) -> dict[tuple[str, str], list[str]]:
    """(carnet, note) -> category names, in the order of the carnet's lists."""
    rows = session.exec(
        select(EntryCategory.carnet_id, EntryCategory.note_id, CarnetCategory.name)
        .join(CarnetCategory, col(CarnetCategory.id) == EntryCategory.category_id)
        .join(CarnetAxis, col(CarnetAxis.id) == CarnetCategory.axis_id)
        .where(col(EntryCategory.carnet_id).in_(list(carnet_ids)), col(EntryCategory.note_id).in_(list(note_ids)))
        .order_by(col(CarnetAxis.position), col(CarnetAxis.id))
    ).all()
    out: dict[tuple[str, str], list[str]] = {}
    for carnet_id, note_id, name in rows:
        out.setdefault((carnet_id, note_id), []).append(name)
    return out


def visible_entries(session: Session, actor: policy.Actor, carnet_id: str) -> list[CarnetEntry]:
    """The memberships of the notes `actor` may see, in manual order."""
    return list(
        session.exec(
            select(CarnetEntry)
            .join(Note, col(Note.id) == CarnetEntry.note_id)
            .where(CarnetEntry.carnet_id == carnet_id, policy.visible_notes(actor))
            .order_by(col(CarnetEntry.position), col(CarnetEntry.added_at), col(CarnetEntry.note_id))
        )
    )


def entry_reads(
    session: Session, actor: policy.Actor, carnet_id: str, entries: Sequence[CarnetEntry]
) -> list[EntryRead]:
    """Memberships as `actor` reads them. A position is a rank among the notes the reader sees,
    so that it never tells how many hidden notes come before."""
    shown = list(
        session.exec(
            select(CarnetEntry.position)
            .join(Note, col(Note.id) == CarnetEntry.note_id)
            .where(CarnetEntry.carnet_id == carnet_id, policy.visible_notes(actor))
            .order_by(col(CarnetEntry.position))
        )
    )  # positions alone: a carnet of thousands of notes is not loaded as rows for one entry
    people = _people(session, [e.added_by_id for e in entries])
    filed = categories_of(session, [carnet_id], [e.note_id for e in entries])
    return [
        EntryRead(
            note_id=e.note_id,
            categories=filed.get((carnet_id, e.note_id), []),
            pinned=e.pinned,
            position=bisect_left(shown, e.position),
            added_by=people.get(e.added_by_id) if e.added_by_id is not None else None,
            added_at=e.added_at,
        )
        for e in entries
    ]


def carnets_of_note(session: Session, actor: policy.Actor, note_id: str) -> list[CarnetRef]:
    """The carnets a note is in that the actor may see, with who integrated it, when, and how
    it is filed there (the caller checked that the note may be read)."""
    rows = session.exec(
        select(CarnetEntry, Carnet.title)
        .join(Carnet, col(Carnet.id) == CarnetEntry.carnet_id)
        .where(CarnetEntry.note_id == note_id, policy.visible_carnets(actor))
        .order_by(Carnet.title, Carnet.id)
    ).all()
    people = _people(session, [e.added_by_id for e, _ in rows])
    filed = categories_of(session, [e.carnet_id for e, _ in rows], [note_id])
    refs = []
    for entry, title in rows:
        names = filed.get((entry.carnet_id, note_id), [])
        refs.append(
            CarnetRef(
                id=entry.carnet_id,
                title=title,
                url=carnet_url(session, entry.carnet_id),
                category=", ".join(names) or None,
                categories=names,
                added_by=people.get(entry.added_by_id) if entry.added_by_id is not None else None,
                added_at=entry.added_at,
            )
        )
    return refs


def ordered(session: Session, carnet_id: str) -> list[CarnetEntry]:
    """A carnet's memberships in manual order."""
    return list(
        session.exec(
            select(CarnetEntry)
            .where(CarnetEntry.carnet_id == carnet_id)
            .order_by(col(CarnetEntry.position), col(CarnetEntry.added_at), col(CarnetEntry.note_id))
        )
    )


def append_last(session: Session, carnet_id: str, note_id: str) -> None:
    """Give a membership just written the place after every other (one query, however large the
    carnet: the others keep their numbers, so an import filing thousands of notes stays linear)."""
    after = session.exec(
        select(sa.func.coalesce(sa.func.max(CarnetEntry.position), -1) + 1).where(
            CarnetEntry.carnet_id == carnet_id, CarnetEntry.note_id != note_id
        )
    ).one()
    entry = session.get(CarnetEntry, (carnet_id, note_id))
    assert entry is not None
    entry.position = after
    session.add(entry)
    session.flush()


def renumber(session: Session, carnet_id: str, rows: list[CarnetEntry] | None = None) -> None:
    """Number a carnet's memberships 0, 1, 2… in their order (`rows`: an order to apply)."""
    for index, entry in enumerate(ordered(session, carnet_id) if rows is None else rows):
        if entry.position != index:
            entry.position = index
            session.add(entry)
    session.flush()
