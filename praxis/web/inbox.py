"""The inbox page (/u/me/inbox), and the "Contacter les auteur·trices" form of a note."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from praxis.conversation import service as conversation_service
from praxis.deps import ActorDep, SessionDep, UserDep, client_address
from praxis.errors import Invalid, TooManyRequests
from praxis.i18n import N_
from praxis.schemas import ContactCreate, MessageReply, NotificationSettings
from praxis.web.done import said
from praxis.web.forms import parse
from praxis.web.notes import note_form
from praxis.web.templating import page

router = APIRouter()
Line = Annotated[str, Form(max_length=1000)]
Text = Annotated[str, Form(max_length=10_000)]


@router.get("/u/me/inbox")
def inbox(request: Request, session: SessionDep, actor: UserDep) -> Response:
    """Notifications and messages; what is shown as new is then marked read."""
    shown = conversation_service.open_inbox(session=session, actor=actor)
    found = shown.notifications
    request.state.unread = max(0, found.unread - sum(1 for n in found.items if not n.read))
    return page(
        request,
        "inbox/inbox.html",
        {"notifications": found, "messages": shown.messages, "invitations": shown.invitations},
        alternate="/api/v1/me/notifications",
    )


KIND_LABELS = {
    "comment": N_("Un commentaire sur une de mes notes"),
    "reply": N_("Une réponse à un de mes commentaires"),
    "message": N_("Un message qui m'est écrit"),
    "edit_request": N_("Une demande de droits d'édition sur une de mes notes"),
    "edit_decision": N_("La réponse à une de mes demandes de droits d'édition"),
    "carnet_entry": N_("Une de mes notes intégrée à un carnet"),
    "author_invitation": N_("Une invitation à co-signer une note"),
}


@router.get("/account/notifications")
def settings_form(request: Request, session: SessionDep, actor: UserDep) -> Response:
    chosen = conversation_service.notification_settings(session=session, actor=actor)
    return page(
        request,
        "inbox/settings.html",
        {"chosen": chosen.model_dump(), "kinds": KIND_LABELS},
        alternate="/api/v1/me/notification-settings",
    )


@router.post("/account/notifications")
async def save_settings(request: Request, session: SessionDep, actor: UserDep) -> Response:
    form = await request.form()
    data = parse(NotificationSettings, {k: v for k in KIND_LABELS if isinstance(v := form.get(k), str)})
    conversation_service.set_notification_settings(session=session, actor=actor, data=data)
    return said(request, "/account/notifications", "notifications_saved")


@router.post("/u/me/messages/{message_id}/reply")
def reply(
    request: Request,
    message_id: str,
    session: SessionDep,
    actor: UserDep,
    message: Text = "",
    reveal_address: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    data = parse(MessageReply, {"message": message, "reveal_address": reveal_address == "1"})
    conversation_service.reply_to_message(session=session, actor=actor, message_id=message_id, data=data)
    return said(request, "/u/me/inbox#messages", "reply_sent")


@router.post("/n/{note_id}/contact")
def contact(
    request: Request,
    note_id: str,
    session: SessionDep,
    actor: ActorDep,
    subject: Line = "",
    message: Text = "",
    name: Line = "",
    email: Line = "",
    website: Line = "",
) -> Response:
    """The form under the note; anything wrong sends the page back with what was typed."""
    typed = {"subject": subject, "message": message, "name": name, "email": email}
    fields = {k: v for k, v in {**typed, "website": website}.items() if v or k in ("subject", "message")}
    note_form(request, actor, note_id, form="contact_form", typed=typed, answers=(Invalid, TooManyRequests))
    data = parse(ContactCreate, fields)
    conversation_service.contact_authors(
        session=session, actor=actor, note_id=note_id, data=data, address=client_address(request)
    )
    return RedirectResponse(f"/n/{note_id}/?contact=sent#contact", status_code=303)
