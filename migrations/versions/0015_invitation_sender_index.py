"""An index for the invitations' rate limit (who sent how many, lately)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 06:00:00

Each save that invites counts its author's recent invitations: without this index the count read
the whole table, under the write turn.
"""

from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_author_invitation_sender_created", "author_invitation", ["invited_by_id", "created_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_author_invitation_sender_created", table_name="author_invitation")
