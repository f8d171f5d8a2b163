"""A person's API tokens: issued with an expiry, listed with their last use, revoked one by one."""

from __future__ import annotations

from typing import Any, cast

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from praxis import policy
from praxis.errors import NotFound
from praxis.models import AuthToken, User, utcnow
from praxis.people import accounts
from praxis.schemas import TokenInfo, TokenList, TokenRead

SHOWN = 100  # the most recent tokens a list shows; the others are counted


def issue_api_token(*, session: Session, user: User, name: str | None) -> TokenRead:
    """A bearer token for `user` that expires after the site's PRAXIS_API_TOKEN_DAYS."""
    issued = accounts.issue_token(session=session, user=user, kind="api", name=name)
    return TokenRead(access_token=issued.token, expires_at=issued.expires_at)


def _live(session: Session, actor: User) -> sa.ColumnElement[bool]:
    return (
        (col(AuthToken.user_id) == actor.id)
        & (col(AuthToken.kind) == "api")
        & col(AuthToken.revoked_at).is_(None)
        & accounts.unexpired(session, "api", utcnow())
    )


def list_api_tokens(*, session: Session, actor: User | None) -> TokenList:
    """The signed-in person's live API tokens, the most recent first."""
    actor = policy.require_signed_in(actor)
    rows = session.exec(
        select(AuthToken)
        .where(_live(session, actor))
        .order_by(col(AuthToken.created_at).desc(), col(AuthToken.id).desc())
        .limit(SHOWN)
    ).all()
    total = session.exec(select(func.count()).select_from(AuthToken).where(_live(session, actor))).one()
    items = [
        TokenInfo(
            id=t.id,
            name=t.name,
            created_at=t.created_at,
            expires_at=accounts.expiry(session, t),
            last_used_at=t.last_used_at,
        )
        for t in rows
        if t.id is not None
    ]
    return TokenList(items=items, total=total)


def revoke_api_token(*, session: Session, actor: User | None, token_id: int) -> None:
    """Revoke one of the signed-in person's API tokens (404 for anyone else's, or a dead one)."""
    actor = policy.require_signed_in(actor)
    # An UPDATE answers with a cursor result, which counts the rows it changed.
    done = cast(
        sa.CursorResult[Any],
        session.execute(
            sa.update(AuthToken).where(col(AuthToken.id) == token_id, _live(session, actor)).values(revoked_at=utcnow())
        ),
    )
    if not done.rowcount:
        raise NotFound("No such token.")
