"""Email through a real SMTP server (aiosmtpd, started by the tests): delivery, retries after
the server was down, the daily digest, answers to visitors, and the background drain."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from praxis.app import create_app
from praxis.config import parse_smtp_url
from praxis.mailer import run_round
from praxis.models import OutgoingMail, utcnow
from praxis.conversation import mail
from praxis.conversation import notifications
from tests.factories import make_note, make_user, token_for
from tests.servers import wait_until


@pytest.fixture
def settings(settings, smtp):  # type: ignore[no-untyped-def]
    # The test app's own drain waits an hour before its first round: the tests drain when they choose.
    return settings.model_copy(update={"smtp_url": f"smtp://127.0.0.1:{smtp.port}?tls=none", "mail_interval": 3600})


def _deliver(app, smtp, now=None) -> int:  # type: ignore[no-untyped-def]
    server = parse_smtp_url(app.state.settings.smtp_url)
    return mail.deliver_due(app.state.engine, server, "Praxis <noreply@praxis.example.org>", now)


def _with_email(session, username: str, name: str):  # type: ignore[no-untyped-def]
    user = make_user(session, username, name=name)
    user.email = f"{username}@exemple.org"
    session.add(user)
    session.commit()
    return user


def _set(client, who: str, **channels: str) -> None:  # type: ignore[no-untyped-def]
    response = client.patch("/api/v1/me/notification-settings", headers=token_for(client, who), json=channels)
    assert response.status_code == 200, response.text


def test_a_notification_chosen_by_email_is_delivered_in_text_and_html(client, session, app, smtp):
    alice = _with_email(session, "alice", "Alice Rivard")
    make_user(session, "bob", name="Bob Tremblay")
    note = make_note(session, alice, title="Chantier")
    _set(client, "alice", comment="email")
    client.post(f"/api/v1/notes/{note.id}/comments", headers=token_for(client, "bob"), json={"body": "Bravo!"})
    assert _deliver(app, smtp) == 1
    [received] = smtp.inbox.messages
    assert received["To"] == "alice@exemple.org" and received["From"] == "Praxis <noreply@praxis.example.org>"
    assert received["Subject"] == "[Praxis] Bob Tremblay a commenté votre note « Chantier »."
    text = received.get_body(("plain",)).get_content()
    html = received.get_body(("html",)).get_content()
    assert (
        "Bob Tremblay a commenté votre note « Chantier »." in text
        and f"https://praxis.example.org/n/{note.id}/#c-" in text
    )
    assert f'href="https://praxis.example.org/n/{note.id}/#c-' in html and "&laquo;" not in html  # UTF-8, not entities
    assert _deliver(app, smtp) == 0  # sent once


def test_an_english_site_mails_its_notifications_in_english(session, settings, smtp):
    english_site = create_app(settings.model_copy(update={"language": "en"}))
    with TestClient(english_site, base_url="https://testserver") as client:
        alice = _with_email(session, "alice", "Alice Martin")
        make_user(session, "bob", name="Bob Smith")
        note = make_note(session, alice, title="Garden")
        _set(client, "alice", comment="email")
        # Bob reads the site in French: the mail still speaks the site's language, its reader's.
        made = client.post(
            f"/api/v1/notes/{note.id}/comments",
            headers=token_for(client, "bob") | {"Accept-Language": "fr"},
            json={"body": "Nice work!"},
        )
        assert made.status_code == 201
        assert _deliver(english_site, smtp) == 1
    english_site.state.engine.dispose()
    [received] = smtp.inbox.messages
    assert received["To"] == "alice@exemple.org"
    assert received["Subject"] == "[Praxis] Bob Smith commented on your note “Garden”."
    text = received.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert text.startswith("Hello Alice Martin,\n\nBob Smith commented on your note “Garden”.\n")
    assert f"See: https://praxis.example.org/n/{note.id}/#c-" in text
    assert "Choose what is sent to you by email: https://praxis.example.org/account/notifications" in text
    html = received.get_body(("html",)).get_content()
    assert '<html lang="en">' in html and "<p>Hello Alice Martin,</p>" in html
    assert (
        "Bob Smith commented on your note “Garden”.</a>" in html and ">Choose what is sent to you by email</a>" in html
    )
    for french in ("Bonjour", "a commenté", "Voir", "Choisir", "«"):
        assert french not in text and french not in html and french not in received["Subject"]


def test_a_mail_server_outage_loses_nothing_and_the_mail_leaves_when_it_is_back(client, session, app, smtp):
    alice = _with_email(session, "alice", "Alice Rivard")
    make_user(session, "bob", name="Bob Tremblay")
    note = make_note(session, alice, title="Chantier")
    smtp.stop()
    sent = client.post(
        f"/api/v1/notes/{note.id}/contact",
        headers=token_for(client, "bob"),
        json={"subject": "Une idée", "message": "Parlons-en."},
    )
    assert sent.status_code == 202  # the request never waits for the mail server
    assert _deliver(app, smtp) == 0
    session.expire_all()
    [waiting] = session.exec(select(OutgoingMail)).all()
    assert waiting.sent_at is None and waiting.attempts == 1 and waiting.last_error
    assert waiting.next_attempt_at > utcnow() + timedelta(seconds=20)  # backed off
    session.rollback()  # the test's own transaction must not hold SQLite's write lock
    assert _deliver(app, smtp) == 0  # not due yet: not tried again at once
    smtp.start()
    assert _deliver(app, smtp, now=utcnow() + timedelta(minutes=2)) == 1
    [received] = smtp.inbox.messages
    assert received["Subject"] == "[Praxis] Bob Tremblay vous a écrit au sujet de « Chantier »."
    assert "Parlons-en." in received.get_body(("plain",)).get_content()  # the message itself travels


def test_the_daily_digest_gathers_what_was_chosen_for_it(client, session, app, smtp):
    alice = _with_email(session, "alice", "Alice Rivard")
    make_user(session, "bob", name="Bob Tremblay")
    note = make_note(session, alice, title="Chantier")
    secret = make_note(session, alice, title="Brouillon")
    _set(client, "alice", comment="digest")
    bob = token_for(client, "bob")
    for i in range(3):
        client.post(f"/api/v1/notes/{note.id}/comments", headers=bob, json={"body": f"Avis {i}."})
    client.post(f"/api/v1/notes/{secret.id}/comments", headers=bob, json={"body": "Sur le brouillon."})
    assert _deliver(app, smtp) == 0  # nothing at once
    session.expire_all()
    assert notifications.send_digests(session, force=True) == 1
    session.commit()
    assert notifications.send_digests(session) == 0  # once a day
    session.commit()
    assert _deliver(app, smtp) == 1
    [digest] = smtp.inbox.messages
    assert digest["To"] == "alice@exemple.org" and digest["Subject"] == "[Praxis] Votre résumé (4)"
    text = digest.get_body(("plain",)).get_content()
    assert text.count("Bob Tremblay a commenté votre note « Chantier ».") == 3 and "« Brouillon »" in text
    assert notifications.send_digests(session, force=True) == 0  # nothing new: no empty digest


def test_a_visitor_is_answered_by_email_with_the_authors_address_only_if_they_choose(client, session, app, smtp):
    alice = _with_email(session, "alice", "Alice Rivard")
    note = make_note(session, alice, title="Chantier")
    for subject in ("Question 1", "Question 2"):
        client.post(
            f"/api/v1/notes/{note.id}/contact",
            json={"subject": subject, "message": "Bonjour.", "name": "Jeanne Roy", "email": "jeanne@exemple.org"},
        )
    a = token_for(client, "alice")
    received = {m["subject"]: m for m in client.get("/api/v1/me/messages", headers=a).json()}
    assert received["Question 1"]["can_reply"] and not received["Question 1"]["sender"]["has_account"]
    hidden = client.post(
        f"/api/v1/me/messages/{received['Question 1']['id']}/reply", headers=a, json={"message": "Voici."}
    )
    shown = client.post(
        f"/api/v1/me/messages/{received['Question 2']['id']}/reply",
        headers=a,
        json={"message": "Écrivez-moi.", "reveal_address": True},
    )
    assert hidden.status_code == shown.status_code == 201
    _deliver(app, smtp)
    answers = {m["Subject"]: m for m in smtp.inbox.messages if m["To"] == "jeanne@exemple.org"}
    assert set(answers) == {"Re: Question 1", "Re: Question 2"}
    assert (
        answers["Re: Question 1"]["Reply-To"] is None
        and "alice@exemple.org" not in answers["Re: Question 1"].as_string()
    )
    assert answers["Re: Question 2"]["Reply-To"] == "Alice Rivard <alice@exemple.org>"
    assert all(m["From"] == "Praxis <noreply@praxis.example.org>" for m in answers.values())
    assert "Voici." in answers["Re: Question 1"].get_body(("plain",)).get_content()


def test_a_drain_round_forgets_old_sent_and_given_up_mails_once_a_day_and_keeps_the_waiting(session, app, smtp):
    now = utcnow()

    def mail_(subject: str, **values: object) -> OutgoingMail:
        return OutgoingMail(
            to_address="alice@exemple.org",
            subject=subject,
            text="t",
            html="<p>t</p>",
            created_at=now - timedelta(days=200),
            **values,
        )

    session.add_all(
        [
            mail_("envoyé il y a longtemps", sent_at=now - timedelta(days=31)),
            mail_("envoyé ce mois-ci", sent_at=now - timedelta(days=29)),
            mail_("abandonné il y a longtemps", failed_at=now - timedelta(days=91), last_error="550 inconnu"),
            mail_("abandonné récemment", failed_at=now - timedelta(days=60), last_error="550 inconnu"),
            mail_("en attente", next_attempt_at=now + timedelta(hours=1), attempts=40, last_error="hors ligne"),
        ]
    )
    session.commit()
    assert run_round(app.state.engine, app.state.settings) == 0  # nothing due to send
    session.expire_all()
    kept = {m.subject for m in session.exec(select(OutgoingMail)).all()}
    assert kept == {"envoyé ce mois-ci", "abandonné récemment", "en attente"}
    session.add(mail_("envoyé hier, il y a longtemps", sent_at=now - timedelta(days=40)))
    session.commit()
    run_round(app.state.engine, app.state.settings)  # the purge has run today: the next waits a day
    session.expire_all()
    assert "envoyé hier, il y a longtemps" in {m.subject for m in session.exec(select(OutgoingMail)).all()}
    assert smtp.inbox.messages == []


def test_the_background_task_sends_without_anyone_asking(session, settings, smtp):
    app = create_app(settings.model_copy(update={"mail_interval": 0.2}))
    with TestClient(app, base_url="https://testserver") as client:
        alice = _with_email(session, "alice", "Alice Rivard")
        make_user(session, "bob", name="Bob Tremblay")
        note = make_note(session, alice, title="Chantier")
        client.post(
            f"/api/v1/notes/{note.id}/contact",
            headers=token_for(client, "bob"),
            json={"subject": "Bonjour", "message": "Salut."},
        )
        wait_until(lambda: smtp.inbox.messages, timeout=30, message="no mail reached the SMTP server")
    app.state.engine.dispose()
    assert [m["To"] for m in smtp.inbox.messages] == ["alice@exemple.org"]


def test_a_wrong_smtp_url_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="smtp://user:password@host:port"):
        parse_smtp_url("http://mail.example.org")
    server = parse_smtp_url("smtps://ana%40site:s%3Acret@mail.example.org")
    assert (server.host, server.port, server.username, server.password, server.tls) == (
        "mail.example.org",
        465,
        "ana@site",
        "s:cret",
        "implicit",
    )
