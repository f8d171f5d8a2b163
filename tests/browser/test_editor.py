"""The editor in a real browser: toolbar, live preview, [[ autocomplete, link picker, drafts, conflicts."""

from __future__ import annotations

import re
import time
from datetime import date

from itsdangerous import Signer
from playwright.sync_api import expect

from praxis.carnets import carnets
from praxis.people import accounts
from praxis.schemas import CarnetCreate
from tests.conftest import one_database
from tests.factories import make_note, make_user

DRAFTS = "Object.keys(localStorage).filter(k => k.startsWith('praxis.draft:')).sort()"


def _drafts(page, count: int, timeout: float = 10) -> list[str]:  # type: ignore[no-untyped-def]
    """The drafts this browser holds, once there are `count` of them (the site's CSP forbids
    the string evaluation that wait_for_function needs)."""
    deadline = time.monotonic() + timeout
    while True:
        found = page.evaluate(DRAFTS)
        if len(found) == count or time.monotonic() > deadline:
            return found
        page.wait_for_timeout(200)


def _editor(live_site, browser, session, user, path: str = "/n/new"):  # type: ignore[no-untyped-def]
    context = live_site.signed_in(browser, session, user)
    page = context.new_page()
    page.goto(f"{live_site.url}{path}")
    return context, page


@one_database
def test_the_toolbar_and_shortcuts_mark_the_selection(live_site, browser, session):
    alice = make_user(session, "alice")
    context, page = _editor(live_site, browser, session, alice)
    body = page.locator("#body")
    body.fill("Un mot important")
    body.evaluate("el => el.setSelectionRange(7, 16)")
    page.get_by_role("toolbar", name="Mise en forme").get_by_role("button", name="Gras").click()
    expect(body).to_have_value("Un mot **important**")
    page.get_by_role("button", name="Gras").click()  # again: the marks go away
    expect(body).to_have_value("Un mot important")
    body.evaluate("el => { el.focus(); el.setSelectionRange(3, 6); }")
    page.keyboard.press("Control+i")
    expect(body).to_have_value("Un *mot* important")
    body.evaluate("el => el.setSelectionRange(0, el.value.length)")
    page.get_by_role("button", name="Liste numérotée").click()
    expect(body).to_have_value("1. Un *mot* important")
    # The toolbar is one tab stop, walked with the arrow keys.
    page.get_by_role("button", name="Gras").focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("button", name="Italique")).to_be_focused()

    # In English: B for bold, and the preview says what it lacks in English.
    page.goto(f"{live_site.url}/n/new?lang=en")
    toolbar = page.get_by_role("toolbar", name="Formatting")
    expect(toolbar.get_by_role("button", name="Bold")).to_have_text(re.compile(r"^B"))
    expect(toolbar.get_by_role("button", name="Bold")).to_have_attribute("title", "Bold (Ctrl+B)")
    expect(toolbar.get_by_role("button", name="Italic")).to_have_attribute("title", "Italic (Ctrl+I)")
    page.locator("#body").fill("Un mot")
    page.locator("#body").evaluate("el => el.setSelectionRange(3, 6)")
    toolbar.get_by_role("button", name="Bold").click()
    page.locator("#body").press("End")
    page.locator("#body").press_sequentially(" [[Nulle part]]", delay=5)
    expect(page.locator("#preview-body strong")).to_have_text("mot")
    expect(page.locator("#preview-missing")).to_have_text("Links to notes that do not exist yet: Nulle part")
    context.close()

    # The username field holds the server's rule, and the browser applies it before anything is sent.
    visitor = browser.new_page(locale="fr-CA")
    visitor.goto(f"{live_site.url}/register")
    username = visitor.get_by_role("textbox", name="Nom d'utilisateur")
    for typed, refused in (("Élise", True), ("élise.côté", True), ("a", True), ("Elise.Cote-2", False)):
        username.fill(typed)
        assert username.evaluate("el => el.validity.patternMismatch") is refused, typed
    visitor.close()


