"""Files attached to notes, as JSON. `/files` and the contract's `/attachments` are the same
routes under two names."""

from typing import Annotated

from fastapi import APIRouter, File, Request, Response, UploadFile

from praxis.deps import ActorDep, SessionDep, UserDep
from praxis.media import service as media_service
from praxis.schemas import AttachmentRead

router = APIRouter(prefix="/notes", tags=["files"])


def upload(
    note_id: str,
    request: Request,
    session: SessionDep,
    actor: UserDep,
    response: Response,
    file: Annotated[UploadFile, File(description="The file; its type is read from its bytes.")],
) -> AttachmentRead:
    """Attach a file to a note (its authors and admins): 415 for a type that is not accepted,
    413 beyond PRAXIS_MAX_UPLOAD_BYTES. An image is kept without its personal metadata (EXIF with
    its GPS position, XMP, IPTC, comments), its orientation applied to the pixels; an SVG drawing
    without what could run or fetch (scripts, event attributes, outside links), 422 when it has a
    DTD or is malformed."""
    attached = media_service.attach(
        session=session,
        actor=actor,
        store=request.app.state.files,
        note_id=note_id,
        source=file.file,
        filename=file.filename or "",
    )
    response.headers["Location"] = attached.url
    return attached


def list_files(note_id: str, session: SessionDep, actor: ActorDep) -> list[AttachmentRead]:
    """The files of a note, oldest first."""
    return media_service.list_attachments(session=session, actor=actor, note_id=note_id)


def delete_file(note_id: str, file_id: str, request: Request, session: SessionDep, actor: UserDep) -> Response:
    """Remove a file from a note; its bytes go once no other note holds the same file."""
    media_service.delete_attachment(
        session=session, actor=actor, store=request.app.state.files, note_id=note_id, attachment_id=file_id
    )
    return Response(status_code=204)


for collection in ("files", "attachments"):
    router.add_api_route(
        f"/{{note_id}}/{collection}",
        upload,
        methods=["POST"],
        response_model=AttachmentRead,
        status_code=201,
        name=f"upload_{collection}",
    )
    router.add_api_route(
        f"/{{note_id}}/{collection}",
        list_files,
        methods=["GET"],
        response_model=list[AttachmentRead],
        name=f"list_{collection}",
    )
    router.add_api_route(
        f"/{{note_id}}/{collection}/{{file_id}}",
        delete_file,
        methods=["DELETE"],
        status_code=204,
        name=f"delete_{collection}",
    )
