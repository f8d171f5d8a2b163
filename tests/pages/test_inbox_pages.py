"""The inbox page, the unread count in the header, and "Contacter les auteur·trices"."""

from __future__ import annotations

import re

from praxis.notes import service as note_service
from praxis.schemas import NoteCreate, NoteUpdate
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
    assert answered.status_code == 303 and answered.headers["location"] == "/u/me/inbox#messages"
    said = author.get(answered.headers["location"]).text
    messages = said[said.index('id="messages"') :]
    assert 'role="status">Votre réponse a été envoyée.</p>' in messages  # said in the messages, once
    assert "Votre réponse a été envoyée." not in author.get("/u/me/inbox").text
    assert "Re: Collaboration De Alice Rivard" in page_text(member.get("/u/me/inbox").text)


def _contact_section(html: str) -> str:
    section = html[html.index('<section id="contact"') :]
    return section[: section.index("</section>")]


def test_the_contact_form_is_offered_only_where_a_message_reaches_another_author(app, session):
    alice = make_user(session, "alice", name="Alice Rivard")
    bob = make_user(session, "bob", name="Bob Tremblay")
    make_user(session, "ghost", name="Gaëlle Fantôme", password=None)  # a profile made from an imported name
    own = make_note(session, alice, title="Chantier")
    orphan = make_note(session, alice, title="Orpheline")
    note_service.save_note(
        session=session, actor=alice, note_id=orphan.id, data=NoteUpdate(base_revision=1, authors=["ghost"])
    )
    session.commit()
    visitor, author, member = (browser_for(app, session, who) for who in (None, alice, bob))

    # A sole author on her own note: nobody else to write to.
    page = author.get(f"/n/{own.id}/")
    contact = _contact_section(page.text)
    assert f'action="/n/{own.id}/contact"' not in page.text and 'href="#contact"' not in page.text
    assert page_text(contact) == (
        "Contacter les auteur·trices Aucun·e autre auteur·trice de cette note ne peut recevoir de message sur ce site."
        " Écrivez plutôt dans la discussion."
    )
    assert 'sur ce site. <a href="#discussion">Écrivez plutôt dans la discussion.</a>' in contact
    refused = author.post(
        f"/n/{own.id}/contact",
        data={"csrf_token": csrf_from(page.text), "subject": "Moi", "message": "À moi-même."},
    )
    # Sent all the same (from a page older than the rule): refused, told in the page's words.
    assert refused.status_code == 422 and page_text(_contact_section(refused.text)) == page_text(contact)
    # Another signed-in reader reaches her.
    assert f'action="/n/{own.id}/contact"' in member.get(f"/n/{own.id}/").text

    # A note whose only author has no account: no form, for anyone, in either language.
    for browser in (visitor, member, author):
        page = browser.get(f"/n/{orphan.id}/")
        assert f'action="/n/{orphan.id}/contact"' not in page.text and 'href="#contact"' not in page.text
        assert "Les auteur·trices de cette note ne peuvent pas recevoir de message sur ce site." in page_text(page.text)
    english = page_text(_contact_section(visitor.get(f"/n/{orphan.id}/?lang=en").text))
    assert english == (
        "Contact the authors The authors of this note cannot receive messages on this site."
        " Write in the discussion instead."
    )
    page = member.get(f"/n/{orphan.id}/?lang=en")
    refused = member.post(
        f"/n/{orphan.id}/contact",
        data={"csrf_token": csrf_from(page.text), "subject": "Hello", "message": "Anyone?"},
    )
    assert refused.status_code == 422 and page_text(_contact_section(refused.text)) == english


def test_a_refused_message_is_told_in_the_page_language(app, session):
    alice = make_user(session, "alice", name="Alice Rivard")
    note = make_note(session, alice, title="Chantier")
    visitor = browser_for(app, session, None)
    page = visitor.get(f"/n/{note.id}/")
    refused = visitor.post(
        f"/n/{note.id}/contact",
        data={"csrf_token": csrf_from(page.text, f"/n/{note.id}/contact"), "subject": "Bonjour", "message": "Un mot."},
    )
    assert refused.status_code == 422 and "Give your name" not in refused.text
    assert "Nom : Donnez votre nom et une adresse où recevoir la réponse." in page_text(refused.text)


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
