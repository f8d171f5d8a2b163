"""Revision history: list, read one, compare two, restore one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from praxis import policy
from praxis.diff import field_changes, word_diff
from praxis.errors import Invalid, NotFound
from praxis.markdown import strip_comments
from praxis.models import Note, Revision, User
from praxis.notes import links, summaries
from praxis.notes import notes as note_service
from praxis.people import communities, invitations
from praxis.schemas import AuthorRead, DiffRead, LicenceRead, NoteRead, RevisionRead, RevisionSummary
from praxis.urls import note_url, user_url
from praxis.vocab import DEFAULT_LICENCE, LICENCES


def _readable_history(session: Session, actor: policy.Actor, note_id: str) -> tuple[bool, bool]:
    """Check the actor may read the note's history; whether they may also see who its readers
    are, and its sources with their `%%comments%%` (as on the note itself)."""
    note, author_ids = note_service.load_readable(session, actor, note_id)
    return (
        policy.can_see_note_readers(actor, note, set(author_ids)),
        policy.can_read_note_source(actor, note, set(author_ids)),
    )


def _source(rev: Revision, whole: bool) -> str:
    return rev.body if whole else strip_comments(rev.body)


def _shown_meta(session: Session, actor: policy.Actor, meta: dict, sees_readers: bool) -> dict:
    """A revision's metadata as `actor` may see it: linked notes they may read, and who the
    readers are only for those who may change the note (as on the note itself)."""
    shown = {k: v for k, v in meta.items() if sees_readers or k != "readers"}
    if shown.get("links"):
        visible = links.visible_ids(session, actor, shown["links"])
        shown["links"] = [i for i in shown["links"] if i in visible]
    return shown


def _revision(session: Session, note_id: str, number: int) -> Revision:
    rev = session.exec(select(Revision).where(Revision.note_id == note_id, Revision.number == number)).first()
    if rev is None:
        raise NotFound(f"This note has no revision {number}.")
    return rev


def _editors(session: Session, ids: set[int]) -> dict[int, User]:
    if not ids:
        return {}
    return {u.id: u for u in session.exec(select(User).where(col(User.id).in_(ids))) if u.id is not None}


def _summary(stored: str | None) -> dict[str, Any]:
    """A revision's summary as shown: one Praxis wrote, in the reader's language (summaries)."""
    summary, generated = summaries.shown(stored)
    return {"summary": summary, "generated_summary": generated}


def list_revisions(*, session: Session, actor: policy.Actor, note_id: str) -> list[RevisionSummary]:
    """Every revision of a note, newest first."""
    _readable_history(session, actor, note_id)
    revs = session.exec(
        select(Revision.number, Revision.editor_id, Revision.created_at, Revision.summary)
        .where(Revision.note_id == note_id)
        .order_by(col(Revision.number).desc())
    ).all()
    editors = _editors(session, {editor_id for _, editor_id, _, _ in revs if editor_id})
    return [
        RevisionSummary(
            number=number,
            editor=editors[editor_id].username if editor_id in editors else None,
            editor_name=editors[editor_id].display_name if editor_id in editors else None,
            created_at=created_at,
            **_summary(summary),
        )
        for number, editor_id, created_at, summary in revs
    ]


def get_revision(*, session: Session, actor: policy.Actor, note_id: str, number: int) -> RevisionRead:
    sees_readers, sees_source = _readable_history(session, actor, note_id)
    rev = _revision(session, note_id, number)
    editor = _editors(session, {rev.editor_id} if rev.editor_id else set()).get(rev.editor_id or 0)
    meta = _shown_meta(session, actor, rev.meta, sees_readers)
    names = meta.get("authors", [])
    people = {u.username: u for u in session.exec(select(User).where(col(User.username).in_(names)))}
    lic = LICENCES.get(meta.get("licence", ""), LICENCES[DEFAULT_LICENCE])
    published = meta.get("published_at")
    return RevisionRead(
        number=rev.number,
        editor=editor.username if editor else None,
        editor_name=editor.display_name if editor else None,
        created_at=rev.created_at,
        **_summary(rev.summary),
        note_id=note_id,
        title=rev.title,
        body=_source(rev, sees_source),
        html=links.visible_html(session, actor, rev.html),
        meta=meta,
        url=f"{note_url(session, note_id)}?rev={rev.number}",
        kind=meta.get("kind", "note"),
        visibility=meta.get("visibility", "public"),
        licence_info=LicenceRead(id=lic.id, name=lic.name, url=lic.url),
        published_at=datetime.fromisoformat(published) if published else None,
        authors=[
            AuthorRead(username=n, display_name=people[n].display_name, url=user_url(session, n))
            for n in names
            if n in people
        ],
    )


def _fields(session: Session, actor: policy.Actor, rev: Revision, sees_readers: bool) -> dict:
    return {"title": rev.title, **_shown_meta(session, actor, rev.meta, sees_readers)}


def diff_revisions(*, session: Session, actor: policy.Actor, note_id: str, from_: int, to: int) -> DiffRead:
    """What changed from revision `from_` to revision `to`."""
    sees_readers, sees_source = _readable_history(session, actor, note_id)
    a, b = _revision(session, note_id, from_), _revision(session, note_id, to)
    return DiffRead(
        note_id=note_id,
        from_revision=from_,
        to_revision=to,
        fields=field_changes(_fields(session, actor, a, sees_readers), _fields(session, actor, b, sees_readers)),
        body=word_diff(_source(a, sees_source), _source(b, sees_source)),
    )


def restore_revision(
    *, session: Session, actor: policy.Actor, note_id: str, number: int, summary: str | None = None
) -> NoteRead:
    """Write a new revision equal to revision `number` (authors and links that still exist)."""
    note, author_ids = note_service.load_editable(session, actor, note_id)
    rev = _revision(session, note_id, number)
    old = note_service.current_state(session, note, author_ids)
    meta = rev.meta
    named = meta.get("authors", []) + meta.get("readers", [])
    users = {u.username: u for u in session.exec(select(User).where(col(User.username).in_(named)))}
    # Someone with an account who is no longer an author is invited again, not signed up again.
    authors, invited = invitations.split(
        actor, [users[name] for name in meta.get("authors", []) if name in users], set(author_ids)
    )
    authors = authors or old.authors
    readers = [users[name] for name in meta.get("readers", []) if name in users]
    community_id = meta.get("community")
    if community_id is not None and communities.get(session, community_id) is None:
        community_id = None
    live_links = set(
        session.exec(select(Note.id).where(col(Note.id).in_(meta.get("links", [])), policy.visible_notes(actor)))
    )
    published = meta.get("published_at")
    new = note_service.NoteState(
        title=rev.title,
        body=rev.body,
        kind=meta.get("kind", old.kind),
        visibility=meta.get("visibility", old.visibility),
        licence=meta.get("licence", old.licence),
        published_at=datetime.fromisoformat(published) if published else None,
        authors=authors,
        links=[i for i in meta.get("links", []) if i in live_links],
        community_id=community_id,
        readers=readers,
        details=note_service.kind_details(meta.get("kind", old.kind), meta, strict=False),
        aliases=list(meta.get("aliases", [])),
        keywords=list(meta.get("keywords", [])),
        properties=dict(meta.get("properties", {})),
    )
    if new.visibility == "community" and new.community_id is None:
        raise Invalid(f"Revision {number} was kept among a community that no longer exists.", field="number")
    note_service.check_access(session, actor, new.visibility, new.community_id, old=old)
    # Restoring a revision equal to the current state changes nothing and writes no revision.
    note = note_service.apply_state(
        session=session,
        actor=actor,
        note=note,
        base_revision=note.revision,
        old=old,
        new=new,
        summary=summary or summaries.written(summaries.RESTORED, number=number),
        invite=invitations.Invite(invited, skip_declined=True),
    )
    return note_service.read_note(session=session, actor=actor, note=note)
