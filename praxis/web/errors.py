"""Errors mapped once: JSON `{"detail": …}` on the API, a friendly French page elsewhere."""

from __future__ import annotations

import logging
from urllib.parse import quote

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from praxis import i18n, storage
from praxis.deps import reading_session
from praxis.errors import DomainError, Invalid, NotSignedIn
from praxis.i18n import N_, gettext
from praxis.middleware import is_api_path
from praxis.web.forms import FormPage, field_label, page_for
from praxis.web.templating import page

log = logging.getLogger("praxis.errors")

TITLES = {
    400: N_("Requête incorrecte"),
    401: N_("Connexion requise"),
    403: N_("Accès refusé"),
    404: N_("Page introuvable"),
    405: N_("Méthode non permise"),
    409: N_("Conflit de modification"),
    413: N_("Contenu trop volumineux"),
    415: N_("Type de fichier non pris en charge"),
    422: N_("Données invalides"),
    429: N_("Trop de requêtes"),
    503: N_("Service momentanément indisponible"),
    507: N_("Espace disque insuffisant"),
    500: N_("Erreur du serveur"),
}
EXPLANATIONS = {
    400: N_("La requête n'a pas pu être comprise."),
    401: N_("Connectez-vous pour continuer."),
    403: N_("Vous n'avez pas la permission de faire cette action."),
    404: N_("Cette page n'existe pas, ou vous n'y avez pas accès."),
    405: N_("Cette adresse n'accepte pas cette méthode."),
    409: N_("Quelqu'un d'autre a modifié ce contenu entre-temps. Rien n'a été écrasé."),
    413: N_("Ce que vous avez envoyé dépasse la taille permise. Rien n'a été enregistré."),
    415: N_("Ce type de fichier n'est pas accepté. Rien n'a été enregistré."),
    422: N_("Certaines données envoyées ne sont pas valides."),
    429: N_("Veuillez patienter un moment avant de réessayer."),
    503: N_("Le site est très occupé. Rien n'a été enregistré ; réessayez dans un instant."),
    507: N_(
        "Le disque du serveur est plein : rien n'a été enregistré. La lecture fonctionne toujours ; réessayez plus tard."
    ),
    500: N_("Un problème inattendu est survenu. Rien de ce que vous avez envoyé n'est perdu de notre côté."),
}


# A write the storage refused (praxis/storage.py): its status, page title and text, and API detail.
STORAGE = {
    "full": (
        507,
        TITLES[507],
        EXPLANATIONS[507],
        "The server's disk is full: nothing was saved. Reading still works; try again later.",
    ),
    "read-only": (
        503,
        N_("Site en lecture seule"),
        N_("Le site est en lecture seule pour le moment : rien n'a été enregistré. La lecture fonctionne toujours."),
        "The site is read-only at the moment: nothing was saved. Reading still works.",
    ),
}


def error_page(
    request: Request,
    status: int,
    detail: str | None = None,
    *,
    title: str | None = None,
    explanation: str | None = None,
    said: str | None = None,
) -> Response:
    """The error page; `title` and `explanation` (message ids) replace the status's own, and
    `said` (already in the reader's language) its explanation."""
    title = title or TITLES.get(status, N_("Erreur"))
    explanation = explanation or EXPLANATIONS.get(status)
    shown = said or (gettext(explanation) if explanation else "")
    return page(
        request,
        "errors/error.html",
        {"status": status, "title": gettext(title), "explanation": shown, "detail": detail},
        status_code=status,
    )


def storage_error(request: Request, exc: BaseException) -> Response | None:
    """507 (the disk is full) or 503 (read-only) when `exc` is a write the storage refused: the
    transaction was rolled back, so nothing was saved; None for any other error."""
    kind = storage.problem(exc, request.app.state.settings.data_dir)
    if kind is None:
        return None
    log.error(
        "Nothing saved on %s %s: the storage is %s (%s: %s)",
        request.method,
        request.url.path,
        kind,
        type(exc).__name__,
        getattr(exc, "orig", None) or exc,
    )
    status, title, explanation, detail = STORAGE[kind]
    if is_api_path(request.url.path):
        return _json(status, {"detail": detail})
    return error_page(request, status, title=title, explanation=explanation)


