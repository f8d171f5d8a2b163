"""Co-authorship on the site: the editor invites, the inbox and the note page answer, an author leaves."""

from __future__ import annotations

from tests.factories import browser_for, csrf_from, make_note, make_user, page_text


def _edit(browser, note_id, **changes):
    form = browser.get(f"/n/{note_id}/edit").text
    fields = {
        "csrf_token": csrf_from(form, f"/n/{note_id}/edit"),
        "title": "Chantier",
        "body": "Texte.",
        "kind": "note",
        "visibility": "public",
        "licence": "CC-BY-SA-4.0",
    }
    base = form.split('name="base_revision" value="')[1].split('"')[0]
    return browser.post(f"/n/{note_id}/edit", data={**fields, "base_revision": base, **changes}, follow_redirects=False)


def test_the_editor_invites_and_the_invited_person_accepts_from_the_inbox(app, session):
    alice = make_user(session, "alice", name="Alice Rivard")
    bob = make_user(session, "bob", name="Bob Tremblay")
    note = make_note(session, bob, title="Chantier", body="Texte.")
    writer = browser_for(app, session, bob)
    assert _edit(writer, note.id, authors="alice").status_code == 422  # bob alone is no author's list
    assert _edit(writer, note.id, authors="bob, alice").status_code == 303
    page = page_text(writer.get(f"/n/{note.id}/").text)
    assert "Invitation à co-signer en attente : Alice Rivard" in page
    assert "alice" in writer.get(f"/n/{note.id}/edit").text.split('id="authors"')[1].split(">")[0]  # kept in the field
    invited = browser_for(app, session, alice)
    note_page = invited.get(f"/n/{note.id}/").text
    assert "Vous êtes invité·e à co-signer cette note." in page_text(note_page)
    assert "Demander les droits d'édition" not in note_page  # the invitation is answered instead
    asked = invited.post(f"/n/{note.id}/edit-requests", data={"csrf_token": csrf_from(note_page), "message": "Moi ?"})
    assert asked.status_code == 409
    assert "Vous êtes déjà invité·e à co-signer cette note : acceptez l'invitation." in page_text(asked.text)
    assert (
        "<title>Action impossible" in asked.text and "Conflit de modification" not in asked.text
    )  # no one edited anything
    assert "Alice Rivard" not in note_page.split('class="byline"')[1].split("</p>")[0]  # not an author yet
    inbox = invited.get("/u/me/inbox").text
    assert "Bob Tremblay vous invite à co-signer « Chantier »." in page_text(inbox)
    action = inbox.split('action="/invitations/')[1].split('"')[0]
    assert action.endswith("/accept")
    done = invited.post(
        f"/invitations/{action}",
        data={"csrf_token": csrf_from(inbox, f"/invitations/{action}")},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == f"/n/{note.id}/"
    byline = invited.get(f"/n/{note.id}/").text.split('class="byline"')[1].split("</p>")[0]
    assert "Bob Tremblay" in byline and "Alice Rivard" in byline
    assert "Chantier" in invited.get("/u/alice/").text


def test_an_author_leaves_from_the_note_page_unless_last(app, session):
    alice = make_user(session, "alice", name="Alice Rivard")
    bob = make_user(session, "bob", name="Bob Tremblay")
    note = make_note(session, bob, title="Chantier", authors=["bob", "alice"])
    author = browser_for(app, session, alice)
    page = author.get(f"/n/{note.id}/").text
    assert "Me retirer des auteur·trices" in page
    left = author.post(
        f"/n/{note.id}/leave", data={"csrf_token": csrf_from(page, f"/n/{note.id}/leave")}, follow_redirects=False
    )
    assert left.status_code == 303 and left.headers["location"] == "/u/alice/"
    assert "Chantier" not in author.get("/u/alice/").text
    last = browser_for(app, session, bob).get(f"/n/{note.id}/").text
    assert "Me retirer des auteur·trices" not in last


def test_someone_invited_by_an_author_who_left_is_offered_to_ask_not_to_accept(app, session):
    """The reviewer's report: carol, invited by bob who then left, saw an accept button that
    failed and no way to ask; she now sees the ask button, and asking works."""
    make_user(session, "alice", name="Alice Rivard")
    bob = make_user(session, "bob", name="Bob Tremblay")
    carol = make_user(session, "carol", name="Carol Gagnon")
    note = make_note(session, bob, title="Chantier", body="Texte.", authors=["alice", "bob"])
    leaver = browser_for(app, session, bob)
    both = _edit(leaver, note.id, authors="alice, carol")  # leaving and inviting in one save: said why
    assert both.status_code == 422
    assert (
        "Vous quittez les auteur·trices de cette note : les personnes que vous y nommez ne seraient invitées par personne."
        in page_text(both.text)
    )
    assert _edit(leaver, note.id, authors="alice, bob, carol").status_code == 303
    invited = browser_for(app, session, carol)
    assert 'action="/invitations/' in invited.get(f"/n/{note.id}/").text  # while bob edits, she may accept
    page = leaver.get(f"/n/{note.id}/").text
    assert (
        leaver.post(
            f"/n/{note.id}/leave", data={"csrf_token": csrf_from(page, f"/n/{note.id}/leave")}, follow_redirects=False
        ).status_code
        == 303
    )
    note_page = invited.get(f"/n/{note.id}/").text
    assert "Demander les droits d'édition" in note_page
    assert 'action="/invitations/' not in note_page and "Vous êtes invité·e à co-signer cette note." not in page_text(
        note_page
    )
    assert 'action="/invitations/' not in invited.get("/u/me/inbox").text
    asked = invited.post(
        f"/n/{note.id}/edit-requests",
        data={"csrf_token": csrf_from(note_page), "message": "Je reprends ?"},
        follow_redirects=False,
    )
    assert asked.status_code == 303, page_text(asked.text)


def test_two_people_invited_are_named_under_a_plural(app, session):
    alice = make_user(session, "alice", name="Alice Rivard")
    make_user(session, "bob", name="Bob Tremblay")
    make_user(session, "carol", name="Carol Gagnon")
    note = make_note(session, alice, title="Chantier")
    writer = browser_for(app, session, alice)
    assert _edit(writer, note.id, authors="alice, bob, carol").status_code == 303
    assert "Invitations à co-signer en attente : Bob Tremblay , Carol Gagnon" in page_text(
        writer.get(f"/n/{note.id}/").text
    )
    english = page_text(writer.get(f"/n/{note.id}/?lang=en").text)
    assert "Invitations to co-sign awaiting an answer: Bob Tremblay , Carol Gagnon" in english


def test_the_editor_says_why_someone_is_not_invited_and_keeps_what_was_typed(app, session, monkeypatch):
    from praxis.people import coauthors
    from praxis.people import invitations

    alice = make_user(session, "alice", name="Alice Rivard")
    bob = make_user(session, "bob", name="Bob Tremblay")
    make_user(session, "carol", name="Carol Gagnon")
    note = make_note(session, bob, title="Chantier", body="Texte.")
    writer = browser_for(app, session, bob)
    assert _edit(writer, note.id, authors="bob, alice").status_code == 303
    [(invitation, _person)] = invitations.pending(session, note.id)
    coauthors.answer(session=session, actor=alice, invitation_id=invitation.id, accept=False)
    session.commit()
    declined = _edit(writer, note.id, authors="bob, alice", body="Texte revu.")
    assert declined.status_code == 422
    said = page_text(declined.text)
    assert "Invitation à co-signer cette note déjà refusée par : Alice Rivard." in said
    assert "Texte revu." in declined.text and 'value="bob, alice"' in declined.text
    writer.headers["Accept-Language"] = "en"
    english = page_text(_edit(writer, note.id, authors="bob, alice").text)
    assert "The invitation to co-sign this note was already declined by: Alice Rivard." in english
    del writer.headers["Accept-Language"]
    monkeypatch.setattr(invitations, "LIMIT", 1)
    crowded = _edit(writer, note.id, authors="bob, carol", body="Texte revu.")
    assert crowded.status_code == 429 and crowded.headers["Retry-After"]
    assert "Trop d'invitations à co-signer envoyées en peu de temps : réessayez plus tard." in page_text(crowded.text)
    assert "Texte revu." in crowded.text
