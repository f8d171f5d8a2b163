"""Carnets and bases de connaissances as pages: the lists, a carnet and its notes, contributing,
ordering, pinning and categories, the links graph, bases, and the ZIP exports."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime
from html import escape, unescape
from itertools import combinations
from math import dist

import yaml
from sqlmodel import select

from praxis.models import Carnet, Note
from praxis.schemas import (
    AxisCreate,
    BaseCarnetAdd,
    BaseCreate,
    CarnetCreate,
    CommunityCreate,
    EntryCreate,
    NoteCreate,
)
from praxis.carnets import bases
from praxis.carnets import carnets
from praxis.carnets import filing
from praxis.people import communities
from tests.factories import browser_for, csrf_from, make_note, make_user, page_text
from tests.conftest import one_database

THEMES = ("Thème", ["Logement", "Santé"])
REGIONS = ("Région", ["Montréal", "Québec"])


# --- builders ----------------------------------------------------------------------------------


def person(session, username, name=None):  # type: ignore[no-untyped-def]
    """Someone who signs in by cookie only (no password to hash keeps the tests quick)."""
    return make_user(session, username, name=name, password=None)


def make_carnet(session, actor, title="Carnet des chantiers", axes=(THEMES, REGIONS), **fields):  # type: ignore[no-untyped-def]
    data = CarnetCreate(title=title, axes=[AxisCreate(name=n, categories=c) for n, c in axes], **fields)
    created = carnets.create(session=session, actor=actor, data=data)
    session.commit()
    return created


def add_member(session, manager, carnet_id, username, role="contributor"):  # type: ignore[no-untyped-def]
    carnets.set_member(session=session, actor=manager, carnet_id=carnet_id, username=username, role=role)
    session.commit()


def integrate(session, actor, carnet_id, note_id, categories=(), pinned=None):  # type: ignore[no-untyped-def]
    filing.add(
        session=session,
        actor=actor,
        carnet_id=carnet_id,
        data=EntryCreate(note_id=note_id, categories=list(categories), pinned=pinned),
    )
    session.commit()


def post(browser, page_url, action, data, **kwargs):  # type: ignore[no-untyped-def]
    """Post `data` to the form at `action` found on `page_url`, with that form's CSRF token."""
    page = browser.get(page_url)
    assert page.status_code == 200, page.text
    return browser.post(
        action, data={**data, "csrf_token": csrf_from(page.text, action)}, follow_redirects=False, **kwargs
    )


def token_of(browser, url="/c/", action="/c/"):  # type: ignore[no-untyped-def]
    """A CSRF token for this browser (any of its forms' tokens is good for all of them)."""
    return csrf_from(browser.get(url).text, action)


def entry_ids(html: str) -> list[str]:
    """The note ids of a carnet page's entries, in the order shown."""
    return re.findall(r'<li id="n-([^"]+)" class="entry', html)


def entry_html(html: str, note_id: str) -> str:
    """The markup of one entry of a carnet page."""
    start = html.index(f'<li id="n-{note_id}"')
    return html[start : html.index("</li>", start)]


def chips(html: str) -> list[str]:
    """The category chips of an entry (each a link filtering the carnet by it)."""
    return re.findall(r'<a class="category" href="[^"]+"(?: aria-current="true")?>([^<]+)</a>', html)


def facets(html: str) -> dict[str, int]:
    """The categories and kinds the carnet page offers to browse by, with their counts."""
    found = re.findall(
        r'class="facet-link[^"]*"[^>]*>(?:<span lang="\w+">)?([^<]+?)(?:</span>)? <span class="n">(\d+)</span>', html
    )
    return {name: int(count) for name, count in found}


def chosen(html: str) -> list[str]:
    """The browsing links of a carnet page shown as chosen."""
    return re.findall(r'class="facet-link" href="[^"]+" aria-current="true">(?:<span lang="\w+">)?([^<]+)', html)


def count_of(html: str) -> str:
    """The "— N notes" of a carnet page's heading."""
    return re.search(r'<span class="count">— ([^<]+)</span>', html).group(1)  # type: ignore[union-attr]


# --- 1. the list of carnets and the creation form -------------------------------------------------


def test_the_list_shows_visible_carnets_with_their_note_count(app, session):
    alice, carol = person(session, "alice", name="Alice Martin"), person(session, "carol")
    one = make_carnet(session, alice, "Carnet du quartier")
    two = make_carnet(session, alice, "Carnet des chantiers")
    hidden = make_carnet(session, alice, "Carnet secret", visibility="restricted")
    integrate(session, alice, one.id, make_note(session, alice, title="Une seule note").id)
    for title in ("Première", "Deuxième"):
        integrate(session, alice, two.id, make_note(session, alice, title=title).id)
    integrate(session, alice, hidden.id, make_note(session, alice, title="Cachée").id)

    for browser in (browser_for(app, session, None), browser_for(app, session, carol)):
        page = browser.get("/c/")
        assert page.status_code == 200
        assert f'href="/c/{one.id}/">Carnet du quartier</a>' in page.text
        assert f'href="/c/{two.id}/">Carnet des chantiers</a>' in page.text
        assert "— 1 note</span>" in page.text and "— 2 notes</span>" in page.text
        assert "Carnet secret" not in page.text and f"/c/{hidden.id}/" not in page.text
    mine = browser_for(app, session, alice).get("/c/")
    assert "Carnet secret" in mine.text
    assert browser_for(app, session, None).get(f"/c/{hidden.id}/").status_code == 404
    assert browser_for(app, session, carol).get(f"/c/{hidden.id}/").status_code == 404


def test_the_create_form_makes_a_carnet_with_two_category_lists(app, session):
    bob = person(session, "bob", name="Bob Tremblay")
    browser = browser_for(app, session, bob)
    assert "Créer un carnet" not in browser_for(app, session, None).get("/c/").text
    created = post(
        browser,
        "/c/",
        "/c/",
        {
            "title": "Veille logement",
            "description": "Un carnet de **veille**.",
            "guide": "Citez vos sources.",
            "visibility": "public",
            "sort": "manual",
            "axis1": "Thème",
            "axis1_categories": "Logement, Santé",
            "axis2": "Région",
            "axis2_categories": "Montréal; Québec",
            "axis3": "",
            "axis3_categories": "",
        },
    )
    assert created.status_code == 303, created.text
    location = created.headers["location"]
    assert re.fullmatch(r"/c/[^/]+/", location)
    page = browser.get(location)
    assert page.status_code == 200
    assert '<h1><span lang="fr">Veille logement' in page.text and "<strong>veille</strong>" in page.text
    assert "— 0 note</span>" in page.text
    for label in ("Thème", "Région"):
        assert f">{label}</label>" in page.text
    for name in ("Logement", "Santé", "Montréal", "Québec"):
        assert facets(page.text)[name] == 0
    assert "Bob Tremblay" in page.text  # its creator manages it
    assert "Gérer le carnet" in page.text
    assert "Veille logement" in browser_for(app, session, None).get("/c/").text


def test_a_bad_create_form_is_shown_again_with_what_was_typed(app, session):
    bob = person(session, "bob")
    browser = browser_for(app, session, bob)
    token = token_of(browser)
    untitled = browser.post(
        "/c/",
        data={
            "title": "",
            "description": "Ma description",
            "axis1": "Thème",
            "axis1_categories": "Logement, Santé",
            "csrf_token": token,
        },
    )
    assert untitled.status_code == 422
    assert "Certains champs sont à corriger" in untitled.text
    assert 'value="Thème"' in untitled.text and 'value="Logement, Santé"' in untitled.text
    assert ">Ma description</textarea>" in untitled.text

    eleven = ", ".join(f"Catégorie {i}" for i in range(1, 12))
    too_many = browser.post(
        "/c/", data={"title": "Trop de catégories", "axis1": "Thème", "axis1_categories": eleven, "csrf_token": token}
    )
    assert too_many.status_code == 422
    assert 'value="Trop de catégories"' in too_many.text and f'value="{eleven}"' in too_many.text

    twice = browser.post(
        "/c/", data={"title": "Doublons", "axis1": "Thème", "axis1_categories": "Santé, sante", "csrf_token": token}
    )
    assert twice.status_code == 422 and 'value="Doublons"' in twice.text

    listing = browser.get("/c/").text
    assert "Trop de catégories</a>" not in listing and "Doublons</a>" not in listing
    assert "Aucun carnet pour l'instant." in unescape(listing)


# --- 2. a carnet's page -----------------------------------------------------------------------


