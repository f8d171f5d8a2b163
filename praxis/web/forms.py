"""Turning form posts into schemas, keeping what the person typed when something is wrong."""

from __future__ import annotations

from typing import Any, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel, ValidationError

from praxis.errors import Invalid

M = TypeVar("M", bound=BaseModel)

# What a person reads when a field is wrong, by pydantic's error type.
_MESSAGES = {
    "missing": "Ce champ est obligatoire.",
    "string_too_short": "Ce champ ne peut pas être vide.",
    "string_too_long": "Ce texte est trop long.",
    "string_pattern_mismatch": "Ce format n'est pas accepté.",
    "literal_error": "Choisissez une des valeurs proposées.",
    "int_parsing": "Un nombre entier est attendu.",
    "greater_than_equal": "Ce nombre est trop petit.",
    "less_than_equal": "Ce nombre est trop grand.",
    "too_long": "Il y a trop d'éléments.",
    "too_short": "Au moins un élément est attendu.",
    "datetime_from_date_parsing": "Une date est attendue (AAAA-MM-JJ).",
    "datetime_parsing": "Une date est attendue (AAAA-MM-JJ).",
    "extra_forbidden": "Ce champ n'est pas reconnu.",
    "value_error": "Valeur invalide.",
}
FIELD_LABELS = {
    "title": "Titre", "body": "Texte", "kind": "Type", "visibility": "Visibilité", "licence": "Licence",
    "authors": "Auteur·trices", "links": "Liens", "summary": "Résumé", "base_revision": "Révision de départ",
    "published_at": "Publication", "form": "Formulaire", "community": "Communauté", "readers": "Lecteur·trices",
    "username": "Nom d'utilisateur", "display_name": "Nom affiché", "email": "Courriel", "password": "Mot de passe",
    "current_password": "Mot de passe actuel", "new_password": "Nouveau mot de passe",
    "website": "Site web", "region": "Région", "description": "Description", "definition": "Définition",
    "synonyms": "Synonymes", "family_name": "Nom de famille", "given_name": "Prénom(s)",
    "is_organisation": "Organisation", "style": "Style de citation", "accessed": "Date de consultation", "rev": "Révision",
    "parent_id": "Réponse à", "reason": "Raison",
}


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


def first_error(errors: dict[str, str]) -> Invalid:
    """The first wrong field of a form that has no page of its own to show it on, as a 422."""
    field = next(iter(errors))
    return Invalid(errors[field], field=field)


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
