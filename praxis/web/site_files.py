"""/favicon.ico and /manifest.webmanifest: what browsers ask of every site at its root, for its
tab, bookmark and home-screen icons. The icons themselves are under /static/icons/."""

from pathlib import Path

from fastapi import APIRouter, Request
from starlette.responses import FileResponse, JSONResponse, Response

from praxis.config import Settings

router = APIRouter()

ICONS = Path(__file__).resolve().parent.parent / "static" / "icons"
DAY = "public, max-age=86400"


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> Response:
    return FileResponse(ICONS / "favicon.ico", media_type="image/vnd.microsoft.icon", headers={"Cache-Control": DAY})


@router.get("/manifest.webmanifest", include_in_schema=False)
def manifest(request: Request) -> Response:
    # The same in every language: a home-screen icon is named by the site's name alone.
    settings: Settings = request.app.state.settings
    return JSONResponse(
        {
            "name": settings.site_name,
            "short_name": settings.site_name,
            "start_url": "/",
            "display": "minimal-ui",
            "background_color": "#fbfaf7",
            "theme_color": "#1f5f8b",
            "icons": [
                {"src": "/static/icons/icon.svg", "sizes": "any", "type": "image/svg+xml"},
                {"src": "/static/icons/icon-192.png", "sizes": "192x192", "type": "image/png"},
                {"src": "/static/icons/icon-512.png", "sizes": "512x512", "type": "image/png"},
            ],
        },
        media_type="application/manifest+json",
        headers={"Cache-Control": DAY},
    )
