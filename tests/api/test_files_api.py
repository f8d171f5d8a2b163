"""Files attached to notes over the JSON API, and the files themselves as served: types read
from the bytes, limits, thumbnails, shared blobs, and who may read what."""

from __future__ import annotations

import io
import struct
import threading
import zipfile
import zlib
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from PIL import Image
from sqlmodel import select

from praxis.app import create_app
from praxis.db import session_scope
from praxis.media.store import FileStore
from praxis.models import User
from praxis.media import attachments
from tests.conftest import one_database
from tests.factories import browser_for, make_note, make_user, token_for

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" + bytes(range(256)) * 8


def png(size: tuple[int, int] = (1000, 750)) -> bytes:
    """A real PNG of noise (so that it does not compress to nothing)."""
    out = io.BytesIO()
    Image.effect_noise(size, 64).save(out, "PNG")
    return out.getvalue()


def jpeg(size: tuple[int, int] = (800, 600), orientation: int | None = None) -> bytes:
    out = io.BytesIO()
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    Image.new("RGB", size, (30, 120, 200)).save(out, "JPEG", exif=exif)
    return out.getvalue()


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A few dozen bytes that declare ten billion pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def zipped(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in entries.items():
            archive.writestr(
                name, data, compress_type=zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            )
    return out.getvalue()


def blobs(app) -> list[Path]:  # type: ignore[no-untyped-def]
    """The blobs in the store, thumbnails and temporary files left out."""
    root = app.state.settings.data_dir / "uploads"
    return sorted(p for p in root.glob("??/*") if p.is_file()) if root.exists() else []


def upload(client: TestClient, note_id: str, headers: dict, name: str, data: bytes, *, collection: str = "files"):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1/notes/{note_id}/{collection}", files={"file": (name, data)}, headers=headers)


@pytest.fixture
def alice(session):  # type: ignore[no-untyped-def]
    return make_user(session, "alice", name="Alice Rivard")


@pytest.fixture
def auth(client, alice):  # type: ignore[no-untyped-def]
    return token_for(client, "alice")


@pytest.fixture
def note(session, alice):  # type: ignore[no-untyped-def]
    return make_note(session, alice, title="Carnet de terrain")


@one_database  # what the bytes are, how they are served: no SQL that could differ
def test_an_image_is_attached_with_its_size_a_thumbnail_and_its_markdown(client, app, auth, note):
    data = png((1000, 750))
    response = upload(client, note.id, auth, "Relevé du site.png", data)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["name"] == "Relevé du site.png" and body["media_type"] == body["content_type"] == "image/png"
    assert (body["size"], body["width"], body["height"], body["kind"]) == (len(data), 1000, 750, "image")
    path = f"/n/{note.id}/files/{body['id']}/Relev%C3%A9%20du%20site.png"
    assert body["url"] == "https://praxis.example.org" + path and response.headers["location"] == body["url"]
    assert body["thumbnail_url"] == f"https://praxis.example.org/n/{note.id}/files/{body['id']}/thumb"
    assert body["markdown"] == f"![Relevé du site.png]({path})"
    assert body["uploaded_by"] == "alice"

    served = client.get(path)
    assert served.status_code == 200 and served.content == data
    assert served.headers["content-type"] == "image/png"
    thumb = client.get(f"/n/{note.id}/files/{body['id']}/thumb")
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/webp"
    small = Image.open(io.BytesIO(thumb.content))
    assert small.format == "WEBP" and small.size == (480, 360) and len(thumb.content) < len(data)
    assert client.get(f"/api/v1/notes/{note.id}/files").json() == [body]


@one_database  # what the bytes are, how they are served: no SQL that could differ
def test_a_jpeg_is_measured_as_shown_and_named_by_what_it_is(client, auth, note):
    body = upload(client, note.id, auth, "photo.png", jpeg((800, 600), orientation=6)).json()
    assert body["media_type"] == "image/jpeg" and body["name"] == "photo.jpg"
    assert (body["width"], body["height"]) == (600, 800)  # turned a quarter, as the camera said
    thumb = Image.open(io.BytesIO(client.get(f"/n/{note.id}/files/{body['id']}/thumb").content))
    assert thumb.size == (480, 640)


@pytest.mark.parametrize(
    ("name", "data", "media_type", "kind", "saved_as", "disposition"),
    [
        ("rapport", PDF, "application/pdf", "pdf", "rapport.pdf", "inline"),
        ("entretien.MP3", MP3, "audio/mpeg", "audio", "entretien.mp3", "inline"),
        (
            "compte-rendu.odt",
            zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"}),
            "application/vnd.oasis.opendocument.text",
            "document",
            "compte-rendu.odt",
            "attachment",
        ),
        (
            "budget.zip",
            zipped(
                {
                    "[Content_Types].xml": b'<Types><Override PartName="/xl/workbook.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
                    "xl/workbook.xml": b"<workbook/>",
                }
            ),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "document",
            "budget.xlsx",
            "attachment",
        ),
        ("notes.md", "# Résumé\n\nDes *notes*.\n".encode(), "text/markdown", "text", "notes.md", "attachment"),
        ("photo.png", "Pas une image, du texte.".encode(), "text/plain", "text", "photo.txt", "attachment"),
    ],
)
@one_database  # what the bytes are, how they are served: no SQL that could differ
def test_documents_audio_and_text_are_recognised_by_their_bytes(
    client, auth, note, name, data, media_type, kind, saved_as, disposition
):
    response = upload(client, note.id, auth, name, data)
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["media_type"], body["kind"], body["name"], body["thumbnail_url"]) == (media_type, kind, saved_as, None)
    served = client.get(body["url"].removeprefix("https://praxis.example.org"))
    assert served.content == data and served.headers["content-type"].split(";")[0] == media_type
    assert served.headers["content-disposition"].startswith(disposition)
    link = "!" if kind == "audio" else ""
    assert body["markdown"].startswith(f"{link}[{saved_as}](/n/{note.id}/files/")


