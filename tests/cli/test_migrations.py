"""Migrations go up and down cleanly on both backends, and the models match them."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from praxis.config import Settings
from praxis.db import alembic_config, current_revision, head_revision, make_engine, upgrade


def test_upgrade_downgrade_upgrade_and_no_drift(tmp_path, unmigrated_database_url):
    engine = make_engine(Settings(data_dir=tmp_path, database_url=unmigrated_database_url, secret_key="x"))
    try:
        upgrade(engine)
        assert current_revision(engine) == head_revision(engine)
        command.downgrade(alembic_config(engine), "base")
        assert current_revision(engine) is None
        upgrade(engine)
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), SQLModel.metadata)
        assert diff == []
    finally:
        engine.dispose()
