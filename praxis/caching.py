"""HTTP caching: pages and API reads rendered once per change of the site for visitors who are
not signed in, and ETag / Last-Modified / 304 for every read.

A visitor's page depends only on the URL, the language, the day (citations say "consulté le")
and the data, whose every visible change moves the site's change counter (praxis.changes).
So a rendered page is kept under (URL, language) with the counter and the day it was rendered
at, and served again while both hold: one indexed read instead of a dozen queries and a
template. The one thing that differs between two visitors is the CSRF token in forms: it is
kept out of the stored copy and each visitor's own is put back in.

Nothing else a visitor's request carries may shape what is kept for the next visitors: the app
rendering a page for the cache is given the visitor's CSRF and language cookies only (the
first is put back per visitor, the second is part of the key). A page that reads any other
cookie (the editor's "draft saved" notice) therefore reads it only for signed-in people, whose
pages are never kept.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from email.utils import format_datetime, parsedate_to_datetime
from zoneinfo import ZoneInfo

import anyio.to_thread
from sqlalchemy.engine import Engine
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from praxis import changes, i18n
from praxis.deps import CSRF_COOKIE, SESSION_COOKIE, csrf_cookie, csrf_mac, new_csrf_value

# Never kept: answers that depend on more than the data (the search index, a prefix being
# typed), the probes, and files, which carry their own validators.
_UNCACHED_PREFIXES = ("/static/", "/healthz", "/readyz", "/recherche", "/api/v1/search", "/api/v1/users/suggest")
_STORED_TYPES = (b"text/html", b"application/json", b"application/atom+xml", b"application/xml", b"text/plain")
# The most one answer may weigh to be kept: a larger one is rendered for each request (the
# sitemap sizes its pages by it, so crawlers are answered from here).
LARGEST_ENTRY = 1024 * 1024
_DROPPED_HEADERS = {b"set-cookie", b"date", b"content-length", b"etag", b"last-modified", b"cache-control"}
# The cookies a visitor's page may depend on: the CSRF token (put back per visitor) and the
# language (part of the key). The app never sees a visitor's other cookies on the cached path.
_KEPT_COOKIES = (CSRF_COOKIE, i18n.LANGUAGE_COOKIE)


@dataclass
class Entry:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    csrf: bytes | None  # the token of the visitor it was rendered for, to be replaced
    digest: str
    version: int
    day: date
    last_modified: datetime


def _digest(body: bytes) -> str:
    return hashlib.blake2b(body, digest_size=12).hexdigest()


def etag_for(body: bytes) -> str:
    # Weak: the same page compressed or not is the same page.
    return f'W/"{_digest(body)}"'


def _http_date(moment: datetime) -> bytes:
    return format_datetime(moment.astimezone(UTC).replace(microsecond=0), usegmt=True).encode("ascii")


def _matches(if_none_match: bytes, etag: str) -> bool:
    if if_none_match.strip() == b"*":
        return True
    wanted = etag.removeprefix("W/").encode("ascii")
    return any(tag.strip().removeprefix(b"W/") == wanted for tag in if_none_match.split(b","))


def _not_modified_since(if_modified_since: bytes, last_modified: datetime) -> bool:
    try:
        since = parsedate_to_datetime(if_modified_since.decode("latin-1"))
    except (TypeError, ValueError, IndexError):
        return False
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return last_modified.replace(microsecond=0) <= since


async def _send_not_modified(send: Send, headers: list[tuple[bytes, bytes]]) -> None:
    kept = [
        (k, v)
        for k, v in headers
        if k in (b"etag", b"last-modified", b"cache-control", b"vary", b"set-cookie", b"link")
    ]
    await send({"type": "http.response.start", "status": 304, "headers": kept})
    await send({"type": "http.response.body", "body": b""})


class CounterReads:
    """The change counter as the visitors' requests of one process read it: one read for all the
    requests that came while the previous read was under way. Each request still gets a reading
    that began after it came, so a change committed before it is always seen (by every process),
    but 32 requests at once cost two or three trips to the database, not 32."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.loop: asyncio.AbstractEventLoop | None = None
        self.next: asyncio.Future[changes.Version] | None = None  # the read not begun yet, shared by those who wait
        self.reader: asyncio.Task[None] | None = None

    async def current(self) -> changes.Version:
        loop = asyncio.get_running_loop()
        if loop is not self.loop:  # another event loop (a new test client's): nothing carries over
            self.loop, self.next, self.reader = loop, None, None
        if self.next is None:
            self.next = loop.create_future()
            self.next.add_done_callback(_retrieved)
        if self.reader is None or self.reader.done():
            self.reader = loop.create_task(self._read())
        return await asyncio.shield(self.next)

    async def _read(self) -> None:
        while self.next is not None:
            future, self.next = self.next, None
            try:
                version = await anyio.to_thread.run_sync(changes.current, self.engine)
            except Exception as exc:  # noqa: BLE001 - each request that waited answers for itself
                future.set_exception(exc)
            except BaseException:  # cancelled (the loop is closing): those waiting are too
                future.cancel()
                raise
            else:
                future.set_result(version)


