"""The note editor's pages: new note, edit, preview, and the conflict screen when a save comes
after someone else's; the browser draft's key and the cookie that tells a note's page it was saved."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from sqlmodel import Session
from starlette.responses import Response

from praxis import i18n
from praxis.carnets import service as carnet_service
from praxis.config import site_settings
from praxis.deps import SessionDep, UserDep, writes_late
from praxis.errors import Invalid, StaleEdit, TooManyRequests
from praxis.i18n import N_
from praxis.media import service as media_service
from praxis.merge import has_markers
from praxis.notes import service as note_service
from praxis.people import service as people_service
from praxis.schemas import (
    KIND_DETAILS,
    NoteCreate,
    NoteRead,
    NoteUpdate,
    PreviewRead,
    PreviewRequest,
)
from praxis.vocab import DEFAULT_LICENCE
from praxis.web import naming
from praxis.web.done import said
from praxis.web.forms import FormInvalid, M, errors_of, parse, parse_form, refused_page, split_list
from praxis.web.templating import page

router = APIRouter()

_FORM_FIELDS = (
    "title",
    "body",
    "kind",
    "visibility",
    "community",
    "licence",
    "summary",
    "base_revision",
    "authors",
    "readers",
    "links",
    "website",
    "region",
    "description",
    "definition",
    "synonyms",
    "aliases",
    "keywords",
    "carnet",
    "published_at",
)


async def _form_fields(request: Request) -> tuple[dict[str, Any], dict[str, Any]]:
    """What the form shows back (as typed) and what the schema gets (authors as a list)."""
    form = await request.form()
    values: dict[str, Any] = {}
    for name in _FORM_FIELDS:
        value = form.get(name)
        if isinstance(value, str) and (value.strip() or name == "body"):
            values[name] = value.replace("\r\n", "\n")
    naming.apply_picks(form, values)
    data = dict(values)
    chosen = [v for v in form.getlist("categories") if isinstance(v, str) and v.strip()]
    if chosen:
        values["categories"] = data["categories"] = chosen
    for name in ("authors", "readers", "synonyms", "aliases", "keywords"):
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
    if "base_revision" in data:  # an emptied field removes every alias, every keyword
        data.setdefault("aliases", [])
        data.setdefault("keywords", [])
    if "base_revision" in data:  # an emptied detail of the chosen kind is cleared
        for name in KIND_DETAILS.get(data.get("kind", "note"), ()):
            data.setdefault(name, [] if name == "synonyms" else None)
    return values, data


def _editor_again(request: Request, *, note: NoteRead | None, values: dict[str, Any]) -> None:
    """A refused save shows the editor again, as typed: bad input (422, with the choices offered
    for the names several people or notes match), or too many invitations sent (429, with its
    Retry-After)."""
    refused_page(
        request,
        lambda reading, exc: _editor(
            request,
            reading,
            note=note,
            values=values,
            errors=errors_of(exc),
            status=exc.status,
            unclear=getattr(exc, "unclear", {}),
        ),
        answers=(Invalid, TooManyRequests),
    )


async def _read_form(
    request: Request, session: Session, actor: Any, model: type[M], *, note: NoteRead | None
) -> tuple[dict[str, Any], M]:
    """What was typed (with the editor's state), and the schema built from it; a wrong field
    shows the editor again."""
    values, fields = await _form_fields(request)
    await _editor_state(request, values)
    _editor_again(request, note=note, values=values)
    # Every field's refusal at once: the names, the date, then the schema for the rest.
    errors, unclear = naming.read_names(session, actor, values, fields)
    if refused_day := _publication_date(session, fields, note):
        errors["published_at"] = refused_day
    built, refused = parse_form(model, {name: value for name, value in fields.items() if name not in errors})
    if built is None or errors:
        raise naming.InvalidWithChoices({**refused, **errors}, unclear)
    return values, built


PUBLISHED_FORMAT = N_("Indiquez une date (AAAA-MM-JJ).")
PUBLISHED_FUTURE = N_("La date de publication ne peut pas être après aujourd'hui.")


def _publication_date(session: Session, fields: dict[str, Any], note: NoteRead | None) -> str | None:
    """The form's publication day (in the site's time zone) as the schema's `published_at`: the
    start of that day; the note's own time kept when the day is unchanged; no day after today
    (the message saying why, when refused). Left empty: the save's time for a new note, the date
    it had for a saved one."""
    typed = fields.pop("published_at", None)
    if not typed:
        return None
    try:
        day = date.fromisoformat(typed.strip())
    except ValueError:
        return PUBLISHED_FORMAT
    zone = ZoneInfo(site_settings(session).timezone)
    if note is not None and note.published_at is not None and note.published_at.astimezone(zone).date() == day:
        return None
    if day > datetime.now(zone).date():
        return PUBLISHED_FUTURE
    fields["published_at"] = datetime.combine(day, time.min, zone)
    return None


def published_day(session: Session, note: NoteRead) -> str:
    """A note's publication day in the site's time zone, as the editor's date field shows it."""
    if note.published_at is None:
        return ""
    return note.published_at.astimezone(ZoneInfo(site_settings(session).timezone)).date().isoformat()


