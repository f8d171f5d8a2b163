"""A data folder that fills up or turns read-only under a running site: writes get a clear
error and save nothing, reads keep working, nothing saved is lost, and once the disk is
writable again the site writes and the search index catches up.

The data folder is a small file system the test mounts itself (these tests need root): a
tmpfs to fill, and for a folder that turns read-only while files are open in it, an ext4
image mounted with `errors=remount-ro` whose error the test triggers, as a failing disk
would (a plain `mount -o remount,ro` is refused while the database is open for writing).
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest

from tests.factories import csrf_from, make_user, token_for
from tests.servers import serve, wait_until

PASSWORD = "mot-de-passe-disque"


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), capture_output=True, text=True)


def _require_mounting(tmp_path: Path) -> None:
    """These tests mount file systems: without root they fail, loudly, rather than skip."""
    probe = tmp_path / "mount-probe"
    probe.mkdir()
    done = _run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe))
    if done.returncode != 0:
        pytest.fail(
            f"the disk tests mount a small file system as the data folder and need root: mount said "
            f"{done.stderr.strip() or done.returncode}"
        )
    _run("umount", str(probe))


@contextmanager
def _tmpfs(path: Path, size: str) -> Iterator[Path]:
    path.mkdir(parents=True, exist_ok=True)
    done = _run("mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path))
    assert done.returncode == 0, done.stderr
    try:
        yield path
    finally:
        _run("umount", "-l", str(path))


@contextmanager
def _ext4(path: Path, image: Path) -> Iterator[str]:
    """An ext4 file system on a loop device, mounted at `path`; yields its device name."""
    for tool in ("mkfs.ext4", "losetup"):
        if shutil.which(tool) is None:
            pytest.fail(f"the read-only test needs {tool} (e2fsprogs, util-linux) and loop devices")
    done = _run("truncate", "-s", "16M", str(image))
    assert done.returncode == 0, done.stderr
    done = _run("mkfs.ext4", "-q", "-F", str(image))
    assert done.returncode == 0, done.stderr
    path.mkdir(parents=True, exist_ok=True)
    done = _run("mount", "-o", "loop,errors=remount-ro", str(image), str(path))
    if done.returncode != 0:
        pytest.fail(f"the read-only test mounts an ext4 image on a loop device: mount said {done.stderr.strip()}")
    try:
        device = _run("findmnt", "-no", "SOURCE", str(path)).stdout.strip()
        yield os.path.basename(device)
    finally:
        _run("umount", "-l", str(path))


def _fill(folder: Path, leave: int = 0) -> Path:
    """Take all the room left in `folder`'s file system but `leave` bytes; the filler's path."""
    filler = folder / "filler"
    stats = os.statvfs(folder)
    room = stats.f_bavail * stats.f_frsize - leave
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        while room > 0:
            try:
                room -= os.write(fd, b"\0" * min(1 << 16, room))
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
                break
    finally:
        os.close(fd)
    return filler


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRAXIS_")}
    env.update(
        PRAXIS_DATA_DIR=str(tmp_path / "data"),
        PRAXIS_CONTENT_DIR=str(tmp_path / "no-content"),
        PRAXIS_PASSWORD=PASSWORD,
        PRAXIS_SECRET_KEY="disk-test",
    )
    return env


def _create_admin(tmp_path: Path, env: dict[str, str]) -> None:
    created = subprocess.run(
        [sys.executable, "-m", "praxis", "user", "create", "admin", "--admin"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert created.returncode == 0, created.stderr


def _clients(base: str) -> tuple[httpx.Client, httpx.Client]:
    """The API with a bearer token, and a browser signed in through the login form."""
    token = httpx.post(base + "/api/v1/auth/token", json={"username": "admin", "password": PASSWORD}).json()[
        "access_token"
    ]
    api = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    browser = httpx.Client(base_url=base, timeout=30)
    form = browser.get("/login")
    signed_in = browser.post(
        "/login", data={"username": "admin", "password": PASSWORD, "csrf_token": csrf_from(form.text), "next": "/"}
    )
    assert signed_in.status_code in (200, 303), signed_in.text
    return api, browser


def _post_form(
    browser: httpx.Client, title: str, body: str = "Écrit depuis le formulaire.", lang: str = "fr"
) -> httpx.Response:
    form = browser.get("/n/new", params={"lang": lang})
    assert form.status_code == 200
    return browser.post(
        f"/n/new?lang={lang}",
        data={
            "title": title,
            "body": body,
            "kind": "note",
            "visibility": "public",
            "csrf_token": csrf_from(form.text, "/n/new"),
        },
    )


def _found(api: httpx.Client, words: str) -> set[str]:
    answer = api.get("/api/v1/search", params={"q": words, "per_page": 100})
    assert answer.status_code == 200, answer.text
    return {item["id"] for item in answer.json()["items"]}


def _queued(data: Path) -> int:
    with sqlite3.connect(f"file:{data / 'praxis.db'}?mode=ro", uri=True) as db:
        return db.execute("SELECT count(*) FROM search_queue").fetchone()[0]


@pytest.mark.slow
def test_a_full_disk_refuses_writes_clearly_loses_nothing_and_recovers(tmp_path):
    _require_mounting(tmp_path)
    data, env = tmp_path / "data", _env(tmp_path)
    with ExitStack() as mounts:
        mounts.enter_context(_tmpfs(data, "8m"))
        _create_admin(tmp_path, env)
        mounts.enter_context(_tmpfs(data / "search", "4m"))  # the index's own disk, to fill alone
        server = serve(tmp_path, env)
        base = server.base
        api, browser = _clients(base)
        saved: dict[str, tuple[str, str]] = {}  # every acknowledged note: id -> (title, body)

        def write(title: str, body: str) -> httpx.Response:
            answer = api.post("/api/v1/notes", json={"title": title, "body": body})
            if answer.status_code == 201:
                saved[answer.json()["id"]] = (title, body)
            return answer

        try:
            for i in range(3):
                assert write(f"Relevé disque {i}", f"Premier relevé numéro {i}.").status_code == 201
            assert _found(api, "premier relevé") == set(saved) and _queued(data) == 0  # indexed, after the answer

            # 1. The search index's disk is full: notes are saved, their indexing waits in the queue.
            filler = _fill(data / "search")
            late = write("Relevé disque différé", "Indexation en attente.")
            assert late.status_code == 201
            assert _found(api, "différé") == set() and _queued(data) == 1
            filler.unlink()
            assert write("Relevé disque suivant", "Après la place libérée.").status_code == 201
            assert _found(api, "différé") == {late.json()["id"]}  # the queue kept it: applied by the next write
            assert _queued(data) == 0

            # 2. The data folder fills up while notes are written (the index's disk is full too).
            fillers = [_fill(data / "search"), _fill(data, leave=1024 * 1024)]
            refused = None
            for i in range(60):
                answer = write(
                    f"Relevé disque plein {i}", f"Relevé {i} du compteur d'eau, consommation mesurée. " * 1000
                )
                if answer.status_code != 201:
                    refused = answer
                    break
            assert refused is not None, "the disk never filled up"
            assert i > 0, "no note fitted before the disk was full"
            assert refused.status_code == 507, refused.text
            assert "disk is full" in refused.json()["detail"] and "nothing was saved" in refused.json()["detail"]
            # A smaller write may still fit in the room the refused one left in SQLite's log;
            # larger ones cannot.
            big = "Correction du relevé, consommation corrigée. " * 4000
            first = next(iter(saved))
            revised = api.patch(
                f"/api/v1/notes/{first}", json={"base_revision": 1, "title": "Relevé disque corrigé", "body": big}
            )
            assert revised.status_code == 507, revised.text
            upload = api.post(
                f"/api/v1/notes/{first}/files",
                files={"file": ("releve.txt", ("Relevé du compteur.\n" * 40000).encode(), "text/plain")},
            )
            assert upload.status_code == 507, upload.text
            assert not list((data / "uploads").rglob("upload-*")), "a refused upload left its temporary file"
            page = _post_form(browser, "Relevé disque par formulaire", big)
            assert page.status_code == 507 and "Le disque du serveur est plein" in page.text
            assert "rien n'a été enregistré" in page.text.replace("&#39;", "'")
            english = _post_form(browser, "Relevé disque par formulaire", big, lang="en")
            assert english.status_code == 507 and "The server's disk is full" in english.text.replace("&#39;", "'")
            # Reads keep working, and show everything acknowledged, nothing refused.
            listed = api.get("/api/v1/notes", params={"per_page": 100})
            assert listed.status_code == 200 and {i["id"] for i in listed.json()["items"]} == set(saved)
            assert api.get(f"/api/v1/notes/{first}").json()["revision"] == 1
            assert browser.get("/").status_code == 200 and browser.get(f"/n/{first}/").status_code == 200
            assert api.get("/api/v1/search", params={"q": "relevé"}).status_code == 200

            # 3. Room again: writes work, and every acknowledged note is whole and findable.
            for filler in fillers:
                filler.unlink()
            assert write("Relevé disque final", "La place est revenue.").status_code == 201
            assert (
                api.patch(
                    f"/api/v1/notes/{first}", json={"base_revision": 1, "title": "Relevé disque corrigé"}
                ).status_code
                == 200
            )
            saved[first] = ("Relevé disque corrigé", saved[first][1])
            for note_id, (title, body) in saved.items():
                note = api.get(f"/api/v1/notes/{note_id}").json()
                assert (note["title"], note["body"]) == (title, body)
            assert _found(api, "relevé disque") == set(saved)
            assert _queued(data) == 0
        finally:
            api.close()
            browser.close()
            out = server.stop()
        assert "Traceback" not in out, out
        assert "the storage is full" in out  # said once per refused write, in the server's log
        with sqlite3.connect(data / "praxis.db") as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

        # The index written between failures opens whole at the next start.
        server = serve(tmp_path, env)
        base = server.base
        try:
            with httpx.Client(base_url=base, timeout=30) as visitor:
                found = visitor.get("/api/v1/search", params={"q": "relevé disque", "per_page": 100}).json()
                assert {item["id"] for item in found["items"]} == set(saved)
        finally:
            server.stop()


@pytest.mark.slow
def test_a_data_folder_turned_read_only_while_serving_refuses_writes_and_keeps_reading(tmp_path):
    _require_mounting(tmp_path)
    data, env = tmp_path / "data", _env(tmp_path)
    with _ext4(data, tmp_path / "data.img") as device:
        _create_admin(tmp_path, env)
        server = serve(tmp_path, env)
        base = server.base
        api, browser = _clients(base)
        try:
            made = api.post(
                "/api/v1/notes", json={"title": "Relevé avant la panne", "body": "Écrit sur un disque sain."}
            )
            assert made.status_code == 201
            note_id = made.json()["id"]
            assert _found(api, "panne") == {note_id}  # indexed (a search applies what is still queued)

            # The disk fails: the kernel makes the file system read-only, open files included.
            Path(f"/sys/fs/ext4/{device}/trigger_fs_error").write_text("praxis read-only test\n")
            with pytest.raises(OSError) as refused_here:
                (data / "probe").write_text("x")
            assert refused_here.value.errno == errno.EROFS

            answers = [
                api.post("/api/v1/notes", json={"title": "Relevé pendant la panne", "body": "Jamais écrit."}),
                api.patch(f"/api/v1/notes/{note_id}", json={"base_revision": 1, "title": "Relevé corrigé"}),
                api.post(f"/api/v1/notes/{note_id}/comments", json={"body": "Un commentaire."}),
            ]
            for answer in answers:
                assert answer.status_code == 503, answer.text
                assert "read-only" in answer.json()["detail"] and "nothing was saved" in answer.json()["detail"]
            page = _post_form(browser, "Relevé par formulaire")
            assert page.status_code == 503 and "en lecture seule" in page.text
            english = _post_form(browser, "Relevé par formulaire", lang="en")
            assert english.status_code == 503 and "read-only" in english.text
            # Reading goes on: lists, notes, pages, search.
            listed = api.get("/api/v1/notes").json()
            assert [item["id"] for item in listed["items"]] == [note_id]
            note = api.get(f"/api/v1/notes/{note_id}").json()
            assert (note["title"], note["revision"]) == ("Relevé avant la panne", 1)
            assert browser.get(f"/n/{note_id}/").status_code == 200 and browser.get("/").status_code == 200
            assert _found(api, "panne") == {note_id}
        finally:
            api.close()
            browser.close()
            out = server.stop()
        assert "Traceback" not in out, out

        # Started on it, the server says why in one line and stops.
        again = subprocess.run(
            [sys.executable, "-m", "praxis", "serve", "--port", "1"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert again.returncode == 1
        assert (
            again.stderr.strip()
            == f"Error: the data folder {data} is read-only: Praxis writes its database, search index and attached files there"
        )
        assert "Traceback" not in again.stdout + again.stderr


@pytest.mark.slow
def test_serve_on_a_read_only_data_folder_exits_with_one_line(tmp_path):
    _require_mounting(tmp_path)
    data, env = tmp_path / "data", _env(tmp_path)
    with _tmpfs(data, "4m"):
        _create_admin(tmp_path, env)
        assert _run("mount", "-o", "remount,ro", str(data)).returncode == 0
        done = subprocess.run(
            [sys.executable, "-m", "praxis", "serve", "--port", "1"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 1, done
        assert done.stderr.strip().splitlines() == [
            f"Error: the data folder {data} is read-only: Praxis writes its database, search index and attached files there"
        ]
        assert "Traceback" not in done.stdout


def test_an_index_that_cannot_be_written_keeps_every_change_and_applies_it_later(app, client, session, monkeypatch):
    """A full disk under the index: documents are never dropped one by one, and once it has room
    the queue is applied again by itself, without waiting for another write."""
    make_user(session, "alice")
    headers = token_for(client, "alice")
    index = app.state.search.index
    apply = index.apply
    full = True

    def apply_when_there_is_room(upserts, removals):  # type: ignore[no-untyped-def]
        if full and upserts:  # a deletion, smaller, still fits
            raise OSError(errno.ENOSPC, "No space left on device")
        return apply(upserts, removals)

    monkeypatch.setattr(index, "apply", apply_when_there_is_room)
    app.state.search.retry_after = 0.2
    ids = [
        client.post(
            "/api/v1/notes", json={"title": f"Registre foncier {i}", "body": "Des parcelles."}, headers=headers
        ).json()["id"]
        for i in range(2)
    ]
    assert client.get("/api/v1/search", params={"q": "foncier"}).json()["total"] == 0
    full = False
    wait_until(
        lambda: client.get("/api/v1/search", params={"q": "foncier"}).json()["total"] >= 2,
        message="the queue was not applied again",
    )
    found = client.get("/api/v1/search", params={"q": "foncier"}).json()
    assert {item["id"] for item in found["items"]} == set(ids)


def test_a_search_index_write_refused_by_a_full_disk_leaves_nothing_behind(tmp_path):
    """Whoosh's half-written segment would keep the room the next attempt needs, and a commit
    failed half-way keeps Whoosh's lock: both are undone, and the index keeps its last commit."""
    _require_mounting(tmp_path)
    from datetime import datetime, timezone

    from praxis.search.documents import SearchDoc
    from praxis.search.whoosh_index import WhooshIndex

    def doc(i: int, words: int) -> SearchDoc:
        return SearchDoc(
            id=f"note{i:08d}",
            kind="note",
            title=f"Relevé {i}",
            body=" ".join(f"mot{i}x{k}" for k in range(words)),
            extra="",
            authors=("alice",),
            carnets=(),
            grants=("public",),
            date=datetime.now(timezone.utc),
        )

    with _tmpfs(tmp_path / "data", "1m") as data:
        index = WhooshIndex(data, procs=1)
        index.rebuild(iter([[doc(0, 10)]]))
        before = sorted(p.name for p in index.path.iterdir())
        filler = _fill(data, leave=64 * 1024)
        with pytest.raises(OSError) as refused:
            index.apply([doc(1, 20000)], [])  # far more than the room left
        assert refused.value.errno == errno.ENOSPC
        assert sorted(p.name for p in index.path.iterdir()) == before
        filler.unlink()
        started = time.monotonic()
        index.apply([doc(2, 10)], [])  # the lock is free: no 30 s wait for it
        assert time.monotonic() - started < 5
        assert index.document_ids() == {"note00000000", "note00000002"}
        index.close()