@one_database
def test_the_preview_follows_the_typing_rendered_by_the_server(live_site, browser, session):
    alice = make_user(session, "alice")
    org = make_note(session, alice, title="Culture Laval", kind="organisation")
    context, page = _editor(live_site, browser, session, alice)
    assert not page.get_by_role("button", name="Aperçu", exact=True).is_visible()  # the preview needs no button now
    page.locator("#body").press_sequentially("Du *texte* vivant avec [[Culture Laval]]", delay=5)
    preview = page.locator("#preview-body")
    expect(preview.locator("em")).to_have_text("texte")
    expect(preview.get_by_role("link", name="Culture Laval")).to_have_attribute("href", f"/n/{org.id}/")
    assert preview.get_attribute("aria-live") == "off"  # typing is not read aloud
    # A section heading looks in the preview as it will on the note's page.
    page.locator("#body").press("Enter")
    page.locator("#body").press_sequentially("\n## Une section\n\nSuite.", delay=5)
    expect(preview.locator("h2")).to_have_text(re.compile("Une section"))
    size = "el => getComputedStyle(el).fontSize"
    in_preview = preview.locator("h2").evaluate(size)
    sectioned = make_note(session, alice, title="Avec section", body="## Une section\n\nSuite.")
    page.goto(f"{live_site.url}/n/{sectioned.id}/")
    assert page.locator("#note-body h2").evaluate(size) == in_preview
    context.close()


@one_database
def test_double_bracket_suggests_notes_and_the_keyboard_picks_one(live_site, browser, session):
    alice = make_user(session, "alice")
    make_note(session, alice, title="Chantier naval")
    veille = make_note(session, alice, title="Intelligence artificielle et partage de veille")
    twins = {make_note(session, alice, title="Chantier collectif", visibility=v).id for v in ("public", "restricted")}
    sharp = make_note(session, alice, title="Langage C# en atelier")
    context, page = _editor(live_site, browser, session, alice)
    page.locator("#title").fill("Une note qui renvoie")
    body = page.locator("#body")
    # A word in the middle of a title finds it; the first option is chosen, so Enter takes it,
    # and the text says the note's title.
    body.press_sequentially("Voir [[partage", delay=20)
    listbox = page.get_by_role("listbox", name="Notes à lier")
    expect(listbox.get_by_role("option")).to_have_count(1)
    expect(listbox.get_by_role("option", selected=True)).to_contain_text(veille.title)
    assert body.get_attribute("aria-activedescendant") == "wikilink-options-0"
    page.keyboard.press("Enter")
    expect(listbox).to_be_hidden()
    expect(body).to_have_value("Voir [[Intelligence artificielle et partage de veille]]")
    # Two notes she may see share a title: the one chosen is named by its id.
    page.keyboard.type(" et [[chan")
    expect(listbox.get_by_role("option")).to_have_count(3)
    expect(listbox.get_by_role("option", selected=True)).to_contain_text("Chantier naval")  # the shortest first
    page.keyboard.press("ArrowDown")
    expect(listbox.get_by_role("option", selected=True)).to_contain_text("Chantier collectif")
    assert body.get_attribute("aria-activedescendant") == "wikilink-options-1"
    page.keyboard.press("Enter")
    expect(body).to_have_value(re.compile(r" et \[\[(" + "|".join(twins) + r")\|Chantier collectif\]\]$"))
    # A "#" in a title would start a section ([[Titre#Section]]): that note is named by its id.
    page.keyboard.type(" et [[langage")
    expect(listbox.get_by_role("option", selected=True)).to_contain_text("Langage C# en atelier")
    page.keyboard.press("Enter")
    expect(body).to_have_value(re.compile(rf" et \[\[{sharp.id}\|Langage C# en atelier\]\]$"))
    page.keyboard.type(" puis [[xyz")
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    body.fill("Voir [[Intelligence artificielle et partage de veille]].")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile(r"/n/[^/]+/$"))
    link = page.locator("article .body").get_by_role("link", name=veille.title)
    expect(link).to_have_attribute("href", f"/n/{veille.id}/")

    # The same picker files a note in a carnet from part of its title: Enter chooses, Enter sends.
    carnet = carnets.create(session=session, actor=alice, data=CarnetCreate(title="Carnet de veille"))
    session.commit()
    page.goto(f"{live_site.url}/c/{carnet.id}/")
    page.locator("details.integrate summary").click()
    field = page.get_by_role("combobox", name="Intégrer une note existante (titre ou identifiant)")
    field.press_sequentially("partage", delay=20)
    expect(field).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#note-options").get_by_role("option", selected=True)).to_contain_text(veille.title)
    field.press("Enter")
    expect(field).to_have_value(f"{veille.title} [{veille.id}]")
    field.press("Enter")
    page.wait_for_url(re.compile(rf"/c/{carnet.id}/#n-{veille.id}$"))
    expect(page.locator(f"#n-{veille.id}")).to_contain_text(veille.title)
    # Members too are named from part of a display name.
    make_user(session, "mgagnon", name="Maryse Gagnon")
    page.goto(f"{live_site.url}/c/{carnet.id}/edit")
    member = page.get_by_role("combobox", name="Nom d'utilisateur")
    member.press_sequentially("GAGN", delay=20)
    expect(page.locator("#username-options").get_by_role("option", selected=True)).to_contain_text("Maryse Gagnon")
    member.press("Enter")
    expect(member).to_have_value("mgagnon")
    context.close()


