"""The HTML pages a reader and an author see."""

import re
from html import unescape

from fastapi.testclient import TestClient

from praxis.notes import service as note_service
from praxis.people.accounts import get_user
from tests.conftest import one_database
from tests.factories import browser_for, csrf_from, make_note, make_user, sign_in, token_for


def _text(html: str) -> str:
    """The page's text as a reader sees it: inline tags vanish, block tags separate, scripts
    (the JSON-LD for search engines) are not read."""
    html = re.sub(r"<script\b[^>]*>.*?</script>", " ", html, flags=re.DOTALL)
    html = re.sub(r"</?(a|span|strong|em|time|del|ins|code)\b[^>]*>", "", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_note_page_shows_what_the_contract_lists(client, session):
    alice = make_user(session, "alice", name="Alice Rivard")
    make_user(session, "maryse", name="Maryse Gervais", password=None)  # a profile without login: named at once
    org = make_note(session, alice, title="Culture Laval", kind="organisation")
    note = make_note(
        session,
        alice,
        title="Merci de nous aider",
        body="Avec [[Culture Laval]].",
        authors=["maryse", "alice"],
        licence="CC-BY-NC-4.0",
    )
    page = client.get(f"/n/{note.id}/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    text = _text(page.text)
    assert "Merci de nous aider" in text and "Maryse Gervais, Alice Rivard" in text
    assert "Publication" in text and "Modification" in text and "Visibilité public" in text
    assert "Creative Commons Attribution - Pas d'utilisation commerciale 4.0 International" in text
    assert 'rel="license" href="https://creativecommons.org/licenses/by-nc/4.0/deed.fr"' in page.text
    assert "Cette note renvoie à (1) Organisations (1) Culture Laval" in text and f'href="/n/{org.id}/"' in page.text
    assert "1 révision : voir l'historique des modifications" in text and f'href="/n/{note.id}/history"' in page.text
    assert page.headers["link"] == f'</api/v1/notes/{note.id}>; rel="alternate"; type="application/json"'
    assert '<html lang="fr">' in page.text
    back = _text(client.get(f"/n/{org.id}/").text)
    assert "Notes qui mentionnent cette organisation (1)" in back and "Merci de nous aider" in back


def test_the_note_page_reads_in_the_order_of_a_note(client, session):
    """Title, authors and date, the carnet it is in, then the body, its contents when long and
    its links, the carnets, the facts (dates, visibility, licence, history), the citation, then
    the discussion and the contact form."""
    alice = make_user(session, "alice", name="Alice Rivard")
    make_note(session, alice, title="Culture Laval", kind="organisation")
    body = "Avec [[Culture Laval]].\n\n## Contexte\n\nUn.\n\n## Démarche\n\nDeux.\n\n### Étapes\n\nTrois."
    note = make_note(session, alice, title="Long chantier", body=body)
    carnet = client.post("/api/v1/carnets", headers=token_for(client, "alice"), json={"title": "Carnet d'été"}).json()
    client.post(f"/api/v1/carnets/{carnet['id']}/notes", headers=token_for(client, "alice"), json={"note_id": note.id})
    text = _text(client.get(f"/n/{note.id}/").text)
    order = [
        "Long chantier",
        "Alice Rivard",
        "Cette note fait partie du carnet Carnet d'été (1 note)",
        "Contexte",
        "Sommaire",
        "Cette note renvoie à (1) Organisations (1) Culture Laval",
        "Dans les carnets",
        "Publication",
        "Modification",
        "Visibilité",
        "Licence",
        "Historique",
        "Pour citer cette note",
        "Discuter de la note (0)",
        "Écrire aux auteur·trices de cette note",
    ]
    positions = [text.index(marker) for marker in order]
    assert positions == sorted(positions), list(zip(order, positions))
    # The contents lead to the headings of the body.
    page = client.get(f"/n/{note.id}/").text
    assert '<a href="#contexte">Contexte</a>' in page and '<a href="#étapes">Étapes</a>' in page
    # The heading's anchor keeps its accents, and the one it had before still leads to it.
    assert '<h3 id="étapes"><span id="etapes"></span>Étapes</h3>' in page
    short = make_note(session, alice, title="Court", body="## Un\n\nSeul titre.")
    assert "Sommaire" not in _text(client.get(f"/n/{short.id}/").text)


@one_database
def test_a_term_and_an_organisation_are_named_as_such_not_as_a_note(app, client, session):
    alice = make_user(session, "alice", name="Alice Rivard")
    term = make_note(session, alice, title="Cercle", kind="term", definition="Un groupe.")
    entry = make_note(session, alice, title="Culture Laval", kind="organisation")
    headers = token_for(client, "alice")
    carnet = client.post("/api/v1/carnets", headers=headers, json={"title": "Carnet d'été"}).json()["id"]
    for item in (term, entry):
        client.post(f"/api/v1/carnets/{carnet}/notes", headers=headers, json={"note_id": item.id})
    author = browser_for(app, session, alice)
    said = {
        (term.id, "fr"): [
            "Ce terme fait partie du carnet",
            "À propos de ce terme",
            "Discuter du terme (0)",
            "Supprimer le terme",
            "Pour citer cette note",  # the contract's name of the citation, on every kind of note
            "Personne n’a encore commenté ce terme.",
        ],
        (entry.id, "fr"): [
            "Cette fiche fait partie du carnet",
            "À propos de cette fiche",
            "Discuter de la fiche (0)",
            "Supprimer la fiche",
            "Pour citer cette note",
            "Personne n’a encore commenté cette fiche.",
        ],
        (term.id, "en"): [
            "This term is part of the notebook",
            "About this term",
            "Discuss the term (0)",
            "Delete the term",
            "Cite this note",
            "No one has commented on this term yet.",
        ],
        (entry.id, "en"): [
            "This entry is part of the notebook",
            "About this entry",
            "Discuss the entry (0)",
            "Delete the entry",
            "Cite this note",
            "No one has commented on this entry yet.",
        ],
    }
    for (note_id, lang), expected in said.items():
        text = _text(author.get(f"/n/{note_id}/?lang={lang}").text)
        assert [words for words in expected if words not in text] == [], (note_id, lang)
        rest = text.replace("Pour citer cette note", "").replace("Cite this note", "")
        assert not re.search(r"\b(cette note|de la note|this note|the note)\b", rest, re.IGNORECASE), (note_id, lang)
    asking = _text(author.get(f"/n/{term.id}/delete?lang=fr").text)
    assert "Supprimer le terme « Cercle » ?" in asking and "pourront le restaurer" in asking
    assert "Oui, supprimer le terme" in asking
    reader = _text(client.get(f"/n/{entry.id}/?lang=fr").text)  # a visitor writes to its authors
    assert "Écrire aux auteur·trices de cette fiche" in reader


def test_dates_are_written_the_french_way_in_the_site_time_zone(client, session):
    alice = make_user(session)
    note = make_note(session, alice, published_at="2025-05-01T16:00:00Z")
    assert "1er mai 2025" in _text(client.get(f"/n/{note.id}/").text)


def test_a_date_imported_without_a_time_is_shown_without_one(client, session, tmp_path):
    """An imported `updated: 2025-06-03` is midnight in the site's time zone: the history, the
    revision's banner and the term page's "Modification" say the date, not "00:00" or "12:00 a.m."."""
    from praxis.schemas import NoteQuery
    from praxis.transfer import folders

    (tmp_path / "terme.md").write_text(
        "---\ntitle: Cercle\nkind: term\nauthors: [Maryse Gagnon]\npublished: 2025-06-03\n"
        "updated: 2025-06-03\nvisibility: public\nlicence: CC0-1.0\n---\nUn groupe de travail.\n",
        encoding="utf-8",
    )
    folders.import_path(session=session, path=tmp_path)
    session.commit()
    note = note_service.list_notes(session=session, actor=None, query=NoteQuery()).items[0]
    for lang, day, hour in (("fr", "3 juin 2025", "00:00"), ("en", "June 3, 2025", "12:00")):
        for path in (f"/n/{note.id}/history", f"/n/{note.id}/?rev=1", f"/n/{note.id}/"):
            text = _text(client.get(f"{path}?lang={lang}" if "?" not in path else f"{path}&lang={lang}").text)
            assert day in text and hour not in text, (path, lang)
    alice = make_user(session)
    timed = make_note(session, alice, title="À l'heure")
    edited = _text(client.get(f"/n/{timed.id}/history?lang=fr").text)
    assert re.search(r"\d{4} \d\d:\d\d", edited)  # a time of day still shows


def test_slug_suffix_and_missing_slash_redirect_to_the_canonical_address(client, session):
    note = make_note(session, make_user(session))
    slugged = client.get(f"/n/{note.id}/quest-ce-quun-chantier", follow_redirects=False)
    assert slugged.status_code == 301 and slugged.headers["location"] == f"/n/{note.id}/"
    bare = client.get(f"/n/{note.id}", follow_redirects=False)
    assert bare.status_code in (301, 307, 308) and bare.headers["location"].endswith(f"/n/{note.id}/")


def test_unknown_pages_are_friendly_french_404s(client):
    page = client.get("/n/inexistant/")
    assert (
        page.status_code == 404
        and "Page introuvable" in page.text
        and page.headers["content-type"].startswith("text/html")
    )
    assert client.get("/pas-une-page").status_code == 404
    assert "Page introuvable" in client.get("/u/personne/").text


def test_old_revision_has_a_permanent_link(client, session):
    alice = make_user(session)
    note = make_note(session, alice, title="Premier titre", body="Ancien texte")
    from praxis.schemas import NoteUpdate
    from praxis.notes import notes as note_service

    note_service.save_note(
        session=session,
        actor=alice,
        note_id=note.id,
        data=NoteUpdate(base_revision=1, title="Second", body="Nouveau", licence="CC0-1.0"),
    )
    session.commit()
    old = client.get(f"/n/{note.id}/?rev=1")
    assert old.status_code == 200 and "Premier titre" in old.text and "Ancien texte" in old.text
    assert "Vous consultez la version 1" in _text(old.text)
    # Where it stands: the note, its history, this version.
    trail = re.search(r'<nav class="breadcrumb".*?</nav>', old.text, re.DOTALL)
    assert trail and _text(trail.group(0)) == "Second Historique Version 1"
    assert f'href="/n/{note.id}/history"' in trail.group(0) and 'aria-current="page">Version 1<' in trail.group(0)
    assert "(CC-BY-SA-4.0)" in _text(old.text) and "(CC0-1.0)" not in _text(old.text)
    assert "(CC0-1.0)" in _text(client.get(f"/n/{note.id}/").text)
    assert client.get(f"/n/{note.id}/?rev=7").status_code == 404
    assert client.get(f"/n/{note.id}/?rev=abc").status_code == 422


def test_history_and_diff_pages(client, session):
    alice = make_user(session, "alice", name="Alice Rivard")
    note = make_note(session, alice, body="Le chantier est ouvert.")
    from praxis.schemas import NoteUpdate
    from praxis.notes import notes as note_service

    note_service.save_note(
        session=session,
        actor=alice,
        note_id=note.id,
        data=NoteUpdate(base_revision=1, body="Le chantier est fermé.", summary="Fermeture"),
    )
    session.commit()
    history = client.get(f"/n/{note.id}/history")
    assert history.status_code == 200
    text = _text(history.text)
    assert "Fermeture" in text and "Alice Rivard" in text and f'href="/n/{note.id}/?rev=1"' in history.text
    assert "Version 1" in text and "Création" in text  # revision 1, saved without a summary
    assert f'href="/n/{note.id}/diff?from=1&amp;to=2"' in history.text  # "Voir les changements"
    diff = client.get(f"/n/{note.id}/diff?from=1&to=2")
    assert diff.status_code == 200 and "<del>ouvert</del>" in diff.text and "<ins>fermé</ins>" in diff.text
    assert "Le texte tel qu'il se lit" in _text(diff.text) and "Voir le source Markdown" in _text(diff.text)
    assert '<details class="diff-source">' in diff.text  # folded: the text as it reads comes first


def test_a_diff_reads_as_text_and_shows_links_to_notes_by_their_label(client, session):
    alice = make_user(session, "alice", name="Alice Rivard")
    target = make_note(session, alice, title="Cible", body="La cible.")
    note = make_note(session, alice, body="# Titre\n\nLe chantier est **ouvert**.\n\nUn paragraphe tranquille.")
    from praxis.schemas import NoteUpdate
    from praxis.notes import notes as note_service

    note_service.save_note(
        session=session,
        actor=alice,
        note_id=note.id,
        data=NoteUpdate(
            base_revision=1,
            body=f"# Titre\n\nLe chantier est **fermé** [[{target.id}|voir la cible]].\n\nUn paragraphe tranquille.",
        ),
    )
    session.commit()
    page = client.get(f"/n/{note.id}/diff?from=1&to=2").text
    read = page.split('class="diff-text"')[1].split("</div>")[0]
    # The rendered text: no Markdown, the changed paragraph only, the others counted.
    assert "<del>ouvert</del>" in read and "<ins>fermé voir la cible</ins>" in read and "**" not in read
    assert _text(read.split(">", 1)[1]) == (
        "1 paragraphe inchangé Le chantier est ouvertfermé voir la cible. 1 paragraphe inchangé"
    )
    source = page.split('<pre class="diff"')[1].split("</pre>")[0]
    assert "**" in source and "[[voir la cible]]" in source and target.id not in source


def test_write_a_note_through_the_form(client, session):
    make_user(session, "alice")
    sign_in(client, "alice")
    form = client.get("/n/new")
    assert form.status_code == 200
    response = client.post(
        "/n/new",
        data={
            "title": "Écrit au clavier",
            "body": "Du **texte**",
            "kind": "note",
            "visibility": "public",
            "licence": "CC0-1.0",
            "csrf_token": csrf_from(form.text),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert "Écrit au clavier" in page.text and "<strong>texte</strong>" in page.text


def test_an_invalid_form_keeps_what_was_typed(client, session):
    make_user(session, "alice")
    sign_in(client, "alice")
    token = csrf_from(client.get("/n/new").text)
    response = client.post("/n/new", data={"title": "", "body": "Un long texte précieux", "csrf_token": token})
    assert response.status_code == 422 and "Un long texte précieux" in response.text
    assert "Titre : Ce champ est obligatoire." in _text(response.text)
    unknown = client.post("/n/new", data={"title": "T", "authors": "alice, personne", "csrf_token": token})
    assert unknown.status_code == 422 and "Auteur·trices" in unknown.text and "alice, personne" in unknown.text


def test_edit_conflict_keeps_both_versions_and_overwrites_nothing(client, session):
    alice = make_user(session, "alice")
    note = make_note(session, alice, body="Version initiale")
    sign_in(client, "alice")
    form = client.get(f"/n/{note.id}/edit")
    token = csrf_from(form.text)
    assert 'name="base_revision" value="1"' in form.text
    first = client.post(
        f"/n/{note.id}/edit",
        data={"title": note.title, "body": "Première modification", "base_revision": "1", "csrf_token": token},
        follow_redirects=False,
    )
    assert 'id="current-body"' not in form.text
    assert first.status_code == 303
    second = client.post(
        f"/n/{note.id}/edit",
        data={"title": note.title, "body": "Ma version concurrente", "base_revision": "1", "csrf_token": token},
    )
    assert second.status_code == 409
    assert "Ma version concurrente" in second.text and "Première modification" in second.text
    assert 'name="base_revision" value="2"' in second.text
    assert (
        get_user(session, "alice") and client.get(f"/api/v1/notes/{note.id}").json()["body"] == "Première modification"
    )


@one_database
def test_forms_without_a_valid_csrf_token_are_refused(client, session):
    alice = make_user(session, "alice")
    note = make_note(session, alice)
    sign_in(client, "alice")
    for data in ({}, {"csrf_token": "faux"}):
        response = client.post(f"/n/{note.id}/delete", data=data)
        assert response.status_code == 403
    assert client.get(f"/n/{note.id}/").status_code == 200


def test_writing_pages_send_visitors_to_login_and_back(client, session):
    note = make_note(session, make_user(session))
    for path in ("/n/new", f"/n/{note.id}/edit"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/login?next=")
    wanted = client.get("/n/new?title=Note%20%C3%A0%20venir", follow_redirects=False)
    assert wanted.headers["location"] == "/login?next=/n/new%3Ftitle%3DNote%2520%25C3%25A0%2520venir"
    login = client.get(wanted.headers["location"])
    assert 'name="next" value="/n/new?title=Note%20%C3%A0%20venir"' in login.text


def test_authors_are_chosen_in_the_form_in_order(client, session):
    make_user(session, "alice", name="Alice Rivard")
    make_user(session, "maryse", name="Maryse Gervais", password=None)  # a profile without login: named at once
    sign_in(client, "alice")
    token = csrf_from(client.get("/n/new").text, "/n/new")
    created = client.post(
        "/n/new", data={"title": "À deux", "authors": "maryse, alice", "csrf_token": token}, follow_redirects=False
    )
    assert "Maryse Gervais, Alice Rivard" in _text(client.get(created.headers["location"]).text)
    edit = client.get(created.headers["location"] + "edit")
    assert 'value="maryse, alice"' in edit.text


def test_non_authors_cannot_open_the_editor(client, session):
    note = make_note(session, make_user(session, "alice"))
    make_user(session, "bob")
    sign_in(client, "bob")
    page = client.get(f"/n/{note.id}/edit")
    assert page.status_code == 403 and "Accès refusé" in page.text
    assert "Modifier" not in _text(client.get(f"/n/{note.id}/").text).split("Historique")[0].split(note.title)[-1]


def test_delete_and_restore_through_the_pages_own_forms(client, session):
    alice = make_user(session, "alice")
    note = make_note(session, alice, body="Original")
    sign_in(client, "alice")
    edit = client.get(f"/n/{note.id}/edit").text
    saved = client.post(
        f"/n/{note.id}/edit",
        data={
            "title": note.title,
            "body": "Modifié",
            "base_revision": "1",
            "csrf_token": csrf_from(edit, f"/n/{note.id}/edit"),
        },
    )
    assert re.search(r'role="status">Note enregistrée — révision 2\.<', saved.text)  # what the save did
    assert "Note enregistrée" not in client.get(f"/n/{note.id}/").text  # once
    history = client.get(f"/n/{note.id}/history").text
    restore_action = f"/n/{note.id}/revisions/1/restore"
    restored = client.post(
        restore_action, data={"csrf_token": csrf_from(history, restore_action)}, follow_redirects=False
    )
    assert restored.status_code == 303 and restored.headers["location"] == f"/n/{note.id}/"
    assert client.get(f"/api/v1/notes/{note.id}").json()["body"] == "Original"
    assert "Version 1 restaurée." in _text(client.get(restored.headers["location"]).text)
    assert "restaurée" not in _text(client.get(restored.headers["location"]).text)  # said once
    # The address says nothing to a visitor, who restored nothing and may restore nothing.
    visitor = TestClient(client.app, base_url="https://testserver")
    assert "restaurée" not in _text(visitor.get(restored.headers["location"]).text)
    # Deleting asks first, on a page of its own (no script needed), then says so with a way back.
    view = client.get(f"/n/{note.id}/").text
    assert f'href="/n/{note.id}/delete"' in view and f'action="/n/{note.id}/delete"' not in view
    asking = client.get(f"/n/{note.id}/delete")
    assert f"Supprimer la note « {note.title} » ?" in _text(asking.text) and "pendant 30 jours" in _text(asking.text)
    assert f'<a href="/n/{note.id}/">Annuler</a>' in asking.text
    assert client.get(f"/n/{note.id}/").status_code == 200  # asking deleted nothing
    deleted = client.post(
        f"/n/{note.id}/delete",
        data={"csrf_token": csrf_from(asking.text, f"/n/{note.id}/delete")},
        follow_redirects=False,
    )
    assert deleted.status_code == 303 and deleted.headers["location"] == "/corbeille/"
    assert client.get(f"/n/{note.id}/").status_code == 404
    trash = client.get(deleted.headers["location"]).text
    assert re.search(
        r'role="status"[^>]*>.*Note « [^»]+ » supprimée\.\s*·(?:\s|&nbsp;)*<button[^>]*>Annuler</button>', trash, re.S
    )
    assert "Restaurer" in _text(trash) and note.title in _text(trash)
    again = client.get("/corbeille/").text  # the message was for that moment only
    assert "supprimée." not in _text(again) and note.title in _text(again)
    undo = client.post(
        f"/n/{note.id}/undelete",
        data={"csrf_token": csrf_from(trash, f"/n/{note.id}/undelete")},
        follow_redirects=False,
    )
    assert undo.status_code == 303 and undo.headers["location"] == f"/n/{note.id}/"
    assert "Note restaurée" in _text(client.get(undo.headers["location"]).text)
    assert "Note restaurée" not in _text(client.get(undo.headers["location"]).text)
    assert "Note restaurée" not in _text(visitor.get(undo.headers["location"]).text)
    assert "La corbeille est vide." in _text(client.get("/corbeille/").text)


@one_database  # the trash's paging SQL is tests/api/test_trash_api.py's; here, the page's pager
def test_the_trash_is_paged_when_it_holds_more_than_a_page(app, client, session):
    alice = make_user(session, "alice", password=None)
    for i in range(51):  # a page holds 50
        note = make_note(session, alice, title=f"Note jetée {i:02}")
        note_service.delete_note(session=session, actor=alice, note_id=note.id)
    session.commit()
    browser = browser_for(app, session, alice)
    first = browser.get("/corbeille/").text
    assert first.count('action="/n/') == 50 and "Note jetée 50" in first and "Note jetée 00" not in first
    pager = re.search(r'<nav class="pager" aria-label="Pagination">(.*?)</nav>', first, re.S)
    assert pager and "Page 1 / 2" in _text(pager.group(1)) and 'rel="prev"' not in pager.group(1)
    assert '<a rel="next" href="/corbeille/?p=2">Suivante</a>' in pager.group(1)
    second = browser.get("/corbeille/?p=2").text
    assert second.count('action="/n/') == 1 and "Note jetée 00" in second and "Note jetée 01" not in second
    assert '<a rel="prev" href="/corbeille/?p=1">Précédente</a>' in second and 'rel="next"' not in second
    beyond = _text(browser.get("/corbeille/?p=3").text)
    assert "Cette page de la corbeille est vide. Retour à la première page" in beyond
    assert browser.get("/corbeille/?p=0").status_code == 422
    assert "Next" in browser.get("/corbeille/?lang=en").text


def test_every_note_is_listed_and_paged_at_notes(client, session):
    alice = make_user(session)
    for i in range(23):
        make_note(session, alice, title=f"Note numéro {i}")
    listing = client.get("/notes/")
    assert listing.status_code == 200 and "Note numéro 22" in listing.text and "23 notes" in _text(listing.text)
    assert "Note numéro 0" in client.get("/notes/?p=2").text
    by_title = _text(client.get("/notes/?sort=title").text)
    assert by_title.index("Note numéro 0") < by_title.index("Note numéro 1") < by_title.index("Note numéro 10")
    assert 'href="/notes/?sort=title&amp;p=2"' in client.get("/notes/?sort=title").text
    assert client.get("/notes/?sort=hasard").status_code == 422
    assert "Note numéro 22" in client.get("/").text  # the home page shows the latest


def test_an_admin_reads_a_deleted_note_without_a_dead_feed_link_or_a_doubled_full_stop(app, client, session):
    alice = make_user(session, "alice")
    admin = make_user(session, "root", admin=True)
    note = make_note(session, alice, title="Note effacée")
    assert client.delete(f"/api/v1/notes/{note.id}", headers=token_for(client, "alice")).status_code == 204
    reader = browser_for(app, session, admin)
    page = reader.get(f"/n/{note.id}/")
    assert page.status_code == 200 and "Seuls les administrateur·trices la voient." in _text(page.text)
    assert "Demander les droits d'édition" not in page.text
    assert reader.get(f"/n/{note.id}/discussion.atom").status_code == 404
    assert "discussion.atom" not in page.text  # no link to a feed that answers 404
    english = _text(reader.get(f"/n/{note.id}/?lang=en").text)
    assert "this note was deleted. Only administrators see it." in english and ".." not in english


def test_comments_in_a_note_are_read_nowhere(client, session):
    # %%Obsidian's comments%% stay in the text its authors edit, and nowhere a reader looks.
    alice = make_user(session, "alice")
    body = "Un chantier public. %%zanzibar%%\n\n%%\nbrouillon quetzalcoatl\n%%\n\nFin du texte."
    note = make_note(session, alice, title="Chantier commenté", body=body)
    page = client.get(f"/n/{note.id}/").text
    assert "Un chantier public." in _text(page) and "Fin du texte." in _text(page)
    feed = client.get("/feed.atom").text
    listed = client.get("/api/v1/notes").json()["items"]
    found = [client.get("/api/v1/search", params={"q": word}).json()["items"] for word in ("zanzibar", "quetzalcoatl")]
    assert "Un chantier public." in feed and [item["excerpt"] for item in listed] == [
        "Un chantier public. Fin du texte."
    ]
    for seen in (page, feed, str(listed)):
        assert "zanzibar" not in seen and "quetzalcoatl" not in seen and "%%" not in seen
    assert found == [[], []]
    assert client.get("/api/v1/search", params={"q": "chantier public"}).json()["items"][0]["id"] == note.id
