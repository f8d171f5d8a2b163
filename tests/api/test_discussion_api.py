"""A note's discussion over the API: threads, edits kept, deletion, moderation, closing, limits,
and comments that follow their note's visibility everywhere."""

from __future__ import annotations

import feedparser
from sqlmodel import select

from praxis.models import Comment
from praxis.schemas import CommunityCreate
from praxis.people import communities
from tests.factories import make_note, make_user, token_for


def _post(client, note_id: str, headers: dict, body: str, parent_id: str | None = None):  # type: ignore[no-untyped-def]
    payload = {"body": body} | ({"parent_id": parent_id} if parent_id else {})
    return client.post(f"/api/v1/notes/{note_id}/comments", headers=headers, json=payload)


def test_a_thread_is_read_depth_first_with_replies_under_what_they_answer(client, session):
    alice = make_user(session, "alice", name="Alice Rivard")
    make_user(session, "bob", name="Bob Tremblay")
    note = make_note(session, alice, title="Chantier")
    a, b = token_for(client, "alice"), token_for(client, "bob")
    first = _post(client, note.id, b, "Premier **commentaire**.")
    assert first.status_code == 201 and first.headers["location"].endswith(f"/n/{note.id}/#c-{first.json()['id']}")
    assert first.json()["html"] == "<p>Premier <strong>commentaire</strong>.</p>\n"
    second = _post(client, note.id, a, "Deuxième.").json()
    reply = _post(client, note.id, a, "Réponse au premier.", first.json()["id"]).json()
    deeper = _post(client, note.id, b, "Réponse à la réponse.", reply["id"]).json()
    assert deeper["depth"] == 2
    thread = client.get(f"/api/v1/notes/{note.id}/comments").json()
    assert [(c["body"], c["depth"]) for c in thread["items"]] == [
        ("Premier **commentaire**.", 0),
        ("Réponse au premier.", 1),
        ("Réponse à la réponse.", 2),
        ("Deuxième.", 0),
    ]
    assert thread["total"] == 4 and thread["closed"] is False and thread["can_comment"] is False  # a visitor
    assert thread["items"][0]["author"]["display_name"] == "Bob Tremblay"
    other = make_note(session, alice, title="Autre")
    wrong = _post(client, other.id, a, "Réponse ailleurs.", first.json()["id"])
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["loc"] == ["body", "parent_id"]
    assert second["can_edit"] and second["can_hide"]  # the note's author moderates its discussion
    assert not client.get(f"/api/v1/comments/{first.json()['id']}", headers=b).json()["can_hide"]


def test_links_are_ugc_markup_is_text_and_sizes_are_limited(client, session):
    alice = make_user(session, "alice")
    note = make_note(session, alice)
    h = token_for(client, "alice")
    made = _post(client, note.id, h, "Voir https://exemple.org et <script>alert(1)</script>\n\n# Discussion").json()
    assert '<a href="https://exemple.org" rel="nofollow ugc noopener noreferrer">' in made["html"]
    assert "<script>" not in made["html"] and "&lt;script&gt;" in made["html"]
    assert 'id="' not in made["html"]  # no heading anchor can take the page's own ids
    assert _post(client, note.id, h, "x" * 10_001).status_code == 422
    assert _post(client, note.id, h, "   ").status_code == 422
    assert _post(client, note.id, h, "nul\x00").status_code == 422


def test_editing_marks_the_comment_and_keeps_what_it_said(client, session):
    alice = make_user(session, "alice")
    make_user(session, "bob")
    note = make_note(session, alice)
    made = _post(client, note.id, token_for(client, "bob"), "Première version.").json()
    bob = token_for(client, "bob")
    changed = client.patch(f"/api/v1/comments/{made['id']}", headers=bob, json={"body": "Seconde version."})
    assert changed.status_code == 200 and changed.json()["edited_at"] is not None
    again = client.patch(f"/api/v1/comments/{made['id']}", headers=bob, json={"body": "Troisième version."}).json()
    assert [e["body"] for e in again["edits"]] == ["Seconde version.", "Première version."]
    assert client.get(f"/api/v1/comments/{made['id']}").json()["edits"][1]["body"] == "Première version."
    assert (
        client.patch(
            f"/api/v1/comments/{made['id']}", headers=token_for(client, "alice"), json={"body": "x"}
        ).status_code
        == 403
    )
    # Not signed in: 401, as everywhere (signing in may be all that is missing).
    assert client.patch(f"/api/v1/comments/{made['id']}", json={"body": "x"}).status_code == 401


