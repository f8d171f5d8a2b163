"""No N+1: the queries a main page runs do not grow with the number of links, authors, carnets,
comments or notes it shows (counted on the database connection, every statement)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from tests.conftest import BACKENDS, shared_site
from tests.factories import INDEXER, accept_all, counted, make_note, make_user, token_for


@dataclass
class Grown:
    """A site without its page cache (every request renders and queries), grown once per
    module and backend: one note, then five, of each thing a page shows."""

    app: Any
    client: TestClient
    headers: dict[str, str]
    people: list[str]
    small: dict[str, str]
    large: dict[str, str]
    listings_small: dict[str, int]  # the listings' queries when the site held one of each


LISTINGS = [
    "/",
    "/notes/",
    "/lexique/",
    "/organisations/",
    "/c/",
    "/b/",
    "/api/v1/notes",
    "/api/v1/carnets",
    "/u/auteur0/",
    "/feed.atom",
]


@pytest.fixture(scope="module", params=BACKENDS)
def grown(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[Grown]:
    with shared_site(request.param, tmp_path_factory, request, page_cache_mb=0) as (app, client, session):
        people = [make_user(session, f"auteur{i}", name=f"Autrice {i}").username for i in range(6)]
        headers = token_for(client, people[0])
        assert make_note(session, make_user(session, "solo"), title="Seule", kind="term", body="Une définition.").id
        small = _grow(client, headers, people, 1, "Petit")
        listings_small = {path: _count(app, client, path) for path in LISTINGS}
        large = _grow(client, headers, people, 5, "Grand")
        yield Grown(app, client, headers, people, small, large, listings_small)


def _grow(client: TestClient, headers: dict[str, str], people: list[str], size: int, tag: str) -> dict[str, str]:
    """A note with `size` linked notes, organisations and terms, authors, carnets (each with
    `size` notes), comments and backlinks, the linked notes embedded; returns the ids to visit."""
    linked = [
        client.post(
            "/api/v1/notes", headers=headers, json={"title": f"{tag} lien {i}", "body": f"Texte embarqué {i}."}
        ).json()["id"]
        for i in range(size)
    ]
    for kind in ("organisation", "term"):
        for i in range(size):
            client.post(
                "/api/v1/notes", headers=headers, json={"title": f"{tag} {kind} {i}", "body": "Texte.", "kind": kind}
            )
    body = "Voir " + ", ".join(f"[[{tag} organisation {i}]] et [[{tag} term {i}]]" for i in range(size)) + "."
    body += "".join(f"\n\n![[{tag} lien {i}]]" for i in range(size))  # each linked note's text, in place
    note = client.post(
        "/api/v1/notes",
        headers=headers,
        json={"title": f"{tag} principale", "body": body, "links": linked, "authors": people[:size]},
    ).json()["id"]
    for person in people[1:size]:
        accept_all(client, token_for(client, person))  # co-authors accept the invitation
    for i in range(size):
        client.post(
            "/api/v1/notes", headers=headers, json={"title": f"{tag} renvoi {i}", "body": f"Voir [[{tag} principale]]."}
        )
        client.post(f"/api/v1/notes/{note}/comments", headers=headers, json={"body": f"Commentaire {i}."})
    carnets = []
    for i in range(size):
        carnet = client.post(
            "/api/v1/carnets",
            headers=headers,
            json={"title": f"{tag} carnet {i}", "axes": [{"name": "Thème", "categories": ["Un", "Deux"]}]},
        ).json()["id"]
        carnets.append(carnet)
        for target in [note, *linked]:
            assert (
                client.post(
                    f"/api/v1/carnets/{carnet}/notes", headers=headers, json={"note_id": target, "categories": ["Un"]}
                ).status_code
                == 201
            )
    base = client.post("/api/v1/bases", headers=headers, json={"title": f"{tag} base"}).json()["id"]
    for carnet in carnets:
        client.post(f"/api/v1/bases/{base}/carnets", headers=headers, json={"carnet_id": carnet})
    return {"note": note, "carnet": carnets[0], "base": base}


def _count(app, client: TestClient, path: str, headers: dict[str, str] | None = None) -> int:  # type: ignore[no-untyped-def]
    client.get(path, headers=headers)  # warm: first-use statements (statistics, language) aside
    with counted(app.state.engine) as statements:
        response = client.get(path, headers=headers)
    assert response.status_code == 200, (path, response.status_code)
    return len(statements)


def test_page_queries_do_not_grow_with_what_the_page_shows(grown: Grown) -> None:
    app, client, headers, small, large = grown.app, grown.client, grown.headers, grown.small, grown.large
    pages: dict[str, Callable[[dict[str, str]], str]] = {
        "note page": lambda ids: f"/n/{ids['note']}/",
        "note API": lambda ids: f"/api/v1/notes/{ids['note']}",
        "history": lambda ids: f"/n/{ids['note']}/history",
        "citation": lambda ids: f"/api/v1/notes/{ids['note']}/citation",
        "carnet page": lambda ids: f"/c/{ids['carnet']}/",
        "carnet API": lambda ids: f"/api/v1/carnets/{ids['carnet']}",
        "base page": lambda ids: f"/b/{ids['base']}/",
    }
    shown = client.get(f"/n/{large['note']}/").text
    for words in (
        "Texte embarqué 4",
        "Autrice 4",
        "Grand lien 4",
        "Grand organisation 4",
        "Grand term 4",
        "Grand renvoi 4",
        "Grand carnet 4",
        "Commentaire 4",
    ):
        assert words in shown, words  # the larger note does show five of each
    for who, sent in (("visitor", None), ("author", headers)):
        for name, path in pages.items():
            few, many = _count(app, client, path(small), sent), _count(app, client, path(large), sent)
            assert many == few, f"{name} ({who}): {few} queries with one of each, {many} with five"


def test_listing_queries_do_not_grow_with_the_number_of_notes(grown: Grown) -> None:
    assert {path: _count(grown.app, grown.client, path) for path in LISTINGS} == grown.listings_small


# Tables that grow with the site: a page may never read one of them whole.
LARGE_TABLES = (
    "note",
    "revision",
    "note_link",
    "note_author",
    "note_reader",
    "carnet_entry",
    "entry_category",
    "comment",
    "attachment",
    "user_account",
    "notification",
    "community_member",
)


def _scans(engine: sa.Engine, statements: list[tuple[str, object]]) -> set[str]:
    """The large tables some statement reads whole, as the database's planner means to run it.
    PostgreSQL is told to avoid sequential scans, so one it still plans has no index to use."""
    found: set[str] = set()
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        cursor = raw.cursor()
        if engine.dialect.name == "postgresql":
            cursor.execute("SET enable_seqscan = off")
        for statement, params in statements:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            if engine.dialect.name == "sqlite":
                cursor.execute("EXPLAIN QUERY PLAN " + statement, params)
                lines = [row[-1] for row in cursor.fetchall()]
                found |= {
                    t
                    for line in lines
                    for t in LARGE_TABLES
                    if line.startswith(f"SCAN {t}") and "USING" not in line and line.split()[1] == t
                }
            else:
                cursor.execute("EXPLAIN " + statement, params)
                lines = [row[0] for row in cursor.fetchall()]
                found |= {t for line in lines for t in LARGE_TABLES if f"Seq Scan on {t} " in line + " "}
        cursor.close()
        raw.rollback()
    return found


def test_main_pages_read_large_tables_through_indexes(grown: Grown) -> None:
    app, client, headers, people, ids = grown.app, grown.client, grown.headers, grown.people, grown.large
    paths = [
        f"/n/{ids['note']}/",
        f"/api/v1/notes/{ids['note']}",
        f"/c/{ids['carnet']}/",
        f"/b/{ids['base']}/",
        "/",
        "/notes/",
        "/lexique/",
        "/organisations/",
        "/c/",
        "/api/v1/notes",
        "/api/v1/notes?sort=title",
        "/api/v1/notes?kind=term",
        f"/api/v1/notes?author={people[1]}",
        f"/u/{people[1]}/",
        "/feed.atom",
        f"/n/{ids['note']}/history",
        f"/api/v1/carnets/{ids['carnet']}",
    ]
    executed: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, params, *_args) -> None:  # type: ignore[no-untyped-def]
        if threading.current_thread().name != INDEXER:
            executed.append((statement, params))

    for who in (None, headers):
        sa.event.listen(app.state.engine, "before_cursor_execute", record)
        try:
            for path in paths:
                assert client.get(path, headers=who).status_code == 200, path
        finally:
            sa.event.remove(app.state.engine, "before_cursor_execute", record)
    assert len(executed) > 100
    assert _scans(app.state.engine, executed) == set()
