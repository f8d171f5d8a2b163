"""The files an import brings along: images, documents, audio and video that its notes embed or
link to (`![[image.png|300]]`, `![](img/a.png)`, `[label](files/doc.pdf)`), each kept as a file
of the note that refers to it.

A file passes the checks an upload passes (its type from its bytes, the size limit, an image's
metadata removed, a drawing sanitised); one it fails is a problem of the import, with its path
and the reason. Each file is read once, when it is checked, and waits in the store until the
import keeps it: its bytes once per content, one attachment per note. A note imported again
keeps the attachment it has of the same content, under the same address, so an unchanged note
stays unchanged. Files no note refers to are reported, not imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from praxis import policy
from praxis.config import site_settings
from praxis.db import insert_rows
from praxis.errors import DomainError, Invalid
from praxis.media import attachments
from praxis.media.paths import file_path
from praxis.media.store import FileStore
from praxis.models import Attachment
from praxis.transfer.sources import DOCS_CONFIGS, SourceFile

_IN_PLACE = ("image", "audio", "video")  # shown in place; anything else is a link


@dataclass
class Planned:
    """A file of a note, as the import will keep it."""

    attachment_id: str
    ready: attachments.Ready
    exists: bool  # the note has it already (imported before): nothing to keep


@dataclass
class Files:
    """The files of one import: checked once each, and which note keeps which under what id."""

    store: FileStore
    ready: dict[str, attachments.Ready] = field(default_factory=dict)  # by the file's path in the source
    problems: dict[str, tuple[SourceFile, Invalid]] = field(default_factory=dict)
    ids: dict[tuple[str, str], str] = field(default_factory=dict)  # (note id, file path) -> attachment id
    existing: dict[str, dict[str, str]] = field(default_factory=dict)  # note id -> {sha256/name: attachment id}
    referenced: set[str] = field(default_factory=set)
    recorded: set[str] = field(default_factory=set)  # attachment ids kept by this import
    rows: list[dict] = field(default_factory=list)  # the rows of files kept, written at the batch's end

    @classmethod
    def for_session(cls, session: Session) -> Files:
        return cls(FileStore.for_settings(site_settings(session)).unsynced())

    def load_existing(self, session: Session, note_ids: list[str]) -> None:
        """The files the notes of the import have already (an import again finds them)."""
        for start in range(0, len(note_ids), 1000):
            rows = session.exec(
                select(Attachment.note_id, Attachment.sha256, Attachment.name, Attachment.id).where(
                    col(Attachment.note_id).in_(note_ids[start : start + 1000])
                )
            ).all()
            for note_id, sha256, name, attachment_id in rows:
                if note_id is not None:
                    self.existing.setdefault(note_id, {})[f"{sha256}/{name}"] = attachment_id

    def check(self, file: SourceFile, by: str = "") -> attachments.Ready | None:
        """The file read and checked as an upload is (once); None when it is refused (`by`: the
        file that refers to it, which the problem names)."""
        self.referenced.add(file.rel)
        if file.rel in self.ready:
            return self.ready[file.rel]
        if file.rel in self.problems:
            return None
        try:
            with file.path.open("rb") as source:
                ready = attachments.receive(self.store, source, file.rel)
        except DomainError as exc:
            self.problems[file.rel] = (file, Invalid(f"{file.where}{_by(by)}: {_reason(exc)}"))
            return None
        except OSError as exc:
            self.problems[file.rel] = (file, Invalid(f"{file.where}{_by(by)}: cannot be read ({exc.strerror or exc})."))
            return None
        self.ready[file.rel] = ready
        return ready

    def plan(self, note_id: str, file: SourceFile, by: str = "") -> Planned | None:
        """The attachment `note_id` keeps of `file`: the same one it has of that content, else a new id."""
        ready = self.check(file, by)
        if ready is None:
            return None
        had = self.existing.get(note_id, {}).get(f"{ready.sha256}/{ready.name}")
        if had is not None:
            return Planned(had, ready, exists=True)
        attachment_id = self.ids.setdefault((note_id, file.rel), attachments.new_attachment_id())
        return Planned(attachment_id, ready, exists=False)

    def unreferenced(self, files: list[SourceFile]) -> list[str]:
        """The files of the source that no note refers to (a documentation site's configuration
        and a Praxis archive's manifest aside)."""
        own = {*DOCS_CONFIGS, "manifest.yaml"}
        return [f.rel for f in files if f.rel not in self.referenced and f.rel not in own]

    def keep(self, session: Session, actor: policy.Actor, note_id: str, planned: list[Planned]) -> int:
        """Keep a note's new files (its note written): their bytes now, their rows with the
        batch's (`sync`). How many."""
        kept = 0
        for item in planned:
            if item.exists or item.attachment_id in self.recorded:
                continue
            self.recorded.add(item.attachment_id)
            attachments.keep_blob(session, self.store, item.ready)
            self.rows.append(
                attachments.row_values(actor, item.ready, note_id=note_id, attachment_id=item.attachment_id)
            )
            self.existing.setdefault(note_id, {})[f"{item.ready.sha256}/{item.ready.name}"] = item.attachment_id
            kept += 1
        return kept

    def sync(self, session: Session) -> None:
        """Write the rows of the files kept, their bytes made durable first: once a batch rather
        than once a file (a file-by-file fsync costs a journal commit each)."""
        if self.rows:
            self.store.sync_all()
            insert_rows(session, Attachment, self.rows)
            self.rows = []

    def discard(self) -> None:
        """Let go of what waits in the store (a dry run, a refused import, the files kept)."""
        for ready in self.ready.values():
            self.store.discard(ready.received)


def markdown(note_id: str, planned: Planned, label: str, extra: str | None, in_place: bool) -> str:
    """A reference to a file, written again to the address of the note's attachment:
    `![[image.png|300]]` -> `![image.png|300](address)`, `[[doc.pdf]]` -> `[doc.pdf](address)`."""
    address = file_path(note_id, planned.attachment_id, planned.ready.name)
    shown = label if extra is None else f"{label}|{extra}"
    shown = re.sub(r"([\\\[\]])", r"\\\1", shown)
    bang = "!" if in_place and planned.ready.kind.kind in _IN_PLACE else ""
    return f"{bang}[{shown}]({address})"


def _by(rel: str) -> str:
    return f" (shown by {rel})" if rel else ""


def _reason(exc: DomainError) -> str:
    """What an upload of the file would have been told, as the import says it."""
    return exc.message.rstrip() or exc.__class__.__name__
