"""What a page tells search engines and link previews (social networks, messaging apps) about
itself: a description, Open Graph, schema.org JSON-LD, and whether it may be indexed at all.

Everything here is what an anonymous visitor may see, whoever is reading: a page that is not
public is `noindex` and carries no card; a public note's `isPartOf` names only public carnets,
even for a reader who sees more. Which is public is the policy's `is_public`.
The dates, title and authors come from the citation's `Work`, so a card never disagrees with
the "Pour citer" block of the same page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from praxis import policy
from praxis.carnets import carnets, entries
from praxis.citation import Work
from praxis.markdown import excerpt
from praxis.models import User
from praxis.schemas import AuthorRead, BaseRead, CarnetRead, NoteRead, RevisionRead
from praxis.urls import site_url

DESCRIPTION_LENGTH = 200
_TYPES = {"note": "ScholarlyArticle", "carnet": "Collection", "base": "Collection"}


@dataclass(frozen=True)
class Card:
    """A page's metadata for others. `indexable` False: `noindex`; without `url` (`HIDDEN`, for
    what is not public), nothing else is said either."""

    indexable: bool
    title: str | None = None
    description: str | None = None
    url: str | None = None  # absolute
    og_type: str = "website"
    language: str | None = None  # of the content, when the page shows content rather than the UI
    json_ld: dict[str, Any] | None = field(default=None, hash=False)


HIDDEN = Card(indexable=False)


def listing_card(session: Session, path: str) -> Card:
    """A page that lists what the reader may see (home, directories, profiles): public, since an
    anonymous visitor's copy lists only what is public; described by the site's own line."""
    return Card(indexable=True, url=site_url(session) + path)


def note_card(session: Session, note: NoteRead, work: Work, revision: RevisionRead | None = None) -> Card:
    """A note's page (or one revision's, which is `noindex` as an archive of the note: its own
    address is the one to find; its card still describes it, for a link shared by hand)."""
    if not policy.is_public(note.visibility, note.deleted_at) or (
        revision and not policy.is_public(revision.visibility)
    ):
        return HIDDEN
    shown_html = revision.html if revision else note.html
    details = None if revision else (note.description if note.kind == "organisation" else note.definition)
    description = details or excerpt(shown_html, DESCRIPTION_LENGTH) or None
    modified = revision.created_at if revision else note.updated_at
    data = _creative_work(
        session,
        work,
        "ScholarlyArticle" if work.kind == "note" else "CreativeWork",
        revision.authors if revision else note.authors,
        description,
        modified,
    )
    licence = revision.licence_info.url if revision else note.licence_info.url
    if licence:
        data["license"] = licence
    if revision:
        data["version"] = str(revision.number)
        data["isBasedOn"] = note.url
    else:
        parts = entries.carnets_of_note(session, None, note.id)  # anonymous: public carnets only
        if parts:
            data["isPartOf"] = [{"@type": "Collection", "name": c.title, "url": c.url} for c in parts]
    return Card(
        indexable=revision is None,
        title=work.title,
        description=description,
        url=work.url,
        og_type="article",
        language=work.language,
        json_ld=data,
    )


def carnet_card(session: Session, carnet: CarnetRead, work: Work) -> Card:
    if not policy.is_public(carnet.visibility):
        return HIDDEN
    description = excerpt(carnet.description_html, DESCRIPTION_LENGTH) or None
    managers = [
        AuthorRead(username=m.username, display_name=m.display_name, url=m.url)
        for m in carnet.members
        if m.role == "manager"
    ]
    data = _creative_work(session, work, "Collection", managers, description, carnet.updated_at)
    parts = carnets.bases_of(session, None, carnet.id)  # anonymous: public bases only
    if parts:
        data["isPartOf"] = [{"@type": "Collection", "name": b.title, "url": b.url} for b in parts]
    return Card(
        indexable=True, title=work.title, description=description, url=work.url, language=work.language, json_ld=data
    )


def base_card(session: Session, base: BaseRead, work: Work) -> Card:
    if not policy.is_public(base.visibility):
        return HIDDEN
    description = excerpt(base.description_html, DESCRIPTION_LENGTH) or None
    managers = [AuthorRead(username=m.username, display_name=m.display_name, url=m.url) for m in base.managers]
    data = _creative_work(session, work, "Collection", managers, description, base.updated_at)
    return Card(
        indexable=True, title=work.title, description=description, url=work.url, language=work.language, json_ld=data
    )


def _creative_work(
    session: Session, work: Work, kind: str, authors: Sequence[AuthorRead], description: str | None, modified: datetime
) -> dict[str, Any]:
    """The schema.org properties every card shares, dated as the citation dates the page."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": kind,
        "name": work.title,
        "headline": work.title[:110],
        "url": work.url,
        "mainEntityOfPage": work.url,
        "inLanguage": work.language,
        "author": _people(session, authors),
        "publisher": {"@type": "Organization", "name": work.site_name, "url": site_url(session) + "/"},
        "dateModified": modified.replace(microsecond=0).isoformat(),
    }
    if work.published:
        data["datePublished"] = work.published.isoformat()
    if description:
        data["description"] = description
    return data


def _people(session: Session, authors: Sequence[AuthorRead]) -> list[dict[str, str]]:
    names = [a.username for a in authors]
    organisations = (
        set(session.exec(select(User.username).where(col(User.username).in_(names), User.is_organisation)).all())
        if names
        else set()
    )
    return [
        {"@type": "Organization" if a.username in organisations else "Person", "name": a.display_name, "url": a.url}
        for a in authors
    ]
