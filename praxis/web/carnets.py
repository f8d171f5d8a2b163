"""Carnet pages: the list, one carnet with its notes, its graph, filing notes in it, its export.
Its settings, members and categories (for its managers) are in praxis/web/carnet_settings.py."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Annotated, Any, Literal, get_args
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Form, Query, Request
from pydantic import TypeAdapter, ValidationError
from sqlmodel import Session
from starlette.datastructures import FormData
from starlette.responses import Response

from praxis.carnets import service as carnet_service
from praxis.deps import ActorDep, SessionDep, UserDep
from praxis.errors import Conflict, Invalid
from praxis.i18n import N_
from praxis.markdown import fold
from praxis.notes import service as note_service
from praxis.people import service as people_service
from praxis.publishing import service as publishing_service
from praxis.schemas import (
    MAX_AXES,
    AxisRead,
    CarnetCreate,
    CarnetQuery,
    CarnetSort,
    CategoryName,
    EntryCreate,
    EntryUpdate,
    NoteRef,
    RemovedEntry,
)
from praxis.transfer import service as transfer_service
from praxis.vocab import KINDS
from praxis.web import citations as citation_pages
from praxis.web import done
from praxis.web.citations import StyleParam
from praxis.web.done import said, seal, unseal
from praxis.web.forms import form_page, parse, split_list
from praxis.web.templating import page

router = APIRouter()
AxisId = Annotated[int, Query(ge=1, le=2_147_483_647)]
_CATEGORY_NAME = TypeAdapter(CategoryName)


def _is_category_name(value: str) -> bool:
    try:
        _CATEGORY_NAME.validate_python(value)
    except ValidationError:
        return False
    return True


# What makes a view of a carnet page (its filters, order and page, and the base the reader came
# from): a tool of the "Organiser" mode returns to the view it was used from.
_VIEW = ("category", "kind", "author", "q", "sort", "base", "p")


def view_of(pairs: Iterable[tuple[str, str]]) -> str:
    """The carnet view named by these query parameters, as a query string; anything else dropped
    (the page itself leaves out a filter the carnet does not have)."""
    return urlencode([(k, v) for k, v in pairs if k in _VIEW and v][:60])


def back(carnet_id: str, anchor: str = "", *, organising: bool = False, view: str = "") -> str:
    """The carnet page's address (in its "Organiser" mode after a tool of that mode, in the view
    it was used from), for a form's answer to return to."""
    query = "&".join(q for q in (view_of(parse_qsl(view)), "organiser=1" if organising else "") if q)
    return f"/c/{carnet_id}/{'?' + query if query else ''}{anchor}"


