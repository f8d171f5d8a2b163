"""Notifications and messages to a note's authors, over the API: who hears of what, and what
may never be seen through them."""

from __future__ import annotations

from html import unescape

from sqlmodel import select

from praxis.models import Message
from praxis.schemas import CarnetCreate
from praxis.carnets import carnets
from tests.factories import browser_for, csrf_from, make_note, make_user, page_text, token_for


def _inbox(client, who: str) -> dict:  # type: ignore[no-untyped-def]
    return client.get("/api/v1/me/notifications", headers=token_for(client, who)).json()


def test_comments_and_replies_tell_the_authors_and_the_one_answered(client, session):
    alice = make_user(session, "alice", name="Alice Rivard")
    make_user(session, "bob", name="Bob Tremblay")
    make_user(session, "carole", name="Carole Roy")
    note = make_note(session, alice, title="Chantier")
    bob, carole = token_for(client, "bob"), token_for(client, "carole")
    asked = client.post(f"/api/v1/notes/{note.id}/comments", headers=bob, json={"body": "Une question."}).json()
    client.post(
        f"/api/v1/notes/{note.id}/comments", headers=carole, json={"body": "Une réponse.", "parent_id": asked["id"]}
    )
    client.post(f"/api/v1/notes/{note.id}/comments", headers=token_for(client, "alice"), json={"body": "Merci à vous."})
    alice_box = _inbox(client, "alice")
    assert [n["text"] for n in alice_box["items"]] == [
        "Carole Roy a commenté votre note « Chantier ».",
        "Bob Tremblay a commenté votre note « Chantier ».",
    ]  # never her own comment
    assert alice_box["unread"] == 2 and alice_box["items"][0]["url"].startswith(
        f"https://praxis.example.org/n/{note.id}/#c-"
    )
    assert [n["kind"] for n in _inbox(client, "bob")["items"]] == ["reply"]
    assert _inbox(client, "carole")["items"] == []


def test_edit_requests_and_their_answers_are_told_without_saying_who_answered(client, session):
    alice = make_user(session, "alice", name="Alice Rivard")
    make_user(session, "bob", name="Bob Tremblay")
    note = make_note(session, alice, title="Chantier")
    asked = client.post(
        f"/api/v1/notes/{note.id}/edit-requests", headers=token_for(client, "bob"), json={"message": "Je peux aider."}
    )
    assert (
        _inbox(client, "alice")["items"][0]["text"] == "Bob Tremblay demande à devenir co-auteur·trice de « Chantier »."
    )
    client.post(f"/api/v1/edit-requests/{asked.json()['id']}/refuse", headers=token_for(client, "alice"))
    told = _inbox(client, "bob")["items"][0]
    assert told["kind"] == "edit_decision" and told["actor"] is None and "Alice" not in told["text"]


def test_a_note_put_in_a_carnet_is_told_only_when_the_author_may_see_the_carnet(client, session):
    alice = make_user(session, "alice")
    bob = make_user(session, "bob", name="Bob Tremblay")
    note = make_note(session, alice, title="Chantier")
    open_carnet = carnets.create(session=session, actor=bob, data=CarnetCreate(title="Récits de pratique"))
    closed_carnet = carnets.create(
        session=session, actor=bob, data=CarnetCreate(title="Carnet privé", visibility="restricted")
    )
    session.commit()
    for carnet in (open_carnet, closed_carnet):
        added = client.post(
            f"/api/v1/carnets/{carnet.id}/notes", headers=token_for(client, "bob"), json={"note_id": note.id}
        )
        assert added.status_code == 201
    box = _inbox(client, "alice")
    assert [n["text"] for n in box["items"]] == [
        "Bob Tremblay a intégré votre note « Chantier » au carnet « Récits de pratique »."
    ]
    assert box["unread"] == 1 and "Carnet privé" not in str(box)


def test_a_note_hidden_since_takes_its_notifications_out_of_sight(client, session):
    alice = make_user(session, "alice")
    make_user(session, "bob")
    note = make_note(session, alice, title="Bientôt secret")
    client.post(f"/api/v1/notes/{note.id}/comments", headers=token_for(client, "bob"), json={"body": "Bonjour."})
    # Bob is notified of the replies to his comment; the note then becomes restricted to Alice.
    client.post(
        f"/api/v1/notes/{note.id}/comments",
        headers=token_for(client, "alice"),
        json={
            "body": "Bonjour Bob.",
            "parent_id": client.get(f"/api/v1/notes/{note.id}/comments").json()["items"][0]["id"],
        },
    )
    assert _inbox(client, "bob")["unread"] == 1
    client.patch(
        f"/api/v1/notes/{note.id}",
        headers=token_for(client, "alice"),
        json={"base_revision": 1, "visibility": "restricted"},
    )
    box = _inbox(client, "bob")
    assert box["items"] == [] and box["unread"] == 0 and box["total"] == 0


