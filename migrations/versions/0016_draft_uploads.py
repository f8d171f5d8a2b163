"""draft uploads: a file sent from the editor before its note is saved has no note yet

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-08 09:00:00

`attachment.note_id` becomes nullable: a row without a note is a draft upload, its uploader's
alone until a save of a note that shows it claims it, and deleted after 24 hours otherwise.
Going down deletes the drafts; a blob only they held stays in the uploads folder, unused.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # SQLite alters a column by copying the table (batch mode); PostgreSQL alters it in place.
    with op.batch_alter_table("attachment") as batch:
        batch.alter_column("note_id", existing_type=sqlmodel.sql.sqltypes.AutoString(), nullable=True)


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM attachment WHERE note_id IS NULL"))
    with op.batch_alter_table("attachment") as batch:
        batch.alter_column("note_id", existing_type=sqlmodel.sql.sqltypes.AutoString(), nullable=False)