@one_database  # what the bytes are, how they are served: no SQL that could differ
@pytest.mark.parametrize(
    ("name", "data", "named"),
    [
        ("photo.png", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "text/html"),
        # XML that holds an SVG drawing but is not one (SVG itself is accepted once sanitised).
        (
            "logo.svg",
            b'<?xml version="1.0"?>\n<feuille><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/></feuille>',
            "application/xml",
        ),
        ("archive.docx", zipped({"word/document.xml": b"<w/>"}), "application/zip"),
        (
            "outil.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" * 8,
            "application/vnd.microsoft.portable-executable",
        ),
        ("image.jpg", b"BM" + bytes(200), "image/bmp"),
        ("data.bin", bytes(range(256)) * 4, "application/octet-stream"),
    ],
)
def test_content_that_is_not_an_accepted_type_is_415_and_named(client, app, auth, note, name, data, named):
    response = upload(client, note.id, auth, name, data)
    assert response.status_code == 415, response.text
    assert (
        response.json()["detail"] == f"This type of file is not accepted ({named})."
        and response.json()["media_type"] == named
    )
    assert client.get(f"/api/v1/notes/{note.id}/files").json() == [] and blobs(app) == []
    assert list((app.state.settings.data_dir / "uploads" / "tmp").iterdir()) == []  # nothing left behind


@one_database  # what the bytes are, how they are served: no SQL that could differ
def test_an_image_pillow_cannot_read_is_422(client, auth, note):
    response = upload(client, note.id, auth, "abime.png", b"\x89PNG\r\n\x1a\n" + b"pas vraiment une image" * 10)
    assert response.status_code == 422 and "cannot be read" in response.text


@one_database  # what the bytes are, how they are served: no SQL that could differ
@pytest.mark.parametrize(
    ("width", "height", "said"),
    [
        (100_000, 100_000, ""),  # refused by Pillow itself
        (10_000, 10_000, " (10000 × 10000 pixels)"),  # Pillow only warns
        (9_000, 8_000, " (9000 × 8000 pixels)"),  # under Pillow's limit, over ours
    ],
)
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_decompression_bomb_is_refused_before_it_is_decoded(client, app, auth, note, width, height, said):
    response = upload(client, note.id, auth, "bombe.png", png_bomb(width, height))
    assert response.status_code == 413
    assert response.json()["detail"] == f"This image is too large{said}: an image may have at most 60 million pixels."
    assert blobs(app) == []


@one_database  # what the bytes are, how they are served: no SQL that could differ
def test_an_empty_file_is_422(client, auth, note):
    response = upload(client, note.id, auth, "vide.txt", b"")
    assert response.status_code == 422 and "The file is empty." in response.text