def test_notifications_are_marked_read(client, session):
    alice = make_user(session, "alice")
    make_user(session, "bob")
    note = make_note(session, alice)
    bob = token_for(client, "bob")
    for i in range(3):
        client.post(f"/api/v1/notes/{note.id}/comments", headers=bob, json={"body": f"Commentaire {i}."})
    a = token_for(client, "alice")
    first = _inbox(client, "alice")["items"][0]["id"]
    assert client.post("/api/v1/me/notifications/read", headers=a, json={"ids": [first]}).json() == {"marked": 1}
    assert _inbox(client, "alice")["unread"] == 2
    assert client.post("/api/v1/me/notifications/read", headers=bob, json={"ids": [first]}).json() == {
        "marked": 0
    }  # not his
    assert client.post("/api/v1/me/notifications/read", headers=a).json() == {"marked": 2}
    assert client.get("/api/v1/me/notifications").status_code == 401


def test_writing_to_the_authors_never_shows_their_address(client, session):
    alice = make_user(session, "alice", name="Alice Rivard")
    session.get(type(alice), alice.id).email = "alice@exemple.org"
    make_user(session, "maryse", name="Maryse Gervais")
    make_user(session, "bob", name="Bob Tremblay")
    session.commit()
    note = make_note(session, alice, title="Chantier", authors=["alice", "maryse"])
    bob = token_for(client, "bob")
    sent = client.post(
        f"/api/v1/notes/{note.id}/contact", headers=bob, json={"subject": "Une idée", "message": "Peut-on se parler?"}
    )
    assert sent.status_code == 202 and "alice@" not in sent.text
    for who in ("alice", "maryse"):
        received = client.get("/api/v1/me/messages", headers=token_for(client, who)).json()
        assert [(m["subject"], m["sender"]["display_name"], m["note"]["title"]) for m in received] == [
            ("Une idée", "Bob Tremblay", "Chantier")
        ]
        assert _inbox(client, who)["items"][0]["text"] == "Bob Tremblay vous a écrit au sujet de « Chantier »."
    message = client.get("/api/v1/me/messages", headers=token_for(client, "alice")).json()[0]
    answered = client.post(
        f"/api/v1/me/messages/{message['id']}/reply",
        headers=token_for(client, "alice"),
        json={"message": "Avec plaisir."},
    )
    assert answered.status_code == 201
    back = client.get("/api/v1/me/messages", headers=bob).json()
    assert [(m["subject"], m["body"], m["sender"]["display_name"]) for m in back] == [
        ("Re: Une idée", "Avec plaisir.", "Alice Rivard")
    ]
    assert (
        "alice@exemple.org" not in str(back)
        and "alice@exemple.org" not in client.get("/api/v1/me/messages", headers=bob).text
    )
    assert (
        client.post(f"/api/v1/me/messages/{message['id']}/reply", headers=bob, json={"message": "x"}).status_code == 404
    )


def test_visitors_write_with_a_name_and_an_address_behind_a_honeypot_and_a_limit(client, session):
    alice = make_user(session, "alice")
    note = make_note(session, alice, title="Chantier")
    missing = client.post(f"/api/v1/notes/{note.id}/contact", json={"subject": "Bonjour", "message": "Un mot."})
    assert missing.status_code == 422 and missing.json()["detail"][0]["loc"] == ["body", "name"]
    robot = client.post(
        f"/api/v1/notes/{note.id}/contact",
        json={
            "subject": "Promo",
            "message": "Achetez",
            "name": "Bot",
            "email": "bot@spam.example",
            "website": "http://spam",
        },
    )
    assert robot.status_code == 202  # a robot learns nothing
    visitor = {
        "subject": "Bonjour",
        "message": "Merci pour la note.",
        "name": "Jeanne Roy",
        "email": "jeanne@exemple.org",
    }
    for _ in range(3):
        assert client.post(f"/api/v1/notes/{note.id}/contact", json=visitor).status_code == 202
    limited = client.post(f"/api/v1/notes/{note.id}/contact", json=visitor)
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 0
    received = client.get("/api/v1/me/messages", headers=token_for(client, "alice")).json()
    assert len(received) == 3 and received[0]["sender"] == {
        "username": None,
        "display_name": "Jeanne Roy",
        "url": None,
        "has_account": False,
    }
    assert "jeanne@exemple.org" not in str(received) and received[0]["can_reply"]  # answered by email, through the site
    assert all(m.subject != "Promo" for m in session.exec(select(Message)).all())
    bad = client.post(f"/api/v1/notes/{note.id}/contact", json={**visitor, "email": "pas-une-adresse"})
    assert bad.status_code == 422


