"""Liveness and readiness probes."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from praxis.db import ping

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict:
    """The process is up."""
    return {"status": "ok"}


@router.get(
    "/readyz",
    responses={
        503: {
            "description": "The database or the search index does not answer.",
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    },
)
def readyz(request: Request) -> JSONResponse:
    """The database answers, and the search index exists, is current and answers."""
    try:
        ping(request.app.state.engine)
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        return JSONResponse({"status": "unavailable", "database": type(exc).__name__}, status_code=503)
    index = request.app.state.search.index
    try:
        # A missing or outdated index reads as empty: searching it would answer, wrongly.
        problem = None if index.is_current() else "missing"
        if problem is None:
            index.finds("praxis", grants=["public"])
    except Exception as exc:  # noqa: BLE001
        problem = type(exc).__name__
    if problem:
        return JSONResponse({"status": "unavailable", "database": "ok", "search": problem}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok", "search": "ok"})