# The editor's script names each browser draft "username:note id or new:base revision"; the
# page shown after a save tells it which draft to forget, through this short-lived cookie.
DRAFT_SAVED_COOKIE = "praxis_draft_saved"
DRAFT_KEY = re.compile(r"^[a-z0-9][a-z0-9_.\-]{0,63}:[A-Za-z0-9_\-]{1,32}:[0-9]{1,10}$")
# The conflict markers' labels, in the writer's language.
YOUR_VERSION = N_("Votre version")
CURRENT_VERSION = N_("Version actuelle (révision %(number)s)")
MARKERS_LEFT = N_(
    "Le texte contient encore des marques de conflit : gardez ce qui doit rester de chaque version, "
    "supprimez les lignes de marques, puis enregistrez."
)


async def _editor_state(request: Request, values: dict[str, Any]) -> dict[str, Any]:
    """Add to `values` what the editor carries besides the note: the browser draft it was typed
    in, and whether it comes from a conflict screen (whose markers must be resolved)."""
    form = await request.form()
    key = form.get("draft_key")
    if isinstance(key, str) and DRAFT_KEY.match(key):
        values["draft_key"] = key
    if form.get("conflict") == "1":
        values["conflict"] = "1"
    return values


def _wants_preview(form: Any) -> bool:
    return form.get("action") == "preview"


def _saved(request: Request, note: NoteRead, values: dict[str, Any]) -> Response:
    """Off to the saved note, whose page says "Note enregistrée — révision N" and tells the
    editor's script which browser draft is now saved."""
    note_id = note.id
    response = said(request, f"/n/{note_id}/", "saved", number=note.revision)
    if values.get("draft_key"):
        response.set_cookie(
            DRAFT_SAVED_COOKIE,
            values["draft_key"],
            max_age=300,
            path=f"/n/{note_id}/",
            httponly=True,
            samesite="lax",
            secure=request.app.state.settings.secure_cookies,
        )
    return response


def _markers_left(values: dict[str, Any]) -> dict[str, str]:
    """A merge's conflict markers still in the text of a form that came from a conflict screen."""
    if values.get("conflict") and has_markers(values.get("body", "")):
        return {"body": MARKERS_LEFT}
    return {}


async def _preview(request: Request, session: Session, actor: Any, *, note: Any) -> Response:
    """The editor again with what was typed, and the text rendered below it (nothing is saved)."""
    values = await _editor_state(request, (await _form_fields(request))[0])
    _editor_again(request, note=note, values=values)
    data = parse(PreviewRequest, {"body": values.get("body", ""), "note_id": note.id if note else None})
    shown = note_service.preview_note(session=session, actor=actor, data=data)
    return _editor(request, session, note=note, values=values, errors={}, preview=shown)


def _editor(
    request: Request,
    session: Session,
    *,
    note: Any,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
    conflict: note_service.ConflictView | None = None,
    preview: PreviewRead | None = None,
    unclear: dict[str, list[naming.Unclear]] | None = None,
) -> Response:
    actor = getattr(request.state, "actor", None)
    choices = people_service.my_communities(session=session, actor=actor)
    carnet = None
    if note is None and isinstance(values.get("carnet"), str) and values["carnet"]:
        # "Créer une note dans le carnet": its guide and its categories come with the form.
        carnet = carnet_service.carnet_for_filing(session=session, actor=actor, carnet_id=values["carnet"])
    return page(
        request,
        "notes/edit.html",
        {
            "note": note,
            "values": values,
            "errors": errors,
            "conflict": conflict,
            "communities": choices,
            "carnet": carnet,
            "preview": preview,
            "unclear": unclear or {},
            "today": datetime.now(ZoneInfo(site_settings(session).timezone)).date().isoformat(),
            "files": media_service.list_attachments(session=session, actor=actor, note_id=note.id) if note else [],
        },
        status_code=status,
    )


