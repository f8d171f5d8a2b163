"""Every feed is valid Atom (RFC 4287's RELAX NG schema), whatever text was stored before the
text rule, and its ids stay the same when the site moves to another address."""

from __future__ import annotations

import re
from pathlib import Path

import sqlalchemy as sa
from fastapi.testclient import TestClient
from lxml import etree

from praxis.app import create_app
from praxis.models import Carnet, Comment, KnowledgeBase, Note, User
from praxis.transfer import folders
from tests.conftest import one_database
from tests.atom_schema import A, assert_valid_atom, atom_problems
from tests.factories import make_note, make_user, token_for

CONTENT = Path(__file__).resolve().parents[2] / "content"


def _small_site(client, session):  # type: ignore[no-untyped-def]
    """A public note in a carnet in a base, with a comment: something in each of the five feeds."""
    alice = make_user(session, "alice", name="Alice Rivard")
    make_user(session, "bob", name="Bob Tremblay")
    alice_h, bob_h = token_for(client, "alice"), token_for(client, "bob")
    note = make_note(session, alice, title="Chantier", body="Un **chantier** ouvert.")
    carnet = client.post("/api/v1/carnets", json={"title": "Carnet"}, headers=alice_h).json()["id"]
    assert client.post(f"/api/v1/carnets/{carnet}/notes", json={"note_id": note.id}, headers=alice_h).status_code == 201
    base = client.post("/api/v1/bases", json={"title": "Base"}, headers=alice_h).json()["id"]
    assert client.post(f"/api/v1/bases/{base}/carnets", json={"carnet_id": carnet}, headers=alice_h).status_code == 201
    comment = client.post(f"/api/v1/notes/{note.id}/comments", json={"body": "Un avis."}, headers=bob_h).json()["id"]
    feeds = [
        "/feed.atom",
        f"/c/{carnet}/feed.atom",
        f"/b/{base}/feed.atom",
        "/u/alice/feed.atom",
        "/u/bob/feed.atom",
        f"/n/{note.id}/discussion.atom",
    ]
    return {"note": note.id, "carnet": carnet, "base": base, "comment": comment, "feeds": feeds}


def test_every_feed_reads_text_stored_before_the_rule(client, session):
    site = _small_site(client, session)
    # Rows as an older Praxis could write them, before such characters were refused.
    for statement in (
        sa.update(Note)
        .where(Note.id == site["note"])
        .values(title="Chan\ufffftier\x01", html="<p>Un \x1b[31mchantier\ufffe.</p>"),
        sa.update(User).where(User.username == "alice").values(display_name="Alice\x0c Rivard\x85"),
        sa.update(User).where(User.username == "bob").values(display_name="Bob\uffff Tremblay"),
        sa.update(Carnet).where(Carnet.id == site["carnet"]).values(title="Car\x02net"),
        sa.update(KnowledgeBase).where(KnowledgeBase.id == site["base"]).values(title="Ba\x7fse"),
        sa.update(Comment).where(Comment.id == site["comment"]).values(html="<p>Un \x01avis\U0010ffff.</p>"),
    ):
        session.execute(statement)
    session.commit()
    for url in site["feeds"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_valid_atom(response.content)
        root = etree.fromstring(response.content)
        assert any("Chantier" in (e.findtext(f"{A}title") or "") for e in root.iter()) or url.startswith("/u/bob"), url
    assert b"Alice Rivard" in client.get("/u/alice/feed.atom").content
    assert b"Un avis." in client.get(f"/n/{site['note']}/discussion.atom").content


def _ids(client: TestClient, url: str) -> tuple[list[str], list[str]]:
    response = client.get(url)
    assert response.status_code == 200, url
    root = etree.fromstring(response.content)
    ids = [root.findtext(f"{A}id")] + [e.findtext(f"{A}id") for e in root.findall(f"{A}entry")]
    links = [link.get("href") for link in root.iter(f"{A}link")]
    return ids, links


@one_database
def test_ids_stay_when_the_site_moves_to_another_address(app, client, session):
    site = _small_site(client, session)
    before = {url: _ids(client, url) for url in site["feeds"]}
    moved = create_app(app.state.settings.model_copy(update={"site_url": "http://autre.exemple.net"}))
    try:
        with TestClient(moved, base_url="https://testserver") as elsewhere:
            after = {url: _ids(elsewhere, url) for url in site["feeds"]}
    finally:
        moved.state.engine.dispose()
    for url in site["feeds"]:
        assert after[url][0] == before[url][0], url  # the same ids…
        assert all(href.startswith("http://autre.exemple.net/") for href in after[url][1]), url  # …the new links
        assert all(re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", i) for i in after[url][0]), url
    # One note is one entry, with one id, in every feed that lists it; each feed has its own id.
    note_ids = {before[url][0][1] for url in site["feeds"][:4]}
    assert len(note_ids) == 1
    assert len({ids[0] for ids, _ in before.values()}) == len(site["feeds"])


@one_database
def test_every_feed_of_the_sample_site_is_valid_atom(client, session):
    folders.import_path(session=session, path=CONTENT)
    session.commit()
    make_user(session, "bob", name="Bob Tremblay")
    bob = token_for(client, "bob")
    notes = client.get("/api/v1/notes", params={"per_page": 100}).json()["items"]
    for note in notes[:3]:
        made = client.post(
            f"/api/v1/notes/{note['id']}/comments", json={"body": f"Un avis sur « {note['title']} »."}, headers=bob
        )
        assert made.status_code == 201, made.text
    carnets = [c["id"] for c in client.get("/api/v1/carnets").json()["items"]]
    bases = [b["id"] for b in client.get("/api/v1/bases").json()]
    people = {a["username"] for note in notes for a in note["authors"]}
    feeds = (
        ["/feed.atom"]
        + [f"/c/{c}/feed.atom" for c in carnets]
        + [f"/b/{b}/feed.atom" for b in bases]
        + [f"/u/{p}/feed.atom" for p in sorted(people)]
        + [f"/n/{n['id']}/discussion.atom" for n in notes]
    )
    assert carnets and bases and len(people) > 1 and len(feeds) > 20
    for url in feeds:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_valid_atom(response.content)


@one_database
def test_the_schema_check_fails_on_an_invalid_feed(client, session):
    site = _small_site(client, session)
    valid = client.get("/feed.atom").content
    assert atom_problems(valid) == []
    first_id = re.search(rb"<id>[^<]*</id>", valid).group()
    broken = {
        "no id": valid.replace(first_id, b"", 1),
        "a date that is not one": re.sub(rb"<updated>[^<]*</updated>", b"<updated>hier</updated>", valid, count=1),
        "a text type Atom does not have": valid.replace(b'<summary type="text">', b'<summary type="markdown">', 1),
        "a relative id": valid.replace(first_id, b"<id>/n/x/</id>", 1),
        "an entry without author in a feed without one": re.sub(rb"<author>.*?</author>", b"", valid, flags=re.S),
        "two alternate links": valid.replace(b"</entry>", b'<link href="https://x.example/"/></entry>', 1),
        "not XML": valid.replace(b"Chantier", b"Chan\x01tier", 1),
    }
    for what, content in broken.items():
        assert content != valid, what
        assert atom_problems(content) != [], what
    assert site["feeds"]
