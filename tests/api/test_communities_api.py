"""Communities: creation, membership, and notes kept among members."""

import pytest

from tests.factories import accept_all, make_user, token_for


@pytest.fixture
def people(client, session):
    for name in ("alice", "bob", "carl"):
        make_user(session, name)
    return {name: token_for(client, name) for name in ("alice", "bob", "carl")}


def test_the_creator_manages_and_adds_members(client, people):
    created = client.post(
        "/api/v1/communities", json={"name": "Cercle IA", "description": "Veille partagée"}, headers=people["alice"]
    )
    assert created.status_code == 201
    cid = created.json()["id"]
    assert created.json()["members"][0] == {**created.json()["members"][0], "username": "alice", "role": "manager"}
    added = client.post(f"/api/v1/communities/{cid}/members", json={"username": "bob"}, headers=people["alice"])
    assert added.status_code == 201 and {m["username"] for m in added.json()["members"]} == {"alice", "bob"}
    assert (
        client.post(f"/api/v1/communities/{cid}/members", json={"username": "carl"}, headers=people["bob"]).status_code
        == 403
    )
    assert (
        client.post(
            f"/api/v1/communities/{cid}/members", json={"username": "personne"}, headers=people["alice"]
        ).status_code
        == 422
    )
    assert (
        client.post(
            f"/api/v1/communities/{cid}/members", json={"username": "carl", "role": "roi"}, headers=people["alice"]
        ).status_code
        == 422
    )
    # Members are listed to members only; the name is public.
    assert client.get(f"/api/v1/communities/{cid}").json()["members"] == []
    assert len(client.get(f"/api/v1/communities/{cid}", headers=people["bob"]).json()["members"]) == 2
    assert client.get("/api/v1/communities/inexistante").status_code == 404


def test_a_community_keeps_a_manager(client, people):
    cid = client.post("/api/v1/communities", json={"name": "Cercle"}, headers=people["alice"]).json()["id"]
    assert client.delete(f"/api/v1/communities/{cid}/members/alice", headers=people["alice"]).status_code == 422
    client.post(
        f"/api/v1/communities/{cid}/members", json={"username": "bob", "role": "manager"}, headers=people["alice"]
    )
    assert client.delete(f"/api/v1/communities/{cid}/members/alice", headers=people["alice"]).status_code == 204


def test_community_notes_need_a_community_the_author_belongs_to(client, people):
    cid = client.post("/api/v1/communities", json={"name": "Cercle"}, headers=people["alice"]).json()["id"]
    missing = client.post(
        "/api/v1/notes", json={"title": "Sans communauté", "visibility": "community"}, headers=people["alice"]
    )
    assert missing.status_code == 422 and missing.json()["detail"][0]["loc"] == ["body", "community"]
    outsider = client.post(
        "/api/v1/notes", json={"title": "Intrus", "visibility": "community", "community": cid}, headers=people["bob"]
    )
    assert outsider.status_code == 422
    note = client.post(
        "/api/v1/notes",
        json={"title": "Entre membres", "visibility": "community", "community": cid},
        headers=people["alice"],
    )
    assert note.status_code == 201 and note.json()["community"]["id"] == cid
    nid = note.json()["id"]
    assert client.get(f"/api/v1/notes/{nid}", headers=people["bob"]).status_code == 404
    client.post(f"/api/v1/communities/{cid}/members", json={"username": "bob"}, headers=people["alice"])
    assert client.get(f"/api/v1/notes/{nid}", headers=people["bob"]).status_code == 200
    client.delete(f"/api/v1/communities/{cid}/members/bob", headers=people["bob"])  # bob leaves
    assert client.get(f"/api/v1/notes/{nid}", headers=people["bob"]).status_code == 404


