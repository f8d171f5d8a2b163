"""inbox: notifications, messages to a note's authors, email settings and the outbox

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 16:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import praxis.models

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "message",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("note_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("sender_id", sa.Integer(), nullable=True),
        sa.Column("sender_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("sender_email", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=True),
        sa.Column("sender_address", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("in_reply_to_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", praxis.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["in_reply_to_id"], ["message.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["note_id"], ["note.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["sender_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("message") as batch:
        batch.create_index("ix_message_sender_created", ["sender_id", "created_at"], unique=False)
        batch.create_index("ix_message_address_created", ["sender_address", "created_at"], unique=False)
    op.create_table(
        "message_recipient",
        sa.Column("message_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("read_at", praxis.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["message_id"], ["message.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("message_id", "user_id"),
    )
    with op.batch_alter_table("message_recipient") as batch:
        batch.create_index(batch.f("ix_message_recipient_user_id"), ["user_id"], unique=False)
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("note_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("comment_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("carnet_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("message_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("edit_request_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("created_at", praxis.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("read_at", praxis.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("emailed_at", praxis.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["actor_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["carnet_id"], ["carnet.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["comment_id"], ["comment.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["edit_request_id"], ["edit_request.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["message_id"], ["message.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["note_id"], ["note.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("notification") as batch:
        batch.create_index("ix_notification_user_created", ["user_id", "created_at"], unique=False)
        batch.create_index(batch.f("ix_notification_note_id"), ["note_id"], unique=False)

    op.create_table(
        "notification_setting",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "kind"),
    )
    op.create_table(
        "outgoing_mail",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("to_address", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column("reply_to", sqlmodel.sql.sqltypes.AutoString(length=600), nullable=True),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("created_at", praxis.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", praxis.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("sent_at", praxis.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("failed_at", praxis.models.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("outgoing_mail") as batch:
        batch.create_index("ix_outgoing_mail_due", ["sent_at", "next_attempt_at"], unique=False)
    op.create_table(
        "scheduled_job",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("last_run_at", praxis.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("scheduled_job")
    op.drop_table("outgoing_mail")
    op.drop_table("notification_setting")
    op.drop_table("notification")
    op.drop_table("message_recipient")
    op.drop_table("message")
