"""What a note is made of as written: its state, the rows that hold it, and writing them."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, select

from praxis import policy
from praxis.db import insert_rows, row_of
from praxis.errors import Invalid, NotFound, StaleEdit
from praxis.markdown import Rendered, fold, render, slugify
from praxis.models import (
    Note,
    NoteAuthor,
    NoteLabel,
    NoteLink,
    NoteReader,
    Revision,
    User,
    pk,
    utcnow,
)
from praxis.notes import links
from praxis.notes.reading import read_note
from praxis.people import invitations
from praxis.schemas import (
    DETAIL_FIELDS,
    KIND_DETAILS,
)


def new_id() -> str:
    """A short, random, URL-safe id (72 bits)."""
    return secrets.token_urlsafe(9)


def kind_details(kind: str, values: dict[str, Any], *, strict: bool) -> dict[str, Any]:
    """The details that belong to `kind`; with `strict`, a detail of another kind is a 422."""
    own = KIND_DETAILS[kind]
    if strict:
        for name in DETAIL_FIELDS:
            if values.get(name) not in (None, [], "") and name not in own:
                raise Invalid(f"'{name}' belongs to another kind of note than '{kind}'.", field=name)
    return {name: values[name] for name in own if values.get(name) not in (None, [], "")}


@dataclass
class NoteState:
    """Everything a revision records about a note."""

    title: str
    body: str
    kind: str
    visibility: str
    licence: str
    published_at: datetime | None
    authors: list[User]
    links: list[str]  # explicit links, by id
    community_id: str | None = None
    readers: list[User] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)  # the kind's own fields, unset ones left out
    aliases: list[str] = field(default_factory=list)  # other names it answers to
    keywords: list[str] = field(default_factory=list)
    properties: dict[str, Any] = field(default_factory=dict)  # other front-matter keys an import kept

    def meta(self) -> dict:
        # Aliases, keywords and properties only when set: revisions written before them compare equal.
        labels = {
            name: value
            for name, value in (
                ("aliases", self.aliases),
                ("keywords", self.keywords),
                ("properties", self.properties),
            )
            if value
        }
        return {
            **self.details,
            **labels,
            "kind": self.kind,
            "visibility": self.visibility,
            "community": self.community_id,
            "readers": [u.username for u in self.readers],
            "licence": self.licence,
            "published_at": self.published_at.isoformat() if self.published_at else None,
            "authors": [u.username for u in self.authors],
            "links": list(self.links),
        }


def _detail_columns(state: NoteState) -> dict[str, Any]:
    return {
        **{name: state.details.get(name) for name in DETAIL_FIELDS},
        "aliases": state.aliases or None,
        "keywords": state.keywords or None,
        "properties": state.properties or None,
    }


def label_rows(note_id: str, state: NoteState) -> list[dict[str, Any]]:
    """The `note_label` rows of a note: its aliases and keywords, folded, once each."""
    rows: list[dict[str, Any]] = []
    for kind, values in (("alias", state.aliases), ("keyword", state.keywords)):
        keys = dict.fromkeys(fold(value)[:300] for value in values)
        rows += [{"note_id": note_id, "kind": kind, "key": key} for key in keys if key]
    return rows


def _write_labels(session: Session, note_id: str, state: NoteState) -> None:
    session.execute(sa.delete(NoteLabel).where(col(NoteLabel.note_id) == note_id))
    insert_rows(session, NoteLabel, label_rows(note_id, state))


def _write_people(session: Session, note_id: str, state: NoteState) -> None:
    session.execute(sa.delete(NoteAuthor).where(col(NoteAuthor.note_id) == note_id))
    for position, user in enumerate(state.authors):
        session.add(NoteAuthor(note_id=note_id, user_id=pk(user.id), position=position))
    session.execute(sa.delete(NoteReader).where(col(NoteReader.note_id) == note_id))
    for user in state.readers:
        session.add(NoteReader(note_id=note_id, user_id=pk(user.id)))


@dataclass
class EarlierRevision:
    """A revision a new note had before its current state, elsewhere (an import bringing a
    wiki page's history): numbered from 1, oldest first, before the current state's."""

    title: str
    body: str
    created_at: datetime
    meta: dict[str, Any]  # the NoteState.meta() of the note as it was then
    editor: User | None = None
    summary: str | None = None


@dataclass
class NewNote:
    """A note to write with its revisions (see `insert_notes`): its `earlier` ones, if any, then
    its current `state`, written by `editor` (else the actor)."""

    state: NoteState
    id: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    summary: str | None = None
    earlier: list[EarlierRevision] = field(default_factory=list)
    editor: User | None = None


def insert_notes(
    *, session: Session, actor: policy.Actor, notes: Sequence[NewNote], link_later: bool = False
) -> list[str]:
    """Write new notes with their revisions (their current state, after the `earlier` ones an
    import brings), in a few statements however many there are (the one way notes are written:
    `write_new_note` for the API, the forms and the tests, and import), and return their ids.

    `link_later`: their renderings, links and indexing wait for `links.link_new_notes` (import
    writes every note first, then links them all, batch by batch, each batch committed: one
    rendering each). Notes written together do not resolve each other's [[titles]] otherwise."""
    now = utcnow()
    blank = render("")
    rendered = [blank] * len(notes) if link_later else links.render_all(session, [new.state.body for new in notes])
    earlier_bodies = [old.body for new in notes for old in new.earlier]
    earlier_html = iter(
        [blank.html] * len(earlier_bodies)
        if link_later
        else [done.html for done in links.render_all(session, earlier_bodies)]
        if earlier_bodies
        else []
    )
    rows: dict[type[SQLModel], list[dict[str, Any]]] = {
        Note: [],
        NoteAuthor: [],
        NoteReader: [],
        NoteLabel: [],
        NoteLink: [],
        Revision: [],
    }
    for new, done in zip(notes, rendered, strict=True):
        state = new.state
        updated_at = new.updated_at or new.created_at or now
        note = Note(
            id=new.id or new_id(),
            kind=state.kind,
            title=state.title,
            title_key=fold(state.title)[:300],
            slug=slugify(state.title) or "note",
            body=state.body,
            html=done.html,
            visibility=state.visibility,
            community_id=state.community_id,
            licence=state.licence,
            **_detail_columns(state),
            revision=len(new.earlier) + 1,
            created_at=new.created_at or now,
            published_at=state.published_at,
            updated_at=updated_at,
            created_by_id=actor.id if actor else None,
        )
        rows[Note].append(row_of(note))
        rows[NoteAuthor] += [{"note_id": note.id, "user_id": u.id, "position": i} for i, u in enumerate(state.authors)]
        rows[NoteReader] += [{"note_id": note.id, "user_id": u.id} for u in state.readers]
        rows[NoteLabel] += label_rows(note.id, state)
        rows[NoteLink] += links.link_rows(note.id, state.links, done)
        rows[Revision] += [
            row_of(
                Revision(
                    note_id=note.id,
                    number=number,
                    editor_id=old.editor.id if old.editor else actor.id if actor else None,
                    created_at=old.created_at,
                    summary=old.summary,
                    title=old.title,
                    body=old.body,
                    html=next(earlier_html),
                    meta=old.meta,
                )
            )
            for number, old in enumerate(new.earlier, 1)
        ]
        editor = new.editor or actor
        rows[Revision].append(
            row_of(
                Revision(
                    note_id=note.id,
                    number=note.revision,
                    editor_id=editor.id if editor else None,
                    created_at=updated_at,
                    summary=new.summary,
                    title=note.title,
                    body=note.body,
                    html=note.html,
                    meta=state.meta(),
                )
            )
        )
    for model, values in rows.items():  # the note first, then what refers to it
        # Linked later, they are queued for the index as `link_new_notes` renders them (an import
        # commits its notes before it links them: indexed before, they would be found by nothing).
        insert_rows(session, model, values, indexed_later=link_later)
    ids = [row["id"] for row in rows[Note]]
    if not link_later:
        links.adopt_dangling_links(session, ids)
    return ids


def current_state(session: Session, note: Note, author_ids: list[int]) -> NoteState:
    return current_states(session, [note], {note.id: author_ids})[0]


def current_states(
    session: Session, notes: Sequence[Note], author_ids: dict[str, list[int]] | None = None
) -> list[NoteState]:
    """Each note's current state, in a few queries however many notes (`author_ids`: each
    note's authors in order, when the caller has them)."""
    ids = [note.id for note in notes]
    if author_ids is None:
        author_ids = _by_note(
            session.exec(
                select(NoteAuthor.note_id, NoteAuthor.user_id)
                .where(col(NoteAuthor.note_id).in_(ids))
                .order_by(col(NoteAuthor.position))
            )
        )
    wanted = [i for chosen in author_ids.values() for i in chosen]
    users = {u.id: u for u in session.exec(select(User).where(col(User.id).in_(wanted)))}
    explicit = _by_note(
        session.exec(
            select(NoteLink.source_id, NoteLink.target_id)
            .where(
                col(NoteLink.source_id).in_(ids), NoteLink.origin == "explicit", col(NoteLink.target_id).is_not(None)
            )
            .order_by(col(NoteLink.id))
        )
    )
    readers = _by_note(
        session.exec(
            select(NoteReader.note_id, User)
            .join(User, col(User.id) == NoteReader.user_id)
            .where(col(NoteReader.note_id).in_(ids))
            .order_by(User.username)
        )
    )
    return [
        NoteState(
            title=note.title,
            body=note.body,
            kind=note.kind,
            visibility=note.visibility,
            licence=note.licence,
            published_at=note.published_at,
            authors=[users[i] for i in author_ids.get(note.id, [])],
            links=explicit.get(note.id, []),
            community_id=note.community_id,
            readers=readers.get(note.id, []),
            details=kind_details(note.kind, {name: getattr(note, name) for name in DETAIL_FIELDS}, strict=False),
            aliases=list(note.aliases or []),
            keywords=list(note.keywords or []),
            properties=dict(note.properties or {}),
        )
        for note in notes
    ]


def _by_note(rows: Any) -> dict[str, list[Any]]:
    """(note id, value) rows as each note's values, in the rows' order."""
    grouped: dict[str, list[Any]] = {}
    for note_id, value in rows:
        grouped.setdefault(note_id, []).append(value)
    return grouped


def apply_state(
    *,
    session: Session,
    actor: policy.Actor,
    note: Note,
    base_revision: int,
    old: NoteState,
    new: NoteState,
    summary: str | None,
    updated_at: datetime | None = None,
    rendered: Rendered | None = None,
    invite: invitations.Invite | None = None,
) -> Note:
    """Write `new` as revision base_revision+1, or raise StaleEdit if the note moved on meanwhile
    (`rendered`: its body rendered beforehand in this write, or checked by `_still_rendered`),
    then send `invite` (even when nothing else changed); the invitations that no longer stand
    are withdrawn once, when the authors change or invitations are sent."""
    if old == new:
        _invite(session, actor, note.id, invite)
        return note
    rendered = rendered or render(new.body, links.resolver(session, source=note.id))
    now = updated_at or utcnow()
    number = base_revision + 1
    # The revision check and the write are one statement, so two racing saves cannot both win.
    # An UPDATE answers with a cursor result, which counts the rows it changed.
    result = cast(
        sa.CursorResult[Any],
        session.execute(
            sa.update(Note)
            .where(col(Note.id) == note.id, col(Note.revision) == base_revision, col(Note.deleted_at).is_(None))
            .values(
                kind=new.kind,
                title=new.title,
                title_key=fold(new.title)[:300],
                slug=slugify(new.title) or "note",
                body=new.body,
                html=rendered.html,
                visibility=new.visibility,
                community_id=new.community_id,
                licence=new.licence,
                published_at=new.published_at,
                updated_at=now,
                revision=number,
                **_detail_columns(new),
            )
            .execution_options(synchronize_session=False)
        ),
    )
    if result.rowcount != 1:
        # Someone else saved (or deleted) the note since it was read: report what is there now.
        session.refresh(note)
        if note.deleted_at is not None or not policy.can_read_note(session, actor, note):
            raise NotFound("No such note.")  # the winner may have hidden it from this writer
        raise StaleEdit(
            f"This note is at revision {note.revision}; your change was made from revision {base_revision}.",
            current_revision=note.revision,
            current=read_note(session=session, actor=actor, note=note).model_dump(mode="json"),
        )
    _write_people(session, note.id, new)
    if (old.aliases, old.keywords) != (new.aliases, new.keywords):
        _write_labels(session, note.id, new)
    links.write_links(session, note.id, new.links, rendered)
    session.add(
        Revision(
            note_id=note.id,
            number=number,
            editor_id=actor.id if actor else None,
            created_at=now,
            summary=summary,
            title=new.title,
            body=new.body,
            html=rendered.html,
            meta=new.meta(),
        )
    )
    session.flush()
    session.refresh(note)
    if fold(old.title) != fold(new.title) or old.aliases != new.aliases:
        links.adopt_dangling_links(session, [note.id])
    if invite is not None:
        _invite(session, actor, note.id, invite)  # which withdraws the invitations that no longer stand
    elif old.authors != new.authors:
        invitations.withdraw_stale(session, note.id)  # those who left no longer invite anyone
    return note


def _invite(session: Session, actor: policy.Actor, note_id: str, invite: invitations.Invite | None) -> None:
    if invite is not None:
        invitations.invite(
            session,
            actor,
            note_id,
            invite.people,
            withdraw_others=invite.withdraw_others,
            skip_declined=invite.skip_declined,
        )
