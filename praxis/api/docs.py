"""The interactive API documentation at /docs: Swagger UI, its files served by the site itself
(praxis/static/swagger-ui, from the npm package swagger-ui-dist), so that it works on a LAN or
offline. ReDoc, which would load from a CDN, is not offered."""

import html

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)

ASSETS = "/static/swagger-ui"


@router.get("/docs")
def docs(request: Request) -> HTMLResponse:
    """Swagger UI over /openapi.json."""
    return get_swagger_ui_html(
        openapi_url=request.app.openapi_url,
        title=html.escape(f"{request.app.title} — API"),  # the site name is put in the page as it is
        swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
        swagger_css_url=f"{ASSETS}/swagger-ui.css",
        swagger_favicon_url=f"{ASSETS}/favicon-32x32.png",
    )
