"""Note pages: read, write, edit, history, diff, restore, delete."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse
from sqlmodel import Session
from starlette.responses import Response

from praxis.deps import ActorDep, SessionDep, UserDep
from praxis.errors import Conflict, DomainError, Invalid
from praxis.schemas import KIND_DETAILS, CarnetQuery, EditRequestCreate, NoteCreate, NoteRead, NoteUpdate, RevisionNumber
from praxis.services import carnets, citations, communities, discussion, edit_requests, filing, links
from praxis.services import notes as note_service
from praxis.services import revisions as revision_service
from praxis.vocab import DEFAULT_LICENCE
from praxis.web import citations as citation_pages
from praxis.web.citations import StyleParam
from praxis.web.forms import M, parse_form, split_list
from praxis.web.templating import page

router = APIRouter()

_FORM_FIELDS = (
    "title", "body", "kind", "visibility", "community", "licence", "summary", "base_revision", "authors", "readers",
    "links", "website", "region", "description", "definition", "synonyms", "carnet",
)


async def _form_fields(request: Request) -> tuple[dict[str, Any], dict[str, Any]]:
    """What the form shows back (as typed) and what the schema gets (authors as a list)."""
    form = await request.form()
    values: dict[str, Any] = {}
    for name in _FORM_FIELDS:
        value = form.get(name)
        if isinstance(value, str) and (value.strip() or name == "body"):
            values[name] = value.replace("\r\n", "\n")
    data = dict(values)
    chosen = [v for v in form.getlist("categories") if isinstance(v, str) and v.strip()]
    if chosen:
        values["categories"] = data["categories"] = chosen
    for name in ("authors", "readers", "synonyms"):
        if name in data:
            data[name] = split_list(data[name])
    # Details of other kinds than the chosen one are left behind, as the form hides them.
    for name in KIND_DETAILS["organisation"] + KIND_DETAILS["term"]:
        if name in data and name not in KIND_DETAILS.get(data.get("kind", "note"), ()):
            del data[name]
    if "readers" not in data and "base_revision" in data:
        data["readers"] = []  # an emptied field removes every reader
    if "community" not in data and "base_revision" in data:
        data["community"] = None
    if "base_revision" in data:  # an emptied detail of the chosen kind is cleared
        for name in KIND_DETAILS.get(data.get("kind", "note"), ()):
            data.setdefault(name, [] if name == "synonyms" else None)
    return values, data


def _with_links(session: Session, actor: Any, values: dict[str, Any], fields: dict[str, Any]) -> None:
    """Turn the link picker's lines into note ids (an emptied picker removes every link)."""
    if "links" in values or "base_revision" in values:
        fields["links"] = links.picked(session, actor, values.get("links", ""))


async def _read_form(request: Request, session: Session, actor: Any, model: type[M]) -> tuple[dict[str, Any], M | None, dict[str, str]]:
    """What was typed, the schema built from it (or None), and a French message per wrong field."""
    values, fields = await _form_fields(request)
    try:
        _with_links(session, actor, values, fields)
    except Invalid as exc:
        return values, None, _form_error(exc)
    data, errors = parse_form(model, fields)
    return values, data, errors


def _form_error(exc: Invalid) -> dict[str, str]:
    return {exc.field or "form": exc.message}


def _editor(request: Request, session: Session, *, note: Any, values: dict[str, Any], errors: dict[str, str],
            status: int = 200, conflict: Any = None) -> Response:
    actor = getattr(request.state, "actor", None)
    choices = communities.mine(session=session, actor=actor)
    carnet = None
    if note is None and isinstance(values.get("carnet"), str) and values["carnet"]:
        # "Créer une note dans le carnet": its guide and its categories come with the form.
        carnets.load_contributable(session, actor, values["carnet"])
        carnet = carnets.read(session=session, actor=actor, carnet_id=values["carnet"], query=CarnetQuery(per_page=1))
    return page(request, "notes/edit.html",
                {"note": note, "values": values, "errors": errors, "conflict": conflict, "communities": choices, "carnet": carnet},
                status_code=status)


@router.get("/n/new")
def new_note_form(
    request: Request, session: SessionDep, actor: UserDep,
    title: Annotated[str, Query(max_length=300)] = "", carnet: Annotated[str, Query(max_length=32)] = "",
) -> Response:
    values = {"title": title, "body": "", "kind": "note", "visibility": "public", "licence": DEFAULT_LICENCE, "carnet": carnet}
    return _editor(request, session, note=None, values=values, errors={})


@router.post("/n/new")
async def create_note(request: Request, session: SessionDep, actor: UserDep) -> Response:
    values, data, errors = await _read_form(request, session, actor, NoteCreate)
    if data is None:
        return _editor(request, session, note=None, values=values, errors=errors, status=422)
    try:
        note = filing.create_note(session=session, actor=actor, data=data)
    except Invalid as exc:
        session.rollback()  # nothing of a refused note is kept
        return _editor(request, session, note=None, values=values, errors=_form_error(exc), status=422)
    return RedirectResponse(f"/n/{note.id}/", status_code=303)


@router.get("/n/{note_id}/")
def view_note(
    request: Request, note_id: str, session: SessionDep, actor: ActorDep,
    rev: Annotated[RevisionNumber | None, Query()] = None, style: StyleParam = "",
) -> Response:
    note = note_service.get_note(session=session, actor=actor, note_id=note_id)
    return note_page(request, session, actor, note, rev, style)


