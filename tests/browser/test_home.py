"""The home page as an entrance, in Chromium at 390 px and 1280 px: it says what the site is, its
cards lead to a carnet, a base, the lexique and the répertoire (a click anywhere on a card), the
recent notes show their kind, and an empty site shows its admin the first steps."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from praxis.carnets import bases, carnets, filing
from praxis.schemas import BaseCarnetAdd, BaseCreate, CarnetCreate, EntryCreate
from tests.browser.test_accessibility import axe_violations
from tests.conftest import one_database
from tests.factories import make_note, make_user

pytestmark = one_database  # what the browser shows and where a click leads: the SQL is the page tests'

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture
def site(session):  # type: ignore[no-untyped-def]
    alice = make_user(session, "alice", name="Alice Rivard", password=None)
    note = make_note(session, alice, title="Tenir un chantier", body="Texte.")
    make_note(session, alice, title="Chantier", kind="term", body="Un projet.", definition="Un projet à durée limitée.")
    make_note(session, alice, title="Culture Laval", kind="organisation", body="Texte.", region="Laval")
    carnet = carnets.create(
        session=session,
        actor=alice,
        data=CarnetCreate(title="Carnet des chantiers", description="Les chantiers du Réseau, un par un."),
    )
    filing.add(session=session, actor=alice, carnet_id=carnet.id, data=EntryCreate(note_id=note.id))
    base = bases.create(
        session=session, actor=alice, data=BaseCreate(title="Base du Réseau", description="Tout ce que le Réseau sait.")
    )
    bases.add_carnet(session=session, actor=alice, base_id=base.id, data=BaseCarnetAdd(carnet_id=carnet.id))
    session.commit()


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]  # type: ignore[index]


def _click_card(page: Page, name: str) -> None:
    """A click on the card's empty corner, away from its title: the whole card is the link."""
    card = page.locator("main .card").filter(has=page.get_by_role("link", name=name, exact=True))
    box = card.bounding_box()
    assert box is not None
    card.click(position={"x": box["width"] - 6, "y": box["height"] - 6})


@pytest.mark.parametrize("size", SIZES)
def test_the_home_page_leads_to_carnets_bases_lexique_and_repertoire(live_site, browser: Browser, site, size):
    context = browser.new_context(locale="fr-CA", viewport=SIZES[size])
    page = context.new_page()
    page.goto(live_site.url + "/")
    main = page.locator("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Praxis")
    expect(main.locator(".home-description")).to_contain_text("Un commun de connaissances")
    expect(main.locator(".card", has_text="Carnet des chantiers")).to_contain_text("1 note")
    expect(main.locator(".card", has_text="Base du Réseau")).to_contain_text("1 carnet")
    expect(main.locator(".card", has_text="Lexique")).to_contain_text("1 terme")
    expect(main.locator(".card", has_text="Répertoire des organisations")).to_contain_text("1 organisation")
    # Recent activity: each note with its kind.
    recent = main.get_by_role("region", name="Activité récente").get_by_role("listitem")
    expect(recent).to_have_count(3)
    for title, kind in (("Tenir un chantier", "Note"), ("Chantier", "Terme"), ("Culture Laval", "Organisation")):
        item = recent.filter(has=page.get_by_role("link", name=title, exact=True))
        expect(item.locator(".kind")).to_have_text(kind)
        expect(item).to_contain_text("Alice Rivard · publiée le")
    _no_sideways_scroll(page)

    for card, heading in (
        ("Carnet des chantiers", "Carnet des chantiers"),
        ("Base du Réseau", "Base du Réseau"),
        ("Lexique", "Lexique"),
        ("Répertoire des organisations", "Répertoire des organisations"),
    ):
        page.goto(live_site.url + "/")
        _click_card(page, card)
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    page.goto(live_site.url + "/")
    main.get_by_role("link", name="Toutes les notes").click()
    expect(page).to_have_url(live_site.url + "/notes/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Toutes les notes")
    expect(page.locator("ul.notes li")).to_have_count(3)
    _no_sideways_scroll(page)
    context.close()


@pytest.mark.parametrize(("size", "scheme"), [("phone", "dark"), ("desktop", "light")])
def test_an_empty_site_shows_its_admin_the_first_steps(live_site, browser: Browser, session, size, scheme):
    admin = make_user(session, "root", name="Adèle Admin", admin=True, password=None)
    context = live_site.signed_in(browser, session, admin)
    page = context.new_page()
    page.set_viewport_size(SIZES[size])
    page.emulate_media(color_scheme=scheme)
    page.goto(live_site.url + "/")
    steps = page.get_by_role("region", name="Premiers pas")
    expect(steps).to_contain_text("Ce site ne contient encore aucune note.")
    expect(steps.get_by_role("listitem")).to_have_count(4)
    expect(steps).to_contain_text("praxis import DOSSIER")
    expect(steps.get_by_role("link", name="Créer un compte")).to_have_attribute("href", "/register")
    assert not axe_violations(page)
    _no_sideways_scroll(page)
    steps.get_by_role("link", name="Créer un carnet").click()
    expect(page.get_by_role("heading", name="Créer un carnet")).to_be_in_viewport()
    page.go_back()
    page.get_by_role("link", name="Écrire une première note").click()
    expect(page).to_have_url(live_site.url + "/n/new")
    context.close()

    visitor = browser.new_context(locale="fr-CA", viewport=SIZES[size])
    page = visitor.new_page()
    page.goto(live_site.url + "/")
    expect(page.locator("main")).to_contain_text("Rien à lire ici pour l'instant")
    expect(page.get_by_role("region", name="Premiers pas")).to_have_count(0)
    visitor.close()