@one_database
def test_authors_readers_and_links_offer_people_and_notes_as_they_are_typed(live_site, browser, session):
    alice = make_user(session, "alice", name="Alice Rivard")
    make_user(session, "mgagnon", name="Maryse Gagnon")
    make_user(session, "bgirard", name="Benoît Girard")
    veille = make_note(session, alice, title="Intelligence artificielle et partage de veille")
    org = make_note(session, alice, title="Culture Laval", kind="organisation")
    context, page = _editor(live_site, browser, session, alice)
    page.locator("#title").fill("Une note entourée")
    # Part of a display name offers the person; Enter puts the username, and the list goes on.
    authors = page.get_by_role("combobox", name=re.compile("^Auteur·trices"))
    authors.press_sequentially("alice, GAGN", delay=20)
    people = page.get_by_role("listbox", name="Personnes")
    expect(people.get_by_role("option", selected=True)).to_contain_text("Maryse Gagnon")
    assert authors.get_attribute("aria-activedescendant") == "author-options-0"
    authors.press("Enter")
    expect(people).to_be_hidden()
    expect(authors).to_have_value("alice, mgagnon, ")
    authors.press_sequentially("benoit", delay=20)  # accents ignored
    expect(people.get_by_role("option", selected=True)).to_contain_text("Benoît Girard")
    authors.press("Enter")
    expect(authors).to_have_value("alice, mgagnon, bgirard, ")
    # Readers too, under "Options".
    page.get_by_text("Options", exact=True).click()
    readers = page.get_by_role("combobox", name=re.compile("^Lecteur·trices"))
    readers.press_sequentially("maryse", delay=20)
    expect(page.locator("#readers-options").get_by_role("option", selected=True)).to_contain_text("Maryse Gagnon")
    readers.press("Tab")
    expect(readers).to_have_value("mgagnon, ")
    # "Liens": a word in the middle of a title offers the note; Enter writes its title on the line.
    links = page.get_by_label("Liens vers d'autres notes")
    links.press_sequentially("partage", delay=20)
    notes = page.locator("#links-options")
    expect(notes.get_by_role("option", selected=True)).to_contain_text(veille.title)
    links.press("Enter")
    expect(notes).to_be_hidden()
    expect(links).to_have_value(veille.title)
    links.press("Enter")  # the list closed, Enter starts the next line
    links.press_sequentially("laval", delay=20)
    expect(notes.get_by_role("option", selected=True)).to_contain_text("Organisation")
    links.press("Enter")
    expect(links).to_have_value(f"{veille.title}\nCulture Laval")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile(r"/n/[^/]+/$"))
    note_id = page.url.rstrip("/").rsplit("/", 1)[1]
    linked = page.request.get(f"{live_site.url}/api/v1/notes/{note_id}").json()["links"]
    assert [n["id"] for n in linked["notes"]] == [veille.id] and [n["id"] for n in linked["organisations"]] == [org.id]
    page.goto(f"{live_site.url}/n/{note_id}/edit")
    expect(page.locator("#authors")).to_have_value("alice, mgagnon, bgirard")  # both invited to co-sign
    expect(page.locator("#readers")).to_have_value("mgagnon")
    expect(page.locator("#links")).to_have_value(f"{veille.title}\nCulture Laval")
    context.close()


