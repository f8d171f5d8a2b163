"""Note pages: read (a note, or one of its revisions), ask to edit, history, diff, restore,
delete. The editor's pages (new, edit, preview, conflict) are in praxis/web/editor.py."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse
from sqlmodel import Session
from starlette.responses import Response

from praxis import policy
from praxis.carnets import service as carnet_service
from praxis.conversation import service as conversation_service
from praxis.deps import ActorDep, SessionDep, UserDep
from praxis.diff import changed_blocks, readable_text, without_note_ids, word_diff
from praxis.errors import DomainError
from praxis.media import service as media_service
from praxis.notes import service as note_service
from praxis.people import service as people_service
from praxis.publishing import service as publishing_service
from praxis.schemas import (
    EditRequestCreate,
    NoteRead,
    RevisionNumber,
)
from praxis.web import citations as citation_pages
from praxis.web.citations import StyleParam
from praxis.web.done import said
from praxis.web.editor import DRAFT_KEY, DRAFT_SAVED_COOKIE
from praxis.web.forms import form_page, parse
from praxis.web.templating import page

router = APIRouter()


@router.get("/n/{note_id}/")
def view_note(
    request: Request,
    note_id: str,
    session: SessionDep,
    actor: ActorDep,
    rev: Annotated[RevisionNumber | None, Query()] = None,
    style: StyleParam = "",
) -> Response:
    note = note_service.get_note(session=session, actor=actor, note_id=note_id)
    saved_draft = request.cookies.get(DRAFT_SAVED_COOKIE)
    if saved_draft is not None and not DRAFT_KEY.match(saved_draft):
        saved_draft = None
    response = note_page(request, session, actor, note, rev, style, saved_draft=saved_draft)
    if DRAFT_SAVED_COOKIE in request.cookies:
        response.delete_cookie(DRAFT_SAVED_COOKIE, path=f"/n/{note_id}/")  # told once
    return response


def note_page(
    request: Request,
    session: Session,
    actor: Any,
    note: NoteRead,
    rev: int | None = None,
    style: str = "",
    *,
    comment_form: dict[str, Any] | None = None,
    contact_form: dict[str, Any] | None = None,
    status: int = 200,
    saved_draft: str | None = None,
) -> Response:
    """A note's page (at /n/{id}/, or /def/{slug}/ for a term), or one of its revisions, with
    its citation in `style` ("Pour citer cette note": of the revision shown, when one is) and
    its discussion and its contact form (`comment_form`, `contact_form`: what was typed, sent
    back with what was wrong with it); `saved_draft`: the browser draft just saved, to forget."""
    revision = None
    if rev is not None and rev != note.revision:
        revision = note_service.get_revision(session=session, actor=actor, note_id=note.id, number=rev)
    alternate = f"/api/v1/notes/{note.id}" + (f"/revisions/{rev}" if revision else "")
    requests = people_service.edit_requests_for_note(session=session, actor=actor, note_id=note.id)
    # Offered by the rules that refuse (policy.edit_request_refusal: not to an invited person, who
    # answers their invitation instead; policy.asked_again_refusal: not while their request waits).
    waiting = next(
        (r.id for r in requests if r.status == "pending" and actor is not None and r.requester == actor.username), None
    )
    can_ask = note.can_request_edit and policy.asked_again_refusal(waiting) is None
    # ?rev=N cites revision N by its permanent link, even when it is the current one.
    query = citation_pages.style_query(style, rev=rev)
    cited = None
    if rev is None:
        work = publishing_service.note_work(session, note)
    else:
        cited = revision or note_service.get_revision(session=session, actor=actor, note_id=note.id, number=rev)
        work = publishing_service.revision_work(session, cited)
    cite = citation_pages.block(session, work, query, api=f"/api/v1/notes/{note.id}/citation")
    thread = conversation_service.comment_thread(session=session, actor=actor, note_id=note.id)
    # Where the reader came from (?carnet=, &base=, and &sort= when the carnet was browsed in
    # another order than its own, as the carnet and base pages link notes): checked by the
    # service, which ignores what the reader may not see, or an unknown order, as if absent.
    place = carnet_service.note_place(
        session=session,
        actor=actor,
        note=note,
        carnet_id=request.query_params.get("carnet"),
        base_id=request.query_params.get("base"),
        sort=request.query_params.get("sort"),
    )
    # "Ajouter à un carnet": the carnets the reader contributes to that do not hold the note yet.
    filing = (
        [c for c in carnet_service.filing_choices(session=session, actor=actor, note_id=note.id) if not c.holds_note]
        if policy.is_signed_in(actor) and revision is None and note.deleted_at is None
        else []
    )
    return page(
        request,
        "notes/view.html",
        {
            "note": note,
            "place": place,
            "filing": filing,
            "revision": revision,
            "requests": requests,
            "can_ask": can_ask,
            "cite": cite,
            "discussion": thread,
            "comment_form": comment_form or {},
            "contact_form": contact_form or {},
            "contact_sent": request.query_params.get("contact") == "sent",
            "saved_draft": saved_draft,
            "files": media_service.list_attachments(session=session, actor=actor, note_id=note.id),
            "share": publishing_service.note_card(session, note, work, cited),
        },
        alternate=alternate,
        status_code=status,
    )


NoteForm = Literal["comment_form", "contact_form"]  # the forms of a note's page that come back when refused


def note_page_again(
    request: Request,
    session: Session,
    actor: Any,
    note_id: str,
    *,
    form: NoteForm,
    typed: dict[str, Any],
    errors: dict[str, str],
    status: int,
) -> Response:
    """The note's page once more, after a comment or a message was refused: what was typed in
    `form` ("comment_form" or "contact_form") comes back with what was wrong with it."""
    note = note_service.get_note(session=session, actor=actor, note_id=note_id)
    sent = {**typed, "errors": errors}
    if form == "comment_form":
        return note_page(request, session, actor, note, status=status, comment_form=sent)
    return note_page(request, session, actor, note, status=status, contact_form=sent)


def note_form(
    request: Request,
    actor: Any,
    note_id: str,
    *,
    form: NoteForm,
    typed: dict[str, Any],
    answers: tuple[type[DomainError], ...],
) -> None:
    """A comment or a message refused (by its schema, or by the service with one of `answers`)
    shows the note's page again, with what was typed in `form` and what was wrong with it."""
    form_page(
        request,
        lambda reading, errors, status: note_page_again(
            request, reading, actor, note_id, form=form, typed=typed, errors=errors, status=status
        ),
        answers=answers,
        field="body",
    )


