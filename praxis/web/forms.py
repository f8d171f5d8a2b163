"""Turning form posts into schemas, keeping what the person typed when something is wrong."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar
from urllib.parse import urlsplit

from fastapi import Form
from pydantic import BaseModel, ValidationError
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from praxis import text
from praxis.errors import DomainError, Invalid
from praxis.i18n import N_, gettext
from praxis.schemas.common import USERNAME_ERROR

M = TypeVar("M", bound=BaseModel)

# What a person reads when a field is wrong, by pydantic's error type.
_MESSAGES = {
    "missing": N_("Ce champ est obligatoire."),
    "string_too_short": N_("Ce champ ne peut pas être vide."),
    "string_too_long": N_("Ce texte est trop long."),
    "string_pattern_mismatch": N_("Ce format n'est pas accepté."),
    USERNAME_ERROR: N_(
        "Un nom d'utilisateur a de 2 à 64 caractères : lettres de a à z sans accent, chiffres, point, tiret et"
        " tiret bas (_), sans espace ; il commence par une lettre ou un chiffre."
    ),
    "literal_error": N_("Choisissez une des valeurs proposées."),
    "int_parsing": N_("Un nombre entier est attendu."),
    "greater_than_equal": N_("Ce nombre est trop petit."),
    "less_than_equal": N_("Ce nombre est trop grand."),
    "too_long": N_("Il y a trop d'éléments."),
    "too_short": N_("Au moins un élément est attendu."),
    "datetime_from_date_parsing": N_("Une date est attendue (AAAA-MM-JJ)."),
    "datetime_parsing": N_("Une date est attendue (AAAA-MM-JJ)."),
    "extra_forbidden": N_("Ce champ n'est pas reconnu."),
    "value_error": N_("Valeur invalide."),
    text.ERROR_TYPE: N_(
        "Ce texte contient un caractère invisible qui ne peut pas être enregistré (un caractère de contrôle ou un non-caractère) : retirez-le."
    ),
}
FIELD_LABELS = {
    "title": N_("Titre"),
    "body": N_("Texte"),
    "kind": N_("Type"),
    "visibility": N_("Visibilité"),
    "licence": N_("Licence"),
    "authors": N_("Auteur·trices"),
    "links": N_("Liens"),
    "summary": N_("Résumé"),
    "base_revision": N_("Révision de départ"),
    "published_at": N_("Publication"),
    "form": N_("Formulaire"),
    "community": N_("Communauté"),
    "readers": N_("Lecteur·trices"),
    "username": N_("Nom d'utilisateur"),
    "display_name": N_("Nom affiché"),
    "email": N_("Courriel"),
    "password": N_("Mot de passe"),
    "current_password": N_("Mot de passe actuel"),
    "new_password": N_("Nouveau mot de passe"),
    "website": N_("Site web"),
    "region": N_("Région"),
    "description": N_("Description"),
    "definition": N_("Définition"),
    "synonyms": N_("Synonymes"),
    "aliases": N_("Autres noms"),
    "keywords": N_("Mots-clés"),
    "properties": N_("Autres métadonnées"),
    "family_name": N_("Nom de famille"),
    "given_name": N_("Prénom(s)"),
    "is_organisation": N_("Organisation"),
    "style": N_("Style de citation"),
    "accessed": N_("Date de consultation"),
    "rev": N_("Révision"),
    "parent_id": N_("Réponse à"),
    "reason": N_("Raison"),
    "subject": N_("Objet"),
    "message": N_("Message"),
    "name": N_("Nom"),
    "new_name": N_("Nouveau nom"),
    "role": N_("Rôle"),
    "axes": N_("Listes de catégories"),
    "categories": N_("Catégories"),
    "category": N_("Catégorie"),
    "to": N_("Catégorie d'arrivée"),
    "notes": N_("Notes"),
    "note_id": N_("Note"),
    "carnet": N_("Carnet"),
    "carnet_id": N_("Carnet"),
    "carnets": N_("Carnets"),
    "entries": N_("Notes du carnet"),
    "position": N_("Position"),
    "pinned": N_("Épinglée"),
    "step": N_("Déplacement"),
    "file": N_("Fichier"),
    "reveal_address": N_("Montrer mon adresse"),
    "number": N_("Révision"),
    "id": N_("Identifiant"),
    # The notifications form names its fields by kind of notification.
    "comment": N_("Commentaires"),
    "reply": N_("Réponses"),
    "edit_request": N_("Demandes de droits d'édition"),
    "edit_decision": N_("Réponses à mes demandes"),
    "carnet_entry": N_("Notes intégrées à un carnet"),
    "author_invitation": N_("Invitations à co-signer"),
    "decision": N_("Réponse"),
}


def field_label(name: str) -> str:
    """A field's name as the reader knows it, in the reader's language ("Style de citation")."""
    return gettext(FIELD_LABELS.get(name, name))


def french_message(error_type: str, fallback: str) -> str:
    return _MESSAGES.get(error_type, "Valeur invalide." if error_type else fallback)


def parse_form(model: type[M], data: dict[str, Any]) -> tuple[M | None, dict[str, str]]:
    """The schema built from form fields, or None and a French message per field."""
    try:
        return model.model_validate(data), {}
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for err in exc.errors():
            name = str(err["loc"][0]) if err["loc"] else "form"
            errors.setdefault(name, french_message(err.get("type", ""), err.get("msg", "")))
        return None, errors


class FormInvalid(Invalid):
    """What a form's schema refused: a message (French, a message id) per wrong field. Shown on
    the form's page when the route named one (`form_page`), else on the error page, which names
    the first wrong field."""

    def __init__(self, errors: dict[str, str]) -> None:
        field = next(iter(errors))
        super().__init__(errors[field], field=field)
        self.errors = dict(errors)


def parse(model: type[M], data: dict[str, Any]) -> M:
    """The schema built from form fields; FormInvalid, with a message per wrong field, if not."""
    built, errors = parse_form(model, data)
    if built is None:
        raise FormInvalid(errors)
    return built


# The member forms of carnets, bases and communities post whom to add (a username) and, but for
# a base's managers, with which role; each collection's schema (`member_form`) says which roles.
MemberName = Annotated[str, Form(max_length=64)]
MemberRole = Annotated[str, Form(max_length=16)]


def member_form(model: type[M], username: str, role: str | None = None) -> M:
    """A member form's fields as the collection's schema; FormInvalid, field by field, if wrong."""
    return parse(model, {"username": username} if role is None else {"username": username, "role": role})


# How a form's page is shown again: from a reading session, the messages per field, the status.
ShowForm = Callable[[Session, dict[str, str], int], Response]


@dataclass(frozen=True)
class FormPage:
    answer: Callable[[Session, DomainError], Response]  # the page, from a reading session and the refusal
    answers: tuple[type[DomainError], ...]  # the refusals it shows (others: the error page)


def form_page(
    request: Request, show: ShowForm, *, answers: tuple[type[DomainError], ...] = (Invalid,), field: str = "form"
) -> None:
    """Name the page on which this form post is shown again if it is refused, by its schema
    (`parse`, `FormInvalid`) or by a service raising one of `answers`; a refusal that names no
    field is said at `field`. The route then only parses, calls the service and answers: the
    error handler (web/errors.py) shows `show` with what was typed (which `show` holds) and why,
    in the reader's language, at the refusal's status, once the request's transaction has ended
    the way every refusal's does (`db.session_scope`: what the refusal keeps, such as a failed
    sign-in, committed; the rest rolled back)."""
    refused_page(request, lambda reading, exc: show(reading, errors_of(exc, field), exc.status), answers=answers)


def refused_page(
    request: Request, answer: Callable[[Session, DomainError], Response], *, answers: tuple[type[DomainError], ...]
) -> None:
    """Like `form_page`, for a page built from the refusal itself (the editor's conflict screen,
    from the version saved meanwhile). The page named last that shows a refusal shows it."""
    request.state.form_pages = [*getattr(request.state, "form_pages", ()), FormPage(answer, answers)]


def page_for(request: Request, exc: DomainError) -> FormPage | None:
    """The page named for this refusal, if any; it is taken, so that a refusal met while
    showing it goes to the error page."""
    pages = getattr(request.state, "form_pages", ())
    request.state.form_pages = []
    return next((form for form in reversed(pages) if isinstance(exc, form.answers)), None)


def errors_of(exc: DomainError, field: str = "form") -> dict[str, str]:
    """A refusal as a form shows it: a message per field, in the reader's language (or a message id)."""
    if isinstance(exc, FormInvalid):
        return dict(exc.errors)
    return {getattr(exc, "field", None) or exc.extra.get("field") or field: exc.shown()}


def split_list(value: str) -> list[str]:
    """ "alice, bob ;carole" -> ["alice", "bob", "carole"]."""
    return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]


def safe_next(url: str | None, default: str = "/") -> str:
    """A local path to go back to after signing in; never another site."""
    if not url:
        return default
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not url.startswith("/") or url.startswith("//") or "\\" in url:
        return default
    return url
