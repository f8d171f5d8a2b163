"""The editor without JavaScript: the preview button, and the conflict screen with its merge."""

import re
from html import unescape

from praxis.schemas import NoteUpdate
from praxis.notes import notes as note_service
from tests.conftest import one_database
from tests.factories import csrf_from, make_note, make_user, page_text, sign_in

BASE = "Premier paragraphe.\n\nDeuxième paragraphe.\n\nTroisième paragraphe."


def _field(html: str, name: str) -> str:
    """What a field of the editor holds, as the browser would show it."""
    textarea = re.search(rf'<textarea id="{name}" name="{name}"[^>]*>(.*?)</textarea>', html, re.DOTALL)
    if textarea:
        return unescape(textarea.group(1))
    found = re.search(rf'<input id="{name}" name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'<input type="hidden" name="{name}" value="([^"]*)"', html
    )
    assert found, f"no field {name}"
    return unescape(found.group(1))


def _textarea(html: str, element_id: str) -> str:
    found = re.search(rf'<textarea id="{element_id}"[^>]*>(.*?)</textarea>', html, re.DOTALL)
    assert found, f"no textarea {element_id}"
    return unescape(found.group(1))


def _save(client, note_id: str, page: str | None = None, **fields: str):  # type: ignore[no-untyped-def]
    """Post the editor of `note_id` (the form as `page` shows it, else as opened now) with `fields` changed."""
    page = page or client.get(f"/n/{note_id}/edit").text
    data = {name: _field(page, name) for name in ("title", "body", "base_revision")}
    if 'name="conflict" value="1"' in page:
        data["conflict"] = "1"
    data.update(fields, csrf_token=csrf_from(page, f"/n/{note_id}/edit"))
    return client.post(f"/n/{note_id}/edit", data=data, follow_redirects=False)


def _body(client, note_id: str) -> str:
    return client.get(f"/api/v1/notes/{note_id}").json()["body"]


# --- preview without JavaScript ------------------------------------------------------------


@one_database
def test_the_preview_button_shows_the_rendered_text_keeps_what_was_typed_and_saves_nothing(client, session):
    alice = make_user(session, "alice")
    org = make_note(session, alice, title="Culture Laval", kind="organisation")
    sign_in(client, "alice")
    form = client.get("/n/new").text
    assert 'name="action" value="preview"' in form and 'id="preview"' in form
    response = client.post(
        "/n/new",
        data={
            "title": "Un brouillon",
            "body": "Du **gras** avec [[Culture Laval]] et [[Pas encore écrite]].",
            "visibility": "restricted",
            "links": "Culture Laval",
            "summary": "Premier jet",
            "action": "preview",
            "csrf_token": csrf_from(form, "/n/new"),
        },
    )
    assert response.status_code == 200
    html = response.text
    preview = html[html.index('id="preview"') :]
    assert "<strong>gras</strong>" in preview and f'href="/n/{org.id}/"' in preview
    assert "Pas encore écrite" in page_text(preview[preview.index('id="preview-missing"') :])
    assert _field(html, "title") == "Un brouillon" and _field(html, "body").startswith("Du **gras**")
    assert _field(html, "links") == "Culture Laval" and _field(html, "summary") == "Premier jet"
    assert '<option value="restricted" selected>' in html
    assert client.get("/api/v1/notes?author=alice").json()["total"] == 1  # only the organisation


def test_previewing_an_edit_writes_no_revision(client, session):
    alice = make_user(session, "alice")
    note = make_note(session, alice, body="Avant")
    sign_in(client, "alice")
    response = _save(client, note.id, body="Après, *en italique*", action="preview")
    assert response.status_code == 200 and "<em>en italique</em>" in response.text
    assert _field(response.text, "base_revision") == "1" and _field(response.text, "body") == "Après, *en italique*"
    assert client.get(f"/api/v1/notes/{note.id}").json()["revision"] == 1 and _body(client, note.id) == "Avant"


@one_database
def test_a_preview_with_an_empty_title_still_shows(client, session):
    make_user(session, "alice")
    sign_in(client, "alice")
    form = client.get("/n/new").text
    response = client.post(
        "/n/new",
        data={"title": "", "body": "# Titre de section", "action": "preview", "csrf_token": csrf_from(form, "/n/new")},
    )
    assert response.status_code == 200 and '<h1 id="titre-de-section">' in response.text


def test_a_refused_edit_shows_the_editor_again_only_to_an_editor(client, session):
    """Someone who reads a note but may not change it is refused its editor when they post a
    wrong form (or ask for a preview), as when they open it: never offered the form its save refuses."""
    alice = make_user(session, "alice")
    make_user(session, "bob")
    note = make_note(session, alice, title="Chantier", body=BASE)
    sign_in(client, "bob")
    token = csrf_from(client.get(f"/n/{note.id}/").text)
    assert client.get(f"/n/{note.id}/edit").status_code == 403
    for action in ("save", "preview"):
        refused = client.post(
            f"/n/{note.id}/edit",
            data={"kind": "inconnu", "body": "Réécrit.", "base_revision": "1", "action": action, "csrf_token": token},
        )
        assert refused.status_code == 403, action
        assert f'action="/n/{note.id}/edit"' not in refused.text and "Réécrit." not in refused.text


