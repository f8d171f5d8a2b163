"""Images attached before uploads lost their personal metadata, cleaned where they are stored
(`praxis strip-metadata`): each blob is replaced by its clean version, its attachments point
to it, and the old blob goes. Running it again changes nothing."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import col

from praxis.config import Settings
from praxis.db import session_scope, take_turn
from praxis.errors import TooLarge
from praxis.media import images, metadata, sniff
from praxis.media.store import FileStore
from praxis.models import Attachment

log = logging.getLogger("praxis.attachments")

_IMAGES = {kind.media_type: kind for kind in sniff.IMAGES}


@dataclass
class StripReport:
    checked: int = 0  # distinct stored images read
    cleaned: int = 0  # of them, replaced by a version without metadata
    skipped: int = 0  # missing, unreadable, or too large once cleaned: left as they were


def strip_stored(
    *, engine: Engine, settings: Settings, store: FileStore, progress: Callable[[int], None] | None = None
) -> StripReport:
    """Remove personal metadata from every stored image, one blob (one transaction) at a time."""
    with session_scope(engine, settings, write=False) as session:
        blobs = session.execute(
            sa.select(col(Attachment.sha256), col(Attachment.media_type))
            .where(col(Attachment.media_type).in_(list(_IMAGES)))
            .distinct()
            .order_by(Attachment.sha256)
        ).all()
    report = StripReport()
    for sha256, media_type in blobs:
        report.checked += 1
        outcome = _strip_one(engine, settings, store, sha256, _IMAGES[media_type])
        report.cleaned += outcome == "cleaned"
        report.skipped += outcome == "skipped"
        if progress:
            progress(1)
    return report


def count_stored(*, engine: Engine, settings: Settings) -> int:
    """How many distinct stored images `strip_stored` reads."""
    with session_scope(engine, settings, write=False) as session:
        return session.execute(
            sa.select(sa.func.count(sa.distinct(col(Attachment.sha256)))).where(
                col(Attachment.media_type).in_(list(_IMAGES))
            )
        ).scalar_one()


def _strip_one(
    engine: Engine, settings: Settings, store: FileStore, sha256: str, kind: sniff.FileType
) -> Literal["cleaned", "clean", "skipped"]:
    """Replace one blob by its clean version."""
    path = store.blob_path(sha256)
    if not path.is_file():
        return "skipped"
    try:
        cleaned = metadata.without_metadata(path, kind)
    except images.UNREADABLE:
        log.warning("Stored image %s cannot be read; left as it is", sha256)
        return "skipped"
    if cleaned is None:
        return "clean"
    try:
        received = store.receive(io.BytesIO(cleaned))
    except TooLarge:
        log.warning("Stored image %s is over the upload limit once cleaned; left as it is", sha256)
        return "skipped"
    with session_scope(engine, settings) as session:
        # Uploads keeping, and deletions collecting, either blob wait for this (attachments._blob_turn).
        for key in sorted((sha256, received.sha256)):
            take_turn(session, f"praxis-blob:{key}")
        store.keep(received)
        thumbnail = store.thumbnail_path(sha256)
        if thumbnail.is_file():  # the same picture, as shown: the thumbnail stays the same
            store.write_thumbnail(received.sha256, thumbnail.read_bytes())
        session.execute(
            sa.update(Attachment)
            .where(col(Attachment.sha256) == sha256)
            .values(sha256=received.sha256, size=received.size)
        )
    with session_scope(engine, settings) as session:
        take_turn(session, f"praxis-blob:{sha256}")
        if (
            session.execute(sa.select(col(Attachment.id)).where(col(Attachment.sha256) == sha256).limit(1)).first()
            is None
        ):
            store.remove(sha256)
    return "cleaned"