def form_text(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value.replace("\r\n", "\n") if isinstance(value, str) else None


def _chosen(form: FormData) -> list[str]:
    """The categories picked in the form's lists (one select per list; empty means none)."""
    return [v for v in form.getlist("categories") if isinstance(v, str) and v.strip()]


# --- list and creation -----------------------------------------------------------------------


@router.get("/c/")
def list_page(
    request: Request, session: SessionDep, actor: ActorDep, p: Annotated[int, Query(ge=1, le=100_000)] = 1
) -> Response:
    return _list(request, session, actor, p, values={}, errors={})


def _list(
    request: Request, session: Session, actor: Any, p: int, *, values: dict, errors: dict, status: int = 200
) -> Response:
    listing = carnet_service.list_carnets(session=session, actor=actor, page=p, per_page=50)
    return page(
        request,
        "carnets/list.html",
        {
            "carnets": listing,
            "values": values,
            "errors": errors,
            "communities": people_service.my_communities(session=session, actor=actor),
            "share": publishing_service.listing_card(session, "/c/"),
        },
        status_code=status,
        alternate="/api/v1/carnets",
    )


@router.post("/c/")
async def create(request: Request, session: SessionDep, actor: UserDep) -> Response:
    form = await request.form()
    values = {k: form_text(form, k) or "" for k in ("title", "description", "guide", "visibility", "community", "sort")}
    axes = []
    for i in range(1, MAX_AXES + 1):
        name, cats = (form_text(form, f"axis{i}") or "").strip(), form_text(form, f"axis{i}_categories") or ""
        values[f"axis{i}"], values[f"axis{i}_categories"] = name, cats
        if name:
            axes.append({"name": name, "categories": split_list(cats)})
    fields: dict[str, Any] = {k: v for k, v in values.items() if v and not k.startswith("axis")}
    form_page(
        request, lambda s, errors, status: _list(request, s, actor, 1, values=values, errors=errors, status=status)
    )
    created = carnet_service.create_carnet(
        session=session, actor=actor, data=parse(CarnetCreate, {**fields, "axes": axes})
    )
    return said(request, back(created.id), "carnet_created")


# --- reading ---------------------------------------------------------------------------------


def _key(name: str) -> str:
    return fold(name)[:100]  # how categories are matched (browsing.list_entries)


@dataclass
class Browse:
    """The links of a carnet page: each changes one filter and keeps the others (one category per
    list, the kind, the author, the text, the order), and where the reader came from (`base`) and
    the "Organiser" mode. Choosing what is chosen already takes it off."""

    path: str
    axes: list[AxisRead]
    categories: list[str]
    fields: dict[str, str]  # kind, author, q, sort: what is set
    keep: list[tuple[str, str]] = field(default_factory=list)  # base, organiser
    axis_of: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.axis_of = {_key(c.name): axis.id for axis in self.axes for c in axis.categories}

    def url(self, categories: list[str] | None = None, **changes: str) -> str:
        fields = {**self.fields, **changes}
        params = [("category", c) for c in (self.categories if categories is None else categories)]
        params += [(k, fields[k]) for k in ("kind", "author", "q", "sort") if fields.get(k)]
        params += self.keep
        return self.path + ("?" + urlencode(params) if params else "")

    def chosen(self, name: str) -> bool:
        return _key(name) in {_key(c) for c in self.categories}

    def category(self, name: str) -> str:
        """This category, instead of any other of its list (or without it, when chosen)."""
        axis = self.axis_of.get(_key(name))
        others = [c for c in self.categories if self.axis_of.get(_key(c)) != axis]
        return self.url(others if self.chosen(name) else [*others, name])

    def without_category(self, name: str) -> str:
        return self.url([c for c in self.categories if _key(c) != _key(name)])

    def kind(self, kind: str) -> str:
        return self.url(kind="" if self.fields.get("kind") == kind else kind)

    def without(self, name: str) -> str:
        return replace(self, fields={**self.fields, name: ""}).url()

    def cleared(self) -> str:
        return self.url([], kind="", author="", q="", sort=self.fields.get("sort", ""))

    def organising(self, on: bool) -> str:
        keep = [(k, v) for k, v in self.keep if k != "organiser"] + ([("organiser", "1")] if on else [])
        return replace(self, keep=keep).url()

    def hidden(self, *but: str) -> list[tuple[str, str]]:
        """The fields a form of the page sends along, but those it asks for."""
        params = [("category", c) for c in self.categories] + list(self.fields.items()) + self.keep
        return [(k, v) for k, v in params if v and k not in but]

    def view(self, page: int = 1) -> str:
        """This view for the tools of the "Organiser" mode to return to (`view_of`)."""
        return view_of([*self.hidden("organiser"), *([("p", str(page))] if page > 1 else [])])

    def pages(self) -> str:
        """The pager's prefix: this view, then `p=`."""
        url = self.url()
        return url + ("&" if "?" in url else "?")


@router.get("/c/{carnet_id}/")
def carnet_page(
    request: Request,
    carnet_id: str,
    session: SessionDep,
    actor: ActorDep,
    category: Annotated[list[str], Query(max_length=30)] = [],  # noqa: B006 (FastAPI copies defaults)
    kind: str = "",
    author: Annotated[str, Query(max_length=64)] = "",
    q: Annotated[str, Query(max_length=200)] = "",
    sort: str = "",
    p: Annotated[int, Query(ge=1, le=100_000)] = 1,
    style: StyleParam = "",
    base: Annotated[str, Query(max_length=32)] = "",
    organiser: bool = False,
) -> Response:
    """One carnet and its notes. `base` is the base the reader came from (for the breadcrumb and
    the notes' links; ignored unless the reader sees it and it holds the carnet); `organiser`
    shows the tools of those who file, order, pin and take out notes. A category, a kind or an
    order the carnet does not have (an old link, an edited address) is left out: the carnet shows
    as if it had not been asked, with the other filters kept."""
    fields = {
        "category": [c for c in category if _is_category_name(c)],
        "kind": kind if kind in KINDS else "",
        "author": author,
        "q": q,
        "sort": sort if sort in get_args(CarnetSort) else "",
        "page": p,
    }
    query = parse(CarnetQuery, fields)
    return _view(request, session, actor, carnet_id, query, errors={}, style=style, base=base, organising=organiser)


def _view(
    request: Request,
    session: Session,
    actor: Any,
    carnet_id: str,
    query: CarnetQuery,
    *,
    errors: dict,
    status: int = 200,
    style: str = "",
    base: str = "",
    organising: bool = False,
) -> Response:
    carnet = carnet_service.read_carnet(session=session, actor=actor, carnet_id=carnet_id, query=query, lenient=True)
    just_done = done.current(request)
    if (
        just_done
        and just_done.at.startswith("n-")
        and all(f"n-{e.note_id}" != just_done.at for e in carnet.entries.items)
    ):
        just_done.at = ""  # a note this view does not list (another page, a filter): said at the top
    known = {_key(c.name) for axis in carnet.axes for c in axis.categories}
    query = query.model_copy(update={"category": [c for c in query.category if _key(c) in known]})
    filtered = bool(query.category or query.kind or query.author or query.q)
    fields = {"kind": query.kind or "", "author": query.author or "", "q": query.q or "", "sort": query.sort or ""}
    params = [("category", c) for c in query.category] + [(k, v) for k, v in fields.items() if v]
    came_from = next((b for b in carnet.bases if b.id == base), None)  # a base the reader sees, holding it
    organising = organising and carnet.can_contribute
    keep = ([("base", came_from.id)] if came_from else []) + ([("organiser", "1")] if organising else [])
    browse = Browse(f"/c/{carnet.id}/", carnet.axes, list(query.category), fields, keep)
    work = publishing_service.carnet_work(session, carnet)
    cite = citation_pages.block(
        session,
        work,
        citation_pages.style_query(style),
        api=f"/api/v1/carnets/{carnet.id}/citation",
        keep=params + ([("p", query.page)] if query.page > 1 else []),
    )
    share = publishing_service.carnet_card(session, carnet, work)
    if filtered:  # a filtered view repeats the carnet: only the carnet itself is indexed
        share = replace(share, indexable=False)
    return page(
        request,
        "carnets/view.html",
        {
            "carnet": carnet,
            "query": query,
            "filtered": filtered,
            "params": params,
            "browse": browse,
            "came_from": came_from,
            "organising": organising,
            "view": browse.view(query.page),
            # Notes are linked with the carnet, the base and an order other than the carnet's own:
            # their previous and next follow the order the reader browsed in.
            "note_query": urlencode(
                [("carnet", carnet.id)]
                + ([("base", came_from.id)] if came_from else [])
                + ([("sort", query.sort)] if query.sort and query.sort != carnet.sort else [])
            ),
            "errors": errors,
            "cite": cite,
            "share": share,
            "reorderable": organising
            and carnet.can_manage
            and (query.sort or carnet.sort) == "manual"
            and not filtered,
        },
        status_code=status,
        alternate=f"/api/v1/carnets/{carnet.id}",
    )


@router.get("/c/{carnet_id}/graphe")
def graph_page(request: Request, carnet_id: str, session: SessionDep, actor: ActorDep) -> Response:
    carnet = carnet_service.carnet_ref(session=session, actor=actor, carnet_id=carnet_id)
    graph = carnet_service.carnet_graph(session=session, actor=actor, carnet_id=carnet.id)
    return page(
        request,
        "carnets/graph.html",
        {"carnet": carnet, "graph": graph, "drawing": carnet_service.graph_layout(graph)},
        alternate=f"/api/v1/carnets/{carnet.id}/graph",
    )


# --- notes in the carnet ---------------------------------------------------------------------


@router.post("/c/{carnet_id}/notes")
async def integrate(request: Request, carnet_id: str, session: SessionDep, actor: UserDep) -> Response:
    """ "Intégrer une note existante": a title, part of one, an id or "Titre [id]" naming a note
    the curator may read. Several notes match: the form comes back listing them to choose from."""
    form = await request.form()
    typed = (form_text(form, "note") or "").strip()
    choices: list[NoteRef] = []

    def again(reading: Session, errors: dict[str, str], status: int) -> Response:
        # Said at the note field, with what was typed (and the notes it may name, to choose from).
        extra = {"_typed": typed, "_choices": choices}
        return _view(request, reading, actor, carnet_id, CarnetQuery(), errors={**errors, **extra}, status=status)

    # "Already in this carnet" is the form's refusal too, said where the note was named.
    form_page(request, again, answers=(Invalid, Conflict), field="note_id")
    if not typed:
        raise Invalid(
            "Name one note, by its title or its id.",
            field="note_id",
            text=N_("Nommez une note, par son titre ou son identifiant."),
        )
    note_id = note_service.one_note(session=session, actor=actor, typed=typed, choices=choices)
    data = parse(EntryCreate, {"note_id": note_id, "categories": _chosen(form)})
    carnet_service.add_entry(session=session, actor=actor, carnet_id=carnet_id, data=data)
    added = carnet_service.entry_item(session=session, actor=actor, carnet_id=carnet_id, note_id=note_id)
    return said(request, back(carnet_id, f"#n-{note_id}"), "entry_added", title=added.note.title)


@router.get("/c/{carnet_id}/n/{note_id}")
def entry_page(request: Request, carnet_id: str, note_id: str, session: SessionDep, actor: UserDep) -> Response:
    """Filing one note in the carnet: its categories, and for managers its place and pin. Its
    query is the carnet view it was opened from, to return to."""
    carnet = carnet_service.carnet_for_filing(session=session, actor=actor, carnet_id=carnet_id)
    entry = carnet_service.entry_item(session=session, actor=actor, carnet_id=carnet_id, note_id=note_id)
    view = view_of(request.query_params.multi_items())
    return page(request, "carnets/entry.html", {"carnet": carnet, "entry": entry, "view": view})


@router.post("/c/{carnet_id}/n/{note_id}")
async def file_entry(request: Request, carnet_id: str, note_id: str, session: SessionDep, actor: UserDep) -> Response:
    form = await request.form()
    fields: dict[str, Any] = {"categories": _chosen(form)}
    if "pinned" in form or "position" in form:  # the managers' part of the form
        fields["pinned"] = form.get("pinned") == "on"
        position = form_text(form, "position")
        if position and position.strip():
            fields["position"] = position.strip()
    data = parse(EntryUpdate, fields)
    carnet_service.update_entry(session=session, actor=actor, carnet_id=carnet_id, note_id=note_id, data=data)
    view = form_text(form, "view") or ""
    return said(request, back(carnet_id, f"#n-{note_id}", organising=True, view=view), "entry_filed")


ViewField = Annotated[str, Form(max_length=2000)]


@router.post("/c/{carnet_id}/n/{note_id}/move")
def move(
    request: Request,
    carnet_id: str,
    note_id: str,
    session: SessionDep,
    actor: UserDep,
    step: Annotated[Literal["-1", "1"], Form()] = "1",
    position: Annotated[int | None, Form(ge=0, le=1_000_000)] = None,
    view: ViewField = "",
) -> Response:
    """Up or down one place (the "Monter" and "Descendre" buttons), or to `position` among the
    notes the manager sees (where the drag-and-drop of static/carnet.js dropped it)."""
    if position is None:
        carnet_service.move_entry(session=session, actor=actor, carnet_id=carnet_id, note_id=note_id, step=int(step))
    else:
        carnet_service.update_entry(
            session=session, actor=actor, carnet_id=carnet_id, note_id=note_id, data=EntryUpdate(position=position)
        )
    return said(request, back(carnet_id, f"#n-{note_id}", organising=True, view=view), "entry_moved")


@router.post("/c/{carnet_id}/n/{note_id}/pin")
def pin(
    request: Request,
    carnet_id: str,
    note_id: str,
    session: SessionDep,
    actor: UserDep,
    pinned: Annotated[Literal["0", "1"], Form()] = "1",
    view: ViewField = "",
) -> Response:
    carnet_service.update_entry(
        session=session, actor=actor, carnet_id=carnet_id, note_id=note_id, data=EntryUpdate(pinned=pinned == "1")
    )
    to = back(carnet_id, f"#n-{note_id}", organising=True, view=view)
    if pinned == "1":
        return said(request, to, "entry_pinned")
    # "Annuler" pins it again: unpinning moved nothing else.
    return said(request, to, "entry_unpinned", carnet=carnet_id, note=note_id, view=view_of(parse_qsl(view)))


# How long "Annuler" may put back a note taken out of a carnet (the message itself is said once).
UNDO_SECONDS = 15 * 60
UndoField = Annotated[str, Form(max_length=4000)]


@router.post("/c/{carnet_id}/n/{note_id}/remove")
def remove(
    request: Request, carnet_id: str, note_id: str, session: SessionDep, actor: UserDep, view: ViewField = ""
) -> Response:
    """Take a note out; the carnet then says so, with "Annuler": a form carrying the membership as
    it was, signed by the site for this person and this carnet (`put_back` trusts nothing else)."""
    removed = carnet_service.remove_entry(session=session, actor=actor, carnet_id=carnet_id, note_id=note_id)
    undo = seal(request, "unremove", {"c": carnet_id, "u": actor.id, "e": removed.model_dump(mode="json")})
    view = view_of(parse_qsl(view))
    to = back(carnet_id, organising=True, view=view)
    return said(
        request, to, "entry_removed", carnet=carnet_id, note=removed.note_id, title=removed.title, undo=undo, view=view
    )


@router.post("/c/{carnet_id}/n/{note_id}/unremove")
def unremove(
    request: Request,
    carnet_id: str,
    note_id: str,
    session: SessionDep,
    actor: UserDep,
    undo: UndoField = "",
    view: ViewField = "",
) -> Response:
    """ "Annuler" after taking a note out: the note back where it was, if what the form carries
    is what the site signed for this person, this carnet and this note, less than
    UNDO_SECONDS ago."""
    sealed = unseal(request, "unremove", undo, UNDO_SECONDS)
    removed = None
    if isinstance(sealed, dict) and sealed.get("c") == carnet_id and sealed.get("u") == actor.id:
        try:
            removed = RemovedEntry.model_validate(sealed.get("e"))
        except ValidationError:
            removed = None
        if removed is not None and removed.note_id != note_id:
            removed = None
    carnet_service.put_back_entry(session=session, actor=actor, carnet_id=carnet_id, removed=removed)
    return said(request, back(carnet_id, f"#n-{note_id}", organising=True, view=view), "entry_back")


@router.get("/c/{carnet_id}/export.zip")
def export(carnet_id: str, session: SessionDep, actor: ActorDep) -> Response:
    """The carnet as a ZIP of Markdown notes and its manifest (what the reader may see of it)."""
    carnet = carnet_service.carnet_ref(session=session, actor=actor, carnet_id=carnet_id)
    body = transfer_service.export_archive(session=session, actor=actor, carnet_id=carnet.id)
    return Response(
        body,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="carnet-{carnet.id}.zip"', "Cache-Control": "private"},
    )
