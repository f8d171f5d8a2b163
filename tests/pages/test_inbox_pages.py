"""The inbox page, the unread count in the header, and "Contacter les auteur·trices"."""

from __future__ import annotations

import re

from praxis.schemas import NoteCreate
from praxis.carnets import filing
from tests.factories import browser_for, csrf_from, make_note, make_user, page_text


def test_the_header_counts_what_is_unread_and_the_inbox_shows_it_once(app, session):
    alice = make_user(session, "alice", name="Alice Rivard")
    bob = make_user(session, "bob", name="Bob Tremblay")
    note = make_note(session, alice, title="Chantier")
    writer = browser_for(app, session, bob)
    page = writer.get(f"/n/{note.id}/")
    writer.post(
        f"/n/{note.id}/comments", data={"csrf_token": csrf_from(page.text, f"/n/{note.id}/comments"), "body": "Bravo."}
    )
    reader = browser_for(app, session, alice)
    home = reader.get("/")
    assert "Boîte de réception 1 non lue" in page_text(home.text) and "1 non lues" not in page_text(home.text)
    inbox = reader.get("/u/me/inbox")
    assert inbox.status_code == 200
    assert "Nouveau Bob Tremblay a commenté votre note « Chantier »." in page_text(inbox.text)
    assert "non lue" not in page_text(inbox.text)  # read as soon as shown
    again = page_text(reader.get("/u/me/inbox").text)
    assert "Nouveau" not in again and "Bob Tremblay a commenté votre note « Chantier »." in again
    assert (
        browser_for(app, session, None).get("/u/me/inbox", follow_redirects=False).status_code == 303
    )  # sign in first


def test_the_inbox_reads_and_marks_what_it_shows_in_the_requests_one_session(app, session):
    import sqlalchemy as sa

    from praxis.db import PraxisSession

    alice = make_user(session, "alice")
    bob = make_user(session, "bob", name="Bob Tremblay")
    note = make_note(session, alice, title="Chantier")
    writer = browser_for(app, session, bob)
    page = writer.get(f"/n/{note.id}/")
    writer.post(
        f"/n/{note.id}/comments", data={"csrf_token": csrf_from(page.text, f"/n/{note.id}/comments"), "body": "Bravo."}
    )
    reader = browser_for(app, session, alice)
    opened: set[int] = set()

    def began(db_session, _transaction, _connection) -> None:  # type: ignore[no-untyped-def]
        opened.add(id(db_session))

    sa.event.listen(PraxisSession, "after_begin", began)
    try:
        inbox = reader.get("/u/me/inbox")
    finally:
        sa.event.remove(PraxisSession, "after_begin", began)
    assert inbox.status_code == 200 and "Nouveau Bob Tremblay a commenté" in page_text(inbox.text)
    assert len(opened) == 1  # the request's session, not a second one to mark what it showed
    assert "Nouveau" not in page_text(reader.get("/u/me/inbox").text)  # and marked it read all the same


def test_visitors_and_members_write_to_the_authors_from_the_note(app, session):
    alice = make_user(session, "alice", name="Alice Rivard")
    bob = make_user(session, "bob", name="Bob Tremblay")
    note = make_note(session, alice, title="Chantier")
    visitor = browser_for(app, session, None)
    page = visitor.get(f"/n/{note.id}/")
    assert "Contacter les auteur·trices" in page.text and 'name="email"' in page.text and 'name="website"' in page.text
    token = csrf_from(page.text, f"/n/{note.id}/contact")
    wrong = visitor.post(
        f"/n/{note.id}/contact",
        data={
            "csrf_token": token,
            "name": "Jeanne",
            "email": "pas-une-adresse",
            "subject": "Bonjour",
            "message": "Un long message à garder.",
        },
    )
    assert wrong.status_code == 422 and "Un long message à garder." in wrong.text and "Courriel" in wrong.text
    sent = visitor.post(
        f"/n/{note.id}/contact",
        data={
            "csrf_token": token,
            "name": "Jeanne Roy",
            "email": "jeanne@exemple.org",
            "subject": "Bonjour",
            "message": "Merci.",
        },
        follow_redirects=False,
    )
    assert sent.status_code == 303 and sent.headers["location"] == f"/n/{note.id}/?contact=sent#contact"
    assert "Votre message a été transmis aux auteur·trices." in visitor.get(sent.headers["location"]).text
    member = browser_for(app, session, bob)
    page = member.get(f"/n/{note.id}/")
    assert 'name="email"' not in page.text[page.text.index('id="contact"') :]  # a member writes as themself
    member.post(
        f"/n/{note.id}/contact",
        data={
            "csrf_token": csrf_from(page.text, f"/n/{note.id}/contact"),
            "subject": "Collaboration",
            "message": "On en parle?",
        },
    )
    author = browser_for(app, session, alice)
    inbox = author.get("/u/me/inbox")
    text = page_text(inbox.text)
    assert "Collaboration De Bob Tremblay" in text and "Bonjour De Jeanne Roy (visiteur·euse)" in text
    assert "jeanne@exemple.org" not in inbox.text
    assert inbox.text.count('action="/u/me/messages/') == 2 and inbox.text.count('name="reveal_address"') == 1
    # The first form answers the newest message: the member's (the visitor is answered by email).
    action = re.search(r'action="(/u/me/messages/[^"]+/reply)"', inbox.text).group(1)
    answered = author.post(
        action, data={"csrf_token": csrf_from(inbox.text, action), "message": "Oui!"}, follow_redirects=False
    )
    assert answered.status_code == 303
    assert "Re: Collaboration De Alice Rivard" in page_text(member.get("/u/me/inbox").text)


def test_people_choose_what_reaches_them_by_email(app, session):
    alice = make_user(session, "alice")
    browser = browser_for(app, session, alice)
    form = browser.get("/account/notifications")
    assert form.status_code == 200 and '<option value="email" selected>' in form.text  # messages, by default
    saved = browser.post(
        "/account/notifications", data={"csrf_token": csrf_from(form.text), "comment": "digest", "reply": "email"}
    )
    assert saved.status_code == 200 and "Vos choix sont enregistrés." in saved.text
    assert browser.get("/api/v1/me/notification-settings").json() == {
        "comment": "digest",
        "reply": "email",
        "message": "email",
        "edit_request": "app",
        "edit_decision": "app",
        "carnet_entry": "app",
        "author_invitation": "app",
    }
    wrong = browser.post("/account/notifications", data={"csrf_token": csrf_from(form.text), "comment": "pigeon"})
    assert wrong.status_code == 422


def test_an_invitation_in_the_inbox_names_its_note_in_the_language_it_is_written_in(app, session):
    bob = make_user(session, "bob", name="Bob Tremblay")
    alice = make_user(session, "alice", name="Alice Rivard")
    note = filing.create_note(
        session=session, actor=bob, data=NoteCreate(title="Chantier", body="Texte.", authors=["bob", "alice"])
    )
    session.commit()
    inbox = browser_for(app, session, alice).get("/u/me/inbox?lang=en").text
    assert "Bob Tremblay invites you to co-sign “Chantier”." in page_text(inbox)
    assert re.search(rf'<a lang="fr" href="[^"]*/n/{note.id}/">Chantier</a>', inbox)
