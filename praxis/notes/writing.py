"""The editor's help: a preview rendered exactly as saving would, and the conflict screen's merge."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from praxis import policy
from praxis.diff import word_diff
from praxis.errors import NotFound
from praxis.markdown import outside_embeds, render, wikilinks_in
from praxis.merge import Merged, merge_line, merge_texts
from praxis.models import Note
from praxis.notes import links
from praxis.notes import notes as note_service
from praxis.notes import revisions as revision_service
from praxis.schemas import NoteRead, PreviewRead, PreviewRequest, RevisionSummary

SHOWN_REVISIONS = 10  # the conflict screen names at most this many revisions saved meanwhile


def preview(*, session: Session, actor: policy.Actor, data: PreviewRequest) -> PreviewRead:
    """`data.body` as its writer would see it once saved: rendered by the one renderer with the
    wikilinks resolved as saving resolves them, then shown as reading shows them to `actor` (a
    link to a note they may not see reads like a link to a note that does not exist)."""
    policy.require_signed_in(actor, "Sign in to preview a note.")
    if data.note_id is not None:
        note_service.load_readable(session, actor, data.note_id)
    rendered = render(data.body, links.resolver(session, source=data.note_id))  # as insert_notes and apply_state
    html = links.visible_html(session, actor, rendered.html)  # as read_note
    leads_to = {target: note_id for note_id, target in wikilinks_in(outside_embeds(html))}
    chosen = list(dict.fromkeys(i for w in rendered.wikilinks if (i := leads_to.get(w.target)) and i != data.note_id))
    notes = {n.id: n for n in session.exec(select(Note).where(col(Note.id).in_(chosen)))} if chosen else {}
    return PreviewRead(
        html=html,
        links=links.grouped([links.note_ref(session, notes[i]) for i in chosen if i in notes]),
        missing=[w.target for w in rendered.wikilinks if w.target not in leads_to],
    )


@dataclass
class ConflictView:
    """What the conflict screen shows: the revisions saved since the author's, both versions,
    how they differ, and the merge offered in the editable fields."""

    base_revision: int
    current: NoteRead
    revisions: list[RevisionSummary]
    more_revisions: int
    base_found: bool
    your_title: str
    your_body: str
    title: str  # offered in the title field
    title_conflict: bool  # both changed the title differently: the author's is offered
    merged: Merged
    body_diff: list[dict[str, str]] = field(default_factory=list)  # from the current text to the author's

    @property
    def clean(self) -> bool:
        return self.merged.clean and not self.title_conflict


def reconcile(
    *,
    session: Session,
    actor: policy.Actor,
    current: NoteRead,
    base_revision: int,
    title: str,
    body: str,
    yours_label: str,
    theirs_label: str,
) -> ConflictView:
    """Merge what the author wrote from `base_revision` with the `current` note, saved meanwhile."""
    try:
        base = revision_service.get_revision(session=session, actor=actor, note_id=current.id, number=base_revision)
        base_title, base_body, base_found = base.title, base.body, True
    except NotFound:  # a base that never was: nothing is common, every difference is a conflict
        base_title, base_body, base_found = "", "", False
    since = [
        r
        for r in revision_service.list_revisions(session=session, actor=actor, note_id=current.id)
        if r.number > base_revision
    ]
    merged_title = (
        merge_line(base_title, title, current.title) if base_found else (title if title == current.title else None)
    )
    return ConflictView(
        base_revision=base_revision,
        current=current,
        revisions=since[:SHOWN_REVISIONS],
        more_revisions=max(0, len(since) - SHOWN_REVISIONS),
        base_found=base_found,
        your_title=title,
        your_body=body,
        title=merged_title if merged_title is not None else title,
        title_conflict=merged_title is None,
        merged=merge_texts(base_body, body, current.body, yours_label=yours_label, theirs_label=theirs_label),
        body_diff=word_diff(current.body, body),
    )
