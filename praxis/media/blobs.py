"""Blobs shared by content: the turn that uploads keeping a blob and deletions collecting it
take, and the collection, once a deletion is committed, of the blobs no file holds any more."""

from __future__ import annotations

import logging
from collections.abc import Iterable

import sqlalchemy as sa
from sqlmodel import Session, col

from praxis.db import engine_of, take_turn, writer
from praxis.media.store import FileStore
from praxis.models import Attachment

log = logging.getLogger("praxis.attachments")


def blob_turn(session: Session, sha256: str) -> None:
    """Wait for, then hold until commit, the turn on one blob: uploads keeping it and deletions
    collecting it go one at a time. On SQLite their transactions already do (both write from
    their first statement, holding the write lock); on PostgreSQL they take a
    transaction-scoped advisory lock on the blob."""
    take_turn(session, f"praxis-blob:{sha256}")


def collect_after_commit(session: Session, store: FileStore, sha256s: Iterable[str]) -> None:
    """Once the session's deletions are committed, remove each of these blobs that no file
    (of any note, deleted ones included, or draft) holds by then."""
    wanted = sorted(set(sha256s))
    if not wanted:
        return
    engine: sa.Engine = engine_of(session) or session.get_bind().engine

    def collect(_session: Session) -> None:
        for sha256 in wanted:
            try:
                # A writing transaction, after its turn: an upload of the same bytes either
                # committed its file before (seen here) or keeps the blob after this (and writes it again).
                with Session(writer(engine)) as turn, turn.begin():
                    blob_turn(turn, sha256)
                    used = turn.execute(
                        sa.select(col(Attachment.id)).where(col(Attachment.sha256) == sha256).limit(1)
                    ).first()
                    if used is None:
                        store.remove(sha256)
            except Exception:  # the deletion stands; an unused blob left behind harms no one
                log.exception("Could not remove the unused blob %s", sha256)

    sa.event.listen(session, "after_commit", collect, once=True)