def _retrieved(future: asyncio.Future[changes.Version]) -> None:
    if not future.cancelled():
        future.exception()  # a failed read whose requests went away is not logged as unretrieved


class ConditionalGetMiddleware:
    """ETag (and Last-Modified for visitors' pages) on every complete GET answer, 304 when the
    browser already holds it; visitors' pages and API reads are kept, see the module's doc."""

    def __init__(
        self, app: ASGIApp, *, engine: Engine, secret_key: str, timezone_name: str, secure_cookies: bool, max_bytes: int
    ) -> None:
        self.app = app
        self.counter = CounterReads(engine)
        self.secret_key = secret_key
        self.tz = ZoneInfo(timezone_name)
        self.secure = secure_cookies
        self.max_bytes = max_bytes
        self.entries: OrderedDict[tuple[str, ...], Entry] = OrderedDict()
        self.size = 0
        self.seen_version = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        cookies = cookie_parser(headers.get(b"cookie", b"").decode("latin-1"))
        visitor = b"authorization" not in headers and SESSION_COOKIE not in cookies
        if not (visitor and self.max_bytes > 0) or scope["path"].startswith(_UNCACHED_PREFIXES):
            await self._validated(scope, receive, send, headers, private=not visitor)
            return
        await self._cached(scope, receive, send, headers, cookies)

    # --- visitors: the page cache ------------------------------------------------------------

    async def _cached(
        self, scope: Scope, receive: Receive, send: Send, headers: dict[bytes, bytes], cookies: dict[str, str]
    ) -> None:
        try:
            version = await self.counter.current()
        except Exception:  # noqa: BLE001 - a busy or absent database: the app answers, and says so
            await self._validated(scope, receive, send, headers, private=False)
            return
        if version.number != self.seen_version:  # everything kept is out of date: make room at once
            self.entries.clear()
            self.size = 0
            self.seen_version = version.number
        today = datetime.now(self.tz).date()
        key = (
            scope.get("scheme", "http"),
            headers.get(b"host", b"").decode("latin-1"),
            scope["path"],
            scope.get("query_string", b"").decode("latin-1"),
            i18n.current(),
        )
        entry = self.entries.get(key)
        if entry is not None and entry.version == version.number and entry.day == today:
            self.entries.move_to_end(key)
            await self._replay(entry, headers, cookies, send)
            return
        await self._render_and_keep(scope, receive, send, headers, cookies, key, version, today)

    async def _replay(self, entry: Entry, headers: dict[bytes, bytes], cookies: dict[str, str], send: Send) -> None:
        body, extra, etag = entry.body, [], f'W/"{entry.digest}"'  # etag_for(entry.body), computed once
        if entry.csrf is not None:
            value = cookies.get(CSRF_COOKIE)
            if not value:
                value = new_csrf_value()
                extra.append((b"set-cookie", csrf_cookie(value, secure=self.secure).encode("latin-1")))
            token = csrf_mac(self.secret_key, value).encode("ascii")
            body = body.replace(entry.csrf, token)
            etag = 'W/"' + entry.digest + token[:8].decode("ascii") + '"'
        response_headers = [
            *entry.headers,
            *extra,
            (b"etag", etag.encode("ascii")),
            (b"last-modified", _http_date(entry.last_modified)),
            (b"cache-control", b"no-cache"),
        ]
        if self._fresh(headers, etag, entry.last_modified):
            await _send_not_modified(send, response_headers)
            return
        response_headers.append((b"content-length", str(len(body)).encode("ascii")))
        await send({"type": "http.response.start", "status": entry.status, "headers": response_headers})
        await send({"type": "http.response.body", "body": body})

    @staticmethod
    def _fresh(headers: dict[bytes, bytes], etag: str, last_modified: datetime | None) -> bool:
        if b"if-none-match" in headers:  # it takes precedence over If-Modified-Since
            return _matches(headers[b"if-none-match"], etag)
        if last_modified is not None and b"if-modified-since" in headers:
            return _not_modified_since(headers[b"if-modified-since"], last_modified)
        return False

    async def _render_and_keep(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        headers: dict[bytes, bytes],
        cookies: dict[str, str],
        key: tuple[str, ...],
        version: changes.Version,
        today: date,
    ) -> None:
        async def keep(start: Message, body: bytes) -> bool:
            if not self._storable(start):
                return False
            sent = list(start.get("headers", []))
            csrf = self._token_in(body, sent, cookies)
            midnight = datetime.combine(today, time.min, self.tz)
            entry = Entry(
                status=start["status"],
                headers=[(k, v) for k, v in sent if k.lower() not in _DROPPED_HEADERS],
                body=body,
                csrf=csrf,
                digest=_digest(body),
                version=version.number,
                day=today,
                last_modified=max(version.changed_at, midnight),
            )
            self._store(key, entry)
            # This first visitor gets the page as rendered for them, cookie included.
            kept_cookies = [(k, v) for k, v in sent if k.lower() == b"set-cookie"]
            await self._replay(
                entry,
                headers,
                {CSRF_COOKIE: self._cookie_value(kept_cookies) or cookies.get(CSRF_COOKIE, "")},
                _with_cookies(send, kept_cookies),
            )
            return True

        await self.app(_with_only_kept_cookies(scope, cookies), receive, _whole_bodies(send, keep))

    def _storable(self, start: Message) -> bool:
        if start["status"] != 200:
            return False
        sent = dict(start.get("headers", []))
        content_type = sent.get(b"content-type", b"")
        cache_control = sent.get(b"cache-control", b"")
        return (
            content_type.startswith(_STORED_TYPES)
            and b"private" not in cache_control
            and b"no-store" not in cache_control
            and b"etag" not in sent
        )

    def _token_in(self, body: bytes, sent: list[tuple[bytes, bytes]], cookies: dict[str, str]) -> bytes | None:
        value = self._cookie_value([(k, v) for k, v in sent if k.lower() == b"set-cookie"]) or cookies.get(CSRF_COOKIE)
        if not value:
            return None
        token = csrf_mac(self.secret_key, value).encode("ascii")
        return token if token in body else None

    @staticmethod
    def _cookie_value(set_cookies: list[tuple[bytes, bytes]]) -> str | None:
        prefix = f"{CSRF_COOKIE}=".encode("ascii")
        for _, value in set_cookies:
            if value.startswith(prefix):
                return value[len(prefix) :].split(b";", 1)[0].decode("latin-1")
        return None

    def _store(self, key: tuple[str, ...], entry: Entry) -> None:
        if len(entry.body) > LARGEST_ENTRY:
            return
        old = self.entries.pop(key, None)
        if old is not None:
            self.size -= len(old.body)
        self.entries[key] = entry
        self.size += len(entry.body)
        while self.size > self.max_bytes and self.entries:
            _, evicted = self.entries.popitem(last=False)
            self.size -= len(evicted.body)

    # --- everyone else: validators on what was rendered ----------------------------------------

    async def _validated(
        self, scope: Scope, receive: Receive, send: Send, headers: dict[bytes, bytes], *, private: bool
    ) -> None:
        async def validate(start: Message, body: bytes) -> bool:
            sent = list(start.get("headers", []))
            names = {k.lower() for k, _ in sent}
            if start["status"] != 200 or b"etag" in names:
                return False
            etag = etag_for(body)
            sent.append((b"etag", etag.encode("ascii")))
            if b"cache-control" not in names:
                sent.append((b"cache-control", b"private, no-cache" if private else b"no-cache"))
            if self._fresh(headers, etag, None):
                await _send_not_modified(send, sent)
            else:
                await send({**start, "headers": sent})
                await send({"type": "http.response.body", "body": body})
            return True

        await self.app(scope, receive, _whole_bodies(send, validate))


