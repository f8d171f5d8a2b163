"""The inbox over the API: notifications, messages to a note's authors and their answers."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from praxis.api.openapi import VISITORS_TOO, errors
from praxis.conversation import service as conversation_service
from praxis.deps import ActorDep, SessionDep, client_address
from praxis.schemas import (
    ContactCreate,
    MessageRead,
    MessageReply,
    NotificationPage,
    NotificationSettings,
    NotificationsRead,
)

router = APIRouter(tags=["inbox"])


@router.get("/me/notifications", response_model=NotificationPage)
def list_notifications(
    session: SessionDep,
    actor: ActorDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 30,
) -> NotificationPage:
    """What happened that concerns me, newest first, with the number still unread."""
    return conversation_service.list_notifications(session=session, actor=actor, page=page, per_page=per_page)


@router.post("/me/notifications/read")
def read_notifications(session: SessionDep, actor: ActorDep, data: NotificationsRead | None = None) -> dict[str, int]:
    return {
        "marked": conversation_service.mark_notifications_read(
            session=session, actor=actor, ids=data.ids if data else None
        )
    }


@router.get("/me/notification-settings", response_model=NotificationSettings)
def get_settings(session: SessionDep, actor: ActorDep) -> NotificationSettings:
    """Where each kind of notification goes: "app", "email" (at once) or "digest" (daily)."""
    return conversation_service.notification_settings(session=session, actor=actor)


@router.patch("/me/notification-settings", response_model=NotificationSettings)
def set_settings(data: NotificationSettings, session: SessionDep, actor: ActorDep) -> NotificationSettings:
    return conversation_service.set_notification_settings(session=session, actor=actor, data=data)


@router.get("/me/messages", response_model=list[MessageRead])
def list_messages(session: SessionDep, actor: ActorDep) -> list[MessageRead]:
    """The messages written to me through my notes, newest first; no sender sees my address."""
    return conversation_service.received_messages(session=session, actor=actor)


@router.post("/me/messages/read", status_code=204)
def read_messages(session: SessionDep, actor: ActorDep) -> Response:
    conversation_service.mark_messages_read(session=session, actor=actor)
    return Response(status_code=204)


@router.post("/me/messages/{message_id}/reply", status_code=201, responses=errors(429))
def reply(message_id: str, data: MessageReply, session: SessionDep, actor: ActorDep) -> dict[str, str]:
    return {"id": conversation_service.reply_to_message(session=session, actor=actor, message_id=message_id, data=data)}


@router.post("/notes/{note_id}/contact", status_code=202, responses=errors(429), openapi_extra=VISITORS_TOO)
def contact(
    note_id: str, data: ContactCreate, request: Request, session: SessionDep, actor: ActorDep
) -> dict[str, str]:
    """Write to the note's authors (202: accepted for their inboxes); visitors give `name` and `email`."""
    conversation_service.contact_authors(
        session=session, actor=actor, note_id=note_id, data=data, address=client_address(request)
    )
    return {"status": "accepted"}
