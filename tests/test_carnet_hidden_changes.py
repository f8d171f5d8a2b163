"""What a reader sees of a carnet or a base is derived from what that reader may see: its place in
the lists, its `updated_at`, its feed, its sitemap date, its JSON-LD and its excerpts do not move
when only notes or carnets hidden from the reader come, change, move or go.

The carnets' world: Alice manages the public carnets C ("Carnet du chantier", holding her public
note P) and, changed after it, N ("Carnet récent"); the public base B gathers both. Alice's
restricted note H is what changes; a visitor and Mona (signed in, a reader of none of it) must see
nothing move. The bases' world is described with its test.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import timedelta

import sqlalchemy as sa

from praxis.models import BaseCarnet, KnowledgeBase, utcnow
from tests.factories import browser_for, make_user, token_for


def ok(response):  # type: ignore[no-untyped-def]
    assert response.status_code in (200, 201, 204), response.text
    return response.json() if response.content else None


def _views(browser, headers, paths) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Every page and answer of `paths` as this reader gets it."""
    seen = {}
    for path in paths:
        response = browser.get(path, headers=headers if path.startswith("/api/") else {})
        assert response.status_code == 200, (path, response.text)
        seen[path] = response.text
    return seen


def _watch(readers, paths):  # type: ignore[no-untyped-def]
    """What each reader sees of `paths` now, and a check that none of it has moved since."""
    before = {who: _views(browser, headers, paths) for who, (browser, headers) in readers.items()}

    def unchanged(step: str) -> None:
        for who, (browser, headers) in readers.items():
            now = _views(browser, headers, paths)
            for path, text in before[who].items():
                assert now[path] == text, f"{who} sees {path} change after: {step}"

    return unchanged


def _carnet_paths(w) -> list[str]:  # type: ignore[no-untyped-def]
    """Everything a reader may learn a carnet's news from."""
    return [
        "/c/",
        "/api/v1/carnets",
        f"/c/{w['C']}/",
        f"/api/v1/carnets/{w['C']}",
        f"/c/{w['C']}/feed.atom",
        f"/b/{w['B']}/",
        f"/api/v1/bases/{w['B']}",
        f"/b/{w['B']}/feed.atom",
        "/api/v1/bases",
        "/sitemap.xml",
    ]