def _json(status: int, body: dict, headers: dict | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> Response:
        headers = {"Retry-After": str(exc.extra["retry_after"])} if "retry_after" in exc.extra else {}
        if is_api_path(request.url.path):
            if isinstance(exc, NotSignedIn):
                headers["WWW-Authenticate"] = "Bearer"
            # The API speaks English; asked for a language (`?lang=`), a refusal the site words for
            # people says it too, in that language: what the editor shows when a file is refused.
            asked = i18n.supported(request.query_params.get("lang"))
            said = {"message": exc.shown()} if asked and exc.text is not None else {}
            if isinstance(exc, Invalid):
                loc = [exc.part, exc.field] if exc.field else [exc.part]
                return _json(exc.status, {"detail": [{"loc": loc, "msg": exc.message, "type": "value_error"}], **said})
            extra = {k: v for k, v in exc.extra.items() if k != "field"}
            return _json(exc.status, {"detail": exc.message, **extra, **said}, headers or None)
        if isinstance(exc, NotSignedIn) and request.method == "GET":
            here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(here)}", status_code=303)
        # A form refused shows its page again, as typed, with why (web/forms.form_page).
        response = await _form_again(request, exc)
        if response is None:
            # A wrong value names its field, as the person knows it ("Style de citation").
            field = field_label(exc.field) if isinstance(exc, Invalid) and exc.field else None
            # A refusal that says why in the reader's words says it, rather than the sentence of
            # its kind (a stale edit, a conflict with how things stand) or of its status.
            response = error_page(
                request,
                exc.status,
                field,
                title=exc.title,
                explanation=exc.explanation,
                said=exc.shown() if exc.text is not None else None,
            )
        response.headers.update(headers)
        return response

    async def _form_again(request: Request, exc: DomainError) -> Response | None:
        """The page of the form whose post was refused, when it named one for this refusal. The
        request's transaction has ended as every refusal's does (db.session_scope: kept writes
        committed, the rest rolled back); the page is then read like any page, without the
        write lock. A refusal met while reading it (the note gone meanwhile) has its own page."""
        form = None if is_api_path(request.url.path) else page_for(request, exc)
        if form is None:
            return None
        try:
            return await run_in_threadpool(_show, request, form, exc)
        except DomainError as refused:
            return await domain_error(request, refused)

    def _show(request: Request, form: FormPage, exc: DomainError) -> Response:
        with reading_session(request) as session:
            return form.answer(session, exc)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        if is_api_path(request.url.path):
            errors = [
                {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
                for e in exc.errors()
            ]
            return _json(422, {"detail": errors})
        names = (str(e["loc"][-1]) for e in exc.errors() if e.get("loc"))
        fields = ", ".join(dict.fromkeys(field_label(name) for name in names))
        return error_page(request, 422, fields or None)

    @app.exception_handler(ValidationError)
    async def invalid_value(request: Request, exc: ValidationError) -> Response:
        # A schema built inside a route from request values (a filter, say) refused them.
        return await validation_error(request, RequestValidationError(exc.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if is_api_path(request.url.path):
            return _json(exc.status_code, {"detail": exc.detail}, getattr(exc, "headers", None))
        return error_page(request, exc.status_code)

    @app.exception_handler(sa.exc.DataError)
    async def unstorable(request: Request, exc: sa.exc.DataError) -> Response:
        # A value the database refuses (out of range, bad encoding) is the client's input: a 422.
        log.warning("Database refused a value on %s %s: %s", request.method, request.url.path, exc.orig)
        if is_api_path(request.url.path):
            return _json(
                422, {"detail": [{"loc": ["body"], "msg": "A value cannot be stored.", "type": "value_error"}]}
            )
        return error_page(request, 422)

    @app.exception_handler(sa.exc.IntegrityError)
    async def concurrent_change(request: Request, exc: sa.exc.IntegrityError) -> Response:
        # Two requests created the same thing at once: the second is told, nothing is lost.
        log.info("Integrity conflict on %s %s: %s", request.method, request.url.path, type(exc.orig).__name__)
        if is_api_path(request.url.path):
            return _json(409, {"detail": "This conflicts with a change made at the same moment; reload and try again."})
        return error_page(request, 409)

    @app.exception_handler(sa.exc.OperationalError)
    async def busy(request: Request, exc: sa.exc.OperationalError) -> Response:
        if (refused := storage_error(request, exc)) is not None:
            return refused
        # The database is locked by a long write or unreachable: the server is busy, not broken.
        log.warning("Database unavailable on %s %s: %s", request.method, request.url.path, exc.orig)
        return _unavailable(request)

    @app.exception_handler(sa.exc.TimeoutError)
    async def no_connection(request: Request, exc: sa.exc.TimeoutError) -> Response:
        # Every connection of this worker's pool stayed in use for PRAXIS_DB_POOL_TIMEOUT: busy too.
        log.warning("No database connection free on %s %s: %s", request.method, request.url.path, exc)
        return _unavailable(request)

    def _unavailable(request: Request) -> Response:
        headers = {"Retry-After": "2"}
        if is_api_path(request.url.path):
            return _json(503, {"detail": "The database is busy; try again in a moment."}, headers)
        response = error_page(request, 503)
        response.headers.update(headers)
        return response

    @app.exception_handler(OSError)
    @app.exception_handler(sa.exc.DBAPIError)
    async def refused_write(request: Request, exc: Exception) -> Response:
        # A full or read-only disk under the search index, attached files or the database
        # (PostgreSQL's read-only transaction); anything else goes on to `unexpected`.
        if (refused := storage_error(request, exc)) is not None:
            return refused
        raise exc

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        if (refused := storage_error(request, exc)) is not None:
            return refused
        if isinstance(exc, sa.exc.TimeoutError | sa.exc.OperationalError):
            # Raised by a middleware (the page cache reads the change counter), outside the handlers above.
            log.warning("Database unavailable on %s %s: %s", request.method, request.url.path, exc)
            return _unavailable(request)
        log.exception("Unhandled error on %s %s", request.method, request.url.path)
        if is_api_path(request.url.path):
            return _json(500, {"detail": "Internal server error."})
        return error_page(request, 500)