@pytest.fixture
def small_site(settings):  # type: ignore[no-untyped-def]
    application = create_app(settings.model_copy(update={"max_upload_bytes": 2_000}))
    with TestClient(application, base_url="https://testserver") as c:
        yield application, c
    application.state.engine.dispose()


@one_database  # what the bytes are, how they are served: no SQL that could differ
def test_a_file_over_the_upload_limit_is_413_with_the_limit(small_site, session):
    app, client = small_site
    alice = make_user(session, "alice")
    note = make_note(session, alice)
    headers = token_for(client, "alice")
    assert upload(client, note.id, headers, "court.txt", b"x" * 2_000).status_code == 201
    over = upload(client, note.id, headers, "long.txt", b"x" * 2_001)
    assert over.status_code == 413
    assert over.json()["detail"] == "The file is larger than allowed: an attached file may weigh at most 2\u00a0KB."
    # A body far over the limit is refused before it is read, with the same message.
    huge = upload(client, note.id, headers, "énorme.txt", b"x" * 2_000_000)
    assert huge.status_code == 413 and "2\u00a0KB" in huge.json()["detail"]
    assert len(blobs(app)) == 1


@one_database  # what the bytes are, how they are served: no SQL that could differ
def test_a_chunked_upload_is_counted_as_it_streams(small_site, session):
    app, client = small_site
    make_note(session, make_user(session, "alice"))
    note = make_note(session, make_user(session, "bruno"))
    headers = token_for(client, "bruno")
    boundary = "praxis-limite"

    def body():  # no Content-Length: the client sends it in chunks
        yield f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="flux.txt"\r\n\r\n'.encode()
        for _ in range(200):
            yield b"y" * 10_000
        yield f"\r\n--{boundary}--\r\n".encode()

    response = client.post(
        f"/api/v1/notes/{note.id}/files",
        content=body(),
        headers={**headers, "content-type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 413 and "2\u00a0KB" in response.json()["detail"]
    assert blobs(app) == []


@one_database  # what the bytes are, how they are served: no SQL that could differ
def test_the_upload_limit_does_not_widen_other_routes(client, auth):
    response = client.post("/api/v1/notes", json={"title": "Énorme", "body": "x" * 1_100_000}, headers=auth)
    assert response.status_code == 413


def test_the_same_content_is_one_blob_until_no_attachment_uses_it(client, app, session, alice, auth, note):
    other = make_note(session, alice, title="Autre note")
    data = png((600, 400))
    first = upload(client, note.id, auth, "a.png", data).json()
    second = upload(client, other.id, auth, "b.png", data).json()
    again = upload(client, note.id, auth, "c.png", data).json()
    assert len({first["id"], second["id"], again["id"]}) == 3
    assert len(blobs(app)) == 1
    thumbs = app.state.settings.data_dir / "uploads" / "thumbs"
    assert len(list(thumbs.glob("??/*.webp"))) == 1

    assert client.delete(f"/api/v1/notes/{note.id}/files/{first['id']}", headers=auth).status_code == 204
    assert client.delete(f"/api/v1/notes/{note.id}/files/{again['id']}", headers=auth).status_code == 204
    assert len(blobs(app)) == 1  # the other note still holds it
    assert client.get(second["url"].removeprefix("https://praxis.example.org")).content == data
    assert client.get(first["url"].removeprefix("https://praxis.example.org")).status_code == 404

    assert client.delete(f"/api/v1/notes/{other.id}/files/{second['id']}", headers=auth).status_code == 204
    assert blobs(app) == [] and list(thumbs.glob("??/*.webp")) == []
    assert client.get(f"/api/v1/notes/{other.id}/files").json() == []


def test_a_file_uploaded_while_the_last_other_copy_is_deleted_keeps_its_bytes(
    client, app, session, alice, auth, note, monkeypatch
):
    # The only attachment holding some bytes is deleted; before the deletion collects the blob,
    # an upload of the same bytes finds the blob there and keeps it. The collection must not
    # then take away the bytes the upload relies on.
    other = make_note(session, alice, title="Autre note")
    data = png((300, 200))
    first = upload(client, note.id, auth, "a.png", data).json()
    committed, kept = threading.Event(), threading.Event()

    def delete_elsewhere() -> None:
        with session_scope(app.state.engine, app.state.settings) as s:
            # Runs after the deletion's commit, before its collection of the blob.
            sa.event.listen(s, "after_commit", lambda _s: (committed.set(), kept.wait(30)), once=True)
            actor = s.exec(select(User).where(User.username == "alice")).one()
            attachments.delete(
                session=s, actor=actor, store=app.state.files, note_id=note.id, attachment_id=first["id"]
            )

    deletion = threading.Thread(target=delete_elsewhere)
    real_keep = FileStore.keep

    def keep(self, received):  # type: ignore[no-untyped-def]
        path = real_keep(self, received)
        kept.set()
        deletion.join(timeout=2)  # long enough for a collection that does not wait its turn
        return path

    monkeypatch.setattr(FileStore, "keep", keep)
    deletion.start()
    assert committed.wait(30)
    second = upload(client, other.id, auth, "b.png", data)
    deletion.join(timeout=60)
    assert second.status_code == 201 and not deletion.is_alive()
    assert client.get(first["url"].removeprefix("https://praxis.example.org")).status_code == 404
    assert client.get(second.json()["url"].removeprefix("https://praxis.example.org")).content == data
    assert len(blobs(app)) == 1


def test_the_contract_route_answers_with_its_fields(client, auth, note):
    response = upload(client, note.id, auth, "rapport.pdf", PDF, collection="attachments")
    assert response.status_code == 201
    body = response.json()
    assert {"id", "url", "content_type", "size"} <= body.keys() and body["content_type"] == "application/pdf"
    assert body["size"] == len(PDF)
    assert client.get(body["url"].removeprefix("https://praxis.example.org")).content == PDF
    assert [f["id"] for f in client.get(f"/api/v1/notes/{note.id}/attachments").json()] == [body["id"]]
    assert client.delete(f"/api/v1/notes/{note.id}/attachments/{body['id']}", headers=auth).status_code == 204


def test_only_those_who_may_edit_the_note_attach_and_delete(client, session, auth, note):
    make_user(session, "bruno")
    bruno = token_for(client, "bruno")
    assert client.post(f"/api/v1/notes/{note.id}/files", files={"file": ("a.pdf", PDF)}).status_code == 401
    assert upload(client, note.id, bruno, "a.pdf", PDF).status_code == 403
    assert upload(client, "inexistant", auth, "a.pdf", PDF).status_code == 404
    attached = upload(client, note.id, auth, "a.pdf", PDF).json()
    assert client.delete(f"/api/v1/notes/{note.id}/files/{attached['id']}", headers=bruno).status_code == 403
    assert client.delete(f"/api/v1/notes/{note.id}/files/{attached['id']}").status_code == 401
    assert client.delete(f"/api/v1/notes/{note.id}/files/autre", headers=auth).status_code == 404
    assert (
        client.post(
            f"/api/v1/notes/{note.id}/files", headers=auth, data={"autre": "x"}, files={"rien": ("x", b"")}
        ).status_code
        == 422
    )


def test_a_restricted_note_s_files_are_for_its_readers_only(app, client, session, alice, auth):
    bruno, carole = make_user(session, "bruno"), make_user(session, "carole")
    admin = make_user(session, "adam", admin=True)
    note = make_note(session, alice, visibility="restricted", readers=["bruno"])
    attached = upload(client, note.id, auth, "plan.pdf", PDF).json()
    path = attached["url"].removeprefix("https://praxis.example.org")
    for reader in (alice, bruno, admin):
        response = browser_for(app, session, reader).get(path)
        assert response.status_code == 200 and response.content == PDF, reader.username
        assert response.headers["cache-control"] == "private, no-store"
    for outsider in (carole, None):
        browser = browser_for(app, session, outsider)
        assert browser.get(path).status_code == 404
        assert browser.get(f"/api/v1/notes/{note.id}/files").status_code == 404
        assert browser.get(path, headers={"If-None-Match": f'"{attached["id"]}"'}).status_code == 404
    # The same bytes attached to a public note are public there, and only there.
    public = make_note(session, alice, title="Note publique")
    shared = upload(client, public.id, auth, "plan.pdf", PDF).json()
    visitor = browser_for(app, session, None)
    assert visitor.get(shared["url"].removeprefix("https://praxis.example.org")).content == PDF
    assert visitor.get(path).status_code == 404
    assert visitor.get(f"/n/{public.id}/files/{attached['id']}/plan.pdf").status_code == 404  # not another note's file


def test_a_deleted_note_s_files_are_no_longer_served(client, auth, note):
    attached = upload(client, note.id, auth, "plan.pdf", PDF).json()
    path = attached["url"].removeprefix("https://praxis.example.org")
    assert client.get(path).status_code == 200
    assert client.delete(f"/api/v1/notes/{note.id}", headers=auth).status_code == 204
    assert client.get(path).status_code == 404
    assert client.get(path, headers=auth).status_code == 404  # its author too: the note is gone


@one_database  # what the bytes are, how they are served: no SQL that could differ
def test_files_carry_etag_caching_nosniff_and_answer_ranges(client, auth, note):
    attached = upload(client, note.id, auth, "entretien.mp3", MP3).json()
    path = attached["url"].removeprefix("https://praxis.example.org")
    first = client.get(path)
    etag = first.headers["etag"]
    assert etag.startswith('"') and len(etag) == 66
    assert first.headers["x-content-type-options"] == "nosniff"
    assert first.headers["cache-control"] == "public, no-cache"
    assert first.headers["content-disposition"] == 'inline; filename="entretien.mp3"'
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert client.get(path, headers={"If-None-Match": '"autre"'}).status_code == 200
    part = client.get(path, headers={"Range": "bytes=0-2"})
    assert part.status_code == 206 and part.content == b"ID3"
    assert part.headers["content-range"] == f"bytes 0-2/{len(MP3)}"
    # Any other name finds the file under its own.
    renamed = client.get(f"/n/{note.id}/files/{attached['id']}/autre-nom.mp3", follow_redirects=False)
    assert renamed.status_code == 301 and renamed.headers["location"] == path


@one_database  # what the bytes are, how they are served: no SQL that could differ
def test_the_content_security_policy_lets_the_site_s_own_media_play(client):
    csp = client.get("/").headers["content-security-policy"]
    assert "img-src 'self'" in csp and "media-src 'self'" in csp


@one_database  # what the bytes are, how they are served: no SQL that could differ
@pytest.mark.parametrize(
    ("name", "data", "sandbox"),
    [
        ("plan.pdf", PDF, "sandbox;"),
        ("relevé.png", png((40, 30)), "sandbox;"),
        # Text that holds markup further on, as a page would: served as text, downloaded, and sandboxed.
        (
            "page.txt",
            "Bonjour\n<html><script>alert(document.cookie)</script><svg onload=alert(1)>".encode(),
            "sandbox;",
        ),
        # A browser's own player fetches the file again from the page it makes for it: that page keeps
        # the file's origin, and no script (docs/security.md, "Attached files").
        ("entretien.mp3", MP3, "sandbox allow-same-origin;"),
    ],
)
def test_a_file_is_served_in_a_sandbox_where_no_script_runs(client, auth, note, name, data, sandbox):
    attached = upload(client, note.id, auth, name, data).json()
    paths = [attached["url"].removeprefix("https://praxis.example.org")]
    if attached["thumbnail_url"]:
        paths.append(attached["thumbnail_url"].removeprefix("https://praxis.example.org"))
    for path in paths:
        served = client.get(path)
        assert served.status_code == 200
        policies = served.headers.get_list("content-security-policy")
        assert len(policies) == 1, policies  # the file's own policy, not the pages' beside it
        directives = [d.strip() for d in policies[0].split(";")]
        assert policies[0].startswith(sandbox) and "allow-scripts" not in policies[0]
        assert "default-src 'none'" in directives and not any(d.startswith("script-src") for d in directives)
        assert served.headers["x-content-type-options"] == "nosniff"
    # The pages keep the site's policy.
    assert "sandbox" not in client.get(f"/n/{note.id}/").headers["content-security-policy"]


@one_database  # what the bytes are, how they are served: no SQL that could differ
def test_a_non_ascii_name_is_given_the_rfc_5987_way_and_dangerous_names_are_cleaned(client, auth, note):
    body = upload(client, note.id, auth, "../../etc/Ça <va>|\u202e.txt", "du texte".encode()).json()
    assert body["name"] == "Ça _va___.txt"
    served = client.get(body["url"].removeprefix("https://praxis.example.org"))
    assert served.headers["content-disposition"] == "attachment; filename*=utf-8''%C3%87a%20_va___.txt"
    assert served.headers["content-type"] == "text/plain; charset=utf-8"
