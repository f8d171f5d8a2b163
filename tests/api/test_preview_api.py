"""POST /api/v1/notes/preview: a body rendered exactly as saving it would, as its writer would see it."""

import pytest

from praxis.markdown import render
from tests.factories import browser_for, make_note, make_user, sqlite_site_with_alice, token_for

BODY = "Avec [[Culture Laval]], du **gras** et [[Une note à venir]].\n\n- un\n- deux\n"


@pytest.fixture
def alice(client, session):
    make_user(session, "alice", name="Alice Rivard")
    return token_for(client, "alice")


def test_the_preview_is_what_the_saved_note_shows(client, session, alice):
    org = make_note(session, make_user(session, "bob"), title="Culture Laval", kind="organisation")
    preview = client.post("/api/v1/notes/preview", json={"body": BODY}, headers=alice)
    assert preview.status_code == 200, preview.text
    shown = preview.json()
    assert (
        f'<a class="wikilink kind-organisation" href="/n/{org.id}/"' in shown["html"]
        and "<strong>gras</strong>" in shown["html"]
    )
    assert [o["title"] for o in shown["links"]["organisations"]] == ["Culture Laval"] and shown["links"]["notes"] == []
    assert shown["missing"] == ["Une note à venir"]
    created = client.post(
        "/api/v1/notes", json={"title": "Aperçu puis enregistrement", "body": BODY}, headers=alice
    ).json()
    saved = client.get(f"/api/v1/notes/{created['id']}", headers=alice).json()
    assert saved["html"] == shown["html"]
    assert [o["id"] for o in saved["links"]["organisations"]] == [o["id"] for o in shown["links"]["organisations"]]
    # Nothing was saved by the preview itself: one note of alice, the one just created.
    assert client.get("/api/v1/notes?author=alice").json()["total"] == 1


def test_a_wikilink_to_a_note_the_writer_may_not_see_reads_like_one_to_a_missing_note(client, session, alice):
    bob = make_user(session, "bob")
    secret = make_note(session, bob, title="Projet secret", visibility="restricted")
    for body in ("Voir [[Projet secret]].", f"Voir [[{secret.id}|ici]]."):
        shown = client.post("/api/v1/notes/preview", json={"body": body}, headers=alice).json()
        assert shown["html"] == render(body).html  # exactly as if the note did not exist
        assert f'href="/n/{secret.id}/"' not in shown["html"] and "wikilink-new" in shown["html"]
        assert shown["links"] == {"notes": [], "organisations": [], "terms": []}
    by_id = client.post("/api/v1/notes/preview", json={"body": f"[[{secret.id}]]"}, headers=alice).json()
    assert "Projet secret" not in by_id["html"] and by_id["missing"] == [secret.id]
    # Its author sees the link.
    own = client.post(
        "/api/v1/notes/preview", json={"body": "Voir [[Projet secret]]."}, headers=token_for(client, "bob")
    ).json()
    assert f'href="/n/{secret.id}/"' in own["html"] and [n["title"] for n in own["links"]["notes"]] == ["Projet secret"]


def test_the_note_being_edited_must_be_one_the_writer_may_see(client, session, alice):
    secret = make_note(session, make_user(session, "bob"), title="Projet secret", visibility="restricted")
    mine = make_note(session, make_user(session, "carole"), title="Ouverte")
    assert (
        client.post("/api/v1/notes/preview", json={"body": "x", "note_id": secret.id}, headers=alice).status_code == 404
    )
    assert (
        client.post("/api/v1/notes/preview", json={"body": "x", "note_id": mine.id}, headers=alice).status_code == 200
    )
    # A link to the note itself is not one of its links, as on the saved note.
    itself = client.post(
        "/api/v1/notes/preview", json={"body": "[[Ouverte]]", "note_id": mine.id}, headers=alice
    ).json()
    assert itself["links"]["notes"] == [] and f'href="/n/{mine.id}/"' in itself["html"]


