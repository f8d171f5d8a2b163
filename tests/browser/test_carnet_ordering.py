"""Managers order a carnet's notes by drag-and-drop, or from the keyboard without a mouse, in the
carnet's "Organiser" mode."""

from __future__ import annotations

from praxis.models import Carnet, Note
from praxis.schemas import CarnetCreate
from praxis.carnets import carnets
from praxis.carnets import filing
from tests.factories import make_note, make_user


def _carnet_of_three(session):  # type: ignore[no-untyped-def]
    alice = make_user(session, "alice", name="Alice Rivard")
    created = carnets.create(session=session, actor=alice, data=CarnetCreate(title="Inspirations de récits"))
    carnet = session.get(Carnet, created.id)
    for title in ("Atelier", "Bilan", "Chantier"):
        note = make_note(session, alice, title=title, body=f"Note {title}.")
        filing.integrate(session, alice, carnet, session.get(Note, note.id), [])
    session.commit()
    return alice, created.id


def _titles(page) -> list[str]:  # type: ignore[no-untyped-def]
    # A click on a link returns once the next page is committed, not parsed: read it once loaded.
    page.wait_for_load_state()
    return page.locator("ol.entries li.entry a.title").all_inner_texts()


def test_a_manager_drags_a_note_to_the_top(live_site, browser, session):
    alice, carnet_id = _carnet_of_three(session)
    context = live_site.signed_in(browser, session, alice)
    page = context.new_page()
    page.goto(f"{live_site.url}/c/{carnet_id}/")
    assert page.locator("ol.entries[data-reorder]").count() == 0  # reading: no tools
    page.get_by_role("link", name="Organiser").click()
    assert _titles(page) == ["Atelier", "Bilan", "Chantier"]

    with page.expect_navigation():
        page.drag_and_drop("li.entry:has-text('Chantier')", "li.entry:has-text('Atelier')")
    assert _titles(page) == ["Chantier", "Atelier", "Bilan"]
    # The page says so at the note dropped, as after its "Monter" button.
    assert page.locator("li.entry:has-text('Chantier') [role=status]").inner_text() == "Note déplacée."
    page.reload()  # the order is saved, not only shown
    assert _titles(page) == ["Chantier", "Atelier", "Bilan"]
    context.close()


def test_the_keyboard_moves_a_note_down_without_dragging(live_site, browser, session):
    alice, carnet_id = _carnet_of_three(session)
    context = live_site.signed_in(browser, session, alice)
    page = context.new_page()
    page.goto(f"{live_site.url}/c/{carnet_id}/?organiser=1")

    button = page.get_by_role("button", name="Descendre : Atelier")
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert _titles(page) == ["Bilan", "Atelier", "Chantier"]
    assert page.get_by_role("button", name="Descendre : Atelier").is_visible()  # still organising
    context.close()


def test_a_reader_gets_no_reordering(live_site, browser, session):
    _, carnet_id = _carnet_of_three(session)
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_site.url}/c/{carnet_id}/?organiser=1")
    assert _titles(page) == ["Atelier", "Bilan", "Chantier"]
    assert page.get_by_role("link", name="Organiser").count() == 0
    assert page.locator("ol.entries[data-reorder]").count() == 0
    assert page.get_by_role("button", name="Descendre : Atelier").count() == 0
    context.close()
