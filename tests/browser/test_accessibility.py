"""WCAG 2.2 AA, checked by axe-core (from npm) inside Debian's Chromium on the main pages, in
light and dark mode, on a desktop and a phone; and the controls used with the keyboard alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.factories import make_small_site

# What axe and the keyboard find in the pages has no SQL in it, and the tests only read the pages:
# one small site on one database, built and served once for the module (`shared_app`).

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}


def axe_violations(page: Page) -> list[dict]:  # type: ignore[type-arg]
    """What axe-core finds serious or critical on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(
            AXE.read_text(encoding="utf-8")
        )  # evaluated by the browser's devtools: the page's CSP stays as it is
    # Only violations are wanted: axe then skips gathering the details of what passed.
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", TAGS
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture(scope="module")
def small_site(shared_app):  # type: ignore[no-untyped-def]
    _app, client, session = shared_app
    return make_small_site(client, session)


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
        "notes": "/notes/",
        "note": f"/n/{n}/",
        "carnet": f"/c/{site['carnet']}/",
        "carnet organising": f"/c/{site['carnet']}/?organiser=1&base={site['base']}",
        "graph": f"/c/{site['carnet']}/graphe",
        "base": f"/b/{site['base']}/",
        "search": "/recherche?q=workshop",
        "lexique": "/lexique/",
        "directory": "/organisations/",
        "communities": "/communautes/",
        "history": f"/n/{n}/history",
        "diff": f"/n/{n}/diff?from=1&to=2",
        "editor": f"/n/{n}/edit",
        "add to a carnet": f"/n/{n}/ajouter?carnet={site['carnet']}",
        "delete": f"/n/{n}/delete",
        "trash": "/corbeille/",
        "login": "/login",
        "login, signed in": "/login",  # who one is, and the way out
    }


# Each colour scheme (contrast) and each size (layout, target sizes) is checked once.
@pytest.mark.parametrize(("scheme", "size"), [("light", "desktop"), ("dark", "phone")])
def test_the_main_pages_have_no_serious_accessibility_violation(
    live_site, browser: Browser, session, small_site, size, scheme
):
    assert AXE.exists(), "axe-core is installed by `make test` (npm ci)"
    signed_in = live_site.signed_in(browser, session, small_site["alice"])
    visitor = browser.new_context(locale="fr-CA")
    found = {}
    for name, path in _pages(small_site).items():
        context = visitor if name == "login" else signed_in
        page = context.new_page()
        page.set_viewport_size(SIZES[size])
        page.emulate_media(color_scheme=scheme)
        page.goto(live_site.url + path)  # after the load event
        # What a page fetches by itself (the editor's preview) is marked busy until it is shown.
        page.wait_for_selector('[aria-busy="true"]', state="detached")
        violations = axe_violations(page)
        if violations:
            found[name] = violations
        page.close()
    signed_in.close()
    visitor.close()
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)


def test_axe_does_see_a_violation_when_there_is_one(live_site, browser: Browser):
    """The check is not blind: an unlabeled field and a low-contrast text are reported."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(live_site.url + "/login")
    page.evaluate("""() => {
        const input = document.createElement('input'); document.querySelector('main').append(input);
        const p = document.createElement('p'); p.textContent = 'Faible contraste';
        p.style.color = '#c8c8c8'; p.style.background = '#ffffff'; document.querySelector('main').append(p);
    }""")
    ids = {v["id"] for v in axe_violations(page)}
    assert {"label", "color-contrast"} <= ids
    context.close()


def test_every_control_of_a_note_page_is_reached_with_the_keyboard_and_shows_its_focus(
    live_site, browser: Browser, session, small_site
):
    context = live_site.signed_in(browser, session, small_site["alice"])
    page = context.new_page()
    page.goto(f"{live_site.url}/n/{small_site['note']}/")
    # The first Tab lands on the skip link, which leads to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Aller au contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#praxis-main"
    reached: list[str] = []
    for _ in range(250):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {tag: el.tagName, text: (el.textContent || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 40),
                    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2};
        }""")
        if info["tag"] == "BODY":
            break
        assert info["outline"], f"no visible focus on {info}"
        reached.append(info["text"])
    # Among what Tab reaches, in the page's order: the copy button, the comment form, the history.
    assert "Copier" in reached and "Publier le commentaire" in reached
    assert any(text.startswith("3 révisions") or text.startswith("2 révisions") for text in reached)
    assert reached.index("Copier") < reached.index("Publier le commentaire")
    context.close()
