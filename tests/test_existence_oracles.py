"""A hidden thing answers exactly like a missing one, on every route that takes an id.

For each route of the API and of the pages that names a note, a revision, a comment, an edit
request, a file, a carnet, a carnet entry, a base, a term or a message, the answer for a thing
that exists but that the caller may not see is compared with the answer for an id of the same
shape that names nothing: status, headers and body (the page, or the JSON detail), the ids
themselves put aside. Callers: a visitor, and Mona, signed in and a reader of none of it.

The world: Alice writes the public note P and the restricted note H (Rita is its reader), and
D, public but deleted. Each has a comment, a file and an edit request by Rita; P also has a
deleted comment. The public carnet Cp holds P, H and D (Mona contributes to it); the restricted
carnet Ch holds P. The public base Bp gathers Cp and Ch; the restricted base Bh gathers Cp.
"""

from __future__ import annotations

import re
import secrets
from types import ModuleType

import pytest
from fastapi.testclient import TestClient
from starlette.routing import Route

import praxis.api
import praxis.web
from praxis.deps import CSRF_COOKIE, csrf_mac
from tests.conftest import WorldSnapshots, on_backends_in_turn
from tests.factories import browser_for, make_user, token_for

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
CSRF_VALUE = "valeur-csrf-de-test"

# Path parameters that name something that may be hidden; the others take a fixed value.
ID_PARAMS = ("note_id", "comment_id", "request_id", "file_id", "carnet_id", "base_id", "message_id", "slug")
FIXED = {
    "number": "1",
    "ext": "bib",
    "decision": "approve",
    "username": "alice",
    "name": "Logement",
    "axis_id": "1",
    "action": "deactivate",
}

# A valid body for each route that takes one, so that the answer comes from the route and not
# from the validation of what was sent.
JSON = {
    ("PATCH", "/api/v1/notes/{note_id}"): {"base_revision": 1, "body": "Autre texte."},
    ("POST", "/api/v1/notes/{note_id}/comments"): {"body": "Bonjour."},
    ("PATCH", "/api/v1/notes/{note_id}/discussion"): {"closed": True},
    ("POST", "/api/v1/notes/{note_id}/edit-requests"): {"message": "Je peux aider."},
    ("POST", "/api/v1/notes/{note_id}/contact"): {
        "subject": "Bonjour",
        "message": "Un mot.",
        "name": "Vi",
        "email": "vi@example.org",
    },
    ("PATCH", "/api/v1/comments/{comment_id}"): {"body": "Autre commentaire."},
    ("POST", "/api/v1/comments/{comment_id}/hide"): {"reason": "Hors sujet"},
    ("PATCH", "/api/v1/carnets/{carnet_id}"): {"title": "Autre titre"},
    ("POST", "/api/v1/carnets/{carnet_id}/members"): {"username": "mona", "role": "manager"},
    ("POST", "/api/v1/carnets/{carnet_id}/axes"): {"name": "Lieu", "categories": []},
    ("PATCH", "/api/v1/carnets/{carnet_id}/axes/{axis_id}"): {"name": "Sujet"},
    ("POST", "/api/v1/carnets/{carnet_id}/axes/{axis_id}/categories"): {"name": "Travail"},
    ("PATCH", "/api/v1/carnets/{carnet_id}/categories/{name}"): {"name": "Habitat"},
    ("POST", "/api/v1/carnets/{carnet_id}/notes"): {"note_id": "{P}"},
    ("PATCH", "/api/v1/carnets/{carnet_id}/notes/{note_id}"): {"pinned": True},
    ("PATCH", "/api/v1/bases/{base_id}"): {"title": "Autre titre"},
    ("POST", "/api/v1/bases/{base_id}/carnets"): {"carnet_id": "{Cp}"},
    ("POST", "/api/v1/bases/{base_id}/managers"): {"username": "mona"},
    ("POST", "/api/v1/me/messages/{message_id}/reply"): {"message": "Merci."},
}
# What the pages' forms send (each form reads the fields it knows).
FORM = {
    "body": "Bonjour.",
    "reason": "Hors sujet",
    "name": "Travail",
    "new_name": "Habitat",
    "title": "Autre titre",
    "message": "Un mot.",
    "subject": "Bonjour",
    "email": "vi@example.org",
    "username": "mona",
    "role": "manager",
    "closed": "1",
    "base_revision": "1",
    "kind": "note",
    "visibility": "public",
    "licence": "CC-BY-SA-4.0",
    "carnet_id": "{Cp}",
    "note_id": "{P}",
}
# The query a route needs besides its path.
QUERY = {
    "/api/v1/notes/{note_id}/diff": "?from=1&to=2",
    "/n/{note_id}/diff": "?from=1&to=2",
    "/c/{carnet_id}/categories/delete": "?name=Logement",
}
UPLOADS = {"/api/v1/notes/{note_id}/files", "/api/v1/notes/{note_id}/attachments", "/n/{note_id}/files"}

