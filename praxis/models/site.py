"""Table models: the site's own state (its version and identity), its periodic jobs and the search queue."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from praxis.models.common import UTCDateTime, utcnow


class SiteState(SQLModel, table=True):
    """One row: a counter that every committed change readers can see moves forward, and when it
    last moved. Pages cached for visitors, and their ETag and Last-Modified, are keyed on it.
    Also the version of the renderer (`praxis.markdown.VERSION`) the stored renderings were made by."""

    __tablename__ = "site_state"

    id: int = Field(default=1, primary_key=True)
    version: int = Field(default=1, sa_type=sa.BigInteger)
    changed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # 0: made before renderers had versions. Another version than the code's: every stored
    # rendering is made again (notes.renderings), then this says the code's.
    rendered_with: int = Field(default=0)


class SiteIdentity(SQLModel, table=True):
    """One row: a UUID the site was given once, when its database was made. The ids of its Atom
    feeds and entries are derived from it, so they outlive a change of address (RFC 4287, 4.2.6)
    and a backup restored elsewhere keeps them."""

    __tablename__ = "site_identity"

    id: int = Field(default=1, primary_key=True)
    uuid: str = Field(max_length=36)


class ScheduledJob(SQLModel, table=True):
    """When a periodic job (the daily digest) last ran, shared by every worker."""

    __tablename__ = "scheduled_job"

    name: str = Field(primary_key=True, max_length=64)
    last_run_at: datetime = Field(sa_type=UTCDateTime)


class SearchQueue(SQLModel, table=True):
    """A note whose search document must be rewritten: written in the same transaction as the
    change, removed once the index holds it. What is left after a crash is applied at start."""

    __tablename__ = "search_queue"

    id: int | None = Field(default=None, primary_key=True)
    note_id: str = Field(max_length=32)  # no foreign key: a purged note is still to be removed
    queued_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # The notes linking to it are rewritten too: a term's or organisation's title, kind or
    # visibility changed (linking notes' documents hold it), or it came or went.
    dependents: bool = Field(default=True)
