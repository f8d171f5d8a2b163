"""`praxis backup` and `praxis restore`: a snapshot taken while a real server writes, brought back
into an empty site, and every way an archive or a target can be refused."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import secrets
import subprocess
import sys
import tarfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from PIL import Image
from typer.testing import CliRunner

from praxis import backup as backups
from praxis.app import create_app
from praxis.cli import app as cli
from praxis.config import Settings
from praxis.db import current_revision, head_revision, make_engine, upgrade
from praxis.search import make_index
from tests.conftest import empty_pg_database
from tests.factories import make_note, make_user, token_for
from tests.servers import serve, wait_until

PASSWORD = "mot-de-passe-sauvegarde"
SHARED = b"Compte rendu commun a plusieurs notes.\n" * 40
runner = CliRunner()


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(cli, list(args), catch_exceptions=False)


def use_site(monkeypatch: pytest.MonkeyPatch, data_dir: Path, url: str | None) -> None:
    """Point the command line at a site: its data dir, and its database on PostgreSQL."""
    monkeypatch.setenv("PRAXIS_DATA_DIR", str(data_dir))
    for name in ("PRAXIS_DATABASE_URL", "PRAXIS_SECRET_KEY", "PRAXIS_SEARCH_BACKEND"):
        monkeypatch.delenv(name, raising=False)
    if url:
        monkeypatch.setenv("PRAXIS_DATABASE_URL", url)


@pytest.fixture
def target(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[Path, str | None]]:
    """Where a restore goes: a data dir that does not exist yet, and an empty PostgreSQL database."""
    if backend == "sqlite":
        yield tmp_path / "restored", None
        return
    with empty_pg_database(request) as url:
        yield tmp_path / "restored", url


@contextmanager
def open_site(data_dir: Path, url: str | None) -> Iterator[TestClient]:
    settings = Settings(data_dir=data_dir, database_url=url, content_dir=data_dir / "no-content")
    application = create_app(settings)
    try:
        with TestClient(application) as client:
            yield client
    finally:
        application.state.engine.dispose()


def tables_in(url: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.exec_driver_sql(
                "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
            ).scalar()
    finally:
        engine.dispose()


def consistency_problems(engine: sa.Engine) -> list[tuple]:
    """Notes whose current revision has no row, or a row that says something else, or a gap."""
    with engine.connect() as conn:
        return list(
            conn.exec_driver_sql(
                "SELECT n.id, n.revision FROM note n LEFT JOIN revision r ON r.note_id = n.id AND r.number = n.revision "
                "WHERE r.id IS NULL OR r.title <> n.title OR r.body <> n.body "
                "OR (SELECT count(*) FROM revision x WHERE x.note_id = n.id) <> n.revision"
            )
        )


def path_of(url: str) -> str:
    return urlsplit(url).path


# --- a real server writing while the backup runs ---------------------------------------------


@dataclass
class Ledger:
    """What the writer sent and what the server acknowledged (2xx), with monotonic times."""

    contents: dict[str, dict[int, tuple[str, str]]] = field(default_factory=dict)  # note -> revision -> (title, body)
    note_acks: dict[str, dict[int, float]] = field(default_factory=dict)  # note -> revision -> acknowledged at
    files: dict[str, tuple[str, bytes, float]] = field(default_factory=dict)  # file -> (note, bytes, acknowledged at)
    deleting: set[str] = field(default_factory=set)  # files whose deletion was sent
    deleted: dict[str, float] = field(default_factory=dict)  # file -> deletion acknowledged at
    errors: list[str] = field(default_factory=list)

    def acks(self) -> list[float]:
        return (
            [t for revs in self.note_acks.values() for t in revs.values()]
            + [f[2] for f in self.files.values()]
            + list(self.deleted.values())
        )


def _write(base: str, headers: dict[str, str], stop: threading.Event, ledger: Ledger) -> None:
    """Create notes, edit half of them, attach files to some and delete some of those, until told."""
    shared: str | None = None
    n = 0
    with httpx.Client(base_url=base, headers=headers, timeout=30) as http:
        while not stop.is_set():
            n += 1
            try:
                created = http.post(
                    "/api/v1/notes",
                    json={"title": f"Relevé {n}", "body": f"Chantier numéro {n} : mot{n} et notes de terrain."},
                )
                if created.status_code != 201:
                    ledger.errors.append(f"create {created.status_code}")
                    continue
                note = created.json()
                ledger.contents[note["id"]] = {1: (note["title"], note["body"])}
                ledger.note_acks[note["id"]] = {1: time.monotonic()}
                if n % 2 == 0:
                    body = note["body"] + " Révisé après la rencontre."
                    ledger.contents[note["id"]][2] = (note["title"], body)  # sent: may be in the snapshot
                    edited = http.patch(f"/api/v1/notes/{note['id']}", json={"base_revision": 1, "body": body})
                    if edited.status_code == 200:
                        assert edited.json()["revision"] == 2 and edited.json()["body"] == body
                        ledger.note_acks[note["id"]][2] = time.monotonic()
                uploads = []
                if n % 3 == 0:
                    uploads.append(f"Relevé de terrain {n}\n{secrets.token_hex(200)}\n".encode())
                if n % 4 == 0:
                    uploads.append(SHARED)
                for data in uploads:
                    sent = http.post(f"/api/v1/notes/{note['id']}/files", files={"file": (f"releve-{n}.txt", data)})
                    if sent.status_code != 201:
                        ledger.errors.append(f"upload {sent.status_code}")
                        continue
                    file_id = sent.json()["id"]
                    ledger.files[file_id] = (note["id"], data, time.monotonic())
                    # Delete some files: a unique one (its blob goes) or the previous shared one (its blob stays).
                    doomed = file_id if (data is not SHARED and n % 6 == 0) else (shared if data is SHARED else None)
                    if data is SHARED:
                        shared = file_id
                    if doomed:
                        owner = ledger.files[doomed][0]
                        ledger.deleting.add(doomed)
                        gone = http.delete(f"/api/v1/notes/{owner}/files/{doomed}")
                        if gone.status_code == 204:
                            ledger.deleted[doomed] = time.monotonic()
            except httpx.HTTPError as exc:
                ledger.errors.append(repr(exc))
                return


@pytest.mark.slow
def test_backup_while_the_server_writes_then_restore(tmp_path, unmigrated_database_url, target, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRAXIS_")}
    env.update(
        PRAXIS_DATA_DIR=str(site / "data"), PRAXIS_CONTENT_DIR=str(site / "no-content"), PRAXIS_PASSWORD=PASSWORD
    )
    if unmigrated_database_url:
        env["PRAXIS_DATABASE_URL"] = unmigrated_database_url
    use_site(monkeypatch, site / "data", unmigrated_database_url)
    monkeypatch.setenv("PRAXIS_PASSWORD", PASSWORD)
    assert run("user", "create", "admin", "--admin").exit_code == 0  # in process: one server start less

    server = serve(site, env)
    base = server.base
    try:
        token = httpx.post(base + "/api/v1/auth/token", json={"username": "admin", "password": PASSWORD}).json()[
            "access_token"
        ]
        headers = {"Authorization": f"Bearer {token}"}
        stop, ledger = threading.Event(), Ledger()
        writer = threading.Thread(target=_write, args=(base, headers, stop, ledger))
        writer.start()
        wait_until(
            lambda: (len(ledger.contents) >= 8 and len(ledger.deleted) >= 1) or ledger.errors,
            timeout=60,
            message="the writer made too little before the backup",
        )
        archive = tmp_path / "site.tar"
        began = time.monotonic()  # every write acknowledged before this must be in the backup
        backed_up = subprocess.run(
            [sys.executable, "-m", "praxis", "backup", str(archive)], cwd=site, env=env, capture_output=True, text=True
        )
        ended = time.monotonic()
        made = len(ledger.note_acks)
        # The writer goes on past the backup's end: a note acknowledged after it (or a failure).
        wait_until(
            lambda: len(ledger.note_acks) > made or ledger.errors,
            timeout=60,
            message="the writer stopped writing during the backup",
        )
        stop.set()
        writer.join(timeout=30)
    finally:
        out = server.stop()
        assert server.returncode == 0, out
    assert backed_up.returncode == 0, backed_up.stderr
    assert "Backed up" in backed_up.stdout and not backed_up.stderr
    assert archive.is_file() and not archive.with_name("site.tar.partial").exists()
    assert archive.stat().st_mode & 0o077 == 0  # it holds the secret key and password hashes
    assert not ledger.errors, ledger.errors
    acks = ledger.acks()
    assert sum(1 for t in acks if t < began) >= 8
    assert any(began <= t <= ended for t in acks), "no write was acknowledged while the backup ran"
    assert not list((site / "data" / "uploads" / "tmp").glob("backup-*")), "the staging links were left behind"

    data_dir, url = target
    use_site(monkeypatch, data_dir, url)
    restored = run("restore", str(archive))
    assert restored.exit_code == 0, restored.output
    assert "Restored" in restored.stdout
    assert (data_dir / "secret_key").read_bytes() == (site / "data" / "secret_key").read_bytes()

    settings = Settings(data_dir=data_dir, database_url=url)
    engine = make_engine(settings)
    try:
        assert current_revision(engine) == head_revision(engine)
        assert consistency_problems(engine) == []
        with engine.connect() as conn:
            notes = {
                row[0]: (row[1], row[2], row[3])
                for row in conn.exec_driver_sql("SELECT id, revision, title, body FROM note")
            }
            attachments = {
                row[0]: (row[1], row[2]) for row in conn.exec_driver_sql("SELECT id, note_id, sha256 FROM attachment")
            }
        index = make_index(settings, engine)
        try:  # the restore built the search index itself, before any server started
            assert index.is_current() and index.document_ids() == set(notes)
        finally:
            index.close()
    finally:
        engine.dispose()

    # Every note acknowledged before the backup began is there, at least at the revision then
    # acknowledged; every note there holds exactly what was written at its revision.
    for note_id, revisions in ledger.note_acks.items():
        before = [rev for rev, t in revisions.items() if t < began]
        if before:
            assert note_id in notes, f"note {note_id}, acknowledged before the backup, is missing"
            assert notes[note_id][0] >= max(before)
    for note_id, (revision, title, body) in notes.items():
        assert ledger.contents[note_id][revision] == (title, body)
    # Files: those acknowledged before (and never deleted) are there; those whose deletion was
    # acknowledged before are not; every file there belongs to a write that was made, whole.
    for file_id, (note_id, _data, t) in ledger.files.items():
        if t < began and file_id not in ledger.deleting:
            assert file_id in attachments, f"file {file_id}, acknowledged before the backup, is missing"
        if ledger.deleted.get(file_id, began) < began:
            assert file_id not in attachments, f"file {file_id}, deleted before the backup, is back"
    for file_id, (note_id, sha256) in attachments.items():
        assert ledger.files[file_id][0] == note_id and hashlib.sha256(ledger.files[file_id][1]).hexdigest() == sha256

    with open_site(data_dir, url) as client:
        http_headers = headers  # bearer tokens live in the database: the same one still signs in
        for note_id, (revision, title, body) in notes.items():
            read = client.get(f"/api/v1/notes/{note_id}", headers=http_headers).json()
            assert (read["revision"], read["title"], read["body"]) == (revision, title, body)
            for listed in client.get(f"/api/v1/notes/{note_id}/files", headers=http_headers).json():
                got = client.get(path_of(listed["url"]), headers=http_headers)
                assert got.status_code == 200 and got.content == ledger.files[listed["id"]][1]
        found = client.get("/api/v1/search", params={"q": "chantier", "per_page": 1}, headers=http_headers).json()
        assert found["total"] == len(notes)
        for note_id in sorted(notes)[:5]:
            word = notes[note_id][2].split(" : ")[1].split()[0]  # "mot17"
            hits = client.get("/api/v1/search", params={"q": word}, headers=http_headers).json()
            assert [item["id"] for item in hits["items"]] == [note_id]


# --- a small site, in process ----------------------------------------------------------------


def png() -> bytes:
    out = io.BytesIO()
    Image.effect_noise((320, 200), 64).convert("RGB").save(out, "PNG")
    return out.getvalue()


@dataclass
class Site:
    settings: Settings
    headers: dict[str, str]
    notes: list[str]
    files: dict[str, bytes]  # file id -> bytes


@pytest.fixture
def small_site(client, session, settings, monkeypatch) -> Site:
    """Three notes (one edited), an image (with its thumbnail), and one text attached to two notes."""
    alice = make_user(session, "alice", name="Alice Rivard")
    headers = token_for(client, "alice")
    notes = [make_note(session, alice, title=f"Relevé {i}", body=f"Chantier numéro {i}, mot{i}.").id for i in range(3)]
    assert (
        client.patch(
            f"/api/v1/notes/{notes[0]}", json={"base_revision": 1, "body": "Révisé."}, headers=headers
        ).status_code
        == 200
    )
    files = {}
    for note_id, name, data in (
        (notes[0], "photo.png", png()),
        (notes[1], "commun.txt", SHARED),
        (notes[2], "commun.txt", SHARED),
    ):
        sent = client.post(f"/api/v1/notes/{note_id}/files", files={"file": (name, data)}, headers=headers)
        assert sent.status_code == 201, sent.text
        files[sent.json()["id"]] = data
    use_site(monkeypatch, settings.data_dir, settings.database_url)
    return Site(settings, headers, notes, files)


def members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}  # type: ignore[union-attr]


def rewrite(
    source: Path,
    dest: Path,
    *,
    manifest: dict | None = None,
    drop: str | None = None,
    replace: dict[str, bytes] | None = None,
) -> Path:
    """A copy of an archive with its manifest changed, a member left out or replaced."""
    with tarfile.open(dest, "w") as out:
        for name, data in members(source).items():
            if name == drop:
                continue
            if name == "manifest.json" and manifest:
                data = json.dumps({**json.loads(data), **manifest}).encode()
            data = (replace or {}).get(name, data)
            info = tarfile.TarInfo(name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    return dest


def test_restore_brings_back_notes_files_thumbnails_and_search(small_site, client, tmp_path, target, monkeypatch):
    feed_ids = re.findall(r"<id>([^<]+)</id>", client.get("/feed.atom").text)
    archive = tmp_path / "site.tar"
    made = run("backup", str(archive))
    assert made.exit_code == 0, made.output
    assert "Backed up 3 notes, 4 revisions and 2 files" in made.stdout  # two files: the text is one blob
    inside = members(archive)
    manifest = json.loads(inside["manifest.json"])
    assert manifest["format"] == "praxis-backup" and manifest["version"] == 1
    assert manifest["counts"] == {"notes": 3, "revisions": 4, "files": 3}
    assert manifest["alembic_revision"] == head_revision(make_engine(small_site.settings))
    assert manifest["uploads"] == {"blobs": 2, "thumbnails": 1, "bytes": manifest["uploads"]["bytes"]}
    assert not any(name.startswith(("search/", "uploads/tmp")) for name in inside)
    assert list(inside)[0] == "manifest.json"

    data_dir, url = target
    use_site(monkeypatch, data_dir, url)
    restored = run("restore", str(archive))
    assert restored.exit_code == 0, restored.output
    assert "Restored 3 notes, 4 revisions and 2 files" in restored.stdout and "indexed 3 notes" in restored.stdout
    with open_site(data_dir, url) as client:
        headers = small_site.headers
        assert client.get(f"/api/v1/notes/{small_site.notes[0]}", headers=headers).json()["body"] == "Révisé."
        for note_id in small_site.notes:
            for listed in client.get(f"/api/v1/notes/{note_id}/files", headers=headers).json():
                assert client.get(path_of(listed["url"])).content == small_site.files[listed["id"]]
                if listed["thumbnail_url"]:
                    thumb = client.get(path_of(listed["thumbnail_url"]))
                    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/webp"
        hits = client.get("/api/v1/search", params={"q": "mot2"}).json()
        assert [item["id"] for item in hits["items"]] == [small_site.notes[2]]
        # The site keeps its identity, so its feeds keep their ids (docs/features.md, "Feeds").
        assert re.findall(r"<id>([^<]+)</id>", client.get("/feed.atom").text) == feed_ids and len(feed_ids) == 4


def test_backup_refuses_an_existing_file(small_site, tmp_path):
    archive = tmp_path / "site.tar"
    archive.write_text("une autre sauvegarde")
    refused = run("backup", str(archive))
    assert refused.exit_code == 1 and len(refused.stderr.strip().splitlines()) == 1
    assert "exists" in refused.stderr and "Traceback" not in refused.output
    assert archive.read_text() == "une autre sauvegarde"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("site")) == ["site.tar"]


def test_restore_refuses_a_data_dir_that_is_not_empty(small_site, tmp_path, target, monkeypatch):
    archive = tmp_path / "site.tar"
    assert run("backup", str(archive)).exit_code == 0
    data_dir, url = target
    data_dir.mkdir()
    (data_dir / "notes.txt").write_text("à garder")
    use_site(monkeypatch, data_dir, url)
    refused = run("restore", str(archive))
    assert refused.exit_code == 1 and len(refused.stderr.strip().splitlines()) == 1
    assert "is not empty" in refused.stderr
    assert [p.name for p in data_dir.iterdir()] == ["notes.txt"]
    if url:
        assert tables_in(url) == 0


def test_restore_refuses_a_database_that_is_not_empty(small_site, tmp_path, target, monkeypatch):
    archive = tmp_path / "site.tar"
    assert run("backup", str(archive)).exit_code == 0
    data_dir, url = target
    if url is None:  # SQLite: a database file where PRAXIS_DATABASE_URL points, outside the data dir
        existing = tmp_path / "elsewhere.db"
        existing.write_bytes(b"")
        use_site(monkeypatch, data_dir, f"sqlite:///{existing}")
    else:
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE kept (id int)")
        engine.dispose()
        use_site(monkeypatch, data_dir, url)
    refused = run("restore", str(archive))
    assert refused.exit_code == 1 and len(refused.stderr.strip().splitlines()) == 1
    assert "exists" in refused.stderr or "already has tables" in refused.stderr
    assert not data_dir.exists()
    if url:
        assert tables_in(url) == 1


DAMAGES = {  # how an archive is spoilt -> what the one line says
    "text": "is not a Praxis backup",
    "empty": "is not a Praxis backup",
    "zip": "is not a Praxis backup",
    "no-manifest": "is not a Praxis backup",
    "cut-in-half": "truncated",
    "cut-between-members": "truncated",
    "wrong-blob": "damaged",
    "stray-member": "unexpected entry",
    "incomplete-manifest": "manifest is incomplete",
    "newer-format": "newer Praxis",
    "newer-schema": "newer than this Praxis knows",
    "other-backend": "is a backup of a",
}


def spoil(damage: str, archive: Path, bad: Path, sqlite: bool) -> Path:
    inside = members(archive)
    blob = next(name for name in inside if name.startswith("uploads/") and "/thumbs/" not in name)
    if damage == "text":
        bad.write_text("Ceci n'est pas une sauvegarde.\n" * 100)
    elif damage == "empty":
        bad.write_bytes(b"")
    elif damage == "zip":
        bad.write_bytes(b"PK\x03\x04" + bytes(600))
    elif damage == "no-manifest":
        rewrite(archive, bad, drop="manifest.json")
    elif damage == "cut-in-half":
        bad.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    elif damage == "cut-between-members":
        rewrite(archive, bad, drop=list(inside)[-1])
    elif damage == "wrong-blob":
        rewrite(archive, bad, replace={blob: b"autre chose"})
    elif damage == "stray-member":
        with tarfile.open(bad, "w") as out, tarfile.open(archive) as src:
            for member in src.getmembers():
                out.addfile(member, src.extractfile(member))
            info = tarfile.TarInfo("../../etc/evil")
            info.size = 4
            out.addfile(info, io.BytesIO(b"evil"))
    elif damage == "incomplete-manifest":
        rewrite(archive, bad, manifest={"counts": None})
    elif damage == "newer-format":
        rewrite(archive, bad, manifest={"version": 99})
    elif damage == "newer-schema":
        rewrite(archive, bad, manifest={"alembic_revision": "9999"})
    elif damage == "other-backend":
        rewrite(archive, bad, manifest={"backend": "postgresql" if sqlite else "sqlite"})
    return bad


def test_restore_refuses_what_is_not_a_whole_backup(small_site, tmp_path, target, monkeypatch):
    archive = tmp_path / "site.tar"
    assert run("backup", str(archive)).exit_code == 0
    data_dir, url = target
    use_site(monkeypatch, data_dir, url)
    for damage, expected in DAMAGES.items():
        bad = spoil(damage, archive, tmp_path / f"{damage}.tar", small_site.settings.is_sqlite)
        refused = run("restore", str(bad))
        assert refused.exit_code == 1, (damage, refused.output)
        assert len(refused.stderr.strip().splitlines()) == 1 and "Traceback" not in refused.output, damage
        assert expected in refused.stderr, (damage, refused.stderr)
        assert not data_dir.exists(), damage  # nothing written, nothing left
        assert not (tmp_path.parent / "etc" / "evil").exists()
        if url:
            assert tables_in(url) == 0, damage
    assert run("restore", str(archive)).exit_code == 0  # the same target takes the whole archive


def test_a_file_deleted_while_the_backup_runs_is_neither_lost_nor_half_there(
    small_site, client, tmp_path, target, monkeypatch
):
    """The site removes a blob right after the snapshot that names it: the backup takes a new
    snapshot, in which the attachment is gone too."""
    image = next(file_id for file_id, data in small_site.files.items() if data != SHARED)
    original = backups._BlobLinker.link
    calls = []

    def delete_then_link(self, blobs):  # type: ignore[no-untyped-def]
        if not calls:
            gone = client.delete(f"/api/v1/notes/{small_site.notes[0]}/files/{image}", headers=small_site.headers)
            assert gone.status_code == 204
        calls.append(len(blobs))
        return original(self, blobs)

    monkeypatch.setattr(backups._BlobLinker, "link", delete_then_link)
    summary = backups.create_backup(small_site.settings, tmp_path / "site.tar")
    assert calls == [2, 1]  # the first snapshot named the image's blob, the second no longer does
    assert summary.counts["files"] == 2 and summary.files == 1 and not summary.missing and not summary.warnings

    data_dir, url = target
    use_site(monkeypatch, data_dir, url)
    assert run("restore", str(tmp_path / "site.tar")).exit_code == 0
    with open_site(data_dir, url) as restored:
        assert restored.get(f"/api/v1/notes/{small_site.notes[0]}/files").json() == []
        for note_id in small_site.notes[1:]:
            listed = restored.get(f"/api/v1/notes/{note_id}/files").json()
            assert len(listed) == 1 and restored.get(path_of(listed[0]["url"])).content == SHARED


def test_a_file_the_site_had_already_lost_is_reported_and_the_rest_backed_up(small_site, tmp_path, target, monkeypatch):
    sha256 = hashlib.sha256(SHARED).hexdigest()
    (small_site.settings.data_dir / "uploads" / sha256[:2] / sha256).unlink()
    archive = tmp_path / "site.tar"
    made = run("backup", str(archive))
    assert made.exit_code == 0, made.output
    assert "Warning: 1 attached file(s)" in made.stderr and "already missing" in made.stderr
    assert json.loads(members(archive)["manifest.json"])["missing_files"] == [sha256]

    data_dir, url = target
    use_site(monkeypatch, data_dir, url)
    restored = run("restore", str(archive))
    assert restored.exit_code == 0 and "already missing" in restored.stderr
    with open_site(data_dir, url) as client:
        listed = client.get(f"/api/v1/notes/{small_site.notes[1]}/files").json()
        assert client.get(path_of(listed[0]["url"])).status_code == 404  # as on the site backed up
        image = client.get(f"/api/v1/notes/{small_site.notes[0]}/files").json()[0]
        assert client.get(path_of(image["url"])).status_code == 200


def test_a_backup_of_an_older_schema_is_migrated_on_restore(tmp_path, unmigrated_database_url, target, monkeypatch):
    old = Settings(data_dir=tmp_path / "old", database_url=unmigrated_database_url)
    engine = make_engine(old)
    upgrade(engine, "0008")  # before attached files
    engine.dispose()
    summary = backups.create_backup(old, tmp_path / "old.tar")
    assert summary.revision == "0008" and summary.counts == {"notes": 0, "revisions": 0, "files": 0}

    data_dir, url = target
    use_site(monkeypatch, data_dir, url)
    restored = run("restore", str(tmp_path / "old.tar"))
    assert restored.exit_code == 0, restored.output
    assert "migrated from 0008 to" in restored.stdout
    engine = make_engine(Settings(data_dir=data_dir, database_url=url))
    try:
        assert current_revision(engine) == head_revision(engine)
    finally:
        engine.dispose()


def test_backup_of_a_site_without_a_database_says_so(tmp_path, monkeypatch):
    use_site(monkeypatch, tmp_path / "nothing", None)
    refused = run("backup", str(tmp_path / "site.tar"))
    assert refused.exit_code == 1 and "nothing to back up" in refused.stderr
    assert not (tmp_path / "site.tar").exists() and not (tmp_path / "site.tar.partial").exists()
    assert not (tmp_path / "nothing").exists()
