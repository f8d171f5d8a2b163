"""Files attached to notes: the upload and delete forms of the edit page, and the files
themselves, served to whoever may read their note; draft uploads, to their uploader alone."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import FileResponse, RedirectResponse
from starlette.responses import Response

from praxis.deps import ActorDep, SessionDep, UserDep
from praxis.errors import Invalid, TooLarge, UnsupportedType
from praxis.media import service as media_service
from praxis.media.service import Served
from praxis.web.done import said
from praxis.web.forms import refused_page
from praxis.web.templating import page

router = APIRouter()

# A public note's files may be kept by any cache, but asked again at every use (the ETag makes
# that a 304): a note made private, deleted, or a file removed, is never served from a cache.
# Those of other notes are for their readers only, and kept by none.
_PUBLIC = "public, no-cache"
_PRIVATE = "private, no-store"

# A file is shown from the site's own origin: whatever it is (a PDF, or a type accepted some day
# that can carry script), it is shown in a sandbox, an origin of its own, where no script runs
# and nothing but its own images, media and inline styles loads. Chromium's PDF viewer and its
# page for an image work inside it. Its player for a sound or a video opened alone fetches the
# file again, which Chromium refuses to an origin of its own (CORS): those keep the file's origin,
# still without scripts, forms or plugins (docs/security.md, "Attached files"; tests/browser/test_file_sandbox.py).
_FILE_POLICY = "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'"
FILE_CSP = f"sandbox; {_FILE_POLICY}"
MEDIA_CSP = f"sandbox allow-same-origin; {_FILE_POLICY}"
# An SVG drawing is sanitised at upload (praxis.media.svg); opened alone, it is a document of its
# own all the same, where no script would run and nothing would load but its embedded images.
SVG_CSP = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def _back(note_id: str) -> str:
    return f"/n/{note_id}/edit#fichiers"


@router.post("/n/{note_id}/files")
def upload(
    request: Request,
    note_id: str,
    session: SessionDep,
    actor: UserDep,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    chosen = file if file is not None and file.filename else None  # a form sent without a file has an empty one
    refused_page(
        request,
        lambda _reading, exc: _refused(request, note_id, exc.shown(), exc.status),
        answers=(Invalid, TooLarge, UnsupportedType),
    )
    attached = media_service.attach(
        session=session,
        actor=actor,
        store=request.app.state.files,
        note_id=note_id,
        source=chosen.file if chosen else None,
        filename=chosen.filename or "" if chosen else "",
    )
    return said(request, _back(note_id), "file_attached", name=attached.name)


def _refused(request: Request, note_id: str, message: str, status: int) -> Response:
    """What was wrong with the file, and the way back to the note's edit page."""
    return page(
        request, "files/refused.html", {"note_id": note_id, "message": message, "status": status}, status_code=status
    )


@router.post("/n/{note_id}/files/{file_id}/delete")
def delete(request: Request, note_id: str, file_id: str, session: SessionDep, actor: UserDep) -> Response:
    name = media_service.delete_attachment(
        session=session, actor=actor, store=request.app.state.files, note_id=note_id, attachment_id=file_id
    )
    return said(request, _back(note_id), "file_deleted", name=name)


@router.api_route("/n/{note_id}/files/{file_id}/thumb", methods=["GET", "HEAD"])
def thumbnail(request: Request, note_id: str, file_id: str, session: SessionDep, actor: ActorDep) -> Response:
    served = media_service.serve(
        session=session,
        actor=actor,
        store=request.app.state.files,
        note_id=note_id,
        attachment_id=file_id,
        thumbnail=True,
    )
    return _send(request, served)


@router.api_route("/n/{note_id}/files/{file_id}/{name}", methods=["GET", "HEAD"])
def download(request: Request, note_id: str, file_id: str, name: str, session: SessionDep, actor: ActorDep) -> Response:
    served = media_service.serve(
        session=session, actor=actor, store=request.app.state.files, note_id=note_id, attachment_id=file_id
    )
    if name != served.name:  # any name finds the file; the link shows its own
        return RedirectResponse(media_service.file_path(note_id, file_id, served.name), status_code=301)
    return _send(request, served)


@router.api_route("/envois/{file_id}/thumb", methods=["GET", "HEAD"])
def upload_thumbnail(request: Request, file_id: str, session: SessionDep, actor: ActorDep) -> Response:
    served = media_service.serve_upload(
        session=session, actor=actor, store=request.app.state.files, attachment_id=file_id, thumbnail=True
    )
    if isinstance(served, str):
        return RedirectResponse(served, status_code=302, headers={"Cache-Control": _PRIVATE})
    return _send(request, served)


@router.api_route("/envois/{file_id}/{name}", methods=["GET", "HEAD"])
def uploaded(request: Request, file_id: str, name: str, session: SessionDep, actor: ActorDep) -> Response:
    """A draft upload, to its uploader; once a save has claimed it, the note's file (302)."""
    served = media_service.serve_upload(
        session=session, actor=actor, store=request.app.state.files, attachment_id=file_id
    )
    if isinstance(served, str):
        return RedirectResponse(served, status_code=302, headers={"Cache-Control": _PRIVATE})
    if name != served.name:
        return RedirectResponse(media_service.draft_path(file_id, served.name), status_code=301)
    return _send(request, served)


def _send(request: Request, served: Served) -> Response:
    if served.media_type == "image/svg+xml":
        policy = SVG_CSP
    elif served.media_type.startswith(("audio/", "video/")):
        policy = MEDIA_CSP
    else:
        policy = FILE_CSP
    headers = {
        "ETag": served.etag,
        "Cache-Control": _PUBLIC if served.public else _PRIVATE,
        "Content-Security-Policy": policy,
    }
    if _matches(request.headers.get("if-none-match"), served.etag):
        return Response(status_code=304, headers=headers)
    # Images, PDF, audio and video show in the browser; documents and text are downloaded.
    # X-Content-Type-Options: nosniff comes with every response (SecurityHeadersMiddleware), which
    # keeps the policy set here in place of the pages' own.
    return FileResponse(
        served.path,
        media_type=served.media_type,
        filename=served.name,
        headers=headers,
        content_disposition_type="inline" if served.inline else "attachment",
    )


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return "*" in tags or etag in tags