def test_only_hidden_notes_changing_in_a_public_carnet_moves_nothing_a_reader_sees(app, client, session):
    make_user(session, "alice", name="Alice")
    mona = make_user(session, "mona", name="Mona")
    a = token_for(client, "alice")
    m = token_for(client, "mona")

    axes = [{"name": "Thème", "categories": ["Logement", "Travail"]}]
    w = {
        "P": ok(client.post("/api/v1/notes", headers=a, json={"title": "Note publique", "body": "Visible."}))["id"],
        "H": ok(
            client.post(
                "/api/v1/notes", headers=a, json={"title": "Note cachée", "body": "Secret.", "visibility": "restricted"}
            )
        )["id"],
        "C": ok(
            client.post(
                "/api/v1/carnets",
                headers=a,
                json={"title": "Carnet du chantier", "description": "Le **chantier**.", "axes": axes},
            )
        )["id"],
    }
    ok(client.post(f"/api/v1/carnets/{w['C']}/notes", headers=a, json={"note_id": w["P"], "categories": ["Logement"]}))
    w["N"] = ok(
        client.post("/api/v1/carnets", headers=a, json={"title": "Carnet récent", "description": "Plus récent."})
    )["id"]
    w["B"] = ok(client.post("/api/v1/bases", headers=a, json={"title": "Base commune"}))["id"]
    for carnet in (w["C"], w["N"]):
        ok(client.post(f"/api/v1/bases/{w['B']}/carnets", headers=a, json={"carnet_id": carnet}))

    readers = {"visitor": (browser_for(app, session, None), {}), "mona": (browser_for(app, session, mona), m)}
    unchanged = _watch(readers, _carnet_paths(w))
    listed = [c["id"] for c in client.get("/api/v1/carnets").json()["items"]]
    assert listed == [w["N"], w["C"]]  # the most recently changed first
    as_alice = ok(client.get(f"/api/v1/carnets/{w['C']}", headers=a))

    # Integrated, placed first and pinned: its author sees it, and the carnet moved for her.
    ok(
        client.post(
            f"/api/v1/carnets/{w['C']}/notes",
            headers=a,
            json={"note_id": w["H"], "categories": ["Travail"], "pinned": True, "position": 0},
        )
    )
    unchanged("a hidden note is integrated")
    seen_by_alice = ok(client.get(f"/api/v1/carnets/{w['C']}", headers=a))
    assert [e["note_id"] for e in seen_by_alice["entries"]["items"]] == [w["H"], w["P"]]
    assert seen_by_alice["updated_at"] > as_alice["updated_at"]
    assert [c["id"] for c in ok(client.get("/api/v1/carnets", headers=a))["items"]] == [w["C"], w["N"]]

    ok(client.patch(f"/api/v1/notes/{w['H']}", headers=a, json={"base_revision": 1, "body": "Secret revu."}))
    unchanged("a hidden note is edited")
    ok(
        client.patch(
            f"/api/v1/carnets/{w['C']}/notes/{w['H']}",
            headers=a,
            json={"categories": ["Logement"], "pinned": False, "position": 1},
        )
    )
    unchanged("a hidden note is refiled, unpinned and moved")
    ok(client.delete(f"/api/v1/carnets/{w['C']}/notes/{w['H']}", headers=a))
    unchanged("a hidden note is taken out")
    ok(client.post(f"/api/v1/carnets/{w['C']}/notes", headers=a, json={"note_id": w["H"]}))
    ok(client.delete(f"/api/v1/notes/{w['H']}", headers=a))
    unchanged("a hidden note of the carnet is deleted")

    # A change everyone sees still moves the carnet for everyone.
    ok(client.patch(f"/api/v1/carnets/{w['C']}/notes/{w['P']}", headers=a, json={"categories": ["Travail"]}))
    assert [c["id"] for c in client.get("/api/v1/carnets").json()["items"]] == [w["C"], w["N"]]


def _base_dates(browser, headers, base_id: str) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    """When a base last changed, as each of its renderings tells this reader: the API, the page's
    JSON-LD, the sitemap, the feed and the base's file in its export."""
    api = ok(browser.get(f"/api/v1/bases/{base_id}", headers=headers))["updated_at"]
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', browser.get(f"/b/{base_id}/").text, re.S)
    assert script is not None
    lastmod = re.search(rf"/b/{base_id}/\?lang=\w+</loc><lastmod>([^<]+)</lastmod>", browser.get("/sitemap.xml").text)
    assert lastmod is not None
    feed = re.search(
        r"<updated>([^<]+)</updated>", browser.get(f"/b/{base_id}/feed.atom").text
    )  # the feed's own, first
    assert feed is not None
    archive = zipfile.ZipFile(io.BytesIO(browser.get(f"/b/{base_id}/export.zip", headers=headers).content))
    [name] = [n for n in archive.namelist() if n.startswith("bases/")]
    exported = re.search(r"^updated: (.+)$", archive.read(name).decode(), re.M)
    assert exported is not None
    return api, json.loads(script.group(1))["dateModified"], lastmod.group(1), feed.group(1), exported.group(1)


