"""Full-text search, as JSON."""

from typing import Annotated

from fastapi import APIRouter, Query, Request

from praxis.deps import ActorDep, SessionDep
from praxis.schemas import SearchPage, SearchQuery
from praxis.search import service as search_service

router = APIRouter(prefix="/search", tags=["search"])


@router.get("", response_model=SearchPage)
def search(
    request: Request, query: Annotated[SearchQuery, Query()], session: SessionDep, actor: ActorDep
) -> SearchPage:
    """Notes matching `q` among those the caller may read, with facet counts and snippets."""
    return search_service.search(session=session, actor=actor, indexer=request.app.state.search, query=query)
