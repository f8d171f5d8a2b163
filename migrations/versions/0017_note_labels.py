"""note aliases, keywords and kept front matter

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-08 12:00:00

Every note may have other names (`aliases`, which wikilinks and suggestions find), keywords
(`keywords`, an Obsidian vault's tags) and the other front-matter keys an import found
(`properties`, exported again). Their folded forms are rows of `note_label`, which lookups use.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for column in ("aliases", "keywords", "properties"):
        op.add_column("note", sa.Column(column, sa.JSON(), nullable=True))
    op.create_table(
        "note_label",
        sa.Column("note_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("key", sa.String(300).with_variant(sa.String(300, collation="C"), "postgresql"), nullable=False),
        sa.ForeignKeyConstraint(["note_id"], ["note.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("note_id", "kind", "key"),
    )
    with op.batch_alter_table("note_label") as batch:
        batch.create_index("ix_note_label_kind_key", ["kind", "key"], unique=False)


def downgrade() -> None:
    op.drop_table("note_label")
    # In place on both databases (SQLite 3.35 and later): batch mode would copy the note table,
    # and dropping the old copy would delete, by cascade, every row that refers to a note.
    for column in ("properties", "keywords", "aliases"):
        op.execute(sa.text(f"ALTER TABLE note DROP COLUMN {column}"))
