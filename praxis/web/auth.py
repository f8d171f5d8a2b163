"""Signing in and out with a signed, HttpOnly session cookie; registering; changing one's password."""

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse
from sqlmodel import Session
from starlette.responses import Response

from praxis import policy
from praxis.deps import SESSION_COOKIE, ActorDep, SessionDep, UserDep, client_address, session_token, sign_session
from praxis.errors import Conflict, Invalid, NotSignedIn
from praxis.i18n import N_
from praxis.models import User
from praxis.people import service as people_service
from praxis.schemas import PasswordChange, RegisterRequest
from praxis.web.done import said
from praxis.web.forms import FormInvalid, form_page, parse, parse_form, safe_next
from praxis.web.templating import page

router = APIRouter()

PASSWORDS_DIFFER = N_("Les deux mots de passe diffèrent.")


def _signed_in_response(request: Request, session: Session, user: User, next_url: str) -> Response:
    settings = request.app.state.settings
    raw = people_service.issue_token(session=session, user=user, kind="session").token
    response = RedirectResponse(safe_next(next_url), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        sign_session(request, raw),
        max_age=settings.session_days * 86400,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )
    return response


@router.get("/login")
def login_form(request: Request, actor: ActorDep, next: str | None = None) -> Response:
    return page(request, "auth/login.html", {"next": safe_next(next)})


@router.post("/login")
def login(
    request: Request,
    session: SessionDep,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    # A failed sign-in is counted (the refusal keeps that write) and the form comes back.
    form_page(
        request,
        lambda _s, _errors, status: page(
            request,
            "auth/login.html",
            {"next": safe_next(next), "username": username, "failed": True},
            status_code=status,
        ),
        answers=(NotSignedIn,),
    )
    user = people_service.sign_in(
        session=session, username=username, password=password, address=client_address(request)
    )
    return _signed_in_response(request, session, user, next)


@router.post("/logout")
def logout(request: Request, session: SessionDep) -> Response:
    raw = session_token(request)
    if raw:
        people_service.revoke_token(session=session, token=raw)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/register")
def register_form(request: Request, actor: ActorDep) -> Response:
    policy.ensure_can_register(actor, request.app.state.settings.registration, "Registration is closed.")
    # Signed in, only an admin opening an account for someone else is given the form.
    signed_in = actor is not None and not policy.can_open_account_for_others(actor)
    return page(request, "auth/register.html", {"values": {}, "errors": {}, "signed_in": signed_in})


@router.post("/register")
async def register(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    form = await request.form()
    values = {
        k: v
        for k in ("username", "display_name", "email", "password")
        if isinstance(v := form.get(k), str) and v.strip()
    }
    shown = {k: v for k, v in values.items() if k != "password"}
    form_page(
        request,
        lambda _s, errors, status: page(
            request, "auth/register.html", {"values": shown, "errors": errors}, status_code=status
        ),
        answers=(Invalid, Conflict),
    )
    # Everything wrong is said at once: the fields the schema refuses, and the passwords that differ.
    data, errors = parse_form(RegisterRequest, values)
    if form.get("password") != form.get("password_again"):
        errors.setdefault("password", PASSWORDS_DIFFER)
    if data is None or errors:
        raise FormInvalid(errors)
    user = people_service.register(session=session, actor=actor, data=data)
    if actor is not None:  # an admin opening an account for someone else
        return said(request, f"/u/{user.username}/", "account_created")
    return _signed_in_response(request, session, user, "/")


@router.get("/account/password")
def password_form(request: Request, actor: UserDep) -> Response:
    return page(request, "auth/password.html", {"errors": {}})


@router.post("/account/password")
async def change_password(request: Request, session: SessionDep, actor: UserDep) -> Response:
    form = await request.form()
    # A wrong current password is counted (the refusal keeps that write) and the form comes back.
    form_page(
        request, lambda _s, errors, status: page(request, "auth/password.html", {"errors": errors}, status_code=status)
    )
    data = parse(PasswordChange, {k: form.get(k) for k in ("current_password", "new_password")})
    if form.get("new_password") != form.get("new_password_again"):
        raise FormInvalid({"new_password": PASSWORDS_DIFFER})
    people_service.change_password(
        session=session,
        actor=actor,
        current=data.current_password,
        new=data.new_password,
        keep_token=session_token(request),
    )
    return said(request, "/account/password", "password_changed")


@router.get("/account/tokens")
def tokens_page(request: Request, session: SessionDep, actor: UserDep) -> Response:
    """One's API tokens: name, created, expires, last used, and a button to revoke each."""
    listed = people_service.list_api_tokens(session=session, actor=actor)
    return page(
        request,
        "auth/tokens.html",
        {"tokens": listed},
        alternate="/api/v1/me/tokens",
    )


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(
    request: Request, token_id: Annotated[int, Path(ge=1, le=2**31 - 1)], session: SessionDep, actor: UserDep
) -> Response:
    people_service.revoke_api_token(session=session, actor=actor, token_id=token_id)
    return said(request, "/account/tokens", "token_revoked")
