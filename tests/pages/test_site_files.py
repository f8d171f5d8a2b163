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
