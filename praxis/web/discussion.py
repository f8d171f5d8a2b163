"""A note's discussion on its page: comment, reply, edit, delete, hide, restore, close."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from praxis.conversation import service as conversation_service
from praxis.deps import SessionDep, UserDep
from praxis.errors import Conflict, Forbidden, Invalid, TooManyRequests
from praxis.schemas import MAX_COMMENT_CHARS, CommentCreate, CommentHide, CommentUpdate, DiscussionUpdate
from praxis.web.forms import FormInvalid, form_page, parse
from praxis.web.notes import note_form
from praxis.web.templating import page

router = APIRouter()
# Form fields are capped above the schema's limits, so that the schema names what is too long.
Text = Annotated[str, Form(max_length=MAX_COMMENT_CHARS * 2)]
Short = Annotated[str, Form(max_length=2000)]


def _to_comment(note_id: str, comment_id: str) -> Response:
    return RedirectResponse(f"/n/{note_id}/#c-{comment_id}", status_code=303)


@router.post("/n/{note_id}/comments")
def post_comment(
    request: Request, note_id: str, session: SessionDep, actor: UserDep, body: Text = "", parent_id: Short = ""
) -> Response:
    """A comment or a reply; anything wrong sends the page back with the text as typed."""
    note_form(
        request,
        actor,
        note_id,
        form="comment_form",
        typed={"body": body, "parent_id": parent_id},
        answers=(Invalid, TooManyRequests, Forbidden, Conflict),
    )
    data = parse(CommentCreate, {"body": body, "parent_id": parent_id or None})
    comment = conversation_service.create_comment(session=session, actor=actor, note_id=note_id, data=data)
    return _to_comment(note_id, comment.id)


@router.get("/comments/{comment_id}/edit")
def edit_form(request: Request, comment_id: str, session: SessionDep, actor: UserDep) -> Response:
    comment = conversation_service.comment_for_editing(session=session, actor=actor, comment_id=comment_id)
    return page(request, "discussion/edit.html", {"comment": comment, "body": comment.body, "errors": {}})


@router.post("/comments/{comment_id}/edit")
def edit(request: Request, comment_id: str, session: SessionDep, actor: UserDep, body: Text = "") -> Response:
    form_page(
        request,
        lambda reading, errors, status: page(
            request,
            "discussion/edit.html",
            {
                # Read for editing: whoever may not change it is refused, not offered the form.
                "comment": conversation_service.comment_for_editing(
                    session=reading, actor=actor, comment_id=comment_id
                ),
                "body": body,
                "errors": errors,
            },
            status_code=status,
        ),
        answers=(FormInvalid,),
    )  # the service's refusals have the error page
    data = parse(CommentUpdate, {"body": body})
    comment = conversation_service.update_comment(session=session, actor=actor, comment_id=comment_id, data=data)
    return _to_comment(comment.note_id, comment.id)


@router.post("/comments/{comment_id}/delete")
def delete(comment_id: str, session: SessionDep, actor: UserDep) -> Response:
    note_id = conversation_service.get_comment(session=session, actor=actor, comment_id=comment_id).note_id
    conversation_service.delete_comment(session=session, actor=actor, comment_id=comment_id)
    return RedirectResponse(f"/n/{note_id}/#discussion", status_code=303)


@router.post("/comments/{comment_id}/hide")
def hide(comment_id: str, session: SessionDep, actor: UserDep, reason: Short = "") -> Response:
    data = parse(CommentHide, {"reason": reason})
    comment = conversation_service.hide_comment(session=session, actor=actor, comment_id=comment_id, data=data)
    return _to_comment(comment.note_id, comment.id)


@router.post("/comments/{comment_id}/restore")
def restore(comment_id: str, session: SessionDep, actor: UserDep) -> Response:
    comment = conversation_service.restore_comment(session=session, actor=actor, comment_id=comment_id)
    return _to_comment(comment.note_id, comment.id)


@router.post("/n/{note_id}/discussion")
def close(
    note_id: str, session: SessionDep, actor: UserDep, closed: Annotated[str, Form(max_length=5)] = ""
) -> Response:
    conversation_service.set_discussion_closed(
        session=session, actor=actor, note_id=note_id, data=DiscussionUpdate(closed=closed == "1")
    )
    return RedirectResponse(f"/n/{note_id}/#discussion", status_code=303)
