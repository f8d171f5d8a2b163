"""robots.txt and sitemap.xml: what a crawler is pointed to, as an anonymous visitor sees the site.

The sitemap lists the public notes, carnets and bases only, whoever asks: the policy's clauses
for an anonymous visitor (`visible_notes(None)`…) choose them, so nothing that membership or
authorship opens to someone appears. Past 50 000 addresses (the protocol's limit for one file)
/sitemap.xml is an index of pages /sitemap.xml?page=N, each of at most 50 000.
"""

from __future__ import annotations

from datetime import datetime
from xml.sax.saxutils import escape

import sqlalchemy as sa
from sqlmodel import Session, func, select

from praxis import i18n, policy
from praxis.errors import NotFound
from praxis.models import Carnet, KnowledgeBase, Note
from praxis.services import bases, carnets
from praxis.services.urls import base_url, carnet_url, note_url, site_url

PAGE_SIZE = 50_000
_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_XHTML = "http://www.w3.org/1999/xhtml"
# Never crawled: the API (each page links its JSON twin), search results (endless), the forms
# and account pages, and a note's diffs (every pair of revisions). Pages that may be crawled but
# not indexed (history, revisions, what is not public) say so themselves with `noindex`.
_DISALLOWED = ("/api/", "/recherche", "/login", "/register", "/account/", "/u/me/", "/n/new", "/*/edit", "/*/diff")


def robots_txt(session: Session) -> str:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in _DISALLOWED), "", f"Sitemap: {site_url(session)}/sitemap.xml"]
    return "\n".join(lines) + "\n"


def _sources() -> list[tuple[sa.Select, str]]:  # type: ignore[type-arg]
    """(query of (id, updated_at), kind) for each kind of public page, in the sitemap's order."""
    return [
        (select(Note.id, Note.updated_at).where(policy.visible_notes(None)), "n"),
        # A carnet's date as a visitor sees it: changes to notes hidden from visitors do not move it.
        (select(Carnet.id, carnets.seen_updated_at(None)).where(policy.visible_carnets(None)), "c"),
        # A base's too: carnets hidden from visitors coming, changing or going do not move it.
        (select(KnowledgeBase.id, bases.seen_updated_at(None)).where(policy.visible_bases(None)), "b"),
    ]


def _count(session: Session, query: sa.Select) -> int:  # type: ignore[type-arg]
    return int(session.exec(select(func.count()).select_from(query.subquery())).one())  # type: ignore[call-overload]


def sitemap_xml(session: Session, page: int | None = None) -> str:
    """The sitemap (or, for a large site without `page`, the index of its pages)."""
    counts = [_count(session, query) for query, _ in _sources()]
    total = sum(counts)
    pages = max(1, -(-total // PAGE_SIZE))
    if page is None and pages > 1:
        return _index(session, pages)
    page = page or 1
    if page > pages:
        raise NotFound("No such sitemap page.")
    start, urls = (page - 1) * PAGE_SIZE, []
    for (query, kind), count in zip(_sources(), counts):
        if start >= count:
            start -= count
            continue
        ids = {"n": Note.id, "c": Carnet.id, "b": KnowledgeBase.id}[kind]
        rows = session.exec(query.order_by(ids).offset(start).limit(PAGE_SIZE - len(urls))).all()  # type: ignore[call-overload]
        urls += [(_url(session, kind, row[0]), row[1]) for row in rows]
        start = 0
        if len(urls) >= PAGE_SIZE:
            break
    language = i18n.site_language(session)
    body = "".join(_entry(loc, when, language) for loc, when in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{_NS}" xmlns:xhtml="{_XHTML}">\n{body}</urlset>\n'


def _entry(url: str, when: datetime, language: str) -> str:
    """One page: its canonical address (in the site's language, as the page itself names it:
    the address without `?lang=` serves whichever language a reader asks for), when it last
    changed, and its address in each language (hreflang alternates, as the page lists them)."""
    alternates = "".join(f'<xhtml:link rel="alternate" hreflang="{lang}" href="{escape(f"{url}?lang={lang}")}"/>'
                         for lang in i18n.LANGUAGES)
    return (f"<url><loc>{escape(f'{url}?lang={language}')}</loc><lastmod>{_day(when)}</lastmod>{alternates}"
            f'<xhtml:link rel="alternate" hreflang="x-default" href="{escape(url)}"/></url>\n')


def _index(session: Session, pages: int) -> str:
    root = site_url(session)
    body = "".join(f"<sitemap><loc>{escape(f'{root}/sitemap.xml?page={n}')}</loc></sitemap>\n" for n in range(1, pages + 1))
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{_NS}">\n{body}</sitemapindex>\n'


def _url(session: Session, kind: str, object_id: str) -> str:
    return {"n": note_url, "c": carnet_url, "b": base_url}[kind](session, object_id)


def _day(when: datetime) -> str:
    return when.date().isoformat()
