"""The application factory: one FastAPI app serving HTML pages and the JSON API."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from functools import cache
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.routing import BaseRoute
from starlette_compress import CompressMiddleware

from praxis.caching import ConditionalGetMiddleware
from praxis.config import Settings
from praxis.db import make_engine
from praxis.logs import RequestLogMiddleware
from praxis.mailer import drain_forever
from praxis.media.store import FileStore
from praxis.middleware import BodyLimitMiddleware, HeadMiddleware, LanguageMiddleware, SecurityHeadersMiddleware
from praxis.search import make_indexer
from praxis.web.errors import install_error_handlers
from praxis.web.templating import make_templates

ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger("praxis")


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app: engine, templates and routers live on app.state, nothing at import time."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Before serving: build a missing (or outdated) index, apply what a crash left queued.
        app.state.search.ensure()
        # Mail leaves from a background task; without PRAXIS_SMTP_URL it waits in the outbox.
        drain = asyncio.create_task(drain_forever(app.state.engine, settings)) if settings.smtp_url else None
        yield
        if drain is not None:
            drain.cancel()
            with suppress(asyncio.CancelledError):
                await drain
        app.state.search.close()

    app = FastAPI(
        lifespan=lifespan,
        title=settings.site_name,
        summary="Praxis: a knowledge commons for communities of practice.",
        version="1",
        openapi_url="/openapi.json",
        docs_url=None,  # served by praxis.api.docs, with Swagger UI's files from the site rather than a CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = make_engine(settings)
    app.state.search = make_indexer(settings, app.state.engine)
    app.state.secret_key = settings.resolved_secret_key()
    app.state.templates = make_templates(ROOT / "templates", settings)
    app.state.files = FileStore.for_settings(settings)

    # Outermost last: the request log times everything; the language is chosen before a page is
    # looked up in the cache; compression works on what the cache (or the app) answered.
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes, upload_bytes=settings.max_upload_bytes)
    app.add_middleware(
        ConditionalGetMiddleware,
        engine=app.state.engine,
        secret_key=app.state.secret_key,
        timezone_name=settings.timezone,
        secure_cookies=settings.secure_cookies,
        max_bytes=settings.page_cache_mb * 1024 * 1024,
    )
    app.add_middleware(CompressMiddleware, minimum_size=1024, zstd=False, brotli_quality=4, gzip_level=6)
    app.add_middleware(LanguageMiddleware, default=settings.language, secure_cookies=settings.secure_cookies)
    # HEAD answered as GET without its body, inside the log (which records the HEAD as asked).
    app.add_middleware(HeadMiddleware)
    app.add_middleware(RequestLogMiddleware)
    install_error_handlers(app)

    from praxis.api import openapi

    api_routes, web_routes = _included_routes()
    app.router.routes.extend(api_routes)
    openapi.install(app)
    app.mount("/static", StaticFiles(directory=ROOT / "praxis" / "static"), name="static")
    app.router.routes.extend(web_routes)
    return app


@cache
def _included_routes() -> tuple[list[BaseRoute], list[BaseRoute]]:
    """The API's routes and the pages', included once per process and shared by its apps.

    FastAPI builds an included route's handler (its dependencies, its parameters' validators)
    on the first request an app receives, about 75 ms of CPU for this site's routes: included
    once here, they are built once whatever the number of apps (one in production, one a test
    in the tests). Including into a bare router is what `app.include_router` does (an app's own
    router adds nothing to its routes: no prefix, dependency, tag or overrides of its own)."""
    from praxis.api import router as api_router
    from praxis.web import router as web_router

    api, web = APIRouter(), APIRouter()
    api.include_router(api_router)
    web.include_router(web_router)
    return list(api.routes), list(web.routes)
