"""Every answer the API gives is in its OpenAPI document: a recorder of the (method, route,
status) a test's requests meet, checked against /openapi.json when the test ends."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class Recorder:
    """ASGI middleware noting each request's method, path and answered status."""

    def __init__(self, app: ASGIApp, seen: list[tuple[str, str, int]]) -> None:
        self.app = app
        self.seen = seen

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def noting(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.seen.append((scope["method"], scope["path"], message["status"]))
            await send(message)

        await self.app(scope, receive, noting)


def operation_of(paths: dict[str, Any], method: str, path: str) -> str | None:
    """The template of the documented operation a request reached, if any: of those matching,
    the one with the fewest parameters (`/notes/suggest` before `/notes/{note_id}`)."""
    matches = []
    for template, item in paths.items():
        if method.lower() not in item:
            continue
        pattern = re.sub(r"\\\{[^}:]+:path\\\}", ".+", re.escape(template))
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", pattern)
        if re.fullmatch(pattern, path):
            matches.append((template.count("{"), template))
    return min(matches)[1] if matches else None


# The document's paths, per set of routes: every test builds an app, and building its document
# took longer than most API tests themselves; apps with the same routes have the same paths.
_PATHS: dict[tuple[object, ...], dict[str, Any]] = {}


def _routes_of(app: FastAPI) -> tuple[object, ...]:
    return tuple(
        (
            getattr(route, "path", None),
            tuple(sorted(getattr(route, "methods", None) or ())),
            getattr(getattr(route, "endpoint", None), "__module__", None),
            getattr(getattr(route, "endpoint", None), "__qualname__", None),
            getattr(route, "status_code", None),
            repr(sorted(map(str, (getattr(route, "responses", None) or {}).items()))),
        )
        for route in app.routes
    )


def documented_paths(app: FastAPI) -> dict[str, Any]:
    """The paths of the app's OpenAPI document (built once per set of routes)."""
    key = _routes_of(app)
    if key not in _PATHS:
        _PATHS[key] = app.openapi()["paths"]
    return _PATHS[key]


def undocumented(app: FastAPI, seen: list[tuple[str, str, int]]) -> list[str]:
    """`METHOD /template → status` for each answer the OpenAPI document does not list."""
    paths = documented_paths(app)
    found = []
    for method, path, status in seen:
        template = operation_of(paths, method, path)
        if template is None or method == "HEAD":
            continue  # a page, a file, a method no route has
        responses = paths[template][method.lower()]["responses"]
        if str(status) not in responses and "default" not in responses:
            found.append(f"{method} {template} → {status} (documented: {', '.join(sorted(responses))})")
    return sorted(set(found))


@pytest.fixture(autouse=True)
def answers_are_documented(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test whose API requests met an answer its operation does not document."""
    if "app" not in request.fixturenames:
        yield
        return
    app: Any = request.getfixturevalue("app")
    seen: list[tuple[str, str, int]] = []
    app.add_middleware(Recorder, seen=seen)
    yield
    missing = undocumented(app, seen)
    assert not missing, "answers missing from /openapi.json:\n" + "\n".join(missing)
