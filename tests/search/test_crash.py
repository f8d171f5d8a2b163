"""A server killed in the middle of writing: after a restart, every acknowledged write is there,
no revision is partial, and database and index agree."""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.factories import bearer_at
from tests.servers import serve, wait_until

PASSWORD = "mot-de-passe-crash"
WRITERS = 3
ANSWERS = (40, 100)  # before each round's kill: about what 1.5 s and 2.5 s of writing gave on a busy 2-core machine


def _env(tmp_path: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRAXIS_")}
    env.update(
        PRAXIS_DATA_DIR=str(tmp_path / "data"),
        PRAXIS_CONTENT_DIR=str(tmp_path / "no-content"),
        PRAXIS_PASSWORD=PASSWORD,
        PRAXIS_SECRET_KEY="crash-test",
    )
    if database_url:
        env["PRAXIS_DATABASE_URL"] = database_url
    return env


def _bearer(base: str, username: str) -> dict[str, str]:
    return bearer_at(base, username, PASSWORD)


@dataclass
class Writer:
    """One person writing as fast as the server answers: notes, revisions, a carnet's notes and
    their order, comments. It keeps what each 2xx answer acknowledged, and what the one request
    the kill left unanswered would have done (it may or may not have been saved)."""

    tag: str
    http: httpx.Client
    rng: random.Random
    notes: dict[str, dict] = field(default_factory=dict)  # id -> revision, title, body as last acknowledged
    deleted: set[str] = field(default_factory=set)
    carnet: str | None = None
    order: list[str] = field(default_factory=list)  # the carnet's notes, in order
    comments: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (note id, body)
    unanswered: tuple = ()  # ("revision", id, state) | ("delete", id) | ("carnet", order) | ("other",)
    statuses: Counter = field(default_factory=Counter)
    answered: int = 0  # requests answered so far, read by the test's thread while this one writes
    commenting: bool = True
    failure: BaseException | None = None  # a surprise in the writer's own thread

    def send(self, method: str, url: str, body: dict | None, if_saved: tuple) -> httpx.Response:
        self.unanswered = if_saved
        response = self.http.request(method, url, json=body)
        self.unanswered = ()
        self.statuses[response.status_code] += 1
        self.answered += 1
        return response

    def run(self, stop: threading.Event) -> None:
        try:
            made = self.send("POST", "/api/v1/carnets", {"title": f"Carnet de chantier {self.tag}"}, ("other",))
            assert made.status_code == 201, made.text
            self.carnet = made.json()["id"]
            n = 0
            while not stop.is_set():
                n += 1
                self.step(n)
        except httpx.HTTPError:
            return  # the server died; `unanswered` says what the cut-off request was
        except BaseException as exc:  # noqa: BLE001 - handed to the test's thread
            self.failure = exc

    def step(self, n: int) -> None:
        title, body = f"Compte rendu {self.tag}-{n}", f"Rencontre numéro {n} de {self.tag}."
        created = self.send("POST", "/api/v1/notes", {"title": title, "body": body}, ("other",))
        if created.status_code != 201:
            return
        note_id = created.json()["id"]
        assert created.json()["revision"] == 1
        self.notes[note_id] = {"revision": 1, "title": title, "body": body}
        if n % 5 == 0:
            if self.send("DELETE", f"/api/v1/notes/{note_id}", None, ("delete", note_id)).status_code == 204:
                self.deleted.add(note_id)
                del self.notes[note_id]
            return
        # A revision of this note or of an earlier one.
        target = note_id if n % 3 else self.rng.choice(sorted(self.notes))
        before = self.notes[target]
        after = {
            "revision": before["revision"] + 1,
            "title": f"Compte rendu révisé {self.tag}-{n}",
            "body": f"Version {before['revision'] + 1}, rencontre {n} de {self.tag}.",
        }
        revised = self.send(
            "PATCH",
            f"/api/v1/notes/{target}",
            {"base_revision": before["revision"], "title": after["title"], "body": after["body"]},
            ("revision", target, after),
        )
        if revised.status_code == 200:
            assert revised.json()["revision"] == after["revision"]
            self.notes[target] = after
        self.change_carnet(n, note_id)
        if self.commenting and n % 2:
            text = f"Commentaire {self.tag}-{n} sur la rencontre."
            posted = self.send("POST", f"/api/v1/notes/{target}/comments", {"body": text}, ("other",))
            if posted.status_code == 201:
                self.comments[posted.json()["id"]] = (target, text)
            elif posted.status_code == 429:
                self.commenting = False  # ten comments per person in ten minutes

    def change_carnet(self, n: int, note_id: str) -> None:
        """Add the new note (at the end or at a rank), or move or take out one already there."""
        url = f"/api/v1/carnets/{self.carnet}/notes"
        order = list(self.order)
        if len(order) < 4 or n % 3 == 1:
            rank = self.rng.choice([None, 0, len(order) // 2])
            order.insert(len(order) if rank is None else min(rank, len(order)), note_id)
            answer = self.send(
                "POST",
                url,
                {"note_id": note_id, "position": rank} if rank is not None else {"note_id": note_id},
                ("carnet", order),
            )
            expected = 201
        elif n % 3 == 2:
            gone = order.pop(self.rng.randrange(len(order)))
            answer = self.send("DELETE", f"{url}/{gone}", None, ("carnet", order))
            expected = 204
        else:
            moving = order.pop(self.rng.randrange(len(order)))
            rank = self.rng.randrange(len(order) + 2)
            order.insert(min(rank, len(order)), moving)
            answer = self.send("PATCH", f"{url}/{moving}", {"position": rank}, ("carnet", order))
            expected = 200
        if answer.status_code == expected:
            self.order = order


def _kill_while_writing(
    tmp_path: Path, env: dict[str, str], answers: int, round_: int, tokens: dict[str, dict[str, str]]
) -> list[Writer]:
    """Start the server, write from WRITERS threads until they had `answers` answers, SIGKILL it. `tokens` keeps the
    writers' bearer tokens (in the database, they outlive the kill) from one round to the next."""
    server = serve(tmp_path, env)
    base = server.base
    writers = []
    for i in range(WRITERS):  # people of their own: the comment limit is per person
        username = f"redac{i}"
        if username not in tokens:
            tokens.setdefault("admin", _bearer(base, "admin"))
            made = httpx.post(
                base + "/api/v1/auth/register",
                headers=tokens["admin"],
                timeout=30,
                json={"username": username, "password": PASSWORD, "display_name": f"Rédaction {i}"},
            )
            assert made.status_code == 201, made.text
            tokens[username] = _bearer(base, username)
        http = httpx.Client(base_url=base, headers=tokens[username], timeout=30)
        writers.append(Writer(tag=f"{round_}{i}", http=http, rng=random.Random(f"{round_}-{i}")))
    stop = threading.Event()
    threads = [threading.Thread(target=w.run, args=(stop,)) for w in writers]
    for t in threads:
        t.start()
    # Killed after so many writes rather than so many seconds: the kill lands in the middle of as
    # much writing on a loaded machine as on an idle one.
    try:
        wait_until(
            lambda: sum(w.answered for w in writers) >= answers or not all(t.is_alive() for t in threads),
            timeout=120,
            message=lambda: f"{sum(w.answered for w in writers)} answers of {answers}:\n{server.output()}",
        )
    finally:
        server.stop(signal.SIGKILL, timeout=10)  # no shutdown, no cleanup: a power cut
        stop.set()
    for t in threads:
        t.join(timeout=30)
        assert not t.is_alive()
    for w in writers:
        w.http.close()
        assert w.failure is None, repr(w.failure)
        # Every refusal is one the test expects: the comment limit, never a server error.
        assert set(w.statuses) <= {200, 201, 204, 429}, w.statuses
    assert sum(len(w.notes) + len(w.deleted) for w in writers) > 5, (
        "the server wrote too little before the kill to test anything"
    )
    return writers


def _pages(http: httpx.Client, url: str, params: dict) -> list[dict]:
    items, page = [], 1
    while True:
        answer = http.get(url, params={**params, "per_page": 100, "page": page})
        assert answer.status_code == 200, answer.text
        items += answer.json()["items"]
        if page * 100 >= answer.json()["total"]:
            return items
        page += 1


def _check_revisions(http: httpx.Client, note_id: str) -> dict:
    """The note and its history: numbers 1..N without a gap, each revision whole, the last one the note."""
    note = http.get(f"/api/v1/notes/{note_id}").json()
    numbers = sorted(r["number"] for r in http.get(f"/api/v1/notes/{note_id}/revisions").json())
    assert numbers == list(range(1, note["revision"] + 1)), (note_id, numbers, note["revision"])
    for number in numbers:
        revision = http.get(f"/api/v1/notes/{note_id}/revisions/{number}").json()
        assert revision["title"] and revision["body"] and revision["html"], (note_id, number, revision)
        if number == note["revision"]:
            assert (revision["title"], revision["body"]) == (note["title"], note["body"]), note_id
    return note


def _check_acknowledged(http: httpx.Client, writers: list[Writer], notes: dict[str, dict], listed: set[str]) -> None:
    for w in writers:
        cut = w.unanswered
        for note_id, saved in w.notes.items():
            if cut == ("delete", note_id) and note_id not in listed:
                continue  # its deletion was cut off, and was saved
            assert note_id in listed, f"acknowledged note {note_id} of {w.tag} is lost"
            now = {k: notes[note_id][k] for k in ("revision", "title", "body")}
            maybe = cut[2] if cut[:2] == ("revision", note_id) else None
            assert now == saved or now == maybe, (note_id, now, saved, maybe)
        assert not w.deleted & listed, "an acknowledged deletion came back"
        if w.carnet is not None:
            carnet = http.get(f"/api/v1/carnets/{w.carnet}", params={"per_page": 200, "sort": "manual"})
            assert carnet.status_code == 200, f"acknowledged carnet {w.carnet} is lost"
            items = carnet.json()["entries"]["items"]
            order = [item["note_id"] for item in items]
            assert [item["position"] for item in items] == list(range(len(items)))
            assert order == w.order or (cut[:1] == ("carnet",) and order == cut[1]), (w.tag, order, w.order, cut)
        for comment_id, (note_id, text) in w.comments.items():
            comment = http.get(f"/api/v1/comments/{comment_id}")
            assert comment.status_code == 200, f"acknowledged comment {comment_id} is lost"
            assert (comment.json()["note_id"], comment.json()["body"], comment.json()["state"]) == (
                note_id,
                text,
                "visible",
            )


@pytest.mark.slow
def test_every_acknowledged_write_survives_a_kill_and_database_and_index_agree(tmp_path, unmigrated_database_url):
    env = _env(tmp_path, unmigrated_database_url)
    created = subprocess.run(
        [sys.executable, "-m", "praxis", "user", "create", "admin", "--admin"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert created.returncode == 0, created.stderr
    writers: list[Writer] = []
    tokens: dict[str, dict[str, str]] = {}
    for round_, answers in enumerate(ANSWERS):
        writers += _kill_while_writing(tmp_path, env, answers, round_, tokens)
    assert sum(len(w.comments) for w in writers) and sum(len(w.order) for w in writers), "too little was written"

    server = serve(tmp_path, env)  # the restart applies what the kill left queued
    base = server.base
    try:
        with httpx.Client(base_url=base, headers=tokens["admin"], timeout=30) as http:
            in_database = {item["id"]: item["title"] for item in _pages(http, "/api/v1/notes", {})}
            assert in_database, "nothing was written"
            # Every note, acknowledged or cut off: a whole history, its last revision the note.
            with ThreadPoolExecutor(3) as pool:
                notes = dict(zip(in_database, pool.map(lambda i: _check_revisions(http, i), list(in_database))))
            _check_acknowledged(http, writers, notes, set(in_database))

            in_index = {item["id"]: item["title"] for item in _pages(http, "/api/v1/search", {"q": "compte"})}
            assert in_index == in_database
            # Revised titles are found by their new words, and only those notes.
            revised = {i for i, t in in_database.items() if "révisé" in t}
            found = http.get("/api/v1/search", params={"q": "révisé", "per_page": 100}).json()
            assert {item["id"] for item in found["items"]} == revised and found["total"] == len(revised)
    finally:
        server.stop(timeout=20)
    if not unmigrated_database_url:
        with sqlite3.connect(tmp_path / "data" / "praxis.db") as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
