"""core: accounts, notes, links, revisions

Revision ID: 0001
Revises:
Create Date: 2026-11-22 16:45:20.496027
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import praxis.models

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("display_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=True),
        sa.Column("password_hash", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", praxis.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_account_username"), ["username"], unique=True)

    op.create_table(
        "auth_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("created_at", praxis.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", praxis.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", praxis.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("auth_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_auth_token_token_hash"), ["token_hash"], unique=True)
        batch_op.create_index(batch_op.f("ix_auth_token_user_id"), ["user_id"], unique=False)

    op.create_table(
        "note",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("title_key", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("slug", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("visibility", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("licence", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", praxis.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("published_at", praxis.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", praxis.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("deleted_at", praxis.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("deleted_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["deleted_by_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_note_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_note_kind"), ["kind"], unique=False)
        batch_op.create_index("ix_note_live_updated", ["deleted_at", "updated_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_note_published_at"), ["published_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_note_updated_at"), ["updated_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_note_visibility"), ["visibility"], unique=False)
        batch_op.create_index(batch_op.f("ix_note_title_key"), ["title_key"], unique=False)

    op.create_table(
        "note_author",
        sa.Column("note_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["note_id"], ["note.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("note_id", "user_id"),
    )
    with op.batch_alter_table("note_author", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_note_author_user_id"), ["user_id"], unique=False)

    op.create_table(
        "note_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("target_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("target_title", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("target_key", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("origin", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.ForeignKeyConstraint(["source_id"], ["note.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["target_id"], ["note.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("note_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_note_link_source_id"), ["source_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_note_link_target_id"), ["target_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_note_link_target_key"), ["target_key"], unique=False)

    op.create_table(
        "revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("editor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", praxis.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("summary", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["editor_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["note_id"], ["note.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("note_id", "number", name="uq_revision_note_number"),
    )
    with op.batch_alter_table("revision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_revision_note_id"), ["note_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("revision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_revision_note_id"))

    op.drop_table("revision")
    with op.batch_alter_table("note_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_note_link_target_key"))
        batch_op.drop_index(batch_op.f("ix_note_link_target_id"))
        batch_op.drop_index(batch_op.f("ix_note_link_source_id"))

    op.drop_table("note_link")
    with op.batch_alter_table("note_author", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_note_author_user_id"))

    op.drop_table("note_author")
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_note_title_key"))
        batch_op.drop_index(batch_op.f("ix_note_visibility"))
        batch_op.drop_index(batch_op.f("ix_note_updated_at"))
        batch_op.drop_index(batch_op.f("ix_note_published_at"))
        batch_op.drop_index("ix_note_live_updated")
        batch_op.drop_index(batch_op.f("ix_note_kind"))
        batch_op.drop_index(batch_op.f("ix_note_created_at"))

    op.drop_table("note")
    with op.batch_alter_table("auth_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_auth_token_user_id"))
        batch_op.drop_index(batch_op.f("ix_auth_token_token_hash"))

    op.drop_table("auth_token")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_account_username"))

    op.drop_table("user_account")
