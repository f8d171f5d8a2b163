"""Edit requests over the API."""

from fastapi import APIRouter

from praxis.deps import ActorDep, SessionDep, UserDep
from praxis.people import service as people_service
from praxis.schemas import EditRequestCreate, EditRequestRead

router = APIRouter(tags=["edit requests"])


@router.post("/notes/{note_id}/edit-requests", response_model=EditRequestRead, status_code=201)
def request_edit(
    note_id: str, session: SessionDep, actor: UserDep, data: EditRequestCreate | None = None
) -> EditRequestRead:
    return people_service.request_edit(session=session, actor=actor, note_id=note_id, data=data or EditRequestCreate())


@router.get("/notes/{note_id}/edit-requests", response_model=list[EditRequestRead])
def list_requests(note_id: str, session: SessionDep, actor: ActorDep) -> list[EditRequestRead]:
    return people_service.edit_requests_for_note(session=session, actor=actor, note_id=note_id)


@router.get("/me/edit-requests", response_model=list[EditRequestRead])
def my_requests(session: SessionDep, actor: UserDep) -> list[EditRequestRead]:
    return people_service.my_edit_requests(session=session, actor=actor)


@router.post("/edit-requests/{request_id}/approve", response_model=EditRequestRead)
def approve(request_id: str, session: SessionDep, actor: ActorDep) -> EditRequestRead:
    return people_service.decide_edit_request(session=session, actor=actor, request_id=request_id, approve=True)


@router.post("/edit-requests/{request_id}/refuse", response_model=EditRequestRead)
def refuse(request_id: str, session: SessionDep, actor: ActorDep) -> EditRequestRead:
    return people_service.decide_edit_request(session=session, actor=actor, request_id=request_id, approve=False)
