"""The HTML pages. State-changing form posts carry a CSRF token."""

from fastapi import APIRouter, Depends

from praxis.deps import require_csrf
from praxis.web import (
    auth,
    bases,
    carnet_settings,
    carnets,
    citations,
    coauthors,
    communities,
    directory,
    discussion,
    editor,
    feeds,
    files,
    home,
    inbox,
    note_filing,
    notes,
    search,
    sharing,
    site_files,
    users,
)

router = APIRouter(dependencies=[Depends(require_csrf)], include_in_schema=False)
router.include_router(home.router)
router.include_router(auth.router)
router.include_router(users.router)
router.include_router(communities.router)
router.include_router(directory.router)
router.include_router(search.router)
router.include_router(feeds.router)
router.include_router(sharing.router)
router.include_router(site_files.router)
router.include_router(citations.router)  # before notes: /n/{id}/{slug} would take their paths
router.include_router(discussion.router)
router.include_router(files.router)
router.include_router(inbox.router)
router.include_router(coauthors.router)
router.include_router(carnets.router)
router.include_router(carnet_settings.router)
router.include_router(bases.router)
# The editor before notes: /n/{id}/{slug}, last in notes, would take /n/{id}/edit.
router.include_router(editor.router)
router.include_router(note_filing.router)
router.include_router(notes.router)
