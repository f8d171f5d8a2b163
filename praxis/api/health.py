"""Liveness and readiness probes."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from praxis.db import ping

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(request: Request) -> JSONResponse:
    """The database and the search index answer."""
    try:
        ping(request.app.state.engine)
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        return JSONResponse({"status": "unavailable", "database": type(exc).__name__}, status_code=503)
    try:
        request.app.state.search.index.finds("praxis", grants=["public"])
    except Exception as exc:  # noqa: BLE001
        return JSONResponse({"status": "unavailable", "database": "ok", "search": type(exc).__name__}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok", "search": "ok"})
