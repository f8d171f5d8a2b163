"""API tokens that 0011 gave a year from the upgrade follow PRAXIS_API_TOKEN_DAYS

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 04:30:00

0011 stamped every API token without an expiry with one fixed date (a year from the upgrade),
whatever the setting said. Such a token now lives the site's PRAXIS_API_TOKEN_DAYS counted from the
day tokens began to expire (0011's upgrade): the setting is followed, and no token made before
expiries existed stops at the moment of an upgrade. A token issued since 0011 expires a whole
number of days after its creation (its lifetime, set at issue); a stamped one does not (it was made
before the upgrade, at any time of day): that tells them apart.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from alembic import op

import praxis.models

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

DAY = 86400
SLACK = 60  # seconds between the expiry computed at issue and the row's creation stamp


def _token_table() -> sa.TableClause:
    return sa.table(
        "auth_token",
        sa.column("id", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("created_at", praxis.models.UTCDateTime(timezone=True)),
        sa.column("expires_at", praxis.models.UTCDateTime(timezone=True)),
    )


def _lifetime() -> timedelta:
    config = op.get_context().config
    settings = config.attributes.get("settings") if config else None
    if settings is None:  # the command line: the site's settings are its environment
        from praxis.config import Settings

        settings = Settings()
    return timedelta(days=settings.api_token_days)


def upgrade() -> None:
    token = _token_table()
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(token.c.id, token.c.created_at, token.c.expires_at).where(
            token.c.kind == "api", token.c.expires_at.is_not(None)
        )
    ).all()
    stamped = [
        (token_id, expires)
        for token_id, created, expires in rows
        if SLACK < (expires - created).total_seconds() % DAY < DAY - SLACK
    ]  # 0011's: expiries began, plus a year
    lifetime = _lifetime() if stamped else timedelta(0)
    moved: dict[datetime, list[int]] = {}
    for token_id, expires in stamped:
        moved.setdefault(expires - timedelta(days=365) + lifetime, []).append(token_id)
    for expires, ids in moved.items():
        for start in range(0, len(ids), 500):
            conn.execute(token.update().where(token.c.id.in_(ids[start : start + 500])).values(expires_at=expires))


def downgrade() -> None:
    pass  # 0013 honours any expiry a token has: the ones set here stand
