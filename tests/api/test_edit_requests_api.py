"""Edit requests: ask, answer, and the requester hears the outcome without a name."""

import pytest

from tests.factories import make_user, token_for


@pytest.fixture
def people(client, session):
    for name in ("alice", "bob", "carl"):
        make_user(session, name, name=name.capitalize())
    return {name: token_for(client, name) for name in ("alice", "bob", "carl")}


def test_a_reader_asks_and_an_author_approves(client, people):
    note = client.post("/api/v1/notes", json={"title": "Ouverte"}, headers=people["alice"]).json()
    asked = client.post(
        f"/api/v1/notes/{note['id']}/edit-requests", json={"message": "Je peux aider."}, headers=people["bob"]
    )
    assert asked.status_code == 201 and asked.json()["status"] == "pending"
    again = client.post(f"/api/v1/notes/{note['id']}/edit-requests", json={}, headers=people["bob"])
    assert again.status_code == 409
    assert client.post(f"/api/v1/notes/{note['id']}/edit-requests", json={}, headers=people["alice"]).status_code == 409
    seen_by_author = client.get(f"/api/v1/notes/{note['id']}/edit-requests", headers=people["alice"]).json()
    assert [(r["requester"], r["message"]) for r in seen_by_author] == [("bob", "Je peux aider.")]
    assert client.get(f"/api/v1/notes/{note['id']}/edit-requests", headers=people["carl"]).json() == []
    rid = asked.json()["id"]
    assert client.post(f"/api/v1/edit-requests/{rid}/approve", headers=people["bob"]).status_code == 403
    # Someone else's request is not Carl's to see: it answers as an id that names nothing.
    refused = client.post(f"/api/v1/edit-requests/{rid}/approve", headers=people["carl"])
    assert (refused.status_code, refused.json()) == (404, {"detail": "No such request."})
    approved = client.post(f"/api/v1/edit-requests/{rid}/approve", headers=people["alice"])
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    after = client.get(f"/api/v1/notes/{note['id']}").json()
    assert [a["username"] for a in after["authors"]] == ["alice", "bob"] and after["revision"] == 2
    assert client.post(f"/api/v1/edit-requests/{rid}/refuse", headers=people["alice"]).status_code == 409
    edit = client.patch(
        f"/api/v1/notes/{note['id']}", json={"base_revision": 2, "body": "Par Bob"}, headers=people["bob"]
    )
    assert edit.status_code == 200


def test_refusal_is_told_without_naming_who_refused(client, people):
    note = client.post("/api/v1/notes", json={"title": "Ouverte"}, headers=people["alice"]).json()
    rid = client.post(f"/api/v1/notes/{note['id']}/edit-requests", headers=people["bob"]).json()["id"]
    client.post(f"/api/v1/edit-requests/{rid}/refuse", headers=people["alice"])
    mine = client.get("/api/v1/me/edit-requests", headers=people["bob"]).json()
    assert [r["status"] for r in mine] == ["refused"]
    assert "alice" not in str(mine).lower()
    assert [a["username"] for a in client.get(f"/api/v1/notes/{note['id']}").json()["authors"]] == ["alice"]


def test_only_readers_can_ask(client, people):
    hidden = client.post(
        "/api/v1/notes", json={"title": "Cachée", "visibility": "restricted"}, headers=people["alice"]
    ).json()
    assert client.post(f"/api/v1/notes/{hidden['id']}/edit-requests", headers=people["bob"]).status_code == 404
    public = client.post("/api/v1/notes", json={"title": "Publique"}, headers=people["alice"]).json()
    assert client.post(f"/api/v1/notes/{public['id']}/edit-requests").status_code == 401
    assert client.post("/api/v1/edit-requests/inexistante/approve", headers=people["alice"]).status_code == 404


def test_revision_metadata_never_names_notes_the_reader_cannot_see(client, people):
    secret = client.post(
        "/api/v1/notes", json={"title": "Secrète", "visibility": "restricted"}, headers=people["alice"]
    ).json()
    note = client.post(
        "/api/v1/notes", json={"title": "Publique", "links": [secret["id"]]}, headers=people["alice"]
    ).json()
    client.patch(f"/api/v1/notes/{note['id']}", json={"base_revision": 1, "links": []}, headers=people["alice"])
    for headers in (None, people["bob"]):
        rev = client.get(f"/api/v1/notes/{note['id']}/revisions/1", headers=headers).json()
        assert rev["meta"]["links"] == []
        diff = client.get(f"/api/v1/notes/{note['id']}/diff", params={"from": 1, "to": 2}, headers=headers).json()
        assert secret["id"] not in str(diff)
        assert secret["id"] not in client.get(f"/n/{note['id']}/diff?from=1&to=2", headers=headers).text
    assert client.get(f"/api/v1/notes/{note['id']}/revisions/1", headers=people["alice"]).json()["meta"]["links"] == [
        secret["id"]
    ]


def test_a_deleted_note_takes_no_edit_request_and_says_why(client, session, people):
    make_user(session, "adam", admin=True)
    admin = token_for(client, "adam")
    note = client.post("/api/v1/notes", json={"title": "Supprimée"}, headers=people["alice"]).json()
    assert client.delete(f"/api/v1/notes/{note['id']}", headers=people["alice"]).status_code == 204
    read = client.get(f"/api/v1/notes/{note['id']}", headers=admin).json()  # admins still read it
    assert read["deleted_at"] is not None and read["can_request_edit"] is False
    asked = client.post(f"/api/v1/notes/{note['id']}/edit-requests", json={}, headers=admin)
    assert asked.status_code == 403
    assert asked.json() == {"detail": "This note is deleted: no one can ask to edit it."}
    # For anyone else it is gone.
    assert client.post(f"/api/v1/notes/{note['id']}/edit-requests", json={}, headers=people["bob"]).status_code == 404
    live = client.post("/api/v1/notes", json={"title": "Vivante"}, headers=people["alice"]).json()
    assert client.get(f"/api/v1/notes/{live['id']}", headers=people["bob"]).json()["can_request_edit"] is True
    assert client.get(f"/api/v1/notes/{live['id']}", headers=people["alice"]).json()["can_request_edit"] is False


def test_someone_invited_accepts_rather_than_asks(client, people):
    note = client.post("/api/v1/notes", json={"title": "Invitée", "authors": ["bob"]}, headers=people["alice"]).json()
    read = client.get(f"/api/v1/notes/{note['id']}", headers=people["bob"]).json()
    assert read["invitation"] and read["can_request_edit"] is False
    asked = client.post(f"/api/v1/notes/{note['id']}/edit-requests", json={}, headers=people["bob"])
    assert asked.status_code == 409
    assert asked.json() == {"detail": "You are already invited to co-sign this note: accept the invitation."}
    assert client.get(f"/api/v1/notes/{note['id']}/edit-requests", headers=people["alice"]).json() == []
