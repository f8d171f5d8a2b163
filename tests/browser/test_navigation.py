"""The site's navigation at every width: on a 390 px phone the menu button opens every destination
and account action (with JavaScript and without); at 1280 px they stand on one line, the unread
count a badge that does not wrap the header; every page names its current destination."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from praxis.schemas import CommunityCreate, NoteCreate
from praxis.carnets import filing
from praxis.people import communities
from tests.conftest import one_database
from tests.factories import make_user

pytestmark = one_database  # how the browser lays the header out: no SQL in it

PHONE = {"width": 390, "height": 844}
NARROWEST = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
DESTINATIONS = ["Carnets", "Bases", "Lexique", "Organisations", "Communautés"]


@pytest.fixture
def reader(live_site, browser: Browser, session):  # type: ignore[no-untyped-def]
    """Alice, signed in, with many unread notifications (Bob invited her to co-sign 12 notes), in
    a browser with JavaScript or without it (`request.param`)."""
    alice = make_user(session, "alice", name="Alice Martin-Dubois de la Rivière")
    bob = make_user(session, "bob", name="Bob")
    for i in range(12):
        filing.create_note(session=session, actor=bob, data=NoteCreate(title=f"Note {i}", authors=["bob", "alice"]))
    session.commit()
    return live_site.signed_in(browser, session, alice)


def _menu_items_are_reachable(page: Page) -> None:
    menu = page.locator("#site-menu")
    for name in DESTINATIONS:
        expect(menu.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(menu.get_by_role("link", name="Écrire une note")).to_be_visible()
    expect(menu.get_by_role("link", name="Boîte de réception 12 non lues")).to_be_visible()
    expect(menu.get_by_role("searchbox")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]  # type: ignore[index]


def test_on_a_phone_the_menu_button_opens_every_destination_and_account_action(live_site, reader):
    page = reader.new_page()
    page.set_viewport_size(PHONE)
    page.goto(live_site.url + "/c/")
    toggle = page.get_by_role("button", name="Menu")
    expect(page.locator("#site-menu")).to_be_hidden()  # the first screen is the page, not the menu
    # The unread count stands on the inbox icon in the bar, menu closed.
    expect(page.locator("header.site").get_by_role("link", name="Boîte de réception 12 non lues").first).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    _menu_items_are_reachable(page)
    expect(page.locator("#site-menu").get_by_role("link", name="Carnets")).to_have_attribute("aria-current", "page")
    page.keyboard.press("Escape")
    expect(page.locator("#site-menu")).to_be_hidden()
    expect(toggle).to_be_focused()

    # The account's own actions open under the reader's name.
    toggle.click()
    page.locator("details.user-menu summary").click()
    expect(page.get_by_role("link", name="Mon profil")).to_be_visible()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    page.get_by_role("link", name="Écrire une note").click()
    expect(page).to_have_url(live_site.url + "/n/new")


def test_without_javascript_the_menu_opens_by_its_anchor(live_site, browser: Browser, session):
    make_user(session, "alice", name="Alice")
    session.commit()
    context = browser.new_context(locale="fr-CA", java_script_enabled=False, viewport=NARROWEST)
    page = context.new_page()
    page.goto(live_site.url + "/lexique/")
    expect(page.locator("#site-menu")).to_be_hidden()
    page.get_by_role("link", name="Menu").click()
    # A visitor of a site without communities is not offered an empty page of them.
    for name in [*DESTINATIONS[:-1], "Se connecter"]:
        expect(page.locator("#site-menu").get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(page.locator("#site-menu").get_by_role("link", name="Communautés")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROWEST["width"]
    page.get_by_role("link", name="Fermer le menu").click()
    expect(page.locator("#site-menu")).to_be_hidden()
    context.close()


def test_on_a_desktop_the_header_is_one_line_even_with_a_long_name_and_many_unread(live_site, reader):
    page = reader.new_page()
    page.set_viewport_size(DESKTOP)
    page.goto(live_site.url + "/b/")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    header = page.locator("header.site").bounding_box()
    brand = page.locator("header.site .brand").bounding_box()
    assert header is not None and brand is not None
    assert header["height"] < brand["height"] * 2.2  # one line: no row below the brand
    for name in DESTINATIONS:
        expect(page.locator(".main-nav").get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(page.locator(".main-nav").get_by_role("link", name="Bases")).to_have_attribute("aria-current", "page")
    inbox = page.locator(".account").get_by_role("link", name="Boîte de réception 12 non lues")
    expect(inbox).to_be_visible()
    expect(page.get_by_role("link", name="Écrire une note")).to_be_visible()
    page.locator("details.user-menu summary").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_hidden()

    # Narrower desktops, in the longer language: the same line, nothing beyond the window.
    for width in (1024, 1152):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(live_site.url + "/b/?lang=en")
        expect(page.get_by_role("button", name="Menu")).to_be_hidden()
        expect(page.get_by_role("link", name="Write a note")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_visitor_s_header_holds_on_one_line_from_1024_px(live_site, browser: Browser, session):
    # A community to see: the longest navigation a visitor gets.
    communities.create(session=session, actor=make_user(session, "alice"), data=CommunityCreate(name="Cercle"))
    session.commit()
    context = browser.new_context(locale="fr-CA")
    page = context.new_page()
    for width in (1024, 1040, 1100, 1152, 1200, 1279):
        for lang in ("fr", "en"):
            page.set_viewport_size({"width": width, "height": 800})
            page.goto(f"{live_site.url}/lexique/?lang={lang}")
            expect(page.locator("header.site .account").get_by_role("link").first).to_be_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (width, lang)
            header = page.locator("header.site").bounding_box()
            assert header is not None and header["height"] < 80, (width, lang)  # one line
            # The search box shows its whole placeholder, or stands as its button alone.
            expect(
                page.locator(".main-nav").get_by_role("link", name=DESTINATIONS[-1] if lang == "fr" else "Communities")
            ).to_be_visible()
            expect(page.locator(".site-search button")).to_be_visible()
            clipped = page.locator("#site-q").evaluate(
                """(input) => {
                  if (!input.offsetWidth) return false;
                  const style = getComputedStyle(input), ink = document.createElement('canvas').getContext('2d');
                  ink.font = style.font;
                  return ink.measureText(input.placeholder).width > input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
                }"""
            )
            assert not clipped, (width, lang)
            # "Créer un compte" keeps its button's colour.
            register = page.locator("header.site .account a.button")
            assert register.evaluate("a => getComputedStyle(a).backgroundColor") != "rgba(0, 0, 0, 0)", (width, lang)
    context.close()
