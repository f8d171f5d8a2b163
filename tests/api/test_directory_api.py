"""Organisations and terms: their fields, suggestions while writing, and the graph."""

import pytest

from tests.factories import make_note, make_user, token_for


@pytest.fixture
def alice(client, session):
    make_user(session, "alice")
    return token_for(client, "alice")


def test_organisations_and_terms_carry_their_own_fields(client, alice):
    org = client.post(
        "/api/v1/notes",
        json={
            "kind": "organisation",
            "title": "Culture Laval",
            "website": "https://example.org/cl",
            "region": "Laval",
            "description": "Conseil régional",
        },
        headers=alice,
    )
    assert org.status_code == 201
    assert {k: org.json()[k] for k in ("website", "region", "description")} == {
        "website": "https://example.org/cl",
        "region": "Laval",
        "description": "Conseil régional",
    }
    term = client.post(
        "/api/v1/notes",
        json={
            "kind": "term",
            "title": "Mutualisation",
            "definition": "Mise en commun.",
            "synonyms": ["mise en commun", "partage"],
        },
        headers=alice,
    ).json()
    assert term["definition"] == "Mise en commun." and term["synonyms"] == ["mise en commun", "partage"]
    changed = client.patch(
        f"/api/v1/notes/{org.json()['id']}", json={"base_revision": 1, "region": "Montréal"}, headers=alice
    ).json()
    assert changed["region"] == "Montréal" and changed["revision"] == 2
    revisions = client.get(f"/api/v1/notes/{org.json()['id']}/diff", params={"from": 1, "to": 2}).json()["fields"]
    assert revisions == [{"field": "region", "before": "Laval", "after": "Montréal"}]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "note", "title": "x", "website": "https://example.org"}, "website"),
        ({"kind": "term", "title": "x", "region": "Laval"}, "region"),
        ({"kind": "organisation", "title": "x", "synonyms": ["a"]}, "synonyms"),
        ({"kind": "organisation", "title": "x", "website": "javascript:alert(1)"}, "website"),
        ({"kind": "organisation", "title": "x", "region": "a\nb"}, "region"),
    ],
)
def test_fields_of_another_kind_or_bad_values_are_422(client, alice, payload, field):
    response = client.post("/api/v1/notes", json=payload, headers=alice)
    assert response.status_code == 422 and response.json()["detail"][0]["loc"][-1] == field


def test_suggestions_match_title_prefixes_whatever_the_accents_and_case(client, session, alice):
    from praxis.people.accounts import get_user

    author = get_user(session, "alice")
    for title in ("Économie sociale", "Écosystème numérique", "Économie", "économies d'échelle", "Chantier"):
        make_note(session, author, title=title, kind="term" if "numérique" in title else "note")
    make_note(session, author, title="Économie secrète", visibility="restricted")
    found = client.get("/api/v1/notes/suggest", params={"q": "ECONOMIE"}).json()
    assert [s["title"] for s in found] == ["Économie", "Économie sociale", "économies d'échelle"]
    assert set(found[0]) >= {"id", "title", "kind", "url"}
    assert [s["title"] for s in client.get("/api/v1/notes/suggest", params={"q": "éco", "kind": "term"}).json()] == [
        "Écosystème numérique"
    ]
    mine = client.get("/api/v1/notes/suggest", params={"q": "economie s"}, headers=alice).json()
    assert [s["title"] for s in mine] == ["Économie secrète", "Économie sociale"]  # same length: A to Z
    assert len(client.get("/api/v1/notes/suggest", params={"q": "e", "limit": 2}).json()) == 2
    assert client.get("/api/v1/notes/suggest", params={"q": ""}).json() == []
    assert client.get("/api/v1/notes/suggest", params={"q": "100%_"}).json() == []
    assert client.get("/api/v1/notes/suggest", params={"limit": 500, "q": "a"}).status_code == 422