def test_deleting_removes_the_words_and_keeps_a_replys_place(client, session):
    alice = make_user(session, "alice")
    make_user(session, "bob")
    note = make_note(session, alice)
    bob, a = token_for(client, "bob"), token_for(client, "alice")
    lonely = _post(client, note.id, bob, "Seul.").json()
    answered = _post(client, note.id, bob, "Question?").json()
    client.patch(f"/api/v1/comments/{answered['id']}", headers=bob, json={"body": "Question modifiée?"})
    _post(client, note.id, a, "Réponse.", answered["id"])
    assert client.delete(f"/api/v1/comments/{lonely['id']}", headers=a).status_code == 403
    for comment in (lonely, answered):
        assert client.delete(f"/api/v1/comments/{comment['id']}", headers=bob).status_code == 204
    items = client.get(f"/api/v1/notes/{note.id}/comments").json()["items"]
    assert [(i["state"], i["body"], i["author"]) for i in items[:1]] == [("deleted", None, None)]
    assert [i["body"] for i in items] == [None, "Réponse."]  # the lonely one is gone, the answered one holds its place
    assert client.get(f"/api/v1/comments/{answered['id']}").status_code == 404
    assert client.delete(f"/api/v1/comments/{answered['id']}", headers=bob).status_code == 404
    session.expire_all()
    assert all("Question" not in c.body for c in session.exec(select(Comment)).all())  # the words are gone


