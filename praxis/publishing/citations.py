"""Citations of what a reader may see: a note (or one of its revisions), a carnet, a base.

A `Work` is built from what the page itself shows (`NoteRead`, `RevisionRead`, `CarnetRead`,
`BaseRead`), so a citation names the authors, title and date the reader sees, in the order they
see them; the `for_*` entry points of the API load those the way the pages do, through the same
policy checks, so what may not be seen is a 404 here too."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TypedDict

from sqlmodel import Session, col, select

from praxis import i18n, policy
from praxis.carnets import bases, carnets
from praxis.citation import Person, Work, cite
from praxis.config import site_settings
from praxis.errors import Invalid
from praxis.models import User
from praxis.notes import fields
from praxis.notes import notes as note_service
from praxis.notes import revisions as revision_service
from praxis.people import accounts
from praxis.schemas import (
    BaseRead,
    CarnetQuery,
    CarnetRead,
    CitationQuery,
    CitationRead,
    NoteQuery,
    NoteRead,
    RevisionRead,
)


def today(session: Session) -> date:
    """Today where the site is (PRAXIS_TIMEZONE)."""
    return datetime.now(fields.timezone(session)).date()


def _day(session: Session, when: datetime | None) -> date | None:
    return when.astimezone(fields.timezone(session)).date() if when else None


def _people(session: Session, usernames: Sequence[str]) -> tuple[Person, ...]:
    """The people named, in that order, as citations name them."""
    found = {u.username: u for u in session.exec(select(User).where(col(User.username).in_(list(usernames))))}
    return tuple(accounts.cited_person(found[name]) for name in usernames if name in found)


class _Site(TypedDict):
    """What every work says of the site that publishes it."""

    site_name: str
    language: str


def _site(session: Session) -> _Site:
    return {"site_name": site_settings(session).site_name, "language": i18n.site_language(session)}


def note_work(session: Session, note: NoteRead) -> Work:
    """A note as its page shows it today: its address changes with every revision."""
    return Work(
        id=note.id,
        kind=note.kind,
        title=note.title,
        authors=_people(session, [a.username for a in note.authors]),
        published=_day(session, note.published_at),
        url=note.url,
        licence=note.licence,
        revision=note.revision,
        **_site(session),
    )


def revision_work(session: Session, revision: RevisionRead) -> Work:
    """One revision, by its permanent link, with the title, authors and publication date it had then."""
    return Work(
        id=revision.note_id,
        kind=revision.kind,
        title=revision.title,
        authors=_people(session, [a.username for a in revision.authors]),
        published=_day(session, revision.published_at),
        url=revision.url,
        licence=revision.licence_info.id,
        revision=revision.number,
        archived=True,
        **_site(session),
    )


def carnet_work(session: Session, carnet: CarnetRead) -> Work:
    """A carnet, cited with its managers (gestionnaires), in the page's order, as its authors."""
    managers = [m.username for m in carnet.members if m.role == "manager"]
    return Work(
        id=carnet.id,
        kind="carnet",
        title=carnet.title,
        authors=_people(session, managers),
        published=_day(session, carnet.created_at),
        url=carnet.url,
        **_site(session),
    )


def base_work(session: Session, base: BaseRead) -> Work:
    """A base de connaissances, cited with its managers, in the page's order, as its authors."""
    return Work(
        id=base.id,
        kind="base",
        title=base.title,
        authors=_people(session, [m.username for m in base.managers]),
        published=_day(session, base.created_at),
        url=base.url,
        **_site(session),
    )


def load_note_work(*, session: Session, actor: policy.Actor, note_id: str, rev: int | None = None) -> Work:
    """The note the actor may read, or its revision `rev` (as `/n/{id}/?rev=N` shows it)."""
    if rev is not None:
        return revision_work(
            session, revision_service.get_revision(session=session, actor=actor, note_id=note_id, number=rev)
        )
    return note_work(session, note_service.get_note(session=session, actor=actor, note_id=note_id))


def load_carnet_work(*, session: Session, actor: policy.Actor, carnet_id: str) -> Work:
    return carnet_work(
        session, carnets.read(session=session, actor=actor, carnet_id=carnet_id, query=CarnetQuery(per_page=1))
    )


def load_base_work(*, session: Session, actor: policy.Actor, base_id: str) -> Work:
    return base_work(session, bases.read(session=session, actor=actor, base_id=base_id, query=NoteQuery(per_page=1)))


def for_note(*, session: Session, actor: policy.Actor, note_id: str, query: CitationQuery) -> CitationRead:
    work = load_note_work(session=session, actor=actor, note_id=note_id, rev=query.rev)
    return render(session=session, work=work, query=query)


def for_carnet(*, session: Session, actor: policy.Actor, carnet_id: str, query: CitationQuery) -> CitationRead:
    _no_revision(query)
    return render(
        session=session, work=load_carnet_work(session=session, actor=actor, carnet_id=carnet_id), query=query
    )


def for_base(*, session: Session, actor: policy.Actor, base_id: str, query: CitationQuery) -> CitationRead:
    _no_revision(query)
    return render(session=session, work=load_base_work(session=session, actor=actor, base_id=base_id), query=query)


def _no_revision(query: CitationQuery) -> None:
    if query.rev is not None:
        raise Invalid("Only notes have revisions.", field="rev", part="query")


def render(*, session: Session, work: Work, query: CitationQuery) -> CitationRead:
    """The citation `query` asks for: its style, its language (the site's by default), read
    on the day given (today where the site is by default)."""
    now = today(session)
    accessed = query.accessed or now
    # A reader east of the site may already be a day ahead of it.
    if accessed > now + timedelta(days=1):
        raise Invalid("The day of access cannot be in the future.", field="accessed", part="query")
    if query.accessed and work.published and accessed < work.published:
        raise Invalid("The day of access cannot come before the publication.", field="accessed", part="query")
    citation = cite(work, query.style, query.lang or _site(session)["language"], accessed)
    return CitationRead(
        style=citation.style,
        lang=citation.lang,
        text=citation.text,
        html=citation.html,
        media_type=citation.media_type,
        url=work.url,
        accessed=accessed,
    )
