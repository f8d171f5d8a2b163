"""The pages of a signed-in author, on a 390 px phone and a desktop: nothing runs off the side of
the phone (not even the hidden words of the unread count, or a table's), the API tokens stand as
cards with their revoke button in view, and the note's own actions share one row."""

from __future__ import annotations

from playwright.sync_api import Browser

from praxis.schemas import NoteCreate
from praxis.carnets import filing
from tests.conftest import one_database
from tests.factories import PASSWORD, make_note, make_user

pytestmark = one_database  # how the browser lays the pages out: no SQL in it

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def test_a_signed_in_author_reads_their_pages_on_a_phone_without_sideways_scrolling(
    live_site, browser: Browser, session, client
):
    alice = make_user(session, "alice", name="Alice Martin-Dubois")
    bob = make_user(session, "bob", name="Bob Tremblay")
    make_user(session, "carol", name="Carol Gagnon")
    for name in ("Script de sauvegarde nocturne du carnet régional", "zotero"):
        assert (
            client.post(
                "/api/v1/auth/token", json={"username": "alice", "password": PASSWORD, "name": name}
            ).status_code
            == 200
        )
    shared = make_note(session, bob, title="Cartographier les tiers-lieux", authors=["bob", "alice"])
    invited = filing.create_note(
        session=session, actor=bob, data=NoteCreate(title="Chantier", body="Texte.", authors=["bob", "alice", "carol"])
    )
    session.commit()  # alice is invited: her header counts one unread notification

    context = live_site.signed_in(browser, session, alice)
    page = context.new_page()
    page.set_viewport_size(PHONE)
    for path in (
        "/",
        "/account/tokens",
        "/u/me/inbox",
        f"/n/{invited.id}/",
        f"/n/{shared.id}/",
        f"/n/{shared.id}/edit",
    ):
        page.goto(live_site.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path

    page.goto(live_site.url + "/account/tokens")
    revoke = page.get_by_role("button", name="Révoquer zotero")
    box = revoke.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    assert page.get_by_text("Dernière utilisation").first.is_visible()  # each value under its column's name

    # The editor's authors field, invited people kept in it, is as wide as the fields around it.
    page.goto(f"{live_site.url}/n/{shared.id}/edit")
    page.locator("#editor-options > summary").click()  # the readers are among the folded options
    authors, readers = page.locator("#authors").bounding_box(), page.locator("#readers").bounding_box()
    assert authors is not None and readers is not None and authors["width"] == readers["width"]

    # On a desktop, "Modifier" and "Me retirer des auteur·trices" stand side by side.
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_site.url}/n/{shared.id}/")
    edit = page.get_by_role("link", name="Modifier", exact=True).bounding_box()
    leave = page.get_by_role("button", name="Me retirer des auteur·trices").bounding_box()
    assert edit is not None and leave is not None and abs(edit["y"] - leave["y"]) < 4 and leave["x"] > edit["x"]
    context.close()
