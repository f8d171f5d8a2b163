"""Signing in and out with a signed, HttpOnly session cookie."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from praxis.deps import SESSION_COOKIE, SessionDep, session_token, sign_session
from praxis.errors import NotSignedIn
from praxis.services import accounts
from praxis.web.forms import safe_next
from praxis.web.templating import page

router = APIRouter()


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    return page(request, "auth/login.html", {"next": safe_next(next)})


@router.post("/login")
def login(
    request: Request,
    session: SessionDep,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    try:
        user = accounts.authenticate(session=session, username=username, password=password)
    except NotSignedIn:
        return page(request, "auth/login.html", {"next": safe_next(next), "username": username, "failed": True}, status_code=401)
    settings = request.app.state.settings
    raw = accounts.issue_token(session=session, user=user, kind="session", days=settings.session_days)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE, sign_session(request, raw), max_age=settings.session_days * 86400,
        httponly=True, samesite="lax", secure=settings.secure_cookies,
    )
    return response


@router.post("/logout")
def logout(request: Request, session: SessionDep) -> Response:
    raw = session_token(request)
    if raw:
        accounts.revoke_token(session=session, token=raw)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
