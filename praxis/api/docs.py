"""The interactive API documentation at /docs: Swagger UI, its files served by the site itself
(praxis/static/swagger-ui, from the npm package swagger-ui-dist), so that it works on a LAN or
offline. ReDoc, which would load from a CDN, is not offered.

The page is under the site's content policy like every other: no inline script (FastAPI's page
starts Swagger UI with one), so praxis/static/api-docs.js starts it, reading the document's
address from its own `data-url`."""

import html

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)

ASSETS = "/static/swagger-ui"

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{assets}/swagger-ui.css">
<link rel="icon" href="{assets}/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="/static/api-docs.js" data-url="{openapi}"></script>
</body>
</html>
"""


@router.get("/docs")
def docs(request: Request) -> HTMLResponse:
    """Swagger UI over /openapi.json."""
    return HTMLResponse(
        _PAGE.format(
            title=html.escape(f"{request.app.title} — API"),  # the site name is put in the page as text
            assets=ASSETS,
            openapi=html.escape(request.app.openapi_url),
        )
    )
