"""The OpenAPI document at /openapi.json: FastAPI's, plus how a client signs in and every error
an operation can answer.

The errors that follow from an operation's shape are added here, once: 401 wherever the caller
is read (a bad bearer token is refused even where signing in is optional), 403 wherever a
permission is decided, 404 for an id in the path, 409/413/422/507 for writes, 422 for
parameters, 503 when the database is busy. Those that only some operations answer (the stale
save's 409, 429) are declared on their routes with `errors(...)`; 415 goes with an upload."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict

from praxis.deps import SESSION_COOKIE, get_actor, require_actor
from praxis.schemas import NoteRead


class Error(BaseModel):
    """An error: `detail` says what went wrong, in English (some errors add fields of their
    own); asked with `?lang=fr|en`, `message` says it in that language, where the site words
    it for people."""

    model_config = ConfigDict(extra="allow")
    detail: str
    message: str | None = None


class StaleSave(BaseModel):
    """A save made from a revision that is no longer the current one: nothing was written."""

    detail: str
    current_revision: int
    current: NoteRead


DESCRIPTIONS = {
    401: "Not signed in, or the bearer token is invalid or revoked.",
    403: "Signed in, but not allowed to do this (or a cross-site request made with the session cookie).",
    404: "Not found, or not visible to the caller.",
    409: "Conflicts with the current state (already done, or changed at the same moment): nothing was written.",
    413: "The request body is larger than the site accepts.",
    415: "The file's content is not of an accepted type.",
    422: "Invalid input: `detail` lists what is wrong and where.",
    429: "Too many requests in a short time; `Retry-After` says when to try again.",
    503: "The database is busy, or the site is read-only for now; `Retry-After` says when to try again.",
    507: "The server's disk is full: nothing was written.",
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route that answers `statuses` besides those of its shape."""
    return {status: {"description": DESCRIPTIONS[status], "model": Error} for status in statuses}


SECURITY_SCHEMES = {
    "bearer": {
        "type": "http",
        "scheme": "bearer",
        "description": "A token from POST /api/v1/auth/token, as `Authorization: Bearer TOKEN`.",
    },
    "session": {
        "type": "apiKey",
        "in": "cookie",
        "name": SESSION_COOKIE,
        "description": "The browser's session cookie, set by signing in on the site; writes made with it "
        "must come from the site's own pages (Origin).",
    },
}
SIGNED_IN: list[dict[str, list[str]]] = [{"bearer": []}, {"session": []}]
OPTIONAL = [*SIGNED_IN, {}]  # `{}`: anonymous callers are answered too, with what is public
# `openapi_extra=` of the few writes a visitor may make (open registration, writing to authors).
VISITORS_TOO = {"security": OPTIONAL}


def _calls(dependant: Dependant) -> set[Any]:
    found = {dependant.call}
    for sub in dependant.dependencies:
        found |= _calls(sub)
    return found


def _statuses(route: Any, method: str, operation: dict[str, Any]) -> set[int]:
    """The error statuses that follow from an operation's shape."""
    calls = _calls(route.dependant)
    statuses: set[int] = set()
    if get_actor in calls:
        statuses |= {401, 403}
    if route.dependant.path_params:
        statuses.add(404)
    if operation.get("parameters"):
        statuses.add(422)
    if "multipart/form-data" in operation.get("requestBody", {}).get("content", {}):
        statuses.add(415)  # an uploaded file's type is read from its bytes
    if method != "get":
        # Any write: the body's size is checked, what it says is validated by the services,
        # two writes can meet (an integrity conflict), and the disk can be full.
        statuses |= {409, 413, 422, 507}
    if route.path_format != "/healthz":
        statuses.add(503)
    return statuses


def _api_routes(app: FastAPI) -> Iterator[Any]:
    """Every API route with its full path, however this FastAPI keeps included routers."""
    try:
        # Newer FastAPI keeps an included router as one route; this iterates through them.
        from fastapi.routing import iter_route_contexts
    except ImportError:  # older FastAPI copies every route into app.routes
        yield from (route for route in app.routes if isinstance(route, APIRoute))
        return
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, APIRoute):
            yield context


def build(app: FastAPI) -> dict[str, Any]:
    schema = get_openapi(title=app.title, version=app.version, summary=app.summary, routes=app.routes)
    components = schema.setdefault("components", {})
    components["securitySchemes"] = SECURITY_SCHEMES
    schemas = components.setdefault("schemas", {})
    for model in (Error,):
        schemas.setdefault(model.__name__, model.model_json_schema(ref_template="#/components/schemas/{model}"))
    for route in _api_routes(app):
        if not route.include_in_schema:
            continue
        calls = _calls(route.dependant)
        for method in route.methods:
            operation = schema["paths"][route.path_format].get(method.lower())
            if operation is None:
                continue
            # Reads answer visitors with what is public; writes need someone signed in, but those
            # a route declares open to visitors too.
            if get_actor in calls and "security" not in operation:
                operation["security"] = SIGNED_IN if require_actor in calls or method != "GET" else OPTIONAL
            responses = operation["responses"]
            for status in sorted(_statuses(route, method.lower(), operation)):
                if str(status) in responses:
                    continue
                body = "HTTPValidationError" if status == 422 else "Error"
                responses[str(status)] = {
                    "description": DESCRIPTIONS[status],
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{body}"}}},
                }
    if "HTTPValidationError" not in schemas:  # every write documents a 422
        raise RuntimeError("FastAPI's HTTPValidationError schema is missing from the OpenAPI document")
    return schema


def install(app: FastAPI) -> None:
    """Serve the completed document at /openapi.json (built once, on the first request)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build(app)
        return app.openapi_schema

    # FastAPI's documented way to customise the document: replace the app's openapi method.
    app.openapi = openapi  # type: ignore[method-assign]  # see the line above
