"""Files where you write, in a real browser: pasted, dropped or chosen in the editor (also in a
new note), uploaded, their Markdown put at the caret; refused with the reason, inserting nothing."""

from __future__ import annotations

import base64
import re

from playwright.sync_api import expect

from tests.api.test_files_api import png
from tests.conftest import one_database
from tests.factories import make_user

RAR = b"Rar!\x1a\x07\x00" + bytes(64)

# A file made in the page from bytes, handed to the text as the clipboard or a drag would.
HAND_OVER = """([kind, name, type, data]) => {
  const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
  const files = new DataTransfer();
  files.items.add(new File([bytes], name, { type }));
  const body = document.getElementById("body");
  if (kind === "paste") {
    body.dispatchEvent(new ClipboardEvent("paste", { clipboardData: files, bubbles: true, cancelable: true }));
    return;
  }
  for (const step of ["dragenter", "dragover"]) {
    body.dispatchEvent(new DragEvent(step, { dataTransfer: files, bubbles: true, cancelable: true }));
  }
  window.praxisDropShown = document.querySelector(".editor-field").classList.contains("drop-target");
  body.dispatchEvent(new DragEvent("drop", { dataTransfer: files, bubbles: true, cancelable: true }));
}"""


def hand_over(page, kind: str, name: str, media_type: str, data: bytes) -> None:  # type: ignore[no-untyped-def]
    page.evaluate(HAND_OVER, [kind, name, media_type, base64.b64encode(data).decode()])


def shows(page, image) -> bool:  # type: ignore[no-untyped-def]
    """Whether the image has loaded and has pixels, within 5 s (the site's CSP forbids the
    string evaluation that wait_for_function needs)."""
    for _ in range(50):
        if image.evaluate("img => img.complete && img.naturalWidth > 0"):
            return True
        page.wait_for_timeout(100)
    return False


@one_database  # the claim's SQL is checked on both databases by tests/api/test_draft_uploads_api.py
def test_an_image_pasted_into_a_new_note_before_saving_shows_on_the_saved_page(live_site, browser, session):
    alice = make_user(session, "alice")
    context = live_site.signed_in(browser, session, alice)
    page = context.new_page()
    page.goto(f"{live_site.url}/n/new")
    expect(page.get_by_text("Collez ou déposez un fichier dans le texte")).to_be_visible()
    expect(page.get_by_text("après son premier enregistrement")).to_be_hidden()
    page.locator("#title").fill("Relevé de terrain")
    body = page.locator("#body")
    body.fill("Avant.\n\nAprès.")
    body.evaluate("el => { el.focus(); el.setSelectionRange(8, 8); }")  # at the start of the second paragraph

    held = []  # the upload is held on its way, to save meanwhile
    page.route("**/api/v1/uploads*", lambda route: held.append(route))
    hand_over(page, "paste", "relevé.png", "image/png", png((400, 300)))
    expect(body).to_have_value(re.compile(r"^Avant\.\n\n!\[Envoi de relevé\.png…\]\(\)Après\.$"))
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#upload-status")).to_contain_text(
        "Attendez la fin de l'envoi des fichiers avant d'enregistrer."
    )
    assert page.url.endswith("/n/new")  # not saved with its placeholder
    for _ in range(50):
        if held:
            break
        page.wait_for_timeout(100)
    held[0].continue_()
    expect(body).to_have_value(re.compile(r"^Avant\.\n\n!\[relevé\.png\]\(/envois/[\w-]+/relev%C3%A9\.png\)Après\.$"))
    expect(
        page.get_by_role("status").filter(has_text="relevé.png a été envoyé et inséré dans le texte.")
    ).to_be_visible()
    # The live preview shows it: the uploader may see the draft.
    preview = page.locator("#preview-body img")
    expect(preview).to_have_attribute("src", re.compile(r"^/envois/"))
    assert shows(page, preview)

    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile(r"/n/[^/]+/$"))
    note_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    shown = page.locator("article .body img")
    expect(shown).to_have_attribute("src", re.compile(rf"^/n/{note_id}/files/[\w-]+/relev%C3%A9\.png$"))
    assert shows(page, shown)
    expect(page.get_by_text("Fichiers joints (1)")).to_be_visible()
    # A reader who is not its author sees it too.
    visitor = browser.new_page()
    visitor.goto(page.url)
    assert shows(visitor, visitor.locator("article .body img"))
    visitor.close()
    context.close()


@one_database  # what the browser shows of a refusal: no SQL in what is checked
def test_a_refused_type_says_why_and_inserts_nothing_and_drop_and_the_button_insert(live_site, browser, session):
    alice = make_user(session, "alice")
    context = live_site.signed_in(browser, session, alice)
    page = context.new_page()
    page.goto(f"{live_site.url}/n/new")
    body = page.locator("#body")
    body.fill("Texte.")
    hand_over(page, "paste", "outil.zip", "application/zip", RAR)
    refusal = page.locator("#upload-status .error")
    expect(refusal).to_have_text(
        re.compile(
            r"^outil\.zip n'a pas été joint\. Ce type de fichier n'est pas accepté : archive RAR \(application/vnd\.rar\)\."
        )
    )
    expect(body).to_have_value("Texte.")

    # Dropped: the field says it takes the file, which goes where the caret is.
    body.evaluate("el => { el.focus(); el.setSelectionRange(0, 0); }")
    hand_over(page, "drop", "plan.png", "image/png", png((60, 40)))
    assert page.evaluate("window.praxisDropShown") is True
    expect(body).to_have_value(re.compile(r"^!\[plan\.png\]\(/envois/[\w-]+/plan\.png\)Texte\.$"))
    expect(refusal).to_have_count(0)  # an earlier refusal goes once another file is sent
    expect(page.locator(".editor-field.drop-target")).to_have_count(0)

    # Chosen with the toolbar's button: a document becomes a link, at the end of a text never focused.
    page.goto(f"{live_site.url}/n/new?lang=en")
    page.locator("#body").fill("Text.")
    page.locator("#body").evaluate("el => el.blur()")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("toolbar", name="Formatting").get_by_role("button", name="Attach a file").click()
    chooser.value.set_files(
        files=[{"name": "rapport.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}]
    )
    expect(page.locator("#body")).to_have_value(re.compile(r"^Text\.\[rapport\.pdf\]\(/envois/[\w-]+/rapport\.pdf\)$"))
    expect(
        page.get_by_role("status").filter(has_text="rapport.pdf was uploaded and inserted into the text.")
    ).to_be_visible()
    hand_over(page, "paste", "outil.zip", "application/zip", RAR)
    expect(page.locator("#upload-status .error")).to_have_text(
        re.compile(
            r"^outil\.zip was not attached\. This type of file is not accepted: RAR archive \(application/vnd\.rar\)\."
        )
    )
    page.get_by_role("button", name="Close this message").click()
    expect(page.locator("#upload-status .error")).to_have_count(0)
    expect(page.locator("#body")).to_be_focused()
    context.close()


@one_database  # the clipboard's text: no SQL in what is checked
def test_text_pasted_is_still_pasted_as_text(live_site, browser, session):
    alice = make_user(session, "alice")
    context = live_site.signed_in(browser, session, alice)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_site.url)
    page = context.new_page()
    page.goto(f"{live_site.url}/n/new")
    page.evaluate("navigator.clipboard.writeText('Du texte copié.')")
    page.locator("#body").focus()
    page.keyboard.press("Control+v")
    expect(page.locator("#body")).to_have_value("Du texte copié.")
    expect(page.locator("#upload-status")).to_be_empty()
    context.close()
