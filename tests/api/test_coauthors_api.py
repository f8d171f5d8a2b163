"""Co-authors consent: naming someone with an account invites them; they become an author only
by accepting; any author may take themselves off a note, never leaving it without one."""

import pytest
from sqlmodel import select

from praxis import policy
from praxis.models import AuthorInvitation, User
from praxis.people import invitations
from praxis.transfer import folders
from tests.factories import accept_all, make_user, token_for


@pytest.fixture
def people(client, session):
    for name in ("alice", "bob", "carl"):
        make_user(session, name, name=name.capitalize())
    make_user(session, "root", name="Root", admin=True)
    return {name: token_for(client, name) for name in ("alice", "bob", "carl", "root")}


def _authors(client, note_id, headers=None):
    return [a["username"] for a in client.get(f"/api/v1/notes/{note_id}", headers=headers or {}).json()["authors"]]


def test_no_one_publishes_a_note_in_someone_elses_name(client, people):
    """The testers' report: bob names alice, then leaves her as the only author."""
    made = client.post("/api/v1/notes", json={"title": "Manifeste", "authors": ["alice"]}, headers=people["bob"])
    assert made.status_code == 201
    note = made.json()
    assert [a["username"] for a in note["authors"]] == ["bob"]
    assert [a["username"] for a in note["pending_authors"]] == ["alice"]
    alone = client.patch(
        f"/api/v1/notes/{note['id']}", json={"base_revision": 1, "authors": ["alice"]}, headers=people["bob"]
    )
    assert alone.status_code == 422 and alone.json()["detail"][0]["loc"] == ["body", "authors"]
    assert _authors(client, note["id"]) == ["bob"]
    # Not on alice's profile, her feed, the author filter, nor cited as hers.
    assert client.get("/api/v1/notes?author=alice").json()["total"] == 0
    assert "Manifeste" not in client.get("/u/alice/").text
    assert "Manifeste" not in client.get("/u/alice/feed.atom").text
    cite = client.get(f"/api/v1/notes/{note['id']}/citation").json()["text"]
    assert "Alice" not in cite and "Bob" in cite
    # The site's pages say the same.
    assert "Alice" not in client.get(f"/n/{note['id']}/").text.split("<footer")[0].split("Pour citer")[0]


def test_the_invited_person_is_told_and_accepts(client, people):
    note = client.post(
        "/api/v1/notes", json={"title": "À deux", "authors": ["bob", "alice"]}, headers=people["bob"]
    ).json()
    got = client.get("/api/v1/me/notifications", headers=people["alice"])
    assert got.status_code == 200, got.text
    told = got.json()["items"]
    assert [(n["kind"], n["text"]) for n in told] == [("author_invitation", "Bob vous invite à co-signer « À deux ».")]
    invitations = client.get("/api/v1/me/invitations", headers=people["alice"]).json()
    assert [(i["note_id"], i["invited_by"], i["status"]) for i in invitations] == [(note["id"], "bob", "pending")]
    iid = invitations[0]["id"]
    assert client.get(f"/api/v1/notes/{note['id']}", headers=people["alice"]).json()["invitation"] == iid
    assert client.post(f"/api/v1/invitations/{iid}/accept", headers=people["carl"]).status_code == 404  # not carl's
    assert client.post(f"/api/v1/invitations/{iid}/accept", headers=people["bob"]).status_code == 404
    accepted = client.post(f"/api/v1/invitations/{iid}/accept", headers=people["alice"])
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    after = client.get(f"/api/v1/notes/{note['id']}").json()
    assert [a["username"] for a in after["authors"]] == ["bob", "alice"] and after["revision"] == 2
    assert client.post(f"/api/v1/invitations/{iid}/refuse", headers=people["alice"]).status_code == 409
    assert client.get("/api/v1/notes?author=alice").json()["total"] == 1
    assert client.get("/api/v1/me/invitations", headers=people["alice"]).json() == []


def test_a_refusal_leaves_the_authors_as_they_were(client, people):
    note = client.post("/api/v1/notes", json={"title": "Refusée", "authors": ["alice"]}, headers=people["bob"]).json()
    iid = client.get("/api/v1/me/invitations", headers=people["alice"]).json()[0]["id"]
    refused = client.post(f"/api/v1/invitations/{iid}/refuse", headers=people["alice"])
    assert refused.status_code == 200 and refused.json()["status"] == "refused"
    after = client.get(f"/api/v1/notes/{note['id']}", headers=people["bob"]).json()
    assert (
        [a["username"] for a in after["authors"]] == ["bob"]
        and after["pending_authors"] == []
        and after["revision"] == 1
    )


