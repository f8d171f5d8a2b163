"""The PostgreSQL copies tests reuse (tests/conftest.py) come back in the template's exact state, and
the empty databases they reuse come back as new."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from praxis.config import Settings
from praxis.db import make_engine, upgrade
from tests.conftest import _SHAPE, BACKENDS, PG_SERVER, EmptyDatabases, TemplateCopies

pytestmark = pytest.mark.skipif("postgres" not in BACKENDS, reason="the copies are PostgreSQL's")


def _state(name: str) -> tuple[object, ...]:
    engine = sa.create_engine(f"{PG_SERVER}/{name}", poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        users = conn.exec_driver_sql("SELECT count(*) FROM user_account").scalar()
        identity = conn.exec_driver_sql("SELECT uuid FROM site_identity").all()
        version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
        following = conn.exec_driver_sql("SELECT last_value, is_called FROM user_account_id_seq").one()
    engine.dispose()
    return users, identity, version, tuple(following)


def test_a_copy_given_back_is_the_template_again_and_a_reshaped_one_is_dropped(pg_template: str) -> None:
    copies = TemplateCopies(pg_template)
    try:
        name = copies.take()
        fresh = _state(name)
        engine = sa.create_engine(f"{PG_SERVER}/{name}", poolclass=sa.pool.NullPool)
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO user_account (username, display_name, password_hash, is_admin, is_active, created_at) "
                "VALUES ('zoe', 'Zoé', 'x', false, true, now())"
            )
            conn.exec_driver_sql("UPDATE site_identity SET uuid = 'changed'")
            conn.exec_driver_sql("DELETE FROM alembic_version")
        held = engine.connect()  # a connection the test forgot: it does not stop the emptying
        assert _state(name) != fresh
        copies.give_back(name)
        assert copies.clean == [name] and _state(name) == fresh
        held.close()
        engine.dispose()

        again = copies.take()
        assert again == name
        engine = sa.create_engine(f"{PG_SERVER}/{again}", poolclass=sa.pool.NullPool)
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE INDEX reshaped ON note (title)")
        engine.dispose()
        copies.give_back(again)
        assert copies.clean == []  # dropped rather than emptied
        with copies.admin.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM pg_database WHERE datname = %s", (again,)).scalar() == 0
    finally:
        copies.close()


def test_an_empty_database_given_back_is_as_new_and_one_changed_beyond_its_schemas_is_dropped() -> None:
    empties = EmptyDatabases()
    try:
        name = empties.take()
        engine = make_engine(Settings(database_url=f"{PG_SERVER}/{name}", secret_key="x"))
        upgrade(engine)  # what a server started on it does first
        held = engine.connect()  # a connection the test forgot: it does not stop the emptying
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE SCHEMA elsewhere")
            conn.exec_driver_sql("CREATE TABLE elsewhere.kept (id int)")
        empties.give_back(name)
        assert empties.clean == [name]
        checked = sa.create_engine(f"{PG_SERVER}/{name}", poolclass=sa.pool.NullPool)
        with checked.connect() as conn:
            assert conn.exec_driver_sql(_SHAPE).scalar() == empties.shape
            assert (
                conn.exec_driver_sql(
                    "SELECT count(*) FROM pg_tables WHERE schemaname <> 'pg_catalog' "
                    "AND schemaname <> 'information_schema'"
                ).scalar()
                == 0
            )
            assert conn.exec_driver_sql("SELECT has_schema_privilege('public', 'public', 'USAGE')").scalar()
        checked.dispose()
        held.close()
        engine.dispose()

        again = empties.take()
        assert again == name
        admin = empties.admin
        with admin.connect() as conn:
            conn.exec_driver_sql(f"ALTER DATABASE \"{again}\" SET work_mem = '8MB'")
        empties.give_back(again)
        assert empties.clean == []  # dropped rather than emptied
        with admin.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM pg_database WHERE datname = %s", (again,)).scalar() == 0
    finally:
        empties.close()