@router.get("/n/new")
def new_note_form(
    request: Request,
    session: SessionDep,
    actor: UserDep,
    title: Annotated[str, Query(max_length=300)] = "",
    carnet: Annotated[str, Query(max_length=32)] = "",
) -> Response:
    values = {
        "title": title,
        "body": "",
        "kind": "note",
        "visibility": "public",
        "licence": DEFAULT_LICENCE,
        "carnet": carnet,
    }
    return _editor(request, session, note=None, values=values, errors={})


@router.post("/n/new")
async def create_note(request: Request, session: SessionDep, actor: UserDep) -> Response:
    if _wants_preview(await request.form()):
        return await _preview(request, session, actor, note=None)
    values, data = await _read_form(request, session, actor, NoteCreate, note=None)
    note = carnet_service.create_note(session=session, actor=actor, data=data)
    return _saved(request, note, values)


@router.get("/n/{note_id}/edit")
def edit_form(request: Request, note_id: str, session: SessionDep, actor: UserDep) -> Response:
    editing = note_service.note_for_editing(session=session, actor=actor, note_id=note_id)
    note = editing.note
    values = {k: getattr(note, k) for k in ("title", "body", "kind", "visibility", "licence")}
    values["base_revision"] = note.revision
    # Those invited stay in the field: a save without them withdraws their invitations.
    values["authors"] = ", ".join(a.username for a in [*note.authors, *note.pending_authors])
    values["readers"] = ", ".join(note.readers)
    values["community"] = note.community.id if note.community else ""
    seen = {r.id: r for group in (note.links.notes, note.links.organisations, note.links.terms) for r in group}
    linked = [seen[i] for i in editing.links if i in seen]  # those the editor sees, by title
    values["links"] = "\n".join(note_service.link_lines(session=session, actor=actor, notes=linked))
    for name in ("website", "region", "description", "definition"):
        values[name] = getattr(note, name) or ""
    values["synonyms"] = ", ".join(note.synonyms or [])
    values["aliases"] = ", ".join(note.aliases)
    values["keywords"] = ", ".join(note.keywords)
    values["published_at"] = published_day(session, note)
    return _editor(request, session, note=note, values=values, errors={})


@router.post("/n/{note_id}/edit")
@writes_late  # save_note takes the write lock once it has rendered the change
async def edit(request: Request, note_id: str, session: SessionDep, actor: UserDep) -> Response:
    # Read for editing, as the editor's page is: a refused form (or a preview) shows the editor
    # again only to whoever may save it; anyone else is refused as that page refuses them.
    note = note_service.note_for_editing(session=session, actor=actor, note_id=note_id).note
    if _wants_preview(await request.form()):
        return await _preview(request, session, actor, note=note)
    values, data = await _read_form(request, session, actor, NoteUpdate, note=note)
    if markers := _markers_left(values):
        raise FormInvalid(markers)
    # Saved meanwhile by someone else: the conflict screen, from the version saved.
    refused_page(
        request,
        lambda reading, exc: _conflict(
            request, reading, actor, NoteRead.model_validate(exc.extra["current"]), data.base_revision, values
        ),
        answers=(StaleEdit,),
    )
    saved = note_service.save_note(session=session, actor=actor, note_id=note_id, data=data)
    return _saved(request, saved, values)


def _conflict(
    request: Request, session: Session, actor: Any, current: NoteRead, base_revision: int, values: dict[str, Any]
) -> Response:
    """The conflict screen: nothing was overwritten; the author's title and text merged with the
    version saved meanwhile are offered in the form, whose next save is made from that version."""
    view = note_service.reconcile(
        session=session,
        actor=actor,
        current=current,
        base_revision=base_revision,
        title=values.get("title", ""),
        body=values.get("body", ""),
        yours_label=i18n.gettext(YOUR_VERSION),
        theirs_label=i18n.gettext(CURRENT_VERSION) % {"number": current.revision},
    )
    values.update(title=view.title, body=view.merged.text, base_revision=current.revision, conflict="1")
    return _editor(request, session, note=current, values=values, errors={}, status=409, conflict=view)