# Ids named elsewhere than in the path: in a query or in what is sent.
EXTRA = [
    ("GET", "/api/v1/notes?carnet={carnet_id}", None),
    ("GET", "/api/v1/notes?base={base_id}", None),
    ("GET", "/api/v1/carnets/{Cp}?q={note_id}", None),
    ("POST", "/api/v1/notes", {"title": "Avec un lien", "links": ["{note_id}"]}),
    ("POST", "/api/v1/notes", {"title": "Dans un carnet", "carnet": "{carnet_id}"}),
    ("POST", "/api/v1/notes/preview", {"body": "Texte.", "note_id": "{note_id}"}),
    ("POST", "/api/v1/carnets/{Cp}/notes", {"note_id": "{note_id}"}),
    ("POST", "/api/v1/bases/{Bm}/carnets", {"carnet_id": "{carnet_id}"}),
    ("POST", "/api/v1/notes/{P}/comments", {"body": "Réponse.", "parent_id": "{comment_id}"}),
    ("GET", "/b/{Bp}/?carnet={carnet_id}", None),
    ("GET", "/n/new?carnet={carnet_id}", None),
    # Where a reader came from: a hidden carnet or base is ignored exactly as a missing one.
    ("GET", "/n/{P}/?carnet={carnet_id}", None),
    ("GET", "/n/{P}/?carnet={Cp}&base={base_id}", None),
]


def _routes() -> list[tuple[str, str]]:
    """Every (method, path) of the API and the pages that takes an id of something hideable."""
    found = set()
    for package, prefix in ((praxis.api, "/api/v1"), (praxis.web, "")):
        modules = [m for m in vars(package).values() if isinstance(m, ModuleType) and hasattr(m, "router")]
        for module in modules:
            for route in module.router.routes:
                if not isinstance(route, Route) or not any(f"{{{p}}}" in route.path for p in ID_PARAMS):
                    continue
                if route.path.startswith("/healthz") or route.path.startswith("/readyz"):
                    continue
                for method in sorted((route.methods or set()) - {"HEAD"}):
                    found.add((method, prefix + route.path))
    return sorted(found)


