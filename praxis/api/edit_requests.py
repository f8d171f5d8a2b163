"""Edit requests over the API."""

from fastapi import APIRouter

from praxis.deps import ActorDep, SessionDep, UserDep
from praxis.schemas import EditRequestCreate, EditRequestRead
from praxis.services import edit_requests

router = APIRouter(tags=["edit requests"])


@router.post("/notes/{note_id}/edit-requests", response_model=EditRequestRead, status_code=201)
def request_edit(
    note_id: str, session: SessionDep, actor: UserDep, data: EditRequestCreate | None = None
) -> EditRequestRead:
    return edit_requests.request_edit(session=session, actor=actor, note_id=note_id, data=data or EditRequestCreate())


@router.get("/notes/{note_id}/edit-requests", response_model=list[EditRequestRead])
def list_requests(note_id: str, session: SessionDep, actor: ActorDep) -> list[EditRequestRead]:
    return edit_requests.list_for_note(session=session, actor=actor, note_id=note_id)


@router.get("/me/edit-requests", response_model=list[EditRequestRead])
def my_requests(session: SessionDep, actor: UserDep) -> list[EditRequestRead]:
    return edit_requests.mine(session=session, actor=actor)


@router.post("/edit-requests/{request_id}/approve", response_model=EditRequestRead)
def approve(request_id: str, session: SessionDep, actor: ActorDep) -> EditRequestRead:
    return edit_requests.decide(session=session, actor=actor, request_id=request_id, approve=True)


@router.post("/edit-requests/{request_id}/refuse", response_model=EditRequestRead)
def refuse(request_id: str, session: SessionDep, actor: ActorDep) -> EditRequestRead:
    return edit_requests.decide(session=session, actor=actor, request_id=request_id, approve=False)
