"""directory and lexique fields

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 18:05:23.081595
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.add_column(sa.Column("website", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True))
        batch_op.add_column(sa.Column("region", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))
        batch_op.add_column(sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True))
        batch_op.add_column(sa.Column("definition", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True))
        batch_op.add_column(sa.Column("synonyms", sa.JSON(), nullable=True))
        batch_op.create_index(batch_op.f("ix_note_region"), ["region"], unique=False)
        batch_op.drop_index("ix_note_title_key")
        batch_op.drop_index("ix_note_visibility")
        if op.get_bind().dialect.name == "postgresql":
            batch_op.alter_column("title_key", type_=sa.String(300, collation="C"), existing_nullable=False)
        batch_op.create_index("ix_note_title_key_prefix", ["title_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.drop_index("ix_note_title_key_prefix")
        if op.get_bind().dialect.name == "postgresql":
            batch_op.alter_column("title_key", type_=sa.String(300), existing_nullable=False)
        batch_op.create_index("ix_note_title_key", ["title_key"], unique=False)
        batch_op.create_index("ix_note_visibility", ["visibility"], unique=False)
        batch_op.drop_index(batch_op.f("ix_note_region"))
        batch_op.drop_column("synonyms")
        batch_op.drop_column("definition")
        batch_op.drop_column("description")
        batch_op.drop_column("region")
        batch_op.drop_column("website")
