""" "Ajouter à un carnet" from a note's page: choose a carnet the reader contributes to, then its
categories (with the carnet's writing guide), and the note is filed there by the same service as
the carnet page's "Intégrer une note existante". Two plain pages: it needs no JavaScript."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlmodel import Session
from starlette.responses import Response

from praxis import policy
from praxis.carnets import service as carnet_service
from praxis.deps import SessionDep, UserDep
from praxis.errors import Conflict, Invalid, NotFound
from praxis.notes import service as note_service
from praxis.schemas import EntryCreate, NoteRead
from praxis.web.carnets import form_text
from praxis.web.done import said
from praxis.web.forms import form_page, parse
from praxis.web.templating import page

router = APIRouter()
CarnetParam = Annotated[str, Query(max_length=40)]


def _live_note(session: Session, actor: policy.Actor, note_id: str) -> NoteRead:
    """The note to file; a deleted one (which admins still read) is filed nowhere."""
    note = note_service.get_note(session=session, actor=actor, note_id=note_id)
    if note.deleted_at is not None:
        raise NotFound("This note was deleted.")
    return note


def _page(
    request: Request,
    session: Session,
    actor: policy.Actor,
    note_id: str,
    carnet_id: str,
    *,
    chosen: list[str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    note = _live_note(session, actor, note_id)
    choices = carnet_service.filing_choices(session=session, actor=actor, note_id=note.id)
    carnet = None
    if carnet_id:
        # A carnet the reader may not add to is not offered: the list alone is shown.
        offered = {c.id for c in choices if not c.holds_note}
        if carnet_id in offered:
            carnet = carnet_service.carnet_for_filing(session=session, actor=actor, carnet_id=carnet_id)
    return page(
        request,
        "notes/add_to_carnet.html",
        {"note": note, "choices": choices, "carnet": carnet, "chosen": chosen or [], "errors": errors or {}},
        status_code=status,
    )


@router.get("/n/{note_id}/ajouter")
def add_to_carnet_page(
    request: Request, note_id: str, session: SessionDep, actor: UserDep, carnet: CarnetParam = ""
) -> Response:
    """The carnets the reader may add the note to; with ?carnet=, that carnet's guide and categories."""
    return _page(request, session, actor, note_id, carnet)


@router.post("/n/{note_id}/ajouter")
async def add_to_carnet(request: Request, note_id: str, session: SessionDep, actor: UserDep) -> Response:
    form = await request.form()
    carnet_id = (form_text(form, "carnet") or "").strip()
    chosen = [v for v in form.getlist("categories") if isinstance(v, str) and v.strip()]

    def again(reading: Session, errors: dict[str, str], status: int) -> Response:
        return _page(request, reading, actor, note_id, carnet_id, chosen=chosen, errors=errors, status=status)

    form_page(request, again, answers=(Invalid, Conflict), field="carnet")
    note = _live_note(session, actor, note_id)
    data = parse(EntryCreate, {"note_id": note.id, "categories": chosen})
    carnet_service.add_entry(session=session, actor=actor, carnet_id=carnet_id, data=data)
    carnet = carnet_service.carnet_ref(session=session, actor=actor, carnet_id=carnet_id)
    # Said in the list of the note's carnets, where it now is: "Note ajoutée au carnet « X »".
    return said(request, f"/n/{note.id}/#carnets-titre", "filed", carnet=carnet.id, title=carnet.title)
