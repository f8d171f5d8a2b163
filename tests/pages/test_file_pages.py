"""Files attached to notes on the pages: listed on the note, embedded in its text, and sent,
copied and removed from the edit page with plain forms (no JavaScript)."""

from __future__ import annotations

import gzip
import io
import re
from html import unescape

import pytest
from PIL import Image

from praxis.media import attachments
from tests.conftest import one_database
from tests.factories import browser_for, csrf_from, make_note, make_user, page_text, sign_in, token_for

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def png(size: tuple[int, int] = (640, 480)) -> bytes:
    out = io.BytesIO()
    Image.effect_noise(size, 64).save(out, "PNG")
    return out.getvalue()


def attach(app, session, note, actor, name: str, data: bytes):  # type: ignore[no-untyped-def]
    attached = attachments.attach(
        session=session, actor=actor, store=app.state.files, note_id=note.id, source=io.BytesIO(data), filename=name
    )
    session.commit()
    return attached


@pytest.fixture
def alice(session):  # type: ignore[no-untyped-def]
    return make_user(session, "alice", name="Alice Rivard")


def test_the_note_page_lists_its_files_with_thumbnail_type_and_size(app, client, session, alice):
    note = make_note(session, alice, title="Carnet de terrain")
    picture = attach(app, session, note, alice, "relevé.png", png((640, 480)))
    report = attach(app, session, note, alice, "rapport final.pdf", PDF.ljust(1536, b"%"))
    page = client.get(f"/n/{note.id}/")
    text = page_text(page.text)
    assert "Fichiers joints (2)" in text
    assert "relevé.png Image (PNG)" in text and "640 × 480 px" in text
    assert "rapport final.pdf Document (PDF) · 1,5 ko" in text
    assert f'<img class="file-thumb" src="/n/{note.id}/files/{picture.id}/thumb" alt="" loading="lazy">' in page.text
    assert f'href="/n/{note.id}/files/{report.id}/rapport%20final.pdf"' in page.text
    # The section sits after the links, before the discussion.
    assert page.text.index("Fichiers joints") < page.text.index("Pour citer cette note")


@one_database
def test_a_note_without_files_shows_no_section(client, session, alice):
    note = make_note(session, alice)
    assert "Fichiers joints" not in client.get(f"/n/{note.id}/").text


