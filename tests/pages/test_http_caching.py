"""HTTP caching as readers see it: visitors' pages kept and revalidated (ETag, Last-Modified,
304), never stale after a change, never shared between visitors where they differ (the CSRF
token), never kept for what a visitor may not read; compression of text."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
import gzip
from email.utils import parsedate_to_datetime

import brotli
import httpx
import sqlalchemy as sa
from fastapi.testclient import TestClient

from praxis import changes
from praxis.app import create_app
from praxis.models import SiteState
from tests.conftest import one_database
from tests.factories import browser_for, csrf_from, make_note, make_user, token_for


def _visitor(app) -> TestClient:  # type: ignore[no-untyped-def]
    return TestClient(app, base_url="https://testserver")


def test_a_visitor_revalidates_a_note_page_and_gets_304_until_it_changes(app, client, session):
    alice = make_user(session, "alice", name="Alice Rivard")
    note = make_note(session, alice, title="Chantier numérique", body="Premier état.")
    visitor = _visitor(app)
    first = visitor.get(f"/n/{note.id}/")
    assert first.status_code == 200 and "Premier état." in first.text
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert etag.startswith('W/"') and first.headers["cache-control"] == "no-cache"
    again = visitor.get(f"/n/{note.id}/")
    assert again.text == first.text and again.headers["etag"] == etag  # the kept copy, the same page

    unchanged = visitor.get(f"/n/{note.id}/", headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.content == b"" and unchanged.headers["etag"] == etag
    assert visitor.get(f"/n/{note.id}/", headers={"If-Modified-Since": modified}).status_code == 304
    earlier = parsedate_to_datetime(modified).timestamp() - 3600
    from email.utils import formatdate

    assert (
        visitor.get(f"/n/{note.id}/", headers={"If-Modified-Since": formatdate(earlier, usegmt=True)}).status_code
        == 200
    )

    saved = client.patch(
        f"/api/v1/notes/{note.id}",
        headers=token_for(client, "alice"),
        json={"base_revision": 1, "body": "Deuxième état."},
    )
    assert saved.status_code == 200
    changed = visitor.get(f"/n/{note.id}/", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "Deuxième état." in changed.text and "Premier état." not in changed.text
    assert changed.headers["etag"] != etag


def test_each_visitor_gets_their_own_form_token_from_the_kept_page(app, session):
    alice = make_user(session, "alice", name="Alice Rivard")
    note = make_note(session, alice, title="Chantier")
    jeanne, paul = _visitor(app), _visitor(app)
    page_j, page_p = jeanne.get(f"/n/{note.id}/"), paul.get(f"/n/{note.id}/")
    token_j, token_p = csrf_from(page_j.text, f"/n/{note.id}/contact"), csrf_from(page_p.text, f"/n/{note.id}/contact")
    assert token_j != token_p and jeanne.cookies.get("praxis_csrf") != paul.cookies.get("praxis_csrf")
    assert page_j.headers["etag"] != page_p.headers["etag"]
    message = {"name": "Paul Roy", "email": "paul@exemple.org", "subject": "Bonjour", "message": "Merci."}
    stolen = paul.post(f"/n/{note.id}/contact", data={**message, "csrf_token": token_j}, follow_redirects=False)
    assert stolen.status_code == 403
    sent = paul.post(f"/n/{note.id}/contact", data={**message, "csrf_token": token_p}, follow_redirects=False)
    assert sent.status_code == 303
    # The same visitor keeps the same token, and so the same ETag.
    assert csrf_from(paul.get(f"/n/{note.id}/").text, f"/n/{note.id}/contact") == token_p


def test_a_kept_page_never_shows_what_a_visitor_may_not_read(app, client, session):
    alice = make_user(session, "alice", name="Alice Rivard")
    note = make_note(session, alice, title="Carnet de bord", body="Texte public.")
    headers = token_for(client, "alice")
    visitor = _visitor(app)
    for path in (f"/n/{note.id}/", f"/api/v1/notes/{note.id}", "/", "/feed.atom"):
        assert "Carnet de bord" in visitor.get(path).text, path
    assert (
        client.patch(
            f"/api/v1/notes/{note.id}", headers=headers, json={"base_revision": 1, "visibility": "restricted"}
        ).status_code
        == 200
    )
    assert visitor.get(f"/n/{note.id}/").status_code == 404
    assert visitor.get(f"/api/v1/notes/{note.id}").status_code == 404
    for path in ("/", "/feed.atom"):
        assert "Carnet de bord" not in visitor.get(path).text, path
    # Its author, signed in, still reads it, and never from a visitor's copy.
    author = browser_for(app, session, alice)
    page = author.get(f"/n/{note.id}/")
    assert page.status_code == 200 and page.headers["cache-control"] == "private, no-cache"


def test_another_process_on_the_same_database_never_serves_a_stale_page(app, client, session, settings):
    alice = make_user(session, "alice", name="Alice Rivard")
    note = make_note(session, alice, title="Version une")
    other = create_app(settings)  # a second server process's app: its own page cache
    try:
        visitor = _visitor(other)
        assert "Version une" in visitor.get(f"/n/{note.id}/").text
        assert "Version une" in visitor.get("/").text
        assert (
            client.patch(
                f"/api/v1/notes/{note.id}",
                headers=token_for(client, "alice"),
                json={"base_revision": 1, "title": "Version deux"},
            ).status_code
            == 200
        )
        for path in (f"/n/{note.id}/", "/"):
            shown = visitor.get(path)
            assert shown.status_code == 200 and "Version deux" in shown.text, (path, shown.status_code, shown.headers)
        api = visitor.get(f"/api/v1/notes/{note.id}")
        assert api.json()["title"] == "Version deux"
        assert (
            visitor.get(f"/api/v1/notes/{note.id}", headers={"If-None-Match": api.headers["etag"]}).status_code == 304
        )
    finally:
        other.state.engine.dispose()


def test_visitors_arriving_together_share_reads_of_the_counter_and_each_sees_every_change(
    app, client, session, settings
):
    alice = make_user(session, "alice", name="Alice Rivard")
    note = make_note(session, alice, title="Version une")
    reads: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT") and "site_state" in statement:
            reads.append(statement)

    async def arriving(n: int) -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as visitors:
            return await asyncio.gather(*(visitors.get(f"/n/{note.id}/") for _ in range(n)))

    def together(n: int) -> list[httpx.Response]:
        # In a thread of its own: a browser test run earlier in this process may have left this
        # thread an event loop, in which asyncio.run cannot start another.
        with ThreadPoolExecutor(1) as apart:
            return apart.submit(asyncio.run, arriving(n)).result()

    sa.event.listen(app.state.engine, "before_cursor_execute", count)
    first = together(32)
    assert all(r.status_code == 200 and "Version une" in r.text for r in first)
    assert 0 < len(reads) <= 8  # not one trip to the database each
    other = create_app(settings)  # another server process changes the note
    try:
        with TestClient(other, base_url="https://testserver") as elsewhere:  # its indexer stops with it
            assert (
                elsewhere.patch(
                    f"/api/v1/notes/{note.id}",
                    headers=token_for(client, "alice"),
                    json={"base_revision": 1, "title": "Version deux"},
                ).status_code
                == 200
            )
    finally:
        other.state.engine.dispose()
    second = together(32)
    assert all(r.status_code == 200 and "Version deux" in r.text and "Version une" not in r.text for r in second)


def test_pages_are_kept_per_language(app, session):
    alice = make_user(session, "alice")
    note = make_note(session, alice, title="Chantier")
    visitor = _visitor(app)
    french = visitor.get(f"/n/{note.id}/")
    english = visitor.get(f"/n/{note.id}/", headers={"Accept-Language": "en"})
    assert 'lang="fr"' in french.text and 'lang="en"' in english.text
    assert "Pour citer cette note" in french.text and "Pour citer cette note" not in english.text
    assert french.headers["etag"] != english.headers["etag"]
    assert "Pour citer cette note" in visitor.get(f"/n/{note.id}/").text


def test_only_changes_readers_can_see_move_the_site_counter(app, client, session):
    alice = make_user(session, "alice")
    note = make_note(session, alice)
    before = changes.current(app.state.engine).number
    headers = token_for(client, "alice")  # a sign-in writes a token: nothing a reader sees
    client.get("/api/v1/me/notifications", headers=headers)
    assert changes.current(app.state.engine).number == before
    assert (
        client.post(f"/api/v1/notes/{note.id}/comments", headers=headers, json={"body": "Un ajout."}).status_code == 201
    )
    after = changes.current(app.state.engine)
    assert after.number == before + 1
    with app.state.engine.connect() as conn:
        assert conn.execute(sa.select(SiteState.version)).scalar_one() == after.number


def test_signed_in_reads_are_revalidated_too(app, client, session):
    alice = make_user(session, "alice")
    note = make_note(session, alice)
    headers = token_for(client, "alice")
    first = client.get(f"/api/v1/notes/{note.id}", headers=headers)
    assert first.headers["cache-control"] == "private, no-cache"
    again = client.get(f"/api/v1/notes/{note.id}", headers={**headers, "If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


@one_database
def test_text_is_compressed_with_brotli_or_gzip(app, session):
    alice = make_user(session, "alice")
    note = make_note(session, alice, title="Chantier", body="Des mots. " * 300)
    visitor = _visitor(app)
    plain = visitor.get(f"/n/{note.id}/", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    for encoding, decode in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        raw = visitor.build_request("GET", f"/n/{note.id}/", headers={"Accept-Encoding": encoding})
        response = visitor.send(raw, stream=True)
        body = b"".join(response.iter_raw())
        assert response.headers["content-encoding"] == encoding
        assert len(body) < len(plain.content) / 3
        assert decode(body).decode("utf-8") == plain.text
        assert "Accept-Encoding" in response.headers["vary"]


def test_a_visitors_cookies_never_reach_the_page_kept_for_the_next_visitors(app, client, session):
    alice = make_user(session, "alice", name="Alice Rivard")
    note = make_note(session, alice, title="Chantier")
    key = f"alice:{note.id}:1"
    first = _visitor(app)
    first.cookies.set("praxis_draft_saved", key, path=f"/n/{note.id}/")
    kept = first.get(f"/n/{note.id}/")
    second = _visitor(app)
    page = second.get(f"/n/{note.id}/")
    assert page.status_code == 200 and "Chantier" in page.text
    assert key not in page.text and "data-draft-key" not in page.text
    # Whatever a visitor's cookies say, the page rendered for visitors does not depend on them.
    assert key not in kept.text


def test_the_author_just_saved_is_told_which_draft_to_forget_once(app, client, session):
    alice = make_user(session, "alice", name="Alice Rivard")
    note = make_note(session, alice, title="Chantier")
    author = browser_for(app, session, alice)
    key = f"alice:{note.id}:1"
    author.cookies.set("praxis_draft_saved", key, path=f"/n/{note.id}/")
    page = author.get(f"/n/{note.id}/")
    assert f'data-draft-key="{key}"' in page.text
    told_once = [c for c in page.headers.get_list("set-cookie") if c.startswith("praxis_draft_saved=")]
    assert len(told_once) == 1 and "Max-Age=0" in told_once[0]
    author.cookies.delete("praxis_draft_saved")
    assert "data-draft-key" not in author.get(f"/n/{note.id}/").text
    assert "data-draft-key" not in _visitor(app).get(f"/n/{note.id}/").text
