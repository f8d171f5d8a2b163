"""Notes and their revisions, as JSON."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from praxis.api.openapi import StaleSave, errors
from praxis.carnets import service as carnet_service
from praxis.deps import ActorDep, SessionDep, UserDep, reads_only, writes_late
from praxis.notes import service as note_service
from praxis.publishing import service as publishing_service
from praxis.schemas import (
    CitationQuery,
    CitationRead,
    DiffRead,
    Graph,
    LinkPreview,
    NoteCreate,
    NotePage,
    NoteQuery,
    NoteRead,
    NoteUpdate,
    PreviewRead,
    PreviewRequest,
    RestoreRequest,
    RevisionNumber,
    RevisionRead,
    RevisionSummary,
    Suggestion,
    TrashPage,
)
from praxis.vocab import Kind

router = APIRouter(prefix="/notes", tags=["notes"])
trash_router = APIRouter(tags=["notes"])

STALE_SAVE = (
    "`base_revision` is not the note's current revision: nothing was overwritten; the answer holds "
    "the current revision and the note as it now reads, to merge with."
)


@router.post("", response_model=NoteRead, status_code=201, responses=errors(429))
def create_note(data: NoteCreate, session: SessionDep, actor: UserDep, response: Response) -> NoteRead:
    note = carnet_service.create_note(session=session, actor=actor, data=data)
    response.headers["Location"] = note.url
    return note


@router.get("", response_model=NotePage)
def list_notes(query: Annotated[NoteQuery, Query()], session: SessionDep, actor: ActorDep) -> NotePage:
    return note_service.list_notes(session=session, actor=actor, query=query)


@router.get("/suggest", response_model=list[Suggestion])
def suggest(
    session: SessionDep,
    actor: ActorDep,
    q: Annotated[str, Query(max_length=300)] = "",
    kind: Kind | None = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> list[Suggestion]:
    """The best visible matches: words anywhere in titles and synonyms, prefixes first (for [[ and pickers)."""
    return note_service.suggest_notes(session=session, actor=actor, q=q, kind=kind, limit=limit)


@router.post("/preview", response_model=PreviewRead, responses=errors(404))
@reads_only
def preview(data: PreviewRequest, session: SessionDep, actor: UserDep) -> PreviewRead:
    """A body rendered as saving it would, as the writer would then see it (nothing is saved)."""
    return note_service.preview_note(session=session, actor=actor, data=data)


@router.get("/{note_id}", response_model=NoteRead)
def get_note(note_id: str, session: SessionDep, actor: ActorDep) -> NoteRead:
    return note_service.get_note(session=session, actor=actor, note_id=note_id)


@router.patch(
    "/{note_id}",
    response_model=NoteRead,
    responses={409: {"description": STALE_SAVE, "model": StaleSave}, **errors(429)},
)
@writes_late  # save_note takes the write lock once it has rendered the change
def update_note(note_id: str, data: NoteUpdate, session: SessionDep, actor: ActorDep) -> NoteRead:
    return note_service.save_note(session=session, actor=actor, note_id=note_id, data=data)


@router.delete("/{note_id}", status_code=204)
def delete_note(note_id: str, session: SessionDep, actor: ActorDep) -> Response:
    note_service.delete_note(session=session, actor=actor, note_id=note_id)
    return Response(status_code=204)


@router.post("/{note_id}/undelete", response_model=NoteRead)
def undelete_note(note_id: str, session: SessionDep, actor: UserDep) -> NoteRead:
    """Bring a deleted note back as it was: its authors and admins, within 30 days of its
    deletion (409 past them, or for a note not deleted); 404 for anyone else."""
    return note_service.undelete_note(session=session, actor=actor, note_id=note_id)


@trash_router.get("/trash", response_model=TrashPage)
def trash(
    session: SessionDep,
    actor: UserDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 50,
) -> TrashPage:
    """The deleted notes the caller may bring back (their authors', every one for admins), the
    most recently deleted first."""
    return note_service.list_trash(session=session, actor=actor, page=page, per_page=per_page)


@router.get("/{note_id}/preview", response_model=LinkPreview, responses=errors(404))
def link_preview(note_id: str, session: SessionDep, actor: ActorDep) -> LinkPreview:
    """What a link preview card shows: a note's kind, title and first words, a term's
    definition, an organisation's region and description; 404 for what the reader may not see."""
    return note_service.link_preview(session=session, actor=actor, note_id=note_id)


@router.get("/{note_id}/revisions", response_model=list[RevisionSummary])
def list_revisions(note_id: str, session: SessionDep, actor: ActorDep) -> list[RevisionSummary]:
    return note_service.list_revisions(session=session, actor=actor, note_id=note_id)


@router.get("/{note_id}/revisions/{number}", response_model=RevisionRead)
def get_revision(
    note_id: str, number: Annotated[RevisionNumber, Path()], session: SessionDep, actor: ActorDep
) -> RevisionRead:
    return note_service.get_revision(session=session, actor=actor, note_id=note_id, number=number)


@router.get("/{note_id}/diff", response_model=DiffRead)
def diff(
    note_id: str,
    session: SessionDep,
    actor: ActorDep,
    from_: Annotated[RevisionNumber, Query(alias="from")],
    to: Annotated[RevisionNumber, Query()],
) -> DiffRead:
    return note_service.diff_revisions(session=session, actor=actor, note_id=note_id, from_=from_, to=to)


@router.get("/{note_id}/citation", response_model=CitationRead)
def citation(
    note_id: str, query: Annotated[CitationQuery, Query()], session: SessionDep, actor: ActorDep
) -> CitationRead:
    """ "Pour citer cette note": the note (or revision `rev`) in a style, as read today or on `accessed`."""
    return publishing_service.note_citation(session=session, actor=actor, note_id=note_id, query=query)


@router.get("/{note_id}/graph", response_model=Graph)
def graph(note_id: str, session: SessionDep, actor: ActorDep, depth: Annotated[int, Query(ge=1, le=2)] = 1) -> Graph:
    """The visible neighbourhood of a note, as nodes and edges."""
    return note_service.link_graph(session=session, actor=actor, note_id=note_id, depth=depth)


@router.post("/{note_id}/revisions/{number}/restore", response_model=NoteRead, responses=errors(429))
def restore(
    note_id: str,
    number: Annotated[RevisionNumber, Path()],
    session: SessionDep,
    actor: ActorDep,
    data: RestoreRequest | None = None,
) -> NoteRead:
    return note_service.restore_revision(
        session=session, actor=actor, note_id=note_id, number=number, summary=data.summary if data else None
    )
