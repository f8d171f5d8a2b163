"""No page scrolls sideways on the narrowest phone (360 px), in French and in English, signed in:
home, note, history, diff, carnet, base, search, lexique, répertoire, editor and more; and the French
content of the English interface says it is French (`lang="fr"`), for screen readers and
translators."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.factories import make_note, make_small_site

NARROWEST = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def small_site(shared_app):  # type: ignore[no-untyped-def]
    _app, client, session = shared_app
    site = make_small_site(client, session)
    # A title and a body with long words and a wide table, as imported documents have.
    site["long"] = make_note(
        session,
        site["alice"],
        title="Anticonstitutionnellement-interrégionalisation-des-données-culturelles-numériques",
        body="Un lien https://example.org/un/chemin/tres/long/sans/espace/aucun/vraiment/aucun/2026 "
        "et un tableau :\n\n| a | b | c | d | e | f |\n|---|---|---|---|---|---|\n"
        "| une cellule | une autre | encore une | et une | toujours | enfin |\n",
    ).id
    # Links to a term and an organisation all along a paragraph, so that at some width each of
    # them is cut by the end of a line.
    site["linked"] = make_note(
        session,
        site["alice"],
        title="Links all along",
        body=" ".join(["We met at the [[Riverside Library]] for a [[Workshop]], then walked."] * 8),
    ).id
    session.commit()
    return site


@pytest.fixture(scope="module")
def live_site(shared_live_site):  # type: ignore[no-untyped-def]
    return shared_live_site


@pytest.fixture(scope="module")
def session(shared_app):  # type: ignore[no-untyped-def]
    return shared_app[2]


def _pages(site: dict) -> dict[str, str]:  # type: ignore[type-arg]
    n = site["note"]
    return {
        "home": "/",
        "note": f"/n/{n}/",
        "long note": f"/n/{site['long']}/",
        "history": f"/n/{n}/history",
        "diff": f"/n/{n}/diff?from=1&to=2",
        "carnet": f"/c/{site['carnet']}/",
        "base": f"/b/{site['base']}/",
        "search": "/recherche?q=workshop",
        "lexique": "/lexique/",
        "répertoire": "/organisations/",
        "communities": "/communautes/",
        "notes": "/notes/",
        "graph": f"/c/{site['carnet']}/graphe",
        "editor": f"/n/{n}/edit",
    }


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_page_scrolls_sideways_at_360_px(live_site, browser: Browser, session, small_site, lang):
    context = live_site.signed_in(browser, session, small_site["alice"])
    page = context.new_page()
    page.set_viewport_size(NARROWEST)
    wide = {}
    for name, path in _pages(small_site).items():
        page.goto(f"{live_site.url}{path}{'&' if '?' in path else '?'}lang={lang}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > NARROWEST["width"]:
            wide[name] = width
    context.close()
    assert wide == {}


def test_french_content_in_the_english_interface_is_marked_french(live_site, browser: Browser, session, small_site):
    context = live_site.signed_in(browser, session, small_site["alice"])
    page = context.new_page()
    page.goto(f"{live_site.url}/n/{small_site['long']}/?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    title = page.get_by_role("heading", level=1)
    assert title.evaluate("(el) => el.closest('[lang]').lang") == "fr"
    body = page.get_by_text("et un tableau")
    assert body.evaluate("(el) => el.closest('[lang]').lang") == "fr"
    context.close()


# For each link to a note, a term or an organisation cut by the end of a line: the width of its
# first piece, which holds its kind icon, and the font size.
CUT_LINKS = """() => [...document.querySelectorAll('#note-body a[class*="kind-"]')]
  .map((a) => [[...a.getClientRects()].filter((r) => r.width > 0), parseFloat(getComputedStyle(a).fontSize)])
  .filter(([rects]) => rects.length > 1).map(([rects, size]) => rects[0].width / size)"""


def test_a_links_kind_icon_never_ends_a_line_without_the_links_first_word(live_site, browser: Browser, small_site):
    page = browser.new_page(locale="fr-CA")
    page.goto(f"{live_site.url}/n/{small_site['linked']}/")
    cut, icon_alone = 0, {}
    for width in range(320, 480, 4):
        page.set_viewport_size({"width": width, "height": 740})
        firsts = page.evaluate(CUT_LINKS)
        cut += len(firsts)
        # The icon and its gap are about 1 em; "Riverside" or "Workshop" with them, well over 2.
        if any(first < 2 for first in firsts):
            icon_alone[width] = firsts
    page.close()
    assert cut > 0  # some widths did cut a link
    assert icon_alone == {}


def test_the_sort_label_stays_beside_its_list_on_every_width(live_site, browser: Browser, small_site):
    page = browser.new_page(locale="fr-CA")
    for width in (360, 390, 1280):
        page.set_viewport_size({"width": width, "height": 740})
        page.goto(f"{live_site.url}/notes/?lang=fr")
        label = page.locator("label[for=sort]").bounding_box()
        sort = page.get_by_label("Trier par").bounding_box()
        assert label and sort
        assert label["x"] < sort["x"] and sort["y"] <= label["y"] + label["height"] / 2 <= sort["y"] + sort["height"]
    page.close()
