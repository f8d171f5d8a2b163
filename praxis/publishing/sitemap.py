"""robots.txt and sitemap.xml: what a crawler is pointed to, as an anonymous visitor sees the site.

The sitemap lists the public notes, carnets and bases only, whoever asks: the policy's clauses
for an anonymous visitor (`visible_notes(None)`…) choose them, so nothing that membership or
authorship opens to someone appears. A large site's /sitemap.xml is an index of pages
/sitemap.xml?page=N, each holding as many addresses as fit in `max_bytes` (what the page cache
keeps of one answer, some 2 000 at 1 MiB) and never more than the protocol's 50 000: a page
the cache could not keep would be built again from every public row for each crawler's visit.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

import sqlalchemy as sa
from sqlmodel import Session, func, select

from praxis import i18n, policy
from praxis.carnets import bases, carnets
from praxis.errors import NotFound
from praxis.models import Carnet, KnowledgeBase, Note
from praxis.urls import base_url, carnet_url, note_url, site_url

PAGE_SIZE = 50_000  # the protocol's limit for one file
_LONGEST_ID = 32  # ids are [A-Za-z0-9_-]{1,32} (schemas.NOTE_ID_PATTERN): quoting leaves them as they are
_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_XHTML = "http://www.w3.org/1999/xhtml"
_URLSET_HEAD = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{_NS}" xmlns:xhtml="{_XHTML}">\n'
_URLSET_TAIL = "</urlset>\n"
# Never crawled: the API (each page links its JSON twin), search results (endless), the forms
# and account pages, and a note's diffs (every pair of revisions). Pages that may be crawled but
# not indexed (history, revisions, what is not public) say so themselves with `noindex`.
_DISALLOWED = ("/api/", "/recherche", "/login", "/register", "/account/", "/u/me/", "/n/new", "/*/edit", "/*/diff")


def robots_txt(session: Session) -> str:
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in _DISALLOWED),
        "",
        f"Sitemap: {site_url(session)}/sitemap.xml",
    ]
    return "\n".join(lines) + "\n"


def _sources() -> list[tuple[sa.Select[Any, Any], str]]:
    """(query of (id, updated_at), kind) for each kind of public page, in the sitemap's order."""
    return [
        (select(Note.id, Note.updated_at).where(policy.visible_notes(None)), "n"),
        # A carnet's date as a visitor sees it: changes to notes hidden from visitors do not move it.
        (select(Carnet.id, carnets.seen_updated_at(None)).where(policy.visible_carnets(None)), "c"),
        # A base's too: carnets hidden from visitors coming, changing or going do not move it.
        (select(KnowledgeBase.id, bases.seen_updated_at(None)).where(policy.visible_bases(None)), "b"),
    ]


def _count(session: Session, query: sa.Select[Any, Any]) -> int:
    return int(session.exec(select(func.count()).select_from(query.subquery())).one())


def sitemap_xml(session: Session, page: int | None = None, *, max_bytes: int) -> str:
    """The sitemap (or, for a site larger than a page of at most `max_bytes`, the index of its pages)."""
    language = i18n.site_language(session)
    size = _page_size(session, language, max_bytes)
    counts = [_count(session, query) for query, _ in _sources()]
    total = sum(counts)
    pages = max(1, -(-total // size))
    if page is None and pages > 1:
        return _index(session, pages)
    page = page or 1
    if page > pages:
        raise NotFound("No such sitemap page.")
    start = (page - 1) * size
    urls: list[tuple[str, datetime]] = []
    for (query, kind), count in zip(_sources(), counts):
        if start >= count:
            start -= count
            continue
        ids = {"n": Note.id, "c": Carnet.id, "b": KnowledgeBase.id}[kind]
        rows = session.execute(query.order_by(ids).offset(start).limit(size - len(urls))).all()
        urls += [(_url(session, kind, row[0]), row[1]) for row in rows]
        start = 0
        if len(urls) >= size:
            break
    return _URLSET_HEAD + "".join(_entry(loc, when, language) for loc, when in urls) + _URLSET_TAIL


def _page_size(session: Session, language: str, max_bytes: int) -> int:
    """Addresses a page holds: as many as fit in `max_bytes` were every one of the longest."""
    longest = _entry(_url(session, "n", "x" * _LONGEST_ID), datetime(2000, 1, 1), language)
    room = max_bytes - len((_URLSET_HEAD + _URLSET_TAIL).encode())
    return max(1, min(PAGE_SIZE, room // len(longest.encode())))


def _entry(url: str, when: datetime, language: str) -> str:
    """One page: its canonical address (in the site's language, as the page itself names it:
    the address without `?lang=` serves whichever language a reader asks for), when it last
    changed, and its address in each language (hreflang alternates, as the page lists them)."""
    alternates = "".join(
        f'<xhtml:link rel="alternate" hreflang="{lang}" href="{escape(f"{url}?lang={lang}")}"/>'
        for lang in i18n.LANGUAGES
    )
    return (
        f"<url><loc>{escape(f'{url}?lang={language}')}</loc><lastmod>{_day(when)}</lastmod>{alternates}"
        f'<xhtml:link rel="alternate" hreflang="x-default" href="{escape(url)}"/></url>\n'
    )


def _index(session: Session, pages: int) -> str:
    root = site_url(session)
    body = "".join(
        f"<sitemap><loc>{escape(f'{root}/sitemap.xml?page={n}')}</loc></sitemap>\n" for n in range(1, pages + 1)
    )
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{_NS}">\n{body}</sitemapindex>\n'


def _url(session: Session, kind: str, object_id: str) -> str:
    return {"n": note_url, "c": carnet_url, "b": base_url}[kind](session, object_id)


def _day(when: datetime) -> str:
    return when.date().isoformat()
