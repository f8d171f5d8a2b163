"""The JSON API, under /api/v1, plus the health probes."""

from fastapi import APIRouter

from praxis.api import auth, health, notes

router = APIRouter()
v1 = APIRouter(prefix="/api/v1")
v1.include_router(auth.router)
v1.include_router(notes.router)
router.include_router(v1)
router.include_router(health.router)
