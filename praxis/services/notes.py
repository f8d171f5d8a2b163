"""Notes: create, read, list, update, delete. Every change writes a numbered revision."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlmodel import Session, SQLModel, col, select

from praxis import policy
from praxis.db import begin_writes, end_writes, insert_rows, row_of
from praxis.errors import Invalid, NotFound, StaleEdit
from praxis.i18n import N_
from praxis.markdown import Rendered, excerpt, fold, render, slugify
from praxis.models import (
    BaseCarnet,
    Carnet,
    CarnetEntry,
    Comment,
    KnowledgeBase,
    Note,
    NoteAuthor,
    NoteLink,
    NoteReader,
    Revision,
    User,
    pk,
    utcnow,
)
from praxis.schemas import (
    DETAIL_FIELDS,
    KIND_DETAILS,
    AuthorRead,
    LicenceRead,
    NoteCreate,
    NoteEditing,
    NotePage,
    NoteQuery,
    NoteRead,
    NoteSummary,
    NoteUpdate,
    is_note_id,
)
from praxis.services import accounts, communities, invitations, links, memberships
from praxis.services.urls import note_url, user_url
from praxis.vocab import LICENCES


def new_id() -> str:
    """A short, random, URL-safe id (72 bits)."""
    return secrets.token_urlsafe(9)


# --- loading and permissions -----------------------------------------------------------------


def list_author_ids(session: Session, note_id: str) -> list[int]:
    rows = session.exec(
        select(NoteAuthor.user_id).where(NoteAuthor.note_id == note_id).order_by(col(NoteAuthor.position))
    )
    return list(rows)


def load_readable(session: Session, actor: policy.Actor, note_id: str) -> tuple[Note, list[int]]:
    """The note and its author ids, or NotFound when it does not exist or may not be seen."""
    note = session.get(Note, note_id) if is_note_id(note_id) else None
    if note is None:
        raise NotFound("No such note.")
    if not policy.can_read_note(session, actor, note):
        raise NotFound("No such note.")
    return note, list_author_ids(session, note_id)


def load_editable(session: Session, actor: policy.Actor, note_id: str) -> tuple[Note, list[int]]:
    note, author_ids = load_readable(session, actor, note_id)
    policy.ensure_can_edit_note(actor, note, set(author_ids))
    return note, author_ids


# --- building what is written ----------------------------------------------------------------


def users_by_username(session: Session, usernames: Sequence[str], field: str = "authors") -> list[User]:
    """The users named, in order and without repeats; 422 on `field` for an unknown one."""
    users = {u.username: u for u in session.exec(select(User).where(col(User.username).in_(list(usernames))))}
    missing = [u for u in usernames if u not in users]
    if missing:
        raise Invalid(
            f"Unknown user in {field}: {', '.join(missing)}.",
            field=field,
            text=N_("Personne ne porte ce nom d'utilisateur : %(names)s."),
            params={"names": ", ".join(missing)},
        )
    seen: list[User] = []
    for name in usernames:
        if users[name] not in seen:
            seen.append(users[name])
    return seen


def check_access(
    session: Session, actor: policy.Actor, visibility: str, community_id: str | None, old: NoteState | None = None
) -> None:
    """A community note needs a community that the writer may link it to (see `communities.check_link`)."""
    communities.check_link(
        session,
        actor,
        visibility,
        community_id,
        old=(old.visibility, old.community_id) if old is not None else None,
    )


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

    def meta(self) -> dict:
        return {
            **self.details,
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
    return {name: state.details.get(name) for name in DETAIL_FIELDS}


def _write_people(session: Session, note_id: str, state: NoteState) -> None:
    session.execute(sa.delete(NoteAuthor).where(col(NoteAuthor.note_id) == note_id))
    for position, user in enumerate(state.authors):
        session.add(NoteAuthor(note_id=note_id, user_id=pk(user.id), position=position))
    session.execute(sa.delete(NoteReader).where(col(NoteReader.note_id) == note_id))
    for user in state.readers:
        session.add(NoteReader(note_id=note_id, user_id=pk(user.id)))


@dataclass
class NewNote:
    """A note to write with its first revision (see `insert_notes`)."""

    state: NoteState
    id: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    summary: str | None = None


def insert_notes(
    *, session: Session, actor: policy.Actor, notes: Sequence[NewNote], link_later: bool = False
) -> list[str]:
    """Write new notes with their first revisions, in a few statements however many there are
    (the one way notes are written: `write_new_note` for the API, the forms and the tests, and
    import), and return their ids.

    `link_later`: their renderings, links and indexing wait for `links.link_new_notes` (import
    writes every note first, then links them all, batch by batch, each batch committed: one
    rendering each). Notes written together do not resolve each other's [[titles]] otherwise."""
    now = utcnow()
    blank = render("")
    rendered = [blank] * len(notes) if link_later else links.render_all(session, [new.state.body for new in notes])
    rows: dict[type[SQLModel], list[dict[str, Any]]] = {
        Note: [],
        NoteAuthor: [],
        NoteReader: [],
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
            revision=1,
            created_at=new.created_at or now,
            published_at=state.published_at,
            updated_at=updated_at,
            created_by_id=actor.id if actor else None,
        )
        rows[Note].append(row_of(note))
        rows[NoteAuthor] += [{"note_id": note.id, "user_id": u.id, "position": i} for i, u in enumerate(state.authors)]
        rows[NoteReader] += [{"note_id": note.id, "user_id": u.id} for u in state.readers]
        rows[NoteLink] += links.link_rows(note.id, state.links, done)
        rows[Revision].append(
            row_of(
                Revision(
                    note_id=note.id,
                    number=1,
                    editor_id=actor.id if actor else None,
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


def write_new_note(*, session: Session, actor: policy.Actor, data: NoteCreate) -> Note:
    """The note `data` describes, checked and written with its first revision, the people it
    names as co-authors invited: the note's part of `filing.create_note`, the one door by which
    a note is created (the API, the form and the tests alike)."""
    actor = policy.require_signed_in(actor, "Sign in to write a note.")
    check_access(session, actor, data.visibility, data.community)
    # People with an account other than the creator are invited, and become authors by accepting.
    authors, invited = invitations.split(actor, users_by_username(session, data.authors) if data.authors else [], set())
    if actor.id not in {u.id for u in authors}:
        authors.insert(0, actor)
    state = NoteState(
        title=data.title,
        body=data.body,
        kind=data.kind,
        visibility=data.visibility,
        licence=data.licence,
        published_at=data.published_at or utcnow(),
        authors=authors,
        links=links.checked_links(session, actor, data.links or []),
        community_id=data.community,
        readers=users_by_username(session, data.readers or [], "readers"),
        details=kind_details(data.kind, data.model_dump(include=set(DETAIL_FIELDS)), strict=True),
    )
    [note_id] = insert_notes(session=session, actor=actor, notes=[NewNote(state=state, summary=data.summary)])
    invitations.invite(session, actor, note_id, invited, withdraw_others=False)
    note = session.get(Note, note_id)
    assert note is not None
    return note


def _readers(session: Session, note_id: str) -> list[User]:
    """The people chosen to read a restricted note, by username."""
    return list(
        session.exec(
            select(User)
            .join(NoteReader, col(NoteReader.user_id) == User.id)
            .where(NoteReader.note_id == note_id)
            .order_by(User.username)
        )
    )


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
    rendered = rendered or render(new.body, links.resolver(session))
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
    if fold(old.title) != fold(new.title):
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


def _still_rendered(session: Session, rendered: Rendered | None) -> Rendered | None:
    """A rendering made before the write lock was taken, if its wikilinks still name the notes
    they named then (a note of that title may have been created, renamed or deleted since)."""
    if rendered is None:
        return None
    targets = [w.target for w in rendered.wikilinks]
    if targets and dict(links.resolver(session)(targets)) != rendered.resolved:
        return None
    return rendered


def _merged_links(session: Session, actor: policy.Actor, sent: list[str] | None, old: list[str]) -> list[str]:
    """The links sent, plus the old links to notes the editor may not see (which they could
    neither keep nor remove knowingly)."""
    if sent is None:
        return old
    visible = links.visible_ids(session, actor, old) if old else set()
    return links.checked_links(session, actor, sent) + [i for i in old if i not in visible and i not in sent]


def save_note(*, session: Session, actor: policy.Actor, note_id: str, data: NoteUpdate) -> NoteRead:
    """Apply a change made from `data.base_revision` and answer with the note as it now reads;
    409 if the note has moved on (the one way a note is saved: the API, the form, the tests)."""
    note, author_ids = load_editable(session, actor, note_id)
    if data.base_revision != note.revision:
        raise StaleEdit(
            f"This note is at revision {note.revision}; your change was made from revision {data.base_revision}.",
            current_revision=note.revision,
            current=read_note(session=session, actor=actor, note=note).model_dump(mode="json"),
        )
    old = current_state(session, note, author_ids)
    fields = data.model_dump(exclude_unset=True)
    community_id = fields["community"] if "community" in fields else old.community_id
    check_access(session, actor, data.visibility or old.visibility, community_id, old=old)
    sent_details = {k: v for k, v in fields.items() if k in DETAIL_FIELDS}
    kind_details(data.kind or old.kind, sent_details, strict=True)  # a detail of another kind is a 422
    authors, invited = old.authors, None
    if data.authors:
        # The authors sent are the whole list: new people with an account are invited (and
        # invitations left out are withdrawn); only those who are authors count as authors.
        authors, invited = invitations.split(actor, users_by_username(session, data.authors), set(author_ids))
        if not authors:
            raise Invalid(
                "A note keeps at least one author; people invited count once they accept.",
                field="authors",
                text=N_(
                    "Une note garde au moins une personne autrice ; les personnes invitées ne comptent qu'une fois l'invitation acceptée."
                ),
            )
    new = NoteState(
        title=data.title if data.title is not None else old.title,
        body=data.body if data.body is not None else old.body,
        kind=data.kind or old.kind,
        visibility=data.visibility or old.visibility,
        licence=data.licence or old.licence,
        published_at=data.published_at if "published_at" in fields else old.published_at,
        authors=authors,
        links=_merged_links(session, actor, data.links, old.links),
        community_id=community_id,
        readers=users_by_username(session, data.readers, "readers") if data.readers is not None else old.readers,
        # Details sent replace the old ones; a change of kind keeps only the new kind's.
        details=kind_details(data.kind or old.kind, {**old.details, **sent_details}, strict=False),
    )
    # Rendered before the write turn (on SQLite, the write lock) is taken; the revision is checked
    # again by the write itself, so a save that raced this one makes this one a conflict.
    rendered = render(new.body, links.resolver(session)) if new != old else None
    took_turn = begin_writes(session)
    if took_turn:
        rendered = _still_rendered(session, rendered)
    note = apply_state(
        session=session,
        actor=actor,
        note=note,
        base_revision=data.base_revision,
        old=old,
        new=new,
        summary=data.summary,
        rendered=rendered,
        invite=invitations.Invite(invited, withdraw_others=True) if invited is not None else None,
    )
    if took_turn:
        end_writes(session)  # the answer is read without holding the write turn taken above
    return read_note(session=session, actor=actor, note=note)


def delete_note(*, session: Session, actor: policy.Actor, note_id: str) -> None:
    """Soft-delete: the note disappears everywhere; its history stays for admins."""
    note, _ = load_editable(session, actor, note_id)
    note.deleted_at = utcnow()
    note.deleted_by_id = actor.id if actor else None
    session.add(note)
    session.flush()


# --- reading ---------------------------------------------------------------------------------


def _authors_of(session: Session, note_ids: Sequence[str]) -> dict[str, list[AuthorRead]]:
    rows = session.exec(
        select(NoteAuthor.note_id, User.username, User.display_name)
        .join(User, col(User.id) == NoteAuthor.user_id)
        .where(col(NoteAuthor.note_id).in_(list(note_ids)))
        .order_by(NoteAuthor.note_id, col(NoteAuthor.position))
    ).all()
    out: dict[str, list[AuthorRead]] = {i: [] for i in note_ids}
    for note_id, username, display_name in rows:
        out[note_id].append(AuthorRead(username=username, display_name=display_name, url=user_url(session, username)))
    return out


def read_note(*, session: Session, actor: policy.Actor, note: Note) -> NoteRead:
    """The full reading of a note the actor may see (a fixed number of queries)."""
    author_ids = list_author_ids(session, note.id)
    lic = LICENCES[note.licence]
    can_edit = policy.can_edit_note(actor, note, set(author_ids))
    invited = invitations.standing(session, note, set(author_ids))
    return NoteRead(
        id=note.id,
        kind=note.kind,
        title=note.title,
        slug=note.slug,
        body=note.body,
        html=links.visible_html(session, actor, note.html),
        visibility=note.visibility,
        licence=note.licence,
        community=communities.ref(session, note.community_id) if note.community_id else None,
        readers=[u.username for u in _readers(session, note.id)]
        if policy.can_see_note_readers(actor, note, set(author_ids))
        else [],
        licence_info=LicenceRead(id=lic.id, name=lic.name, url=lic.url),
        url=note_url(session, note.id),
        authors=_authors_of(session, [note.id])[note.id],
        **{name: getattr(note, name) for name in KIND_DETAILS[note.kind]},
        created_at=note.created_at,
        published_at=note.published_at,
        updated_at=note.updated_at,
        revision=note.revision,
        links=links.links_of(session, actor, note.id),
        backlinks=(backlinks := links.backlinks_of(session, actor, note.id)),
        backlinks_by_kind=links.grouped(backlinks),
        carnets=memberships.carnets_of_note(session, actor, note.id),
        deleted_at=note.deleted_at,
        can_edit=can_edit,
        can_request_edit=policy.can_request_edit(actor, note, set(author_ids), {pk(u.id) for _inv, u in invited}),
        pending_authors=[
            AuthorRead(username=u.username, display_name=u.display_name, url=user_url(session, u.username))
            for _inv, u in invited
        ]
        if can_edit
        else [],
        invitation=next((inv.id for inv, u in invited if actor is not None and u.id == actor.id), None),
        can_leave=policy.can_leave_note(actor, note, set(author_ids)),
    )


def get_note(*, session: Session, actor: policy.Actor, note_id: str) -> NoteRead:
    note, _ = load_readable(session, actor, note_id)
    return read_note(session=session, actor=actor, note=note)


def get_for_editing(*, session: Session, actor: policy.Actor, note_id: str) -> NoteEditing:
    """A note as its editor opens it, to whoever may change it (NotFound, NotSignedIn, Forbidden
    otherwise: the page offers nothing the save would refuse)."""
    note, author_ids = load_editable(session, actor, note_id)
    return NoteEditing(
        note=read_note(session=session, actor=actor, note=note), links=current_state(session, note, author_ids).links
    )


_ORDER: dict[str, Mapped[Any]] = {
    "updated": col(Note.updated_at),
    "published": col(Note.published_at),
    "created": col(Note.created_at),
    "title": col(Note.title_key),
}


def title_prefix(prefix: str) -> sa.ColumnElement[bool]:
    """Notes whose folded title starts with `prefix`: a range of the title index (byte order)."""
    return sa.and_(col(Note.title_key) >= prefix, col(Note.title_key) < prefix + "\U0010ffff")


def text_filter(q: str) -> Any:
    """Notes whose title (case and accents ignored) or text (case ignored) contains `q`."""
    return sa.or_(
        col(Note.title_key).contains(fold(q), autoescape=True),
        sa.func.lower(Note.body).contains(q.lower(), autoescape=True),
    )


def authored_by(session: Session, username: str) -> Any:
    """Notes that this person is an author of (none for an unknown username)."""
    author = accounts.get_user(session, username)
    return col(Note.id).in_(select(NoteAuthor.note_id).where(NoteAuthor.user_id == (author.id if author else -1)))


def in_carnets(actor: policy.Actor, which: Any) -> Any:
    """The ids of the notes in the carnets `which` selects, among the carnets the actor may see."""
    return (
        select(CarnetEntry.note_id)
        .join(Carnet, col(Carnet.id) == CarnetEntry.carnet_id)
        .where(which, policy.visible_carnets(actor))
    )


def list_notes(*, session: Session, actor: policy.Actor, query: NoteQuery) -> NotePage:
    """A page of the notes the actor may see, filtered and sorted."""
    where = [policy.visible_notes(actor)]
    if query.kind:
        where.append(col(Note.kind) == query.kind)
    if query.carnet:
        where.append(col(Note.id).in_(in_carnets(actor, Carnet.id == query.carnet)))
    if query.base:
        in_base = col(Carnet.id).in_(
            select(BaseCarnet.carnet_id)
            .join(KnowledgeBase, col(KnowledgeBase.id) == BaseCarnet.base_id)
            .where(BaseCarnet.base_id == query.base, policy.visible_bases(actor))
        )
        where.append(col(Note.id).in_(in_carnets(actor, in_base)))
    if query.q:
        where.append(text_filter(query.q))
    if query.community:
        where.append(col(Note.community_id) == query.community)
    if query.region:
        where.append(col(Note.region) == query.region)
    if query.letter == "#":
        where.append(sa.or_(col(Note.title_key) < "a", col(Note.title_key) >= "{"))  # not under a letter A–Z
    elif query.letter:
        where.append(title_prefix(fold(query.letter)))
    if query.author:
        where.append(authored_by(session, query.author))
    total = session.exec(select(sa.func.count()).select_from(Note).where(*where)).one()
    column = _ORDER[query.sort.lstrip("-")]
    order = column.desc() if query.sort.startswith("-") else column.asc()
    notes = session.exec(
        select(Note)
        .where(*where)
        .order_by(order, Note.id)
        .offset((query.page - 1) * query.per_page)
        .limit(query.per_page)
    ).all()
    return NotePage(items=summaries(session, notes), total=total, page=query.page, per_page=query.per_page)


def comment_counts(session: Session, note_ids: Sequence[str]) -> dict[str, int]:
    """How many comments each note's discussion shows with their text (not hidden, not deleted)."""
    if not note_ids:
        return {}
    rows = session.exec(
        select(Comment.note_id, sa.func.count())
        .where(
            col(Comment.note_id).in_(list(note_ids)),
            col(Comment.deleted_at).is_(None),
            col(Comment.hidden_at).is_(None),
        )
        .group_by(Comment.note_id)
    ).all()
    return dict(rows)


def summaries(session: Session, notes: Sequence[Note]) -> list[NoteSummary]:
    """Notes as lists show them (a fixed number of queries); the caller checked they may be seen."""
    authors = _authors_of(session, [n.id for n in notes])
    comments = comment_counts(session, [n.id for n in notes])
    return [
        NoteSummary(
            id=n.id,
            kind=n.kind,
            title=n.title,
            url=note_url(session, n.id),
            visibility=n.visibility,
            authors=authors[n.id],
            excerpt=excerpt(n.html, 220),
            published_at=n.published_at,
            region=n.region,
            description=n.description,
            definition=n.definition,
            updated_at=n.updated_at,
            revision=n.revision,
            comment_count=comments.get(n.id, 0),
        )
        for n in notes
    ]
