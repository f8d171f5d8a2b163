"""The API's description as outside tools read it: /openapi.json valid by openapi-spec-validator,
how to sign in declared, every error documented (the stale save's 409 with its body), and the
interactive docs working without any CDN."""

from __future__ import annotations

import re
from typing import Any

import jsonschema
from openapi_spec_validator import validate

from tests.conftest import one_database
from tests.documented import undocumented
from tests.factories import make_note, make_user, token_for

# What an operation needs no sign-in for at all: signing in itself, and the health probes.
ANONYMOUS = {("post", "/api/v1/auth/token"), ("get", "/healthz"), ("get", "/readyz")}


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method, path, op) for path, item in spec["paths"].items() for method, op in item.items()]


@one_database
def test_the_openapi_document_is_valid(client) -> None:
    spec = client.get("/openapi.json").json()
    validate(spec)  # raises, naming what is wrong
    assert len(_operations(spec)) >= 86


@one_database
def test_every_operation_says_how_to_sign_in(client) -> None:
    spec = client.get("/openapi.json").json()
    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearer"] == {"type": "http", "scheme": "bearer", "description": schemes["bearer"]["description"]}
    assert (schemes["session"]["type"], schemes["session"]["in"], schemes["session"]["name"]) == (
        "apiKey",
        "cookie",
        "praxis_session",
    )
    signed_in, optional = [{"bearer": []}, {"session": []}], [{"bearer": []}, {"session": []}, {}]
    for method, path, op in _operations(spec):
        if (method, path) in ANONYMOUS:
            assert "security" not in op, (method, path)
        else:
            assert op.get("security") in (signed_in, optional), (method, path)
    ops = {(m, p): op for m, p, op in _operations(spec)}
    assert ops["delete", "/api/v1/notes/{note_id}"]["security"] == signed_in  # authors and admins only
    assert ops["get", "/api/v1/notes/{note_id}"]["security"] == optional  # public notes to anyone
    assert ops["post", "/api/v1/notes/{note_id}/contact"]["security"] == optional  # visitors write to authors
    assert ops["post", "/api/v1/auth/register"]["security"] == optional


@one_database
def test_every_operation_documents_its_errors(client) -> None:
    spec = client.get("/openapi.json").json()
    ops = {(m, p): op["responses"] for m, p, op in _operations(spec)}
    for (method, path), responses in ops.items():
        if path.startswith("/api/v1"):
            assert "503" in responses, (method, path)  # a busy database
        if "{" in path:
            assert "404" in responses, (method, path)
        if method != "get":
            assert {"409", "413", "422"} <= responses.keys(), (method, path)
    assert {"401", "403", "404", "409", "413", "422"} <= ops["patch", "/api/v1/notes/{note_id}"].keys()
    assert {"401", "403", "404"} <= ops["delete", "/api/v1/notes/{note_id}"].keys()
    assert "429" in ops["post", "/api/v1/auth/token"] and "429" in ops["post", "/api/v1/notes/{note_id}/comments"]
    assert "415" in ops["post", "/api/v1/notes/{note_id}/attachments"]
    # Each error's body is described.
    for responses in ops.values():
        for status, response in responses.items():
            if status >= "400":
                assert response["content"]["application/json"]["schema"], status


def test_a_stale_save_answers_the_409_the_document_describes(client, session) -> None:
    alice = make_user(session, "alice")
    note = make_note(session, alice)
    headers = token_for(client, "alice")
    assert (
        client.patch(f"/api/v1/notes/{note.id}", headers=headers, json={"body": "Un.", "base_revision": 1}).status_code
        == 200
    )
    stale = client.patch(f"/api/v1/notes/{note.id}", headers=headers, json={"body": "Deux.", "base_revision": 1})
    assert stale.status_code == 409
    spec = client.get("/openapi.json").json()
    described = spec["paths"]["/api/v1/notes/{note_id}"]["patch"]["responses"]["409"]["content"]["application/json"][
        "schema"
    ]
    assert described == {"$ref": "#/components/schemas/StaleSave"}
    schema = {**spec, "$ref": described["$ref"]}
    jsonschema.Draft202012Validator(schema).validate(stale.json())
    assert {"detail", "current_revision", "current"} <= set(spec["components"]["schemas"]["StaleSave"]["required"])


@one_database
def test_an_undocumented_answer_is_caught(client, app) -> None:
    """The check every API test goes through is not blind."""
    seen = [("GET", "/api/v1/notes/abc", 404), ("GET", "/api/v1/notes/abc", 418), ("GET", "/n/abc/", 418)]
    assert undocumented(app, seen) == [
        "GET /api/v1/notes/{note_id} → 418 (documented: 200, 401, 403, 404, 422, 503)",
    ]


@one_database
def test_the_api_docs_load_nothing_from_outside(client) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    urls = re.findall(r"""(?:src|href|url)\s*[:=]\s*['"]([^'"]+)['"]""", page.text)
    assert urls and all(u.startswith("/") and not u.startswith("//") for u in urls), urls
    assets = {u for u in urls if u.startswith("/static/")}
    assert {"/static/swagger-ui/swagger-ui-bundle.js", "/static/swagger-ui/swagger-ui.css"} <= assets
    for url in assets:
        asset = client.get(url)
        assert asset.status_code == 200 and len(asset.content) > 100, url
    assert (
        client.get("/static/swagger-ui/swagger-ui-bundle.js")
        .headers["content-type"]
        .startswith(("text/javascript", "application/javascript"))
    )
    assert client.get("/redoc").status_code == 404  # ReDoc would load from a CDN: not offered


@one_database
def test_the_api_docs_show_the_site_name_as_text(settings) -> None:
    from fastapi.testclient import TestClient

    from praxis.app import create_app

    app = create_app(settings.model_copy(update={"site_name": "Praxis <script>alert(1)</script>"}))
    with TestClient(app, base_url="https://testserver") as client:
        page = client.get("/docs").text
    app.state.search.close()
    app.state.engine.dispose()
    assert "<script>alert(1)" not in page and "Praxis &lt;script&gt;alert(1)&lt;/script&gt; — API" in page