# --- the conflict screen --------------------------------------------------------------------


def _two_authors(session):  # type: ignore[no-untyped-def]
    alice = make_user(session, "alice", name="Alice Rivard")
    bob = make_user(session, "bob", name="Bob Gagnon")
    note = make_note(session, alice, title="Chantier", body=BASE, authors=["alice", "bob"])
    return alice, bob, note


def _bob_saves(session, bob, note_id: str, **changes: str) -> None:  # type: ignore[no-untyped-def]
    note_service.save_note(
        session=session, actor=bob, note_id=note_id, data=NoteUpdate(base_revision=2, summary="Relecture", **changes)
    )  # once bob accepted to co-sign
    session.commit()


def test_changes_to_different_paragraphs_are_merged_for_the_author_to_check(client, session):
    _, bob, note = _two_authors(session)
    sign_in(client, "alice")
    opened = client.get(f"/n/{note.id}/edit").text  # alice starts from revision 2
    _bob_saves(session, bob, note.id, body=BASE.replace("Premier paragraphe.", "Premier paragraphe, relu par Bob."))
    mine = BASE.replace("Troisième paragraphe.", "Troisième paragraphe, complété par Alice.")
    conflict = _save(client, note.id, opened, body=mine)
    assert conflict.status_code == 409
    html, text = conflict.text, page_text(conflict.text)
    assert "Quelqu'un a modifié cette note pendant que vous écriviez" in text
    assert "révision 3, enregistrée par Bob Gagnon le" in text and "« Relecture »" in text
    assert "Vos modifications et les leurs ont été fusionnées automatiquement : relisez puis enregistrez." in text
    assert _textarea(html, "your-body") == mine and _textarea(html, "current-body") == _body(client, note.id)
    assert "<del>" in html[html.index('id="conflict-diff"') :] and "<ins>" in html[html.index('id="conflict-diff"') :]
    merged = _field(html, "body")
    assert (
        merged
        == "Premier paragraphe, relu par Bob.\n\nDeuxième paragraphe.\n\nTroisième paragraphe, complété par Alice."
    )
    assert (
        _field(html, "base_revision") == "3" and 'aria-invalid="true"' not in html.split('id="title"')[1].split(">")[0]
    )
    saved = _save(client, note.id, html)
    assert saved.status_code == 303
    assert _body(client, note.id) == merged and client.get(f"/api/v1/notes/{note.id}").json()["revision"] == 4


def test_changes_to_the_same_lines_are_marked_refused_until_resolved_and_nothing_is_lost(client, session):
    _, bob, note = _two_authors(session)
    sign_in(client, "alice")
    opened = client.get(f"/n/{note.id}/edit").text
    _bob_saves(session, bob, note.id, body=BASE.replace("Deuxième paragraphe.", "Deuxième paragraphe, version de Bob."))
    conflict = _save(
        client, note.id, opened, body=BASE.replace("Deuxième paragraphe.", "Deuxième paragraphe, version d'Alice.")
    )
    assert conflict.status_code == 409
    text = page_text(conflict.text)
    assert "Un passage a été modifié des deux côtés." in text and "supprimez les lignes de marques" in text
    marked = _field(conflict.text, "body")
    assert marked == (
        "Premier paragraphe.\n\n"
        "<<<<<<< Votre version\nDeuxième paragraphe, version d'Alice.\n=======\n"
        "Deuxième paragraphe, version de Bob.\n>>>>>>> Version actuelle (révision 3)\n\n"
        "Troisième paragraphe."
    )
    # Saved with the markers still in: refused, and the text stays as it was.
    refused = _save(client, note.id, conflict.text)
    assert refused.status_code == 422
    assert "Le texte contient encore des marques de conflit" in page_text(refused.text)
    assert _field(refused.text, "body") == marked and _body(client, note.id).count("version de Bob") == 1
    # Resolved by keeping both sentences: saved, and neither side lost a word.
    resolved = (
        marked.replace("<<<<<<< Votre version\n", "")
        .replace("=======\n", "")
        .replace(">>>>>>> Version actuelle (révision 3)\n", "")
    )
    assert _save(client, note.id, refused.text, body=resolved).status_code == 303
    final = _body(client, note.id)
    assert "version d'Alice" in final and "version de Bob" in final and "<<<<<<<" not in final


def test_a_title_changed_on_both_sides_is_pointed_out_and_one_changed_on_theirs_is_taken(client, session):
    _, bob, note = _two_authors(session)
    sign_in(client, "alice")
    opened = client.get(f"/n/{note.id}/edit").text
    _bob_saves(session, bob, note.id, title="Chantier de Bob")
    both = _save(client, note.id, opened, title="Chantier d'Alice")
    assert both.status_code == 409
    text = page_text(both.text)
    assert (
        "Le titre a aussi été changé des deux côtés." in text
        and "« Chantier d'Alice »" in text
        and "« Chantier de Bob »" in text
    )
    assert _field(both.text, "title") == "Chantier d'Alice"
    # Only bob changed the title; alice changed the text: both changes are kept.
    theirs_only = _save(client, note.id, opened, body=BASE + "\n\nQuatrième.")
    assert theirs_only.status_code == 409
    assert (
        _field(theirs_only.text, "title") == "Chantier de Bob"
        and _field(theirs_only.text, "body") == BASE + "\n\nQuatrième."
    )
    assert "fusionnées automatiquement" in page_text(theirs_only.text)


