"""site_state.rendered_with: the renderer version the stored renderings were made by

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-09 09:00:00

Notes, revisions and comments keep the HTML they were rendered to when they were written. A site
whose renderings were made by another version of the renderer than the code's (0: before
renderers had versions, as every site upgraded to this one) has them all rendered again by
`praxis rerender`, or by `praxis indexer` as it starts (notes.renderings).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("site_state") as batch:
        batch.add_column(sa.Column("rendered_with", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("site_state") as batch:
        batch.drop_column("rendered_with")