def test_visitors_get_401_and_bad_input_422(client, alice):
    assert client.post("/api/v1/notes/preview", json={"body": "Bonjour"}).status_code == 401
    assert client.post("/api/v1/notes/preview", json={"body": "x", "extra": 1}, headers=alice).status_code == 422
    assert client.post("/api/v1/notes/preview", json={"body": "a\x00b"}, headers=alice).status_code == 422
    wikilinks = " ".join(f"[[cible {i}]]" for i in range(1001))
    too_many = client.post("/api/v1/notes/preview", json={"body": wikilinks}, headers=alice)
    assert too_many.status_code == 422 and too_many.json()["detail"][0]["loc"] == ["body", "body"]


def test_a_body_larger_than_a_note_may_be_is_refused(client, alice):
    longest = client.post("/api/v1/notes/preview", json={"body": "a" * 900_001}, headers=alice)
    assert longest.status_code == 422 and longest.json()["detail"][0]["loc"] == ["body", "body"]
    request_too_large = client.post("/api/v1/notes/preview", json={"body": "a" * 1_100_000}, headers=alice)
    assert request_too_large.status_code == 413


def test_with_the_browser_cookie_only_the_site_itself_may_ask(app, session):
    user = make_user(session, "alice")
    browser = browser_for(app, session, user)
    assert (
        browser.post(
            "/api/v1/notes/preview", json={"body": "x"}, headers={"Origin": "https://evil.example"}
        ).status_code
        == 403
    )
    own = browser.post("/api/v1/notes/preview", json={"body": "*x*"}, headers={"Origin": "https://testserver"})
    assert own.status_code == 200 and own.json()["html"] == "<p><em>x</em></p>\n"


def test_people_are_suggested_to_signed_in_writers_only(client, session, alice):
    make_user(session, "maryse", name="Maryse Gervais")
    make_user(session, "marc", name="Marc Tremblay")
    make_user(session, "zoe", name="Zoé Marchand")
    assert client.get("/api/v1/users/suggest?q=mar").status_code == 401
    found = client.get("/api/v1/users/suggest?q=mar", headers=alice).json()
    assert found == [
        {"username": "marc", "display_name": "Marc Tremblay"},
        {"username": "maryse", "display_name": "Maryse Gervais"},
        {"username": "zoe", "display_name": "Zoé Marchand"},
    ]
    assert client.get("/api/v1/users/suggest?q=gerv", headers=alice).json() == [
        {"username": "maryse", "display_name": "Maryse Gervais"}
    ]
    # Words anywhere in a display name, accents, case and apostrophes ignored.
    assert client.get("/api/v1/users/suggest?q=MARCHÁND", headers=alice).json() == [
        {"username": "zoe", "display_name": "Zoé Marchand"}
    ]
    make_user(session, "dora", name="Dora d’Aubigné")
    assert client.get("/api/v1/users/suggest?q=d'aubigne", headers=alice).json() == [
        {"username": "dora", "display_name": "Dora d’Aubigné"}
    ]
    assert client.get("/api/v1/users/suggest?q=%25", headers=alice).json() == []
    assert client.get("/api/v1/users/suggest?q=", headers=alice).json() == []


def test_a_preview_takes_no_write_lock(tmp_path, sqlite_template):
    """Previews come every few keystrokes: on SQLite they must not queue behind (or block) writers."""
    with sqlite_site_with_alice(tmp_path, sqlite_template) as (client, headers, holder):
        holder.execute("BEGIN IMMEDIATE")
        try:
            shown = client.post("/api/v1/notes/preview", json={"body": "**oui**"}, headers=headers)
            assert shown.status_code == 200 and shown.json()["html"] == "<p><strong>oui</strong></p>\n"
            assert (
                client.post("/api/v1/notes", json={"title": "Écriture"}, headers=headers).status_code == 503
            )  # writes still wait
        finally:
            holder.execute("ROLLBACK")
