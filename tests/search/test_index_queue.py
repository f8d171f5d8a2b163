"""The index never drifts from the database: one queue, written with the change, applied after it."""

import shutil

import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session, select
from typer.testing import CliRunner

from praxis.app import create_app
from praxis.cli import app as cli
from praxis.db import make_engine, new_session
from praxis.models import Note, NoteAuthor, SearchQueue, User
from praxis.schemas import NoteCreate
from praxis.search import make_index
from praxis.search.whoosh_index import VERSION as WHOOSH_VERSION
from praxis.carnets import filing
from tests.factories import make_note, make_user, token_for


def _found(client: TestClient, q: str, headers: dict[str, str] | None = None) -> list[str]:
    response = client.get("/api/v1/search", params={"q": q}, headers=headers or {})
    assert response.status_code == 200, response.text
    return [item["title"] for item in response.json()["items"]]


def _queued(session) -> int:
    session.rollback()
    count = len(session.exec(select(SearchQueue)).all())
    session.rollback()  # the test session writes: do not keep SQLite's write lock
    return count


def _wipe_index(settings) -> None:
    """Lose the whole index, as a disk failure or a careless admin would."""
    if settings.resolved_search_backend == "whoosh":
        shutil.rmtree(settings.data_dir / "search")
    else:
        engine = make_engine(settings)
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA praxis_search CASCADE")
        engine.dispose()


def test_a_change_rolled_back_leaves_nothing_queued_and_nothing_found(client, session):
    alice = make_user(session, "alice")
    filing.create_note(
        session=session, actor=alice, data=NoteCreate(title="Brouillon abandonné", body="Jamais enregistré.")
    )
    session.rollback()
    assert _queued(session) == 0
    assert _found(client, "abandonné") == []


def test_a_write_is_found_as_soon_as_it_is_committed_and_the_queue_is_empty(client, session):
    alice = make_user(session, "alice")
    make_note(session, alice, title="Cartographie des tiers-lieux", body="Un inventaire des lieux partagés.")
    assert _found(client, "tiers-lieux") == ["Cartographie des tiers-lieux"]
    assert _queued(session) == 0


def test_a_busy_index_keeps_the_change_queued_until_the_next_writer(app, client, session):
    make_user(session, "alice")
    headers = token_for(client, "alice")
    site_wait, app.state.search.wait = app.state.search.wait, 0.2
    other_writer = make_index(app.state.settings, app.state.engine)  # as another worker process would
    with other_writer.writer_lock(5) as held:
        assert held
        created = client.post(
            "/api/v1/notes", json={"title": "Inventaire patrimonial", "body": "Des fiches."}, headers=headers
        )
        assert created.status_code == 201  # the writer is never made to fail by the index
        assert _found(client, "patrimonial") == []
        assert _queued(session) == 1
    other_writer.close()
    # Back to the site's wait: under load, the search's catch-up must not give up on the lock
    # while this process's indexing thread, poked by the next write, is still applying the queue.
    app.state.search.wait = site_wait
    client.post("/api/v1/notes", json={"title": "Fiche suivante", "body": "Une autre."}, headers=headers)
    assert _found(client, "patrimonial") == ["Inventaire patrimonial"]
    assert _queued(session) == 0


def test_changes_committed_by_a_process_that_died_are_applied_at_the_next_start(settings, session, app):
    # A process without an indexer commits (as one killed right after its commit would leave it).
    engine = make_engine(settings)
    crashed = new_session(engine, settings, write=True)
    author = make_user(crashed, "alice")
    make_note(crashed, author, title="Écrit avant la panne", body="Rien n'était encore indexé.")
    crashed.close()
    engine.dispose()
    assert _queued(session) == 1
    with TestClient(create_app(settings), base_url="https://testserver") as restarted:
        assert _found(restarted, "panne") == ["Écrit avant la panne"]
    assert _queued(session) == 0


def test_an_index_of_another_version_is_rebuilt_at_start(settings, session, client):
    alice = make_user(session, "alice")
    make_note(session, alice, title="Médiation numérique en bibliothèque", body="Des ateliers.")
    client.close()
    if settings.resolved_search_backend == "whoosh":
        current = settings.data_dir / "search" / f"whoosh-v{WHOOSH_VERSION}"
        older = settings.data_dir / "search" / f"whoosh-v{WHOOSH_VERSION - 1}"
        current.rename(older)
    else:
        engine = make_engine(settings)
        with engine.begin() as conn:
            conn.exec_driver_sql("UPDATE praxis_search.state SET version = 0")
        engine.dispose()
    with TestClient(create_app(settings), base_url="https://testserver") as restarted:
        assert _found(restarted, "médiation") == ["Médiation numérique en bibliothèque"]
    if settings.resolved_search_backend == "whoosh":
        assert not older.exists()


