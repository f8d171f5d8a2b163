"""search: the indexing queue; on PostgreSQL the French text search configuration

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 21:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import praxis.models

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# French stemming with accents folded (unaccent runs before the stemmer: PostgreSQL dictionaries
# cannot filter a stemmer's output). The documents themselves live in the schema praxis_search,
# which the PostgreSQL search backend creates and versions at run time, as Whoosh does its folder.
POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE TEXT SEARCH CONFIGURATION praxis_french (COPY = pg_catalog.french)",
    "ALTER TEXT SEARCH CONFIGURATION praxis_french ALTER MAPPING FOR hword, hword_part, word, asciiword, "
    "asciihword, hword_asciipart WITH unaccent, french_stem",
    # unaccent() is only STABLE (it reads its dictionary by name); indexes need IMMUTABLE.
    "CREATE FUNCTION praxis_unaccent(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT "
    "AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$",
]
POSTGRES_DOWN = [
    "DROP FUNCTION IF EXISTS praxis_unaccent(text)",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS praxis_french",
]


def upgrade() -> None:
    op.create_table(
        "search_queue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note_id", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("queued_at", praxis.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRES_UP:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP SCHEMA IF EXISTS praxis_search CASCADE")
        for statement in POSTGRES_DOWN:
            op.execute(statement)
    op.drop_table("search_queue")
