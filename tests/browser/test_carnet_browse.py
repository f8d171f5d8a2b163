"""A carnet browses like a library: its categories are links that filter at once and combine, the
chips on its notes filter too, and its managers' tools wait in an "Organiser" mode. Its graph
holds every note inside the frame on a phone and a desktop, and zooms."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from praxis.carnets import bases, carnets
from praxis.schemas import AxisCreate, BaseCarnetAdd, BaseCreate, CarnetCreate
from tests.conftest import one_database
from tests.factories import make_note, make_user

pytestmark = one_database  # what the browser shows and does: the counts' SQL is tested on each backend in tests/pages

PHONE = {"width": 390, "height": 844}
NARROWEST = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def carnet(session):  # type: ignore[no-untyped-def]
    """Alice's carnet of five notes, filed by theme and region, linked to one another; one term and
    one organisation among them."""
    alice = make_user(session, "alice", name="Alice Rivard")
    created = carnets.create(
        session=session,
        actor=alice,
        data=CarnetCreate(
            title="Carnet des chantiers",
            axes=[
                AxisCreate(name="Thème", categories=["Logement", "Santé"]),
                AxisCreate(name="Région", categories=["Montréal", "Québec"]),
            ],
        ),
    )
    session.commit()

    def note(title, categories, links=(), kind="note"):  # type: ignore[no-untyped-def]
        return make_note(
            session,
            alice,
            title=title,
            kind=kind,
            body=f"À propos de {title}.",
            carnet=created.id,
            categories=categories,
            links=list(links) or None,
        )

    coop = note("Coopérative d'habitation du quartier Saint-Roch", ["Logement", "Québec"])
    tenants = note("Comité des locataires", ["Logement", "Montréal"], [coop.id], kind="organisation")
    clinic = note("Clinique communautaire de Pointe-Saint-Charles", ["Santé", "Montréal"], [tenants.id])
    term = note("Mutualisation", ["Santé", "Québec"], [coop.id, clinic.id], kind="term")
    note("Une note seule, reliée à rien du tout dans ce carnet", ["Logement", "Montréal"])
    session.commit()
    return alice, created.id, {"coop": coop.id, "tenants": tenants.id, "clinic": clinic.id, "term": term.id}


def _titles(page: Page) -> list[str]:
    # A click on a link returns once the next page is committed, not parsed: read it once loaded.
    page.wait_for_load_state()
    return page.locator("ol.entries li.entry a.title").all_inner_texts()


def test_a_category_link_filters_the_carnet_and_another_list_narrows_it(live_site, browser: Browser, carnet):
    _, carnet_id, _ = carnet
    context = browser.new_context(locale="fr-CA", viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_site.url}/c/{carnet_id}/")
    assert len(_titles(page)) == 5
    browse = page.locator("aside.browse")
    expect(browse.get_by_role("link", name="Logement 3")).to_be_visible()

    browse.get_by_role("link", name="Logement 3").click()  # a link: applied at once, no button
    assert sorted(_titles(page)) == sorted(
        [
            "Coopérative d'habitation du quartier Saint-Roch",
            "Comité des locataires",
            "Une note seule, reliée à rien du tout dans ce carnet",
        ]
    )
    expect(page.locator(".active-filters").get_by_role("status")).to_have_text("3 notes correspondent")
    expect(browse.get_by_role("link", name="Logement 3")).to_have_attribute("aria-current", "true")
    # The other list's counts follow the choice; choosing in it narrows further.
    browse.get_by_role("link", name="Montréal 2").click()
    assert sorted(_titles(page)) == ["Comité des locataires", "Une note seule, reliée à rien du tout dans ce carnet"]
    applied = page.get_by_role("list", name="Filtres appliqués")
    expect(applied.get_by_role("link", name="Retirer le filtre Thème : Logement")).to_be_visible()
    # Another category of the same list takes the place of the first.
    browse.get_by_role("link", name="Santé 1").click()
    assert _titles(page) == ["Clinique communautaire de Pointe-Saint-Charles"]
    # Each filter comes off by its own link.
    applied.get_by_role("link", name="Retirer le filtre Région : Montréal").click()
    assert sorted(_titles(page)) == ["Clinique communautaire de Pointe-Saint-Charles", "Mutualisation"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()


def test_the_chip_on_a_note_filters_the_carnet_by_its_category(live_site, browser: Browser, carnet):
    _, carnet_id, _ = carnet
    context = browser.new_context(locale="fr-CA", viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{live_site.url}/c/{carnet_id}/")
    entry = page.locator("li.entry", has_text="Mutualisation")
    entry.get_by_role("link", name="Québec", exact=True).click()
    assert sorted(_titles(page)) == ["Coopérative d'habitation du quartier Saint-Roch", "Mutualisation"]
    expect(page.locator("aside.browse").get_by_role("link", name="Québec 2")).to_have_attribute("aria-current", "true")
    # Every filter of today is still reachable: the text, and the author under "Plus de filtres".
    box = page.get_by_label("Chercher dans ce carnet").bounding_box()
    assert box and box["width"] >= 180  # the side column's search box leaves room for the words
    page.get_by_label("Chercher dans ce carnet").fill("coopérative")
    page.get_by_role("button", name="Chercher", exact=True).click()
    assert _titles(page) == ["Coopérative d'habitation du quartier Saint-Roch"]  # the category kept
    page.get_by_role("link", name="Tout afficher").click()
    page.get_by_text("Plus de filtres").click()
    page.get_by_label("Auteur·trice").fill("alice")
    page.get_by_role("button", name="Appliquer").click()
    assert len(_titles(page)) == 5
    context.close()


def test_the_author_filter_suggests_people_by_their_name(live_site, browser: Browser, session, carnet):
    alice, carnet_id, _ = carnet
    context = live_site.signed_in(browser, session, alice)
    page = context.new_page()
    page.set_viewport_size(PHONE)
    page.goto(f"{live_site.url}/c/{carnet_id}/")
    page.get_by_text("Plus de filtres").click()
    field = page.get_by_role("combobox", name="Auteur·trice")
    field.press_sequentially("rivard", delay=20)
    expect(page.get_by_role("option").first).to_contain_text("Alice Rivard")
    field.press("Enter")  # the first suggestion: her username
    expect(field).to_have_value("alice")
    page.get_by_role("button", name="Appliquer").click()
    assert len(_titles(page)) == 5
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()


def test_the_managers_tools_wait_in_the_organiser_mode(live_site, browser: Browser, session, carnet):
    alice, carnet_id, _ = carnet
    context = live_site.signed_in(browser, session, alice)
    page = context.new_page()
    page.set_viewport_size(PHONE)
    page.goto(f"{live_site.url}/c/{carnet_id}/")
    assert page.locator("summary", has_text="Retirer du carnet").count() == 0
    assert page.get_by_role("link", name="Classer").count() == 0
    assert page.get_by_role("button", name="Épingler").count() == 0
    # The writing guide and the ways to add stand where contributors add.
    expect(page.get_by_role("link", name="Créer une note dans le carnet")).to_be_visible()

    page.get_by_role("link", name="Organiser").click()
    expect(page).to_have_url(f"{live_site.url}/c/{carnet_id}/?organiser=1")
    removals = page.locator("summary", has_text="Retirer du carnet")
    expect(removals).to_have_count(5)
    # Taking a note out asks once more: the button shows when asked for, with what happens.
    expect(page.get_by_role("button", name="Oui, retirer du carnet")).to_have_count(0)
    removals.first.click()
    expect(page.get_by_role("button", name="Oui, retirer du carnet")).to_have_count(1)
    expect(page.get_by_text("elle reste sur le site et dans ses autres carnets").first).to_be_visible()
    removals.first.click()
    expect(page.get_by_role("button", name="Épingler")).to_have_count(5)
    expect(page.get_by_role("link", name="Classer Mutualisation")).to_be_visible()
    page.get_by_role("button", name="Descendre : Coopérative d'habitation du quartier Saint-Roch").click()
    expect(page).to_have_url(f"{live_site.url}/c/{carnet_id}/?organiser=1#n-{carnet[2]['coop']}")
    assert _titles(page)[1] == "Coopérative d'habitation du quartier Saint-Roch"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_role("link", name="Terminer l’organisation").click()
    expect(page.locator("summary", has_text="Retirer du carnet")).to_have_count(0)
    # A reader never gets the mode.
    reader = browser.new_context(locale="fr-CA").new_page()
    reader.goto(f"{live_site.url}/c/{carnet_id}/?organiser=1")
    assert reader.get_by_role("link", name="Organiser").count() == 0
    assert reader.locator("summary", has_text="Retirer du carnet").count() == 0
    reader.context.close()
    context.close()


def _outside(page: Page) -> list[str]:
    """The graph's notes (their marks and labels) not wholly inside the drawing's visible frame."""
    return page.evaluate(
        """() => {
          const svg = document.querySelector('svg#graph-drawing');
          const frame = svg.getBoundingClientRect();
          const inside = (r) => r.left >= frame.left - 0.5 && r.right <= frame.right + 0.5
            && r.top >= frame.top - 0.5 && r.bottom <= frame.bottom + 0.5 && frame.right <= window.innerWidth;
          return [...svg.querySelectorAll('a.node')].filter((a) =>
            !inside(a.querySelector('.mark').getBoundingClientRect()) || !inside(a.querySelector('text').getBoundingClientRect())
          ).map((a) => a.querySelector('title').textContent);
        }"""
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_the_graph_holds_every_note_in_its_frame_and_zooms(live_site, browser: Browser, carnet, viewport):
    _, carnet_id, ids = carnet
    context = browser.new_context(locale="fr-CA", viewport=viewport)
    page = context.new_page()
    page.goto(f"{live_site.url}/c/{carnet_id}/graphe")
    drawing = page.locator("svg#graph-drawing")
    expect(drawing.locator("a.node")).to_have_count(5)
    assert _outside(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    # Kinds by shape as well as colour: notes are circles, the term and the organisation polygons.
    assert drawing.locator("a.node.kind-note circle.mark").count() == 3
    assert drawing.locator("a.node.kind-term polygon.mark").count() == 1
    assert drawing.locator("a.node.kind-organisation polygon.mark").count() == 1
    # Labels are readable at the first sight, on a phone too: drawn at 12 px at least.
    sizes = page.evaluate(
        """() => {
          const svg = document.querySelector('svg#graph-drawing');
          const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
          return [...svg.querySelectorAll('a.node text')].map((t) => parseFloat(getComputedStyle(t).fontSize) * scale);
        }"""
    )
    assert len(sizes) == 5 and min(sizes) >= 12, sizes
    # A long title wraps on lines of its label, whole; and whole in its tooltip.
    clinic = drawing.locator(f'a.node[href^="/n/{ids["clinic"]}/"]')
    assert clinic.locator("text").text_content() == "Clinique communautaire de Pointe-Saint-Charles"
    assert clinic.locator("text tspan").count() == 3
    assert (clinic.locator("title").text_content() or "").startswith("Clinique communautaire de Pointe-Saint-Charles")

    def width() -> float:
        return float(drawing.get_attribute("viewBox").split()[2])  # type: ignore[union-attr]

    full = width()
    page.get_by_role("button", name="Zoomer", exact=True).click()
    assert width() < full / 1.4
    page.get_by_role("button", name="Zoomer", exact=True).focus()
    page.keyboard.press("+")  # the keyboard too
    zoomed = width()
    assert zoomed < full / 2
    page.get_by_role("button", name="Dézoomer").click()
    assert width() > zoomed
    page.get_by_role("button", name="Tout voir").click()
    assert width() == full
    assert _outside(page) == []
    # A drag moves the drawing without opening the note it started on.
    page.get_by_role("button", name="Zoomer", exact=True).click()
    before = drawing.get_attribute("viewBox")
    box = drawing.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 - 60, box["y"] + box["height"] / 2 - 20, steps=5)
    page.mouse.up()
    assert drawing.get_attribute("viewBox") != before
    assert page.url.endswith("/graphe")
    # A note is a link: a tap opens it, within its carnet.
    page.get_by_role("button", name="Tout voir").click()
    drawing.locator(f'a.node[href^="/n/{ids["term"]}/"] .mark').click()
    expect(page).to_have_url(f"{live_site.url}/n/{ids['term']}/?carnet={carnet_id}")
    context.close()


def test_the_graph_stands_under_its_tools_and_its_labels_hide_the_edges_behind_them(
    live_site, browser: Browser, carnet
):
    _, carnet_id, _ = carnet
    context = browser.new_context(locale="fr-CA", viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{live_site.url}/c/{carnet_id}/graphe")
    tools = page.get_by_role("toolbar", name="Zoom du graphe").bounding_box()
    drawing = page.locator("svg#graph-drawing").bounding_box()
    assert tools and drawing and abs(drawing["x"] - tools["x"]) <= 1  # one left edge, not centred apart
    # Every label's words lie on its own opaque ground, drawn over the edges.
    uncovered = page.evaluate(
        """() => [...document.querySelectorAll('svg#graph-drawing a.node')].filter((a) => {
            const t = a.querySelector('text').getBoundingClientRect(), g = a.querySelector('.ground');
            if (!g || parseFloat(getComputedStyle(g).fillOpacity) < 0.9) return true;
            const r = g.getBoundingClientRect();
            return t.left < r.left - 0.5 || t.right > r.right + 0.5 || t.top < r.top - 0.5 || t.bottom > r.bottom + 0.5;
          }).map((a) => a.querySelector('title').textContent)"""
    )
    assert uncovered == []
    context.close()


def test_nothing_scrolls_sideways_at_360_px(live_site, browser: Browser, session, carnet):
    alice, carnet_id, _ = carnet
    base = bases.create(session=session, actor=alice, data=BaseCreate(title="Le savoir du Réseau des agent·es"))
    bases.add_carnet(session=session, actor=alice, base_id=base.id, data=BaseCarnetAdd(carnet_id=carnet_id))
    session.commit()
    context = live_site.signed_in(browser, session, alice)
    page = context.new_page()
    page.set_viewport_size(NARROWEST)
    for path in (
        f"/c/{carnet_id}/",
        f"/c/{carnet_id}/?organiser=1&base={base.id}",
        f"/c/{carnet_id}/graphe",
        f"/b/{base.id}/",
    ):
        page.goto(live_site.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= NARROWEST["width"], path
    context.close()
