"""API tokens that 0011 gave a year from the upgrade follow PRAXIS_API_TOKEN_DAYS again

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 04:30:00

0011 stamped every API token without an expiry with one fixed date (a year from the upgrade),
whatever the setting said. Their expiry is cleared again: a token without one lives
PRAXIS_API_TOKEN_DAYS from its creation, counted when it is used (`accounts.unexpired`). A token
issued since 0011 expires a whole number of days after its creation (its lifetime, set at issue);
a stamped one does not (it was made before the upgrade, at any time of day): that tells them apart.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from alembic import op

import praxis.models

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

DAY = 86400
SLACK = 60  # seconds between the expiry computed at issue and the row's creation stamp


def _token_table() -> sa.TableClause:
    return sa.table('auth_token', sa.column('id', sa.Integer), sa.column('kind', sa.String),
                    sa.column('created_at', praxis.models.UTCDateTime(timezone=True)),
                    sa.column('expires_at', praxis.models.UTCDateTime(timezone=True)))


def upgrade() -> None:
    token = _token_table()
    conn = op.get_bind()
    rows = conn.execute(sa.select(token.c.id, token.c.created_at, token.c.expires_at)
                        .where(token.c.kind == 'api', token.c.expires_at.is_not(None))).all()
    stamped = []
    for token_id, created, expires in rows:
        off = (expires - created).total_seconds() % DAY
        if SLACK < off < DAY - SLACK:
            stamped.append(token_id)
    for start in range(0, len(stamped), 500):
        conn.execute(token.update().where(token.c.id.in_(stamped[start:start + 500])).values(expires_at=None))


def downgrade() -> None:
    # Before this revision a token without an expiry never expired: give them 0011's year again.
    token = _token_table()
    op.execute(token.update().where(token.c.kind == 'api', token.c.expires_at.is_(None))
               .values(expires_at=datetime.now(timezone.utc) + timedelta(days=365)))
