"""The JSON API, under /api/v1, plus the health probes."""

from fastapi import APIRouter

from praxis.api import (
    auth,
    bases,
    carnets,
    communities,
    discussion,
    docs,
    edit_requests,
    files,
    health,
    inbox,
    invitations,
    notes,
    search,
    uploads,
    users,
)

router = APIRouter()
v1 = APIRouter(prefix="/api/v1")
for module in (
    auth,
    users,
    notes,
    files,
    uploads,
    discussion,
    inbox,
    carnets,
    bases,
    edit_requests,
    invitations,
    communities,
    search,
):
    v1.include_router(module.router)
v1.include_router(notes.trash_router)
router.include_router(v1)
router.include_router(health.router)
router.include_router(docs.router)
