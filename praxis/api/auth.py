"""Bearer tokens and the current user."""

from fastapi import APIRouter, Request, Response

from praxis.deps import SessionDep, UserDep, bearer_token
from praxis.schemas import TokenRead, TokenRequest, UserRead
from praxis.services import accounts
from praxis.services.urls import user_url

router = APIRouter(tags=["auth"])


@router.post("/auth/token", response_model=TokenRead)
def create_token(data: TokenRequest, session: SessionDep) -> TokenRead:
    """Exchange a username and password for a bearer token (stored hashed, revocable)."""
    user = accounts.authenticate(session=session, username=data.username, password=data.password)
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
    return UserRead(username=actor.username, display_name=actor.display_name, is_admin=actor.is_admin, url=user_url(session, actor.username))
