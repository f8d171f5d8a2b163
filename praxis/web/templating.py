"""The Jinja2 environment and the one helper every page renders through."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import jinja2
from fastapi import Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.responses import Response

from praxis import i18n, markdown, policy
from praxis.config import DEFAULT_SITE_DESCRIPTION, Settings
from praxis.deps import csrf_cookie, csrf_token
from praxis.i18n import N_, format_date
from praxis.media import service as media_service
from praxis.schemas.common import USERNAME_HTML_PATTERN, USERNAME_MAX_LENGTH
from praxis.vocab import LICENCE_LABELS, LICENCES
from praxis.web import done
from praxis.web.forms import field_label

# Open Graph names a locale with its territory: Praxis's French is Québec's.
OG_LOCALES = {"fr": "fr_CA", "en": "en_CA"}
# Inside <script>, "</script>" or "<!--" in a title would end or change the element: JSON-LD
# writes <, > and & (and the line separators JavaScript refuses) as \u escapes, which JSON reads
# back as the same characters.
_JSON_IN_HTML = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def json_ld(value: object) -> Markup:
    """`value` as JSON safe to put inside a <script type="application/ld+json"> element."""
    return Markup(json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_JSON_IN_HTML))


KIND_LABELS = {"note": N_("Note"), "organisation": N_("Organisation"), "term": N_("Terme")}
VISIBILITY_LABELS = {"public": N_("public"), "community": N_("communauté"), "restricted": N_("restreint")}


def site_description(settings: Settings) -> str:
    """What the site is, in one sentence: the default in the reader's language, a site's own as written."""
    if settings.site_description == DEFAULT_SITE_DESCRIPTION:
        return i18n.gettext(DEFAULT_SITE_DESCRIPTION)
    return settings.site_description


def datetime_attr(value: datetime | date) -> str:
    """A <time datetime=""> value HTML accepts: to the second, in UTC (a stored date-time carries
    microseconds, and HTML allows at most three digits of a second)."""
    if not isinstance(value, datetime):
        return value.isoformat()
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None).isoformat(timespec="seconds") + ("Z" if value.tzinfo else "")


class _CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled once per process, whatever the number of environments: each app has its
    own (its settings are in its globals), and compiling a page's templates again in each took
    about 40 ms of CPU on the first page each test's app rendered. Jinja checks each template's
    source against the code kept, so an edited template is compiled again."""

    def __init__(self) -> None:
        self.codes: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.codes.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.codes[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


def make_templates(directory: Path, settings: Settings) -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(directory)),
        bytecode_cache=_COMPILED,
        autoescape=jinja2.select_autoescape(default=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    templates = Jinja2Templates(env=env)
    i18n.install(env)
    # Notes carry no language of their own: what people write is taken to be in the site's
    # language (PRAXIS_LANGUAGE), and marked so wherever a page shows it (an English page
    # reads French titles and bodies with French pronunciation).
    env.globals["content_lang"] = settings.language
    env.globals.update(
        site_name=settings.site_name,
        registration_open=settings.registration == "open",
        LICENCES=LICENCES,
        LICENCE_LABELS=LICENCE_LABELS,
        KIND_LABELS=KIND_LABELS,
        VISIBILITY_LABELS=VISIBILITY_LABELS,
        field_label=field_label,
        # A username field says the server's rule (schemas.common) before anything is sent.
        USERNAME_FIELD={"pattern": USERNAME_HTML_PATTERN, "maxlength": USERNAME_MAX_LENGTH},
        ACCEPTED_FILES=",".join(media_service.ACCEPTED_EXTENSIONS),  # what a file field offers to choose
        OG_LOCALES=OG_LOCALES,
        site_description=lambda: site_description(settings),
        site_description_custom=settings.site_description != DEFAULT_SITE_DESCRIPTION,  # in the content's language
    )
    env.filters["json_ld"] = json_ld
    env.filters["listing"] = lambda value: ", ".join(map(str, value)) if isinstance(value, list) else value
    env.filters["dict_without"] = lambda value, *keys: {k: v for k, v in value.items() if k not in keys}
    env.filters["date"] = lambda value, with_time=False: format_date(
        value, tz=settings.timezone, lang=i18n.current(), with_time=with_time
    )
    env.filters["datetime_attr"] = datetime_attr
    env.filters["in_language"] = in_language
    env.filters["number"] = lambda value: i18n.format_number(value)
    env.filters["headings"] = markdown.headings
    # A label kept in code (a kind, a visibility, a field's name), translated as plain text:
    # what is not in the catalogue (a name someone typed) is shown as written, escaped.
    env.filters["translate"] = lambda value: i18n.gettext(str(value)) if value else ""
    env.filters["filesize"] = lambda value: i18n.format_size(value)
    return templates


def _language_links(request: Request) -> list[tuple[str, str, str]]:
    """(code, name, this page's address in that language) for the language switcher."""
    others = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    path = "/" + request.url.path.lstrip("/")  # "//host/x" asked for would otherwise link off-site
    return [
        (code, name, f"{path}?{urlencode([*others, ('lang', code)])}") for code, name in i18n.LANGUAGE_NAMES.items()
    ]


def _alternates(request: Request, languages: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """(hreflang, absolute URL) of this page in each language, and as "x-default" the address
    without `?lang=`, which serves the language the reader's cookie or browser asks for."""
    base = request.app.state.settings.site_url.rstrip("/")
    others = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    path = "/" + request.url.path.lstrip("/")
    negotiated = f"{base}{path}" + (f"?{urlencode(others)}" if others else "")
    return [*((code, base + url) for code, _name, url in languages), ("x-default", negotiated)]


def in_language(url: str, lang: str | None = None) -> str:
    """`url` in `lang` (the page's language by default): the same address with `?lang=`.
    A page names it as its canonical address, since the address without it may serve the
    other language (to a reader whose cookie or browser asks for it)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"]
    return urlunsplit(parts._replace(query=urlencode([*query, ("lang", lang or i18n.current())])))


def page(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    alternate: str | None = None,
) -> Response:
    """Render a page for the current visitor; `alternate` is the URL of its JSON twin."""
    templates: Jinja2Templates = request.app.state.templates
    languages = _language_links(request)
    actor = getattr(request.state, "actor", None)
    ctx = {
        "actor": actor,
        # Pages that never asked who reads (an unknown address) offer what needs no query.
        "communities_offered": getattr(
            request.state, "communities_offered", policy.offers_communities(actor, any_exist=False)
        ),
        "csrf_token": csrf_token(request),
        "unread": getattr(request.state, "unread", 0),
        "lang": i18n.current(),
        "request_path": request.url.path,  # which destination of the navigation is current
        "languages": languages,
        # An error page is no page in any language: it names no other address of itself.
        "alternates": _alternates(request, languages) if status_code < 400 else [],
        # What the form just sent did ("Note enregistrée — révision 3"): said once (praxis/web/done.py).
        "done": done.current(request) if status_code < 400 else None,
        **(context or {}),
    }
    response = templates.TemplateResponse(request, template, ctx, status_code=status_code)
    done.forget(request, response)
    new_csrf = getattr(request.state, "new_csrf", None)
    if new_csrf:
        settings: Settings = request.app.state.settings
        response.headers.append("set-cookie", csrf_cookie(new_csrf, secure=settings.secure_cookies))
    if alternate:
        # A header holds ASCII only: whatever a URL parameter carried is percent-encoded.
        safe = quote(alternate, safe="/?&=%:+,;@-._~")
        response.headers["Link"] = f'<{safe}>; rel="alternate"; type="application/json"'
    return response