@pytest.fixture(scope="module")
def world_snapshots(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> WorldSnapshots:
    """The world built once per backend; each viewer's test gets a site of its own holding a copy
    (its writes, wrongly accepted, would spoil the other's)."""
    return WorldSnapshots(request, tmp_path_factory.mktemp("oracles"), _build_world)


@pytest.fixture
def world(client, snapshot_world):  # type: ignore[no-untyped-def]
    return snapshot_world


def _build_world(app, session):  # type: ignore[no-untyped-def]
    with TestClient(app, base_url="https://testserver") as client:
        return _world(client, session)


def _world(client, session):  # type: ignore[no-untyped-def]
    alice = make_user(session, "alice", name="Alice")
    make_user(session, "rita", name="Rita")
    make_user(session, "mona", name="Mona")
    a, r, m = token_for(client, "alice"), token_for(client, "rita"), token_for(client, "mona")

    def ok(response, status=(200, 201, 202, 204)):  # type: ignore[no-untyped-def]
        assert response.status_code in status, response.text
        return response.json() if response.content else None

    def note(title, **extra):  # type: ignore[no-untyped-def]
        return ok(
            client.post("/api/v1/notes", headers=a, json={"title": title, "body": f"Texte de {title}.", **extra})
        )["id"]

    def attach(note_id):  # type: ignore[no-untyped-def]
        return ok(
            client.post(
                f"/api/v1/notes/{note_id}/files", headers=a, files={"file": ("doc.pdf", PDF, "application/pdf")}
            )
        )["id"]

    w = {
        "P": note("Note publique P"),
        "H": note("Note cachée H", visibility="restricted", readers=["rita"]),
        "D": note("Note supprimée D"),
    }
    term = note("Terme caché", kind="term", visibility="restricted")
    w["term"] = ok(client.get(f"/api/v1/notes/{term}", headers=a))["slug"]
    for key in ("P", "H", "D"):
        ok(client.patch(f"/api/v1/notes/{w[key]}", headers=a, json={"base_revision": 1, "body": "Revu."}))
        w[f"c{key}"] = ok(client.post(f"/api/v1/notes/{w[key]}/comments", headers=a, json={"body": f"Sur {key}."}))[
            "id"
        ]
        w[f"f{key}"] = attach(w[key])
        w[f"r{key}"] = ok(client.post(f"/api/v1/notes/{w[key]}/edit-requests", headers=r, json={}))["id"]
    w["cDel"] = ok(client.post(f"/api/v1/notes/{w['P']}/comments", headers=a, json={"body": "Effacé."}))["id"]
    ok(client.delete(f"/api/v1/comments/{w['cDel']}", headers=a))
    ok(client.post(f"/api/v1/notes/{w['P']}/contact", headers=r, json={"subject": "Bonjour", "message": "Pour Alice."}))
    w["msg"] = ok(client.get("/api/v1/me/messages", headers=a))[0]["id"]
    axes = [{"name": "Thème", "categories": ["Logement"]}]
    w["Cp"] = ok(client.post("/api/v1/carnets", headers=a, json={"title": "Carnet public", "axes": axes}))["id"]
    w["Ch"] = ok(
        client.post(
            "/api/v1/carnets", headers=a, json={"title": "Carnet caché", "visibility": "restricted", "axes": axes}
        )
    )["id"]
    for carnet, notes in ((w["Cp"], ("P", "H", "D")), (w["Ch"], ("P",))):
        for key in notes:
            ok(
                client.post(
                    f"/api/v1/carnets/{carnet}/notes", headers=a, json={"note_id": w[key], "categories": ["Logement"]}
                )
            )
    ok(client.post(f"/api/v1/carnets/{w['Cp']}/members", headers=a, json={"username": "mona", "role": "contributor"}))
    w["Bp"] = ok(client.post("/api/v1/bases", headers=a, json={"title": "Base publique"}))["id"]
    w["Bh"] = ok(client.post("/api/v1/bases", headers=a, json={"title": "Base cachée", "visibility": "restricted"}))[
        "id"
    ]
    w["Bm"] = ok(client.post("/api/v1/bases", headers=m, json={"title": "Base de Mona"}))["id"]
    for base, carnets in ((w["Bp"], ("Cp", "Ch")), (w["Bh"], ("Cp",))):
        for key in carnets:
            ok(client.post(f"/api/v1/bases/{base}/carnets", headers=a, json={"carnet_id": w[key]}))
    ok(client.delete(f"/api/v1/notes/{w['D']}", headers=a))
    w["mona"] = m
    del alice
    return w


def _hidden_and_missing(w: dict, param: str) -> list[tuple[str, str, str]]:
    """(what, a hidden value, a missing value of the same shape) for a path parameter."""

    def missing() -> str:
        return secrets.token_urlsafe(9)

    return {
        "note_id": [("restricted note", w["H"], missing()), ("deleted note", w["D"], missing())],
        "comment_id": [
            ("comment on a restricted note", w["cH"], missing()),
            ("comment on a deleted note", w["cD"], missing()),
            ("deleted comment", w["cDel"], missing()),
        ],
        "request_id": [
            ("request on a restricted note", w["rH"], missing()),
            ("request on a deleted note", w["rD"], missing()),
            ("someone else's request", w["rP"], missing()),
        ],
        "file_id": [("file of a restricted note", w["fH"], missing()), ("file of a deleted note", w["fD"], missing())],
        "carnet_id": [("restricted carnet", w["Ch"], missing())],
        "base_id": [("restricted base", w["Bh"], missing())],
        "message_id": [("someone else's message", w["msg"], missing())],
        "slug": [("restricted term", w["term"], "terme-absent")],
    }[param]


def _visible(w: dict) -> dict[str, str]:
    """The value a parameter takes while another one is the one compared."""
    return {
        "note_id": w["P"],
        "comment_id": w["cP"],
        "request_id": w["rP"],
        "file_id": w["fP"],
        "carnet_id": w["Cp"],
        "base_id": w["Bp"],
        "message_id": w["msg"],
        "slug": "note-publique-p",
        **FIXED,
    }


def _fill(template: str, values: dict[str, str], w: dict) -> str:
    def one(match: re.Match) -> str:
        name = match.group(1)
        return values.get(name) or w[name]

    return re.sub(r"{(\w+)}", one, template)


def _filled_json(body, values, w):  # type: ignore[no-untyped-def]
    if isinstance(body, str):
        return _fill(body, values, w)
    if isinstance(body, list):
        return [_filled_json(v, values, w) for v in body]
    if isinstance(body, dict):
        return {k: _filled_json(v, values, w) for k, v in body.items()}
    return body


_VOLATILE_HEADERS = {"date", "content-length", "set-cookie", "etag", "last-modified", "x-request-id"}


def _answer(browser, headers, method: str, template: str, body, values: dict[str, str], w: dict) -> tuple:  # type: ignore[no-untyped-def]
    """What a caller receives, with the ids of `values` written as placeholders."""
    url = _fill(template + (QUERY.get(template, "") if method == "GET" else ""), values, w)
    kwargs: dict = {"follow_redirects": False}
    api = url.startswith("/api/")
    if api:
        kwargs["headers"] = headers
        if template.split("?")[0] in UPLOADS:
            kwargs["files"] = {"file": ("doc.pdf", PDF, "application/pdf")}
        elif body is not None:
            kwargs["json"] = _filled_json(body, values, w)
        elif (method, template) in JSON:
            kwargs["json"] = _filled_json(JSON[(method, template)], values, w)
    elif method == "POST":
        kwargs["data"] = {
            **_filled_json(FORM, values, w),
            "csrf_token": csrf_mac(browser.app.state.secret_key, CSRF_VALUE),
        }
        if template in UPLOADS:
            kwargs["files"] = {"file": ("doc.pdf", PDF, "application/pdf")}
    response = browser.request(method, url, **kwargs)
    text = (
        response.text if "zip" not in response.headers.get("content-type", "") else f"<{len(response.content)} bytes>"
    )
    kept = {k: v for k, v in response.headers.items() if k not in _VOLATILE_HEADERS}
    for name, value in values.items():
        if name in ID_PARAMS:
            text = text.replace(value, f"<{name}>")
            kept = {k: v.replace(value, f"<{name}>") for k, v in kept.items()}
    return response.status_code, kept, text


def _difference(seen: tuple, none: tuple) -> str:
    """Where the answer for the hidden thing and the one for the missing id part."""
    if seen[0] != none[0]:
        return f"status {seen[0]} != {none[0]}: {seen[2][:200]!r} != {none[2][:200]!r}"
    if seen[1] != none[1]:
        return f"headers {set(seen[1].items()) ^ set(none[1].items())}"
    at = next((i for i, (a, b) in enumerate(zip(seen[2], none[2])) if a != b), min(len(seen[2]), len(none[2])))
    return f"body from {at}: {seen[2][max(0, at - 80) : at + 120]!r} != {none[2][max(0, at - 80) : at + 120]!r}"


@on_backends_in_turn(
    "viewer", ["visitor", "mona"]
)  # every kind of viewer reads on both in tests/test_permission_matrix.py
def test_a_hidden_thing_answers_exactly_like_a_missing_one(app, session, world, viewer):
    from praxis.models import User
    from sqlmodel import select

    w = world
    mona = session.exec(select(User).where(User.username == "mona")).one() if viewer == "mona" else None
    browser = browser_for(app, session, mona)
    browser.cookies.set(CSRF_COOKIE, CSRF_VALUE)
    headers = w["mona"] if viewer == "mona" else {}
    cases = [(method, path, None) for method, path in _routes()] + EXTRA
    # Reads first: a write that wrongly succeeded on a hidden thing must not spoil the reads.
    cases.sort(key=lambda c: c[0] != "GET")
    mismatches = []
    compared = 0
    for method, template, body in cases:
        shown_params = [p for p in ID_PARAMS if f"{{{p}}}" in template or f"{{{p}}}" in repr(body)]
        for param in shown_params:
            for what, hidden, missing in _hidden_and_missing(w, param):
                base = _visible(w)
                seen = _answer(browser, headers, method, template, body, {**base, param: hidden}, w)
                none = _answer(browser, headers, method, template, body, {**base, param: missing}, w)
                compared += 1
                if seen != none:
                    mismatches.append(f"{method} {template} ({what}): {_difference(seen, none)}")
    assert compared > 150
    assert not mismatches, "\n".join(mismatches)


def test_every_route_taking_an_id_is_compared():
    routes = _routes()
    for needed in [
        ("GET", "/api/v1/comments/{comment_id}"),
        ("PATCH", "/api/v1/comments/{comment_id}"),
        ("POST", "/api/v1/edit-requests/{request_id}/approve"),
        ("GET", "/n/{note_id}/files/{file_id}/{name}"),
        ("GET", "/c/{carnet_id}/n/{note_id}"),
        ("GET", "/def/{slug}/"),
        ("GET", "/b/{base_id}/feed.atom"),
        ("POST", "/api/v1/me/messages/{message_id}/reply"),
    ]:
        assert needed in routes
    assert len(routes) > 100
