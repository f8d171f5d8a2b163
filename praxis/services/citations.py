"""Citations of what a reader may see: a note (or one of its revisions), a carnet, a base.

Each `*_work` function loads through the same policy checks as the page it cites, so a hidden
note, revision, carnet or base is a 404 here too; `render` writes the citation."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from praxis import policy
from praxis.citation import Work, cite
from praxis.citation.names import Person
from praxis.errors import Invalid
from praxis.models import BaseManager, CarnetMember, User
from praxis.schemas import CitationQuery, CitationRead
from praxis.services import accounts, bases, carnets
from praxis.services import notes as note_service
from praxis.services import revisions as revision_service
from praxis.services.urls import base_url, carnet_url, note_url


def _tz(session: Session) -> ZoneInfo:
    return ZoneInfo(str(session.info.get("timezone", "America/Toronto")))


def today(session: Session) -> date:
    """Today where the site is (PRAXIS_TIMEZONE)."""
    return datetime.now(_tz(session)).date()


def _local_day(session: Session, when: datetime | None) -> date | None:
    return when.astimezone(_tz(session)).date() if when else None


def people(users: Sequence[User]) -> tuple[Person, ...]:
    return tuple(accounts.cited_person(u) for u in users)


def _users(session: Session, ids: Sequence[int]) -> list[User]:
    found = {u.id: u for u in session.exec(select(User).where(User.id.in_(list(ids))))}  # type: ignore[union-attr]
    return [found[i] for i in ids if i in found]


def _site(session: Session) -> tuple[str, str]:
    return str(session.info.get("site_name", "Praxis")), str(session.info.get("language", "fr"))


def note_work(*, session: Session, actor: policy.Actor, note_id: str, rev: int | None = None) -> Work:
    """A note as cited today, or revision `rev` as cited by its permanent link."""
    note, author_ids = note_service.load_readable(session, actor, note_id)
    site_name, language = _site(session)
    if rev is None:
        return Work(
            id=note.id, kind=note.kind, title=note.title, authors=people(_users(session, author_ids)),
            published=_local_day(session, note.published_at), url=note_url(session, note.id), site_name=site_name,
            language=language, licence=note.licence, revision=note.revision,
        )
    revision = revision_service.get_revision(session=session, actor=actor, note_id=note.id, number=rev)
    names = [a.username for a in revision.authors]
    by_name = {u.username: u for u in session.exec(select(User).where(User.username.in_(names)))}  # type: ignore[attr-defined]
    return Work(
        id=note.id, kind=revision.kind, title=revision.title, authors=people([by_name[n] for n in names if n in by_name]),
        published=_local_day(session, revision.published_at), url=revision.url, site_name=site_name,
        language=language, licence=revision.licence_info.id, revision=revision.number, archived=True,
    )


def _ordered_people(session: Session, table: type[CarnetMember] | type[BaseManager], where: object) -> list[User]:
    """The carnet's managers or the base's managers, first added first."""
    rows = session.exec(
        select(User).join(table, table.user_id == User.id).where(where).order_by(table.added_at, User.id)  # type: ignore[arg-type]
    )
    return list(rows)


def carnet_work(*, session: Session, actor: policy.Actor, carnet_id: str) -> Work:
    """A carnet, cited with its managers (gestionnaires) as its authors."""
    carnet, _ = carnets.load_readable(session, actor, carnet_id)
    managers = _ordered_people(session, CarnetMember, (CarnetMember.carnet_id == carnet.id) & (CarnetMember.role == "manager"))
    site_name, language = _site(session)
    return Work(
        id=carnet.id, kind="carnet", title=carnet.title, authors=people(managers),
        published=_local_day(session, carnet.created_at), url=carnet_url(session, carnet.id),
        site_name=site_name, language=language,
    )


def base_work(*, session: Session, actor: policy.Actor, base_id: str) -> Work:
    """A base de connaissances, cited with its managers as its authors."""
    base, _ = bases.load_readable(session, actor, base_id)
    managers = _ordered_people(session, BaseManager, BaseManager.base_id == base.id)
    site_name, language = _site(session)
    return Work(
        id=base.id, kind="base", title=base.title, authors=people(managers),
        published=_local_day(session, base.created_at), url=base_url(session, base.id),
        site_name=site_name, language=language,
    )


def for_note(*, session: Session, actor: policy.Actor, note_id: str, query: CitationQuery) -> CitationRead:
    return render(session=session, work=note_work(session=session, actor=actor, note_id=note_id, rev=query.rev), query=query)


def for_carnet(*, session: Session, actor: policy.Actor, carnet_id: str, query: CitationQuery) -> CitationRead:
    return render(session=session, work=carnet_work(session=session, actor=actor, carnet_id=carnet_id), query=query)


def for_base(*, session: Session, actor: policy.Actor, base_id: str, query: CitationQuery) -> CitationRead:
    return render(session=session, work=base_work(session=session, actor=actor, base_id=base_id), query=query)


def render(*, session: Session, work: Work, query: CitationQuery) -> CitationRead:
    """The citation `query` asks for: its style, its language (the site's by default), read
    on the day given (today where the site is by default; never a day still to come)."""
    if query.rev is not None and work.kind in ("carnet", "base"):
        raise Invalid("Only notes have revisions.", field="rev", part="query")
    now = today(session)
    accessed = query.accessed or now
    if accessed > now:
        raise Invalid("The day of access cannot be in the future.", field="accessed", part="query")
    if query.accessed and work.published and accessed < work.published:
        raise Invalid("The day of access cannot come before the publication.", field="accessed", part="query")
    lang = query.lang or _site(session)[1]
    citation = cite(work, query.style, lang, accessed)
    return CitationRead(
        style=citation.style, lang=citation.lang, text=citation.text, html=citation.html,
        media_type=citation.media_type, url=work.url, accessed=accessed,
    )