def test_a_restricted_note_invites_without_opening_it_before_acceptance(client, people):
    note = client.post(
        "/api/v1/notes",
        json={"title": "Secrète", "visibility": "restricted", "authors": ["carl"]},
        headers=people["bob"],
    ).json()
    assert client.get(f"/api/v1/notes/{note['id']}", headers=people["carl"]).status_code == 404
    told = client.get("/api/v1/me/notifications", headers=people["carl"]).json()["items"]
    assert [n["kind"] for n in told] == ["author_invitation"]  # told, though the note is not readable yet
    iid = client.get("/api/v1/me/invitations", headers=people["carl"]).json()[0]["id"]
    assert client.post(f"/api/v1/invitations/{iid}/accept", headers=people["carl"]).status_code == 200
    assert client.get(f"/api/v1/notes/{note['id']}", headers=people["carl"]).status_code == 200


def test_saving_without_an_invited_person_withdraws_the_invitation(client, people):
    note = client.post(
        "/api/v1/notes", json={"title": "Retirée", "authors": ["alice", "carl"]}, headers=people["bob"]
    ).json()
    kept = client.patch(
        f"/api/v1/notes/{note['id']}", json={"base_revision": 1, "authors": ["bob", "carl"]}, headers=people["bob"]
    )
    assert kept.status_code == 200
    assert [a["username"] for a in kept.json()["pending_authors"]] == ["carl"] and kept.json()["revision"] == 1
    assert client.get("/api/v1/me/invitations", headers=people["alice"]).json() == []
    assert client.get("/api/v1/me/notifications", headers=people["alice"]).json()["items"] == []


def test_admins_invite_people_with_an_account_too(client, people):
    note = client.post("/api/v1/notes", json={"title": "Admin", "authors": ["alice"]}, headers=people["root"]).json()
    assert [a["username"] for a in note["authors"]] == ["root"]
    assert [a["username"] for a in note["pending_authors"]] == ["alice"]


def test_a_profile_without_login_is_named_at_once(client, session, people, tmp_path):
    """People named in imported files cannot consent: naming them needs none."""
    (tmp_path / "n.md").write_text("---\ntitle: Importée\nauthors: [Maryse Gervais]\n---\nTexte\n", encoding="utf-8")
    folders.import_path(session=session, path=tmp_path, actor=policy.SYSTEM)
    maryse = session.exec(select(User).where(User.display_name == "Maryse Gervais")).one()
    session.commit()
    made = client.post(
        "/api/v1/notes", json={"title": "Avec Maryse", "authors": ["bob", maryse.username]}, headers=people["bob"]
    )
    assert made.status_code == 201, made.text
    note = made.json()
    assert [a["username"] for a in note["authors"]] == ["bob", maryse.username] and note["pending_authors"] == []


def test_an_author_takes_themselves_off_but_never_leaves_the_note_without_one(client, people):
    note = client.post("/api/v1/notes", json={"title": "Quitter", "authors": ["alice"]}, headers=people["bob"]).json()
    # Bob is the only author: alice's invitation does not count.
    last = client.delete(f"/api/v1/notes/{note['id']}/authors/me", headers=people["bob"])
    assert last.status_code == 409
    iid = client.get("/api/v1/me/invitations", headers=people["alice"]).json()[0]["id"]
    client.post(f"/api/v1/invitations/{iid}/accept", headers=people["alice"])
    assert client.get(f"/api/v1/notes/{note['id']}", headers=people["alice"]).json()["can_leave"] is True
    assert client.delete(f"/api/v1/notes/{note['id']}/authors/me", headers=people["carl"]).status_code == 404
    left = client.delete(f"/api/v1/notes/{note['id']}/authors/alice", headers=people["alice"])
    assert left.status_code == 204
    assert _authors(client, note["id"]) == ["bob"]
    assert client.get("/api/v1/notes?author=alice").json()["total"] == 0
    assert client.get(f"/api/v1/notes/{note['id']}", headers=people["bob"]).json()["can_leave"] is False
    assert client.delete(f"/api/v1/notes/{note['id']}/authors/bob", headers=people["bob"]).status_code == 409


