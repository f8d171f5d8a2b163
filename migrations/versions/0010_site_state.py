"""site_state: the change counter that cached pages, ETags and Last-Modified are keyed on;
live notes by date through a partial index; search_queue.dependents

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 22:00:00
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import praxis.models

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "site_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("changed_at", praxis.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(table, [{"id": 1, "version": 1, "changed_at": datetime.now(UTC)}])
    with op.batch_alter_table("note") as batch_op:
        batch_op.drop_index("ix_note_live_updated")
    op.create_index(
        "ix_note_live_updated",
        "note",
        ["updated_at"],
        unique=False,
        sqlite_where=sa.text("deleted_at IS NULL"),
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    with op.batch_alter_table("search_queue") as batch_op:
        batch_op.add_column(sa.Column("dependents", sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table("search_queue") as batch_op:
        batch_op.drop_column("dependents")
    op.drop_index("ix_note_live_updated", table_name="note")
    with op.batch_alter_table("note") as batch_op:
        batch_op.create_index("ix_note_live_updated", ["deleted_at", "updated_at"], unique=False)
    op.drop_table("site_state")