def test_the_carnet_page_shows_its_notes_and_who_integrated_them_when(app, session):
    alice = person(session, "alice", name="Alice Martin")
    carnet = make_carnet(session, alice, description="Des notes sur les **chantiers** ouverts.")
    row = session.get(Carnet, carnet.id)
    winter = make_note(session, alice, title="Chantier hivernal")
    filing.integrate(
        session,
        alice,
        row,
        session.get(Note, winter.id),
        ["Logement", "Québec"],
        added_at=datetime(2025, 11, 22, 19, 28, tzinfo=UTC),
    )
    session.commit()
    visitor = browser_for(app, session, None)
    page = visitor.get(f"/c/{carnet.id}/")
    assert page.status_code == 200
    assert '<h1><span lang="fr">Carnet des chantiers' in page.text
    assert "Des notes sur les <strong>chantiers</strong> ouverts." in page.text
    assert count_of(page.text) == "1 note"
    item = entry_html(page.text, winter.id)
    assert f'href="/n/{winter.id}/?carnet={carnet.id}">Chantier hivernal</a>' in item
    # Winter in Toronto is UTC-5.
    text = " ".join(unescape(re.sub(r"<[^>]+>", "", item)).split())
    assert "Intégré par Alice Martin, le 22 novembre 2025 14:28" in text
    assert chips(item) == ["Logement", "Québec"]

    summer = make_note(session, alice, title="Chantier estival")
    filing.integrate(
        session, alice, row, session.get(Note, summer.id), [], added_at=datetime(2025, 7, 1, 18, 5, tzinfo=UTC)
    )
    session.commit()
    page = visitor.get(f"/c/{carnet.id}/")
    assert count_of(page.text) == "2 notes"
    text = " ".join(unescape(re.sub(r"<[^>]+>", "", entry_html(page.text, summer.id))).split())
    # Summer in Toronto is UTC-4, and the first of the month is "1er".
    assert "Intégré par Alice Martin, le 1er juillet 2025 14:05" in text
    assert re.search(r"Intégré par Alice Martin, le \d{1,2}(er)? [a-zéû]+ \d{4} \d{2}:\d{2}", text)
    assert chips(entry_html(page.text, summer.id)) == []


def test_pinned_notes_come_first(app, session):
    alice = person(session, "alice")
    carnet = make_carnet(session, alice)
    first, second, third = (make_note(session, alice, title=t) for t in ("Alpha", "Bêta", "Gamma"))
    for note in (first, second):
        integrate(session, alice, carnet.id, note.id)
    integrate(session, alice, carnet.id, third.id, pinned=True)
    page = browser_for(app, session, None).get(f"/c/{carnet.id}/")
    assert entry_ids(page.text) == [third.id, first.id, second.id]
    assert '<span class="pin">Épinglée</span>' in entry_html(page.text, third.id)
    assert "Épinglée" not in entry_html(page.text, first.id)
    assert page.text.count('<span class="pin">Épinglée</span>') == 1


def test_the_filters_of_a_carnet_page_work_through_the_query(app, session):
    alice, bob = person(session, "alice", name="Alice Martin"), person(session, "bob", name="Bob Tremblay")
    carnet = make_carnet(session, alice)
    add_member(session, alice, carnet.id, "bob")
    housing = make_note(session, alice, title="Coopérative Zeta", body="Une coopérative d'habitation.")
    health = make_note(session, alice, title="Clinique Beta", body="Une clinique de quartier.")
    coop = make_note(session, bob, title="Atelier Alpha", kind="organisation", body="Un atelier de réparation.")
    integrate(session, alice, carnet.id, housing.id, ["Logement", "Montréal"])
    integrate(session, alice, carnet.id, health.id, ["Santé", "Montréal"])
    integrate(session, bob, carnet.id, coop.id, ["Logement", "Québec"])
    visitor = browser_for(app, session, None)
    url = f"/c/{carnet.id}/"

    everything = visitor.get(url).text
    assert entry_ids(everything) == [housing.id, health.id, coop.id]
    assert facets(everything) == {"Logement": 2, "Santé": 1, "Montréal": 2, "Québec": 1, "Note": 2, "Organisation": 1}
    assert "Tout afficher" not in everything

    logement = visitor.get(url, params={"category": "Logement"}).text
    assert entry_ids(logement) == [housing.id, coop.id]
    assert "2 notes correspondent" in logement and "Tout afficher" in logement
    assert chosen(logement) == ["Logement"]
    # The counts of the other list follow the chosen category.
    assert facets(logement) == {"Logement": 2, "Santé": 1, "Montréal": 1, "Québec": 1, "Note": 1, "Organisation": 1}
    both = visitor.get(url, params=[("category", "Logement"), ("category", "Québec")]).text
    assert entry_ids(both) == [coop.id] and "1 note correspond" in both
    assert entry_ids(visitor.get(url, params={"category": "Santé", "kind": "organisation"}).text) == []
    assert "Aucune note ne correspond." in unescape(
        visitor.get(url, params={"category": "Santé", "kind": "organisation"}).text
    )

    assert entry_ids(visitor.get(url, params={"kind": "organisation"}).text) == [coop.id]
    assert entry_ids(visitor.get(url, params={"author": "bob"}).text) == [coop.id]
    assert entry_ids(visitor.get(url, params={"author": "alice"}).text) == [housing.id, health.id]
    # A display name, or part of one, accents and case ignored, finds the same notes.
    for name in ("Bob Tremblay", "TREMBLÂY", "bob t"):
        assert entry_ids(visitor.get(url, params={"author": name}).text) == [coop.id], name
    assert entry_ids(visitor.get(url, params={"author": "Martin Nobody"}).text) == []
    assert entry_ids(visitor.get(url, params={"q": "clinique"}).text) == [health.id]
    by_title = visitor.get(url, params={"sort": "title"}).text
    assert entry_ids(by_title) == [coop.id, health.id, housing.id]
    assert '<a href="/c/' in by_title and 'aria-current="true">titre</a>' in by_title

    # What the carnet does not have (an old link, an edited address) is left out, the rest kept.
    unknown = visitor.get(url, params=[("category", "Inconnue"), ("kind", "roman"), ("sort", "hasard")])
    assert unknown.status_code == 200 and entry_ids(unknown.text) == [housing.id, health.id, coop.id]
    assert "Tout afficher" not in unknown.text and chosen(unknown.text) == []
    kept = visitor.get(
        url, params=[("category", "Inconnue"), ("category", "Santé"), ("kind", "roman"), ("q", "clinique")]
    )
    assert kept.status_code == 200 and entry_ids(kept.text) == [health.id] and chosen(kept.text) == ["Santé"]
    main = kept.text[kept.text.index("<main") : kept.text.index("</main>")]
    assert "Inconnue" not in main and "roman" not in main  # nor carried on by its links
    long_name = visitor.get(url, params=[("category", "x" * 300), ("category", "\x00")])
    assert long_name.status_code == 200 and entry_ids(long_name.text) == [housing.id, health.id, coop.id]


def test_the_browsing_links_combine_one_category_per_list_and_each_filter_comes_off(app, session):
    alice = person(session, "alice")
    carnet = make_carnet(session, alice)
    note = make_note(session, alice, title="Coopérative Zeta")
    integrate(session, alice, carnet.id, note.id, ["Logement", "Montréal"])
    clinic = make_note(session, alice, title="Clinique Zeta")
    integrate(session, alice, carnet.id, clinic.id, ["Santé"])
    visitor = browser_for(app, session, None)
    url = f"/c/{carnet.id}/"

    def link(html: str, name: str) -> str:
        return unescape(re.search(rf'class="facet-link" href="([^"]+)"[^>]*><span lang="fr">{name}<', html).group(1))  # type: ignore[union-attr]

    page = visitor.get(url).text
    assert link(page, "Logement") == f"{url}?category=Logement"
    # The chip on the entry filters as the list's link does.
    assert (
        unescape(re.search(r'<a class="category" href="([^"]+)">Logement</a>', page).group(1))
        == f"{url}?category=Logement"
    )  # type: ignore[union-attr]
    chosen_one = visitor.get(url, params={"category": "Logement", "q": "zeta"}).text
    # Another list adds to the choice; another category of the same list takes its place; the
    # chosen one takes itself off; the text stays throughout.
    assert link(chosen_one, "Montréal") == f"{url}?category=Logement&category=Montr%C3%A9al&q=zeta"
    assert link(chosen_one, "Santé") == f"{url}?category=Sant%C3%A9&q=zeta"
    assert link(chosen_one, "Logement") == f"{url}?q=zeta"
    # The filters in force, each with a link without it, and one without any.
    removals = {
        " ".join(unescape(re.sub(r"<[^>]+>", "", label)).split()): unescape(href)
        for href, label in re.findall(r'<a class="chip" href="([^"]+)">(.*?)</a>', chosen_one)
    }
    assert removals == {
        "Retirer le filtre Thème : Logement ✕": f"{url}?q=zeta",
        "Retirer le filtre Texte : « zeta » ✕": f"{url}?category=Logement",
    }
    assert f'<a href="{url}">Tout afficher</a>' in chosen_one
    # The text form sends the chosen categories along.
    assert '<input type="hidden" name="category" value="Logement">' in chosen_one