@one_database
def test_markers_typed_outside_a_conflict_are_just_text(client, session):
    alice = make_user(session, "alice")
    note = make_note(session, alice, body="Avant")
    sign_in(client, "alice")
    git = "```\n<<<<<<< HEAD\na\n=======\nb\n>>>>>>> branche\n```"
    assert _save(client, note.id, body=git).status_code == 303 and _body(client, note.id) == git


# --- an editor that fits what is written ---------------------------------------------------------


def _options_fold(html: str) -> str:
    found = re.search(r'<details class="editor-options" id="editor-options"( open)?>(.*?)</details>', html, re.S)
    assert found, "no options fold"
    return found.group(0)


@one_database
def test_the_editor_names_each_kinds_fields_licences_by_name_and_folds_the_rare_options(client, session):
    make_user(session, "alice")
    make_user(session, "bob")
    sign_in(client, "alice")
    form = client.get("/n/new").text
    # Without JavaScript every kind's fields show, each set named by its kind (editor.js keeps the chosen one's).
    organisation = re.search(r'<fieldset data-kind="organisation">(.*?)</fieldset>', form, re.S)
    term = re.search(r'<fieldset data-kind="term">(.*?)</fieldset>', form, re.S)
    assert (
        organisation and "Pour une organisation" in organisation.group(1) and 'name="website"' in organisation.group(1)
    )
    assert term and "Pour un terme du lexique" in term.group(1) and 'name="synonyms"' in term.group(1)
    licences = re.search(r'<select id="licence" name="licence">(.*?)</select>', form, re.S)
    assert licences
    shown = [unescape(t) for t in re.findall(r"<option [^>]*>([^<]+)</option>", licences.group(1))]
    assert "CC BY-SA 4.0 — réutilisation permise, même licence, en citant" in shown
    assert "Tous droits réservés — aucune réutilisation sans l'accord des auteur·trices" in shown
    assert not [t for t in shown if "—" not in t or t.startswith(("CC-", "all-"))]  # never an SPDX id alone
    english = unescape(client.get("/n/new?lang=en").text)
    assert "CC BY-SA 4.0 — reuse allowed, same licence, with credit" in english
    assert "All rights reserved — no reuse without the authors' permission" in english
    # Readers, community and the change's summary: folded, with their fields, unless one holds a value.
    fold = _options_fold(form)
    assert " open" not in fold.split(">")[0]
    assert all(f'name="{n}"' in fold for n in ("readers", "community", "summary"))
    note = client.post(
        "/n/new",
        data={
            "title": "Pour Bob",
            "body": "Secret.",
            "visibility": "restricted",
            "readers": "bob",
            "csrf_token": csrf_from(form, "/n/new"),
        },
        follow_redirects=False,
    )
    assert note.status_code == 303
    edited = client.get(note.headers["location"] + "edit").text
    assert _options_fold(edited).startswith('<details class="editor-options" id="editor-options" open>')
    assert _field(edited, "readers") == "bob"


def test_the_publication_date_is_saved_and_shown_and_never_after_today(client, session):
    alice = make_user(session, "alice")
    note = make_note(session, alice, title="Datée", body="Texte.")
    sign_in(client, "alice")
    api = f"/api/v1/notes/{note.id}"
    first = client.get(api).json()["published_at"]
    editor = client.get(f"/n/{note.id}/edit").text
    shown = _field(editor, "published_at")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", shown)
    # Unchanged, the day keeps the note's own time.
    assert _save(client, note.id, body="Texte revu.", published_at=shown).status_code == 303
    assert client.get(api).json()["published_at"] == first

    assert _save(client, note.id, published_at="2020-03-14").status_code == 303
    assert client.get(api).json()["published_at"] == "2020-03-14T04:00:00Z"  # midnight in Montréal (the site's zone)
    page = client.get(f"/n/{note.id}/").text
    assert "14 mars 2020" in page and _field(client.get(f"/n/{note.id}/edit").text, "published_at") == "2020-03-14"

    for typed, said in (
        ("2999-01-01", "La date de publication ne peut pas être après aujourd'hui."),
        ("14/03/2020", "Indiquez une date (AAAA-MM-JJ)."),
    ):
        refused = _save(client, note.id, published_at=typed)
        assert refused.status_code == 422 and said in unescape(refused.text)
        assert re.search(r'<input id="published_at" name="published_at"[^>]*aria-invalid="true"', refused.text)
        assert _field(refused.text, "published_at") == typed
    assert client.get(api).json()["published_at"] == "2020-03-14T04:00:00Z"
