"""In the browser: filing a note from its page says so; taking it out of the carnet says so with
"Annuler", which puts it back in its category."""

from __future__ import annotations

from playwright.sync_api import expect

from praxis.carnets import carnets
from praxis.schemas import AxisCreate, CarnetCreate
from tests.browser.test_accessibility import axe_violations
from tests.conftest import one_database
from tests.factories import make_note, make_user


@one_database  # what the browser shows and does; putting back runs on both databases in tests/pages
def test_a_note_filed_from_its_page_then_taken_out_comes_back_with_annuler(live_site, browser, session):
    alice = make_user(session, "alice", name="Alice Rivard", password=None)
    carnet = carnets.create(
        session=session,
        actor=alice,
        data=CarnetCreate(title="Carnet du réseau", axes=[AxisCreate(name="Thème", categories=["Logement", "Santé"])]),
    )
    note = make_note(session, alice, title="Jardins partagés", body="Des jardins dans la ville.")
    session.commit()
    context = live_site.signed_in(browser, session, alice)
    page = context.new_page()
    page.goto(f"{live_site.url}/n/{note.id}/")

    # "Ajouter à un carnet", its categories, and the note's page says where it now is.
    page.get_by_label("Ajouter à un carnet").select_option(label="Carnet du réseau")
    page.get_by_role("button", name="Choisir les catégories…").click()
    page.get_by_label("Thème").select_option("Santé")
    page.get_by_role("button", name="Ajouter au carnet").click()
    message = page.get_by_role("status").filter(has_text="Note ajoutée au carnet")
    expect(message).to_have_text("Note ajoutée au carnet « Carnet du réseau ».")
    expect(message.get_by_role("link", name="Carnet du réseau")).to_have_attribute("href", f"/c/{carnet.id}/")
    expect(page.locator("section.in-carnets")).to_contain_text("Santé")
    assert axe_violations(page) == []

    # Taken out of the carnet (it asks once more), the carnet says so, with "Annuler".
    message.get_by_role("link", name="Carnet du réseau").click()
    page.get_by_role("link", name="Organiser").click()
    entry = page.locator(f"#n-{note.id}")
    entry.locator("summary", has_text="Retirer du carnet").click()
    entry.get_by_role("button", name="Oui, retirer du carnet").click()
    removed = page.get_by_role("status").filter(has_text="retirée du carnet")
    expect(removed).to_contain_text("Note « Jardins partagés » retirée du carnet : elle reste sur le site.")
    expect(page.locator(f"#n-{note.id}")).to_have_count(0)
    page.emulate_media(color_scheme="dark")  # the message and its button, legible in both schemes
    assert axe_violations(page) == []

    removed.get_by_role("button", name="Annuler").click()
    back = page.locator(f"#n-{note.id}")
    expect(back.get_by_role("status")).to_have_text("Note remise dans le carnet, à sa place.")
    expect(back.locator(".categories")).to_have_text("Santé")
    page.reload()  # said once; the note stays
    expect(page.get_by_role("status").filter(has_text="remise dans le carnet")).to_have_count(0)
    expect(page.locator(f"#n-{note.id} .categories")).to_have_text("Santé")
    context.close()
