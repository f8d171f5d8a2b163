"""Notes: create, read, list, update, delete. Every change writes a numbered revision.

The doors are here; what a note is made of as written is in `state`, a note as it reads
and lists of notes in `reading` (re-exported below, where callers reach them).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlmodel import Session, col, select

from praxis import policy
from praxis.db import begin_writes, end_writes, memo
from praxis.errors import Invalid, NotFound, StaleEdit
from praxis.i18n import N_
from praxis.markdown import Rendered, fold, render
from praxis.media import drafts
from praxis.models import (
    BaseCarnet,
    Carnet,
    KnowledgeBase,
    Note,
    User,
    utcnow,
)
from praxis.notes import links
from praxis.notes.reading import (  # noqa: F401  (re-exported: callers reach them as notes.*)
    authored_by,
    comment_counts,
    in_carnets,
    list_author_ids,
    read_note,
    summaries,
    text_filter,
    title_prefix,
    with_keyword,
)
from praxis.notes.state import (  # noqa: F401  (re-exported: callers reach them as notes.*)
    NewNote,
    NoteState,
    apply_state,
    current_state,
    current_states,
    insert_notes,
    kind_details,
    new_id,
)
from praxis.people import communities, invitations
from praxis.schemas import (
    DETAIL_FIELDS,
    NoteCreate,
    NoteEditing,
    NotePage,
    NoteQuery,
    NoteRead,
    NoteRef,
    NoteUpdate,
    is_note_id,
)
from praxis.urls import note_url

# --- loading and permissions -----------------------------------------------------------------


def load_readable(session: Session, actor: policy.Actor, note_id: str) -> tuple[Note, list[int]]:
    """The note and its author ids, or NotFound when it does not exist or may not be seen.

    The answer is kept until the session writes (`db.memo`): a note's page asks it again for the
    discussion, the edit requests and the files it shows."""
    kept = memo(session)
    key = ("readable note", note_id, actor.id if actor else None, policy.is_admin(actor), policy.is_signed_in(actor))
    if key in kept:
        note, author_ids = kept[key]
        return note, list(author_ids)
    note = session.get(Note, note_id) if is_note_id(note_id) else None
    if note is None:
        raise NotFound("No such note.")
    if not policy.can_read_note(session, actor, note):
        raise NotFound("No such note.")
    author_ids = list_author_ids(session, note_id)
    kept[key] = (note, tuple(author_ids))
    return note, author_ids


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


def labels(values: Sequence[str]) -> list[str]:
    """Aliases or keywords as written, in their order, once each (case and accents ignored)."""
    kept: dict[str, str] = {}
    for value in values:
        value = unicodedata.normalize("NFC", value)
        kept.setdefault(fold(value), value)
    return [value for key, value in kept.items() if key]


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


def write_new_note(*, session: Session, actor: policy.Actor, data: NoteCreate) -> Note:
    """The note `data` describes, checked and written with its first revision, the people it
    names as co-authors invited, the writer's draft uploads it shows made its files: the note's
    part of `filing.create_note`, the one door by which a note is created (the API, the form
    and the tests alike)."""
    actor = policy.require_signed_in(actor, "Sign in to write a note.")
    check_access(session, actor, data.visibility, data.community)
    note_id = new_id()
    body, uploads = drafts.adopt(session, actor, data.body, note_id)
    # People with an account other than the creator are invited, and become authors by accepting.
    authors, invited = invitations.split(actor, users_by_username(session, data.authors) if data.authors else [], set())
    if actor.id not in {u.id for u in authors}:
        authors.insert(0, actor)
    state = NoteState(
        title=data.title,
        body=body,
        kind=data.kind,
        visibility=data.visibility,
        licence=data.licence,
        published_at=data.published_at or utcnow(),
        authors=authors,
        links=links.checked_links(session, actor, data.links or []),
        community_id=data.community,
        readers=users_by_username(session, data.readers or [], "readers"),
        details=kind_details(data.kind, data.model_dump(include=set(DETAIL_FIELDS)), strict=True),
        aliases=labels(data.aliases or []),
        keywords=labels(data.keywords or []),
    )
    insert_notes(session=session, actor=actor, notes=[NewNote(state=state, summary=data.summary, id=note_id)])
    drafts.claim(session, actor, note_id, uploads)
    invitations.invite(session, actor, note_id, invited, withdraw_others=False)
    note = session.get(Note, note_id)
    assert note is not None
    return note


def _still_rendered(session: Session, rendered: Rendered | None, note_id: str) -> Rendered | None:
    """A rendering made before the write lock was taken, if its wikilinks still name the notes
    they named then (a note of that title may have been created, renamed or deleted since)."""
    if rendered is None:
        return None
    targets = [w.target for w in rendered.wikilinks]
    if targets and dict(links.resolver(session, source=note_id)(targets)) != rendered.resolved:
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
    409 if the note has moved on (the one way a note is saved: the API, the form, the tests).
    The editor's draft uploads the new text shows become files of the note."""
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
    body, uploads = drafts.adopt(session, actor, data.body, note.id) if data.body is not None else (old.body, [])
    new = NoteState(
        title=data.title if data.title is not None else old.title,
        body=body,
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
        aliases=labels(data.aliases) if data.aliases is not None else old.aliases,
        keywords=labels(data.keywords) if data.keywords is not None else old.keywords,
        properties=old.properties,
    )
    # Rendered before the write turn (on SQLite, the write lock) is taken; the revision is checked
    # again by the write itself, so a save that raced this one makes this one a conflict.
    rendered = render(new.body, links.resolver(session, source=note.id)) if new != old else None
    took_turn = begin_writes(session)
    if took_turn:
        rendered = _still_rendered(session, rendered, note.id)
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
    drafts.claim(session, actor, note.id, uploads)
    if took_turn:
        end_writes(session)  # the answer is read without holding the write turn taken above
    return read_note(session=session, actor=actor, note=note)


def delete_note(*, session: Session, actor: policy.Actor, note_id: str) -> NoteRef:
    """Soft-delete: the note disappears everywhere; its history stays for admins. Answers with
    the note as it was, for the page that says so."""
    note, _ = load_editable(session, actor, note_id)
    note.deleted_at = utcnow()
    note.deleted_by_id = actor.id if actor else None
    session.add(note)
    session.flush()
    return NoteRef(id=note.id, title=note.title, kind=note.kind, url=note_url(session, note.id))


# --- reading ---------------------------------------------------------------------------------


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
    if query.keyword:
        where.append(with_keyword(query.keyword))
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