def test_restoring_a_revision_invites_again_who_left(client, people):
    note = client.post("/api/v1/notes", json={"title": "Histoire", "authors": ["alice"]}, headers=people["bob"]).json()
    iid = client.get("/api/v1/me/invitations", headers=people["alice"]).json()[0]["id"]
    client.post(f"/api/v1/invitations/{iid}/accept", headers=people["alice"])  # revision 2: bob, alice
    client.delete(f"/api/v1/notes/{note['id']}/authors/me", headers=people["alice"])  # revision 3: bob
    restored = client.post(f"/api/v1/notes/{note['id']}/revisions/2/restore", headers=people["bob"])
    assert restored.status_code == 200
    assert [a["username"] for a in restored.json()["authors"]] == ["bob"]
    assert [a["username"] for a in restored.json()["pending_authors"]] == ["alice"]


def test_an_invitation_stands_only_while_its_sender_edits_the_note(client, people):
    """bob invites carl, then alice (who invited bob) takes bob off: carl cannot become an
    author of a note whose remaining authors never invited him."""
    note = client.post(
        "/api/v1/notes",
        json={"title": "Carnet de terrain", "visibility": "restricted", "authors": ["bob"]},
        headers=people["alice"],
    ).json()
    bob_inv = client.get("/api/v1/me/invitations", headers=people["bob"]).json()[0]["id"]
    assert client.post(f"/api/v1/invitations/{bob_inv}/accept", headers=people["bob"]).status_code == 200
    saved = client.patch(
        f"/api/v1/notes/{note['id']}",
        headers=people["bob"],
        json={"base_revision": 2, "authors": ["alice", "bob", "carl"]},
    )
    assert saved.status_code == 200, saved.text
    carl_inv = client.get("/api/v1/me/invitations", headers=people["carl"]).json()[0]["id"]
    assert client.delete(f"/api/v1/notes/{note['id']}/authors/bob", headers=people["alice"]).status_code in (200, 204)
    refused = client.post(f"/api/v1/invitations/{carl_inv}/accept", headers=people["carl"])
    assert refused.status_code == 409 and refused.json()["detail"] == "This invitation was withdrawn."
    assert _authors(client, note["id"], people["alice"]) == ["alice"]
    assert client.get(f"/api/v1/notes/{note['id']}", headers=people["carl"]).status_code == 404


def test_an_author_who_leaves_withdraws_the_invitations_they_sent(client, people):
    """The reviewer's report: bob invites carl, then leaves; carl was offered an invitation
    nobody could accept, and refused an edit request because of it. He now asks instead."""
    note = client.post(
        "/api/v1/notes", json={"title": "Relais", "authors": ["alice", "bob"]}, headers=people["alice"]
    ).json()
    accept_all(client, people["bob"])
    saved = client.patch(
        f"/api/v1/notes/{note['id']}",
        headers=people["bob"],
        json={"base_revision": 2, "authors": ["alice", "bob", "carl"]},
    )
    assert saved.status_code == 200, saved.text
    assert [n["kind"] for n in client.get("/api/v1/me/notifications", headers=people["carl"]).json()["items"]] == [
        "author_invitation"
    ]
    carl_inv = client.get("/api/v1/me/invitations", headers=people["carl"]).json()[0]["id"]
    assert client.delete(f"/api/v1/notes/{note['id']}/authors/me", headers=people["bob"]).status_code == 204
    # Nothing offers carl to accept any more: not his invitations, his inbox, nor the note.
    assert client.get("/api/v1/me/invitations", headers=people["carl"]).json() == []
    assert client.get("/api/v1/me/notifications", headers=people["carl"]).json()["items"] == []
    read = client.get(f"/api/v1/notes/{note['id']}", headers=people["carl"]).json()
    assert read["invitation"] is None and read["can_request_edit"] is True
    assert client.get(f"/api/v1/notes/{note['id']}", headers=people["alice"]).json()["pending_authors"] == []
    gone = client.post(f"/api/v1/invitations/{carl_inv}/accept", headers=people["carl"])
    assert gone.status_code == 409 and gone.json()["detail"] == "This invitation was withdrawn."
    asked = client.post(
        f"/api/v1/notes/{note['id']}/edit-requests", json={"message": "Je reprends ?"}, headers=people["carl"]
    )
    assert asked.status_code == 201, asked.text
    assert _authors(client, note["id"]) == ["alice"]


