"""Atom feeds (RFC 4287) of the notes a reader may see: the site's, a carnet's, a base's, an author's.

Which notes appear is decided by `notes.list_notes` (the policy's `visible_notes`), and which
carnets, bases and people exist for the reader by the services that show their pages.

Ids are `urn:uuid:` names derived from the site's own UUID (`site_identity`) and what they name,
never from the site's address: moving the site to another address (or to https) changes its
links, not its ids, so feed readers do not show every entry again (RFC 4287, 4.2.6). Every text
goes through `text.xml_safe`, so characters stored before they were refused never break a feed.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from feedgen.feed import FeedGenerator
from sqlmodel import Session, select

from praxis import i18n, policy
from praxis.carnets import bases, carnets
from praxis.config import site_settings
from praxis.conversation import discussion
from praxis.errors import NotFound
from praxis.models import SiteIdentity
from praxis.notes import notes as note_service
from praxis.people import accounts
from praxis.schemas import NoteQuery, NoteSummary
from praxis.text import xml_safe
from praxis.urls import base_url, carnet_url, note_url, site_url, user_url

FEED_SIZE = 50
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class FeedSpec:
    """What one feed is about: its title, its HTML page, its own URL and which notes it lists."""

    key: str  # what the feed's id names, e.g. "carnet/ID/feed"
    title: str
    page_url: str  # its rel="alternate" link
    feed_url: str  # its rel="self" link
    since: datetime  # the feed's `updated` when it lists nothing newer
    query: NoteQuery


def site_feed(session: Session, actor: policy.Actor) -> bytes:
    """The newest notes of the whole site."""
    root = site_url(session)
    spec = FeedSpec("feed", site_settings(session).site_name, f"{root}/", f"{root}/feed.atom", EPOCH, _query())
    return render(session, actor, spec)


def carnet_feed(session: Session, actor: policy.Actor, carnet_id: str) -> bytes:
    """The newest notes of a carnet; NotFound when the reader may not see the carnet."""
    carnet, _role = carnets.load_readable(session, actor, carnet_id)
    page = carnet_url(session, carnet.id)
    since = carnets.updated_for(session, actor, [carnet.id])[carnet.id]  # as the reader sees it
    spec = FeedSpec(f"carnet/{carnet.id}/feed", carnet.title, page, f"{page}feed.atom", since, _query(carnet=carnet.id))
    return render(session, actor, spec)


def base_feed(session: Session, actor: policy.Actor, base_id: str) -> bytes:
    """The newest notes across a base's carnets; NotFound when the reader may not see the base."""
    base, _manager = bases.load_readable(session, actor, base_id)
    page = base_url(session, base.id)
    since = bases.updated_for(session, actor, base.id)  # as the reader sees it
    spec = FeedSpec(f"base/{base.id}/feed", base.title, page, f"{page}feed.atom", since, _query(base=base.id))
    return render(session, actor, spec)


def author_feed(session: Session, actor: policy.Actor, username: str) -> bytes:
    """The newest notes a person wrote; NotFound for an unknown username."""
    person = accounts.get_user(session, username)
    if person is None:
        raise NotFound("No such person.")
    page = user_url(session, person.username)
    spec = FeedSpec(
        f"user/{person.username}/feed",
        person.display_name,
        page,
        f"{page}feed.atom",
        person.created_at,
        _query(author=person.username),
    )
    return render(session, actor, spec)


def atom_ids(session: Session) -> Callable[[str], str]:
    """Turns what an id names ("note/ID") into the id, the same for as long as the site lives."""
    site = uuid.UUID(session.exec(select(SiteIdentity.uuid).where(SiteIdentity.id == 1)).one())
    return lambda key: uuid.uuid5(site, key).urn


def _query(**filters: str) -> NoteQuery:
    return NoteQuery(sort="-updated", per_page=FEED_SIZE, **filters)


def render(session: Session, actor: policy.Actor, spec: FeedSpec) -> bytes:
    """The feed as Atom XML: the notes of `spec.query` the actor may read, newest update first."""
    items = note_service.list_notes(session=session, actor=actor, query=spec.query).items
    atom_id = atom_ids(session)
    feed = FeedGenerator()
    feed.id(atom_id(spec.key))
    feed.title(xml_safe(spec.title))
    feed.updated(max([spec.since, *(item.updated_at for item in items)]))
    feed.link(href=spec.feed_url, rel="self", type="application/atom+xml")
    feed.link(href=spec.page_url, rel="alternate", type="text/html")
    feed.author(name=xml_safe(site_settings(session).site_name), uri=site_url(session) + "/")
    feed.language(i18n.site_language(session))  # the feed is the same for every reader
    for item in items:
        _add_entry(feed, item, atom_id(f"note/{item.id}"))
    return feed.atom_str(pretty=True)


def _add_entry(feed: FeedGenerator, item: NoteSummary, atom_id: str) -> None:
    entry = feed.add_entry(order="append")
    entry.id(atom_id)
    entry.title(xml_safe(item.title))
    entry.updated(item.updated_at)
    if item.published_at is not None:
        entry.published(item.published_at)
    entry.link(href=item.url, rel="alternate", type="text/html")
    for author in item.authors:
        entry.author(name=xml_safe(author.display_name), uri=author.url)
    if item.excerpt:
        entry.summary(xml_safe(item.excerpt), type="text")


def discussion_feed(session: Session, note_id: str) -> bytes:
    """The newest comments of a public note's discussion, as a visitor reads them (a note
    that is not public has no discussion feed: NotFound)."""
    thread = discussion.thread(session=session, actor=None, note_id=note_id)
    note, _ = note_service.load_readable(session, None, note_id)
    comments = sorted(
        (c for c in thread.items if c.state == "visible"), key=lambda c: c.edited_at or c.created_at, reverse=True
    )
    page = note_url(session, note.id)
    lang = i18n.site_language(session)  # the feed is the same for every reader
    atom_id = atom_ids(session)
    feed = FeedGenerator()
    feed.id(atom_id(f"note/{note.id}/discussion"))
    with i18n.using(lang):
        feed.title(xml_safe(i18n.gettext("Discussion : {title}").format(title=note.title)))
    feed.updated(max([note.created_at, *(c.edited_at or c.created_at for c in comments)]))
    feed.link(href=f"{page}discussion.atom", rel="self", type="application/atom+xml")
    feed.link(href=f"{page}#discussion", rel="alternate", type="text/html")
    feed.author(name=xml_safe(site_settings(session).site_name), uri=site_url(session) + "/")
    feed.language(lang)
    for c in comments[:FEED_SIZE]:
        entry = feed.add_entry(order="append")
        entry.id(atom_id(f"comment/{c.id}"))
        who = c.author.display_name if c.author else "?"
        entry.title(xml_safe(f"{who} — {note.title}"))
        entry.published(c.created_at)
        entry.updated(c.edited_at or c.created_at)
        entry.link(href=c.url, rel="alternate", type="text/html")
        if c.author:
            entry.author(name=xml_safe(c.author.display_name), uri=c.author.url)
        entry.content(xml_safe(c.html or ""), type="html")
    return feed.atom_str(pretty=True)
