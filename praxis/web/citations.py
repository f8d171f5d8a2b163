"""Citations on the pages: the "Pour citer" block and meta tags, and the downloads for
reference managers (/n/{id}/citation.bib, .ris, .json; the same under /c/ and /b/)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from sqlmodel import Session
from starlette.responses import Response

from praxis.citation import Work
from praxis.citation.meta import coins, meta_tags
from praxis.deps import ActorDep, SessionDep
from praxis.schemas import CitationQuery, RevisionNumber
from praxis.services import citations
from praxis.web.forms import first_error, parse_form

router = APIRouter()

STYLE_LABELS = {
    "praxis": "Praxis", "apa": "APA (7e éd.)", "mla": "MLA (9e éd.)", "chicago": "Chicago (auteur-date)",
    "bibtex": "BibTeX", "ris": "RIS", "csl-json": "CSL-JSON",
}
DOWNLOADS = {"bib": "bibtex", "ris": "ris", "json": "csl-json"}
Extension = Literal["bib", "ris", "json"]
StyleParam = Annotated[str, Query(max_length=16)]


def style_query(style: str, lang: str | None = None, rev: int | None = None) -> CitationQuery:
    """The citation a page shows (?style=…); a wrong style is a 422 naming the field."""
    query, errors = parse_form(CitationQuery, {"style": style, "lang": lang, "rev": rev})
    if query is None:
        raise first_error(errors)
    return query


def block(session: Session, work: Work, query: CitationQuery, *, api: str) -> dict[str, Any]:
    """What a page needs to show "Pour citer": the citation, the style switcher (whose script
    asks `api`, the citation endpoint), the downloads, and the meta tags and COinS that
    reference managers read."""
    return {
        "citation": citations.render(session=session, work=work, query=query),
        "styles": STYLE_LABELS, "rev": query.rev, "api": api,
        "downloads": {ext: _download_path(work, ext, query.rev) for ext in DOWNLOADS},
        "meta": meta_tags(work), "coins": coins(work),
    }


def _download_path(work: Work, ext: str, rev: int | None) -> str:
    prefix = {"carnet": "c", "base": "b"}.get(work.kind, "n")
    return f"/{prefix}/{work.id}/citation.{ext}" + (f"?rev={rev}" if rev else "")


def _download(session: Session, work: Work, ext: str, lang: str | None, rev: int | None) -> Response:
    citation = citations.render(session=session, work=work, query=CitationQuery(style=DOWNLOADS[ext], lang=lang, rev=rev))  # type: ignore[arg-type]
    name = f"{work.id}-r{rev}" if rev else work.id
    return Response(
        citation.text, media_type=f"{citation.media_type}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.{ext}"'},
    )


Lang = Annotated[Literal["fr", "en"] | None, Query()]


@router.get("/n/{note_id}/citation.{ext}")
def note_download(note_id: str, ext: Extension, session: SessionDep, actor: ActorDep, lang: Lang = None,
                  rev: Annotated[RevisionNumber | None, Query()] = None) -> Response:
    work = citations.note_work(session=session, actor=actor, note_id=note_id, rev=rev)
    return _download(session, work, ext, lang, rev)


def _collection_download(loader: Callable[..., Work], key: str) -> Callable[..., Response]:
    def download(item_id: str, ext: Extension, session: SessionDep, actor: ActorDep, lang: Lang = None) -> Response:
        return _download(session, loader(session=session, actor=actor, **{key: item_id}), ext, lang, None)

    return download


router.add_api_route("/c/{item_id}/citation.{ext}", _collection_download(citations.carnet_work, "carnet_id"), methods=["GET"])
router.add_api_route("/b/{item_id}/citation.{ext}", _collection_download(citations.base_work, "base_id"), methods=["GET"])