def note_page(request: Request, session: Session, actor: Any, note: NoteRead, rev: int | None = None, style: str = "",
              *, comment_form: dict[str, Any] | None = None, contact_form: dict[str, Any] | None = None,
              status: int = 200) -> Response:
    """A note's page (at /n/{id}/, or /def/{slug}/ for a term), or one of its revisions, with
    its citation in `style` ("Pour citer cette note": of the revision shown, when one is) and
    its discussion and its contact form (`comment_form`, `contact_form`: what was typed, sent
    back with what was wrong with it)."""
    revision = None
    if rev is not None and rev != note.revision:
        revision = revision_service.get_revision(session=session, actor=actor, note_id=note.id, number=rev)
    alternate = f"/api/v1/notes/{note.id}" + (f"/revisions/{rev}" if revision else "")
    requests = edit_requests.list_for_note(session=session, actor=actor, note_id=note.id)
    can_ask = actor is not None and not note.can_edit and not any(r.status == "pending" for r in requests)
    # ?rev=N cites revision N by its permanent link, even when it is the current one.
    query = citation_pages.style_query(style, rev=rev)
    if rev is None:
        work = citations.note_work(session, note)
    else:
        cited = revision or revision_service.get_revision(session=session, actor=actor, note_id=note.id, number=rev)
        work = citations.revision_work(session, cited)
    cite = citation_pages.block(session, work, query, api=f"/api/v1/notes/{note.id}/citation")
    thread = discussion.thread(session=session, actor=actor, note_id=note.id)
    return page(request, "notes/view.html",
                {"note": note, "revision": revision, "requests": requests, "can_ask": can_ask, "cite": cite,
                 "discussion": thread, "comment_form": comment_form or {}, "contact_form": contact_form or {},
                 "contact_sent": request.query_params.get("contact") == "sent"},
                alternate=alternate, status_code=status)


def note_page_again(request: Request, session: Session, actor: Any, note_id: str, *, form: str, typed: dict[str, Any],
                    exc: DomainError | None = None, errors: dict[str, str] | None = None) -> Response:
    """The note's page once more, after a comment or a message was refused: what was typed in
    `form` ("comment_form" or "contact_form") comes back with what was wrong with it."""
    session.rollback()  # nothing of the refused write is kept
    if exc is not None:
        errors = {getattr(exc, "field", None) or "body": exc.message}
    note = note_service.get_note(session=session, actor=actor, note_id=note_id)
    status = exc.status if exc is not None else 422
    response = note_page(request, session, actor, note, status=status, **{form: {**typed, "errors": errors or {}}})
    if exc is not None and exc.extra.get("retry_after"):
        response.headers["Retry-After"] = str(exc.extra["retry_after"])
    return response


@router.post("/n/{note_id}/edit-requests")
async def request_edit(request: Request, note_id: str, session: SessionDep, actor: UserDep) -> Response:
    form = await request.form()
    message = form.get("message")
    data, errors = parse_form(EditRequestCreate, {"message": message if isinstance(message, str) else ""})
    if data is None:
        raise Invalid(errors.get("message", "Invalid message."), field="message")
    edit_requests.request_edit(session=session, actor=actor, note_id=note_id, data=data)
    return RedirectResponse(f"/n/{note_id}/#demandes", status_code=303)


@router.post("/edit-requests/{request_id}/{decision}")
def decide(request_id: str, decision: Literal["approve", "refuse"], session: SessionDep, actor: UserDep) -> Response:
    answered = edit_requests.decide(session=session, actor=actor, request_id=request_id, approve=decision == "approve")
    return RedirectResponse(f"/n/{answered.note_id}/#demandes", status_code=303)


@router.get("/n/{note_id}/edit")
def edit_form(request: Request, note_id: str, session: SessionDep, actor: UserDep) -> Response:
    loaded = note_service.load_editable(session, actor, note_id)
    note = note_service.read_note(session=session, actor=actor, note=loaded[0])
    values = {k: getattr(note, k) for k in ("title", "body", "kind", "visibility", "licence")}
    values["base_revision"] = note.revision
    values["authors"] = ", ".join(a.username for a in note.authors)
    values["readers"] = ", ".join(note.readers)
    values["community"] = note.community.id if note.community else ""
    state = note_service.current_state(session, *loaded)
    titles = {r.id: r.title for group in (note.links.notes, note.links.organisations, note.links.terms) for r in group}
    values["links"] = "\n".join(f"{titles[i]} [{i}]" for i in state.links if i in titles)  # those the editor sees
    for name in ("website", "region", "description", "definition"):
        values[name] = getattr(note, name) or ""
    values["synonyms"] = ", ".join(note.synonyms or [])
    return _editor(request, session, note=note, values=values, errors={})


@router.post("/n/{note_id}/edit")
async def edit(request: Request, note_id: str, session: SessionDep, actor: UserDep) -> Response:
    note = note_service.get_note(session=session, actor=actor, note_id=note_id)
    values, data, errors = await _read_form(request, session, actor, NoteUpdate)
    if data is None:
        return _editor(request, session, note=note, values=values, errors=errors, status=422)
    try:
        note_service.update_note(session=session, actor=actor, note_id=note_id, data=data)
    except Conflict as exc:
        session.rollback()
        # Keep what the person wrote, show the version saved meanwhile, and let the next save
        # be made from it once they have merged the two.
        current = NoteRead.model_validate(exc.extra["current"])
        values["base_revision"] = current.revision
        return _editor(request, session, note=current, values=values, errors={}, status=409, conflict=current)
    except Invalid as exc:
        session.rollback()
        return _editor(request, session, note=note, values=values, errors=_form_error(exc), status=422)
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
