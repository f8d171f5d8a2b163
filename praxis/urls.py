"""Absolute URLs of the site's objects, from the site URL the session carries."""

from __future__ import annotations

from urllib.parse import quote

from sqlmodel import Session

from praxis.config import site_settings


def site_url(session: Session) -> str:
    return site_settings(session).site_url.rstrip("/")


def note_url(session: Session, note_id: str) -> str:
    return f"{site_url(session)}/n/{quote(note_id)}/"


def user_url(session: Session, username: str) -> str:
    return f"{site_url(session)}/u/{quote(username)}/"


def community_url(session: Session, community_id: str) -> str:
    return f"{site_url(session)}/communautes/{quote(community_id)}/"


def carnet_url(session: Session, carnet_id: str) -> str:
    return f"{site_url(session)}/c/{quote(carnet_id)}/"


def base_url(session: Session, base_id: str) -> str:
    return f"{site_url(session)}/b/{quote(base_id)}/"
