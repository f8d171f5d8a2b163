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


def test_api_tokens_from_before_expiries_follow_the_setting(tmp_path, unmigrated_database_url):
    """0011 gave the API tokens of its day one fixed year from the upgrade; since 0014 they live
    PRAXIS_API_TOKEN_DAYS from the day tokens began to expire: the setting is followed, and none
    stops at the moment of the upgrade, however old."""
    from datetime import datetime, timedelta, timezone

    import sqlalchemy as sa
    from fastapi.testclient import TestClient

    from praxis.app import create_app
    from praxis.models import AuthToken, User
    from praxis.people.accounts import _digest

    settings = Settings(
        data_dir=tmp_path,
        database_url=unmigrated_database_url,
        secret_key="x",
        api_token_days=30,
        content_dir=tmp_path / "no-content",
    )
    engine = make_engine(settings)
    now = datetime.now(timezone.utc)
    try:
        upgrade(engine, "0010")  # tokens never expired then
        users, tokens = User.__table__, AuthToken.__table__
        with engine.begin() as conn:
            conn.execute(
                sa.insert(users).values(
                    id=1,
                    username="alice",
                    display_name="Alice",
                    password_hash="x",
                    is_admin=False,
                    is_active=True,
                    created_at=now,
                )
            )
            for name, age in (("old", 90), ("recent", 3)):
                conn.execute(
                    sa.insert(tokens).values(
                        user_id=1,
                        kind="api",
                        token_hash=_digest(name),
                        name=name,
                        created_at=now - timedelta(days=age, hours=5),
                        expires_at=None,
                    )
                )
        upgrade(engine, "0013")
        with engine.connect() as conn:
            stamped = conn.execute(sa.select(tokens.c.expires_at).where(tokens.c.name == "old")).scalar_one()
        assert stamped > now + timedelta(days=364)  # what 0011 did: a year from the upgrade, whatever the setting
        upgrade(engine, settings=settings)
    finally:
        engine.dispose()
    app = create_app(settings)
    try:
        with TestClient(app, base_url="https://testserver") as client:
            for name in ("old", "recent"):
                assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {name}"}).status_code == 200, name
            listed = client.get("/api/v1/me/tokens", headers={"Authorization": "Bearer old"}).json()["items"]
            for item in listed:  # 30 days (the setting, not 0011's year) from the upgrade that began expiries
                assert (
                    timedelta(days=29, hours=23)
                    < datetime.fromisoformat(item["expires_at"]) - now
                    < timedelta(days=30, hours=1)
                )
            assert len(listed) == 2
    finally:
        app.state.search.close()
        app.state.engine.dispose()