def test_the_counts_of_a_carnet_never_count_what_the_reader_may_not_see(app, session):
    alice, carol = person(session, "alice"), person(session, "carol")
    carnet = make_carnet(session, alice)
    shown = make_note(session, alice, title="Note publique")
    hidden = make_note(session, alice, title="Note réservée", kind="term", visibility="restricted")
    integrate(session, alice, carnet.id, shown.id, ["Logement", "Montréal"])
    integrate(session, alice, carnet.id, hidden.id, ["Logement", "Québec"])
    url = f"/c/{carnet.id}/"
    for someone in (None, carol):
        page = browser_for(app, session, someone).get(url).text
        assert facets(page) == {"Logement": 1, "Santé": 0, "Montréal": 1, "Québec": 0}  # one kind: no kind list
        assert "Note réservée" not in page
        logement = browser_for(app, session, someone).get(url, params={"category": "Logement"}).text
        assert facets(logement)["Québec"] == 0 and "1 note correspond" in logement
    page = browser_for(app, session, alice).get(url).text
    assert facets(page) == {"Logement": 2, "Santé": 0, "Montréal": 1, "Québec": 1, "Note": 1, "Terme": 1}


def test_a_long_carnet_is_paginated(app, session):
    alice = person(session, "alice")
    carnet = make_carnet(session, alice, axes=())
    ids = []
    row = session.get(Carnet, carnet.id)
    for i in range(52):
        note = filing.create_note(session=session, actor=alice, data=NoteCreate(title=f"Note numéro {i:02d}"))
        filing.integrate(session, alice, row, session.get(Note, note.id), [])
        ids.append(note.id)
    session.commit()
    visitor = browser_for(app, session, None)
    first = visitor.get(f"/c/{carnet.id}/")
    assert count_of(first.text) == "52 notes"
    assert entry_ids(first.text) == ids[:50]
    assert "Page 1 / 2" in first.text and f'href="/c/{carnet.id}/?p=2"' in first.text
    second = visitor.get(f"/c/{carnet.id}/?p=2")
    assert entry_ids(second.text) == ids[50:]
    assert "Page 2 / 2" in second.text and f'href="/c/{carnet.id}/?p=1"' in second.text
    # The filters follow from page to page.
    filtered = visitor.get(f"/c/{carnet.id}/", params={"q": "numéro"})
    assert f'href="/c/{carnet.id}/?q=num%C3%A9ro&amp;p=2"' in filtered.text


# --- 3. contributors ------------------------------------------------------------------------------


