"""Alembic environment: the engine comes from the caller or from Settings."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import praxis.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from praxis.config import Settings
from praxis.db import make_engine

config = context.config
target_metadata = SQLModel.metadata


def run_migrations() -> None:
    engine = config.attributes.get("engine") or make_engine(Settings())
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    raise SystemExit("Offline migrations are not supported; run `praxis db upgrade`.")
run_migrations()
