"""Writing without friction, in a real browser (issue 24's proofs not shown elsewhere): a renamed
note keeps its incoming links, a note is filed in a carnet from part of its title, a note whose
only author has no account offers no contact form, and the editor speaks English."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from praxis.carnets import carnets
from praxis.schemas import CarnetCreate
from tests.conftest import one_database
from tests.factories import make_note, make_user

pytestmark = (
    one_database  # what the browser shows and does; the SQL behind each is tried on both in tests/api and tests/pages
)


def test_a_renamed_note_keeps_the_links_written_with_its_old_title(live_site, browser, session):
    alice = make_user(session, "alice", name="Alice Rivard")
    target = make_note(session, alice, title="Veille partagée", body="Ce que nous lisons ensemble.")
    linking = make_note(session, alice, title="Bilan de l'atelier", body="Voir [[Veille partagée]] pour la suite.")
    session.commit()
    context = live_site.signed_in(browser, session, alice)
    page = context.new_page()
    page.goto(f"{live_site.url}/n/{target.id}/edit")
    page.locator("#title").fill("Veille collective")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("h1")).to_have_text("Veille collective")

    page.goto(f"{live_site.url}/n/{linking.id}/")
    link = page.locator("#note-body a", has_text="Veille")
    expect(link).to_have_attribute("href", re.compile(rf"/n/{target.id}/"))
    link.click()
    expect(page.locator("h1")).to_have_text("Veille collective")
    # The renamed note still lists the note that links to it.
    expect(page.get_by_role("link", name="Bilan de l'atelier").first).to_be_visible()
    context.close()


def test_a_note_is_filed_in_a_carnet_from_part_of_its_title(live_site, browser, session):
    maud = make_user(session, "maud", name="Maud Lévesque")
    carnet = carnets.create(session=session, actor=maud, data=CarnetCreate(title="Carnet de la veille"))
    note = make_note(session, maud, title="Intelligence artificielle et partage de veille", body="Des outils.")
    make_note(session, maud, title="Calendrier des rencontres", body="Les dates.")
    session.commit()
    context = live_site.signed_in(browser, session, maud)
    page = context.new_page()
    page.goto(f"{live_site.url}/c/{carnet.id}/")
    page.get_by_text("Intégrer une note existante").first.click()
    field = page.get_by_role("combobox", name="Intégrer une note existante (titre ou identifiant)")
    field.press_sequentially("veille part")
    expect(page.get_by_role("option").first).to_contain_text("Intelligence artificielle et partage de veille")
    field.press("Enter")  # chooses the first suggestion
    page.get_by_role("button", name="Intégrer une note existante").click()
    entry = page.locator(f"#n-{note.id}")
    expect(entry.locator("a.title")).to_have_text("Intelligence artificielle et partage de veille")
    context.close()


def test_a_note_whose_only_author_has_no_account_offers_no_contact_form(live_site, browser, session):
    lise = make_user(session, "lise", name="Lise Gagnon", password=None)  # a profile, no account
    note = make_note(session, lise, title="Cartographie des lieux", body="Les lieux du quartier.")
    session.commit()
    context = browser.new_context(locale="fr-CA")
    page = context.new_page()
    page.goto(f"{live_site.url}/n/{note.id}/")
    contact = page.locator("section#contact")
    expect(contact).to_contain_text("Les auteur·trices de cette note ne peuvent pas recevoir de message sur ce site.")
    expect(contact.get_by_role("link", name="Écrivez plutôt dans la discussion.")).to_have_attribute(
        "href", "#discussion"
    )
    expect(contact.locator("form")).to_have_count(0)
    expect(page.get_by_role("link", name="Contacter les auteur·trices")).to_have_count(0)
    context.close()


def test_the_editor_speaks_english(live_site, browser, session):
    alice = make_user(session, "alice", name="Alice Rivard")
    session.commit()
    context = live_site.signed_in(browser, session, alice)
    page = context.new_page()
    page.goto(f"{live_site.url}/n/new?lang=en")
    expect(page.locator("h1")).to_have_text("Write a note")
    bold = page.get_by_role("button", name="Bold")  # it shows "B" (French: "G" for gras)
    expect(bold).to_have_attribute("title", "Bold (Ctrl+B)")
    expect(bold).to_have_text(re.compile(r"^B"))
    expect(page.get_by_role("textbox", name="Title", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Save")).to_be_visible()
    shown = page.locator("main").inner_text()
    french = [w for w in ("Enregistrer", "Titre", "Gras", "Aperçu", "Joindre un fichier", "Écrire") if w in shown]
    assert french == [], french
    context.close()