def test_contributors_see_the_guide_and_integrate_notes_by_title_or_id(app, session):
    alice, bob = person(session, "alice", name="Alice Martin"), person(session, "bob", name="Bob Tremblay")
    carnet = make_carnet(session, alice, guide="Citez **vos sources**.")
    add_member(session, alice, carnet.id, "bob")
    by_title = make_note(session, alice, title="Chantier du parc")
    by_id = make_note(session, alice, title="Chantier du port")
    url = f"/c/{carnet.id}/"

    reader = browser_for(app, session, None).get(url).text
    assert "Guide de rédaction" not in reader and "Intégrer une note existante" not in reader
    assert "/n/new?carnet=" not in reader

    browser = browser_for(app, session, bob)
    page = browser.get(url).text
    assert "Guide de rédaction" in page and "Citez <strong>vos sources</strong>." in page
    assert "Intégrer une note existante" in page
    action = f"/c/{carnet.id}/notes"
    token = csrf_from(page, action)
    done = browser.post(
        action,
        data={"note": "Chantier du parc", "categories": ["Logement", ""], "csrf_token": token},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == f"{url}#n-{by_title.id}"
    done = browser.post(
        action,
        data={"note": f"Chantier du port [{by_id.id}]", "categories": ["", "Québec"], "csrf_token": token},
        follow_redirects=False,
    )
    assert done.status_code == 303

    after = browser.get(url).text
    assert count_of(after) == "2 notes"
    assert "Retirer du carnet" not in after  # the tools wait for the "Organiser" mode
    after = browser.get(url, params={"organiser": "1"}).text
    first = entry_html(after, by_title.id)
    assert chips(first) == ["Logement"] and "Intégré par" in first and "Bob Tremblay" in first
    assert chips(entry_html(after, by_id.id)) == ["Québec"]
    # A contributor takes out what they integrated, but does not order or pin.
    assert "Retirer du carnet" in first
    assert "Monter" not in after and "Épingler" not in after and "data-reorder" not in after
    assert "/static/carnet.js" not in after


def test_the_note_page_adds_the_note_to_a_carnet_the_reader_contributes_to(app, session):
    alice, carol, eve = person(session, "alice"), person(session, "carol"), person(session, "eve")
    chantiers = make_carnet(session, alice, guide="Citez **vos sources**.")
    full = make_carnet(session, alice, title="Carnet déjà fourni")
    theirs = make_carnet(session, carol, title="Carnet de Carol")
    note = make_note(session, carol, title="Chantier du parc")
    integrate(session, alice, full.id, note.id)
    url, adding = f"/n/{note.id}/", f"/n/{note.id}/ajouter"

    # Offered only to who contributes somewhere the note is not yet.
    assert "Ajouter à un carnet" not in browser_for(app, session, None).get(url).text
    assert "Ajouter à un carnet" not in browser_for(app, session, eve).get(url).text
    assert "Vous ne contribuez à aucun carnet" in browser_for(app, session, eve).get(adding).text
    browser = browser_for(app, session, alice)
    page = browser.get(url).text
    offered = re.search(r'<select id="add-carnet" name="carnet">(.*?)</select>', page, re.S).group(1)  # type: ignore[union-attr]
    assert re.findall(r'<option value="([^"]+)"', offered) == [chantiers.id]
    assert f'action="{adding}"' in page

    # Without JavaScript: the carnets, the one holding the note marked, then the chosen one's guide and categories.
    listing = browser.get(adding).text
    assert 'Carnet déjà fourni</span> <span class="meta">(contient déjà cette note)' in listing
    assert f'href="{adding}?carnet={chantiers.id}"' in listing and theirs.id not in listing
    chosen = browser.get(adding, params={"carnet": chantiers.id}).text
    assert "Citez <strong>vos sources</strong>." in chosen and '<option lang="fr">Logement</option>' in chosen
    token = csrf_from(chosen, adding)
    done = browser.post(
        adding,
        data={"carnet": chantiers.id, "categories": ["Logement", ""], "csrf_token": token},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == f"{url}#carnets-titre"
    after = browser.get(url).text
    assert 'id="add-carnet"' not in after  # both of Alice's carnets hold it now
    assert '<span class="category">Logement</span>' in after
    assert chips(entry_html(browser.get(f"/c/{chantiers.id}/").text, note.id)) == ["Logement"]

    # Refused: a carnet Alice does not contribute to; one holding the note says so on the same page.
    assert browser.post(adding, data={"carnet": theirs.id, "csrf_token": token}).status_code == 403
    again = browser.post(adding, data={"carnet": full.id, "csrf_token": token})
    assert again.status_code == 409 and "Cette note est déjà dans ce carnet." in unescape(again.text)
    assert "Ajouter « Chantier du parc » à un carnet" in page_text(again.text)


def test_integrating_with_a_category_of_another_carnet_integrates_nothing(app, session):
    alice, bob = person(session, "alice"), person(session, "bob")
    carnet = make_carnet(session, alice)
    make_carnet(session, alice, "Autre carnet", axes=(("Genre", ["Roman"]),))
    add_member(session, alice, carnet.id, "bob")
    note = make_note(session, alice, title="Chantier du parc")
    browser = browser_for(app, session, bob)
    action = f"/c/{carnet.id}/notes"
    refused = post(browser, f"/c/{carnet.id}/", action, {"note": "Chantier du parc", "categories": ["Roman"]})
    assert refused.status_code == 422
    assert "Certains champs sont à corriger" in refused.text
    assert 'value="Chantier du parc"' in refused.text  # what was typed stays in the field
    assert entry_ids(refused.text) == []
    unknown = post(browser, f"/c/{carnet.id}/", action, {"note": "Une note qui n'existe pas"})
    assert unknown.status_code == 422
    page = browser.get(f"/c/{carnet.id}/").text
    assert count_of(page) == "0 note" and note.id not in entry_ids(page)
    assert browser.get(f"/n/{note.id}/").text.count("Dans les carnets") == 0


def test_a_note_is_filed_from_part_of_its_title_and_several_matches_are_offered_to_choose(app, session):
    alice, bob = person(session, "alice"), person(session, "bob")
    carnet = make_carnet(session, alice)
    add_member(session, alice, carnet.id, "bob")
    veille = make_note(session, alice, title="Intelligence artificielle et partage de veille")
    shared = make_note(session, alice, title="Veille partagée des bibliothèques")
    parc = make_note(session, alice, title="Chantier du parc")
    make_note(session, alice, title="Veille partagée secrète", visibility="restricted")
    browser = browser_for(app, session, bob)
    url, action = f"/c/{carnet.id}/", f"/c/{carnet.id}/notes"
    # One note has words starting with those typed: it is filed.
    done = post(browser, url, action, {"note": "chantier PARC"})
    assert done.status_code == 303 and done.headers["location"] == f"{url}#n-{parc.id}"
    # Several: the form comes back listing them (never a note the curator may not see).
    several = post(browser, url, action, {"note": "Veille part"})
    assert several.status_code == 422
    assert "Plusieurs notes correspondent : choisissez-en une." in unescape(several.text)
    offered = re.findall(r'<input type="radio" name="note" value="([^"]*)"', several.text)
    assert [unescape(v) for v in offered] == [f"{shared.title} [{shared.id}]", f"{veille.title} [{veille.id}]"]
    assert "secrète" not in several.text
    chosen = post(browser, url, action, {"note": unescape(offered[1])})
    assert chosen.status_code == 303 and chosen.headers["location"] == f"{url}#n-{veille.id}"
    # None: said with what was typed, in the reader's language.
    none = post(browser, url, action, {"note": "zzz introuvable"})
    assert none.status_code == 422 and "Aucune note ne correspond à « zzz introuvable »." in unescape(none.text)
    english = browser.post(f"{action}?lang=en", data={"note": "Veille part", "csrf_token": token_of(browser)})
    assert "Several notes match: choose one." in english.text and "Which note?" in english.text
    assert entry_ids(browser.get(url).text) == [parc.id, veille.id]


def test_creating_a_note_in_the_carnet_files_it_there(app, session):
    alice, bob = person(session, "alice", name="Alice Martin"), person(session, "bob", name="Bob Tremblay")
    carnet = make_carnet(session, alice, guide="Une note **par chantier**.")
    add_member(session, alice, carnet.id, "bob")
    browser = browser_for(app, session, bob)
    page = browser.get(f"/c/{carnet.id}/").text
    assert re.search(rf'href="/n/new\?carnet={carnet.id}">.*Créer une note dans le carnet</a>', page)

    form = browser.get(f"/n/new?carnet={carnet.id}")
    assert form.status_code == 200
    assert "Une note <strong>par chantier</strong>." in form.text
    assert f'name="carnet" value="{carnet.id}"' in form.text
    assert form.text.count('name="categories"') == 2
    assert '<option lang="fr">Logement</option>' in form.text and '<option lang="fr">Québec</option>' in form.text

    token = csrf_from(form.text, "/n/new")
    created = browser.post(
        "/n/new",
        data={
            "title": "Chantier de la gare",
            "body": "Ouvert en **mai**.",
            "carnet": carnet.id,
            "categories": ["Santé", "Québec"],
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert created.status_code == 303, created.text
    note_url = created.headers["location"]
    note_page = browser.get(note_url).text
    section = note_page[note_page.index("Dans les carnets") :]
    section = section[: section.index("</section>")]
    assert f'href="/c/{carnet.id}/">Carnet des chantiers</a>' in section
    assert '<span class="category">Santé</span>' in section and '<span class="category">Québec</span>' in section
    assert "Intégré par" in section and "Bob Tremblay" in section
    note_id = note_url.split("/")[2]
    carnet_page = browser.get(f"/c/{carnet.id}/").text
    assert entry_ids(carnet_page) == [note_id] and count_of(carnet_page) == "1 note"

    wrong = browser.post(
        "/n/new",
        data={
            "title": "Chantier refusé",
            "body": "Rien.",
            "carnet": carnet.id,
            "categories": ["Roman"],
            "csrf_token": token,
        },
    )
    assert wrong.status_code == 422
    assert 'value="Chantier refusé"' in wrong.text
    assert session.exec(select(Note).where(Note.title == "Chantier refusé")).first() is None
    assert count_of(browser.get(f"/c/{carnet.id}/").text) == "1 note"


def test_strangers_cannot_create_a_note_in_a_carnet(app, session):
    alice, carol = person(session, "alice"), person(session, "carol")
    carnet = make_carnet(session, alice)
    browser = browser_for(app, session, carol)
    assert browser.get(f"/n/new?carnet={carnet.id}").status_code == 403
    token = csrf_from(browser.get("/n/new").text, "/n/new")
    refused = browser.post("/n/new", data={"title": "Intruse", "body": "x", "carnet": carnet.id, "csrf_token": token})
    assert refused.status_code == 403
    assert session.exec(select(Note).where(Note.title == "Intruse")).first() is None


# --- 4. managers ------------------------------------------------------------------------------------


def test_managers_move_pin_and_remove_notes_with_buttons(app, session):
    alice = person(session, "alice")
    carnet = make_carnet(session, alice)
    a, b, c = (make_note(session, alice, title=t) for t in ("Alpha", "Bêta", "Gamma"))
    for note in (a, b, c):
        integrate(session, alice, carnet.id, note.id)
    browser = browser_for(app, session, alice)
    url = f"/c/{carnet.id}/?organiser=1"  # the managers' tools are in the "Organiser" mode
    plain = browser.get(f"/c/{carnet.id}/").text
    assert "data-reorder" not in plain and "carnet.js" not in plain and "Monter" not in plain
    assert "Épingler" not in plain and "Retirer du carnet" not in plain
    assert f'href="/c/{carnet.id}/?organiser=1">Organiser</a>' in plain
    page = browser.get(url).text
    assert "data-reorder" in page and '<script src="/static/carnet.js" defer></script>' in page
    assert "Monter" in page and "Descendre" in page and "Épingler" in page
    assert f'href="/c/{carnet.id}/">Terminer l’organisation</a>' in page

    move = f"/c/{carnet.id}/n/{c.id}/move"
    up = browser.post(move, data={"step": "-1", "csrf_token": csrf_from(page, move)}, follow_redirects=False)
    assert up.status_code == 303 and up.headers["location"] == f"{url}#n-{c.id}"  # back in that mode
    moved = browser.get(url).text
    assert entry_ids(moved) == [a.id, c.id, b.id]
    assert 'role="status">Note déplacée.</p>' in entry_html(moved, c.id)  # said at the note it moved
    down = post(browser, url, f"/c/{carnet.id}/n/{a.id}/move", {"step": "1"})
    assert down.status_code == 303
    assert entry_ids(browser.get(url).text) == [c.id, a.id, b.id]
    post(browser, url, f"/c/{carnet.id}/n/{c.id}/move", {"step": "-1"})  # already first: nothing moves
    assert entry_ids(browser.get(url).text) == [c.id, a.id, b.id]

    pinned = post(browser, url, f"/c/{carnet.id}/n/{b.id}/pin", {"pinned": "1"})
    assert pinned.status_code == 303
    page = browser.get(url).text
    assert entry_ids(page) == [b.id, c.id, a.id]
    assert "Épinglée" in entry_html(page, b.id) and "Désépingler" in entry_html(page, b.id)
    post(browser, url, f"/c/{carnet.id}/n/{b.id}/pin", {"pinned": "0"})
    assert "Épinglée" not in browser.get(url).text

    removed = post(browser, url, f"/c/{carnet.id}/n/{a.id}/remove", {})
    assert removed.status_code == 303 and removed.headers["location"] == url
    said = browser.get(removed.headers["location"]).text
    assert "Note « Alpha » retirée du carnet : elle reste sur le site. · Annuler" in page_text(said)  # once
    page = browser.get(url).text
    assert "retirée du carnet" not in page
    assert a.id not in entry_ids(page) and count_of(page) == "2 notes"
    assert browser.get(f"/n/{a.id}/").status_code == 200  # the note itself stays


def test_the_organiser_tools_return_to_the_view_they_were_used_from(app, session):
    alice = person(session, "alice")
    carnet = make_carnet(session, alice)
    a, b = make_note(session, alice, title="Alpha"), make_note(session, alice, title="Bêta")
    integrate(session, alice, carnet.id, a.id, ["Logement"])
    integrate(session, alice, carnet.id, b.id)
    base = bases.create(session=session, actor=alice, data=BaseCreate(title="Base du réseau"))
    bases.add_carnet(session=session, actor=alice, base_id=base.id, data=BaseCarnetAdd(carnet_id=carnet.id))
    session.commit()
    browser = browser_for(app, session, alice)
    view = f"/c/{carnet.id}/?sort=title&base={base.id}"
    organising = f"{view}&organiser=1"
    assert f'href="{escape(organising)}">Organiser</a>' in browser.get(view).text
    page = browser.get(organising).text

    def view_field(html: str) -> str:
        return unescape(re.search(r'name="view" value="([^"]*)"', html).group(1))  # type: ignore[union-attr]

    # Pinning, then filing a note, come back to the same order, in the same base.
    pin = f"/c/{carnet.id}/n/{b.id}/pin"
    pinned = post(browser, organising, pin, {"pinned": "1", "view": view_field(page)})
    assert pinned.headers["location"] == f"{organising}#n-{b.id}"
    back = browser.get(pinned.headers["location"]).text
    assert "Épinglée" in entry_html(back, b.id) and "Base du réseau" in back  # the breadcrumb's base
    classer = unescape(re.search(rf'href="(/c/{carnet.id}/n/{a.id}[^"]*)">Classer', back).group(1))  # type: ignore[union-attr]
    assert classer == f"/c/{carnet.id}/n/{a.id}?sort=title&base={base.id}"
    entry = browser.get(classer).text
    assert f'href="{escape(organising)}#n-{a.id}"' in entry
    filed = post(browser, classer, f"/c/{carnet.id}/n/{a.id}", {"categories": ["Santé"], "view": view_field(entry)})
    assert filed.headers["location"] == f"{organising}#n-{a.id}"
    # Only a carnet view is returned to, whatever the field holds.
    odd = post(browser, organising, pin, {"pinned": "0", "view": "next=https://ailleurs.example&organiser=0&sort=x"})
    assert odd.headers["location"] == f"/c/{carnet.id}/?sort=x&organiser=1#n-{b.id}"
    assert browser.get(odd.headers["location"]).status_code == 200  # an order it does not have is left out


def test_drag_and_drop_is_offered_only_to_managers_on_the_manual_unfiltered_order(app, session):
    alice, bob = person(session, "alice"), person(session, "bob")
    carnet = make_carnet(session, alice)
    add_member(session, alice, carnet.id, "bob")
    note = make_note(session, alice, title="Alpha")
    integrate(session, alice, carnet.id, note.id, ["Logement"])
    url = f"/c/{carnet.id}/"
    organise = {"organiser": "1"}
    manager = browser_for(app, session, alice)
    assert "data-reorder" in manager.get(url, params=organise).text
    assert "data-reorder" not in manager.get(url).text
    for params in ({"q": "alpha"}, {"category": "Logement"}, {"sort": "title"}, {"kind": "note"}):
        page = manager.get(url, params={**params, **organise}).text
        assert "data-reorder" not in page and "/static/carnet.js" not in page and "Monter" not in page
        assert "Épingler" in page  # pinning needs no order
    for someone in (bob, None, person(session, "carol")):
        page = browser_for(app, session, someone).get(url, params=organise).text
        assert entry_ids(page) == [note.id]
        assert "data-reorder" not in page and "/static/carnet.js" not in page
        assert "Monter" not in page and "Descendre" not in page and "Épingler" not in page
        assert "Gérer le carnet" not in page
    make_carnet(session, alice, "Par titre", sort="title")
    by_title = session.exec(select(Carnet).where(Carnet.title == "Par titre")).one()
    integrate(session, alice, by_title.id, note.id)
    assert "data-reorder" not in manager.get(f"/c/{by_title.id}/", params=organise).text


def test_the_entry_page_files_pins_and_places_a_note(app, session):
    alice, bob = person(session, "alice"), person(session, "bob")
    carnet = make_carnet(session, alice)
    add_member(session, alice, carnet.id, "bob")
    a, b = make_note(session, alice, title="Alpha"), make_note(session, alice, title="Bêta")
    integrate(session, alice, carnet.id, a.id, ["Logement"])
    integrate(session, alice, carnet.id, b.id)
    browser = browser_for(app, session, alice)
    entry_url = f"/c/{carnet.id}/n/{b.id}"
    page = browser.get(entry_url)
    assert page.status_code == 200
    assert page.text.count('name="categories"') == 2 and 'name="pinned"' in page.text and 'name="position"' in page.text
    saved = browser.post(
        entry_url,
        data={"categories": ["Santé", "Montréal"], "position": "0", "csrf_token": csrf_from(page.text, entry_url)},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    url = f"/c/{carnet.id}/"
    after = browser.get(url).text
    assert entry_ids(after) == [b.id, a.id]
    item = entry_html(after, b.id)
    assert chips(item) == ["Santé", "Montréal"]
    assert "Épinglée" not in item
    again = browser.get(entry_url).text
    assert (
        '<option lang="fr" selected>Santé</option>' in again and '<option lang="fr" selected>Montréal</option>' in again
    )
    post(browser, entry_url, entry_url, {"categories": ["Santé", ""], "pinned": "on", "position": "1"})
    after = browser.get(url).text
    assert "Épinglée" in entry_html(after, b.id) and "Montréal" not in chips(entry_html(after, b.id))
    wrong = post(browser, entry_url, entry_url, {"categories": ["Roman"]})
    assert wrong.status_code == 422
    assert chips(entry_html(browser.get(url).text, b.id)) == ["Santé"]

    # A contributor files (categories) but gets no pin or position.
    contributor = browser_for(app, session, bob)
    theirs = contributor.get(entry_url).text
    assert 'name="categories"' in theirs and 'name="pinned"' not in theirs and 'name="position"' not in theirs
    assert post(contributor, entry_url, entry_url, {"categories": ["Logement", ""]}).status_code == 303
    assert chips(entry_html(browser.get(url).text, b.id)) == ["Logement"]


def test_renaming_a_category_renames_it_on_every_note(app, session):
    alice = person(session, "alice")
    carnet = make_carnet(session, alice)
    notes = [make_note(session, alice, title=t) for t in ("Alpha", "Bêta")]
    for note in notes:
        integrate(session, alice, carnet.id, note.id, ["Logement"])
    browser = browser_for(app, session, alice)
    edit = browser.get(f"/c/{carnet.id}/edit")
    assert edit.status_code == 200 and "Gérer le carnet" in edit.text and 'value="Logement"' in edit.text
    assert "(2 notes)" in edit.text
    action = f"/c/{carnet.id}/categories/rename"
    renamed = browser.post(
        action,
        data={"name": "Logement", "new_name": "Habitation", "csrf_token": csrf_from(edit.text, action)},
        follow_redirects=False,
    )
    assert renamed.status_code == 303
    page = browser.get(f"/c/{carnet.id}/").text
    for note in notes:
        item = entry_html(page, note.id)
        assert "Habitation" in chips(item) and "Logement" not in item
    assert facets(page)["Habitation"] == 2 and "Logement" not in page


def test_deleting_a_filed_category_asks_what_becomes_of_its_notes(app, session):
    alice = person(session, "alice")
    carnet = make_carnet(session, alice)
    notes = [make_note(session, alice, title=t) for t in ("Alpha", "Bêta")]
    for note in notes:
        integrate(session, alice, carnet.id, note.id, ["Logement", "Québec"])
    browser = browser_for(app, session, alice)
    edit = browser.get(f"/c/{carnet.id}/edit").text
    assert f'href="/c/{carnet.id}/categories/delete?name=Logement"' in edit
    confirm = browser.get(f"/c/{carnet.id}/categories/delete", params={"name": "Logement"})
    assert confirm.status_code == 200
    assert "2 notes sont classées dans cette catégorie" in confirm.text
    for choice in ("uncategorise", "move", "remove"):
        assert f'name="notes" value="{choice}"' in confirm.text
    assert (
        '<option lang="fr">Santé</option>' in confirm.text and '<option lang="fr">Montréal</option>' not in confirm.text
    )
    action = f"/c/{carnet.id}/categories/delete"
    moved = browser.post(
        action,
        data={"name": "Logement", "notes": "move", "to": "Santé", "csrf_token": csrf_from(confirm.text, action)},
        follow_redirects=False,
    )
    assert moved.status_code == 303
    page = browser.get(f"/c/{carnet.id}/").text
    assert count_of(page) == "2 notes"
    for note in notes:
        item = entry_html(page, note.id)
        assert chips(item) == ["Santé", "Québec"]
    assert "Logement" not in page and facets(page)["Santé"] == 2

    empty = browser.get(f"/c/{carnet.id}/categories/delete", params={"name": "Montréal"})
    assert "Aucune note n'est classée dans cette catégorie." in unescape(empty.text)
    removed = post(
        browser, f"/c/{carnet.id}/categories/delete?name=Qu%C3%A9bec", action, {"name": "Québec", "notes": "remove"}
    )
    assert removed.status_code == 303
    page = browser.get(f"/c/{carnet.id}/").text
    assert count_of(page) == "0 note" and "Québec" not in page


def test_strangers_and_visitors_cannot_manage_a_carnet(app, session):
    alice, bob, carol = person(session, "alice"), person(session, "bob"), person(session, "carol")
    carnet = make_carnet(session, alice)
    add_member(session, alice, carnet.id, "bob")
    note = make_note(session, alice, title="Alpha")
    integrate(session, alice, carnet.id, note.id, ["Logement"])
    cid = carnet.id
    stranger = browser_for(app, session, carol)
    token = token_of(stranger)
    attempts = [
        (f"/c/{cid}/n/{note.id}/move", {"step": "1"}),
        (f"/c/{cid}/n/{note.id}/pin", {"pinned": "1"}),
        (f"/c/{cid}/n/{note.id}/remove", {}),
        (f"/c/{cid}/n/{note.id}", {"categories": ["Santé"]}),
        (f"/c/{cid}/notes", {"note": "Alpha"}),
        (f"/c/{cid}/categories/rename", {"name": "Logement", "new_name": "Habitation"}),
        (f"/c/{cid}/categories/delete", {"name": "Logement", "notes": "remove"}),
        (f"/c/{cid}/edit", {"title": "Pris"}),
        (f"/c/{cid}/delete", {}),
    ]
    for action, data in attempts:
        refused = stranger.post(action, data={**data, "csrf_token": token}, follow_redirects=False)
        assert refused.status_code == 403, (action, refused.status_code)
    for url in (f"/c/{cid}/edit", f"/c/{cid}/n/{note.id}", f"/c/{cid}/categories/delete?name=Logement"):
        assert stranger.get(url).status_code == 403, url
    # A contributor does not order, pin or rename.
    contributor = browser_for(app, session, bob)
    ctoken = token_of(contributor)
    for action, data in attempts[:2] + attempts[5:7]:
        assert (
            contributor.post(action, data={**data, "csrf_token": ctoken}, follow_redirects=False).status_code == 403
        ), action
    assert contributor.get(f"/c/{cid}/edit").status_code == 403

    visitor = browser_for(app, session, None)
    to_login = visitor.get(f"/c/{cid}/edit", follow_redirects=False)
    assert to_login.status_code == 303 and to_login.headers["location"].startswith("/login?next=")
    assert f"/c/{cid}/edit" in to_login.headers["location"].replace("%2F", "/")

    page = browser_for(app, session, alice).get(f"/c/{cid}/").text
    assert entry_ids(page) == [note.id] and chips(page) == ["Logement"]
    assert '<h1><span lang="fr">Carnet des chantiers' in page


# --- 5. the note page's carnets ----------------------------------------------------------------------


def test_the_note_page_lists_only_the_carnets_the_reader_may_see(app, session):
    alice, carol = person(session, "alice", name="Alice Martin"), person(session, "carol")
    open_carnet = make_carnet(session, alice, "Carnet ouvert")
    closed = make_carnet(session, alice, "Carnet fermé", visibility="restricted")
    note = make_note(session, alice, title="Chantier partagé")
    integrate(session, alice, open_carnet.id, note.id, ["Logement"])
    integrate(session, alice, closed.id, note.id, ["Santé"])

    def carnets_section(browser):  # type: ignore[no-untyped-def]
        page = browser.get(f"/n/{note.id}/").text
        start = page.index("Dans les carnets")
        return page[start : page.index("</section>", start)]

    for someone in (carol, None):
        seen = carnets_section(browser_for(app, session, someone))
        assert (
            f'href="/c/{open_carnet.id}/">Carnet ouvert</a>' in seen
            and '<span class="category">Logement</span>' in seen
        )
        assert "Carnet fermé" not in seen and closed.id not in seen and "Santé" not in seen
    mine = carnets_section(browser_for(app, session, alice))
    assert "Carnet ouvert" in mine and f'href="/c/{closed.id}/">Carnet fermé</a>' in mine
    assert "Intégré par" in mine and "Alice Martin" in mine

    only_closed = make_note(session, alice, title="Note du carnet fermé")
    integrate(session, alice, closed.id, only_closed.id)
    assert "Dans les carnets" not in browser_for(app, session, carol).get(f"/n/{only_closed.id}/").text


# --- 6. the graph --------------------------------------------------------------------------------------


@one_database  # the drawing's layout: no SQL that could differ
def test_the_graph_of_200_notes_is_readable(app, session):
    alice = person(session, "alice")
    carnet = make_carnet(session, alice, "Grand carnet", axes=())
    row = session.get(Carnet, carnet.id)
    ids: list[str] = []
    expected_edges = set()
    for i in range(200):
        targets = [ids[i - 1]] if i else []
        if i >= 10 and i % 3 == 0:
            targets.append(ids[i // 2])
        note = filing.create_note(
            session=session, actor=alice, data=NoteCreate(title=f"Nœud {i:03d}", links=targets or None)
        )
        filing.integrate(session, alice, row, session.get(Note, note.id), [])
        ids.append(note.id)
        expected_edges.update((note.id, t) for t in targets)
    outsider = make_note(session, alice, title="Hors du carnet")
    linked = filing.create_note(session=session, actor=alice, data=NoteCreate(title="Vers dehors", links=[outsider.id]))
    session.commit()
    assert linked.id not in ids

    page = browser_for(app, session, None).get(f"/c/{carnet.id}/graphe")
    assert page.status_code == 200
    start = page.text.index('<svg id="graph-drawing" viewBox="0 0 ')  # the drawing, not an icon
    svg = page.text[start : page.text.index("</svg>", start)]
    circles = re.findall(r'<circle class="mark" cx="([\d.]+)" cy="([\d.]+)"', svg)
    assert len(circles) == 200 and svg.count("<circle") == 200 and svg.count('class="node ') == 200
    assert svg.count("<line") == len(expected_edges)
    centres = [(float(x), float(y)) for x, y in circles]
    closest = min(dist(p, q) for p, q in combinations(centres, 2))
    assert closest >= 20, f"two nodes are {closest:.1f} px apart"
    width, height = (float(v) for v in re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).groups())  # type: ignore[union-attr]
    assert all(0 <= x <= width and 0 <= y <= height for x, y in centres)
    # Each label too, line by line, as far as its width can be told from its characters (about
    # 7 px at 12 px; the lines 14 px apart).
    labels = re.findall(r'<text x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>', svg)
    assert len(labels) == 200
    for x, y, drawn in labels:
        lines = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", drawn)
        assert lines and " ".join(lines).startswith("Nœud"), drawn
        assert all(float(x) + 7 * len(line) <= width for line in lines), drawn
        assert 0 <= float(y) - 12 and float(y) + 14 * (len(lines) - 1) + 4 <= height, drawn
    for note_id in ids:
        assert f'<a href="/n/{note_id}/?carnet={carnet.id}" class="node' in svg
    assert outsider.id not in svg
    assert "200 notes" in page.text and f"{len(expected_edges)} liens" in page.text

    listing = page.text[page.text.index('<ul class="graph-list">') :]
    listing = listing[: listing.index("</ul>")]
    assert listing.count("<li>") == 200
    here = f"?carnet={carnet.id}"
    assert f'<a href="/n/{ids[1]}/{here}">Nœud 001</a> → <a href="/n/{ids[0]}/{here}">Nœud 000</a>' in listing


# --- 7. bases ------------------------------------------------------------------------------------------


def test_bases_gather_carnets_and_their_notes(app, session):
    alice, carol = person(session, "alice", name="Alice Martin"), person(session, "carol")
    housing = make_carnet(session, alice, "Carnet logement")
    health = make_carnet(session, alice, "Carnet santé")
    secret = make_carnet(session, alice, "Carnet secret", visibility="restricted")
    coop = make_note(session, alice, title="Coopérative Zeta", body="Une coopérative d'habitation.")
    clinic = make_note(session, alice, title="Clinique Beta", kind="organisation", body="Une clinique.")
    hidden = make_note(session, alice, title="Note du carnet secret")
    integrate(session, alice, housing.id, coop.id)
    integrate(session, alice, health.id, clinic.id)
    integrate(session, alice, secret.id, hidden.id)

    browser = browser_for(app, session, alice)
    created = post(
        browser,
        "/b/",
        "/b/",
        {"title": "Base de l'habitat", "description": "Tout sur **l'habitat**.", "visibility": "public"},
    )
    assert created.status_code == 303
    url = created.headers["location"]
    base_id = url.split("/")[2]
    edit_url = f"/b/{base_id}/edit"
    for carnet in (housing, health, secret):
        added = post(browser, edit_url, f"/b/{base_id}/carnets", {"carnet_id": carnet.id})
        assert added.status_code == 303
    edit = browser.get(edit_url).text
    assert f"/b/{base_id}/carnets/{secret.id}/remove" in edit

    listing = browser_for(app, session, None).get("/b/").text
    assert (
        f'href="/b/{base_id}/">Base de l&#39;habitat</a>' in listing
        or f'href="/b/{base_id}/">Base de l\'habitat</a>' in listing
    )

    visitor = browser_for(app, session, carol)
    page = visitor.get(url)
    assert page.status_code == 200
    text = page.text
    assert "<strong>l&#39;habitat</strong>" in text or "<strong>l'habitat</strong>" in text
    assert "Carnets (2)" in text and "Carnet logement" in text and "Carnet santé" in text
    assert "Carnet secret" not in text and "Note du carnet secret" not in text
    assert "Toutes les notes de la base (2)" in text
    assert f'href="/n/{coop.id}/"' in text and f'href="/n/{clinic.id}/"' in text
    assert "Gérer la base" not in text
    mine = browser.get(url).text
    assert "Carnets (3)" in mine and "Note du carnet secret" in mine and "Gérer la base" in mine

    only_health = visitor.get(url, params={"carnet": health.id}).text
    assert f'href="/n/{clinic.id}/"' in only_health and f'href="/n/{coop.id}/"' not in only_health
    assert f'<option value="{health.id}" lang="fr" selected>' in only_health
    organisations = visitor.get(url, params={"kind": "organisation"}).text
    assert f'href="/n/{clinic.id}/"' in organisations and f'href="/n/{coop.id}/"' not in organisations
    by_text = visitor.get(url, params={"q": "coopérative"}).text
    assert f'href="/n/{coop.id}/"' in by_text and f'href="/n/{clinic.id}/"' not in by_text
    assert visitor.get(url, params={"carnet": secret.id}).status_code in (404, 422)

    removed = post(browser, edit_url, f"/b/{base_id}/carnets/{health.id}/remove", {})
    assert removed.status_code == 303
    after = visitor.get(url).text
    assert "Carnets (1)" in after and "Carnet santé" not in after and f'href="/n/{clinic.id}/"' not in after
    assert f'<option value="{health.id}" lang="fr">Carnet santé</option>' in browser.get(edit_url).text


def test_strangers_cannot_manage_a_base_nor_see_a_restricted_one(app, session):
    alice, carol = person(session, "alice"), person(session, "carol")
    carnet = make_carnet(session, alice)
    base = bases.create(session=session, actor=alice, data=BaseCreate(title="Base ouverte"))
    closed = bases.create(session=session, actor=alice, data=BaseCreate(title="Base fermée", visibility="restricted"))
    bases.add_carnet(session=session, actor=alice, base_id=base.id, data=BaseCarnetAdd(carnet_id=carnet.id))
    session.commit()
    stranger = browser_for(app, session, carol)
    assert stranger.get(f"/b/{base.id}/edit").status_code == 403
    token = token_of(stranger)
    assert stranger.post(f"/b/{base.id}/carnets", data={"carnet_id": carnet.id, "csrf_token": token}).status_code == 403
    assert stranger.post(f"/b/{base.id}/carnets/{carnet.id}/remove", data={"csrf_token": token}).status_code == 403
    assert stranger.post(f"/b/{base.id}/delete", data={"csrf_token": token}).status_code == 403
    assert "Base ouverte" in stranger.get(f"/b/{base.id}/").text
    assert "Base fermée" not in stranger.get("/b/").text and "Base ouverte" in stranger.get("/b/").text
    assert stranger.get(f"/b/{closed.id}/").status_code == 404
    assert stranger.get(f"/b/{closed.id}/edit").status_code == 404
    assert (
        stranger.post(f"/b/{closed.id}/carnets", data={"carnet_id": carnet.id, "csrf_token": token}).status_code == 404
    )
    to_login = browser_for(app, session, None).get(f"/b/{base.id}/edit", follow_redirects=False)
    assert to_login.status_code == 303 and to_login.headers["location"].startswith("/login?next=")
    assert "Base fermée" in browser_for(app, session, alice).get("/b/").text
    assert f'href="/c/{carnet.id}/?base={base.id}"' in browser_for(app, session, alice).get(f"/b/{base.id}/").text


def test_the_carnet_page_names_the_base_it_was_reached_from_only_when_the_reader_sees_it_holding_it(app, session):
    alice, carol = person(session, "alice"), person(session, "carol")
    carnet = make_carnet(session, alice)
    note = make_note(session, alice, title="Coopérative Zeta")
    integrate(session, alice, carnet.id, note.id, ["Logement"])
    base = bases.create(session=session, actor=alice, data=BaseCreate(title="Base ouverte"))
    closed = bases.create(session=session, actor=alice, data=BaseCreate(title="Base fermée", visibility="restricted"))
    elsewhere = bases.create(session=session, actor=alice, data=BaseCreate(title="Base d'ailleurs"))
    for holder in (base, closed):
        bases.add_carnet(session=session, actor=alice, base_id=holder.id, data=BaseCarnetAdd(carnet_id=carnet.id))
    session.commit()
    url = f"/c/{carnet.id}/"

    def crumbs(html: str) -> list[str]:
        nav = html[html.index('<nav class="breadcrumb"') : html.index("</nav>", html.index('<nav class="breadcrumb"'))]
        return [" ".join(unescape(re.sub(r"<[^>]+>", "", item)).split()) for item in re.findall(r"<li>(.*?)</li>", nav)]

    for someone in (None, carol):
        reader = browser_for(app, session, someone)
        plain = reader.get(url).text
        assert crumbs(plain) == ["Carnets", "Carnet des chantiers"]
        assert f'href="/n/{note.id}/?carnet={carnet.id}"' in plain
        came = reader.get(url, params={"base": base.id}).text
        assert crumbs(came) == ["Bases", "Base ouverte", "Carnet des chantiers"]
        assert f'<a href="/b/{base.id}/"><span lang="fr">Base ouverte</span></a>' in came
        # The reader stays in the base as they browse and open the notes.
        assert f'href="/n/{note.id}/?carnet={carnet.id}&amp;base={base.id}"' in came
        assert f'href="{url}?category=Logement&amp;base={base.id}"' in came
        assert re.search(rf'<link rel="canonical" href="[^"?]*{url}(\?lang=\w+)?">', came)  # the plain address
        # A base the reader may not see, one not holding the carnet, one that does not exist:
        # ignored exactly as if absent.
        for ignored in (closed.id, elsewhere.id, "nexistepas"):
            page = reader.get(url, params={"base": ignored})
            assert page.status_code == 200
            main = page.text[page.text.index("<main") : page.text.index("</main>")]
            assert crumbs(page.text) == crumbs(plain) and ignored not in main
            assert "Base fermée" not in page.text
    # Alice sees her restricted base: it is named.
    mine = browser_for(app, session, alice).get(url, params={"base": closed.id}).text
    assert crumbs(mine) == ["Bases", "Base fermée", "Carnet des chantiers"]
    assert crumbs(browser_for(app, session, None).get(f"/b/{base.id}/").text) == ["Bases", "Base ouverte"]


# --- 8. exports ------------------------------------------------------------------------------------------


def test_the_carnet_export_holds_what_the_reader_may_see(app, session):
    alice, carol = person(session, "alice"), person(session, "carol")
    carnet = make_carnet(session, alice, "Carnet exporté")
    shared = make_note(session, alice, title="Note publique", body="Visible de toutes et tous.")
    private = make_note(session, alice, title="Note réservée", body="Un secret bien gardé.", visibility="restricted")
    integrate(session, alice, carnet.id, shared.id, ["Logement"])
    integrate(session, alice, carnet.id, private.id, ["Santé"])

    def archive(user):  # type: ignore[no-untyped-def]
        response = browser_for(app, session, user).get(f"/c/{carnet.id}/export.zip")
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/zip"
        zf = zipfile.ZipFile(io.BytesIO(response.content))
        return {name: zf.read(name).decode("utf-8") for name in zf.namelist()}

    theirs = archive(carol)
    assert "manifest.yaml" in theirs
    manifest = yaml.safe_load(theirs["manifest.yaml"])
    assert manifest["carnet"] == carnet.id and manifest["notes"] == 1
    carnet_files = [n for n in theirs if n.startswith("carnets/")]
    assert len(carnet_files) == 1 and "Carnet exporté" in theirs[carnet_files[0]]
    assert any("Note publique" in text for name, text in theirs.items() if name.startswith("notes/"))
    everything = "\n".join(theirs.values())
    assert (
        "Note réservée" not in everything and private.id not in everything and "Un secret bien gardé." not in everything
    )

    hers = archive(alice)
    assert yaml.safe_load(hers["manifest.yaml"])["notes"] == 2
    assert any("Un secret bien gardé." in text for text in hers.values())
    carnet_file = next(text for name, text in hers.items() if name.startswith("carnets/"))
    assert private.id in carnet_file and shared.id in carnet_file

    hidden = make_carnet(session, alice, "Carnet caché", visibility="restricted")
    assert browser_for(app, session, carol).get(f"/c/{hidden.id}/export.zip").status_code == 404


def _zip_text(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    zf = zipfile.ZipFile(io.BytesIO(response.content))
    return "\n".join(zf.read(name).decode("utf-8") for name in zf.namelist())


def test_a_visitor_exporting_a_public_carnet_or_base_gets_only_public_notes(app, session):
    alice = person(session, "alice")
    carnet = make_carnet(session, alice, "Carnet exporté")
    shared = make_note(session, alice, title="Note publique", body="Visible de toutes et tous.")
    private = make_note(session, alice, title="Note réservée", body="Un secret bien gardé.", visibility="restricted")
    integrate(session, alice, carnet.id, shared.id)
    integrate(session, alice, carnet.id, private.id)
    secret = make_carnet(session, alice, "Carnet secret", visibility="restricted")
    integrate(session, alice, secret.id, make_note(session, alice, title="Note du carnet secret").id)
    base = bases.create(session=session, actor=alice, data=BaseCreate(title="Base exportée"))
    for carnet_id in (carnet.id, secret.id):
        bases.add_carnet(session=session, actor=alice, base_id=base.id, data=BaseCarnetAdd(carnet_id=carnet_id))
    session.commit()
    visitor = browser_for(app, session, None)
    for url in (f"/c/{carnet.id}/export.zip", f"/b/{base.id}/export.zip"):
        text = _zip_text(visitor.get(url))
        assert "Note publique" in text, url
        assert "Note réservée" not in text and "Un secret bien gardé." not in text and private.id not in text, url
        assert "Carnet secret" not in text and "Note du carnet secret" not in text and secret.id not in text, url
    # A signed-in stranger gets the same as a visitor.
    stranger = browser_for(app, session, person(session, "carol"))
    text = _zip_text(stranger.get(f"/b/{base.id}/export.zip"))
    assert "Note publique" in text and "Note réservée" not in text and "Carnet secret" not in text


def test_filing_a_note_already_in_the_carnet_says_so_on_the_carnet_rather_than_an_edit_conflict(app, session):
    alice = person(session, "alice")
    carnet = make_carnet(session, alice)
    note = make_note(session, alice, title="Alpha")
    integrate(session, alice, carnet.id, note.id)
    browser = browser_for(app, session, alice)
    for lang, said in (("fr", "Cette note est déjà dans ce carnet."), ("en", "This note is already in this notebook.")):
        again = browser.post(
            f"/c/{carnet.id}/notes?lang={lang}", data={"note": "Alpha", "csrf_token": token_of(browser)}
        )
        assert again.status_code == 409
        # The carnet's own page again, the refusal said at the field where the note was named, as typed.
        assert said in unescape(again.text) and f"<title>{carnet.title}" in again.text
        assert re.search(r'<input id="note" name="note"[^>]*value="Alpha"[^>]*aria-invalid="true"', again.text)
        assert "Quelqu" not in again.text and "Someone else" not in again.text  # no one changed anything meanwhile


def test_a_member_is_named_by_part_of_a_display_name_and_several_matches_are_listed(app, session):
    alice = person(session, "alice")
    person(session, "mgagnon", name="Maryse Gagnon")
    person(session, "mgervais", name="Maryse Gervais")
    carnet = make_carnet(session, alice)
    base = bases.create(session=session, actor=alice, data=BaseCreate(title="Base ouverte"))
    session.commit()
    browser = browser_for(app, session, alice)
    for page_url, action, data in (
        (f"/c/{carnet.id}/edit", f"/c/{carnet.id}/members", {"role": "contributor"}),
        (f"/b/{base.id}/edit", f"/b/{base.id}/managers", {}),
    ):
        several = post(browser, page_url, action, {**data, "username": "maryse"})
        assert several.status_code == 422
        assert "Plusieurs personnes correspondent : Maryse Gagnon (mgagnon), Maryse Gervais (mgervais)." in unescape(
            several.text
        )
        assert "/u/mgagnon/" not in browser.get(page_url).text
        done = post(browser, page_url, action, {**data, "username": "GAGNON"})
        assert done.status_code == 303, done.text
        assert "/u/mgagnon/" in browser.get(page_url).text


def test_a_member_form_naming_nobody_is_shown_again_with_what_was_typed(app, session):
    """An unknown username in the member forms of a carnet, a base and a community: the form's own
    page says so in the reader's language, keeps what was typed, and adds no one."""
    alice = person(session, "alice")
    carnet = make_carnet(session, alice)
    base = bases.create(session=session, actor=alice, data=BaseCreate(title="Base ouverte"))
    community = communities.create(session=session, actor=alice, data=CommunityCreate(name="Cercle du Bas"))
    session.commit()
    forms = [
        (f"/c/{carnet.id}/edit", f"/c/{carnet.id}/members", {"username": "nobdy", "role": "manager"}),
        (f"/b/{base.id}/edit", f"/b/{base.id}/managers", {"username": "nobdy"}),
        (
            f"/communautes/{community.id}/",
            f"/communautes/{community.id}/members",
            {"username": "nobdy", "role": "manager"},
        ),
    ]
    browser = browser_for(app, session, alice)
    for language, said in (
        ("fr", "Aucun compte ne porte le nom d&#39;utilisateur « nobdy »."),
        ("en", "No account has the username “nobdy”."),
    ):
        browser.headers["Accept-Language"] = language
        for page_url, action, data in forms:
            before = browser.get(page_url).text
            refused = post(browser, page_url, action, data)
            assert refused.status_code == 422, (action, refused.text)
            assert said in refused.text, action
            assert 'name="username" required maxlength="64" value="nobdy"' in refused.text, action
            if "role" in data:
                assert '<option value="manager" selected>' in refused.text, action
            assert browser.get(page_url).text.count("/u/") == before.count("/u/"), action


@one_database  # pages and forms; the permission matrix runs the rules on both databases
def test_deleting_a_carnet_or_a_base_asks_first_on_a_page_of_its_own(app, session):
    alice, carol = person(session, "alice"), person(session, "carol")
    carnet = make_carnet(session, alice, title="Carnet à jeter")
    base = bases.create(session=session, actor=alice, data=BaseCreate(title="Base à jeter"))
    session.commit()
    browser, stranger = browser_for(app, session, alice), browser_for(app, session, carol)
    for edit, asking, question, gone, listing in (
        (f"/c/{carnet.id}/edit", f"/c/{carnet.id}/delete", "Supprimer le carnet « Carnet à jeter » ?", "/c/", "/c/"),
        (f"/b/{base.id}/edit", f"/b/{base.id}/delete", "Supprimer la base « Base à jeter » ?", "/b/", "/b/"),
    ):
        settings = browser.get(edit).text
        assert f'href="{asking}"' in settings and f'action="{asking}"' not in settings  # one click deletes nothing
        page = browser.get(asking)
        assert question in unescape(page.text) and "Cette action est définitive." in unescape(page.text)
        assert f'<a href="{edit}">Annuler</a>' in page.text
        assert stranger.get(asking).status_code == 403
        deleted = browser.post(asking, data={"csrf_token": csrf_from(page.text, asking)}, follow_redirects=False)
        assert deleted.status_code == 303 and deleted.headers["location"] == gone
        title = question.split("« ")[1].split(" »")[0]
        said = re.search(r'<p class="banner done" id="fait" role="status">(.*?)</p>', browser.get(listing).text, re.S)
        assert said and f"« {title} » supprimé" in re.sub(r"<[^>]+>", "", said.group(1))  # said once, where one lands
        assert title not in browser.get(listing).text  # and gone from the list
