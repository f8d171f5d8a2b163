"""The directory of organisations, the lexique, suggestions while writing, and the link graph."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from praxis import policy
from praxis.errors import NotFound
from praxis.markdown import excerpt, fold
from praxis.models import Note
from praxis.notes import links
from praxis.notes import notes as note_service
from praxis.schemas import Facet, Graph, GraphEdge, GraphNode, LinkPreview, NoteRead, NoteRef, Suggestion
from praxis.urls import note_url

MAX_GRAPH_NODES = 300


def regions(*, session: Session, actor: policy.Actor) -> list[Facet]:
    """The regions of the organisations the actor may see, with how many each."""
    rows = session.exec(
        select(Note.region, sa.func.count())
        .where(policy.visible_notes(actor), col(Note.kind) == "organisation", col(Note.region).is_not(None))
        .group_by(col(Note.region))
        .order_by(col(Note.region))
    ).all()
    return [Facet(value=r, count=c) for r, c in rows if r is not None]


def kind_counts(*, session: Session, actor: policy.Actor) -> dict[str, int]:
    """How many notes, terms and organisations the actor may see (one query)."""
    rows = session.exec(select(Note.kind, sa.func.count()).where(policy.visible_notes(actor)).group_by(Note.kind)).all()
    counts = dict.fromkeys(("note", "term", "organisation"), 0)
    counts.update({kind: count for kind, count in rows if kind in counts})
    return counts


def letter_of(title_key: str) -> str:
    """Where a folded title files in an A–Z index: "ecosysteme" under E, anything else under #."""
    first = title_key[:1]
    return first.upper() if "a" <= first <= "z" else "#"


def letters(*, session: Session, actor: policy.Actor, kind: str = "term") -> list[Facet]:
    """The first letters of the visible notes of a kind, with how many under each."""
    first = sa.func.substr(Note.title_key, 1, 1)
    rows = session.exec(
        select(first, sa.func.count()).where(policy.visible_notes(actor), Note.kind == kind).group_by(first)
    ).all()
    counts: dict[str, int] = {}
    for char, count in rows:
        letter = letter_of(char or "")
        counts[letter] = counts.get(letter, 0) + count
    return [Facet(value=k, count=v) for k, v in sorted(counts.items(), key=lambda kv: (kv[0] == "#", kv[0]))]


def term_by_slug(*, session: Session, actor: policy.Actor, slug: str) -> NoteRead:
    """The term a /def/{slug}/ address names: the oldest visible term with that slug."""
    note = None
    if "\x00" not in slug:
        note = session.exec(
            select(Note)
            .where(policy.visible_notes(actor), col(Note.kind) == "term", col(Note.slug) == slug[:120])
            .order_by(col(Note.created_at), col(Note.id))
        ).first()
    if note is None:
        raise NotFound("No such term.")
    return note_service.read_note(session=session, actor=actor, note=note)


SUGGEST_WINDOW = 50


def suggest(
    *, session: Session, actor: policy.Actor, q: str, kind: str | None = None, limit: int = 10
) -> list[Suggestion]:
    """The visible notes whose title starts with `q` (case and accents ignored).

    The first titles in A–Z order come straight from the title index (an exact match sorts
    first by construction); among them the shortest are offered first, then A to Z.
    """
    prefix = fold(q)
    if not prefix:
        return []
    where: list[ColumnElement[bool]] = [policy.visible_notes(actor), note_service.title_prefix(prefix)]
    if kind:
        where.append(col(Note.kind) == kind)
    rows = session.exec(
        select(Note.id, Note.title, Note.kind, Note.title_key)
        .where(*where)
        .order_by(col(Note.title_key), col(Note.id))
        .limit(max(limit, SUGGEST_WINDOW))
    ).all()
    # Ids are unique: the order never reaches title and kind.
    ranked = sorted(
        (title_key != prefix, len(title_key), title_key, note_id, title, kind)
        for note_id, title, kind, title_key in rows
    )[:limit]
    return [
        Suggestion(id=note_id, title=title, kind=kind, url=note_url(session, note_id))
        for *_, note_id, title, kind in ranked
    ]


def graph(*, session: Session, actor: policy.Actor, note_id: str, depth: int) -> Graph:
    """The visible neighbourhood of a note: nodes within `depth` links either way, and the links
    among them, as each reader sees them."""
    start = note_service.get_note(session=session, actor=actor, note_id=note_id)
    nodes: dict[str, GraphNode] = {start.id: GraphNode(id=start.id, title=start.title, kind=start.kind, url=start.url)}
    edges: set[tuple[str, str]] = set()
    frontier = [start.id]
    truncated = False
    for _ in range(depth):
        following: list[str] = []
        for current in frontier:
            outgoing = links.links_of(session, actor, current)
            for ref in [*outgoing.notes, *outgoing.organisations, *outgoing.terms]:
                edges.add((current, ref.id))
                truncated |= _add(nodes, following, ref)
            for ref in links.backlinks_of(session, actor, current):
                edges.add((ref.id, current))
                truncated |= _add(nodes, following, ref)
        frontier = following
    return Graph(
        nodes=list(nodes.values()),
        edges=[GraphEdge(source=a, target=b) for a, b in sorted(edges) if a in nodes and b in nodes],
        truncated=truncated,
    )


def _add(nodes: dict[str, GraphNode], following: list[str], ref: NoteRef) -> bool:
    """Add a node unless the graph is full; True when it had to be left out."""
    if ref.id in nodes:
        return False
    if len(nodes) >= MAX_GRAPH_NODES:
        return True
    nodes[ref.id] = GraphNode(id=ref.id, title=ref.title, kind=ref.kind, url=ref.url)
    following.append(ref.id)
    return False


PREVIEW_EXCERPT = 220


def preview(*, session: Session, actor: policy.Actor, note_id: str) -> LinkPreview:
    """What a link preview card shows of a note: NotFound, exactly as for a missing note, when
    the reader may not see it."""
    note, _ = note_service.load_readable(session, actor, note_id)
    return LinkPreview(
        id=note.id,
        kind=note.kind,
        title=note.title,
        url=note_url(session, note.id),
        excerpt=excerpt(note.html, PREVIEW_EXCERPT),
        definition=note.definition if note.kind == "term" else None,
        region=note.region if note.kind == "organisation" else None,
        description=note.description if note.kind == "organisation" else None,
    )