def test_suggestions_match_words_anywhere_prefixes_first_apostrophes_ignored(client, session, alice):
    from praxis.people.accounts import get_user

    author = get_user(session, "alice")
    veille = make_note(session, author, title="Intelligence artificielle et partage de veille")
    partage = make_note(session, author, title="Partage des savoirs")
    make_note(session, author, title="L’économie du partage")
    make_note(session, author, title="Mutualisation", kind="term", synonyms=["Partage de ressources"])
    make_note(session, author, title="Partage secret", visibility="restricted")

    def titles(q, **params):
        return [s["title"] for s in client.get("/api/v1/notes/suggest", params={"q": q, **params}).json()]

    # A title (then a synonym) that starts with the query first, then words anywhere, shortest first.
    assert titles("partage") == [
        "Partage des savoirs",
        "Mutualisation",
        "L’économie du partage",
        "Intelligence artificielle et partage de veille",
    ]
    assert titles("PARTAGE veil") == ["Intelligence artificielle et partage de veille"]
    assert titles("l'economie") == titles("l’ÉCONOMIE") == titles("economie part") == ["L’économie du partage"]
    assert titles("artage") == []  # words start where the query's words do
    assert titles("ressources", kind="term") == ["Mutualisation"]
    assert titles("ressources", kind="note") == []
    # A hidden note is never offered, nor counted as sharing a title.
    assert "Partage secret" not in titles("partage secret")
    found = client.get("/api/v1/notes/suggest", params={"q": "partage des"}).json()
    assert [(s["id"], s["shared"]) for s in found] == [(partage.id, False)]
    make_note(session, author, title="Partage des savoirs", visibility="restricted")
    shared = client.get("/api/v1/notes/suggest", params={"q": "partage des"}, headers=alice).json()
    assert [s["shared"] for s in shared] == [True, True]
    assert [s["shared"] for s in client.get("/api/v1/notes/suggest", params={"q": "partage des"}).json()] == [False]
    assert veille.id in {s["id"] for s in client.get("/api/v1/notes/suggest", params={"q": "veille"}).json()}


def test_graph_returns_the_visible_neighbourhood(client, session, alice):
    from praxis.people.accounts import get_user

    author = get_user(session, "alice")
    far = make_note(session, author, title="Lointaine")
    near = make_note(session, author, title="Voisine", links=[far.id])
    hidden = make_note(session, author, title="Cachée", visibility="restricted")
    center = make_note(session, author, title="Centre", links=[near.id, hidden.id])
    fan = make_note(session, author, title="Admiratrice", body="Voir [[Centre]].")
    one = client.get(f"/api/v1/notes/{center.id}/graph").json()
    assert {n["title"] for n in one["nodes"]} == {"Centre", "Voisine", "Admiratrice"}
    assert {(e["source"], e["target"]) for e in one["edges"]} == {(center.id, near.id), (fan.id, center.id)}
    two = client.get(f"/api/v1/notes/{center.id}/graph", params={"depth": 2}).json()
    assert {n["title"] for n in two["nodes"]} == {"Centre", "Voisine", "Admiratrice", "Lointaine"}
    assert (near.id, far.id) in {(e["source"], e["target"]) for e in two["edges"]}
    as_author = client.get(f"/api/v1/notes/{center.id}/graph", headers=alice).json()
    assert "Cachée" in {n["title"] for n in as_author["nodes"]}
    assert client.get(f"/api/v1/notes/{center.id}/graph", params={"depth": 3}).status_code == 422
    assert client.get(f"/api/v1/notes/{hidden.id}/graph").status_code == 404


def test_empty_details_of_another_kind_are_not_an_error(client, alice):
    response = client.post("/api/v1/notes", json={"title": "Simple", "synonyms": [], "description": ""}, headers=alice)
    assert response.status_code == 201


def test_backlinks_are_also_grouped_by_kind(client, session, alice):
    from praxis.people.accounts import get_user

    author = get_user(session, "alice")
    target = make_note(session, author, title="Cible")
    make_note(session, author, title="Une note", links=[target.id])
    make_note(session, author, title="Un terme", kind="term", links=[target.id])
    grouped = client.get(f"/api/v1/notes/{target.id}").json()["backlinks_by_kind"]
    assert [n["title"] for n in grouped["notes"]] == ["Une note"] and [n["title"] for n in grouped["terms"]] == [
        "Un terme"
    ]
