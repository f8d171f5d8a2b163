"""A real browser (Debian's chromium, driven by Playwright) against the app served over HTTP."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from itsdangerous import Signer
from playwright.sync_api import Browser, BrowserContext, sync_playwright

from praxis.app import create_app
from praxis.config import Settings
from praxis.models import User
from praxis.people import accounts
from tests.servers import free_port, serving_app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"


@dataclass
class LiveSite:
    url: str
    app: object

    def signed_in(self, browser: Browser, session, user: User) -> BrowserContext:  # type: ignore[no-untyped-def]
        """A browser context holding `user`'s session cookie."""
        raw = accounts.issue_token(session=session, user=user, kind="session", days=1).token
        session.commit()
        cookie = Signer(self.app.state.secret_key, salt="praxis.session").sign(raw).decode()  # type: ignore[attr-defined]
        context = browser.new_context(locale="fr-CA")
        context.add_cookies([{"name": "praxis_session", "value": cookie, "url": self.url}])
        return context


@pytest.fixture
def live_site(settings: Settings) -> Iterator[LiveSite]:
    """The test's site (same database) served by uvicorn on a free port, in a thread."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    app = create_app(settings.model_copy(update={"site_url": url}))
    try:
        with serving_app(app, port):
            yield LiveSite(url=url, app=app)
    finally:
        app.state.engine.dispose()


@pytest.fixture(scope="module")
def shared_live_site(shared_app) -> Iterator[LiveSite]:  # type: ignore[no-untyped-def]
    """The module's shared site (`shared_app`) served by uvicorn, for tests that only read it."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    app = create_app(shared_app[0].state.settings.model_copy(update={"site_url": url}))
    try:
        with serving_app(app, port):
            yield LiveSite(url=url, app=app)
    finally:
        app.state.engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()
