"""What the search index holds for a note, read from the database (the source of truth)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from praxis import policy
from praxis.markdown import plain_text
from praxis.models import Carnet, CarnetEntry, Note, NoteAuthor, NoteLink, NoteReader, Revision, User, pk

# Only what every reader of a note may see goes into its text: the titles of public linked
# organisations and terms, the titles of public carnets it is in.
LINKED_KINDS = ("organisation", "term")


@dataclass(frozen=True)
class SearchDoc:
    id: str
    kind: str
    title: str
    body: str  # plain text
    extra: str  # authors, linked organisations and terms, carnets
    authors: tuple[str, ...]  # usernames
    carnets: tuple[str, ...]  # ids of every carnet it is in (the facet shows only those the reader sees)
    grants: tuple[str, ...]
    date: datetime

    @property
    def year(self) -> int:
        return self.date.year


def _body(note: Note) -> str:
    """The words a reader sees on the note's page: its text, a term's definition and synonyms or
    an organisation's description, and its other names and keywords."""
    parts = [
        plain_text(note.html),
        note.definition or "",
        note.description or "",
        " ".join(note.synonyms or []),
        " ".join(note.aliases or []),
        " ".join(note.keywords or []),
    ]
    return " ".join(p for p in parts if p)


def with_dependents(session: Session, note_ids: set[str]) -> set[str]:
    """The notes, plus the notes linking to those of them that are, or were until their last
    revision, organisations or terms (their titles are part of the linking notes' documents)."""
    if not note_ids:
        return note_ids
    notes = session.exec(select(Note.id, Note.kind, Note.revision).where(col(Note.id).in_(note_ids))).all()
    targets = {i for i, kind, _ in notes if kind in LINKED_KINDS}
    previous = sa.tuple_(Revision.note_id, Revision.number).in_(
        [(i, r - 1) for i, kind, r in notes if kind not in LINKED_KINDS and r > 1]
    )
    targets |= {
        i
        for i, meta in session.exec(select(Revision.note_id, Revision.meta).where(previous))
        if (meta or {}).get("kind") in LINKED_KINDS
    }
    if not targets:
        return note_ids
    sources = session.exec(select(NoteLink.source_id).where(col(NoteLink.target_id).in_(targets)).distinct()).all()
    return note_ids | set(sources)


def load(session: Session, note_ids: Iterable[str]) -> tuple[list[SearchDoc], set[str]]:
    """The documents of the live notes among `note_ids`, and the ids that must leave the index."""
    wanted = set(note_ids)
    notes = list(session.exec(select(Note).where(col(Note.id).in_(wanted), col(Note.deleted_at).is_(None))))
    ids = [n.id for n in notes]
    authors: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for note_id, uid, username, name in session.exec(
        select(NoteAuthor.note_id, User.id, User.username, User.display_name)
        .join(User, col(User.id) == NoteAuthor.user_id)
        .where(col(NoteAuthor.note_id).in_(ids))
        .order_by(col(NoteAuthor.note_id), col(NoteAuthor.position))
    ):
        authors[note_id].append((pk(uid), username, name))
    readers: dict[str, list[int]] = defaultdict(list)
    for note_id, uid in session.exec(
        select(NoteReader.note_id, NoteReader.user_id).where(col(NoteReader.note_id).in_(ids))
    ):
        readers[note_id].append(uid)
    linked: dict[str, list[str]] = defaultdict(list)
    target = sa.orm.aliased(Note)
    for note_id, title in session.exec(
        select(NoteLink.source_id, target.title)
        .join(target, col(target.id) == NoteLink.target_id)
        .where(
            col(NoteLink.source_id).in_(ids),
            col(target.kind).in_(LINKED_KINDS),
            col(target.visibility) == "public",
            col(target.deleted_at).is_(None),
        )
    ):
        linked[note_id].append(title)
    carnets: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for note_id, carnet_id, title, visibility in session.exec(
        select(CarnetEntry.note_id, Carnet.id, Carnet.title, Carnet.visibility)
        .join(Carnet, col(Carnet.id) == CarnetEntry.carnet_id)
        .where(col(CarnetEntry.note_id).in_(ids))
    ):
        carnets[note_id].append((carnet_id, title, visibility))
    docs = []
    for note in notes:
        people = authors[note.id]
        extra = [name for _, _, name in people] + [u for _, u, _ in people] + sorted(set(linked[note.id]))
        extra += [title for _, title, visibility in carnets[note.id] if visibility == "public"]
        docs.append(
            SearchDoc(
                id=note.id,
                kind=note.kind,
                title=note.title,
                body=_body(note),
                extra=" · ".join(extra),
                authors=tuple(u for _, u, _ in people),
                carnets=tuple(sorted(c for c, _, _ in carnets[note.id])),
                grants=tuple(
                    policy.note_grants(
                        note.visibility, note.community_id, [uid for uid, _, _ in people], readers[note.id]
                    )
                ),
                date=note.published_at or note.created_at,
            )
        )
    return docs, wanted - set(ids)


def live_ids(session: Session, batch: int = 500) -> Iterator[list[str]]:
    """Every live note id, in batches, for a full rebuild."""
    last = ""
    while True:
        ids = list(
            session.exec(
                select(Note.id)
                .where(col(Note.deleted_at).is_(None), col(Note.id) > last)
                .order_by(col(Note.id))
                .limit(batch)
            )
        )
        if not ids:
            return
        yield ids
        last = ids[-1]


def count_live(session: Session) -> int:
    return session.exec(select(sa.func.count()).select_from(Note).where(col(Note.deleted_at).is_(None))).one()