def test_authors_hide_with_a_reason_and_admins_restore(client, session):
    alice = make_user(session, "alice")
    make_user(session, "bob")
    make_user(session, "carole")
    make_user(session, "root", admin=True)
    note = make_note(session, alice)
    spam = _post(client, note.id, token_for(client, "bob"), "Achetez maintenant!").json()
    assert (
        client.post(
            f"/api/v1/comments/{spam['id']}/hide", headers=token_for(client, "carole"), json={"reason": "x"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/api/v1/comments/{spam['id']}/hide", headers=token_for(client, "alice"), json={"reason": ""}
        ).status_code
        == 422
    )
    hidden = client.post(
        f"/api/v1/comments/{spam['id']}/hide", headers=token_for(client, "alice"), json={"reason": "Publicité"}
    )
    assert hidden.status_code == 200 and hidden.json()["state"] == "hidden"
    seen = {
        who: client.get(f"/api/v1/notes/{note.id}/comments", headers=token_for(client, who) if who else {}).json()
        for who in ("carole", "bob", "alice", None)
    }
    assert (seen["carole"]["items"][0]["body"], seen["carole"]["items"][0]["hidden_reason"]) == (None, "Publicité")
    assert seen[None]["items"][0]["html"] is None and seen[None]["total"] == 0
    assert seen["bob"]["items"][0]["body"] == "Achetez maintenant!"  # its author still sees it
    assert seen["alice"]["items"][0]["body"] == "Achetez maintenant!"  # and the note's authors
    assert client.post(f"/api/v1/comments/{spam['id']}/restore", headers=token_for(client, "alice")).status_code == 403
    again = client.post(
        f"/api/v1/comments/{spam['id']}/hide", headers=token_for(client, "root"), json={"reason": "Autre raison"}
    )
    assert again.status_code == 409 and "already hidden" in again.json()["detail"]  # who hid it, and why, are kept
    assert client.get(f"/api/v1/comments/{spam['id']}", headers=token_for(client, "alice")).json()["hidden_reason"] == (
        "Publicité"
    )
    back = client.post(f"/api/v1/comments/{spam['id']}/restore", headers=token_for(client, "root"))
    assert back.json()["state"] == "visible" and back.json()["hidden_reason"] is None
    assert client.get(f"/api/v1/notes/{note.id}/comments").json()["total"] == 1
    twice = client.post(f"/api/v1/comments/{spam['id']}/restore", headers=token_for(client, "root"))
    assert twice.status_code == 409  # not hidden: nothing to restore, as the page offers nothing


def test_authors_close_the_discussion_and_open_it_again(client, session):
    alice = make_user(session, "alice")
    make_user(session, "bob")
    note = make_note(session, alice)
    bob = token_for(client, "bob")
    made = _post(client, note.id, bob, "Avant.").json()
    assert client.patch(f"/api/v1/notes/{note.id}/discussion", headers=bob, json={"closed": True}).status_code == 403
    closed = client.patch(
        f"/api/v1/notes/{note.id}/discussion", headers=token_for(client, "alice"), json={"closed": True}
    )
    assert closed.status_code == 200 and closed.json()["closed"] is True
    assert _post(client, note.id, bob, "Après.").status_code == 403
    assert client.patch(f"/api/v1/comments/{made['id']}", headers=bob, json={"body": "Changé."}).status_code == 403
    assert client.get(f"/api/v1/notes/{note.id}/comments").json()["items"][0]["body"] == "Avant."  # still readable
    client.patch(f"/api/v1/notes/{note.id}/discussion", headers=token_for(client, "alice"), json={"closed": False})
    assert _post(client, note.id, bob, "Après.").status_code == 201
    assert client.get(f"/api/v1/notes/{note.id}").json()["revision"] == 1  # closing is not a revision


def test_too_many_comments_in_a_short_time_is_429(client, session):
    alice = make_user(session, "alice")
    note = make_note(session, alice)
    h = token_for(client, "alice")
    for i in range(10):
        assert _post(client, note.id, h, f"Message {i}.").status_code == 201
    refused = _post(client, note.id, h, "Un de trop.")
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    assert client.get(f"/api/v1/notes/{note.id}/comments").json()["total"] == 10


def test_comments_follow_their_notes_visibility_everywhere(client, session):
    alice = make_user(session, "alice")
    make_user(session, "bob")
    make_user(session, "carole")
    secret = make_note(session, alice, title="Secret", visibility="restricted", readers=["bob"])
    made = _post(client, secret.id, token_for(client, "bob"), "Entre nous.").json()
    community = communities.create(session=session, actor=alice, data=CommunityCreate(name="Cercle"))
    session.commit()
    inner = make_note(session, alice, title="Interne", visibility="community", community=community.id)
    _post(client, inner.id, token_for(client, "alice"), "Pour le cercle.")
    carole = token_for(client, "carole")
    for who in ({}, carole):
        for path in (
            f"/api/v1/notes/{secret.id}/comments",
            f"/api/v1/comments/{made['id']}",
            f"/api/v1/notes/{inner.id}/comments",
        ):
            response = client.get(path, headers=who)
            assert response.status_code == 404 and "Entre nous" not in response.text, path
        assert _post(client, secret.id, who, "Intrus.").status_code in (401, 404)
        assert client.patch(f"/api/v1/comments/{made['id']}", headers=who, json={"body": "x"}).status_code == 404
        assert client.post(f"/api/v1/comments/{made['id']}/hide", headers=who, json={"reason": "x"}).status_code == 404
        listed = client.get("/api/v1/notes", headers=who).json()["items"]
        assert all(item["id"] not in (secret.id, inner.id) for item in listed)
    assert client.get(f"/n/{secret.id}/discussion.atom").status_code == 404
    assert client.get(f"/n/{inner.id}/discussion.atom").status_code == 404
    mine = client.get("/api/v1/notes", headers=token_for(client, "bob")).json()["items"]
    assert next(i for i in mine if i["id"] == secret.id)["comment_count"] == 1


def test_counts_on_lists_and_the_public_feed(client, session):
    alice = make_user(session, "alice", name="Alice Rivard")
    note = make_note(session, alice, title="Chantier")
    h = token_for(client, "alice")
    kept = _post(client, note.id, h, "Un *avis*.").json()
    gone = _post(client, note.id, h, "Retiré.").json()
    client.delete(f"/api/v1/comments/{gone['id']}", headers=h)
    assert next(i for i in client.get("/api/v1/notes").json()["items"] if i["id"] == note.id)["comment_count"] == 1
    feed = client.get(f"/n/{note.id}/discussion.atom")
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(feed.text)
    assert [e.link for e in parsed.entries] == [kept["url"]]
    assert parsed.entries[0].author == "Alice Rivard" and "<em>avis</em>" in parsed.entries[0].content[0].value


def test_a_hidden_comment_leaves_the_counts_on_lists(client, session):
    alice = make_user(session, "alice")
    make_user(session, "bob")
    make_user(session, "root", admin=True)
    note = make_note(session, alice, title="Chantier")
    bob = token_for(client, "bob")
    _post(client, note.id, bob, "Un avis.")
    spam = _post(client, note.id, bob, "Achetez maintenant!").json()

    def count() -> int:
        return next(i for i in client.get("/api/v1/notes").json()["items"] if i["id"] == note.id)["comment_count"]

    assert count() == 2
    assert (
        client.post(
            f"/api/v1/comments/{spam['id']}/hide", headers=token_for(client, "alice"), json={"reason": "Publicité"}
        ).status_code
        == 200
    )
    assert count() == 1
    restored = client.post(f"/api/v1/comments/{spam['id']}/restore", headers=token_for(client, "root"))
    assert restored.status_code == 200, restored.text
    assert count() == 2


def test_a_hidden_comment_cannot_be_answered_and_its_author_hears_nothing(client, session):
    alice = make_user(session, "alice")
    make_user(session, "bob")
    make_user(session, "carole")
    note = make_note(session, alice, title="Chantier")
    spam = _post(client, note.id, token_for(client, "bob"), "Achetez maintenant!").json()
    client.post(f"/api/v1/comments/{spam['id']}/hide", headers=token_for(client, "alice"), json={"reason": "Publicité"})
    carole = token_for(client, "carole")
    refused = _post(client, note.id, carole, "Je réponds quand même.", spam["id"])
    assert refused.status_code == 409
    assert refused.json()["detail"] == "The comment answered is hidden: it can no longer be replied to."
    assert [i["body"] for i in client.get(f"/api/v1/notes/{note.id}/comments", headers=carole).json()["items"]] == [
        None
    ]
    box = client.get("/api/v1/me/notifications", headers=token_for(client, "bob")).json()
    assert box["items"] == [] and box["unread"] == 0
    assert (
        _post(client, note.id, carole, "Un commentaire à part.").status_code == 201
    )  # the discussion itself stays open
