"""Atom feeds: valid RFC 4287, and only what the reader may see."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import re

import feedparser
import pytest

from tests.conftest import one_database
from tests.atom_schema import assert_valid_atom
from tests.factories import make_note, make_user, token_for

ATOM = "{http://www.w3.org/2005/Atom}"
SITE = "https://praxis.example.org"
URN_UUID = re.compile(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


@pytest.fixture
def people(client, session):  # type: ignore[no-untyped-def]
    alice = make_user(session, "alice", name="Alice Rivard")
    bob = make_user(session, "bob", name="Bob Tremblay")
    return {"alice": alice, "bob": bob, "alice_h": token_for(client, "alice"), "bob_h": token_for(client, "bob")}


def read_feed(client, url: str, headers: dict[str, str] | None = None) -> ET.Element:  # type: ignore[no-untyped-def]
    """Fetch a feed, check it is valid Atom (RFC 4287's schema), and return its root element."""
    response = client.get(url, headers=headers or {})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    assert_valid_atom(response.content)
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    for name in ("id", "title", "updated"):
        assert len(root.findall(f"{ATOM}{name}")) == 1 and root.findtext(f"{ATOM}{name}")
    rels = {link.get("rel", "alternate"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert rels["self"] == SITE + url and rels["alternate"].startswith(SITE + "/")
    # Ids do not name the site's address, which may change (RFC 4287, 4.2.6).
    assert URN_UUID.fullmatch(root.findtext(f"{ATOM}id"))
    feed_has_author = root.find(f"{ATOM}author/{ATOM}name") is not None
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1 and entry.findtext(f"{ATOM}{name}")
        assert URN_UUID.fullmatch(entry.findtext(f"{ATOM}id"))
        assert alternate(entry).startswith(SITE + "/")
        assert feed_has_author or entry.find(f"{ATOM}author/{ATOM}name") is not None
    return root


def alternate(element: ET.Element) -> str:
    """The one link to the page the feed or entry stands for (no rel is rel="alternate", 4.2.7.2)."""
    (href,) = [
        link.get("href") for link in element.findall(f"{ATOM}link") if link.get("rel", "alternate") == "alternate"
    ]
    return href or ""


def titles(root: ET.Element) -> list[str]:
    return [entry.findtext(f"{ATOM}title") or "" for entry in root.findall(f"{ATOM}entry")]


def new_carnet(client, headers, title: str, visibility: str = "public", notes=()) -> str:  # type: ignore[no-untyped-def]
    created = client.post("/api/v1/carnets", json={"title": title, "visibility": visibility}, headers=headers)
    assert created.status_code == 201, created.text
    for note in notes:
        added = client.post(f"/api/v1/carnets/{created.json()['id']}/notes", json={"note_id": note.id}, headers=headers)
        assert added.status_code == 201, added.text
    return created.json()["id"]


def test_site_feed_shows_visitors_public_notes_only(client, session, people):
    alice = people["alice"]
    community = client.post("/api/v1/communities", json={"name": "Cercle"}, headers=people["alice_h"]).json()["id"]
    public = make_note(
        session,
        alice,
        title="Note publique",
        body="Un **chantier** réunit des agent·es.",
        published_at="2025-05-01T16:00:00Z",
    )
    make_note(session, alice, title="Note réservée", visibility="restricted")
    make_note(session, alice, title="Note du cercle", visibility="community", community=community)
    root = read_feed(client, "/feed.atom")
    assert titles(root) == ["Note publique"]
    assert alternate(root) == f"{SITE}/" and root.findtext(f"{ATOM}title") == "Praxis"
    assert root.findtext(f"{ATOM}author/{ATOM}name") == "Praxis"
    entry = root.find(f"{ATOM}entry")
    assert alternate(entry) == f"{SITE}/n/{public.id}/"
    assert entry.findtext(f"{ATOM}published").startswith("2025-05-01T16:00:00")
    assert [a.findtext(f"{ATOM}name") for a in entry.findall(f"{ATOM}author")] == ["Alice Rivard"]
    assert entry.findtext(f"{ATOM}author/{ATOM}uri") == f"{SITE}/u/alice/"
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "text" and summary.text == "Un chantier réunit des agent·es."
    assert root.findtext(f"{ATOM}updated") == entry.findtext(f"{ATOM}updated")


def test_site_feed_shows_an_author_their_restricted_and_community_notes(client, session, people):
    alice = people["alice"]
    community = client.post("/api/v1/communities", json={"name": "Cercle"}, headers=people["alice_h"]).json()["id"]
    make_note(session, alice, title="Note publique")
    make_note(session, alice, title="Note réservée", visibility="restricted")
    make_note(session, alice, title="Note du cercle", visibility="community", community=community)
    assert set(titles(read_feed(client, "/feed.atom", people["alice_h"]))) == {
        "Note publique",
        "Note réservée",
        "Note du cercle",
    }
    assert titles(read_feed(client, "/feed.atom", people["bob_h"])) == ["Note publique"]


@one_database
def test_empty_site_feed_is_still_valid(client):
    root = read_feed(client, "/feed.atom")
    assert titles(root) == [] and root.findtext(f"{ATOM}updated").startswith("1970-01-01")


def test_entries_come_newest_update_first(client, session, people):
    alice = people["alice"]
    first = make_note(session, alice, title="Première")
    make_note(session, alice, title="Deuxième")
    make_note(session, alice, title="Troisième")
    assert titles(read_feed(client, "/feed.atom")) == ["Troisième", "Deuxième", "Première"]
    edited = client.patch(
        f"/api/v1/notes/{first.id}", json={"body": "Revue", "base_revision": 1}, headers=people["alice_h"]
    )
    assert edited.status_code == 200, edited.text
    root = read_feed(client, "/feed.atom")
    assert titles(root) == ["Première", "Troisième", "Deuxième"]
    assert root.findtext(f"{ATOM}updated") == root.find(f"{ATOM}entry").findtext(f"{ATOM}updated")


def test_carnet_feed_lists_its_visible_notes_only(client, session, people):
    alice = people["alice"]
    inside = make_note(session, alice, title="Dans le carnet")
    hidden = make_note(session, alice, title="Réservée dans le carnet", visibility="restricted")
    make_note(session, alice, title="Hors du carnet")
    carnet = new_carnet(client, people["alice_h"], "Carnet de veille", notes=[inside, hidden])
    root = read_feed(client, f"/c/{carnet}/feed.atom")
    assert titles(root) == ["Dans le carnet"]
    assert root.findtext(f"{ATOM}title") == "Carnet de veille" and alternate(root) == f"{SITE}/c/{carnet}/"
    assert titles(read_feed(client, f"/c/{carnet}/feed.atom", people["alice_h"])) == [
        "Réservée dans le carnet",
        "Dans le carnet",
    ]


def test_restricted_carnet_feed_is_for_its_managers(client, session, people):
    note = make_note(session, people["alice"], title="Note publique")
    carnet = new_carnet(client, people["alice_h"], "Carnet privé", visibility="restricted", notes=[note])
    assert client.get(f"/c/{carnet}/feed.atom").status_code == 404
    assert client.get(f"/c/{carnet}/feed.atom", headers=people["bob_h"]).status_code == 404
    assert titles(read_feed(client, f"/c/{carnet}/feed.atom", people["alice_h"])) == ["Note publique"]


def test_empty_carnet_feed_dates_from_the_carnet(client, people):
    carnet = new_carnet(client, people["alice_h"], "Carnet vide")
    root = read_feed(client, f"/c/{carnet}/feed.atom")
    shown = client.get(f"/api/v1/carnets/{carnet}").json()
    assert titles(root) == [] and root.findtext(f"{ATOM}updated")[:19] == shown["updated_at"][:19]


def test_base_feed_gathers_its_carnets_notes(client, session, people):
    alice, headers = people["alice"], people["alice_h"]
    one = new_carnet(client, headers, "Premier carnet", notes=[make_note(session, alice, title="Note A")])
    two = new_carnet(client, headers, "Second carnet", notes=[make_note(session, alice, title="Note B")])
    new_carnet(client, headers, "Carnet à part", notes=[make_note(session, alice, title="Note C")])
    private = new_carnet(
        client, headers, "Carnet privé", visibility="restricted", notes=[make_note(session, alice, title="Note D")]
    )
    base = client.post("/api/v1/bases", json={"title": "Base commune"}, headers=headers).json()["id"]
    for carnet in (one, two, private):
        assert (
            client.post(f"/api/v1/bases/{base}/carnets", json={"carnet_id": carnet}, headers=headers).status_code == 201
        )
    root = read_feed(client, f"/b/{base}/feed.atom")
    assert titles(root) == ["Note B", "Note A"]
    assert root.findtext(f"{ATOM}title") == "Base commune" and alternate(root) == f"{SITE}/b/{base}/"
    assert titles(read_feed(client, f"/b/{base}/feed.atom", headers)) == ["Note D", "Note B", "Note A"]
    assert client.get("/b/inexistante/feed.atom").status_code == 404


def test_author_feed_lists_what_the_person_wrote(client, session, people):
    alice, bob = people["alice"], people["bob"]
    make_note(session, alice, title="Par Alice")
    make_note(session, bob, title="Par Bob")
    make_note(session, bob, title="Ensemble", authors=["bob", "alice"])
    make_note(session, alice, title="Réservée d'Alice", visibility="restricted")
    root = read_feed(client, "/u/alice/feed.atom")
    assert titles(root) == ["Ensemble", "Par Alice"]
    assert root.findtext(f"{ATOM}title") == "Alice Rivard" and alternate(root) == f"{SITE}/u/alice/"
    together = root.find(f"{ATOM}entry")
    assert [a.findtext(f"{ATOM}name") for a in together.findall(f"{ATOM}author")] == ["Bob Tremblay", "Alice Rivard"]
    assert titles(read_feed(client, "/u/alice/feed.atom", people["alice_h"])) == [
        "Réservée d'Alice",
        "Ensemble",
        "Par Alice",
    ]


def test_unknown_carnet_and_person_are_404(client, people):
    assert client.get("/c/inexistant/feed.atom").status_code == 404
    assert client.get("/c/AAAAAAAAAAAAAAAAAAAAAAAA/feed.atom").status_code == 404
    assert client.get("/u/personne/feed.atom").status_code == 404


def test_discussion_feed_leaves_out_hidden_comments(client, session, people):
    note = make_note(session, people["alice"], title="Chantier")
    said = {}
    for body in ("Un avis utile.", "Achetez maintenant!"):
        made = client.post(f"/api/v1/notes/{note.id}/comments", headers=people["bob_h"], json={"body": body})
        said[body] = made.json()["url"]
    root = read_feed(client, f"/n/{note.id}/discussion.atom")
    assert len(root.findall(f"{ATOM}entry")) == 2
    spam = said["Achetez maintenant!"].rsplit("#c-", 1)[1]
    hidden = client.post(f"/api/v1/comments/{spam}/hide", headers=people["alice_h"], json={"reason": "Publicité"})
    assert hidden.status_code == 200
    response = client.get(f"/n/{note.id}/discussion.atom")
    root = read_feed(client, f"/n/{note.id}/discussion.atom")
    assert [alternate(e) for e in root.findall(f"{ATOM}entry")] == [said["Un avis utile."]]
    assert "Achetez" not in response.text and "Publicité" not in response.text
    assert root.findtext(f"{ATOM}title") == "Discussion : Chantier"


@one_database
def test_discussion_feed_speaks_the_sites_language(app, session, people):
    from fastapi.testclient import TestClient

    from praxis.app import create_app

    note = make_note(session, people["alice"], title="Garden")
    site = create_app(app.state.settings.model_copy(update={"language": "en"}))
    with TestClient(site, base_url="https://testserver") as english:
        english.post(f"/api/v1/notes/{note.id}/comments", headers=token_for(english, "bob"), json={"body": "Nice."})
        # The feed is the same for every reader: the site's language, whatever the reader asks for.
        response = english.get(f"/n/{note.id}/discussion.atom", headers={"Accept-Language": "fr-CA"})
    site.state.engine.dispose()
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert root.findtext(f"{ATOM}title") == "Discussion: Garden"
    assert feedparser.parse(response.content).feed.language == "en"


@one_database
def test_note_feeds_speak_the_sites_language(app, session, people):
    from fastapi.testclient import TestClient

    from praxis.app import create_app

    make_note(session, people["alice"], title="Garden")
    for language in ("en", "fr"):
        site = create_app(app.state.settings.model_copy(update={"language": language}))
        with TestClient(site, base_url="https://testserver") as client:
            feeds = [
                client.get("/feed.atom", headers={"Accept-Language": "fr-CA" if language == "en" else "en"}),
                client.get("/u/alice/feed.atom"),
            ]
        site.state.engine.dispose()
        for response in feeds:
            assert response.status_code == 200
            assert ET.fromstring(response.content).get("{http://www.w3.org/XML/1998/namespace}lang") == language


@one_database
def test_feeds_can_be_discovered_from_their_pages(client, session, people):
    """Each page with a feed names it in its head (feed readers find it there), and the home
    page and a person's profile also link to theirs where a reader sees it."""
    alice = people["alice"]
    public = make_note(session, alice, title="Note publique")
    private = make_note(session, alice, title="Note réservée", visibility="restricted")
    carnet = new_carnet(client, people["alice_h"], "Carnet de veille", notes=[public])
    base = client.post("/api/v1/bases", json={"title": "Base commune"}, headers=people["alice_h"]).json()["id"]

    def feeds_named(html: str) -> list[str]:
        head = html[: html.index("</head>")]
        return re.findall(r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="([^"]+)">', head)

    home = client.get("/").text
    assert feeds_named(home) == ["/feed.atom"] and 'href="/feed.atom"' in home[home.index("<body") :]
    profile = client.get("/u/alice/").text
    assert feeds_named(profile) == ["/u/alice/feed.atom"]
    assert '<a href="/u/alice/feed.atom">Fil Atom</a>' in profile
    assert feeds_named(client.get(f"/c/{carnet}/").text) == [f"/c/{carnet}/feed.atom"]
    assert feeds_named(client.get(f"/b/{base}/").text) == [f"/b/{base}/feed.atom"]
    assert feeds_named(client.get(f"/n/{public.id}/").text) == [f"/n/{public.id}/discussion.atom"]
    # A note that is not public has no discussion feed (it would be a 404): none is named.
    seen_by_author = client.get(f"/n/{private.id}/", headers=people["alice_h"])
    assert seen_by_author.status_code == 200 and feeds_named(seen_by_author.text) == []
    for url in (
        "/feed.atom",
        "/u/alice/feed.atom",
        f"/c/{carnet}/feed.atom",
        f"/b/{base}/feed.atom",
        f"/n/{public.id}/discussion.atom",
    ):
        read_feed(client, url)