def _with_only_kept_cookies(scope: Scope, cookies: dict[str, str]) -> Scope:
    """`scope` with a Cookie header holding only `_KEPT_COOKIES`: what the app renders for the
    visitors' cache cannot depend on anything else a visitor's browser sent."""
    kept = "; ".join(f"{name}={cookies[name]}" for name in _KEPT_COOKIES if name in cookies)
    headers = [(k, v) for k, v in scope["headers"] if k != b"cookie"]
    if kept:
        headers.append((b"cookie", kept.encode("latin-1")))
    return {**scope, "headers": headers}


def _whole_bodies(send: Send, handle: Callable[[Message, bytes], Awaitable[bool]]) -> Send:
    """`send`, holding the start of each answer until its body: a body sent whole (one message)
    goes with the start to `handle`, which answers itself (True) or lets them pass (False); a
    streamed body (a file, an archive) passes untouched."""
    start: Message | None = None
    passing = False

    async def sending(message: Message) -> None:
        nonlocal start, passing
        if passing or message["type"] not in ("http.response.start", "http.response.body"):
            await send(message)  # and the test client's template information
            return
        if message["type"] == "http.response.start":
            start = message
            return
        assert start is not None
        if message.get("more_body") or not await handle(start, message.get("body", b"")):
            passing = True
            await send(start)
            await send(message)

    return sending


def _with_cookies(send: Send, set_cookies: list[tuple[bytes, bytes]]) -> Send:
    """`send`, adding the cookies the app set (the first visitor's new CSRF cookie, once)."""

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start" and set_cookies:
            kept = [(k, v) for k, v in message["headers"] if k != b"set-cookie"]
            message = {**message, "headers": [*kept, *set_cookies]}
        await send(message)

    return sending
