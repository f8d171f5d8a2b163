"""Accounts over the API: registration, bearer tokens, the current user, passwords."""

from fastapi import APIRouter, Request, Response

from praxis.api.openapi import VISITORS_TOO, errors
from praxis.deps import ActorDep, SessionDep, UserDep, bearer_token, client_address, session_token
from praxis.schemas import PasswordChange, RegisterRequest, TokenRead, TokenRequest, UserRead
from praxis.services import accounts

router = APIRouter(tags=["auth"])


@router.post("/auth/register", response_model=UserRead, status_code=201, openapi_extra=VISITORS_TOO)
def register(data: RegisterRequest, request: Request, session: SessionDep, actor: ActorDep) -> UserRead:
    """Open an account (while PRAXIS_REGISTRATION=open; admins always)."""
    user = accounts.register(session=session, actor=actor, data=data, registration=request.app.state.settings.registration)
    return accounts.user_read(session, user)


@router.post("/auth/token", response_model=TokenRead, responses=errors(401, 429))
def create_token(data: TokenRequest, request: Request, session: SessionDep) -> TokenRead:
    """Exchange a username and password for a bearer token (stored hashed, revocable)."""
    user = accounts.sign_in(session=session, username=data.username, password=data.password, address=client_address(request))
    token = accounts.issue_token(session=session, user=user, kind="api", name=data.name)
    return TokenRead(access_token=token)


@router.delete("/auth/token", status_code=204)
def revoke_token(request: Request, session: SessionDep, actor: UserDep) -> Response:
    """Revoke the bearer token this request carries."""
    token = bearer_token(request)
    if token:
        accounts.revoke_token(session=session, token=token)
    return Response(status_code=204)


@router.get("/me", response_model=UserRead)
def me(session: SessionDep, actor: UserDep) -> UserRead:
    return accounts.user_read(session, actor)


@router.post("/me/password", status_code=204, responses=errors(429))
def change_password(data: PasswordChange, request: Request, session: SessionDep, actor: UserDep) -> Response:
    """Change one's password; every other session and token is revoked."""
    accounts.change_password(
        session=session, actor=actor, current=data.current_password, new=data.new_password,
        keep_token=bearer_token(request) or session_token(request),
    )
    return Response(status_code=204)