def test_what_may_not_be_seen_cannot_be_written_to_and_profiles_without_login_receive_nothing(client, session):
    alice = make_user(session, "alice")
    make_user(session, "bob")
    make_user(session, "ghost", password=None)  # a profile made from an imported name
    secret = make_note(session, alice, title="Secret", visibility="restricted")
    bob = token_for(client, "bob")
    assert (
        client.post(
            f"/api/v1/notes/{secret.id}/contact", headers=bob, json={"subject": "x", "message": "y"}
        ).status_code
        == 404
    )
    orphan = make_note(session, alice, title="Orpheline", authors=["ghost"])
    client.patch(
        f"/api/v1/notes/{orphan.id}",
        headers=token_for(client, "alice"),
        json={"base_revision": 1, "authors": ["ghost"]},
    )
    assert client.get(f"/api/v1/notes/{orphan.id}", headers=bob).json()["can_contact"] is False
    refused = client.post(f"/api/v1/notes/{orphan.id}/contact", headers=bob, json={"subject": "x", "message": "y"})
    assert refused.status_code == 422 and "No author of this note has an account" in refused.text
    assert refused.json()["detail"][0]["loc"] == ["body", "message"]
    for _ in range(5):
        client.post(
            f"/api/v1/notes/{make_note(session, alice).id}/contact", headers=bob, json={"subject": "x", "message": "y"}
        )
    assert (
        client.post(
            f"/api/v1/notes/{make_note(session, alice).id}/contact", headers=bob, json={"subject": "x", "message": "y"}
        ).status_code
        == 429
    )


def test_a_message_or_subject_too_long_is_refused_naming_the_field(client, session, app):
    alice = make_user(session, "alice")
    bob = make_user(session, "bob")
    note = make_note(session, alice, title="Chantier")
    headers = token_for(client, "bob")
    for payload, field in (
        ({"subject": "Une idée", "message": "m" * 5001}, "message"),
        ({"subject": "s" * 201, "message": "Un mot."}, "subject"),
    ):
        refused = client.post(f"/api/v1/notes/{note.id}/contact", headers=headers, json=payload)
        assert refused.status_code == 422, refused.text
        assert [e["loc"] for e in refused.json()["detail"]] == [["body", field]]
    at_the_limit = client.post(
        f"/api/v1/notes/{note.id}/contact", headers=headers, json={"subject": "s" * 200, "message": "m" * 5000}
    )
    assert at_the_limit.status_code == 202
    assert [len(m["body"]) for m in client.get("/api/v1/me/messages", headers=token_for(client, "alice")).json()] == [
        5000
    ]
    # The form under the note says what is wrong, and gives back what was typed.
    browser = browser_for(app, session, bob)
    page = browser.get(f"/n/{note.id}/")
    long_message = "Un long message. " * 300  # 5 100 characters
    sent = browser.post(
        f"/n/{note.id}/contact",
        data={
            "csrf_token": csrf_from(page.text, f"/n/{note.id}/contact"),
            "subject": "Une idée",
            "message": long_message,
        },
    )
    assert sent.status_code == 422
    contact = sent.text[sent.text.index('<section id="contact"') :]
    contact = contact[: contact.index("</section>")]
    assert "Certains champs sont à corriger" in contact and page_text(contact).count("Ce texte est trop long.") == 1
    assert "Message : Ce texte est trop long." in page_text(contact)  # the field named as the form names it
    assert long_message in unescape(contact) and 'value="Une idée"' in contact
    too_long_subject = browser.post(
        f"/n/{note.id}/contact",
        data={"csrf_token": csrf_from(page.text, f"/n/{note.id}/contact"), "subject": "S" * 201, "message": "Un mot."},
    )
    assert (
        too_long_subject.status_code == 422 and page_text(too_long_subject.text).count("Ce texte est trop long.") == 1
    )
    assert "Objet : Ce texte est trop long." in page_text(too_long_subject.text)
    assert f'value="{"S" * 201}"' in too_long_subject.text and ">Un mot.</textarea>" in too_long_subject.text
    assert (
        len(client.get("/api/v1/me/messages", headers=token_for(client, "alice")).json()) == 1
    )  # nothing more was sent
