""" "Pour citer" in a real browser: the copy button, the style switcher, and without JavaScript."""

from __future__ import annotations

import httpx

from tests.conftest import one_database
from tests.factories import make_note, make_user

pytestmark = one_database  # what the browser copies and shows: no SQL in it


def _note(session):  # type: ignore[no-untyped-def]
    alice = make_user(session, "alice", name="Marie-Hélène Laurence")
    make_user(session, "alice2", name="Alice Rivard")
    return make_note(
        session,
        alice,
        title="L’économie « sociale » : un chantier?",
        authors=["alice", "alice2"],
        published_at="2024-10-30T12:00:00Z",
    )


def _api(live_site, note_id: str, **params: str) -> dict:  # type: ignore[no-untyped-def]
    return httpx.get(f"{live_site.url}/api/v1/notes/{note_id}/citation", params=params).json()


def _note_page(live_site, browser, note_id: str):  # type: ignore[no-untyped-def]
    """The note's page in a browser whose clipboard the test may read."""
    context = browser.new_context(locale="fr-CA")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_site.url)
    page = context.new_page()
    page.goto(f"{live_site.url}/n/{note_id}/")
    return context, page


def test_the_copy_button_copies_the_citation_and_says_so(live_site, browser, session):
    note = _note(session)
    context, page = _note_page(live_site, browser, note.id)
    copy = page.get_by_role("button", name="Copier", exact=True)
    assert copy.is_visible()
    assert not page.get_by_text("Cliquez sur la citation pour la sélectionner").is_visible()
    copy.click()
    status = page.get_by_role("status")
    status.filter(has_text="Citation copiée dans le presse-papiers.").wait_for()
    expected = _api(live_site, note.id)["text"]
    assert page.evaluate("navigator.clipboard.readText()") == expected
    assert expected.startswith(
        "Marie-Hélène Laurence, Alice Rivard. (2024). L’économie « sociale » : un chantier? Praxis (consulté le "
    )
    context.close()


def test_the_style_switcher_changes_the_citation_in_place_and_copies_plain_text(live_site, browser, session):
    note = _note(session)
    context, page = _note_page(live_site, browser, note.id)
    assert not page.locator(".citation-show").is_visible()  # the list acts at once
    apa = _api(live_site, note.id, style="apa")["text"]
    page.select_option("#citation-style", "apa")
    page.locator("#citation-text i").wait_for()  # APA's title is in italics
    assert page.locator("#citation-text").inner_text() == apa
    assert page.url.endswith("?style=apa")
    page.get_by_role("status").filter(has_text="Citation affichée au style APA (7e éd.).").wait_for()
    page.get_by_role("button", name="Copier", exact=True).click()
    page.get_by_role("status").filter(has_text="Citation copiée").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == apa  # the italics are not copied as markup
    page.select_option("#citation-style", "bibtex")
    page.locator("#citation-text.preformatted").wait_for()
    page.get_by_role("button", name="Copier", exact=True).click()
    assert page.evaluate("navigator.clipboard.readText()") == _api(live_site, note.id, style="bibtex")["text"]
    page.reload()  # the address remembers the style chosen
    assert page.locator("#citation-style").input_value() == "bibtex"
    context.close()


def test_without_javascript_one_click_selects_the_whole_citation(live_site, browser, session):
    note = _note(session)
    context = browser.new_context(locale="fr-CA", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_site.url}/n/{note.id}/")
    assert not page.get_by_role(
        "button", name="Copier", exact=True
    ).is_visible()  # a button that could do nothing is not shown
    assert page.get_by_text("Cliquez sur la citation pour la sélectionner en entier").is_visible()
    page.locator("#citation-text").click()
    assert page.evaluate("window.getSelection().toString()") == _api(live_site, note.id)["text"]
    # The style form still works, by reloading the page.
    page.select_option("#citation-style", "mla")
    with page.expect_navigation():
        page.get_by_role("button", name="Afficher").click()
    assert page.locator("#citation-text").inner_text() == _api(live_site, note.id, style="mla")["text"]
    context.close()