@one_database
def test_files_pasted_in_the_text_show_as_image_player_and_link(app, client, session, alice):
    note = make_note(session, alice, title="Entretiens")
    picture = attach(app, session, note, alice, "site.png", png((300, 200)))
    sound = attach(app, session, note, alice, "entretien.mp3", b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(range(256)))
    report = attach(app, session, note, alice, "rapport.pdf", PDF)
    # The author pastes the three snippets the edit page offers into the text, and saves.
    sign_in(client, "alice")
    form = client.get(f"/n/{note.id}/edit").text
    body = f"Voici le site.\n\n{picture.markdown}\n\n{sound.markdown}\n\nLe {report.markdown}."
    saved = client.post(
        f"/n/{note.id}/edit",
        data={
            "title": "Entretiens",
            "body": body,
            "kind": "note",
            "visibility": "public",
            "licence": "CC-BY-SA-4.0",
            "base_revision": "1",
            "authors": "alice",
            "csrf_token": csrf_from(form, f"/n/{note.id}/edit"),
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    html = client.get(f"/n/{note.id}/").text
    assert f'<img src="{picture.path}" alt="site.png" loading="lazy">' in html
    assert f'<audio controls="" preload="metadata" src="{sound.path}">' in html
    assert f'<a href="{report.path}" rel="noopener noreferrer">rapport.pdf</a>' in html
    # And each of them is there to be fetched.
    for attached, content_type in ((picture, "image/png"), (sound, "audio/mpeg"), (report, "application/pdf")):
        assert client.get(attached.path).headers["content-type"] == content_type


def test_the_edit_page_sends_a_file_without_javascript_and_comes_back(app, client, session, alice):
    note = make_note(session, alice)
    sign_in(client, "alice")
    edit = client.get(f"/n/{note.id}/edit").text
    form = edit[edit.index(f'action="/n/{note.id}/files"') - 30 :]
    form = form[: form.index("</form>")]
    assert 'enctype="multipart/form-data"' in form and 'type="file"' in form and 'name="file"' in form
    # The upload form is its own, after the editor's form: forms cannot nest.
    assert edit.index(f'action="/n/{note.id}/files"') > edit.index(f'action="/n/{note.id}/edit"')
    assert "de 25 Mo au plus" in page_text(edit)  # (a no-break space, which page_text makes a space)

    token = csrf_from(edit, f"/n/{note.id}/files")
    sent = client.post(
        f"/n/{note.id}/files", data={"csrf_token": token}, files={"file": ("plan.pdf", PDF)}, follow_redirects=False
    )
    assert sent.status_code == 303 and sent.headers["location"] == f"/n/{note.id}/edit#fichiers"

    again = client.get(f"/n/{note.id}/edit").text
    (attached,) = client.get(f"/api/v1/notes/{note.id}/files").json()
    assert "plan.pdf" in page_text(again) and "Code Markdown" in page_text(again)
    field = re.search(rf'<input id="markdown-{attached["id"]}"[^>]*value="([^"]*)"', again)
    assert field and unescape(field.group(1)) == f"[plan.pdf](/n/{note.id}/files/{attached['id']}/plan.pdf)"
    assert "readonly" in field.group(0)  # without JavaScript, the field is there to select and copy
    # The copy button waits for the script that makes it work (hidden until then).
    button = re.search(
        rf'<button type="button" class="secondary" hidden data-copy="markdown-{attached["id"]}"[^>]*>', again
    )
    assert button and 'aria-label="Copier le code Markdown de plan.pdf"' in button.group(0)

    delete_action = f"/n/{note.id}/files/{attached['id']}/delete"
    # Deleting asks once more: the button is inside a disclosure that says what happens.
    asking = re.search(r"<details class=\"restore file-delete\">(.*?)</details>", again, re.S)
    assert asking and f'action="{delete_action}"' in asking.group(1)
    assert "Oui, supprimer le fichier" in page_text(asking.group(1)) and "il ne s'affichera plus" in page_text(
        asking.group(1)
    )
    removed = client.post(delete_action, data={"csrf_token": csrf_from(again, delete_action)}, follow_redirects=False)
    assert removed.status_code == 303 and removed.headers["location"] == f"/n/{note.id}/edit#fichiers"
    assert "Aucun fichier n'est joint à cette note." in page_text(client.get(f"/n/{note.id}/edit").text)
    assert client.get(attached["url"].removeprefix("https://praxis.example.org")).status_code == 404


@one_database
def test_a_refused_file_is_explained_on_a_page_with_the_way_back(client, session, alice):
    note = make_note(session, alice)
    sign_in(client, "alice")
    token = csrf_from(client.get(f"/n/{note.id}/edit").text, f"/n/{note.id}/files")
    html = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
    refused = client.post(f"/n/{note.id}/files", data={"csrf_token": token}, files={"file": ("logo.png", html)})
    assert refused.status_code == 415
    text = page_text(refused.text)
    assert "Fichier refusé" in text and "Ce type de fichier n'est pas accepté : page HTML (text/html)." in text
    assert f'href="/n/{note.id}/edit#fichiers"' in refused.text
    nothing = client.post(f"/n/{note.id}/files", data={"csrf_token": token}, files={"file": ("", b"")})
    assert nothing.status_code == 422 and "Aucun fichier n'a été envoyé" in page_text(nothing.text)


def test_the_upload_form_needs_the_csrf_token_and_the_right_to_edit(app, client, session, alice):
    note = make_note(session, alice)
    own = make_note(session, make_user(session, "bruno"))
    sign_in(client, "bruno")
    token = csrf_from(client.get(f"/n/{own.id}/edit").text, f"/n/{own.id}/files")
    assert client.post(f"/n/{note.id}/files", files={"file": ("a.pdf", PDF)}).status_code == 403  # no token
    forbidden = client.post(f"/n/{note.id}/files", data={"csrf_token": token}, files={"file": ("a.pdf", PDF)})
    assert forbidden.status_code == 403 and "Accès refusé" in forbidden.text
    assert attachments.list_attachments(session=session, actor=alice, note_id=note.id) == []


@one_database
def test_a_new_note_says_files_come_after_the_first_save(client, session, alice):
    sign_in(client, "alice")
    text = page_text(client.get("/n/new").text)
    assert (
        "Vous pourrez joindre des fichiers (images, documents, audio, vidéo) à la note après son premier enregistrement."
        in text
    )


@one_database
def test_a_file_over_the_limit_gets_a_friendly_413_that_says_the_limit(settings, session):
    from fastapi.testclient import TestClient

    from praxis.app import create_app

    app = create_app(settings.model_copy(update={"max_upload_bytes": 2_000}))
    try:
        with TestClient(app, base_url="https://testserver") as client:
            note = make_note(session, make_user(session, "alice"))
            sign_in(client, "alice")
            token = csrf_from(client.get(f"/n/{note.id}/edit").text, f"/n/{note.id}/files")
            for size in (2_001, 200_000):  # read and refused by the store; refused from its length alone
                response = client.post(
                    f"/n/{note.id}/files", data={"csrf_token": token}, files={"file": ("long.txt", b"x" * size)}
                )
                assert response.status_code == 413
                assert "un fichier joint peut peser au plus 2 ko." in page_text(response.text), size
    finally:
        app.state.engine.dispose()


@one_database
def test_a_refused_file_is_explained_in_the_readers_language(app, session):
    from tests.svg_corpus import INKSCAPE, REFUSED

    alice = make_user(session, "alice", name="Alice Rivard")
    note = make_note(session, alice, title="Affiches")
    browser = browser_for(app, session, alice)
    for lang, sent, status, words in (
        ("fr", REFUSED["DOCTYPE"][0], 422, REFUSED["DOCTYPE"][2]),
        ("en", REFUSED["DOCTYPE"][0], 422, "This SVG file contains a DTD declaration (<!DOCTYPE …>), refused because"),
        ("fr", REFUSED["malformed"][0], 422, REFUSED["malformed"][2]),
        ("en", REFUSED["malformed"][0], 422, "This SVG file is malformed (line 4): it cannot be read."),
        ("fr", gzip.compress(INKSCAPE), 415, "Les dessins SVG compressés (svgz) ne sont pas acceptés"),
        ("en", gzip.compress(INKSCAPE), 415, "Compressed SVG drawings (svgz) are not accepted"),
        ("en", b"\x7fELF" + bytes(64), 415, "This type of file is not accepted: executable program"),
    ):
        edit = browser.get(f"/n/{note.id}/edit?lang={lang}")
        response = browser.post(
            f"/n/{note.id}/files?lang={lang}",
            data={"csrf_token": csrf_from(edit.text, f"/n/{note.id}/files")},
            files={"file": ("logo.svg", sent, "image/svg+xml")},
        )
        assert response.status_code == status and words in page_text(response.text), page_text(response.text)
    assert attachments.list_attachments(session=session, actor=alice, note_id=note.id) == []


@one_database
def test_a_drawing_sent_from_the_edit_page_is_kept_clean_and_shown_as_its_own_thumbnail(app, client, session, alice):
    from tests.svg_corpus import HOSTILE, assert_safe

    note = make_note(session, alice)
    sign_in(client, "alice")
    edit = client.get(f"/n/{note.id}/edit").text
    assert ".svg," in edit and "Images PNG, JPEG, GIF, WebP ou SVG" in page_text(edit)
    assert "Un dessin SVG est nettoyé à l'envoi" in page_text(edit)
    sent = client.post(
        f"/n/{note.id}/files",
        data={"csrf_token": csrf_from(edit, f"/n/{note.id}/files")},
        files={"file": ("schéma.svg", HOSTILE["foreignObject with HTML"], "image/svg+xml")},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    (drawing,) = attachments.list_attachments(session=session, actor=alice, note_id=note.id)
    assert (drawing.name, drawing.format, drawing.width, drawing.height) == ("schéma.svg", "SVG", 120, 80)
    again = client.get(f"/n/{note.id}/edit").text
    assert f'<img class="file-thumb" src="{drawing.path}" alt="" loading="lazy">' in again
    assert "Image (SVG)" in page_text(again)
    assert_safe(client.get(drawing.path).content)


@one_database
def test_an_image_too_large_to_open_is_explained_in_english_without_stray_words(app, session):
    from tests.api.test_files_api import png_bomb

    alice = make_user(session, "alice", name="Alice Rivard")
    note = make_note(session, alice, title="Affiches")
    browser = browser_for(app, session, alice)
    edit = browser.get(f"/n/{note.id}/edit?lang=en")
    response = browser.post(
        f"/n/{note.id}/files?lang=en",
        data={"csrf_token": csrf_from(edit.text, f"/n/{note.id}/files")},
        files={"file": ("bombe.png", png_bomb(), "image/png")},
    )
    text = page_text(response.text)
    assert response.status_code == 413 and "This image is too large" in text and "million pixels" in text
    assert "Project-Id-Version" not in text and "Last-Translator" not in text


def test_a_deleted_public_notes_files_are_kept_by_no_shared_cache(client, app, session):
    alice = make_user(session, "alice", name="Alice Rivard", admin=True)
    note = make_note(session, alice, title="Affiches")
    headers = token_for(client, "alice")
    image = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(image, "PNG")
    made = client.post(
        f"/api/v1/notes/{note.id}/files", headers=headers, files={"file": ("rouge.png", image.getvalue())}
    ).json()
    assert client.get(made["url"]).headers["cache-control"] == "public, no-cache"  # kept, but asked again each time
    assert client.delete(f"/api/v1/notes/{note.id}", headers=headers).status_code in (200, 204)
    assert client.get(made["url"]).status_code == 404  # for visitors
    seen_by_admin = client.get(made["url"], headers=headers)
    assert seen_by_admin.status_code == 200 and seen_by_admin.headers["cache-control"] == "private, no-store"
