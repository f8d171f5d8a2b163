"""ASGI middleware: request body limit, security headers, the reader's language and HEAD."""

from __future__ import annotations

import html
import json
import re
from urllib.parse import parse_qs

from starlette.exceptions import HTTPException
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from praxis import i18n
from praxis.media.store import too_large_message, too_large_text

_TOO_LARGE_HTML = "<!doctype html><html lang='{lang}'><meta charset='utf-8'><title>{title}</title><h1>{title}</h1><p>{text}</p>{more}</html>"


def is_api_path(path: str) -> bool:
    return path.startswith("/api/") or path in ("/healthz", "/readyz", "/openapi.json")


# The routes that receive a file attached to a note, or a draft upload: their bodies may reach the upload limit.
_UPLOAD_PATH = re.compile(r"^/(?:api/v1/notes/[^/]+/(?:files|attachments)|api/v1/uploads|n/[^/]+/files)/?$")
_MULTIPART_OVERHEAD = 64 * 1024  # the form's other fields and part headers, around the file


def is_upload(scope: Scope) -> bool:
    return scope.get("method") == "POST" and _UPLOAD_PATH.match(scope["path"]) is not None


class BodyLimitMiddleware:
    """Answer 413 to a request body larger than `max_bytes` (`upload_bytes` for the routes that
    receive attached files). A declared length is refused before any route reads the body; a
    body sent without one (chunked) is counted as the route reads it, never held in memory."""

    def __init__(self, app: ASGIApp, max_bytes: int, upload_bytes: int | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.upload_bytes = upload_bytes
        self.upload_body_bytes = max(max_bytes, upload_bytes + _MULTIPART_OVERHEAD) if upload_bytes else max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        upload = self.upload_bytes is not None and is_upload(scope)
        limit = self.upload_body_bytes if upload else self.max_bytes
        headers = dict(scope["headers"])
        length = headers.get(b"content-length")
        if length is not None:
            try:
                too_large = int(length) > limit
            except ValueError:
                too_large = False
            if too_large:
                await self._refuse(scope, send, upload)
                return
            await self.app(scope, receive, send)
            return
        size = 0

        async def counted() -> Message:
            nonlocal size
            message = await receive()
            if message["type"] == "http.request":
                size += len(message.get("body", b""))
                if size > limit:
                    # Raised into the route that is reading: mapped to a 413 like any HTTP error.
                    raise HTTPException(413, detail=self._message(upload))
            return message

        await self.app(scope, counted, send)

    def _message(self, upload: bool) -> str:
        if upload and self.upload_bytes is not None:
            return too_large_message(self.upload_bytes)
        return f"The request body is larger than {self.max_bytes} bytes."

    async def _refuse(self, scope: Scope, send: Send, upload: bool = False) -> None:
        if is_api_path(scope["path"]):
            refusal = {"detail": self._message(upload)}
            asked = i18n.supported(parse_qs(scope.get("query_string", b"").decode("latin-1")).get("lang", [None])[-1])
            if upload and self.upload_bytes and asked:  # in the language asked too, as every refusal (web/errors.py)
                refusal["message"] = too_large_text(self.upload_bytes)
            body = json.dumps(refusal).encode()
            content_type = b"application/json"
        else:
            # The same words as the error page's, in the reader's language (LanguageMiddleware is outside).
            more = f"<p>{html.escape(too_large_text(self.upload_bytes))}</p>" if upload and self.upload_bytes else ""
            body = _TOO_LARGE_HTML.format(
                lang=i18n.current(),
                title=html.escape(i18n.gettext("Contenu trop volumineux")),
                more=more,
                text=html.escape(
                    i18n.gettext("Ce que vous avez envoyé dépasse la taille permise. Rien n'a été enregistré.")
                ),
            ).encode("utf-8")
            content_type = b"text/html; charset=utf-8"
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", content_type),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; media-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


class SecurityHeadersMiddleware:
    """Headers every response carries: no sniffing, no framing, a strict content policy (the API
    docs' Swagger UI too: it is started from a file, praxis/static/api-docs.js)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"strict-origin-when-cross-origin"),
                    (b"x-frame-options", b"DENY"),
                ]
                # A route that sets its own policy (the attached files' sandbox) keeps it alone.
                if not any(name.lower() == b"content-security-policy" for name, _ in headers):
                    headers.append((b"content-security-policy", _CSP.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class LanguageMiddleware:
    """Each page speaks the reader's language: `?lang=` (remembered in a cookie for a year),
    then the remembered choice, then Accept-Language, then PRAXIS_LANGUAGE. The API speaks the
    site's language, or the one its `?lang=` names (an error's `message`, web/errors.py)."""

    def __init__(self, app: ASGIApp, default: str, secure_cookies: bool = False) -> None:
        self.app = app
        self.default = default
        self.secure = secure_cookies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        asked = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("lang", [None])[-1]
        if scope["type"] != "http" or is_api_path(scope["path"]) or scope["path"].startswith("/static/"):
            # What the API composes for others (a notification's text) speaks the site's language
            # whatever is asked (conversation/notifications.py); its answers, the one asked.
            spoken = i18n.supported(asked) if is_api_path(scope.get("path", "")) else None
            with i18n.using(spoken or self.default):
                await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        # Starlette's lenient parser, as Request.cookies: another app's odd cookie spoils nothing.
        remembered = cookie_parser(headers.get(b"cookie", b"").decode("latin-1")).get(i18n.LANGUAGE_COOKIE)
        accept = headers.get(b"accept-language", b"").decode("latin-1")
        lang = i18n.choose(query=asked, cookie=remembered, accept_language=accept, default=self.default)
        remember = i18n.supported(asked) is not None and i18n.supported(remembered) != lang

        async def send_in_language(message: Message) -> None:
            sent = dict(message.get("headers", [])) if message["type"] == "http.response.start" else {}
            if sent.get(b"content-type", b"").startswith(b"text/html"):  # pages, not files or feeds
                extra = [(b"content-language", lang.encode()), (b"vary", b"Accept-Language, Cookie")]
                if remember:
                    secure = "; Secure" if self.secure else ""
                    extra.append(
                        (
                            b"set-cookie",
                            f"{i18n.LANGUAGE_COOKIE}={lang}; Max-Age=31536000; Path=/; SameSite=Lax{secure}".encode(),
                        )
                    )
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        with i18n.using(lang):
            await self.app(scope, receive, send_in_language)


class HeadMiddleware:
    """Answer HEAD wherever GET is answered: the same status and headers, no body. Every HEAD
    runs as a GET whose body is dropped (compression and the page cache included), so a link
    checker or `curl -I` sees exactly the headers a browser gets."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)
