"""Accounts over the API: registration, bearer tokens, the current user, passwords."""

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from praxis.api.openapi import VISITORS_TOO, errors
from praxis.deps import ActorDep, SessionDep, UserDep, bearer_token, client_address, session_token
from praxis.people import service as people_service
from praxis.schemas import PasswordChange, RegisterRequest, TokenList, TokenRead, TokenRequest, UserRead

router = APIRouter(tags=["auth"])


@router.post("/auth/register", response_model=UserRead, status_code=201, openapi_extra=VISITORS_TOO)
def register(data: RegisterRequest, session: SessionDep, actor: ActorDep) -> UserRead:
    """Open an account (while PRAXIS_REGISTRATION=open; admins always)."""
    user = people_service.register(session=session, actor=actor, data=data)
    return people_service.user_read(session, user)


@router.post("/auth/token", response_model=TokenRead, responses=errors(401, 429))
def create_token(data: TokenRequest, request: Request, session: SessionDep) -> TokenRead:
    """Exchange a username and password for a bearer token (stored hashed, revocable, expiring
    after PRAXIS_API_TOKEN_DAYS)."""
    user = people_service.sign_in(
        session=session, username=data.username, password=data.password, address=client_address(request)
    )
    return people_service.issue_api_token(session=session, user=user, name=data.name)


@router.delete("/auth/token", status_code=204)
def revoke_token(request: Request, session: SessionDep, actor: UserDep) -> Response:
    """Revoke the bearer token this request carries."""
    token = bearer_token(request)
    if token:
        people_service.revoke_token(session=session, token=token)
    return Response(status_code=204)


@router.get("/me/tokens", response_model=TokenList)
def my_tokens(session: SessionDep, actor: UserDep) -> TokenList:
    """One's live API tokens (name, created, expires, last used to the hour), the most recent first."""
    return people_service.list_api_tokens(session=session, actor=actor)


@router.delete("/me/tokens/{token_id}", status_code=204)
def revoke_my_token(
    token_id: Annotated[int, Path(ge=1, le=2**31 - 1)], session: SessionDep, actor: UserDep
) -> Response:
    """Revoke one of one's API tokens."""
    people_service.revoke_api_token(session=session, actor=actor, token_id=token_id)
    return Response(status_code=204)


@router.get("/me", response_model=UserRead)
def me(session: SessionDep, actor: UserDep) -> UserRead:
    return people_service.user_read(session, actor)


@router.post("/me/password", status_code=204, responses=errors(429))
def change_password(data: PasswordChange, request: Request, session: SessionDep, actor: UserDep) -> Response:
    """Change one's password; every other session and token is revoked."""
    people_service.change_password(
        session=session,
        actor=actor,
        current=data.current_password,
        new=data.new_password,
        keep_token=bearer_token(request) or session_token(request),
    )
    return Response(status_code=204)
