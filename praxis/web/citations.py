"""Citations on the pages: the "Pour citer" block and meta tags, and the downloads for
reference managers (/n/{id}/citation.bib, .ris, .json; the same under /c/ and /b/)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from sqlmodel import Session
from starlette.responses import Response

from praxis import i18n
from praxis.citation import Work
from praxis.citation.meta import coins, meta_tags
from praxis.deps import ActorDep, SessionDep
from praxis.i18n import N_
from praxis.publishing import service as publishing_service
from praxis.schemas import CitationQuery, RevisionNumber
from praxis.web.forms import parse

router = APIRouter()

STYLE_LABELS = {
    "praxis": N_("Praxis"),
    "apa": N_("APA (7e éd.)"),
    "mla": N_("MLA (9e éd.)"),
    "chicago": N_("Chicago (auteur-date)"),
    "bibtex": N_("BibTeX"),
    "ris": N_("RIS"),
    "csl-json": N_("CSL-JSON"),
}
DOWNLOADS = {"bib": "bibtex", "ris": "ris", "json": "csl-json"}
Extension = Literal["bib", "ris", "json"]
StyleParam = Annotated[str, Query(max_length=16)]


def style_query(style: str, rev: int | None = None) -> CitationQuery:
    """The citation a page shows (?style=…); a wrong style is a 422 naming the field."""
    return parse(CitationQuery, {"style": style, "rev": rev})


def block(
    session: Session, work: Work, query: CitationQuery, *, api: str, keep: Sequence[tuple[str, Any]] = ()
) -> dict[str, Any]:
    """What a page needs to show "Pour citer": the citation, the style switcher (whose script
    asks `api`, the citation endpoint; without script, its form keeps the page's other
    parameters `keep`), the downloads, and the meta tags and COinS that reference managers read."""
    keep = [*keep, *([("rev", query.rev)] if query.rev else [])]
    if query.lang is None:  # the page's citation speaks the page's language
        query = query.model_copy(update={"lang": i18n.current()})
    return {
        "citation": publishing_service.render_citation(session=session, work=work, query=query),
        "styles": STYLE_LABELS,
        "rev": query.rev,
        "api": api,
        "keep": keep,
        "downloads": {ext: _download_path(work, ext, query.rev) for ext in DOWNLOADS},
        "meta": meta_tags(work),
        "coins": coins(work),
    }


def _download_path(work: Work, ext: str, rev: int | None) -> str:
    prefix = {"carnet": "c", "base": "b"}.get(work.kind, "n")
    return f"/{prefix}/{work.id}/citation.{ext}" + (f"?rev={rev}" if rev else "")


def _download(session: Session, work: Work, ext: str, lang: str | None, rev: int | None) -> Response:
    citation = publishing_service.render_citation(
        session=session, work=work, query=CitationQuery(style=DOWNLOADS[ext], lang=lang, rev=rev)
    )
    name = f"{work.id}-r{rev}" if rev else work.id
    return Response(
        citation.text,
        media_type=f"{citation.media_type}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.{ext}"'},
    )


Lang = Annotated[Literal["fr", "en"] | None, Query()]


@router.get("/n/{note_id}/citation.{ext}")
def note_download(
    note_id: str,
    ext: Extension,
    session: SessionDep,
    actor: ActorDep,
    lang: Lang = None,
    rev: Annotated[RevisionNumber | None, Query()] = None,
) -> Response:
    work = publishing_service.load_note_work(session=session, actor=actor, note_id=note_id, rev=rev)
    return _download(session, work, ext, lang, rev)


@router.get("/c/{carnet_id}/citation.{ext}")
def carnet_download(
    carnet_id: str, ext: Extension, session: SessionDep, actor: ActorDep, lang: Lang = None
) -> Response:
    return _download(
        session, publishing_service.load_carnet_work(session=session, actor=actor, carnet_id=carnet_id), ext, lang, None
    )


@router.get("/b/{base_id}/citation.{ext}")
def base_download(base_id: str, ext: Extension, session: SessionDep, actor: ActorDep, lang: Lang = None) -> Response:
    return _download(
        session, publishing_service.load_base_work(session=session, actor=actor, base_id=base_id), ext, lang, None
    )