def test_reindex_rebuilds_a_lost_index_from_the_database(settings, session, client, monkeypatch):
    alice = make_user(session, "alice")
    titles = [f"Atelier de veille numéro {n}" for n in range(1, 8)]
    for title in titles:
        make_note(session, alice, title=title, body="Partager la veille.")
    client.close()
    client.app.state.search.close()  # its indexing thread done with the index before it goes
    _wipe_index(settings)
    monkeypatch.setenv("PRAXIS_DATA_DIR", str(settings.data_dir))
    if settings.database_url:
        monkeypatch.setenv("PRAXIS_DATABASE_URL", settings.database_url)
    result = CliRunner().invoke(cli, ["reindex"])
    assert result.exit_code == 0, result.output
    assert "Indexed 7 notes" in result.output
    index = make_index(settings, make_engine(settings))
    try:
        assert index.is_current()
        with new_session(make_engine(settings), settings, write=False) as s:
            live = set(s.exec(sa.text("SELECT id FROM note WHERE deleted_at IS NULL")).scalars())
        assert index.document_ids() == live
    finally:
        index.close()
    with TestClient(create_app(settings), base_url="https://testserver") as restarted:
        assert sorted(_found(restarted, "veille")) == sorted(titles)


def test_reindex_on_a_bad_database_url_is_one_line(monkeypatch, tmp_path):
    monkeypatch.setenv("PRAXIS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("PRAXIS_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    result = CliRunner().invoke(cli, ["reindex"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot reach the database")


# --- one way to fill the queue: the site's sessions, flushes and bulk statements alike ---------


def _search_ids(client: TestClient, q: str) -> list[str]:
    response = client.get("/api/v1/search", params={"q": q})
    assert response.status_code == 200, response.text
    return sorted(item["id"] for item in response.json()["items"])


def test_a_bulk_statement_written_by_no_service_reaches_the_index(client, session):
    """No service tells the queue what its statements change: an UPDATE or DELETE run on the
    site's session, whatever wrote it, is found by search once committed."""
    alice = make_user(session, "alice")
    note = make_note(session, alice, title="Relevé des haies", body="Un relevé.")
    session.execute(sa.update(Note).where(Note.id == note.id).values(title="Relevé des bocages"))
    session.commit()
    assert _search_ids(client, "bocages") == [note.id]
    session.execute(sa.update(User).where(User.id == alice.id).values(display_name="Alicia Ferrandière"))
    session.commit()
    assert _search_ids(client, "ferrandière") == [note.id]  # an author's name, reached through the note's authors
    session.execute(sa.delete(NoteAuthor).where(NoteAuthor.note_id == note.id))
    session.commit()
    assert _search_ids(client, "ferrandière") == []


def test_a_term_renamed_by_a_bulk_statement_renames_it_in_the_notes_linking_to_it(client, session):
    alice = make_user(session, "alice")
    term = make_note(session, alice, title="Grainothèque", kind="term", body="Des semences partagées.")
    linking = make_note(session, alice, title="Visite", body="Passé par [[Grainothèque|la réserve]] du quartier.")
    assert _search_ids(client, "grainothèque") == sorted([term.id, linking.id])
    session.execute(sa.update(Note).where(Note.id == term.id).values(title="Semencier"))
    session.commit()
    assert _search_ids(client, "semencier") == sorted([term.id, linking.id])
    assert _search_ids(client, "grainothèque") == []


def test_only_the_site_s_sessions_fill_the_queue(app, client, session):
    """The queue's listeners are put on the site's session factory by the app, not on every
    SQLAlchemy session at import: a session of another maker (a migration's, the indexer's own)
    queues nothing."""
    alice = make_user(session, "alice")
    note = make_note(session, alice, title="Haie champêtre", body="Une haie.")
    assert _search_ids(client, "champêtre") == [note.id]  # its queue applied
    with Session(app.state.engine) as other:
        row = other.get(Note, note.id)
        assert row is not None
        row.title = "Haie vive"
        other.add(row)
        other.commit()
    assert _queued(session) == 0
