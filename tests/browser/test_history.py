"""History for humans, and search results that explain themselves, in a real browser.

A note's history is one card per revision that fits a 390 px phone; a comparison shows the words
added and removed in the text as it reads, above the Markdown source (folded); restoring a version from a comparison asks once more, then the note's page
says it was done; deleting a note asks first, and the trash brings it back. On a phone the search facets fold under a "Filtrer" control above the results."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from praxis.carnets import carnets, filing
from praxis.notes import notes as note_service
from praxis.schemas import CarnetCreate, EntryCreate, NoteUpdate
from tests.conftest import one_database
from tests.factories import make_note, make_user

pytestmark = one_database  # how pages are laid out and what they say; the SQL is tested elsewhere

PHONE = {"width": 390, "height": 844}
NARROWEST = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
FIRST = "Le chantier est ouvert à toutes les personnes du réseau.\n\nUn second paragraphe qui ne change pas."
SECOND = "Le chantier est fermé à toutes les personnes du réseau.\n\nUn second paragraphe qui ne change pas."


@pytest.fixture
def history(session):  # type: ignore[no-untyped-def]
    """Alice's note in three revisions: created (no summary), closed ("Fermeture"), retitled."""
    alice = make_user(session, "alice", name="Alice Martin-Dubois de la Rivière")
    note = make_note(session, alice, title="Ouvrir et fermer un chantier partagé entre plusieurs régions", body=FIRST)
    for number, change in ((1, {"body": SECOND, "summary": "Fermeture"}), (2, {"title": "Fermer un chantier"})):
        note_service.save_note(
            session=session, actor=alice, note_id=note.id, data=NoteUpdate(base_revision=number, **change)
        )
    session.commit()
    return {"alice": alice, "note": note}


def _no_sideways_scroll(page: Page) -> None:
    width = page.viewport_size["width"]  # type: ignore[index]
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_history_fits_a_phone_one_card_per_revision(live_site, browser: Browser, history):
    page = browser.new_page(locale="fr-CA", viewport=PHONE)
    page.goto(f"{live_site.url}/n/{history['note'].id}/history")
    cards = page.locator("li.revision")
    expect(cards).to_have_count(3)
    for i in range(3):
        box = cards.nth(i).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    expect(cards.nth(0)).to_contain_text("Version 3")
    expect(cards.nth(0)).to_contain_text("actuelle")
    expect(cards.nth(1)).to_contain_text("Fermeture")
    expect(cards.nth(2)).to_contain_text("Création")  # revision 1 had no summary
    expect(cards.nth(2)).to_contain_text("Alice Martin-Dubois de la Rivière")
    _no_sideways_scroll(page)
    page.set_viewport_size(NARROWEST)
    _no_sideways_scroll(page)

    # Comparing the two chosen versions (the two newest, by default) leads to their diff.
    page.get_by_role("button", name="Comparer les versions choisies").click()
    expect(page.locator("h1")).to_have_text("Comparaison des versions 2 et 3")


def test_a_comparison_shows_the_words_added_and_removed_in_the_text_as_it_reads(live_site, browser: Browser, history):
    note = history["note"]
    page = browser.new_page(locale="fr-CA", viewport=DESKTOP)
    page.goto(f"{live_site.url}/n/{note.id}/history")
    page.locator("li.revision").nth(1).get_by_role("link", name="Voir les changements").click()
    expect(page).to_have_url(f"{live_site.url}/n/{note.id}/diff?from=1&to=2")
    read = page.locator(".diff-text")
    expect(read.locator("del")).to_have_text("ouvert")
    expect(read.locator("ins")).to_have_text("fermé")
    expect(read).to_contain_text("1 paragraphe inchangé")
    expect(read).not_to_contain_text("Un second paragraphe")
    # The text as it reads comes first; the Markdown source is folded under it, one click away,
    # on a desktop as on a phone.
    source = page.locator("details.diff-source pre.diff")
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        page.reload()
        expect(read.locator("ins")).to_have_text("fermé")
        expect(source).to_be_hidden()
        page.get_by_text("Voir le source Markdown").click()
        expect(source).to_be_visible()
        expect(source.locator("ins")).to_have_text("fermé")
        assert (source.bounding_box() or {"y": 0})["y"] > (read.bounding_box() or {"y": 0})["y"]
    _no_sideways_scroll(page)
    page.set_viewport_size(NARROWEST)
    _no_sideways_scroll(page)


def test_restoring_from_a_comparison_asks_first_then_says_it_was_done(live_site, browser: Browser, session, history):
    note = history["note"]
    page = live_site.signed_in(browser, session, history["alice"]).new_page()
    page.set_viewport_size(PHONE)
    page.goto(f"{live_site.url}/n/{note.id}/diff?from=1&to=2")
    confirm = page.get_by_role("button", name="Oui, restaurer la version 1")
    expect(confirm).to_be_hidden()  # nothing is restored by one click
    page.locator("summary", has_text="Restaurer la version 1").click()
    expect(page.get_by_text("de la version 1. Cela ajoute une nouvelle révision")).to_be_visible()
    confirm.click()
    expect(page).to_have_url(f"{live_site.url}/n/{note.id}/")
    expect(page.get_by_role("status").filter(has_text="Version 1 restaurée.")).to_be_visible()
    expect(page.locator("h1")).to_have_text("Ouvrir et fermer un chantier partagé entre plusieurs régions")
    expect(page.get_by_text("Le chantier est ouvert à toutes les personnes du réseau.")).to_be_visible()

    # The history now ends with that restoration; an old revision's page offers the same.
    page.goto(f"{live_site.url}/n/{note.id}/history")
    expect(page.locator("li.revision").first).to_contain_text("Restauration de la révision 1")
    page.goto(f"{live_site.url}/n/{note.id}/?rev=2")
    page.locator("summary", has_text="Restaurer la version 2").click()
    expect(page.get_by_role("button", name="Oui, restaurer la version 2")).to_be_visible()
    # The summary Praxis wrote speaks the reader's language.
    page.goto(f"{live_site.url}/n/{note.id}/history?lang=en")
    expect(page.locator("li.revision").first.locator("p.summary")).to_have_text("Revision 1 restored")


