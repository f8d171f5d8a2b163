"""A writer's whole journey in Debian's Chromium, on a desktop and on a phone: sign in, write a
note with a wikilink and an image, read it, edit it, compare revisions, put it in a carnet
with a category, find it, copy its citation, comment, and switch to English. (The README's
screenshots are taken by `make screenshots`, on the sample site.)"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, expect

from tests.conftest import BACKENDS, PASSWORD
from tests.factories import make_note, make_user, token_for

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}


def _png(path: Path) -> Path:
    image = Image.new("RGB", (320, 200), (31, 95, 139))
    for x in range(40, 280):
        for y in range(60, 140):
            image.putpixel((x, y), (253, 252, 249))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


# Each size once and each database once: the journey on a phone over SQLite, on a desktop over
# PostgreSQL (what SQL does differently is checked by the API and service tests, on both).
@pytest.mark.parametrize(("backend", "size"), [(BACKENDS[0], "phone"), (BACKENDS[-1], "desktop")], indirect=["backend"])
def test_a_writer_goes_from_a_blank_page_to_a_cited_discussed_note(
    live_site, browser: Browser, session, client, tmp_path, size
):
    alice = make_user(session, "alice", name="Marie-Hélène Laurence")
    make_user(session, "bob", name="Bob Tremblay")
    make_note(
        session,
        alice,
        title="Agent·e de développement culturel numérique",
        kind="term",
        body="Personne qui accompagne un milieu dans ses projets numériques.",
        definition="Accompagne les milieux.",
    )
    carnet = client.post(
        "/api/v1/carnets",
        headers=token_for(client, "alice"),
        json={
            "title": "Chantier médiation",
            "description": "Ce que le réseau apprend de la médiation numérique.",
            "axes": [{"name": "Thème", "categories": ["Médiation", "Outils"]}],
        },
    ).json()

    context = browser.new_context(locale="fr-CA", viewport=SIZES[size])
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_site.url)
    page = context.new_page()

    # Sign in through the form.
    page.goto(f"{live_site.url}/login")
    page.get_by_label("Nom d'utilisateur").fill("alice")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    if size == "phone":  # on a phone the account's actions are behind the menu button
        page.get_by_role("button", name="Menu").click()
    expect(page.get_by_role("link", name="Écrire une note")).to_be_visible()

    # Write a note with a wikilink to a term.
    page.get_by_role("link", name="Écrire une note").click()
    page.locator("#title").fill("Atelier de médiation au quartier")
    page.locator("#body").fill(
        "Un atelier animé par un [[Agent·e de développement culturel numérique]].\n\n## Déroulement\n\nTrois temps."
    )
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1, name="Atelier de médiation au quartier")).to_be_visible()
    note_id = re.search(r"/n/([^/]+)/", page.url).group(1)  # type: ignore[union-attr]
    term_link = page.locator(".body a", has_text="Agent·e de développement culturel numérique")
    expect(term_link).to_have_attribute("href", re.compile(r"^/n/[^/]+/$"))

    # Attach an image, then show it in the text.
    page.goto(f"{live_site.url}/n/{note_id}/edit")
    page.set_input_files("#nouveau-fichier", str(_png(tmp_path / "affiche.png")))
    page.get_by_role("button", name="Envoyer le fichier").click()
    code = page.locator("input.markdown-code").first
    expect(code).to_have_value(re.compile(r"^!\[affiche"))
    markdown = code.input_value()
    body = page.locator("#body")
    body.fill(body.input_value() + "\n\n" + markdown)
    page.get_by_role("button", name="Enregistrer").click()
    image = page.locator(".body img").first
    expect(image).to_be_visible()
    assert page.evaluate("img => img.naturalWidth", image.element_handle()) == 320

    # Edit it, then compare the two revisions.
    page.goto(f"{live_site.url}/n/{note_id}/edit")
    page.locator("#body").fill(
        page.locator("#body").input_value().replace("Trois temps.", "Trois temps, puis un goûter.")
    )
    page.locator("#editor-options > summary").click()  # the change's summary is among the folded options
    page.get_by_label("Résumé de la modification (facultatif)").fill("Le goûter")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("link", name=re.compile(r"3 révisions")).click()
    page.get_by_role("button", name="Comparer les versions choisies").click()
    expect(page.locator(".diff-text ins", has_text="puis un goûter")).to_be_visible()  # the text as it reads

    # Put it in a carnet, with a category.
    page.goto(f"{live_site.url}/c/{carnet['id']}/")
    page.locator("summary", has_text="Intégrer une note existante").click()  # beside "Créer une note"
    page.get_by_label("Intégrer une note existante (titre ou identifiant)").fill(note_id)
    page.locator("select[name=categories]").first.select_option("Médiation")
    page.get_by_role("button", name="Intégrer une note existante").click()
    entry = page.locator(".entries .entry", has_text="Atelier de médiation au quartier")
    expect(entry.locator(".category", has_text="Médiation")).to_be_visible()

    # Find it through the search box of every page.
    page.goto(f"{live_site.url}/")
    if size == "phone":  # the search icon of the bar opens the menu at its search box
        page.locator("header.site").get_by_role("link", name="Rechercher").click()
        expect(page.get_by_label("Rechercher dans les notes")).to_be_focused()
    page.get_by_label("Rechercher dans les notes").fill("goûter")
    page.get_by_label("Rechercher dans les notes").press("Enter")
    expect(page.get_by_role("link", name="Atelier de médiation au quartier")).to_be_visible()
    page.get_by_role("link", name="Atelier de médiation au quartier").click()

    # Copy its citation.
    page.get_by_role("button", name="Copier", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Citation copiée dans le presse-papiers.")).to_be_attached()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert (
        copied.startswith("Marie-Hélène Laurence. (")
        and "Atelier de médiation au quartier. Praxis (consulté le " in copied
    )
    assert copied.endswith(f"/n/{note_id}/.")

    # Comment on it.
    page.get_by_label("Votre commentaire (Markdown)").fill("Merci pour le **compte rendu**.")
    page.get_by_role("button", name="Publier le commentaire").click()
    expect(page.locator(".comment strong", has_text="compte rendu")).to_be_visible()

    # The carnet it is in, shown on the note; then the lexique.
    expect(page.locator(".in-carnets", has_text="Chantier médiation")).to_be_visible()
    page.goto(f"{live_site.url}/lexique/")

    # Switch to English: the choice holds on the next page.
    page.goto(f"{live_site.url}/n/{note_id}/")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="Cite this note")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    if size == "phone":
        page.get_by_role("button", name="Menu").click()
    page.locator(".main-nav").get_by_role("link", name="Notebooks").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Notebooks"))

    # Nothing on a phone overflows sideways.
    if size == "phone":
        for path in (f"/n/{note_id}/", f"/c/{carnet['id']}/", "/recherche?q=atelier", f"/n/{note_id}/edit"):
            page.goto(live_site.url + path)
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), path
    context.close()