def test_the_link_picker_adds_organisations_and_terms_to_the_links(live_site, browser, session):
    alice = make_user(session, "alice")
    org = make_note(session, alice, title="Culture Laval", kind="organisation")
    term = make_note(session, alice, title="Chantier", kind="term")
    context, page = _editor(live_site, browser, session, alice)
    search = page.get_by_role("combobox", name="Titre à chercher")
    search.press_sequentially("cult", delay=20)
    page.get_by_role("option", name=re.compile("Culture Laval")).click()
    expect(page.locator("#links")).to_have_value("Culture Laval")  # a title no other note has
    page.get_by_label("Chercher parmi").select_option("term")
    search.press_sequentially("chan", delay=20)
    expect(search).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator("#links")).to_have_value("Culture Laval\nChantier")
    expect(page.get_by_role("status").filter(has_text="« Chantier » a été ajouté aux liens.")).to_have_count(1)
    context.close()


@one_database
def test_visibility_kind_and_options_show_what_the_choice_needs(live_site, browser, session):
    alice = make_user(session, "alice")
    context, page = _editor(live_site, browser, session, alice)
    expect(page.get_by_text("Public : tout le monde.")).to_be_visible()
    expect(page.get_by_text("Restreint : les auteur·trices")).to_be_hidden()
    expect(page.locator("#visibility-hints")).to_have_css("list-style-type", "none")  # one sentence, no bullet
    readers = page.locator("#readers")
    expect(readers).to_be_hidden()  # folded under "Options"
    page.get_by_label("Visibilité").select_option("restricted")
    expect(page.get_by_text("Restreint : les auteur·trices")).to_be_visible()
    expect(page.get_by_text("Public : tout le monde.")).to_be_hidden()
    expect(readers).to_be_visible()  # choosing whom it is restricted to opens the options
    # Only the chosen kind's fields: none for a note, then the organisation's, then the term's.
    website, definition = page.locator("#website"), page.locator("#definition")
    expect(website).to_be_hidden()
    expect(definition).to_be_hidden()
    page.get_by_label("Type").select_option("organisation")
    expect(website).to_be_visible()
    expect(definition).to_be_hidden()
    page.get_by_label("Type").select_option("term")
    expect(definition).to_be_visible()
    expect(website).to_be_hidden()
    context.close()


@one_database
def test_the_visibility_hint_stands_under_its_own_field(live_site, browser, session):
    alice = make_user(session, "alice")
    context, page = _editor(live_site, browser, session, alice)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        for choice, words in (("public", "Public : tout le monde."), ("restricted", "Restreint : les auteur·trices")):
            page.get_by_label("Visibilité").select_option(choice)
            field = page.get_by_label("Visibilité").bounding_box()
            label = page.locator("label[for=visibility]").bounding_box()
            hint = page.get_by_text(words).bounding_box()
            assert field and label and hint
            # Just below the field, from its label's edge to its own (no other field between them).
            assert 0 <= hint["y"] - (field["y"] + field["height"]) < 16, (width, choice)
            assert label["x"] <= hint["x"] <= field["x"] + field["width"], (width, choice)
    # Where fields stand side by side, the hint of a longer choice does not move the ones beside it.
    licence = page.get_by_label("Licence").bounding_box()
    page.get_by_label("Visibilité").select_option("public")
    assert page.get_by_label("Licence").bounding_box() == licence
    context.close()


@one_database  # drafts live in the browser's storage: no SQL in what is checked
def test_a_draft_survives_a_closed_tab_and_is_forgotten_once_saved(live_site, browser, session):
    alice = make_user(session, "alice")
    note = make_note(session, alice, title="Carnet de route", body="Texte enregistré.")
    context, page = _editor(live_site, browser, session, alice, f"/n/{note.id}/edit")
    page.locator("#body").fill("Texte enregistré.\n\nUn ajout précieux, jamais enregistré.")
    assert _drafts(page, 1) == [f"praxis.draft:alice:{note.id}:1"]  # autosaved within seconds
    page.close()

    page = context.new_page()
    page.goto(f"{live_site.url}/n/{note.id}/edit")
    banner = page.get_by_role("status").filter(has_text="Un brouillon non enregistré de cette note a été retrouvé")
    expect(banner).to_be_visible()
    # When the draft was saved, in words and as a machine-readable date HTML accepts.
    expect(banner.locator("time")).to_have_attribute(
        "datetime", re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$")
    )
    expect(banner.locator("time")).to_contain_text(str(date.today().year))
    expect(page.locator("#body")).to_have_value("Texte enregistré.")
    banner.get_by_role("button", name="Restaurer").click()
    expect(banner).to_be_hidden()
    expect(page.locator("#body")).to_have_value("Texte enregistré.\n\nUn ajout précieux, jamais enregistré.")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(f"{live_site.url}/n/{note.id}/")
    expect(page.locator("article .body")).to_contain_text("Un ajout précieux, jamais enregistré.")
    assert _drafts(page, 0) == []
    page.goto(f"{live_site.url}/n/{note.id}/edit")
    expect(page.locator("#draft-found")).to_be_hidden()
    context.close()


