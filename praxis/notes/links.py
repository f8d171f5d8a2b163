"""Links between notes: wikilink resolution, link rows, what each reader sees of them."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from praxis import policy
from praxis.db import insert_rows
from praxis.errors import Invalid
from praxis.i18n import N_
from praxis.markdown import (
    Embedded,
    Rendered,
    Resolved,
    apostrophe_forms,
    embedded_ids,
    expand_embeds,
    fold,
    has_embeds,
    mark_kinds,
    relink_wikilinks,
    render,
    render_many,
    wikilinks_in,
)
from praxis.models import Note, NoteLabel, NoteLink, Revision, pk
from praxis.schemas import NoteLinks, NoteRef, is_note_id
from praxis.urls import note_url

MAX_WIKILINKS = 1000
_KIND_GROUP = {"note": "notes", "organisation": "organisations", "term": "terms"}


def resolver(
    session: Session, among: policy.Actor = policy.SYSTEM, *, source: str | None = None
) -> Callable[[Sequence[str]], Mapping[str, Resolved]]:
    """Resolve wikilink targets among the notes `among` may read (at writing: all live notes):
    an id first, else a title (case- and accent-insensitive, straight and typographic apostrophes
    alike: [[Grille d'analyse]] finds "Grille d’analyse"), the oldest note winning a shared one,
    else an alias (likewise, the oldest note with it winning).
    Each reader then sees the links as `visible_html` and `links_of` give them.

    `source`: the note whose text is rendered again. A wikilink it already had keeps the note it
    led to, while that note exists, whatever its title is now: renaming a note never breaks the
    links written with its old title, nor moves them to another note that takes that title."""

    def resolve(targets: Sequence[str]) -> Mapping[str, Resolved]:
        if len(targets) > MAX_WIKILINKS:
            raise _too_many_wikilinks()
        spellings: dict[str, list[str]] = {}
        for target in targets:
            spellings.setdefault(fold(target), []).append(target)
        forms: dict[str, list[str]] = {}  # a title key -> the keys of the targets it answers
        for key in spellings:
            for form in apostrophe_forms(key[:300]):
                forms.setdefault(form, []).append(key)
        ids = [t for t in targets if is_note_id(t)]
        kept: dict[str, str] = {}
        if source is not None:
            kept = {
                key: target_id
                for key, target_id in session.exec(
                    select(NoteLink.target_key, NoteLink.target_id).where(
                        NoteLink.source_id == source,
                        NoteLink.origin == "wikilink",
                        col(NoteLink.target_id).is_not(None),
                        col(NoteLink.target_key).in_([key[:300] for key in spellings]),
                    )
                ).all()
                if key is not None and target_id is not None
            }
        rows = session.exec(
            select(Note.id, Note.title, Note.title_key)
            .where(policy.visible_notes(among))
            .where(sa.or_(col(Note.id).in_(ids + list(kept.values())), col(Note.title_key).in_(list(forms))))
            .order_by(col(Note.created_at), col(Note.id))
        ).all()
        found: dict[str, Resolved] = {}
        by_id = {note_id: title for note_id, title, _key in rows}
        for target in ids:
            if target in by_id:
                found[target] = Resolved(target, by_id[target])
        for key, target_id in kept.items():  # the note a link already led to
            if target_id in by_id:
                for target in spellings.get(key, ()):
                    found.setdefault(target, Resolved(target_id, by_id[target_id]))
        for note_id, title, title_key in rows:  # the oldest note with a title wins
            for key in forms.get(title_key, ()):
                for target in spellings[key]:
                    found.setdefault(target, Resolved(note_id, title))
        unnamed = [form for form, keys in forms.items() if any(t not in found for k in keys for t in spellings[k])]
        if unnamed:  # then another name of a note
            for note_id, title, label_key in session.exec(
                select(Note.id, Note.title, NoteLabel.key)
                .join(NoteLabel, col(NoteLabel.note_id) == Note.id)
                .where(policy.visible_notes(among), NoteLabel.kind == "alias")
                .where(col(NoteLabel.key).in_(unnamed))
                .order_by(col(Note.created_at), col(Note.id))
            ).all():
                for key in forms.get(label_key, ()):
                    for target in spellings[key]:
                        found.setdefault(target, Resolved(note_id, title))
        return found

    return resolve


def _too_many_wikilinks() -> Invalid:
    return Invalid(
        f"A note can link to at most {MAX_WIKILINKS} different notes with [[wikilinks]].",
        field="body",
        text=N_("Une note peut lier au plus %(max)s notes différentes avec des [[liens]]."),
        params={"max": MAX_WIKILINKS},
    )


def render_all(session: Session, bodies: Sequence[str], *, comment: bool = False) -> list[Rendered]:
    """Several notes' bodies rendered as `render(body, resolver(session))` renders each, their
    wikilinks resolved together, a thousand targets a query (import links notes by the batch;
    `comment`: comments' bodies, with the comments' renderer)."""
    resolve = resolver(session)

    def in_chunks(targets: Sequence[str]) -> Mapping[str, Resolved]:
        found: dict[str, Resolved] = {}
        for start in range(0, len(targets), MAX_WIKILINKS):
            found.update(resolve(targets[start : start + MAX_WIKILINKS]))
        return found

    rendered = render_many(bodies, in_chunks, comment=comment)
    if any(len(r.wikilinks) > MAX_WIKILINKS for r in rendered):
        raise _too_many_wikilinks()
    return rendered


def visible_ids(session: Session, actor: policy.Actor, ids: Sequence[str]) -> set[str]:
    if not ids:
        return set()  # a note without links asks nothing
    return set(session.exec(select(Note.id).where(col(Note.id).in_(list(ids)), policy.visible_notes(actor))))


def visible_kinds(session: Session, actor: policy.Actor, ids: Sequence[str]) -> dict[str, str]:
    """The kind of each of these notes that the actor may see."""
    rows = session.exec(select(Note.id, Note.kind).where(col(Note.id).in_(list(ids)), policy.visible_notes(actor)))
    return dict(rows.all())


def visible_html(session: Session, actor: policy.Actor, html: str, *, comment: bool = False) -> str:
    """A stored rendering (of a note, or of a comment) as `actor` may see it, each wikilink
    marked with the kind of the note it leads to (`kind-note`, `kind-term`, `kind-organisation`),
    and each `![[embed]]` showing the text of the note it leads to.

    A wikilink whose note the reader may not see points instead to the oldest note of that title
    they may see, or reads exactly like a wikilink to a note that does not exist: a hidden note
    can neither be seen nor be told apart from a missing one. The stored rendering holds no
    kind: it is shared by every reader, and only links that lead somewhere visible get one.
    An embed follows its link: a note's text is shown only where its link leads to it.
    """
    html = _links_as_seen(session, actor, html, comment=comment)
    if comment or not has_embeds(html):
        return html
    wanted = embedded_ids(html)  # the notes the embeds lead this reader to
    rows = (
        session.exec(
            select(Note.id, Note.title, Note.html).where(col(Note.id).in_(wanted), policy.visible_notes(actor))
        ).all()
        if wanted
        else []
    )
    shown = expand_embeds(html, {note_id: Embedded(note_id, title, text) for note_id, title, text in rows})
    # The embedded texts' own links, as this reader sees them (those of the page are already).
    return _links_as_seen(session, actor, shown) if rows else shown


def _links_as_seen(session: Session, actor: policy.Actor, html: str, *, comment: bool = False) -> str:
    linked = wikilinks_in(html)
    if not linked:
        return html
    kinds = visible_kinds(session, actor, list(dict.fromkeys(i for i, _ in linked)))
    hidden_targets = [target for note_id, target in linked if note_id not in kinds]
    if hidden_targets:
        fallback = resolver(session, actor)(list(dict.fromkeys(hidden_targets)))

        def choose(note_id: str, target: str) -> str | None:
            if note_id in kinds:
                return note_id
            hit = fallback.get(target)
            return hit.id if hit else None

        html = relink_wikilinks(html, choose, comment=comment)
        others = [hit.id for hit in fallback.values() if hit.id not in kinds]
        if others:
            kinds.update(visible_kinds(session, actor, others))
    return mark_kinds(html, kinds)


def checked_links(session: Session, actor: policy.Actor, ids: Sequence[str]) -> list[str]:
    """The ids, once each; 422 on `links` for one the actor may not see (or that does not exist)."""
    wanted = list(dict.fromkeys(ids))
    found = visible_ids(session, actor, wanted)
    missing = [i for i in wanted if i not in found]
    if missing:
        raise Invalid(
            f"Unknown note in links: {', '.join(missing)}.",
            field="links",
            text=N_("Aucune note ne correspond à ces liens : %(names)s."),
            params={"names": ", ".join(missing)},
        )
    return wanted


def link_rows(note_id: str, explicit: Sequence[str], rendered: Rendered) -> list[dict[str, Any]]:
    """The `note_link` rows of a note: its explicit links, then the wikilinks of its rendering."""
    rows: list[dict[str, Any]] = [
        {"source_id": note_id, "target_id": target, "target_title": None, "target_key": None, "origin": "explicit"}
        for target in explicit
    ]
    for wikilink in rendered.wikilinks:
        hit = rendered.resolved.get(wikilink.target)
        rows.append(
            {
                "source_id": note_id,
                "target_id": hit.id if hit else None,
                "target_title": wikilink.target[:300],  # kept, so a reader who may not see the target gets another
                "target_key": fold(wikilink.target)[:300],
                "origin": "wikilink",
            }
        )
    return rows


def write_links(session: Session, note_id: str, explicit: Sequence[str], rendered: Rendered) -> None:
    session.execute(sa.delete(NoteLink).where(col(NoteLink.source_id) == note_id))
    insert_rows(session, NoteLink, link_rows(note_id, explicit, rendered))


def adopt_dangling_links(session: Session, note_ids: Sequence[str]) -> None:
    """Notes whose [[wikilinks]] named these notes' titles (or aliases) before they existed now
    link to them (with straight or typographic apostrophes, as the resolver finds them)."""
    these = col(Note.id).in_(list(note_ids))
    named = col(NoteLabel.note_id).in_(list(note_ids))
    alias = NoteLabel.kind == "alias"
    titles = sa.union(
        select(Note.title_key).where(these),
        select(sa.func.replace(Note.title_key, "\u2019", "'")).where(these),
        select(sa.func.replace(Note.title_key, "'", "\u2019")).where(these),
    )
    aliases = sa.union(
        select(NoteLabel.key).where(named, alias),
        select(sa.func.replace(NoteLabel.key, "\u2019", "'")).where(named, alias),
        select(sa.func.replace(NoteLabel.key, "'", "\u2019")).where(named, alias),
    )
    sources = session.exec(
        select(Note)
        .where(
            col(Note.id).in_(
                select(NoteLink.source_id).where(
                    col(NoteLink.target_id).is_(None),
                    sa.or_(col(NoteLink.target_key).in_(titles), col(NoteLink.target_key).in_(aliases)),
                )
            )
        )
        .where(col(Note.deleted_at).is_(None), col(Note.id).not_in(list(note_ids)))
    ).all()
    for source in sources:
        refresh_links(session=session, note=source)


def explicit_links(session: Session, note_id: str) -> list[str]:
    """The links a note's authors chose (not found in its body), in their order."""
    rows = session.exec(
        select(NoteLink.target_id)
        .where(NoteLink.source_id == note_id, NoteLink.origin == "explicit")
        .order_by(col(NoteLink.id))
    ).all()
    return [t for t in rows if t]


def _current_revision(session: Session, note: Note) -> Revision:
    return session.exec(select(Revision).where(Revision.note_id == note.id, Revision.number == note.revision)).one()


def refresh_links(*, session: Session, note: Note, explicit: list[str] | None = None) -> None:
    """Re-render a note's current revision and its wikilinks in place, writing no new revision.

    The rendering is derived data: this runs when a note its wikilinks named comes to exist.
    """
    if explicit is None:
        explicit = explicit_links(session, note.id)
    rendered = render(note.body, resolver(session, source=note.id))
    note.html = rendered.html
    session.add(note)
    write_links(session, note.id, explicit, rendered)
    rev = _current_revision(session, note)
    rev.html = rendered.html
    session.add(rev)
    session.flush()


def link_new_notes(
    *, session: Session, notes: Sequence[tuple[str, Sequence[str]]], reading: Session | None = None
) -> None:
    """Render notes written by `insert_notes(link_later=True)` and give them their links: (note
    id, its explicit links, those that exist being kept) each.

    Import writes all its notes first and links them after, so the order of files does not
    matter, and links them by the batch: a few statements for hundreds of notes. `reading`: a
    session that only reads, for what the rendering reads (the notes committed before): on
    SQLite the write lock is then held for the writes alone, not the rendering.
    """
    if not notes:
        return
    reads = reading or session
    ids = [note_id for note_id, _ in notes]
    bodies = dict(reads.exec(select(Note.id, Note.body).where(col(Note.id).in_(ids))).all())
    # The current revision (the first, unless an import brought the note's earlier ones) and the
    # earlier ones, rendered too.
    currents: dict[str, tuple[int, dict]] = {}
    earlier: list[tuple[int, str]] = []
    for revision_id, note_id, number, latest, meta, body in reads.execute(
        sa.select(
            col(Revision.id),
            col(Revision.note_id),
            col(Revision.number),
            col(Note.revision),
            col(Revision.meta),
            col(Revision.body),
        )
        .join(Note, col(Note.id) == Revision.note_id)
        .where(col(Revision.note_id).in_(ids))
    ):
        if number == latest:
            currents[note_id] = (pk(revision_id), meta)
        else:
            earlier.append((pk(revision_id), body))
    known = set(known_ids(reads, [target for _, explicit in notes for target in explicit]))
    rendered = render_all(reads, [bodies[note_id] for note_id in ids])
    earlier_rendered = render_all(reads, [body for _, body in earlier]) if earlier else []
    if reading is not None:
        reading.rollback()  # a short read: SQLite's log can be emptied behind it
    rows: list[dict[str, Any]] = []
    note_updates, revision_updates = [], []
    for (note_id, explicit), done in zip(notes, rendered, strict=True):
        chosen = [target for target in dict.fromkeys(explicit) if target in known]
        rows += link_rows(note_id, chosen, done)
        note_updates.append({"id": note_id, "html": done.html})
        current_id, current_meta = currents[note_id]
        revision_updates.append({"id": current_id, "html": done.html, "meta": {**current_meta, "links": chosen}})
    session.execute(sa.update(Note), note_updates)
    session.execute(sa.update(Revision), revision_updates)
    if earlier:
        session.execute(
            sa.update(Revision),
            [
                {"id": revision_id, "html": done.html}
                for (revision_id, _), done in zip(earlier, earlier_rendered, strict=True)
            ],
        )
    # A note linked again (an import completing one it stopped before, whose text renders to
    # nothing and so looked unlinked) keeps each link once.
    session.execute(sa.delete(NoteLink).where(col(NoteLink.source_id).in_(ids)))
    insert_rows(session, NoteLink, rows)
    adopt_dangling_links(session, ids)  # notes already on the site that named them


def known_ids(session: Session, ids: Sequence[str]) -> list[str]:
    """The ids of notes that exist (deleted ones too), once each, in order; asked a thousand at a time."""
    wanted = list(dict.fromkeys(ids))
    found: set[str] = set()
    for start in range(0, len(wanted), 1000):
        found.update(session.exec(select(Note.id).where(col(Note.id).in_(wanted[start : start + 1000]))))
    return [i for i in wanted if i in found]


def note_ref(session: Session, note: Note) -> NoteRef:
    return NoteRef(id=note.id, title=note.title, kind=note.kind, url=note_url(session, note.id))


def targets_as_seen(session: Session, actor: policy.Actor, rows: Sequence) -> list[str | None]:
    """The note each link row (`target_id`, `target_title`, `origin`) leads `actor` to: its
    target when they may see it, else for a wikilink the oldest visible note of that title, else
    nowhere (None) — as `visible_html` shows them."""
    visible = visible_ids(session, actor, [r.target_id for r in rows])
    hidden_targets = [
        r.target_title for r in rows if r.target_id not in visible and r.origin == "wikilink" and r.target_title
    ]
    fallback = resolver(session, actor)(list(dict.fromkeys(hidden_targets))) if hidden_targets else {}
    return [
        r.target_id if r.target_id in visible else getattr(fallback.get(r.target_title or ""), "id", None) for r in rows
    ]


def links_of(session: Session, actor: policy.Actor, note_id: str) -> NoteLinks:
    """The notes a note links to, as `actor` may see them (wikilinks as `visible_html` shows them)."""
    rows = session.exec(
        select(NoteLink.id, NoteLink.target_id, NoteLink.target_title, NoteLink.origin)
        .where(NoteLink.source_id == note_id, col(NoteLink.target_id).is_not(None))
        .order_by(col(NoteLink.id))
    ).all()
    if not rows:
        return NoteLinks()  # a note without links asks nothing more
    chosen: list[str] = []
    for target in targets_as_seen(session, actor, rows):
        if target and target != note_id and target not in chosen:
            chosen.append(target)
    notes = {n.id: n for n in session.exec(select(Note).where(col(Note.id).in_(chosen)))}
    return grouped([note_ref(session, notes[target_id]) for target_id in chosen])


def grouped(refs: Sequence[NoteRef]) -> NoteLinks:
    """Notes, organisations and terms apart, in their order."""
    groups = NoteLinks()
    for ref in refs:
        getattr(groups, _KIND_GROUP[ref.kind]).append(ref)
    return groups


def backlinks_of(session: Session, actor: policy.Actor, note_id: str) -> list[NoteRef]:
    """The visible notes that link to this one, as `actor` sees their links: including wikilinks
    whose stored target the reader may not see and that fall back to this note for them."""
    linking: SelectOfScalar[str] | sa.CompoundSelect[str]
    linking = direct = select(NoteLink.source_id).where(NoteLink.target_id == note_id)
    note = session.get(Note, note_id)
    if note is not None:
        best = resolver(session, actor)([note.title]).get(note.title)
        if best is not None and best.id == note_id:
            visible_target = sa.exists().where(col(Note.id) == NoteLink.target_id, policy.visible_notes(actor))
            hidden_elsewhere = select(NoteLink.source_id).where(
                NoteLink.origin == "wikilink",
                col(NoteLink.target_key).in_(apostrophe_forms(note.title_key)),
                NoteLink.target_id != note_id,
                ~visible_target,
            )
            linking = direct.union(hidden_elsewhere)
    rows = session.exec(
        select(Note)
        .where(col(Note.id).in_(linking), Note.id != note_id, policy.visible_notes(actor))
        .order_by(Note.title)
    ).all()
    return [note_ref(session, n) for n in rows]
