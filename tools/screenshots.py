"""Screenshots of every page of the sample site for docs/screenshots/ and the README.

    .venv/bin/python tools/screenshots.py [--out docs/screenshots]

Serves a fresh site seeded from content/ (`praxis serve`, SQLite and Whoosh in a temporary data
dir), signs an administrator in, and photographs each page in Debian's Chromium: a phone (390 px,
its first screen) and a desktop (1280 px, the whole page), in the light scheme, plus the note page
and the home page in the dark one. French by default; `--lang en` for the English interface.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, ViewportSize, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
PRAXIS = Path(sys.executable).with_name("praxis")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "une-phrase-de-passe-pour-les-captures"
PUBLIC = "https://savoirs.exemple.org"
SIZES: dict[str, ViewportSize] = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {timeout} s")


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url) as answer:
        return json.load(answer)


def pages(base: str) -> dict[str, str]:
    """Each page to photograph, by the file name it gets: the sample site's richest of each kind."""
    notes = get_json(f"{base}/api/v1/notes?per_page=100&sort=-updated")["items"]
    longest = max((n for n in notes if n["kind"] == "note"), key=lambda n: len(n["excerpt"]))["id"]
    carnets = get_json(f"{base}/api/v1/carnets")["items"]
    carnet = max(carnets, key=lambda c: c.get("note_count", 0))["id"]
    base_id = get_json(f"{base}/api/v1/bases")[0]["id"]
    return {
        "home": "/",
        "note": f"/n/{longest}/?carnet={carnet}",
        "history": f"/n/{longest}/history",
        "diff": f"/n/{longest}/diff?from=1&to=2",
        "editor": f"/n/{longest}/edit",
        "carnet": f"/c/{carnet}/",
        "graph": f"/c/{carnet}/graphe",
        "base": f"/b/{base_id}/",
        "carnets": "/c/",
        "search": "/recherche?q=communaut%C3%A9",
        "lexique": "/lexique/",
        "organisations": "/organisations/",
        "inbox": "/u/me/inbox",
        "login": "/login",
    }


def send(method: str, url: str, body: dict, token: str | None = None) -> dict:
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers, method=method)
    with urllib.request.urlopen(request) as answer:
        return json.load(answer)


def second_revision(base: str, note_id: str) -> None:
    """The sample notes come with one revision each: the note photographed gets a second one, as
    an author's edit would, so that its history and a diff have something to show."""
    token = send("POST", f"{base}/api/v1/auth/token", {"username": "admin", "password": PASSWORD, "name": "captures"})
    note = get_json(f"{base}/api/v1/notes/{note_id}")
    body = note["body"].replace("\n\n", "\n\nAjout d'une précision après la rencontre de suivi.\n\n", 1)
    send(
        "PATCH",
        f"{base}/api/v1/notes/{note_id}",
        {"body": body, "base_revision": note["revision"], "summary": "Une précision après la rencontre de suivi"},
        token["access_token"],
    )


def sign_in(page: Page, base: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/(?!login).*"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--lang", choices=["fr", "en"], default="fr")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as data:
        # The public address the citations show: a site's own, not the port this one runs on.
        env = {**os.environ, "PRAXIS_DATA_DIR": data, "PRAXIS_SITE_URL": PUBLIC, "PRAXIS_PASSWORD": PASSWORD}
        subprocess.run([PRAXIS, "db", "upgrade"], env=env, check=True, capture_output=True)
        subprocess.run([PRAXIS, "user", "create", "admin", "--admin", "--name", "Adèle Tremblay"], env=env, check=True)
        server = subprocess.Popen([PRAXIS, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL)
        try:
            wait_for(f"{base}/readyz")
            shoot(base, args.out, args.lang)
        finally:
            server.terminate()
            server.wait(timeout=30)


def shoot(base: str, out: Path, lang: str) -> None:
    suffix = "" if lang == "fr" else f"-{lang}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        targets = pages(base)
        second_revision(base, targets["note"].split("/")[2])
        for scheme in ("light", "dark"):
            for size, viewport in SIZES.items():
                context = browser.new_context(viewport=viewport, color_scheme=scheme, locale=f"{lang}-CA")
                page = context.new_page()
                sign_in(page, base)
                for name, path in targets.items():
                    if scheme == "dark" and name not in ("home", "note"):
                        continue
                    if name == "login":
                        context.clear_cookies()
                    page.goto(base + path)
                    page.wait_for_load_state("networkidle")
                    dark = "-dark" if scheme == "dark" else ""
                    file = out / f"{name}-{size}{dark}{suffix}.png"
                    page.screenshot(path=str(file), full_page=size == "desktop")
                    print(file.relative_to(ROOT) if file.is_relative_to(ROOT) else file)
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
