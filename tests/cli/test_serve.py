"""`praxis serve` as a new user runs it: a real process, a fresh folder, a real HTTP client."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

CONTENT = Path(__file__).resolve().parents[2] / "content"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _read_continuously(proc: subprocess.Popen) -> None:
    """Keep reading the server's output as it comes (a request log line per request would fill
    the pipe, and then block the server), and make `communicate` return what was read."""
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)  # type: ignore[arg-type]
    reader.start()

    def communicate(timeout: float | None = None) -> tuple[str, None]:
        proc.wait(timeout)
        reader.join(timeout)
        return "".join(lines), None

    proc.communicate = communicate  # type: ignore[method-assign]


def _serve(cwd: Path, env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "praxis", "serve", "--port", str(port)],
        cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    _read_continuously(proc)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"praxis serve exited early:\n{proc.communicate(10)[0]}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return proc, base
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise AssertionError("praxis serve did not start in time")


def _stop(proc: subprocess.Popen) -> str:
    proc.send_signal(signal.SIGINT)  # Ctrl-C
    try:
        out, _ = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    assert proc.returncode == 0, out
    return out


@pytest.mark.slow
def test_first_start_imports_content_and_second_start_reuses_it(tmp_path, unmigrated_database_url):
    # Started in a folder outside the checkout, with no content/ of its own: the sample site
    # shipped with Praxis seeds it.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRAXIS_")}
    if unmigrated_database_url:
        env["PRAXIS_DATABASE_URL"] = unmigrated_database_url
    expected = len([p for p in CONTENT.rglob("*.md") if p.parent.name not in ("carnets", "bases")])

    proc, base = _serve(tmp_path, env)
    try:
        home = httpx.get(base + "/")
        notes = httpx.get(base + "/api/v1/notes").json()
        assert home.status_code == 200 and "Notes récentes" in home.text
        assert notes["total"] == expected
        assert httpx.get(base + "/api/v1/carnets").json()["total"] == len(list((CONTENT / "carnets").glob("*.md")))
        first = notes["items"][0]
        page = httpx.get(base + f"/n/{first['id']}/")
        assert page.status_code == 200 and first["title"].replace("'", "&#39;") in page.text
        assert httpx.get(base + "/readyz").json()["database"] == "ok"
    finally:
        out = _stop(proc)
    assert f"Imported {expected} notes" in out
    assert (tmp_path / "data" / "secret_key").exists()
    if not unmigrated_database_url:
        assert (tmp_path / "data" / "praxis.db").exists()

    proc, base = _serve(tmp_path, env)
    try:
        assert httpx.get(base + "/api/v1/notes").json()["total"] == expected
    finally:
        out = _stop(proc)
    assert "Imported" not in out
