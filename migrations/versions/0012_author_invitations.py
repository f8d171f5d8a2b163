"""author_invitation: co-authors named by someone else become authors only by accepting;
user_account.display_name indexed (import looks people up by name)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 01:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import praxis.models

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "author_invitation",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("note_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", praxis.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", praxis.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["invited_by_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["note_id"], ["note.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_author_invitation_note_id"), "author_invitation", ["note_id"], unique=False)
    op.create_index(op.f("ix_author_invitation_user_id"), "author_invitation", ["user_id"], unique=False)
    op.create_index(op.f("ix_user_account_display_name"), "user_account", ["display_name"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_user_account_display_name"), table_name="user_account")
    op.drop_index(op.f("ix_author_invitation_user_id"), table_name="author_invitation")
    op.drop_index(op.f("ix_author_invitation_note_id"), table_name="author_invitation")
    op.drop_table("author_invitation")
