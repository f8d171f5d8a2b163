"""Draft uploads: files sent from the editor before the note that shows them is saved (a new
note has no id yet to attach them to), kept as attachments without a note.

A draft is its uploader's alone: served at `/envois/{id}/{name}` to them and to no one else.
When that person creates or saves a note whose text refers to it by that address, the save
claims it (`adopt` then `claim`, in `notes.write_new_note` and `notes.save_note`, the doors of
every writer): it becomes a file of the note and the text says the note's file address. A
draft no save claimed is deleted 24 hours after its upload (`sweep`: at each draft upload, and
hourly in the `praxis indexer` process that `praxis serve` runs), and one person keeps at most
`MAX_PENDING` drafts weighing at most `PENDING_UPLOADS` uploads together, so drafts cannot fill
the disk.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from praxis import policy
from praxis.config import Settings
from praxis.db import session_scope
from praxis.errors import Conflict
from praxis.i18n import N_, format_size
from praxis.media.blobs import collect_after_commit
from praxis.media.paths import DRAFTS, file_prefix
from praxis.media.store import FileStore
from praxis.models import Attachment, utcnow
from praxis.urls import site_url

log = logging.getLogger("praxis.attachments")

LIFETIME = timedelta(hours=24)  # a draft no save claimed is deleted this long after its upload
MAX_PENDING = 50  # drafts one person may keep at once
PENDING_UPLOADS = 10  # their weight together, in largest uploads (PRAXIS_MAX_UPLOAD_BYTES)
SWEEP_BATCH = 200  # expired drafts deleted in one transaction
SWEEP_INTERVAL = 3600.0  # seconds between two sweeps of the indexer process

# A draft's address in a text: `/envois/ID/`, alone or after the site's URL, not inside another
# address (`https://ailleurs.example/envois/ID/` is someone else's).
_REFERENCE = re.compile(re.escape(DRAFTS) + r"([A-Za-z0-9_\-]{1,32})/")
_INSIDE_ADDRESS = re.compile(r"[\w/.:%@~+\-]$")


# --- what one person may keep ------------------------------------------------------------------


def check_room(session: Session, actor: policy.Actor, *, adding: int, max_upload_bytes: int) -> None:
    """Conflict when one more draft of `adding` bytes would take `actor` past what one person
    may keep waiting for a save."""
    if actor is None:
        return
    count, total = session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(col(Attachment.size)), 0)).where(
            col(Attachment.note_id).is_(None),
            col(Attachment.uploaded_by_id) == actor.id,
            col(Attachment.created_at) >= utcnow() - LIFETIME,
        )
    ).one()
    if count >= MAX_PENDING:
        raise Conflict(
            f"You already have {MAX_PENDING} uploaded files that no saved note shows: save the note that "
            "shows them, or wait until they expire, 24 hours after their upload.",
            field="file",
            text=N_(
                "Vous avez déjà %(count)s fichiers envoyés qu'aucune note enregistrée ne montre : enregistrez la "
                "note qui les montre, ou attendez qu'ils expirent, 24 heures après leur envoi."
            ),
            params={"count": MAX_PENDING},
        )
    most = PENDING_UPLOADS * max_upload_bytes
    if total + adding > most:
        raise Conflict(
            f"Your uploaded files that no saved note shows would weigh more than {format_size(most, 'en')} "
            "together: save the note that shows them first, or wait until they expire, 24 hours after their upload.",
            field="file",
            text=N_(
                "Vos fichiers envoyés qu'aucune note enregistrée ne montre pèseraient ensemble plus de %(size)s : "
                "enregistrez d'abord la note qui les montre, ou attendez qu'ils expirent, 24 heures après leur envoi."
            ),
            params={"size": format_size(most)},
        )


# --- claimed by a save -------------------------------------------------------------------------


def adopt(session: Session, actor: policy.Actor, body: str, note_id: str) -> tuple[str, list[str]]:
    """`body` with the addresses of the actor's drafts it shows turned into those of `note_id`'s
    files, and the ids of those drafts, for `claim` once the note is written. The drafts of
    anyone else, and addresses of what is not a draft, are left as they are written."""
    if actor is None or DRAFTS not in body:
        return body, []
    site = site_url(session)
    referred = {m.group(1) for m in _REFERENCE.finditer(body) if _stands_alone(body, m.start(), site)}
    if not referred:
        return body, []
    # Locked until the save commits (PostgreSQL): a sweep running meanwhile skips them.
    mine = set(
        session.exec(
            select(Attachment.id)
            .where(
                col(Attachment.id).in_(sorted(referred)),
                col(Attachment.note_id).is_(None),
                col(Attachment.uploaded_by_id) == actor.id,
            )
            .with_for_update()
        ).all()
    )
    if not mine:
        return body, []

    def moved(match: re.Match[str]) -> str:
        draft_id = match.group(1)
        if draft_id in mine and _stands_alone(body, match.start(), site):
            return file_prefix(note_id, draft_id)
        return match.group(0)

    return _REFERENCE.sub(moved, body), sorted(mine)


def _stands_alone(text: str, start: int, site: str) -> bool:
    before = text[max(0, start - len(site) - 1) : start]
    return before.endswith(site) or not _INSIDE_ADDRESS.search(before)


def claim(session: Session, actor: policy.Actor, note_id: str, draft_ids: Sequence[str]) -> None:
    """Make the drafts `adopt` found files of the note just written; Conflict (and the save
    rolls back) when one of them was claimed or deleted since."""
    if not draft_ids or actor is None:
        return
    result = cast(
        sa.CursorResult[Any],
        session.execute(
            sa.update(Attachment)
            .where(
                col(Attachment.id).in_(list(draft_ids)),
                col(Attachment.note_id).is_(None),
                col(Attachment.uploaded_by_id) == actor.id,
            )
            .values(note_id=note_id)
            .execution_options(synchronize_session=False)
        ),
    )
    if result.rowcount != len(draft_ids):
        raise Conflict(
            "A file sent for this note is no longer waiting for it (it expired, or another note was saved "
            "with it meanwhile): nothing was saved. Send the file again.",
            text=N_(
                "Un fichier envoyé pour cette note ne l'attend plus (il a expiré, ou une autre note a été "
                "enregistrée avec lui entre-temps) : rien n'a été enregistré. Envoyez le fichier de nouveau."
            ),
        )


# --- deleted when no save claimed them ---------------------------------------------------------


def sweep(session: Session, store: FileStore, *, now: datetime | None = None, limit: int = SWEEP_BATCH) -> int:
    """Delete up to `limit` drafts older than `LIFETIME`, in the session's transaction; their
    blobs go once it commits, unless another file holds the same bytes. How many were found."""
    cutoff = (now or utcnow()) - LIFETIME
    expired = session.execute(
        sa.select(col(Attachment.id), col(Attachment.sha256))
        .where(col(Attachment.note_id).is_(None), col(Attachment.created_at) < cutoff)
        .order_by(col(Attachment.created_at))
        .limit(limit)
    ).all()
    if not expired:
        return 0
    # Still drafts: one claimed meanwhile (PostgreSQL, after its save's lock) is left to its note.
    session.execute(
        sa.delete(Attachment)
        .where(col(Attachment.id).in_([row[0] for row in expired]), col(Attachment.note_id).is_(None))
        .execution_options(synchronize_session=False)
    )
    collect_after_commit(session, store, (row[1] for row in expired))
    return len(expired)


def sweep_all(engine: Engine, settings: Settings, store: FileStore, *, now: datetime | None = None) -> int:
    """Delete every expired draft, one batch (one transaction) at a time; how many there were."""
    total = 0
    while True:
        with session_scope(engine, settings) as session:
            found = sweep(session, store, now=now)
        total += found
        if found < SWEEP_BATCH:
            return total


def sweep_every(engine: Engine, settings: Settings, stop: threading.Event, interval: float = SWEEP_INTERVAL) -> None:
    """Sweep now, then every `interval` seconds until `stop` is set (a thread of `praxis indexer`)."""
    store = FileStore.for_settings(settings)
    while True:
        try:
            if swept := sweep_all(engine, settings, store):
                log.info("Deleted %d draft upload(s) no save claimed within %s", swept, LIFETIME)
        except Exception:  # the next round tries again
            log.exception("Could not delete the expired draft uploads")
        if stop.wait(interval):
            return
