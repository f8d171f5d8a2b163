"""The copy buttons in a real browser: a file's Markdown goes to the clipboard from the edit page,
on https or the machine itself (the Clipboard API) and over plain http on a network (a site on a
LAN, where browsers offer no Clipboard API: the fallback copies all the same); without JavaScript
the field is there to select."""

from __future__ import annotations

import io

from praxis.media import attachments
from tests.browser.test_accessibility import axe_violations
from tests.conftest import one_database
from tests.factories import make_note, make_user

pytestmark = one_database  # what the browser copies: no SQL in it

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
# An address that is not the machine's own: Chromium holds a page from it for insecure (plain
# http), as it would a site on a local network. The browser never resolves it: every request to
# it is answered by the test site (Playwright's routing), so the page keeps that origin.
LAN = "http://praxis.lan"


def _note_with_a_file(live_site, session):  # type: ignore[no-untyped-def]
    alice = make_user(session, "alice", name="Alice Rivard")
    note = make_note(session, alice, title="Affiches")
    attached = attachments.attach(
        session=session,
        actor=alice,
        store=live_site.app.state.files,
        note_id=note.id,
        source=io.BytesIO(PDF),
        filename="plan d'accès.pdf",
    )
    session.commit()
    return alice, note, attached


def _copy(page, attached) -> None:  # type: ignore[no-untyped-def]
    """Click the file's copy button and wait for it to say it copied."""
    page.get_by_role("button", name="Copier le code Markdown de plan d'accès.pdf").click()
    page.locator(f"#copie-{attached.id}").filter(has_text="Code Markdown copié.").wait_for()


def test_the_copy_button_puts_the_file_s_markdown_in_the_clipboard(live_site, browser, session):
    alice, note, attached = _note_with_a_file(live_site, session)
    context = live_site.signed_in(browser, session, alice)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_site.url)
    page = context.new_page()
    page.goto(f"{live_site.url}/n/{note.id}/edit")
    assert page.evaluate("window.isSecureContext")  # the machine itself: the Clipboard API
    _copy(page, attached)
    assert page.evaluate("navigator.clipboard.readText()") == attached.markdown
    assert axe_violations(page) == []  # the button, named for its file, and what it said
    # And it pastes where one writes.
    page.locator("#body").fill("")
    page.locator("#body").focus()
    page.keyboard.press("Control+V")
    pasted = page.locator("#body").input_value()
    assert (
        pasted == attached.markdown == f"[plan d'accès.pdf](/n/{note.id}/files/{attached.id}/plan%20d%27acc%C3%A8s.pdf)"
    )
    context.close()


def test_over_plain_http_on_a_network_the_button_copies_all_the_same(live_site, browser, session):
    alice, note, attached = _note_with_a_file(live_site, session)
    context = live_site.signed_in(browser, session, alice)
    context.add_cookies([{**cookie, "domain": "praxis.lan"} for cookie in context.cookies()])

    def forward(route) -> None:  # type: ignore[no-untyped-def]
        # As a server at that address gets it: for that host, with the cookies the browser holds for it.
        sent = {**route.request.all_headers(), "host": "praxis.lan"}
        route.fulfill(response=route.fetch(url=live_site.url + route.request.url.removeprefix(LAN), headers=sent))

    context.route(f"{LAN}/**", forward)
    page = context.new_page()
    refused: list[str] = []  # the site works whole at that address (the editor's preview among others)
    page.on(
        "response",
        lambda response: refused.append(f"{response.status} {response.url}") if response.status >= 400 else None,
    )
    page.goto(f"{LAN}/n/{note.id}/edit")
    assert page.evaluate("[window.isSecureContext, typeof navigator.clipboard]") == [False, "undefined"]
    _copy(page, attached)
    # What the clipboard holds, pasted where one writes (the page may not read it itself).
    page.locator("#body").fill("")
    page.locator("#body").focus()
    page.keyboard.press("Control+V")
    assert page.locator("#body").input_value() == attached.markdown
    assert page.evaluate("document.activeElement.id") == "body"
    # The note page's buttons copy there too: the link (no longer hidden off https) and the citation.
    page.goto(f"{LAN}/n/{note.id}/")
    page.get_by_role("button", name="Copier le lien").click()
    page.get_by_role("status").filter(has_text="Lien copié dans le presse-papiers.").wait_for()
    page.get_by_role("button", name="Copier", exact=True).click()
    page.get_by_role("status").filter(has_text="Citation copiée dans le presse-papiers.").wait_for()
    # A browser that copies in neither way: the code is selected, and the reader told how to copy it.
    page.add_init_script("document.execCommand = () => false;")
    page.goto(f"{LAN}/n/{note.id}/edit")
    page.get_by_role("button", name="Copier le code Markdown de plan d'accès.pdf").click()
    status = f"#copie-{attached.id}"
    page.locator(status).filter(
        has_text="Le code est sélectionné : appuyez sur Ctrl+C (⌘+C) pour le copier."
    ).wait_for()
    selected = "[document.activeElement.id, document.activeElement.selectionStart, document.activeElement.selectionEnd]"
    assert page.evaluate(selected) == [f"markdown-{attached.id}", 0, len(attached.markdown)]
    assert refused == []
    context.close()


def test_without_javascript_the_markdown_is_there_to_select(live_site, browser, session):
    alice, note, attached = _note_with_a_file(live_site, session)
    signed_in = live_site.signed_in(browser, session, alice)
    context = browser.new_context(locale="fr-CA", java_script_enabled=False)
    context.add_cookies(signed_in.cookies())  # the same session, in a browser without JavaScript
    signed_in.close()
    page = context.new_page()
    page.goto(f"{live_site.url}/n/{note.id}/edit")
    field = page.get_by_label("Code Markdown", exact=True)
    assert field.input_value() == attached.markdown and field.get_attribute("readonly") is not None
    assert not page.get_by_role("button", name="Copier le code Markdown de plan d'accès.pdf").is_visible()
    field.focus()
    page.keyboard.press("Control+A")
    assert page.evaluate("getSelection().toString() || document.activeElement.value") == attached.markdown
    context.close()