def test_deleting_a_note_asks_first_and_the_trash_brings_it_back(live_site, browser: Browser, session, history):
    note = history["note"]
    page = live_site.signed_in(browser, session, history["alice"]).new_page()
    page.set_viewport_size(PHONE)
    page.goto(f"{live_site.url}/n/{note.id}/")
    page.get_by_role("link", name="Supprimer la note").click()
    expect(page.locator("h1")).to_have_text("Supprimer la note « Fermer un chantier » ?")
    page.get_by_role("link", name="Annuler").click()  # Cancel goes back, nothing deleted
    expect(page).to_have_url(f"{live_site.url}/n/{note.id}/")
    page.get_by_role("link", name="Supprimer la note").click()
    page.get_by_role("button", name="Oui, supprimer la note").click()
    expect(page.get_by_role("status")).to_contain_text("Note « Fermer un chantier » supprimée.")
    assert page.request.get(f"{live_site.url}/n/{note.id}/").status == 404
    _no_sideways_scroll(page)

    # Found in the trash, and brought back as it was.
    page.goto(f"{live_site.url}/corbeille/")
    expect(page.get_by_role("status")).to_have_count(0)  # said once, just after the deletion
    page.locator("li", has_text="Fermer un chantier").get_by_role("button", name="Restaurer").click()
    expect(page).to_have_url(f"{live_site.url}/n/{note.id}/")
    expect(page.get_by_role("status").filter(has_text="Note restaurée")).to_be_visible()
    expect(page.locator("h1")).to_have_text("Fermer un chantier")
    expect(page.get_by_text("Le chantier est fermé à toutes les personnes du réseau.")).to_be_visible()


def test_a_reader_who_may_not_edit_is_offered_no_restore(live_site, browser: Browser, history):
    page = browser.new_page(locale="fr-CA", viewport=PHONE)
    for path in ("history", "diff?from=1&to=2", "?rev=1"):
        page.goto(f"{live_site.url}/n/{history['note'].id}/{path}")
        expect(page.locator("details.restore")).to_have_count(0)


@pytest.fixture
def findings(session):  # type: ignore[no-untyped-def]
    """Notes to find: one only through the term it links to, others by their own words."""
    zeph = make_user(session, "zeph", name="Zéphyrine Quarteron")
    cahier = carnets.create(session=session, actor=zeph, data=CarnetCreate(title="Cahier des sous-bois"))
    session.commit()
    make_note(session, zeph, title="Mycorhize", kind="term", body="Une association de racines et de champignons.")
    walk = make_note(session, zeph, title="Balade d'automne", body="Nous avons marché [[Mycorhize|sous les arbres]].")
    filing.add(session=session, actor=zeph, carnet_id=cahier.id, data=EntryCreate(note_id=walk.id))
    for i in range(6):
        make_note(session, zeph, title=f"Les mycorhizes, épisode {i}", body="Des mycorhizes partout. " * 40)
    session.commit()


def test_on_a_phone_the_facets_fold_under_filtrer_above_the_results(live_site, browser: Browser, findings):
    page = browser.new_page(locale="fr-CA", viewport=PHONE)
    page.goto(f"{live_site.url}/recherche?q=mycorhize")
    fold = page.locator("details.filters-fold")
    first_result = page.locator("li.result").first
    expect(first_result).to_be_visible()
    expect(page.locator("aside.facets")).to_be_hidden()
    summary = fold.locator("summary")
    expect(summary).to_have_text("Filtrer")
    assert (summary.bounding_box() or {"y": 1e9})["y"] < (first_result.bounding_box() or {"y": 0})["y"]
    _no_sideways_scroll(page)
    page.set_viewport_size(NARROWEST)
    _no_sideways_scroll(page)

    summary.click()
    fold.get_by_role("link", name="Terme (1)").click()
    expect(page).to_have_url(f"{live_site.url}/recherche?q=mycorhize&kind=term")
    expect(page.locator("li.result")).to_have_count(1)
    expect(page.locator("details.filters-fold summary")).to_have_text("Filtrer (1)")

    # The note found only through the term it links to says so.
    page.goto(f"{live_site.url}/recherche?q=mycorhize&kind=note")
    walk = page.locator("li.result").filter(has_text="Balade d'automne")
    expect(walk.locator(".matched")).to_have_text("Trouvée par le terme lié « Mycorhize »")
    expect(page.locator("li.result").filter(has_text="épisode 1").locator(".matched")).to_have_count(0)

    # On a desktop the facets stand beside the results, the fold is gone.
    page.set_viewport_size(DESKTOP)
    expect(fold).to_be_hidden()
    facets = page.locator("aside.facets")
    expect(facets).to_be_visible()
    results_box, facets_box = page.locator("section.results").bounding_box(), facets.bounding_box()
    assert results_box and facets_box and facets_box["x"] >= results_box["x"] + results_box["width"]
