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


def test_0016_lets_a_file_wait_without_a_note_and_undoing_it_deletes_those_files(tmp_path, unmigrated_database_url):
    """Draft uploads are files without a note: possible from 0016 on; going back to 0015
    deletes them and keeps every note's files."""
    from datetime import datetime, timezone

    import pytest
    import sqlalchemy as sa

    from praxis.db import new_session
    from praxis.models import Attachment
    from tests.factories import make_note, make_user

    settings = Settings(data_dir=tmp_path, database_url=unmigrated_database_url, secret_key="x")
    engine = make_engine(settings)
    files = Attachment.__table__

    def row(file_id: str, note_id: str | None) -> dict:  # type: ignore[type-arg]
        return {
            "id": file_id,
            "note_id": note_id,
            "sha256": "0" * 64,
            "name": f"{file_id}.pdf",
            "media_type": "application/pdf",
            "size": 10,
            "has_thumbnail": False,
            "created_at": datetime.now(timezone.utc),
        }

    try:
        upgrade(engine)
        with new_session(engine, settings, write=True) as session:
            note = make_note(session, make_user(session, "alice"))
        with engine.begin() as conn:
            conn.execute(sa.insert(files), [row("joint", note.id), row("envoi", None)])
        command.downgrade(alembic_config(engine), "0015")
        with engine.connect() as conn:
            assert conn.execute(sa.select(files.c.id)).scalars().all() == ["joint"]
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
            conn.execute(sa.insert(files), [row("envoi", None)])  # a file belongs to a note, before 0016
        upgrade(engine)
        with engine.begin() as conn:
            conn.execute(sa.insert(files), [row("envoi", None)])
    finally:
        engine.dispose()