def test_an_author_cannot_invite_someone_in_the_save_that_takes_them_off(client, people):
    """Such an invitation would be sent by no author: the save is refused, and nothing changes."""
    note = client.post(
        "/api/v1/notes", json={"title": "Relais", "authors": ["alice", "bob"]}, headers=people["alice"]
    ).json()
    accept_all(client, people["bob"])
    left = client.patch(
        f"/api/v1/notes/{note['id']}", headers=people["bob"], json={"base_revision": 2, "authors": ["alice", "carl"]}
    )
    assert left.status_code == 422 and left.json()["detail"][0]["loc"] == ["body", "authors"]
    assert "leaving this note's authors" in left.json()["detail"][0]["msg"]
    assert _authors(client, note["id"]) == ["alice", "bob"]
    assert client.get("/api/v1/me/invitations", headers=people["carl"]).json() == []
    assert client.get("/api/v1/me/notifications", headers=people["carl"]).json()["items"] == []
    # Leaving without naming anyone new is still a save like any other.
    alone = client.patch(
        f"/api/v1/notes/{note['id']}", headers=people["bob"], json={"base_revision": 2, "authors": ["alice"]}
    )
    assert alone.status_code == 200 and _authors(client, note["id"]) == ["alice"]


def test_an_invitation_whose_sender_still_edits_survives_another_author_leaving(client, people):
    note = client.post(
        "/api/v1/notes", json={"title": "Relais", "authors": ["alice", "bob"]}, headers=people["alice"]
    ).json()
    accept_all(client, people["bob"])
    client.patch(
        f"/api/v1/notes/{note['id']}",
        headers=people["alice"],
        json={"base_revision": 2, "authors": ["alice", "bob", "carl"]},
    )
    assert client.delete(f"/api/v1/notes/{note['id']}/authors/me", headers=people["bob"]).status_code == 204
    read = client.get(f"/api/v1/notes/{note['id']}", headers=people["carl"]).json()
    assert read["invitation"] and read["can_request_edit"] is False
    assert client.post(f"/api/v1/invitations/{read['invitation']}/accept", headers=people["carl"]).status_code == 200
    assert _authors(client, note["id"]) == ["alice", "carl"]


def test_an_invitation_left_standing_by_an_older_database_counts_for_nothing(client, session, people):
    """Saved before authors who left withdrew their invitations: a pending invitation whose
    sender no longer edits the note neither blocks an edit request nor is offered to accept."""
    note = client.post(
        "/api/v1/notes", json={"title": "Ancienne", "authors": ["alice"]}, headers=people["alice"]
    ).json()
    bob = session.exec(select(User).where(User.username == "bob")).one()
    carl = session.exec(select(User).where(User.username == "carl")).one()
    session.add(AuthorInvitation(id="stale-invitation", note_id=note["id"], user_id=carl.id, invited_by_id=bob.id))
    session.commit()
    read = client.get(f"/api/v1/notes/{note['id']}", headers=people["carl"]).json()
    assert read["invitation"] is None and read["can_request_edit"] is True
    assert client.get("/api/v1/me/invitations", headers=people["carl"]).json() == []
    asked = client.post(f"/api/v1/notes/{note['id']}/edit-requests", json={}, headers=people["carl"])
    assert asked.status_code == 201, asked.text
    # Named again by an author, carl is invited anew, by someone whose invitation stands.
    again = client.patch(
        f"/api/v1/notes/{note['id']}", headers=people["alice"], json={"base_revision": 1, "authors": ["alice", "carl"]}
    )
    assert again.status_code == 200, again.text
    assert [i["invited_by"] for i in client.get("/api/v1/me/invitations", headers=people["carl"]).json()] == ["alice"]


@pytest.mark.parametrize("name", ["Carl", "%00", "x" * 300])
def test_taking_off_an_author_by_any_spelling_of_a_name_never_fails_the_server(client, people, name):
    note = client.post("/api/v1/notes", json={"title": "Nom", "authors": ["carl"]}, headers=people["alice"]).json()
    answer = client.delete(f"/api/v1/notes/{note['id']}/authors/{name}", headers=people["alice"])
    if name == "Carl":  # a username is case-insensitive: carl's invitation is withdrawn
        assert answer.status_code in (200, 204)
        assert client.get("/api/v1/me/invitations", headers=people["carl"]).json() == []
    else:
        assert answer.status_code == 404


