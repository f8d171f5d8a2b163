"""Stored renderings follow the renderer: a site whose notes, revisions and comments were rendered
by an older renderer has them rendered again by `praxis rerender` and by `praxis indexer` as it
starts, writing no revision, moving the change counter and the search index with them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select
from typer.testing import CliRunner

from praxis import changes
from praxis.cli import app as cli
from praxis.config import Settings
from praxis.conversation import service as conversation
from praxis.markdown import VERSION
from praxis.models import Comment, Note, NoteLink, Revision, SearchQueue, SiteState, table_of
from praxis.notes import renderings
from praxis.notes import service as note_service
from praxis.schemas import CommentCreate, NoteUpdate
from tests.factories import make_note, make_user
from tests.servers import wait_until

runner = CliRunner()

# What the renderer before praxis/markdown made of these texts: the marks as text, the comment
# shown, an ASCII heading anchor, and [[Méthode#…]] taken for a title no note has.
OLD_TARGET = '<h2 id="apprentissage-supervise">Apprentissage supervisé</h2>\n<p>Texte de méthode.</p>\n'
OLD_SOURCE = "<p>Le ==blé== pousse. Voir Méthode#Apprentissage supervisé. %%ventilateur%%</p>\n"
OLD_FIRST = "<p>Le ==seigle== pousse.</p>\n"
OLD_COMMENT = "<p>Bravo ==vraiment==</p>\n"


@dataclass
class Aged:
    target: str
    source: str
    comment: str


def _aged_site(session: Session, engine: sa.Engine) -> Aged:
    """Notes, a revision and a comment written now, then made to look rendered by the old renderer
    (written behind the site's back: no search queue, no change counter), the index holding them so."""
    alice, bob = make_user(session, "alice"), make_user(session, "bob")
    target = make_note(session, alice, title="Méthode", body="## Apprentissage supervisé\n\nTexte de méthode.")
    source = make_note(session, alice, title="Semis", body="Le ==seigle== pousse.")
    body = "Le ==blé== pousse. Voir [[Méthode#Apprentissage supervisé]]. %%ventilateur%%"
    note_service.save_note(session=session, actor=alice, note_id=source.id, data=NoteUpdate(base_revision=1, body=body))
    comment = conversation.create_comment(
        session=session, actor=bob, note_id=source.id, data=CommentCreate(body="Bravo ==vraiment==")
    )
    session.commit()
    with engine.begin() as conn:
        for note_id, html in ((target.id, OLD_TARGET), (source.id, OLD_SOURCE)):
            conn.execute(sa.update(table_of(Note)).where(table_of(Note).c.id == note_id).values(html=html))
            conn.execute(
                sa.update(table_of(Revision))
                .where(table_of(Revision).c.note_id == note_id, table_of(Revision).c.number != 1)
                .values(html=html)
            )
        conn.execute(
            sa.update(table_of(Revision))
            .where(table_of(Revision).c.note_id == target.id, table_of(Revision).c.number == 1)
            .values(html=OLD_TARGET)
        )
        conn.execute(
            sa.update(table_of(Revision))
            .where(table_of(Revision).c.note_id == source.id, table_of(Revision).c.number == 1)
            .values(html=OLD_FIRST)
        )
        conn.execute(
            sa.update(table_of(NoteLink))
            .where(table_of(NoteLink).c.source_id == source.id)
            .values(
                target_id=None,
                target_title="Méthode#Apprentissage supervisé",
                target_key="methode#apprentissage supervise",
            )
        )
        conn.execute(sa.update(table_of(Comment)).values(html=OLD_COMMENT))
        conn.execute(sa.update(table_of(SiteState)).values(rendered_with=0))
    return Aged(target=target.id, source=source.id, comment=comment.id)


def _found(client, words: str) -> set[str]:  # type: ignore[no-untyped-def]
    return {item["id"] for item in client.get("/api/v1/search", params={"q": words}).json()["items"]}


def _cli_env(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    monkeypatch.setenv("PRAXIS_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("PRAXIS_SECRET_KEY", settings.secret_key or "x")
    if settings.database_url:
        monkeypatch.setenv("PRAXIS_DATABASE_URL", settings.database_url)
    else:
        monkeypatch.delenv("PRAXIS_DATABASE_URL", raising=False)


def _queued(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table_of(SearchQueue))).scalar_one()


def _assert_rendered_again(session: Session, aged: Aged) -> None:
    session.expire_all()
    target, source = session.get(Note, aged.target), session.get(Note, aged.source)
    assert target is not None and source is not None
    assert 'id="apprentissage-supervisé"' in target.html and "<h2" in target.html
    assert "<mark>blé</mark>" in source.html and "ventilateur" not in source.html
    assert f'href="/n/{aged.target}/#apprentissage-supervis%C3%A9"' in source.html
    assert (target.revision, source.revision) == (1, 2)  # no revision written
    revisions = dict(session.exec(select(Revision.number, Revision.html).where(Revision.note_id == aged.source)).all())
    assert revisions == {1: "<p>Le <mark>seigle</mark> pousse.</p>\n", 2: source.html}
    assert session.exec(select(NoteLink.target_id).where(NoteLink.source_id == aged.source)).all() == [aged.target]
    comment = session.get(Comment, aged.comment)
    assert comment is not None and comment.html == "<p>Bravo <mark>vraiment</mark></p>\n"
    assert renderings.rendered_with(session) == VERSION


def test_the_command_renders_again_what_an_older_renderer_made_then_has_nothing_to_do(
    app, client, session, monkeypatch
):  # type: ignore[no-untyped-def]
    engine = app.state.engine
    aged = _aged_site(session, engine)
    app.state.search.rebuild()
    assert _found(client, "ventilateur") == {aged.source}  # the index holds the old rendering
    before = changes.current(engine).number
    _cli_env(monkeypatch, app.state.settings)

    done = runner.invoke(cli, ["rerender"], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    assert "Rendered 4 notes, revisions and comments again" in done.stdout  # two notes, an older revision, a comment
    assert "2 notes, 1 revisions and 1 comments changed" in done.stdout
    assert "; 1 notes indexed again" in done.stdout  # the target's text reads the same: its document stays
    _assert_rendered_again(session, aged)
    assert changes.current(engine).number > before  # visitors' cached pages are no longer current
    assert _queued(engine) == 0  # the command indexed what it wrote
    assert _found(client, "ventilateur") == set() and _found(client, "blé") == {aged.source}
    assert _found(client, "texte") == {aged.target}  # its document, not written again, is still found

    moved = changes.current(engine).number
    again = runner.invoke(cli, ["rerender"], catch_exceptions=False)
    assert again.exit_code == 0 and "nothing to do" in again.stdout
    assert changes.current(engine).number == moved


def test_only_notes_whose_text_reads_otherwise_are_indexed_again(app, session):  # type: ignore[no-untyped-def]
    engine = app.state.engine
    aged = _aged_site(session, engine)
    app.state.search.close()  # its indexing thread stopped: the queue stays as the run leaves it
    with engine.begin() as conn:
        conn.execute(sa.delete(table_of(SearchQueue)))  # what writing the notes queued
    report = renderings.rerender(engine, app.state.settings)
    assert report is not None and (report.notes, report.reindexed) == (2, 1)
    with engine.connect() as conn:
        queued = set(conn.execute(sa.select(table_of(SearchQueue).c.note_id)).scalars())
    assert queued == {aged.source}  # the target's new rendering differs by its heading's anchor alone


def test_a_note_saved_while_it_is_rendered_again_keeps_what_its_save_wrote(app, session, monkeypatch):  # type: ignore[no-untyped-def]
    engine, settings = app.state.engine, app.state.settings
    aged = _aged_site(session, engine)
    original = renderings.render
    saved: list[int] = []

    def render_while_saved(text, resolve=None, **kwargs):  # type: ignore[no-untyped-def]
        if not saved and "blé" in text:  # read by the run, then saved before the run writes
            from praxis.db import new_session
            from tests.factories import as_actor

            with new_session(engine, settings, write=True) as other:
                note = note_service.save_note(
                    session=other,
                    actor=as_actor(other, "alice"),
                    note_id=aged.source,
                    data=NoteUpdate(base_revision=2, body="Le ==maïs== pousse."),
                )
                other.commit()
                saved.append(note.revision)
        return original(text, resolve, **kwargs)

    monkeypatch.setattr(renderings, "render", render_while_saved)
    report = renderings.rerender(engine, settings)
    assert saved == [3] and report is not None
    session.expire_all()
    source = session.get(Note, aged.source)
    assert source is not None and source.revision == 3 and source.html == "<p>Le <mark>maïs</mark> pousse.</p>\n"
    older = session.exec(select(Revision.html).where(Revision.note_id == aged.source, Revision.number == 2)).one()
    assert "<mark>blé</mark>" in older  # the revision it replaced, rendered again as an older one


def test_the_indexer_renders_again_as_it_starts(app, client, session, tmp_path):  # type: ignore[no-untyped-def]
    engine, settings = app.state.engine, app.state.settings
    aged = _aged_site(session, engine)
    app.state.search.rebuild()
    before = changes.current(engine).number
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRAXIS_")}
    env.update(PRAXIS_DATA_DIR=str(settings.data_dir), PRAXIS_SECRET_KEY=settings.secret_key or "x")
    if settings.database_url:
        env["PRAXIS_DATABASE_URL"] = settings.database_url
    indexer = subprocess.Popen(
        [sys.executable, "-m", "praxis", "indexer"], cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True
    )
    try:

        def current() -> bool:
            with engine.connect() as conn:
                version = conn.execute(sa.select(table_of(SiteState).c.rendered_with)).scalar_one()
            return version == VERSION and _queued(engine) == 0

        wait_until(current, timeout=60)
    finally:
        indexer.send_signal(signal.SIGTERM)
        _out, err = indexer.communicate(timeout=60)
    assert indexer.returncode == 0, err
    _assert_rendered_again(session, aged)
    assert changes.current(engine).number > before
    assert _found(client, "ventilateur") == set() and _found(client, "blé") == {aged.source}


def test_a_site_seeded_empty_is_rendered_with_this_renderer_from_the_start(tmp_path, unmigrated_database_url):  # type: ignore[no-untyped-def]
    from praxis.cli import prepare_site
    from praxis.db import make_engine

    content = Path(__file__).resolve().parents[2] / "content"
    settings = Settings(
        data_dir=tmp_path / "data", database_url=unmigrated_database_url, secret_key="seed", content_dir=content
    )
    assert prepare_site(settings) is not None
    engine = make_engine(settings)
    try:
        assert not renderings.stale(engine, settings)
    finally:
        engine.dispose()
