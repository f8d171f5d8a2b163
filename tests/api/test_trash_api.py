"""The trash over the JSON API: who brings a deleted note back, for how long, and what comes back."""

from datetime import timedelta

import sqlalchemy as sa

from praxis.models import Note, utcnow
from tests.factories import make_user, token_for


def _people(client, session):
    make_user(session, "alice", name="Alice Rivard")
    make_user(session, "bob")
    make_user(session, "admin", admin=True)
    return token_for(client, "alice"), token_for(client, "bob"), token_for(client, "admin")


def test_an_author_brings_a_deleted_note_back_everywhere_it_was(client, session):
    alice, bob, admin = _people(client, session)
    target = client.post("/api/v1/notes", json={"title": "Cible"}, headers=alice).json()
    note = client.post(
        "/api/v1/notes", json={"title": "Jardins partagés", "body": "Voir [[Cible]]. Des potagers."}, headers=alice
    ).json()
    assert client.delete(f"/api/v1/notes/{note['id']}", headers=alice).status_code == 204
    assert client.get("/api/v1/search", params={"q": "potagers"}).json()["total"] == 0
    assert client.get(f"/api/v1/notes/{target['id']}").json()["backlinks"] == []

    trash = client.get("/api/v1/trash", headers=alice).json()
    assert [(i["id"], i["title"]) for i in trash["items"]] == [(note["id"], "Jardins partagés")]
    assert (trash["total"], trash["page"], trash["per_page"]) == (1, 1, 50)
    assert client.get("/api/v1/trash", headers=bob).json()["items"] == []  # not his note
    assert [i["id"] for i in client.get("/api/v1/trash", headers=admin).json()["items"]] == [note["id"]]
    assert client.get("/api/v1/trash").status_code == 401

    back = client.post(f"/api/v1/notes/{note['id']}/undelete", headers=alice)
    assert back.status_code == 200, back.text
    assert (back.json()["title"], back.json()["body"], back.json()["revision"]) == (
        "Jardins partagés",
        "Voir [[Cible]]. Des potagers.",
        note["revision"],
    )
    assert back.json()["deleted_at"] is None
    assert client.get(f"/api/v1/notes/{note['id']}").status_code == 200
    assert [i["id"] for i in client.get("/api/v1/notes").json()["items"]] == [note["id"], target["id"]]
    assert [i["id"] for i in client.get("/api/v1/search", params={"q": "potagers"}).json()["items"]] == [note["id"]]
    assert [n["id"] for n in client.get(f"/api/v1/notes/{target['id']}").json()["backlinks"]] == [note["id"]]
    assert client.get("/api/v1/trash", headers=alice).json()["items"] == []


def test_only_its_authors_and_admins_bring_a_note_back(client, session):
    alice, bob, admin = _people(client, session)
    note = client.post("/api/v1/notes", json={"title": "Éphémère"}, headers=alice).json()
    url = f"/api/v1/notes/{note['id']}/undelete"
    live = client.post(url, headers=alice)
    assert live.status_code == 409 and "not deleted" in live.json()["detail"]
    assert client.post(url, headers=bob).status_code == 404  # public and live, but not his
    client.delete(f"/api/v1/notes/{note['id']}", headers=alice)
    assert client.post(url, headers=bob).status_code == 404
    assert client.post(url).status_code == 401
    assert client.post("/api/v1/notes/inexistant/undelete", headers=alice).status_code == 404
    assert client.post(url, headers=admin).status_code == 200
    assert client.get(f"/api/v1/notes/{note['id']}").status_code == 200


def test_past_thirty_days_a_deleted_note_leaves_the_trash_and_stays_deleted(client, session):
    alice, _, admin = _people(client, session)
    note = client.post("/api/v1/notes", json={"title": "Ancienne"}, headers=alice).json()
    client.delete(f"/api/v1/notes/{note['id']}", headers=alice)
    session.execute(sa.update(Note).where(Note.id == note["id"]).values(deleted_at=utcnow() - timedelta(days=29)))
    session.commit()
    assert [i["id"] for i in client.get("/api/v1/trash", headers=alice).json()["items"]] == [note["id"]]
    session.execute(sa.update(Note).where(Note.id == note["id"]).values(deleted_at=utcnow() - timedelta(days=31)))
    session.commit()
    assert client.get("/api/v1/trash", headers=alice).json() == {"items": [], "total": 0, "page": 1, "per_page": 50}
    for who in (alice, admin):
        refused = client.post(f"/api/v1/notes/{note['id']}/undelete", headers=who)
        assert refused.status_code == 409 and "30 days" in refused.json()["detail"]
    assert client.get(f"/api/v1/notes/{note['id']}").status_code == 404
    assert client.get(f"/api/v1/notes/{note['id']}/revisions", headers=admin).status_code == 200  # kept, not erased
