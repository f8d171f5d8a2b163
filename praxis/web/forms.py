"""Turning form posts into schemas, keeping what the person typed when something is wrong."""

from __future__ import annotations

from typing import Any, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


def parse_form(model: type[M], data: dict[str, Any]) -> tuple[M | None, dict[str, str]]:
    """The schema built from form fields, or None and an error message per field."""
    try:
        return model.model_validate(data), {}
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for err in exc.errors():
            name = str(err["loc"][0]) if err["loc"] else "form"
            errors.setdefault(name, err["msg"])
        return None, errors


def safe_next(url: str | None, default: str = "/") -> str:
    """A local path to go back to after signing in; never another site."""
    if not url:
        return default
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not url.startswith("/") or url.startswith("//") or "\\" in url:
        return default
    return url
