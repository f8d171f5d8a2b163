"""A note's discussion over the API: comments, replies, edits, moderation."""

from fastapi import APIRouter, Response

from praxis.api.openapi import errors
from praxis.conversation import service as conversation_service
from praxis.deps import ActorDep, SessionDep
from praxis.schemas import CommentCreate, CommentHide, CommentRead, CommentUpdate, DiscussionRead, DiscussionUpdate

router = APIRouter(tags=["discussion"])


@router.get("/notes/{note_id}/comments", response_model=DiscussionRead)
def thread(note_id: str, session: SessionDep, actor: ActorDep) -> DiscussionRead:
    """The note's discussion, depth first: hidden comments keep their place and their reason."""
    return conversation_service.comment_thread(session=session, actor=actor, note_id=note_id)


@router.post("/notes/{note_id}/comments", response_model=CommentRead, status_code=201, responses=errors(429))
def create(note_id: str, data: CommentCreate, session: SessionDep, actor: ActorDep, response: Response) -> CommentRead:
    comment = conversation_service.create_comment(session=session, actor=actor, note_id=note_id, data=data)
    response.headers["Location"] = comment.url
    return comment


@router.patch("/notes/{note_id}/discussion", response_model=DiscussionRead)
def close(note_id: str, data: DiscussionUpdate, session: SessionDep, actor: ActorDep) -> DiscussionRead:
    """Close the discussion (`{"closed": true}`) or open it again: the note's authors and admins."""
    return conversation_service.set_discussion_closed(session=session, actor=actor, note_id=note_id, data=data)


@router.get("/comments/{comment_id}", response_model=CommentRead)
def get_comment(comment_id: str, session: SessionDep, actor: ActorDep) -> CommentRead:
    """One comment, with its earlier versions."""
    return conversation_service.get_comment(session=session, actor=actor, comment_id=comment_id)


@router.patch("/comments/{comment_id}", response_model=CommentRead, responses=errors(429))
def update(comment_id: str, data: CommentUpdate, session: SessionDep, actor: ActorDep) -> CommentRead:
    return conversation_service.update_comment(session=session, actor=actor, comment_id=comment_id, data=data)


@router.delete("/comments/{comment_id}", status_code=204)
def delete(comment_id: str, session: SessionDep, actor: ActorDep) -> Response:
    conversation_service.delete_comment(session=session, actor=actor, comment_id=comment_id)
    return Response(status_code=204)


@router.post("/comments/{comment_id}/hide", response_model=CommentRead)
def hide(comment_id: str, data: CommentHide, session: SessionDep, actor: ActorDep) -> CommentRead:
    """Hide a comment with a reason: the note's authors and admins."""
    return conversation_service.hide_comment(session=session, actor=actor, comment_id=comment_id, data=data)


@router.post("/comments/{comment_id}/restore", response_model=CommentRead)
def restore(comment_id: str, session: SessionDep, actor: ActorDep) -> CommentRead:
    """Bring a hidden comment back: admins."""
    return conversation_service.restore_comment(session=session, actor=actor, comment_id=comment_id)
