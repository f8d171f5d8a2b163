"""citations: how a person is named in citations; ids of up to 32 characters

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Ids of notes, carnets, bases, communities and edit requests grow from 24 to 32 characters, so
# that content moved from the first Praxis platform (27-character ids) keeps its addresses.
# Only PostgreSQL enforces a VARCHAR's length; SQLite stores the longer ids as they are.
WIDENED = [
    ("note", "id"),
    ("community", "id"),
    ("edit_request", "id"),
    ("carnet", "id"),
    ("knowledge_base", "id"),
    ("entry_category", "carnet_id"),
    ("entry_category", "note_id"),
    ("search_queue", "note_id"),
]


def _ids(length: int) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in WIDENED:
        op.alter_column(table, column, type_=sa.String(length), existing_nullable=False)


def upgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("family_name", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("given_name", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("is_organisation", sa.Boolean(), nullable=False, server_default=sa.false()))
    _ids(32)


def downgrade() -> None:
    _ids(24)
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("is_organisation")
        batch.drop_column("given_name")
        batch.drop_column("family_name")
