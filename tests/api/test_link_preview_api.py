"""GET /api/v1/notes/{id}/preview: what a link preview card shows, through the policy."""

from praxis.markdown import plain_text
from tests.factories import make_note, make_user, token_for


def test_the_preview_api_shows_what_a_card_shows_and_nothing_hidden(client, session):
    alice = make_user(session, "alice", name="Alice Rivard")
    term = make_note(session, alice, title="Cercle", kind="term", definition="Un groupe de travail ouvert.")
    org = make_note(
        session, alice, title="Culture Laval", kind="organisation", region="Laval", description="Un conseil régional."
    )
    note = make_note(session, alice, title="Récit", body="## Jour 1\n\nNous arrivons à **Rimouski**.")
    secret = make_note(session, alice, title="Secret", body="Caché.", visibility="restricted")
    shown = client.get(f"/api/v1/notes/{term.id}/preview")
    assert shown.status_code == 200
    assert shown.json() == {
        "id": term.id,
        "kind": "term",
        "title": "Cercle",
        "url": term.url,
        "excerpt": plain_text(term.html),
        "definition": "Un groupe de travail ouvert.",
        "region": None,
        "description": None,
    }
    card = client.get(f"/api/v1/notes/{org.id}/preview").json()
    assert card["region"] == "Laval" and card["description"] == "Un conseil régional." and card["definition"] is None
    card = client.get(f"/api/v1/notes/{note.id}/preview").json()
    assert card["kind"] == "note" and card["excerpt"] == "Jour 1. Nous arrivons à Rimouski."
    hidden = client.get(f"/api/v1/notes/{secret.id}/preview")
    missing = client.get("/api/v1/notes/AAAAAAAAAAAA/preview")
    assert hidden.status_code == missing.status_code == 404 and hidden.json() == missing.json()
    mine = client.get(f"/api/v1/notes/{secret.id}/preview", headers=token_for(client, "alice"))
    assert mine.status_code == 200 and mine.json()["title"] == "Secret"
