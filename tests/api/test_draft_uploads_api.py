"""Draft uploads: a file sent for a note not saved yet (the editor's paste and drop), its
uploader's alone, claimed by the save of a note that shows it, swept after 24 hours."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from praxis.app import create_app
from praxis.errors import Conflict
from praxis.media import drafts
from praxis.media import service as media_service
from praxis.models import Attachment, utcnow
from tests.api.test_files_api import PDF, blobs, png
from tests.conftest import one_database
from tests.factories import browser_for, make_note, make_user, token_for

SITE = "https://praxis.example.org"


def send(client: TestClient, headers: dict, name: str, data: bytes, query: str = ""):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1/uploads{query}", files={"file": (name, data)}, headers=headers)


def local(url: str) -> str:
    return url.removeprefix(SITE)


@pytest.fixture
def alice(session):  # type: ignore[no-untyped-def]
    return make_user(session, "alice", name="Alice Rivard")


@pytest.fixture
def auth(client, alice):  # type: ignore[no-untyped-def]
    return token_for(client, "alice")


def backdate(app, file_id: str, hours: float) -> None:  # type: ignore[no-untyped-def]
    with app.state.engine.begin() as conn:
        conn.execute(
            sa.update(Attachment.__table__)  # type: ignore[attr-defined]
            .where(Attachment.__table__.c.id == file_id)  # type: ignore[attr-defined]
            .values(created_at=utcnow() - timedelta(hours=hours))
        )


def note_of(app, file_id: str) -> str | None:  # type: ignore[no-untyped-def]
    with app.state.engine.connect() as conn:
        return conn.execute(
            sa.select(Attachment.__table__.c.note_id).where(Attachment.__table__.c.id == file_id)  # type: ignore[attr-defined]
        ).scalar_one_or_none()


def exists(app, file_id: str) -> bool:  # type: ignore[no-untyped-def]
    with app.state.engine.connect() as conn:
        found = conn.execute(
            sa.select(sa.func.count()).where(Attachment.__table__.c.id == file_id)  # type: ignore[attr-defined]
        ).scalar_one()
    return bool(found)


# --- the upload and who sees it ----------------------------------------------------------------


@one_database  # what is answered and served to whom: no SQL that could differ
def test_a_draft_upload_answers_like_a_note_s_file_and_is_its_uploader_s_alone(app, client, session, alice, auth):
    data = png((640, 480))
    response = send(client, auth, "Relevé du site.png", data)
    assert response.status_code == 201, response.text
    body = response.json()
    path = f"/envois/{body['id']}/Relev%C3%A9%20du%20site.png"
    assert body["note_id"] is None and body["url"] == SITE + path and response.headers["location"] == body["url"]
    assert body["markdown"] == f"![Relevé du site.png]({path})"
    assert (body["content_type"], body["size"], body["width"], body["uploaded_by"]) == (
        "image/png",
        len(data),
        640,
        "alice",
    )
    assert body["thumbnail_url"] == f"{SITE}/envois/{body['id']}/thumb"

    mine = browser_for(app, session, alice)
    served = mine.get(path)
    assert served.status_code == 200 and served.content == data
    assert served.headers["cache-control"] == "private, no-store"  # no cache keeps it, as a private note's file
    assert served.headers["content-security-policy"].startswith("sandbox;")
    assert served.headers["x-content-type-options"] == "nosniff"
    assert mine.get(path, headers={"If-None-Match": served.headers["etag"]}).status_code == 304
    thumb = mine.get(f"/envois/{body['id']}/thumb")
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/webp"
    renamed = mine.get(f"/envois/{body['id']}/autre.png", follow_redirects=False)
    assert renamed.status_code == 301 and renamed.headers["location"] == path

    bruno, admin = make_user(session, "bruno"), make_user(session, "adam", admin=True)
    for other in (bruno, admin, None):  # anyone else, admins too, finds nothing there
        browser = browser_for(app, session, other)
        assert browser.get(path).status_code == 404
        assert browser.get(f"/envois/{body['id']}/thumb").status_code == 404
    assert mine.get("/envois/inexistant/x.png").status_code == 404
    assert mine.get("/envois/pas%20un%20id/x.png").status_code == 404


@one_database  # what is refused, and said in which language: no SQL that could differ
def test_a_visitor_a_refused_type_and_an_empty_file_are_refused_in_the_language_asked(app, client, auth):
    assert send(client, {}, "a.pdf", PDF).status_code == 401
    refused = send(client, auth, "outil.zip", b"Rar!\x1a\x07\x00" + bytes(64))
    assert refused.status_code == 415
    assert refused.json()["detail"] == "This type of file is not accepted (application/vnd.rar)."
    assert "message" not in refused.json()  # the API speaks English unless asked
    french = send(client, auth, "outil.zip", b"Rar!\x1a\x07\x00" + bytes(64), "?lang=fr").json()
    assert french["message"].startswith("Ce type de fichier n'est pas accepté : archive RAR (application/vnd.rar).")
    english = send(client, auth, "outil.zip", b"Rar!\x1a\x07\x00" + bytes(64), "?lang=en").json()
    assert english["message"].startswith("This type of file is not accepted: RAR archive (application/vnd.rar).")
    empty = send(client, auth, "vide.txt", b"", "?lang=en")
    assert empty.status_code == 422 and empty.json()["message"] == "The file is empty."
    assert blobs(app) == []


@pytest.fixture
def small_site(settings):  # type: ignore[no-untyped-def]
    application = create_app(settings.model_copy(update={"max_upload_bytes": 2_000}))
    with TestClient(application, base_url="https://testserver") as c:
        yield application, c
    application.state.engine.dispose()


@one_database  # sizes and counts of one person's drafts: no SQL that could differ
def test_a_file_over_the_limit_is_413_and_one_person_s_drafts_are_bounded(small_site, session):
    app, client = small_site
    make_user(session, "alice")
    headers = token_for(client, "alice")
    over = send(client, headers, "long.txt", b"x" * 2_001, "?lang=fr")
    assert over.status_code == 413
    assert (
        over.json()["message"]
        == "Le fichier dépasse la taille permise : un fichier joint peut peser au plus 2\u00a0ko."
    )
    huge = send(client, headers, "énorme.txt", b"x" * 200_000, "?lang=en")  # refused before it is read
    assert huge.status_code == 413
    assert huge.json()["message"] == "The file is larger than allowed: an attached file may weigh at most 2\u00a0KB."

    # Ten uploads of the largest size wait at most, together.
    sent = [send(client, headers, f"{i}.txt", b"y" * 2_000) for i in range(drafts.PENDING_UPLOADS)]
    assert [r.status_code for r in sent] == [201] * drafts.PENDING_UPLOADS
    full = send(client, headers, "encore.txt", b"z" * 10, "?lang=fr")
    assert full.status_code == 409
    assert full.json()["message"].startswith(
        "Vos fichiers envoyés qu'aucune note enregistrée ne montre pèseraient ensemble plus de 19,5\u00a0ko"
    )
    # Someone else still may; and once a note shows one, it no longer waits.
    make_user(session, "bruno")
    assert send(client, token_for(client, "bruno"), "b.txt", b"z" * 10).status_code == 201
    body = sent[0].json()["markdown"]
    assert client.post("/api/v1/notes", json={"title": "Liste", "body": body}, headers=headers).status_code == 201
    assert send(client, headers, "encore.txt", b"z" * 10).status_code == 201


@one_database  # one person's count of drafts: no SQL that could differ
def test_fifty_drafts_wait_at_most(client, auth):
    for i in range(drafts.MAX_PENDING):
        assert send(client, auth, f"{i}.txt", f"note {i}".encode()).status_code == 201
    refused = send(client, auth, "de trop.txt", b"encore", "?lang=en")
    assert refused.status_code == 409
    assert refused.json()["message"] == (
        "You already have 50 uploaded files that no saved note shows: save the note that shows them, "
        "or wait until they expire, 24 hours after their upload."
    )


# --- claimed by a save -------------------------------------------------------------------------


def test_creating_a_note_claims_the_drafts_its_text_shows(app, client, session, alice, auth):
    image = send(client, auth, "carte.png", png((300, 200))).json()
    pdf = send(client, auth, "rapport.pdf", PDF).json()
    unused = send(client, auth, "oublié.pdf", PDF + b"%autre").json()
    text = f"Voici la carte :\n\n{image['markdown']}\n\nEt [le rapport]({pdf['url']})."  # a path, and a full URL
    created = client.post("/api/v1/notes", json={"title": "Terrain", "body": text}, headers=auth)
    assert created.status_code == 201, created.text
    note = created.json()
    shown = f"/n/{note['id']}/files/{image['id']}/carte.png"
    assert note["body"] == (
        f"Voici la carte :\n\n![carte.png]({shown})\n\nEt [le rapport]({SITE}/n/{note['id']}/files/{pdf['id']}/rapport.pdf)."
    )
    assert f'<img src="{shown}" alt="carte.png"' in note["html"]
    revision = client.get(f"/api/v1/notes/{note['id']}/revisions/1", headers=auth).json()
    assert revision["body"] == note["body"]  # the history never says a draft's address
    listed = client.get(f"/api/v1/notes/{note['id']}/files").json()
    assert [(f["id"], f["note_id"]) for f in listed] == [(image["id"], note["id"]), (pdf["id"], note["id"])]
    assert note_of(app, unused["id"]) is None  # what the text does not show stays a draft

    visitor = browser_for(app, session, None)  # a public note's files are for every reader
    assert visitor.get(shown).status_code == 200
    assert visitor.get(f"/n/{note['id']}/files/{image['id']}/thumb").status_code == 200
    # The draft's address leads its readers to the note's file.
    moved = visitor.get(local(image["url"]), follow_redirects=False)
    assert moved.status_code == 302 and moved.headers["location"] == shown
    assert visitor.get(local(unused["url"])).status_code == 404


def test_saving_a_note_claims_the_drafts_its_new_text_shows(app, client, session, alice, auth):
    note = make_note(session, alice, title="Carnet de terrain", visibility="restricted")
    draft = send(client, auth, "plan.pdf", PDF).json()
    saved = client.patch(
        f"/api/v1/notes/{note.id}",
        json={"base_revision": note.revision, "body": f"{note.body}\n\n{draft['markdown']}"},
        headers=auth,
    )
    assert saved.status_code == 200, saved.text
    path = f"/n/{note.id}/files/{draft['id']}/plan.pdf"
    assert saved.json()["body"].endswith(f"[plan.pdf]({path})")
    assert note_of(app, draft["id"]) == note.id
    # Served as the note's other files: to its readers only, now.
    assert browser_for(app, session, alice).get(path).status_code == 200
    assert browser_for(app, session, None).get(path).status_code == 404
    assert browser_for(app, session, None).get(local(draft["url"])).status_code == 404


def test_someone_else_s_draft_is_left_as_text(app, client, session, alice, auth):
    draft = send(client, auth, "carte.png", png((120, 90))).json()
    make_user(session, "bruno")
    bruno = token_for(client, "bruno")
    text = f"Copié de chez Alice : {draft['markdown']}"
    note = client.post("/api/v1/notes", json={"title": "Emprunt", "body": text}, headers=bruno).json()
    assert note["body"] == text  # never claimed: the address is left as written
    assert client.get(f"/api/v1/notes/{note['id']}/files").json() == []
    assert note_of(app, draft["id"]) is None
    assert browser_for(app, session, alice).get(local(draft["url"])).status_code == 200  # still Alice's draft
    # Nor is an address elsewhere that only looks like one.
    mine = send(client, auth, "b.pdf", PDF).json()
    lookalike = f"[ailleurs](https://ailleurs.example/envois/{mine['id']}/b.pdf)"
    kept = client.post("/api/v1/notes", json={"title": "Ailleurs", "body": lookalike}, headers=auth).json()
    assert kept["body"] == lookalike and note_of(app, mine["id"]) is None


def test_a_refused_save_claims_nothing(app, client, session, alice, auth):
    draft = send(client, auth, "carte.png", png((120, 90))).json()
    refused = client.post(
        "/api/v1/notes",
        json={"title": "Refusée", "body": draft["markdown"], "links": ["Nulle part"]},
        headers=auth,
    )
    assert refused.status_code == 422
    assert note_of(app, draft["id"]) is None
    assert browser_for(app, session, alice).get(local(draft["url"])).status_code == 200
    # A stale save neither.
    note = make_note(session, alice, title="Deux fois")
    client.patch(f"/api/v1/notes/{note.id}", json={"base_revision": note.revision, "body": "Autre."}, headers=auth)
    stale = client.patch(
        f"/api/v1/notes/{note.id}", json={"base_revision": note.revision, "body": draft["markdown"]}, headers=auth
    )
    assert stale.status_code == 409 and note_of(app, draft["id"]) is None


def test_a_draft_claimed_meanwhile_refuses_the_second_save(app, client, session, alice, auth):
    """Two notes saved with the same draft at the same moment: the save that claims it second
    is refused, and rolls back (its text would show a file that is not its own)."""
    draft = send(client, auth, "carte.png", png((120, 90))).json()
    first = make_note(session, alice, title="Première", body=draft["markdown"])
    second = make_note(session, alice, title="Seconde")
    assert note_of(app, draft["id"]) == first.id
    with pytest.raises(Conflict, match="no longer waiting"):
        drafts.claim(session, alice, second.id, [draft["id"]])
    session.rollback()
    assert note_of(app, draft["id"]) == first.id


# --- swept after 24 hours ----------------------------------------------------------------------


def test_drafts_left_24_hours_are_deleted_with_their_blob_unless_a_note_holds_it(app, client, session, alice, auth):
    shared, alone, fresh = png((200, 100)), png((100, 200)), PDF
    old = send(client, auth, "ancienne.png", shared).json()
    lonely = send(client, auth, "seule.png", alone).json()
    recent = send(client, auth, "récente.pdf", fresh).json()
    note = make_note(session, alice, title="Note")
    attached = client.post(f"/api/v1/notes/{note.id}/files", files={"file": ("même.png", shared)}, headers=auth)
    assert attached.status_code == 201
    assert len(blobs(app)) == 3
    backdate(app, old["id"], 24.5)
    backdate(app, lonely["id"], 30)
    backdate(app, recent["id"], 23.5)

    swept = media_service.sweep_drafts(app.state.engine, app.state.settings, app.state.files)
    assert swept == 2
    assert not exists(app, old["id"]) and not exists(app, lonely["id"]) and exists(app, recent["id"])
    assert len(blobs(app)) == 2  # the lonely image's bytes went; the note still holds the other's
    thumbs = app.state.settings.data_dir / "uploads" / "thumbs"
    assert len(list(thumbs.glob("??/*.webp"))) == 1
    assert client.get(local(attached.json()["url"])).content == shared
    assert browser_for(app, session, alice).get(local(old["url"])).status_code == 404


def test_each_draft_upload_and_the_indexer_s_sweeper_delete_expired_drafts(app, client, auth):
    old = send(client, auth, "ancienne.pdf", PDF).json()
    backdate(app, old["id"], 25)
    assert send(client, auth, "nouvelle.pdf", PDF + b"%2").status_code == 201  # a site only uploaded to sheds them too
    assert not exists(app, old["id"])

    older = send(client, auth, "autre.pdf", PDF + b"%3").json()
    backdate(app, older["id"], 48)
    stop = threading.Event()
    stop.set()  # one round, as `praxis indexer` makes at its start, then hourly
    drafts.sweep_every(app.state.engine, app.state.settings, stop)
    assert not exists(app, older["id"])
