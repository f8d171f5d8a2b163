"""access: communities, readers, edit requests, login failures

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 17:38:00.089627
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import praxis.models

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", praxis.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("login_failure", schema=None) as batch_op:
        batch_op.create_index("ix_login_failure_account", ["account", "created_at"], unique=False)
        batch_op.create_index("ix_login_failure_address", ["address", "created_at"], unique=False)

    op.create_table(
        "community",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", praxis.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "community_member",
        sa.Column("community_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("added_at", praxis.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["community_id"], ["community.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("community_id", "user_id"),
    )
    with op.batch_alter_table("community_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_community_member_user_id"), ["user_id"], unique=False)

    op.create_table(
        "edit_request",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("note_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("requester_id", sa.Integer(), nullable=False),
        sa.Column("message", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("created_at", praxis.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", praxis.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["decided_by_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["note_id"], ["note.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["requester_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("edit_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_edit_request_note_id"), ["note_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_edit_request_requester_id"), ["requester_id"], unique=False)

    op.create_table(
        "note_reader",
        sa.Column("note_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["note_id"], ["note.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("note_id", "user_id"),
    )
    with op.batch_alter_table("note_reader", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_note_reader_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.add_column(sa.Column("community_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.create_index(batch_op.f("ix_note_community_id"), ["community_id"], unique=False)
        batch_op.create_foreign_key(
            "fk_note_community_id_community", "community", ["community_id"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.drop_constraint("fk_note_community_id_community", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_note_community_id"))
        batch_op.drop_column("community_id")

    with op.batch_alter_table("note_reader", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_note_reader_user_id"))

    op.drop_table("note_reader")
    with op.batch_alter_table("edit_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_edit_request_requester_id"))
        batch_op.drop_index(batch_op.f("ix_edit_request_note_id"))

    op.drop_table("edit_request")
    with op.batch_alter_table("community_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_community_member_user_id"))

    op.drop_table("community_member")
    op.drop_table("community")
    with op.batch_alter_table("login_failure", schema=None) as batch_op:
        batch_op.drop_index("ix_login_failure_address")
        batch_op.drop_index("ix_login_failure_account")

    op.drop_table("login_failure")