def test_only_hidden_carnets_changing_in_a_public_base_moves_nothing_a_reader_sees(app, client, session):
    """Alice's public base B gathers her public carnet C (holding her public note P); her restricted
    carnet R comes into B, changes there, and goes. B was last changed days ago, so that a move
    shows even in the sitemap's day and the JSON-LD's second. A visitor and Mona (signed in, a
    reader of R neither) must see nothing of B move; a public carnet N coming in moves it for all."""
    make_user(session, "alice", name="Alice")
    mona = make_user(session, "mona", name="Mona")
    a = token_for(client, "alice")
    m = token_for(client, "mona")

    def note(title: str) -> str:
        return ok(client.post("/api/v1/notes", headers=a, json={"title": title, "body": "Visible."}))["id"]

    def carnet(title: str, visibility: str = "public") -> str:
        return ok(client.post("/api/v1/carnets", headers=a, json={"title": title, "visibility": visibility}))["id"]

    w = {
        "P": note("Note publique"),
        "Q": note("Autre note publique"),
        "C": carnet("Carnet du chantier"),
        "R": carnet("Carnet réservé", "restricted"),
        "N": carnet("Carnet nouveau"),
    }
    ok(client.post(f"/api/v1/carnets/{w['C']}/notes", headers=a, json={"note_id": w["P"]}))
    w["B"] = ok(client.post("/api/v1/bases", headers=a, json={"title": "Base commune", "description": "La **base**."}))[
        "id"
    ]
    ok(client.post(f"/api/v1/bases/{w['B']}/carnets", headers=a, json={"carnet_id": w["C"]}))
    days_ago = utcnow() - timedelta(days=3)
    session.execute(sa.update(KnowledgeBase).values(created_at=days_ago, updated_at=days_ago))
    session.execute(sa.update(BaseCarnet).values(added_at=days_ago))
    session.commit()

    readers = {"visitor": (browser_for(app, session, None), {}), "mona": (browser_for(app, session, mona), m)}
    paths = [
        "/b/",
        "/api/v1/bases",
        f"/b/{w['B']}/",
        f"/api/v1/bases/{w['B']}",
        f"/b/{w['B']}/feed.atom",
        "/sitemap.xml",
    ]
    unchanged = _watch(readers, paths)
    dates = {who: _base_dates(browser, headers, w["B"]) for who, (browser, headers) in readers.items()}
    as_alice = ok(client.get(f"/api/v1/bases/{w['B']}", headers=a))

    def nothing_moves(step: str) -> None:
        unchanged(step)
        for who, (browser, headers) in readers.items():
            assert _base_dates(browser, headers, w["B"]) == dates[who], f"{who} sees the base's date move after: {step}"

    # Gathered first into B: Alice sees it there, and B moved for her.
    ok(client.post(f"/api/v1/bases/{w['B']}/carnets", headers=a, json={"carnet_id": w["R"], "position": 0}))
    nothing_moves("a hidden carnet comes into the base")
    seen_by_alice = ok(client.get(f"/api/v1/bases/{w['B']}", headers=a))
    assert [c["id"] for c in seen_by_alice["carnets"]] == [w["R"], w["C"]]
    assert seen_by_alice["updated_at"] > as_alice["updated_at"]
    assert [b["carnet_count"] for b in ok(client.get("/api/v1/bases", headers=a))] == [2]

    ok(
        client.patch(
            f"/api/v1/carnets/{w['R']}", headers=a, json={"title": "Carnet réservé revu", "description": "Autre."}
        )
    )
    ok(client.post(f"/api/v1/carnets/{w['R']}/notes", headers=a, json={"note_id": w["Q"]}))
    nothing_moves("a hidden carnet of the base changes and gathers a public note")
    ok(client.delete(f"/api/v1/bases/{w['B']}/carnets/{w['R']}", headers=a))
    nothing_moves("a hidden carnet leaves the base")

    # A carnet everyone reads coming in moves the base for everyone, in each of its renderings.
    ok(client.post(f"/api/v1/bases/{w['B']}/carnets", headers=a, json={"carnet_id": w["N"]}))
    for who, (browser, headers) in readers.items():
        now = _base_dates(browser, headers, w["B"])
        assert all(after != before for after, before in zip(now, dates[who])), (who, now, dates[who])
