"""discussion: comments on notes, their earlier versions, closing a discussion

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 16:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import praxis.models

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("note") as batch:
        batch.add_column(sa.Column("discussion_closed", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "comment",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("note_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("parent_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("created_at", praxis.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("edited_at", praxis.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", praxis.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("hidden_at", praxis.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("hidden_by_id", sa.Integer(), nullable=True),
        sa.Column("hidden_reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.ForeignKeyConstraint(["author_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["hidden_by_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["note_id"], ["note.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["parent_id"], ["comment.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("comment") as batch:
        batch.create_index("ix_comment_note_created", ["note_id", "created_at"], unique=False)
        batch.create_index("ix_comment_author_created", ["author_id", "created_at"], unique=False)
        batch.create_index(batch.f("ix_comment_parent_id"), ["parent_id"], unique=False)
    op.create_table(
        "comment_edit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("written_at", praxis.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("replaced_at", praxis.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["comment_id"], ["comment.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("comment_edit") as batch:
        batch.create_index(batch.f("ix_comment_edit_comment_id"), ["comment_id"], unique=False)


def downgrade() -> None:
    op.drop_table("comment_edit")
    op.drop_table("comment")
    with op.batch_alter_table("note") as batch:
        batch.drop_column("discussion_closed")
