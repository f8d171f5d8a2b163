"""Every HTML form that changes state refuses a post without this browser's CSRF token."""

import re
from types import ModuleType

import pytest
from starlette.routing import Route

import praxis.web

from tests.conftest import one_database
from tests.factories import browser_for, csrf_from, make_user

pytestmark = one_database  # the token is checked before any service runs: no SQL in what is checked

SAMPLE = {"decision": "approve", "action": "deactivate", "number": "1"}


def _form_posts(app) -> list[str]:
    """Every POST route of the HTML pages, with sample path parameters."""
    paths = []
    # Every page module the site mounts, so that a new one is covered without editing this test.
    modules = [m for m in vars(praxis.web).values() if isinstance(m, ModuleType) and hasattr(m, "router")]
    for module in modules:
        for route in module.router.routes:
            if isinstance(route, Route) and "POST" in (route.methods or ()):
                path = route.path  # already carries the router prefix
                paths.append(re.sub(r"{(\w+)(:\w+)?}", lambda m: SAMPLE.get(m.group(1), "x"), path))
    return sorted(paths)


def test_the_site_has_the_forms_we_expect(app):
    posts = _form_posts(app)
    for path in (
        "/login",
        "/logout",
        "/register",
        "/n/new",
        "/n/x/edit",
        "/n/x/delete",
        "/account/password",
        "/communautes/",
    ):
        assert path in posts
    assert len(posts) >= 14


@pytest.mark.parametrize("token", [None, "faux", "é"])
def test_every_state_changing_form_needs_the_csrf_token(app, session, token):
    admin = make_user(session, "adam", admin=True, password=None)
    browser = browser_for(app, session, admin)
    browser.get("/")  # the browser now holds its CSRF cookie
    for path in _form_posts(app):
        data = {} if token is None else {"csrf_token": token}
        response = browser.post(path, data=data, follow_redirects=False)
        assert response.status_code == 403, (path, response.status_code)


def test_a_token_from_another_browser_is_refused(app, session, client):
    make_user(session, "alice")
    stolen = csrf_from(client.get("/login").text)
    other = browser_for(app, session, None)
    other.get("/login")
    response = other.post("/login", data={"username": "alice", "password": "x", "csrf_token": stolen})
    assert response.status_code == 403
