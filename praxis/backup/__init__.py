"""`praxis backup` and `praxis restore`: one archive holding everything a site holds.

The archive is a plain tar file:

- `manifest.json`, first: format and version, backend, Alembic revision, date, site counts, and
  what the archive must hold (so a truncated file is told from a complete one);
- `database/praxis.db.gz` (SQLite, a copy made with SQLite's online backup API, gzip-compressed) or
  `database/praxis.pgdump` (PostgreSQL, `pg_dump --format=custom`, compressed by pg_dump);
- `secret_key`, the generated key, when the data dir has one (sessions survive a restore);
- `uploads/<2 hex>/<sha256>`, the blobs of attached files, and `uploads/thumbs/…` their thumbnails.

The search index is derived from the database and never archived: a restore rebuilds it.

Consistency while the site serves writes. The database is snapshotted once, at one point in time:
SQLite's backup API copies the whole file in one step inside one read transaction (WAL writers go
on meanwhile); on PostgreSQL a REPEATABLE READ transaction exports its snapshot, reads the site's
attachments in it, and `pg_dump --snapshot` dumps exactly that state. Attached files are then
taken from the store: blobs are written (and synced) before the row that names them commits, and
removed only after the deletion of their last row commits, so every blob the snapshot names was
in the store when the snapshot was taken. Right after the snapshot, each blob it names is
hard-linked into a staging folder of the store (a link costs no copy, and keeps the bytes even if
the site removes the blob a moment later). A blob that is already gone by then was deleted by a
write committed after the snapshot: the backup takes a new snapshot, which no longer names it.
A blob missing from two snapshots in a row is not a race but a file the site had already lost;
the backup goes on without it, says so, and lists it in the manifest (the restored site answers
404 for it, as the live one does).

The package, by what each part holds: `common` (the archive's names, the error, the summary and
the small helpers both sides share), `snapshot` (one consistent state of each kind of database
and the blobs it names), `archive` (writing the archive and its manifest, and reading them back),
`restore` (checking an archive and its target, loading, migrating and reindexing).
"""

from praxis.backup.archive import create_backup
from praxis.backup.common import human_size
from praxis.backup.restore import restore_backup
from praxis.backup.snapshot import _BlobLinker

__all__ = ["_BlobLinker", "create_backup", "human_size", "restore_backup"]
