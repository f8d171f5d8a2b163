"""Draft uploads through the editor's form: a new note saved with a file sent before it
existed shows it as its own; a refused form keeps it waiting; the editor offers the way in."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.api.test_files_api import PDF, png
from tests.conftest import one_database
from tests.factories import browser_for, csrf_from, make_note, make_user, page_text, token_for

FORM = {"kind": "note", "visibility": "public", "licence": "CC-BY-SA-4.0"}


@pytest.fixture
def alice(session):  # type: ignore[no-untyped-def]
    return make_user(session, "alice", name="Alice Rivard")


def draft(client, name: str, data: bytes) -> dict:  # type: ignore[no-untyped-def,type-arg]
    response = client.post("/api/v1/uploads", files={"file": (name, data)}, headers=token_for(client, "alice"))
    assert response.status_code == 201, response.text
    return response.json()


@one_database  # the form's way to the service the API test checks on both databases
def test_a_new_note_saved_with_a_draft_shows_it_as_its_own_file(app, client, session, alice):
    image = draft(client, "carte.png", png((320, 240)))
    browser = browser_for(app, session, alice)
    form = browser.get("/n/new")
    saved = browser.post(
        "/n/new",
        data={**FORM, "csrf_token": csrf_from(form.text, "/n/new"), "title": "Terrain", "body": image["markdown"]},
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    note_id = saved.headers["location"].split("/")[2]
    shown = f"/n/{note_id}/files/{image['id']}/carte.png"
    page = browser_for(app, session, None).get(f"/n/{note_id}/")  # as any reader sees it
    assert f'<img src="{shown}" alt="carte.png" loading="lazy">' in page.text
    assert "Fichiers joints (1)" in page_text(page.text) and f'href="{shown}"' in page.text
    assert browser_for(app, session, None).get(shown).status_code == 200
    # The editor says the note's own address from now on.
    edit = browser.get(f"/n/{note_id}/edit")
    assert f"![carte.png]({shown})" in unescape(edit.text)

    # A save of the note claims what its new text shows.
    report = draft(client, "rapport.pdf", PDF)
    base = re.search(r'name="base_revision" value="(\d+)"', edit.text)
    assert base is not None
    again = browser.post(
        f"/n/{note_id}/edit",
        data={
            **FORM,
            "csrf_token": csrf_from(edit.text, f"/n/{note_id}/edit"),
            "title": "Terrain",
            "body": f"{image['markdown']}\n\n{report['markdown']}",
            "base_revision": base.group(1),
        },
        follow_redirects=False,
    )
    assert again.status_code == 303, again.text
    listed = [f["id"] for f in client.get(f"/api/v1/notes/{note_id}/files").json()]
    assert listed == [image["id"], report["id"]]


@one_database  # what a refused form shows again: no SQL that could differ
def test_a_refused_form_keeps_the_draft_shown_and_waiting(app, client, session, alice):
    image = draft(client, "carte.png", png((320, 240)))
    browser = browser_for(app, session, alice)
    form = browser.get("/n/new")
    refused = browser.post(
        "/n/new",
        data={
            **FORM,
            "csrf_token": csrf_from(form.text, "/n/new"),
            "title": "Terrain",
            "body": image["markdown"],
            "links": "Nulle part",
        },
    )
    assert refused.status_code == 422
    assert image["markdown"] in unescape(refused.text)  # the text as typed, the draft's address in it
    assert browser.get(image["url"].removeprefix("https://praxis.example.org")).status_code == 200
    assert client.get("/api/v1/notes", headers=token_for(client, "alice")).json()["total"] == 0


@one_database  # the editor's markup: no SQL that could differ
def test_the_editor_offers_to_attach_a_file_and_says_how(app, client, session, alice):
    browser = browser_for(app, session, alice)
    new = browser.get("/n/new").text
    assert 'data-mark="attach" title="Joindre un fichier"' in new
    accepted = re.search(r'<input type="file" id="body-files" multiple hidden accept="([^"]+)">', new)
    assert accepted is not None and ".png" in accepted.group(1).split(",") and ".pdf" in accepted.group(1).split(",")
    assert 'id="upload-status" role="status"' in new
    assert 'data-upload-placeholder="Envoi de {name}…"' in new
    assert 'data-upload-progress="Envoi de {name} : {percent} %"' in new
    # With the script, the hint says the file goes in the text; without it, what the form allows.
    assert re.search(r'<p class="hint" data-with-script hidden>Collez ou déposez un fichier dans le texte', new)
    assert '<p class="hint" data-without-script>Vous pourrez joindre des fichiers' in new
    english = browser.get("/n/new?lang=en").text
    assert 'data-upload-progress="Uploading {name}: {percent}%"' in english
    assert "Paste or drop a file into the text" in english
    note = make_note(session, alice)
    edit = browser.get(f"/n/{note.id}/edit?lang=fr").text  # with the files' own form below
    assert "data-with-script hidden>Collez ou déposez" in edit and f'action="/n/{note.id}/files"' in edit
