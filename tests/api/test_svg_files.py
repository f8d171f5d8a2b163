"""SVG drawings attached over the JSON API: every hostile file of the corpus is either refused
with its reason or stored without its hostile part (read back from what is served), a real
drawing keeps its drawing, and a drawing is served as one that cannot run a script."""

from __future__ import annotations

import gzip
import hashlib

from praxis.web.files import SVG_CSP
from tests.api.test_files_api import blobs, upload
from tests.conftest import one_database
from tests.factories import make_note, make_user, token_for
from tests.svg_corpus import HOSTILE, INKSCAPE, REFUSED, assert_safe, by_id, find

pytestmark = one_database  # what is kept of a file and how it is served: no SQL that could differ


def _path(body: dict) -> str:  # type: ignore[type-arg]
    return body["url"].removeprefix("https://praxis.example.org")


def test_every_hostile_drawing_is_served_without_its_hostile_part(client, app, session):
    alice = make_user(session, "alice")
    note = make_note(session, alice, title="Logos")
    auth = token_for(client, "alice")
    kept = set()
    for name, data in HOSTILE.items():
        response = upload(client, note.id, auth, "logo.svg", data)
        assert response.status_code == 201, (name, response.text)
        body = response.json()
        assert (body["media_type"], body["kind"], body["format"], body["name"]) == (
            "image/svg+xml",
            "image",
            "SVG",
            "logo.svg",
        )
        served = client.get(_path(body))
        assert served.status_code == 200
        root = assert_safe(served.content)
        assert by_id(root, "garde") is not None, name
        # What is stored, and named by its hash, is the sanitised file.
        digest = hashlib.sha256(served.content).hexdigest()
        assert served.headers["etag"] == f'"{digest}"' and body["size"] == len(served.content)
        stored = app.state.settings.data_dir / "uploads" / digest[:2] / digest
        assert stored.read_bytes() == served.content
        kept.add(stored)
    assert blobs(app) == sorted(kept)  # no original was kept beside its sanitised copy


def test_a_drawing_that_cannot_be_made_safe_is_refused_and_nothing_is_kept(client, app, session):
    alice = make_user(session, "alice")
    note = make_note(session, alice, title="Logos")
    auth = token_for(client, "alice")
    for name, (data, api, _french) in REFUSED.items():
        response = upload(client, note.id, auth, "logo.svg", data)
        assert response.status_code == 422, (name, response.text)
        (error,) = response.json()["detail"]
        assert error["loc"] == ["body", "file"] and error["msg"].startswith(api), (name, error)
    compressed = upload(client, note.id, auth, "logo.svgz", gzip.compress(INKSCAPE))
    assert compressed.status_code == 415
    assert compressed.json()["detail"].startswith("This type of file is not accepted (compressed SVG, svgz)")
    assert client.get(f"/api/v1/notes/{note.id}/files", headers=auth).json() == [] and blobs(app) == []
    assert list((app.state.settings.data_dir / "uploads" / "tmp").iterdir()) == []  # nothing left behind


def test_a_drawing_is_served_as_an_svg_image_that_runs_nothing(client, session):
    alice = make_user(session, "alice")
    note = make_note(session, alice, title="Logos", visibility="public")
    auth = token_for(client, "alice")
    body = upload(client, note.id, auth, "Logo du Carrefour.SVG", INKSCAPE).json()
    assert (body["name"], body["width"], body["height"]) == ("Logo du Carrefour.svg", 794, 374)
    # Pillow cannot draw a drawing: it is its own thumbnail (it scales).
    assert body["thumbnail_url"] == body["url"] and body["markdown"] == f"![Logo du Carrefour.svg]({_path(body)})"
    served = client.get(_path(body))
    assert served.headers["content-type"] == "image/svg+xml"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.headers["content-security-policy"] == SVG_CSP
    assert SVG_CSP.startswith("sandbox;") and "default-src 'none'" in SVG_CSP and "script-src" not in SVG_CSP
    assert served.headers["content-disposition"].startswith("inline")
    root = assert_safe(served.content)
    assert len(find(root, "path")) == 3 and len(find(root, "use")) == 2 and by_id(root, "text1") is not None
    assert client.get(f"/n/{note.id}/files/{body['id']}/thumb").status_code == 404  # no thumbnail of its own
