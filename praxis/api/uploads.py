"""Draft uploads, as JSON: a file sent for a note not saved yet (the editor's paste and drop)."""

from typing import Annotated

from fastapi import APIRouter, File, Request, Response, UploadFile

from praxis.deps import SessionDep, UserDep
from praxis.media import service as media_service
from praxis.schemas import AttachmentRead

router = APIRouter(tags=["files"])


@router.post("/uploads", response_model=AttachmentRead, status_code=201)
def upload(
    request: Request,
    session: SessionDep,
    actor: UserDep,
    response: Response,
    file: Annotated[UploadFile, File(description="The file; its type is read from its bytes.")],
) -> AttachmentRead:
    """Upload a file for a note being written, before it is saved (a draft: `note_id` is null).

    It is served at `url` (`/envois/{id}/{name}`) to its uploader alone. Creating or saving a
    note whose body holds that address (as `markdown` writes it) makes it a file of the note and
    rewrites the address to the note's (`/n/{note}/files/{id}/{name}`); a draft no save claims
    is deleted after 24 hours. As for a note's files: 415 for a type that is not accepted, 413
    beyond PRAXIS_MAX_UPLOAD_BYTES; 409 when the caller already keeps 50 drafts, or drafts
    weighing 10 uploads of the largest size."""
    uploaded = media_service.upload_draft(
        session=session,
        actor=actor,
        store=request.app.state.files,
        source=file.file,
        filename=file.filename or "",
    )
    response.headers["Location"] = uploaded.url
    return uploaded
