"""The note page in a browser: on a 390 px phone the carnet line and the contents, folded, stand
above the body, whose first line is on the first screen; at 1280 px a side column holds the contents, which follow
the reading, and the links; a link to a term shows its definition in a card on hover and on
keyboard focus (on touch screens, by its kind icon), in the text, in the side column and in the
comments alike, and a card never shows a hidden note; an embedded section reads framed, out of
the page's contents."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from tests.conftest import one_database
from tests.factories import make_note, make_user, token_for

pytestmark = one_database  # how the browser lays the page out and what its scripts do

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
DEFINITION = "Groupe de travail thématique, de durée ouverte."
BODY = "Le [[Cercle]] de [[Culture Laval]] se réunit ; voir aussi [[Secret]].\n\n" + "\n\n".join(
    f"## Étape {i}\n\n" + ("Un long paragraphe de récit. " * 40) for i in range(1, 5)
)
COMMENT = "Merci ! Le mot [[Cercle]] est juste ; et [[Secret]] ?"


@pytest.fixture
def world(live_site, client, session):  # type: ignore[no-untyped-def]
    alice = make_user(session, "alice", name="Alice Rivard")
    term = make_note(session, alice, title="Cercle", kind="term", definition=DEFINITION)
    make_note(session, alice, title="Culture Laval", kind="organisation", region="Laval", description="Un conseil.")
    secret = make_note(session, alice, title="Secret", body="Ce que seuls ses auteurs lisent.", visibility="restricted")
    note = make_note(session, alice, title="Récit d'une rencontre", body=BODY)
    headers = token_for(client, "alice")
    carnet = client.post("/api/v1/carnets", headers=headers, json={"title": "Carnet des récits"}).json()["id"]
    client.post(f"/api/v1/carnets/{carnet}/notes", headers=headers, json={"note_id": note.id})
    client.post(f"/api/v1/notes/{note.id}/comments", headers=headers, json={"body": COMMENT})
    return {"note": note, "secret": secret, "carnet": carnet, "alice": alice, "term": term}


def _card(page: Page):  # type: ignore[no-untyped-def]
    return page.get_by_role("tooltip")


def test_on_a_phone_the_carnet_line_and_the_body_start_on_the_first_screen(live_site, browser: Browser, world):
    page = browser.new_page(viewport=PHONE, locale="fr-CA")
    page.goto(f"{live_site.url}/n/{world['note'].id}/?carnet={world['carnet']}")
    line = page.locator(".in-carnet")
    expect(line).to_contain_text("Cette note fait partie du carnet Carnet des récits (1 note)")
    first = page.locator("#note-body > :first-child")
    expect(first).to_be_visible()
    line_box, body_box = line.bounding_box(), first.bounding_box()
    assert line_box and body_box
    assert line_box["y"] + line_box["height"] <= body_box["y"]
    assert body_box["y"] + 30 <= PHONE["height"], body_box  # its first line, at least, on the first screen
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # The contents come before the body, folded; the side column's copy is not shown.
    fold = page.locator("details.toc-fold")
    fold_box = fold.bounding_box()
    assert fold_box and line_box["y"] < fold_box["y"] and fold_box["y"] + fold_box["height"] <= body_box["y"]
    section = page.get_by_role("link", name="Étape 3", exact=True)
    expect(section).to_be_hidden()
    expect(page.get_by_role("heading", name="Sommaire")).to_be_hidden()
    fold.get_by_text("Sur cette page").click()
    expect(section).to_be_visible()
    section.click()
    expect(page.get_by_role("heading", name="Étape 3", exact=True)).to_be_in_viewport()
    page.close()


def test_at_1280_px_a_side_column_holds_the_contents_that_follow_the_reading(live_site, browser: Browser, world):
    page = browser.new_page(viewport=DESKTOP, locale="fr-CA")
    page.goto(f"{live_site.url}/n/{world['note'].id}/")
    side, body = page.locator(".note-side"), page.locator("#note-body")
    expect(side.get_by_role("heading", name="Sommaire")).to_be_visible()
    expect(page.locator("details.toc-fold")).to_be_hidden()  # the phone's fold: the side column has them
    expect(side.get_by_role("heading", name="Cette note renvoie à (2)")).to_be_visible()
    side_box, body_box = side.bounding_box(), body.bounding_box()
    assert side_box and body_box and side_box["x"] >= body_box["x"] + body_box["width"]
    # Each heading has a copy-link anchor with a name, which is no part of the heading's name.
    expect(page.get_by_role("link", name="Copier le lien vers la section Étape 3")).to_have_attribute(
        "href", "#étape-3"
    )
    expect(page.get_by_role("heading", name="Étape 3", exact=True)).to_have_attribute("id", "étape-3")
    assert '- heading "Étape 3" [level=2]' in body.aria_snapshot()
    expect(page.get_by_role("button", name="Copier le lien")).to_be_visible()
    # Reading on: the contents mark the section being read, and stay in view.
    page.locator("#étape-3").scroll_into_view_if_needed()
    page.evaluate("document.getElementById('étape-3').scrollIntoView()")
    current = side.locator(".toc a[aria-current]")
    expect(current).to_have_text("Étape 3")
    expect(side.get_by_role("heading", name="Sommaire")).to_be_in_viewport()
    # A link made when anchors were folded to ASCII still leads to the heading.
    page.goto(f"{live_site.url}/n/{world['note'].id}/#etape-1")
    expect(page.get_by_role("heading", name="Étape 1", exact=True)).to_be_in_viewport()
    page.goto(f"{live_site.url}/n/{world['note'].id}/#etape-3")
    expect(page.get_by_role("heading", name="Étape 3", exact=True)).to_be_in_viewport()
    # The notes using a term are a list like the links beside them: each kind's icon stands in
    # the margin as its marker, the title beside it.
    page.goto(f"{live_site.url}/n/{world['term'].id}/")
    backlinks = page.locator(".note-side .backlinks")
    expect(backlinks.get_by_role("heading", name="Notes qui utilisent ce terme (1)")).to_be_visible()
    item = backlinks.locator("li").first
    icon, link = item.locator(".icon").bounding_box(), item.get_by_role("link").bounding_box()
    box = item.bounding_box()
    assert icon and link and box and icon["x"] + icon["width"] <= box["x"] <= link["x"]
    page.close()


def test_a_term_link_shows_its_definition_on_hover_and_on_keyboard_focus(live_site, browser: Browser, world):
    page = browser.new_page(viewport=DESKTOP, locale="fr-CA")
    page.goto(f"{live_site.url}/n/{world['note'].id}/")
    link = page.locator("#note-body a.kind-term", has_text="Cercle")
    expect(page.locator("#note-body a.kind-organisation", has_text="Culture Laval")).to_be_visible()
    link.hover()
    card = _card(page)
    expect(card).to_be_visible()
    expect(card).to_contain_text("Terme")
    expect(card).to_contain_text(DEFINITION)
    expect(link).to_have_attribute("aria-describedby", "preview-card")
    page.keyboard.press("Escape")
    expect(card).to_be_hidden()
    page.mouse.move(0, 0)
    # By keyboard: Tab from the element just before the link.
    page.locator("#note-body").evaluate("b => { b.tabIndex = -1; b.focus(); }")
    page.keyboard.press("Tab")
    expect(link).to_be_focused()
    expect(card).to_be_visible()
    expect(card).to_contain_text(DEFINITION)
    page.keyboard.press("Escape")
    expect(card).to_be_hidden()
    # The organisation's card gives its region.
    page.locator("#note-body a.kind-organisation").hover()
    expect(card.locator(".preview-region")).to_have_text("RégionLaval")
    page.close()


def test_links_beside_the_text_and_in_comments_show_their_card_too(live_site, browser: Browser, world):
    page = browser.new_page(viewport=DESKTOP, locale="fr-CA")
    page.goto(f"{live_site.url}/n/{world['note'].id}/")
    card = _card(page)
    # The side column's links: by the pointer, then by the keyboard.
    side = page.locator(".note-side .links")
    organisation = side.get_by_role("link", name="Culture Laval")
    organisation.hover()
    expect(card.locator(".preview-region")).to_have_text("RégionLaval")
    expect(organisation).to_have_attribute("aria-describedby", "preview-card")
    page.keyboard.press("Escape")
    expect(card).to_be_hidden()
    expect(organisation).not_to_have_attribute("aria-describedby", "preview-card")
    page.mouse.move(0, 0)
    organisation.focus()
    page.keyboard.press("Escape")
    expect(card).to_be_hidden()
    page.keyboard.press("Tab")
    term = side.get_by_role("link", name="Cercle")
    expect(term).to_be_focused()
    expect(card).to_contain_text(DEFINITION)
    expect(card).to_be_in_viewport()
    page.keyboard.press("Escape")
    expect(card).to_be_hidden()
    # A comment's link: the same card, by the pointer and by the keyboard.
    comment = page.locator(".comment .body")
    link = comment.get_by_role("link", name="Cercle")
    expect(link).to_have_class("wikilink kind-term")
    link.hover()
    expect(card).to_contain_text(DEFINITION)
    expect(card).to_be_in_viewport()
    page.mouse.move(0, 0)
    expect(card).to_be_hidden()
    link.focus()
    expect(card).to_contain_text(DEFINITION)
    page.keyboard.press("Escape")
    expect(card).to_be_hidden()
    # The hidden note a comment names reads as a note to write, with nothing to preview.
    expect(comment.get_by_role("link", name="Secret")).to_have_attribute("href", "/n/new?title=Secret")
    # The backlinks of a term: each note using it previews its first words.
    page.goto(f"{live_site.url}/n/{world['term'].id}/")
    page.locator(".note-side .backlinks").get_by_role("link", name="Récit d'une rencontre").hover()
    expect(card).to_contain_text("Le Cercle de Culture Laval se réunit")
    page.close()


def test_a_card_never_shows_a_note_the_reader_may_not_see(live_site, browser: Browser, world):
    secret = world["secret"]
    page = browser.new_page(viewport=DESKTOP, locale="fr-CA")
    # Even a page that named the hidden note as a link of its kind (as a rendering shared with
    # someone who may read it would) gets nothing: the card asks the API as this reader.
    requests: list[int] = []

    def stale(route: Route) -> None:
        response = route.fetch()
        html = response.text().replace(
            'class="wikilink wikilink-new" href="/n/new?title=Secret"',
            f'class="wikilink kind-note" href="/n/{secret.id}/"',
        )
        route.fulfill(response=response, body=html)

    page.route(f"{live_site.url}/n/{world['note'].id}/", stale)
    page.on("response", lambda r: requests.append(r.status) if "/preview" in r.url else None)
    page.goto(f"{live_site.url}/n/{world['note'].id}/")
    link = page.locator("#note-body a", has_text="Secret")
    expect(link).to_have_attribute("href", f"/n/{secret.id}/")
    with page.expect_response(lambda r: "/preview" in r.url) as answer:
        link.hover()
    assert answer.value.status == 404
    link.focus()
    expect(_card(page)).to_be_hidden()
    # The same link in a comment (the page loaded again, nothing cached): the same 404, the same nothing.
    page.goto(f"{live_site.url}/n/{world['note'].id}/")
    in_comment = page.locator(".comment .body a", has_text="Secret")
    expect(in_comment).to_have_class("wikilink kind-note")
    with page.expect_response(lambda r: "/preview" in r.url) as answer:
        in_comment.hover()
    assert answer.value.status == 404 and secret.id in answer.value.url
    in_comment.focus()
    expect(_card(page)).to_be_hidden()
    expect(in_comment).not_to_have_attribute("aria-describedby", "preview-card")
    expect(page.get_by_text("Ce que seuls ses auteurs lisent.")).to_have_count(0)
    page.close()


def test_its_author_sees_the_card_of_the_restricted_note(live_site, browser: Browser, world, session):
    context = live_site.signed_in(browser, session, world["alice"])
    page = context.new_page()
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_site.url}/n/{world['note'].id}/")
    page.locator("#note-body a.kind-note", has_text="Secret").hover()
    expect(_card(page)).to_contain_text("Ce que seuls ses auteurs lisent.")
    context.close()


def test_on_a_touch_screen_the_kind_icon_opens_the_card(live_site, browser: Browser, world):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, locale="fr-CA")
    page = context.new_page()
    page.goto(f"{live_site.url}/n/{world['note'].id}/")
    toggle = page.locator("#note-body").get_by_role("button", name="Afficher l’aperçu de Cercle")
    toggle.tap()
    card = _card(page)
    expect(card).to_contain_text(DEFINITION)
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.get_by_role("button", name="Fermer l’aperçu").tap()
    expect(card).to_be_hidden()
    # The same in a comment and in the side column, whose icons stand where the list's markers were.
    page.locator(".comment").get_by_role("button", name="Afficher l’aperçu de Cercle").tap()
    expect(card).to_contain_text(DEFINITION)
    expect(card).to_be_in_viewport()
    side = page.locator(".note-side .links")
    side.get_by_role("button", name="Afficher l’aperçu de Culture Laval").tap()
    expect(card.locator(".preview-region")).to_have_text("RégionLaval")
    button_box = side.get_by_role("button", name="Afficher l’aperçu de Cercle").bounding_box()
    link_box = side.get_by_role("link", name="Cercle").bounding_box()
    assert button_box and link_box and button_box["x"] + button_box["width"] <= link_box["x"]
    page.keyboard.press("Escape")
    expect(card).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()


MARKUP = (
    "Voir [[Récit d'une rencontre#Étape 3]] et [[#Apprentissage supervisé]].\n\n"
    "> [!tip] Un conseil\n> Le corps du conseil.\n\n"
    "> [!warning]\n> Attention au ==passage surligné==.\n\n"
    "> [!faq]- Une question repliée\n> La réponse cachée.\n\n"
    "::: danger Danger\nNe pas toucher.\n:::\n\n"
    "Touche <kbd>Ctrl</kbd>.\n\n"
    + "\n\n".join("Un long paragraphe de remplissage. " * 30 for _ in range(4))
    + "\n\n## Apprentissage supervisé\n\nLe paragraphe nommé. ^clef\n\n"
    + "\n\n".join("Encore du texte. " * 30 for _ in range(4))
)


def test_callouts_folds_and_section_links_read_in_the_page(live_site, browser: Browser, world, session):
    from tests.browser.test_accessibility import axe_violations

    note = make_note(session, world["alice"], title="Balisage", body=MARKUP + "\n\n[[#^clef|au paragraphe]]")
    page = browser.new_page(viewport=DESKTOP, locale="fr-CA")
    page.goto(f"{live_site.url}/n/{note.id}/")
    body = page.locator("#note-body")
    tip, warning = body.locator(".callout-tip"), body.locator(".callout-warning")
    expect(tip.locator(".callout-title")).to_have_text("Un conseil")
    expect(warning.locator(".callout-title")).to_have_text("Warning")
    expect(warning.locator("mark")).to_have_text("passage surligné")
    colour = "e => getComputedStyle(e).borderLeftColor"
    assert tip.evaluate(colour) != warning.evaluate(colour)
    # A folded callout opens by its title; a printed page shows it, and folds it back after.
    answer = body.get_by_text("La réponse cachée.")
    expect(answer).to_be_hidden()
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    expect(answer).to_be_visible()
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    expect(answer).to_be_hidden()
    body.get_by_text("Une question repliée").click()
    expect(answer).to_be_visible()
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert axe_violations(page) == [], scheme
    # A link within the page, and one to a block, which is shown as the one meant.
    body.get_by_role("link", name="Apprentissage supervisé", exact=True).click()
    expect(page.get_by_role("heading", name="Apprentissage supervisé")).to_be_in_viewport()
    body.get_by_role("link", name="au paragraphe").click()
    block = body.get_by_text("Le paragraphe nommé.")
    expect(block).to_be_in_viewport()
    assert block.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    # A link to another note's section has that note's card, and leads to the section.
    link = body.get_by_role("link", name="Récit d'une rencontre > Étape 3")
    link.hover()
    expect(_card(page)).to_contain_text("Un long paragraphe de récit.")
    link.click()
    expect(page.get_by_role("heading", name="Étape 3", exact=True)).to_be_in_viewport()
    page.close()


def test_an_embed_reads_in_the_page_framed_and_out_of_its_contents(live_site, browser: Browser, world, session):
    from tests.browser.test_accessibility import axe_violations

    body = (
        "## Mon bilan\n\nCe que nous retenons.\n\n![[Récit d'une rencontre#Étape 2]]\n\n"
        "## Suite\n\n![[Secret]]\n\n## Fin\n\nMerci."
    )
    note = make_note(session, world["alice"], title="Bilan", body=body)
    page = browser.new_page(viewport=DESKTOP, locale="fr-CA")
    page.goto(f"{live_site.url}/n/{note.id}/")
    embed = page.locator("#note-body blockquote.embed")
    expect(embed).to_have_count(1)  # "Secret" is a link alone: a visitor may not read it
    expect(embed.get_by_role("heading", name="Étape 2")).to_be_visible()
    expect(embed).to_contain_text("Un long paragraphe de récit.")
    expect(embed).not_to_contain_text("Étape 3")
    expect(page.locator("#note-body")).not_to_contain_text("Ce que seuls ses auteurs lisent.")
    expect(page.locator("#note-body").get_by_role("link", name="Secret", exact=True)).to_be_visible()
    # The page's contents are its own sections, not the embedded one's.
    contents = page.locator(".note-side .toc")
    expect(contents.get_by_role("link")).to_have_text(["Mon bilan", "Suite", "Fin"])
    # The frame's title is a link to the note, with its card.
    source = embed.get_by_role("link", name="Récit d'une rencontre")
    source.hover()
    expect(_card(page)).to_contain_text("Un long paragraphe de récit.")
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert axe_violations(page) == [], scheme
    source.click()
    expect(page.get_by_role("heading", name="Étape 2", exact=True)).to_be_in_viewport()
    page.close()


def test_on_a_touch_screen_the_kind_icon_never_ends_a_line_apart_from_its_link(
    live_site, browser: Browser, world, session
):
    words = " ".join(f"le mot{'s' * (i % 5)} [[Cercle]] puis [[Culture Laval]]" for i in range(12))
    note = make_note(session, world["alice"], title="Des liens partout", body=f"Voici {words}.")
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, locale="fr-CA")
    page = context.new_page()
    page.goto(f"{live_site.url}/n/{note.id}/")
    expect(page.locator("#note-body .preview-toggle")).to_have_count(24)
    apart = []
    for width in range(320, 480, 4):
        page.set_viewport_size({"width": width, "height": 844})
        # Each button against the first line box of the link it opens: the two overlap vertically.
        apart += page.evaluate(
            """(width) => Array.from(document.querySelectorAll('#note-body .preview-toggle')).flatMap((b) => {
                const link = b.nextElementSibling, box = b.getBoundingClientRect();
                const first = link.getClientRects()[0];
                return box.bottom > first.top + 2 && box.top < first.bottom - 2 ? [] : [[width, link.textContent]];
            })""",
            width,
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing pushed out
    assert apart == []
    context.close()
