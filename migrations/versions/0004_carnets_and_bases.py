"""carnets and bases

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 19:08:16.870390
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import praxis.models

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "carnet",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("guide", sa.Text(), nullable=False),
        sa.Column("visibility", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("community_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("sort", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("created_at", praxis.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", praxis.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["community_id"], ["community.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("carnet", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_carnet_community_id"), ["community_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_carnet_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "knowledge_base",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("visibility", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("community_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("created_at", praxis.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", praxis.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["community_id"], ["community.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("knowledge_base", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_knowledge_base_community_id"), ["community_id"], unique=False)

    op.create_table(
        "base_carnet",
        sa.Column("base_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("carnet_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("added_at", praxis.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["added_by_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["base_id"], ["knowledge_base.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["carnet_id"], ["carnet.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("base_id", "carnet_id"),
    )
    with op.batch_alter_table("base_carnet", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_base_carnet_carnet_id"), ["carnet_id"], unique=False)

    op.create_table(
        "base_manager",
        sa.Column("base_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("added_at", praxis.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["base_id"], ["knowledge_base.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("base_id", "user_id"),
    )
    with op.batch_alter_table("base_manager", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_base_manager_user_id"), ["user_id"], unique=False)

    op.create_table(
        "carnet_axis",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("carnet_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.ForeignKeyConstraint(["carnet_id"], ["carnet.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("carnet_axis", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_carnet_axis_carnet_id"), ["carnet_id"], unique=False)

    op.create_table(
        "carnet_entry",
        sa.Column("carnet_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("note_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("added_at", praxis.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("pinned", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["added_by_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["carnet_id"], ["carnet.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["note_id"], ["note.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("carnet_id", "note_id"),
    )
    with op.batch_alter_table("carnet_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_carnet_entry_note_id"), ["note_id"], unique=False)
        batch_op.create_index("ix_carnet_entry_order", ["carnet_id", "pinned", "position"], unique=False)

    op.create_table(
        "carnet_member",
        sa.Column("carnet_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("added_at", praxis.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["carnet_id"], ["carnet.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("carnet_id", "user_id"),
    )
    with op.batch_alter_table("carnet_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_carnet_member_user_id"), ["user_id"], unique=False)

    op.create_table(
        "carnet_category",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("carnet_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("axis_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("name_key", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.ForeignKeyConstraint(["axis_id"], ["carnet_axis.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["carnet_id"], ["carnet.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("carnet_id", "name_key", name="uq_carnet_category_name"),
    )
    with op.batch_alter_table("carnet_category", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_carnet_category_axis_id"), ["axis_id"], unique=False)

    op.create_table(
        "entry_category",
        sa.Column("carnet_id", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("note_id", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["carnet_id", "note_id"],
            ["carnet_entry.carnet_id", "carnet_entry.note_id"],
            name="fk_entry_category_entry",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["category_id"], ["carnet_category.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("carnet_id", "note_id", "category_id"),
    )
    with op.batch_alter_table("entry_category", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_entry_category_category_id"), ["category_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("entry_category", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entry_category_category_id"))

    op.drop_table("entry_category")
    with op.batch_alter_table("carnet_category", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_carnet_category_axis_id"))

    op.drop_table("carnet_category")
    with op.batch_alter_table("carnet_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_carnet_member_user_id"))

    op.drop_table("carnet_member")
    with op.batch_alter_table("carnet_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_carnet_entry_order")
        batch_op.drop_index(batch_op.f("ix_carnet_entry_note_id"))

    op.drop_table("carnet_entry")
    with op.batch_alter_table("carnet_axis", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_carnet_axis_carnet_id"))

    op.drop_table("carnet_axis")
    with op.batch_alter_table("base_manager", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_base_manager_user_id"))

    op.drop_table("base_manager")
    with op.batch_alter_table("base_carnet", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_base_carnet_carnet_id"))

    op.drop_table("base_carnet")
    with op.batch_alter_table("knowledge_base", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_knowledge_base_community_id"))

    op.drop_table("knowledge_base")
    with op.batch_alter_table("carnet", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_carnet_updated_at"))
        batch_op.drop_index(batch_op.f("ix_carnet_community_id"))

    op.drop_table("carnet")
