"""Note pages: read, write, edit, history, diff, restore, delete."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from praxis.deps import ActorDep, SessionDep, UserDep
from praxis.errors import Conflict, Invalid
from praxis.schemas import NoteCreate, NoteUpdate, RevisionNumber
from praxis.services import notes as note_service
from praxis.services import revisions as revision_service
from praxis.vocab import DEFAULT_LICENCE
from praxis.web.forms import parse_form
from praxis.web.templating import page

router = APIRouter()

_FORM_FIELDS = ("title", "body", "kind", "visibility", "licence", "summary")


async def _form_fields(request: Request) -> dict[str, Any]:
    form = await request.form()
    data: dict[str, Any] = {}
    for name in _FORM_FIELDS:
        value = form.get(name)
        if isinstance(value, str) and (value.strip() or name == "body"):
            data[name] = value.replace("\r\n", "\n")
    if isinstance(form.get("base_revision"), str):
        data["base_revision"] = form.get("base_revision")
    return data


def _editor(request: Request, *, note: Any, values: dict[str, Any], errors: dict[str, str], status: int = 200,
            conflict: Any = None) -> Response:
    return page(request, "notes/edit.html", {"note": note, "values": values, "errors": errors, "conflict": conflict},
                status_code=status)


@router.get("/n/new")
def new_note_form(request: Request, actor: UserDep, title: Annotated[str, Query(max_length=300)] = "") -> Response:
    values = {"title": title, "body": "", "kind": "note", "visibility": "public", "licence": DEFAULT_LICENCE}
    return _editor(request, note=None, values=values, errors={})


@router.post("/n/new")
async def create_note(request: Request, session: SessionDep, actor: UserDep) -> Response:
    values = await _form_fields(request)
    data, errors = parse_form(NoteCreate, values)
    if data is None:
        return _editor(request, note=None, values=values, errors=errors, status=422)
    try:
        note = note_service.create_note(session=session, actor=actor, data=data)
    except Invalid as exc:
        return _editor(request, note=None, values=values, errors={exc.field or "form": exc.message}, status=422)
    return RedirectResponse(f"/n/{note.id}/", status_code=303)


@router.get("/n/{note_id}/")
def view_note(
    request: Request, note_id: str, session: SessionDep, actor: ActorDep,
    rev: Annotated[RevisionNumber | None, Query()] = None,
) -> Response:
    note = note_service.get_note(session=session, actor=actor, note_id=note_id)
    revision = None
    if rev is not None and rev != note.revision:
        revision = revision_service.get_revision(session=session, actor=actor, note_id=note_id, number=rev)
    alternate = f"/api/v1/notes/{note.id}" + (f"/revisions/{rev}" if revision else "")
    return page(request, "notes/view.html", {"note": note, "revision": revision}, alternate=alternate)


@router.get("/n/{note_id}/edit")
def edit_form(request: Request, note_id: str, session: SessionDep, actor: UserDep) -> Response:
    note = note_service.get_note(session=session, actor=actor, note_id=note_id)
    note_service.load_editable(session, actor, note_id)
    values = {k: getattr(note, k) for k in ("title", "body", "kind", "visibility", "licence")}
    values["base_revision"] = note.revision
    return _editor(request, note=note, values=values, errors={})


@router.post("/n/{note_id}/edit")
async def edit(request: Request, note_id: str, session: SessionDep, actor: UserDep) -> Response:
    note = note_service.get_note(session=session, actor=actor, note_id=note_id)
    values = await _form_fields(request)
    data, errors = parse_form(NoteUpdate, values)
    if data is None:
        return _editor(request, note=note, values=values, errors=errors, status=422)
    try:
        note_service.update_note(session=session, actor=actor, note_id=note_id, data=data)
    except Conflict:
        # Keep what the person wrote, show the current version, and let the next save be
        # made from the current revision once they have merged.
        values["base_revision"] = note.revision
        return _editor(request, note=note, values=values, errors={}, status=409, conflict=note)
    except Invalid as exc:
        return _editor(request, note=note, values=values, errors={exc.field or "form": exc.message}, status=422)
    return RedirectResponse(f"/n/{note_id}/", status_code=303)


@router.post("/n/{note_id}/delete")
def delete(note_id: str, session: SessionDep, actor: UserDep) -> Response:
    note_service.delete_note(session=session, actor=actor, note_id=note_id)
    return RedirectResponse("/", status_code=303)


@router.get("/n/{note_id}/history")
def history(request: Request, note_id: str, session: SessionDep, actor: ActorDep) -> Response:
    note = note_service.get_note(session=session, actor=actor, note_id=note_id)
    revisions = revision_service.list_revisions(session=session, actor=actor, note_id=note_id)
    return page(request, "notes/history.html", {"note": note, "revisions": revisions},
                alternate=f"/api/v1/notes/{note_id}/revisions")


@router.get("/n/{note_id}/diff")
def diff(
    request: Request, note_id: str, session: SessionDep, actor: ActorDep,
    from_: Annotated[RevisionNumber, Query(alias="from")], to: Annotated[RevisionNumber, Query()],
) -> Response:
    note = note_service.get_note(session=session, actor=actor, note_id=note_id)
    change = revision_service.diff_revisions(session=session, actor=actor, note_id=note_id, from_=from_, to=to)
    return page(request, "notes/diff.html", {"note": note, "diff": change},
                alternate=f"/api/v1/notes/{note_id}/diff?from={from_}&to={to}")


@router.post("/n/{note_id}/revisions/{number}/restore")
def restore(note_id: str, number: RevisionNumber, session: SessionDep, actor: UserDep) -> Response:
    revision_service.restore_revision(session=session, actor=actor, note_id=note_id, number=number)
    return RedirectResponse(f"/n/{note_id}/history", status_code=303)


@router.get("/n/{note_id}/{slug}")
def slug_redirect(note_id: str, slug: str) -> Response:
    """/n/{id}/{anything} is the same note: send readers to the canonical address."""
    return RedirectResponse(f"/n/{note_id}/", status_code=301)
