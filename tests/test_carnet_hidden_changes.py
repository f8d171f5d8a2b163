"""What a reader sees of a carnet is derived from what that reader may see: its place in the
lists, its `updated_at`, its feed and its excerpts do not move when only notes hidden from the
reader come, change, move or go.

The world: Alice manages the public carnets C ("Carnet du chantier", holding her public note P)
and, changed after it, N ("Carnet récent"); the public base B gathers both. Alice's restricted note
H is what changes; a visitor and Mona (signed in, a reader of none of it) must see nothing move.
"""

from __future__ import annotations

from tests.factories import browser_for, make_user, token_for


def _views(browser, headers, w) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Everything a reader may learn a carnet's news from."""
    paths = ["/c/", "/api/v1/carnets", f"/c/{w['C']}/", f"/api/v1/carnets/{w['C']}", f"/c/{w['C']}/feed.atom",
             f"/b/{w['B']}/", f"/api/v1/bases/{w['B']}", f"/b/{w['B']}/feed.atom", "/api/v1/bases", "/sitemap.xml"]
    seen = {}
    for path in paths:
        response = browser.get(path, headers=headers if path.startswith("/api/") else {})
        assert response.status_code == 200, (path, response.text)
        seen[path] = response.text
    return seen


def test_only_hidden_notes_changing_in_a_public_carnet_moves_nothing_a_reader_sees(app, client, session):
    make_user(session, "alice", name="Alice")
    mona = make_user(session, "mona", name="Mona")
    a = token_for(client, "alice")
    m = token_for(client, "mona")

    def ok(response):  # type: ignore[no-untyped-def]
        assert response.status_code in (200, 201, 204), response.text
        return response.json() if response.content else None

    axes = [{"name": "Thème", "categories": ["Logement", "Travail"]}]
    w = {"P": ok(client.post("/api/v1/notes", headers=a, json={"title": "Note publique", "body": "Visible."}))["id"],
         "H": ok(client.post("/api/v1/notes", headers=a, json={"title": "Note cachée", "body": "Secret.", "visibility": "restricted"}))["id"],
         "C": ok(client.post("/api/v1/carnets", headers=a, json={"title": "Carnet du chantier", "description": "Le **chantier**.",
                                                                 "axes": axes}))["id"]}
    ok(client.post(f"/api/v1/carnets/{w['C']}/notes", headers=a, json={"note_id": w["P"], "categories": ["Logement"]}))
    w["N"] = ok(client.post("/api/v1/carnets", headers=a, json={"title": "Carnet récent", "description": "Plus récent."}))["id"]
    w["B"] = ok(client.post("/api/v1/bases", headers=a, json={"title": "Base commune"}))["id"]
    for carnet in (w["C"], w["N"]):
        ok(client.post(f"/api/v1/bases/{w['B']}/carnets", headers=a, json={"carnet_id": carnet}))

    readers = {"visitor": (browser_for(app, session, None), {}), "mona": (browser_for(app, session, mona), m)}
    before = {who: _views(browser, headers, w) for who, (browser, headers) in readers.items()}
    listed = [c["id"] for c in client.get("/api/v1/carnets").json()["items"]]
    assert listed == [w["N"], w["C"]]  # the most recently changed first
    as_alice = ok(client.get(f"/api/v1/carnets/{w['C']}", headers=a))

    def unchanged(step: str) -> None:
        for who, (browser, headers) in readers.items():
            now = _views(browser, headers, w)
            for path, text in before[who].items():
                assert now[path] == text, f"{who} sees {path} change after: {step}"

    # Integrated, placed first and pinned: its author sees it, and the carnet moved for her.
    ok(client.post(f"/api/v1/carnets/{w['C']}/notes", headers=a,
                   json={"note_id": w["H"], "categories": ["Travail"], "pinned": True, "position": 0}))
    unchanged("a hidden note is integrated")
    seen_by_alice = ok(client.get(f"/api/v1/carnets/{w['C']}", headers=a))
    assert [e["note_id"] for e in seen_by_alice["entries"]["items"]] == [w["H"], w["P"]]
    assert seen_by_alice["updated_at"] > as_alice["updated_at"]
    assert [c["id"] for c in ok(client.get("/api/v1/carnets", headers=a))["items"]] == [w["C"], w["N"]]

    ok(client.patch(f"/api/v1/notes/{w['H']}", headers=a, json={"base_revision": 1, "body": "Secret revu."}))
    unchanged("a hidden note is edited")
    ok(client.patch(f"/api/v1/carnets/{w['C']}/notes/{w['H']}", headers=a, json={"categories": ["Logement"], "pinned": False, "position": 1}))
    unchanged("a hidden note is refiled, unpinned and moved")
    ok(client.delete(f"/api/v1/carnets/{w['C']}/notes/{w['H']}", headers=a))
    unchanged("a hidden note is taken out")
    ok(client.post(f"/api/v1/carnets/{w['C']}/notes", headers=a, json={"note_id": w["H"]}))
    ok(client.delete(f"/api/v1/notes/{w['H']}", headers=a))
    unchanged("a hidden note of the carnet is deleted")

    # A change everyone sees still moves the carnet for everyone.
    ok(client.patch(f"/api/v1/carnets/{w['C']}/notes/{w['P']}", headers=a, json={"categories": ["Travail"]}))
    assert [c["id"] for c in client.get("/api/v1/carnets").json()["items"]] == [w["C"], w["N"]]