def test_invitations_sent_again_and_again_are_rate_limited(client, people, monkeypatch):
    """Naming someone, leaving them out, naming them again… each time an invitation and an inbox
    notice: an account sends at most `invitations.LIMIT` a day, then the save is refused (429)."""
    monkeypatch.setattr(invitations, "LIMIT", 4)
    note = client.post(
        "/api/v1/notes", json={"title": "Insistante", "authors": ["alice"]}, headers=people["bob"]
    ).json()
    revision = note["revision"]
    for authors in (["bob"], ["bob", "alice"], ["bob"], ["bob", "alice", "carl"]):
        saved = client.patch(
            f"/api/v1/notes/{note['id']}", json={"base_revision": revision, "authors": authors}, headers=people["bob"]
        )
        assert saved.status_code == 200, saved.text
        revision = saved.json()["revision"]
    again = client.patch(
        f"/api/v1/notes/{note['id']}",
        json={"base_revision": revision, "authors": ["bob", "carl"]},
        headers=people["bob"],
    )
    assert again.status_code == 200  # leaving alice out invites no one
    refused = client.patch(
        f"/api/v1/notes/{note['id']}",
        json={"base_revision": revision, "authors": ["bob", "carl", "alice"]},
        headers=people["bob"],
    )
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "Too many invitations" in refused.json()["detail"]
    assert client.get("/api/v1/me/invitations", headers=people["alice"]).json() == []
    assert client.get("/api/v1/me/notifications", headers=people["alice"]).json()["items"] == []
    # A new note naming someone is refused the same way, and nothing of it is kept.
    made = client.post("/api/v1/notes", json={"title": "Encore", "authors": ["alice"]}, headers=people["bob"])
    assert made.status_code == 429
    assert client.get("/api/v1/notes?author=bob").json()["total"] == 1
    # Others still invite.
    assert (
        client.post("/api/v1/notes", json={"title": "Autre", "authors": ["alice"]}, headers=people["carl"]).status_code
        == 201
    )


def test_a_refusal_stands_until_the_person_asks(client, people):
    """Saving the same list again does not invite again who refused: the save says why (422)."""
    note = client.post(
        "/api/v1/notes", json={"title": "Refusée une fois", "authors": ["alice"]}, headers=people["bob"]
    ).json()
    iid = client.get("/api/v1/me/invitations", headers=people["alice"]).json()[0]["id"]
    assert client.post(f"/api/v1/invitations/{iid}/refuse", headers=people["alice"]).status_code == 200
    again = client.patch(
        f"/api/v1/notes/{note['id']}",
        json={"base_revision": 1, "authors": ["bob", "alice", "carl"]},
        headers=people["bob"],
    )
    assert again.status_code == 422
    [problem] = again.json()["detail"]
    assert problem["loc"] == ["body", "authors"] and "already declined by: Alice" in problem["msg"]
    assert client.get("/api/v1/me/invitations", headers=people["alice"]).json() == []
    assert client.get("/api/v1/me/invitations", headers=people["carl"]).json() == []  # nothing of the save is kept
    # Once she asks herself, she may be invited again.
    asked = client.post(f"/api/v1/notes/{note['id']}/edit-requests", json={}, headers=people["alice"])
    assert asked.status_code == 201
    saved = client.patch(
        f"/api/v1/notes/{note['id']}", json={"base_revision": 1, "authors": ["bob", "alice"]}, headers=people["bob"]
    )
    assert saved.status_code == 200 and [a["username"] for a in saved.json()["pending_authors"]] == ["alice"]


def test_restoring_a_revision_does_not_invite_again_who_refused(client, people):
    note = client.post(
        "/api/v1/notes", json={"title": "Histoire refusée", "authors": ["alice"]}, headers=people["bob"]
    ).json()
    accept_all(client, people["alice"])  # revision 2: bob, alice
    client.delete(f"/api/v1/notes/{note['id']}/authors/me", headers=people["alice"])  # revision 3: bob
    client.patch(
        f"/api/v1/notes/{note['id']}", json={"base_revision": 3, "authors": ["bob", "alice"]}, headers=people["bob"]
    )
    iid = client.get("/api/v1/me/invitations", headers=people["alice"]).json()[0]["id"]
    assert client.post(f"/api/v1/invitations/{iid}/refuse", headers=people["alice"]).status_code == 200
    restored = client.post(f"/api/v1/notes/{note['id']}/revisions/2/restore", headers=people["bob"])
    assert restored.status_code == 200
    assert restored.json()["pending_authors"] == []
    assert client.get("/api/v1/me/invitations", headers=people["alice"]).json() == []
