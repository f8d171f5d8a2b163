"""Notes as they read: one note in full, and lists of them (the filters of a listing, summaries
with their authors and comment counts)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from praxis import policy
from praxis.carnets import entries
from praxis.markdown import excerpt, fold, strip_comments
from praxis.models import (
    Carnet,
    CarnetEntry,
    Comment,
    Note,
    NoteAuthor,
    NoteLabel,
    NoteReader,
    User,
    pk,
)
from praxis.notes import links
from praxis.people import accounts, communities, invitations, naming
from praxis.schemas import (
    KIND_DETAILS,
    AuthorRead,
    LicenceRead,
    NoteRead,
    NoteSummary,
)
from praxis.urls import note_url, user_url
from praxis.vocab import LICENCES


def list_author_ids(session: Session, note_id: str) -> list[int]:
    rows = session.exec(
        select(NoteAuthor.user_id).where(NoteAuthor.note_id == note_id).order_by(col(NoteAuthor.position))
    )
    return list(rows)


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


def authors_of(session: Session, note_ids: Sequence[str]) -> dict[str, list[AuthorRead]]:
    """Each note's authors, as its pages and search results name them."""
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
        body=note.body if policy.can_read_note_source(actor, note, set(author_ids)) else strip_comments(note.body),
        html=links.visible_html(session, actor, note.html),
        visibility=note.visibility,
        licence=note.licence,
        community=communities.ref(session, note.community_id) if note.community_id else None,
        readers=[u.username for u in _readers(session, note.id)]
        if policy.can_see_note_readers(actor, note, set(author_ids))
        else [],
        licence_info=LicenceRead(id=lic.id, name=lic.name, url=lic.url),
        url=note_url(session, note.id),
        authors=authors_of(session, [note.id])[note.id],
        **{name: getattr(note, name) for name in KIND_DETAILS[note.kind]},
        aliases=note.aliases or [],
        keywords=note.keywords or [],
        properties=note.properties or {},
        created_at=note.created_at,
        published_at=note.published_at,
        updated_at=note.updated_at,
        revision=note.revision,
        links=links.links_of(session, actor, note.id),
        backlinks=(backlinks := links.backlinks_of(session, actor, note.id)),
        backlinks_by_kind=links.grouped(backlinks),
        carnets=entries.carnets_of_note(session, actor, note.id),
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
        can_contact=policy.can_contact_authors(actor, note, author_ids, accounts.with_inbox(session, author_ids)),
    )


def title_prefix(prefix: str) -> sa.ColumnElement[bool]:
    """Notes whose folded title starts with `prefix`: a range of the title index (byte order)."""
    return sa.and_(col(Note.title_key) >= prefix, col(Note.title_key) < prefix + "\U0010ffff")


def text_filter(q: str) -> Any:
    """Notes whose title (case and accents ignored) or text (case ignored) contains `q`.

    The text is matched without its `%%comments%%`, which only its writers see: in a text that
    holds no `%%` (nearly every one) its Markdown; in one that does, its Markdown and its
    rendering (which leaves the comments out, and writes `&`, `<` and `>` as entities) both.
    Either is read whole, as the filter read the Markdown alone: a copy of every text without
    its comments would cost a column as large and the same reading (docs/benchmarks.md)."""
    needle = q.lower()
    return sa.or_(
        col(Note.title_key).contains(fold(q), autoescape=True),
        sa.and_(
            sa.func.lower(Note.body).contains(needle, autoescape=True),
            sa.or_(
                col(Note.body).not_like("%\\%\\%%", escape="\\"),
                sa.func.lower(Note.html).contains(escape(needle, quote=False), autoescape=True),
            ),
        ),
    )


def with_keyword(keyword: str) -> Any:
    """Notes that have this keyword (case and accents ignored)."""
    return col(Note.id).in_(
        select(NoteLabel.note_id).where(NoteLabel.kind == "keyword", NoteLabel.key == fold(keyword)[:300])
    )


def authored_by(session: Session, username: str) -> Any:
    """Notes that this person is an author of: a username, else the people whose username or
    display name has words starting with those given ("Maryse Gagnon", "gagnon"); none when
    nobody matches."""
    author = accounts.get_user(session, username) if "\x00" not in username else None
    ids = (
        [author.id] if author and author.id is not None else [i for i, *_ in naming.matching_people(session, username)]
    )
    return col(Note.id).in_(select(NoteAuthor.note_id).where(col(NoteAuthor.user_id).in_(ids or [-1])))


def in_carnets(actor: policy.Actor, which: Any) -> Any:
    """The ids of the notes in the carnets `which` selects, among the carnets the actor may see."""
    return (
        select(CarnetEntry.note_id)
        .join(Carnet, col(Carnet.id) == CarnetEntry.carnet_id)
        .where(which, policy.visible_carnets(actor))
    )


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
    authors = authors_of(session, [n.id for n in notes])
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