def test_readers_see_a_restricted_note_and_only_authors_see_who_they_are(client, people):
    note = client.post(
        "/api/v1/notes",
        json={"title": "Restreinte", "visibility": "restricted", "readers": ["bob"]},
        headers=people["alice"],
    ).json()
    assert note["readers"] == ["bob"]
    as_bob = client.get(f"/api/v1/notes/{note['id']}", headers=people["bob"])
    assert as_bob.status_code == 200 and as_bob.json()["readers"] == []
    assert (
        client.get(f"/api/v1/notes/{note['id']}/revisions/1", headers=people["bob"]).json()["meta"].get("readers")
        is None
    )
    assert client.get(f"/api/v1/notes/{note['id']}", headers=people["carl"]).status_code == 404
    changed = client.patch(
        f"/api/v1/notes/{note['id']}", json={"base_revision": 1, "readers": ["carl"]}, headers=people["alice"]
    )
    assert changed.json()["readers"] == ["carl"] and changed.json()["revision"] == 2
    assert client.get(f"/api/v1/notes/{note['id']}", headers=people["bob"]).status_code == 404
    unknown = client.patch(
        f"/api/v1/notes/{note['id']}", json={"base_revision": 2, "readers": ["personne"]}, headers=people["alice"]
    )
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["loc"] == ["body", "readers"]


def test_authors_add_and_remove_co_authors_but_never_the_last(client, people):
    note = client.post("/api/v1/notes", json={"title": "À plusieurs"}, headers=people["alice"]).json()
    invited = client.patch(
        f"/api/v1/notes/{note['id']}", json={"base_revision": 1, "authors": ["alice", "bob"]}, headers=people["alice"]
    )
    assert [a["username"] for a in invited.json()["pending_authors"]] == ["bob"]
    accept_all(client, people["bob"])  # revision 2
    assert [a["username"] for a in client.get(f"/api/v1/notes/{note['id']}").json()["authors"]] == ["alice", "bob"]
    # Bob, now an author, removes Alice.
    one = client.patch(
        f"/api/v1/notes/{note['id']}", json={"base_revision": 2, "authors": ["bob"]}, headers=people["bob"]
    )
    assert [a["username"] for a in one.json()["authors"]] == ["bob"]
    none = client.patch(f"/api/v1/notes/{note['id']}", json={"base_revision": 3, "authors": []}, headers=people["bob"])
    assert none.status_code == 422
    assert (
        client.patch(
            f"/api/v1/notes/{note['id']}", json={"base_revision": 3, "title": "x"}, headers=people["alice"]
        ).status_code
        == 403
    )


def test_removing_both_managers_at_once_keeps_one(app, client, people):
    import threading

    from fastapi.testclient import TestClient

    cid = client.post("/api/v1/communities", json={"name": "Cercle"}, headers=people["alice"]).json()["id"]
    client.post(
        f"/api/v1/communities/{cid}/members", json={"username": "bob", "role": "manager"}, headers=people["alice"]
    )
    codes: list[int] = []

    def leave(name: str) -> None:
        with TestClient(app, base_url="https://testserver") as c:
            codes.append(c.delete(f"/api/v1/communities/{cid}/members/{name}", headers=people[name]).status_code)

    threads = [threading.Thread(target=leave, args=(n,)) for n in ("alice", "bob")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(codes) == [204, 422]
    views = [client.get(f"/api/v1/communities/{cid}", headers=people[n]).json()["members"] for n in ("alice", "bob")]
    remaining = [v for v in views if v]
    assert len(remaining) == 1 and [m["role"] for m in remaining[0]] == ["manager"]


def test_opening_a_note_to_a_community_needs_membership_on_every_path(client, people):
    cid = client.post("/api/v1/communities", json={"name": "Cercle"}, headers=people["alice"]).json()["id"]
    note = client.post(
        "/api/v1/notes",
        json={"title": "Partagée", "community": cid, "authors": ["alice", "bob"]},
        headers=people["alice"],
    ).json()
    accept_all(client, people["bob"])  # revision 2
    hidden = client.patch(
        f"/api/v1/notes/{note['id']}",
        json={"base_revision": 2, "community": None, "visibility": "restricted"},
        headers=people["alice"],
    )
    assert hidden.status_code == 200
    # Bob, a co-author but no member, can neither relink it nor restore the revision that had it.
    assert (
        client.patch(
            f"/api/v1/notes/{note['id']}", json={"base_revision": 3, "community": cid}, headers=people["bob"]
        ).status_code
        == 422
    )
    assert client.post(f"/api/v1/notes/{note['id']}/revisions/1/restore", headers=people["bob"]).status_code == 422
    assert client.get(f"/api/v1/notes?community={cid}").json()["total"] == 0