@router.post("/n/{note_id}/edit-requests")
async def request_edit(request: Request, note_id: str, session: SessionDep, actor: UserDep) -> Response:
    form = await request.form()
    message = form.get("message")
    data = parse(EditRequestCreate, {"message": message if isinstance(message, str) else ""})
    people_service.request_edit(session=session, actor=actor, note_id=note_id, data=data)
    return RedirectResponse(f"/n/{note_id}/#demandes", status_code=303)


@router.post("/edit-requests/{request_id}/{decision}")
def decide(request_id: str, decision: Literal["approve", "refuse"], session: SessionDep, actor: UserDep) -> Response:
    answered = people_service.decide_edit_request(
        session=session, actor=actor, request_id=request_id, approve=decision == "approve"
    )
    return RedirectResponse(f"/n/{answered.note_id}/#demandes", status_code=303)


@router.get("/n/{note_id}/delete")
def confirm_delete(request: Request, note_id: str, session: SessionDep, actor: UserDep) -> Response:
    """Deleting a note asks first: what happens, then the button (or Cancel)."""
    note = note_service.note_for_editing(session=session, actor=actor, note_id=note_id).note
    return page(request, "notes/delete.html", {"note": note, "days": policy.TRASH_DAYS})


@router.post("/n/{note_id}/delete")
def delete(request: Request, note_id: str, session: SessionDep, actor: UserDep) -> Response:
    deleted = note_service.delete_note(session=session, actor=actor, note_id=note_id)
    return said(request, "/corbeille/", "deleted", note=deleted.id, title=deleted.title)  # with Annuler


@router.post("/n/{note_id}/undelete")
def undelete(request: Request, note_id: str, session: SessionDep, actor: UserDep) -> Response:
    note_service.undelete_note(session=session, actor=actor, note_id=note_id)
    return said(request, f"/n/{note_id}/", "undeleted")


@router.get("/corbeille/")
def trash(
    request: Request,
    session: SessionDep,
    actor: UserDep,
    p: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """The deleted notes the reader may bring back, the last deleted first, a page at a time."""
    listing = note_service.list_trash(session=session, actor=actor, page=p)
    return page(request, "notes/trash.html", {"trash": listing, "days": policy.TRASH_DAYS}, alternate="/api/v1/trash")


@router.get("/n/{note_id}/history")
def history(request: Request, note_id: str, session: SessionDep, actor: ActorDep) -> Response:
    note = note_service.get_note(session=session, actor=actor, note_id=note_id)
    revisions = note_service.list_revisions(session=session, actor=actor, note_id=note_id)
    return page(
        request,
        "notes/history.html",
        {"note": note, "revisions": revisions},
        alternate=f"/api/v1/notes/{note_id}/revisions",
    )


@router.get("/n/{note_id}/diff")
def diff(
    request: Request,
    note_id: str,
    session: SessionDep,
    actor: ActorDep,
    from_: Annotated[RevisionNumber, Query(alias="from")],
    to: Annotated[RevisionNumber, Query()],
) -> Response:
    note = note_service.get_note(session=session, actor=actor, note_id=note_id)
    change = note_service.diff_revisions(session=session, actor=actor, note_id=note_id, from_=from_, to=to)
    # Beside the diff of the Markdown: one of the text as it reads (the revisions' renderings,
    # their links to hidden notes as the reader sees them); the source shows links by label.
    before, after = (
        note_service.get_revision(session=session, actor=actor, note_id=note_id, number=n) for n in (from_, to)
    )
    return page(
        request,
        "notes/diff.html",
        {
            "note": note,
            "diff": change,
            "text_diff": changed_blocks(word_diff(readable_text(before.html), readable_text(after.html))),
            "source_diff": word_diff(without_note_ids(before.body), without_note_ids(after.body)),
        },
        alternate=f"/api/v1/notes/{note_id}/diff?from={from_}&to={to}",
    )


@router.post("/n/{note_id}/revisions/{number}/restore")
def restore(request: Request, note_id: str, number: RevisionNumber, session: SessionDep, actor: UserDep) -> Response:
    note_service.restore_revision(session=session, actor=actor, note_id=note_id, number=number)
    return said(request, f"/n/{note_id}/", "restored", note=note_id, number=number)


@router.get("/n/{note_id}/{slug}")
def slug_redirect(note_id: str, slug: str) -> Response:
    """/n/{id}/{anything} is the same note: send readers to the canonical address."""
    return RedirectResponse(f"/n/{note_id}/", status_code=301)
