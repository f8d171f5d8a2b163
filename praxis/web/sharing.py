"""/robots.txt and /sitemap.xml, for crawlers: the same for every visitor (an anonymous one's)."""

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from praxis import caching
from praxis.deps import SessionDep
from praxis.publishing import service as publishing_service

router = APIRouter()


@router.get("/robots.txt")
def robots(session: SessionDep) -> Response:
    return Response(publishing_service.robots_txt(session), media_type="text/plain; charset=utf-8")


@router.get("/sitemap.xml")
def sitemap_xml(session: SessionDep, page: Annotated[int | None, Query(ge=1, le=100_000)] = None) -> Response:
    # Pages the page cache keeps, so that crawlers' visits are answered from it.
    sitemap_page = publishing_service.sitemap_xml(session, page, max_bytes=caching.LARGEST_ENTRY)
    return Response(sitemap_page, media_type="application/xml; charset=utf-8")
