"""auth_token.last_used_at; API tokens expire (those issued before get a year from now)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 01:30:00
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

import praxis.models

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("auth_token") as batch_op:
        batch_op.add_column(sa.Column("last_used_at", praxis.models.UTCDateTime(timezone=True), nullable=True))
    # Tokens issued when they never expired get the default lifetime from today, so none stops at once.
    token = sa.table(
        "auth_token", sa.column("kind", sa.String), sa.column("expires_at", praxis.models.UTCDateTime(timezone=True))
    )
    op.execute(
        token.update()
        .where(token.c.kind == "api", token.c.expires_at.is_(None))
        .values(expires_at=datetime.now(UTC) + timedelta(days=365))
    )


def downgrade() -> None:
    with op.batch_alter_table("auth_token") as batch_op:
        batch_op.drop_column("last_used_at")
