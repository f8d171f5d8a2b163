"""What a review of the discussion, the inbox and the mail found, kept from coming back."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from praxis.models import Notification, OutgoingMail, utcnow
from praxis.conversation import mail
from praxis.conversation import notifications
from tests.factories import browser_for, make_note, make_user, token_for
from tests.services.test_mail import _deliver, _set, _with_email, settings  # noqa: F401  (a fixture)


def test_names_and_titles_are_text_in_the_inbox_and_in_mails(client, session, app, smtp):
    alice = _with_email(session, "alice", "Alice Rivard")
    make_user(session, "evil", name="<img src=x onerror=alert(1)> 100 %")
    note = make_note(session, alice, title="Réussite à 80 % des élèves <b>")
    _set(client, "alice", comment="email")
    evil = token_for(client, "evil")
    assert client.post(f"/api/v1/notes/{note.id}/comments", headers=evil, json={"body": "Salut."}).status_code == 201
    assert (
        client.post(
            f"/api/v1/notes/{note.id}/contact", headers=evil, json={"subject": "50 %", "message": "x"}
        ).status_code
        == 202
    )
    page = browser_for(app, session, alice).get("/u/me/inbox")
    assert (
        page.status_code == 200
        and "<img src=x" not in page.text
        and "&lt;img src=x onerror=alert(1)&gt; 100 %" in page.text
    )
    assert _deliver(app, smtp) == 2
    for received in smtp.inbox.messages:
        html = received.get_body(("html",)).get_content()
        assert "<img src=x" not in html and "<b>" not in html and "&lt;b&gt;" in html
    _set(client, "alice", comment="digest")
    client.post(f"/api/v1/notes/{note.id}/comments", headers=evil, json={"body": "Encore."})
    session.expire_all()
    assert notifications.send_digests(session, force=True) == 1  # a "%" never breaks a digest


def test_a_mail_no_server_will_take_is_set_aside_and_the_others_leave(session, app, smtp):
    session.add(OutgoingMail(to_address="m@[x", subject="Cassé", text="x", html="<p>x</p>"))
    session.add(OutgoingMail(to_address="ok@exemple.org", subject="Bon", text="x", html="<p>x</p>"))
    session.commit()
    assert _deliver(app, smtp) == 1
    assert [m["To"] for m in smtp.inbox.messages] == ["ok@exemple.org"]
    session.expire_all()
    broken = session.exec(select(OutgoingMail).where(OutgoingMail.subject == "Cassé")).one()
    assert broken.failed_at is not None and broken.sent_at is None and broken.last_error
    session.rollback()
    assert _deliver(app, smtp, now=utcnow() + timedelta(days=1)) == 0  # never tried again


def test_addresses_are_single_mailboxes(client):
    for address in ("a,b@exemple.org", "a;@b.org", "a:b@c.org", "m@[x", "Jeanne <j@exemple.org>", "j@exemple"):
        response = client.post(
            "/api/v1/auth/register", json={"username": "jeanne", "password": "mot-de-passe", "email": address}
        )
        assert response.status_code == 422, address
    assert (
        client.post(
            "/api/v1/auth/register",
            json={"username": "jeanne", "password": "mot-de-passe", "email": "jeanne.roy+praxis@exemple.qc.ca"},
        ).status_code
        == 201
    )


def test_a_mail_is_sent_only_about_what_its_reader_may_still_see(client, session, app, smtp):
    alice = make_user(session, "alice", name="Alice Rivard")
    _with_email(session, "bob", "Bob Tremblay")
    note = make_note(session, alice, title="Projet confidentiel")
    _set(client, "bob", reply="email")
    asked = client.post(
        f"/api/v1/notes/{note.id}/comments", headers=token_for(client, "bob"), json={"body": "Question."}
    ).json()
    a = token_for(client, "alice")
    client.patch(f"/api/v1/notes/{note.id}", headers=a, json={"base_revision": 1, "visibility": "restricted"})
    client.post(f"/api/v1/notes/{note.id}/comments", headers=a, json={"body": "Réponse.", "parent_id": asked["id"]})
    assert _deliver(app, smtp) == 0 and smtp.inbox.messages == []


def test_a_wikilink_in_a_comment_reads_the_same_for_a_hidden_note_and_a_missing_one(client, session):
    alice = make_user(session, "alice")
    make_user(session, "bob")
    make_note(session, alice, title="Dossier secret", visibility="restricted")
    note = make_note(session, alice, title="Publique")
    bob = token_for(client, "bob")
    hidden = client.post(f"/api/v1/notes/{note.id}/comments", headers=bob, json={"body": "[[Dossier secret]]"}).json()[
        "html"
    ]
    missing = client.post(f"/api/v1/notes/{note.id}/comments", headers=bob, json={"body": "[[Dossier absent]]"}).json()[
        "html"
    ]
    assert hidden.replace("secret", "X") == missing.replace("absent", "X")
    assert 'rel="nofollow ugc noopener noreferrer"' in hidden


def test_answers_edits_and_settings_have_their_limits_and_sense(client, session):
    alice = make_user(session, "alice")
    make_user(session, "bob")
    note = make_note(session, alice, title="Chantier")
    a, bob = token_for(client, "alice"), token_for(client, "bob")
    # Answers to visitors are limited (each one is a mail the site sends to an address).
    client.post(
        f"/api/v1/notes/{note.id}/contact", json={"subject": "Q", "message": "?", "name": "J", "email": "j@exemple.org"}
    )
    message = client.get("/api/v1/me/messages", headers=a).json()[0]["id"]
    codes = [
        client.post(f"/api/v1/me/messages/{message}/reply", headers=a, json={"message": f"R{i}"}).status_code
        for i in range(21)
    ]
    assert codes[:20] == [201] * 20 and codes[20] == 429
    # Edits are limited too: each keeps the text it replaces.
    comment = client.post(f"/api/v1/notes/{note.id}/comments", headers=bob, json={"body": "v0"}).json()["id"]
    codes = [
        client.patch(f"/api/v1/comments/{comment}", headers=bob, json={"body": f"v{i + 1}"}).status_code
        for i in range(31)
    ]
    assert codes[:30] == [200] * 30 and codes[30] == 429
    # A hidden comment stays as the moderators left it.
    client.post(f"/api/v1/comments/{comment}/hide", headers=a, json={"reason": "Hors sujet"})
    assert client.delete(f"/api/v1/comments/{comment}", headers=bob).status_code == 403
    # null means "unchanged", and writing to one's own note reaches no one else.
    assert (
        client.patch("/api/v1/me/notification-settings", headers=a, json={"comment": None}).json()["comment"] == "app"
    )
    alone = client.post(f"/api/v1/notes/{note.id}/contact", headers=a, json={"subject": "Moi", "message": "?"})
    assert alone.status_code == 422


def test_a_deleted_note_takes_no_messages_even_from_an_admin(client, session):
    alice = make_user(session, "alice")
    make_user(session, "root", admin=True)
    note = make_note(session, alice)
    client.delete(f"/api/v1/notes/{note.id}", headers=token_for(client, "alice"))
    sent = client.post(
        f"/api/v1/notes/{note.id}/contact", headers=token_for(client, "root"), json={"subject": "x", "message": "y"}
    )
    assert sent.status_code == 404


def test_a_new_choice_counts_from_now_and_the_inbox_marks_only_what_it_showed(client, session, app):
    alice = make_user(session, "alice")
    note = make_note(session, alice)
    for _ in range(35):
        session.add(Notification(user_id=alice.id, kind="comment", note_id=note.id))
    session.commit()
    _set(client, "alice", comment="digest")  # the 35 from before are not mailed after the fact
    session.expire_all()
    assert notifications.send_digests(session, force=True) == 0
    session.commit()
    browser_for(app, session, alice).get("/u/me/inbox")  # shows 30
    assert client.get("/api/v1/me/notifications", headers=token_for(client, "alice")).json()["unread"] == 5


def test_a_drain_that_died_mid_send_lets_the_mail_go_once_its_lease_ends(session, app, smtp):
    session.add(OutgoingMail(to_address="ok@exemple.org", subject="Relais", text="x", html="<p>x</p>"))
    session.commit()
    claimed = mail._claim(app.state.engine, utcnow())  # a drain takes it, then its process dies
    assert claimed is not None and claimed.attempts == 1
    assert _deliver(app, smtp) == 0  # out of reach while leased
    assert _deliver(app, smtp, now=utcnow() + mail.LEASE + timedelta(seconds=1)) == 1
    assert [m["Subject"] for m in smtp.inbox.messages] == ["Relais"]
