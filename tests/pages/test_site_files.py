"""The icons a browser shows for the site (tab, bookmark, home screen) and the manifest naming them."""

from tests.conftest import one_database

pytestmark = one_database  # files and a manifest: no SQL in them


def test_every_page_names_the_icons_and_each_is_served(client):
    page = client.get("/lexique/").text
    for link in (
        '<link rel="icon" href="/favicon.ico" sizes="32x32">',
        '<link rel="icon" href="/static/icons/icon.svg" type="image/svg+xml">',
        '<link rel="apple-touch-icon" href="/static/icons/apple-touch-icon.png">',
        '<link rel="manifest" href="/manifest.webmanifest">',
    ):
        assert link in page
    favicon = client.get("/favicon.ico")
    assert favicon.status_code == 200 and favicon.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert client.get("/static/icons/apple-touch-icon.png").content[:8] == b"\x89PNG\r\n\x1a\n"

    manifest = client.get("/manifest.webmanifest")
    assert manifest.headers["content-type"] == "application/manifest+json"
    assert manifest.json()["name"] == "Praxis" and manifest.json()["start_url"] == "/"
    for icon in manifest.json()["icons"]:
        assert client.get(icon["src"]).status_code == 200, icon["src"]


def test_head_answers_like_get_without_a_body(client, session):
    from tests.factories import make_note, make_user

    note = make_note(session, make_user(session, "alice"), title="Une note à vérifier")
    for url in ("/", f"/n/{note.id}/", "/robots.txt", "/favicon.ico", "/static/praxis.css", f"/api/v1/notes/{note.id}"):
        got, head = client.get(url), client.head(url)
        assert (head.status_code, head.content) == (200, b""), url
        assert head.headers["content-type"] == got.headers["content-type"], url
        assert head.headers.get("content-length") == got.headers.get("content-length"), url
    missing = client.head("/n/inconnue0000/")
    assert (missing.status_code, missing.content) == (404, b"")
    assert client.head("/api/v1/notes/inconnue0000").status_code == 404
    # A route without GET still refuses HEAD.
    assert client.head("/logout").status_code == 405