@one_database  # drafts live in the browser's storage: no SQL in what is checked
def test_ignoring_a_draft_forgets_it_and_drafts_are_per_person(live_site, browser, session):
    alice = make_user(session, "alice")
    make_user(session, "bob")
    context, page = _editor(live_site, browser, session, alice)
    page.locator("#title").fill("Idée du jour")
    assert _drafts(page, 1) == ["praxis.draft:alice:new:0"]
    page.goto(f"{live_site.url}/n/new")
    page.get_by_role("button", name="Ignorer").click()
    expect(page.locator("#draft-found")).to_be_hidden()
    assert page.evaluate(DRAFTS) == []
    context.close()


def test_two_people_saving_at_once_meet_the_conflict_screen_and_merge(live_site, browser, session):
    alice = make_user(session, "alice", name="Alice Rivard")
    bob = make_user(session, "bob", name="Bob Gagnon")
    note = make_note(session, alice, title="Chantier", body="Début.\n\nMilieu.\n\nFin.", authors=["alice", "bob"])
    alice_context, alice_page = _editor(live_site, browser, session, alice, f"/n/{note.id}/edit")
    bob_context, bob_page = _editor(live_site, browser, session, bob, f"/n/{note.id}/edit")

    bob_page.locator("#body").fill("Début, par Bob.\n\nMilieu.\n\nFin.")
    bob_page.get_by_role("button", name="Enregistrer").click()
    bob_page.wait_for_url(f"{live_site.url}/n/{note.id}/")

    alice_page.locator("#body").fill("Début.\n\nMilieu.\n\nFin, par Alice.")
    alice_page.get_by_role("button", name="Enregistrer").click()
    expect(
        alice_page.get_by_role("heading", name="Quelqu'un a modifié cette note pendant que vous écriviez")
    ).to_be_visible()
    expect(alice_page.get_by_text("révision 3, enregistrée par Bob Gagnon")).to_be_visible()
    expect(alice_page.get_by_role("alert")).to_contain_text("fusionnées automatiquement")
    expect(alice_page.get_by_label("Version actuelle (révision 3)")).to_have_value("Début, par Bob.\n\nMilieu.\n\nFin.")
    expect(alice_page.locator("#body")).to_have_value("Début, par Bob.\n\nMilieu.\n\nFin, par Alice.")
    alice_page.get_by_role("button", name="Enregistrer").click()
    alice_page.wait_for_url(f"{live_site.url}/n/{note.id}/")
    expect(alice_page.locator("article .body")).to_contain_text("Début, par Bob.")
    expect(alice_page.locator("article .body")).to_contain_text("Fin, par Alice.")
    assert _drafts(alice_page, 0) == []
    alice_context.close()
    bob_context.close()


def test_without_javascript_the_form_still_previews_and_saves(live_site, browser, session):
    alice = make_user(session, "alice")
    context = browser.new_context(locale="fr-CA", java_script_enabled=False)
    raw = accounts.issue_token(session=session, user=alice, kind="session", days=1).token
    session.commit()
    cookie = Signer(live_site.app.state.secret_key, salt="praxis.session").sign(raw).decode()
    context.add_cookies([{"name": "praxis_session", "value": cookie, "url": live_site.url}])
    page = context.new_page()
    page.goto(f"{live_site.url}/n/new")
    expect(page.get_by_role("toolbar")).to_be_hidden()
    expect(page.locator("#visibility-hints")).to_have_css("list-style-type", "disc")  # the three hints, listed
    page.locator("#title").fill("Sans script")
    page.locator("#body").fill("Un **aperçu** sans script.")
    page.get_by_role("button", name="Aperçu", exact=True).click()
    expect(page.locator("#preview-body strong")).to_have_text("aperçu")
    expect(page.locator("#title")).to_have_value("Sans script")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile(r"/n/[^/]+/$"))
    expect(page.locator("article .body strong")).to_have_text("aperçu")
    context.close()
