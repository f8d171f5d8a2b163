"""Notes named in a form as people type them: a title, part of one, an id or "Titre [id]" (the
editor's "Liens", filing a note in a carnet); and how the editor writes a linked note back, by
its title alone when that names it."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from praxis import policy
from praxis.errors import Invalid
from praxis.i18n import N_
from praxis.markdown import fold
from praxis.models import Note
from praxis.notes.directory import shared_titles, suggest
from praxis.notes.links import visible_ids
from praxis.schemas import NoteRef, is_note_id
from praxis.urls import note_url

# The most notes offered to choose from, for one name that several match.
CHOICES = 10


def bracketed_id(typed: str) -> str | None:
    """The id of "Titre [id]", when typed so."""
    if typed.endswith("]") and "[" in typed:
        return typed.rsplit("[", 1)[1][:-1].strip()
    return None


def notes_named(
    *, session: Session, actor: policy.Actor, names: Sequence[str], limit: int = CHOICES
) -> dict[str, list[NoteRef]]:
    """The visible notes each name (stripped) names. One when it is decided: "Titre [id]" or an
    id, else the one note with that title (case, accents ignored), else the one note whose title
    has words starting with its words (as suggestions match). Several to choose from: the notes
    sharing that title, else those whose titles match, the best first. None: an empty list.
    Ids and whole titles are looked up together, a query for all; only the rest is searched."""
    wanted = list(dict.fromkeys(name.strip() for name in names if name.strip()))
    named: dict[str, list[NoteRef]] = {name: [] for name in wanted if "\x00" in name}
    wanted = [name for name in wanted if name not in named]
    columns = select(Note.id, Note.title, Note.kind, Note.title_key).where(policy.visible_notes(actor))
    ids = {name: bracketed_id(name) or name for name in wanted}
    ids = {name: note_id for name, note_id in ids.items() if is_note_id(note_id)}
    by_id = {}
    if ids:
        by_id = {row[0]: row for row in session.exec(columns.where(col(Note.id).in_(list(set(ids.values()))))).all()}
    for name, note_id in ids.items():
        if note_id in by_id:
            named[name] = [_ref(session, by_id[note_id])]
    # Whole titles: as typed, or the title part of a "Titre [id]" whose id names nothing visible.
    rest = [name for name in wanted if name not in named]
    keys = {name: [fold(name)[:300], fold(name.rsplit("[", 1)[0])[:300]] for name in rest}
    same: dict[str, list[NoteRef]] = {}
    if rest:
        every_key = list({key for pair in keys.values() for key in pair})
        for row in session.exec(
            columns.where(col(Note.title_key).in_(every_key)).order_by(col(Note.created_at), col(Note.id))
        ).all():
            same.setdefault(row[3], []).append(_ref(session, row))
    for name in rest:
        titled = next((same[key] for key in keys[name] if key in same), None)
        if titled:
            named[name] = titled[:limit]
        elif bracketed_id(name) is None:
            found = suggest(session=session, actor=actor, q=name, limit=limit)
            named[name] = [NoteRef(id=s.id, title=s.title, kind=s.kind, url=s.url) for s in found]
        else:
            named[name] = []
    return named


def _ref(session: Session, row: tuple[str, str, str, str]) -> NoteRef:
    note_id, title, kind, _key = row
    return NoteRef(id=note_id, title=title, kind=kind, url=note_url(session, note_id))


def one_note(*, session: Session, actor: policy.Actor, typed: str, choices: list[NoteRef]) -> str:
    """The id of the one note `typed` names (see `notes_named`), for filing it in a carnet.
    Several: Invalid, `choices` filled with them; none: Invalid naming what was typed."""
    found = notes_named(session=session, actor=actor, names=[typed]).get(typed.strip(), [])
    if len(found) == 1:
        return found[0].id
    if not found:
        raise Invalid(
            f"No note found for: {typed}.",
            field="note_id",
            text=N_("Aucune note ne correspond à « %(typed)s »."),
            params={"typed": typed},
        )
    choices.extend(found)
    raise Invalid(
        "Several notes match: choose one.",
        field="note_id",
        text=N_("Plusieurs notes correspondent : choisissez-en une."),
    )


def link_line(note: NoteRef, *, with_id: bool) -> str:
    """A linked note as a line of the editor's "Liens": its title, or "Titre [id]"."""
    return f"{note.title} [{note.id}]" if with_id else note.title


def link_lines(*, session: Session, actor: policy.Actor, notes: Sequence[NoteRef]) -> list[str]:
    """The editor's "Liens", a line per note: its title, which names it again when saved; "Titre
    [id]" only where the title would not (another note the writer may see has that title, as a
    wikilink then names the id; or the title reads as an id, or as "Titre [id]")."""
    shared = shared_titles(session, actor, [fold(n.title)[:300] for n in notes])
    titles_like_ids = [n.title for n in notes if is_note_id(n.title)]
    id_like = visible_ids(session, actor, titles_like_ids) if titles_like_ids else set()
    return [
        link_line(
            n,
            with_id=fold(n.title)[:300] in shared
            or n.title in id_like
            or bracketed_id(n.title) is not None
            or n.title != n.title.strip(),
        )
        for n in notes
    ]
