"""Real servers for the tests that need one, and the one way a test waits for something.

`praxis serve` in its own process (`serve`), the app under uvicorn in a thread (`serving_app`),
an SMTP server (`SmtpServer`); each on a free port of this machine, each waited for by polling
until it answers (never a fixed sleep), each stopped with a deadline and its output kept for the
failure message.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

import httpx
import uvicorn
from aiosmtpd.controller import Controller

T = TypeVar("T")


def wait_until(
    check: Callable[[], T], *, timeout: float = 30.0, interval: float = 0.05, message: str | Callable[[], str] = ""
) -> T:
    """Call `check` until it returns something true, and return that; fail after `timeout` s."""
    # Deadlines are generous on purpose: a loaded CI machine is slow, never wrong.
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() >= deadline:
            said = message() if callable(message) else message
            raise AssertionError(f"not true within {timeout} s: {said or check}")
        time.sleep(interval)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(url: str) -> bool:
    """Whether `url` answers 200 now."""
    # A port nobody listens on yet is told by a bare connect (microseconds): an httpx request
    # builds a client and its TLS context first (about 20 ms of CPU), which, polled every 50 ms,
    # took a third of a core from the very server being waited for.
    where = urlsplit(url)
    try:
        socket.create_connection((where.hostname, where.port or 80), timeout=2).close()
    except OSError:
        return False
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.TransportError:
        return False


class PraxisServer:
    """One `praxis serve` process on a free port. Its output goes to a file beside it (a pipe
    left unread would fill up and then block the server)."""

    def __init__(self, cwd: Path, env: dict[str, str]) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = cwd / f"serve-{self.port}.log"
        with self.log.open("w") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "praxis", "serve", "--port", str(self.port)],
                # Unbuffered, so that a failure shows what the server said up to then.
                cwd=cwd,
                env={**env, "PYTHONUNBUFFERED": "1"},
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    @property
    def pid(self) -> int:
        return self.proc.pid

    @property
    def returncode(self) -> int | None:
        return self.proc.returncode

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_ready(self, path: str = "/healthz", timeout: float = 60.0) -> PraxisServer:
        """Wait until `path` answers 200; fail with the server's output if it ends or never does."""

        def ready() -> bool:
            if self.proc.poll() is not None:
                raise AssertionError(f"praxis serve exited early (code {self.proc.returncode}):\n{self.output()}")
            return answers(self.base + path)

        try:
            wait_until(ready, timeout=timeout, message=lambda: f"praxis serve did not answer {path}:\n{self.output()}")
        except BaseException:
            self.stop(signal.SIGKILL)
            raise
        return self

    def __enter__(self) -> PraxisServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self, sig: signal.Signals | None = signal.SIGINT, timeout: float = 30.0) -> str:
        """Send `sig` (Ctrl-C unless said; None when the test sent its own), wait for the end (a
        kill after `timeout` s fails the test), and return everything the server wrote."""
        if self.proc.poll() is None:
            if sig is not None:  # a second signal would be a second Ctrl-C: uvicorn's "quit now"
                self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                said = sig.name if sig else "its signal"
                raise AssertionError(
                    f"praxis serve did not stop within {timeout} s of {said}:\n{self.output()}"
                ) from None
        return self.output()


def serve(cwd: Path, env: dict[str, str], path: str = "/healthz", timeout: float = 60.0) -> PraxisServer:
    """`praxis serve` started in `cwd` with `env` (and nothing else of this process's), once `path` answers."""
    return PraxisServer(cwd, env).wait_ready(path, timeout)


@contextmanager
def serving_app(app: object, port: int) -> Iterator[str]:
    """`app` served by uvicorn on `port`, in a thread, for the block; yields its base URL."""
    url = f"http://127.0.0.1:{port}"
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))  # type: ignore[arg-type]
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        wait_until(lambda: not thread.is_alive() or answers(f"{url}/healthz"), message=f"nothing answered on {url}")
        assert thread.is_alive(), f"uvicorn stopped before it answered on {url} (see the captured log)"
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        if thread.is_alive():  # a connection that never closes: stop without waiting for it
            server.force_exit = True
            thread.join(timeout=20)


class Inbox:
    """What the SMTP server received. A `delay` makes a slow server: each mail holds it that long
    (on purpose, so that several senders overlap; not a wait)."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]  # aiosmtpd's handler hook
        if self.delay:
            time.sleep(self.delay)  # blocks aiosmtpd's loop: one mail at a time, slowly
        received = message_from_bytes(envelope.original_content, policy=policy.default)
        with self.lock:
            self.messages.append(received)  # type: ignore[arg-type]
        return "250 OK"

    @property
    def subjects(self) -> list[str]:
        with self.lock:
            return [str(m["Subject"]) for m in self.messages]


class SmtpServer:
    """A real SMTP server on a port of this machine, that can go down and come back (a new
    aiosmtpd controller on the same port: one cannot be restarted)."""

    def __init__(self, inbox: Inbox | None = None) -> None:
        self.inbox = inbox or Inbox()
        self.port = free_port()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@contextmanager
def smtp_server(inbox: Inbox | None = None) -> Iterator[SmtpServer]:
    """An SMTP server running for the block."""
    server = SmtpServer(inbox)
    server.start()
    try:
        yield server
    finally:
        server.stop()
