"""`praxis serve` as a new user runs it: a real process, a fresh folder, a real HTTP client."""

import os
from pathlib import Path

import httpx
import pytest

from tests.conftest import one_database
from tests.servers import serve

CONTENT = Path(__file__).resolve().parents[2] / "content"


# The README's first command, on its embedded default; seeding a PostgreSQL database at first
# start is tried in tests/cli/test_seeding.py, and a real server on each backend in test_operations.py.
@one_database
@pytest.mark.slow
def test_first_start_imports_content_and_second_start_reuses_it(tmp_path, unmigrated_database_url):
    # Started in a folder outside the checkout, with no content/ of its own: the sample site
    # shipped with Praxis seeds it.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRAXIS_")}
    if unmigrated_database_url:
        env["PRAXIS_DATABASE_URL"] = unmigrated_database_url
    expected = len([p for p in CONTENT.rglob("*.md") if p.parent.name not in ("carnets", "bases")])

    server = serve(tmp_path, env)
    base = server.base
    try:
        home = httpx.get(base + "/")
        notes = httpx.get(base + "/api/v1/notes").json()
        assert home.status_code == 200 and "Activité récente" in home.text and "Carnets" in home.text
        assert notes["total"] == expected
        assert httpx.get(base + "/api/v1/carnets").json()["total"] == len(list((CONTENT / "carnets").glob("*.md")))
        first = notes["items"][0]
        page = httpx.get(base + f"/n/{first['id']}/")
        assert page.status_code == 200 and first["title"].replace("'", "&#39;") in page.text
        assert httpx.get(base + "/readyz").json()["database"] == "ok"
    finally:
        out = server.stop()  # Ctrl-C
        assert server.returncode == 0, out
    assert f"Imported {expected} notes" in out
    assert (tmp_path / "data" / "secret_key").exists()
    if not unmigrated_database_url:
        assert (tmp_path / "data" / "praxis.db").exists()

    server = serve(tmp_path, env)
    try:
        assert httpx.get(server.base + "/api/v1/notes").json()["total"] == expected
    finally:
        out = server.stop()
        assert server.returncode == 0, out
    assert "Imported" not in out
