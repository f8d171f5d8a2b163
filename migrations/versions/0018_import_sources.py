"""import sources: the file each imported note came from, so importing it again updates it

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-08 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_source",
        sa.Column("root", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("path", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("note_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(["note_id"], ["note.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("root", "path"),
    )
    with op.batch_alter_table("import_source") as batch:
        batch.create_index(batch.f("ix_import_source_note_id"), ["note_id"], unique=False)


def downgrade() -> None:
    op.drop_table("import_source")
