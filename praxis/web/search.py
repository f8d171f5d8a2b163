"""The search page, /recherche."""

from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from pydantic import ValidationError
from starlette.responses import Response

from praxis.deps import ActorDep, SessionDep
from praxis.errors import Invalid
from praxis.schemas import SearchQuery
from praxis.search import service as search_service
from praxis.search.base import FACETS
from praxis.vocab import Kind
from praxis.web.templating import page

router = APIRouter()


@router.get("/recherche")
def search_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    q: Annotated[str, Query(max_length=500)] = "",
    kind: Kind | Literal[""] = "",
    carnet: Annotated[str, Query(max_length=32)] = "",
    author: Annotated[str, Query(max_length=64)] = "",
    year: Annotated[str, Query(max_length=4)] = "",
    sort: Literal["relevance", "date"] = "relevance",
    p: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> Response:
    params = {"q": q, "kind": kind, "carnet": carnet, "author": author, "year": year, "sort": sort}
    try:
        query = SearchQuery.model_validate({**params, "page": p})
    except ValidationError as exc:
        raise Invalid(exc.errors()[0]["msg"], field=str(exc.errors()[0]["loc"][0])) from None
    asked = bool(q.strip() or kind or carnet or author or year)
    found = (
        search_service.search(session=session, actor=actor, indexer=request.app.state.search, query=query)
        if asked
        else None
    )
    chosen = {k: v for k, v in params.items() if v and k != "sort" or (k == "sort" and v != "relevance")}

    def link(**change: object) -> str:
        """This search with some parameters changed (None removes one)."""
        merged = {**chosen, **change}
        return "/recherche?" + urlencode({k: v for k, v in merged.items() if v not in (None, "")})

    return page(
        request,
        "search/results.html",
        {
            "found": found,
            "params": params,
            "link": link,
            "asked": asked,
            # The facets offered (a chosen one stays, to be undone) and how many are chosen.
            "shown_facets": [f for f in FACETS if found and (found.facets[f] or params[f])],
            "chosen_count": sum(1 for f in FACETS if params[f]),
        },
        alternate="/api/v1/search?" + urlencode({**chosen, "page": p}),
    )
