"""The directory of organisations, the lexique, suggestions while writing, and the link graph."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from praxis import policy
from praxis.errors import NotFound
from praxis.markdown import excerpt, fold, match_words, words_match
from praxis.models import Note, NoteLabel
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


def _like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def suggest(
    *, session: Session, actor: policy.Actor, q: str, kind: str | None = None, limit: int = 10
) -> list[Suggestion]:
    """The visible notes whose title (or a term's synonym, or a note's alias) has words starting with each word of
    `q`, case, accents and apostrophes ignored: the same title first, then titles that start with
    the query, then the others; the shortest first, then A to Z.

    `shared`: another visible note has the same title, so a wikilink to it must name its id.
    """
    query = match_words(q)
    if not query or "\x00" in q:
        return []
    # The folded title with apostrophes and hyphens as spaces, after a space: a word starts
    # wherever " word" is found.
    spaced = sa.literal(" ") + sa.func.replace(
        sa.func.replace(sa.func.replace(Note.title_key, "'", " "), "\u2019", " "), "-", " "
    )
    where: list[ColumnElement[bool]] = [policy.visible_notes(actor)]
    if kind:
        where.append(col(Note.kind) == kind)
    columns = select(Note.id, Note.title, Note.kind, Note.synonyms)
    window = max(limit, SUGGEST_WINDOW)
    # Titles that start with the query: a range of the title index, enough on its own most often.
    rows = list(
        session.exec(
            columns.where(*where, note_service.title_prefix(fold(q)))
            .order_by(col(Note.title_key), col(Note.id))
            .limit(window)
        ).all()
    )
    if len(rows) < limit:  # then words anywhere (a scan of the titles)
        rows += session.exec(
            columns.where(
                *where,
                col(Note.id).not_in([row[0] for row in rows]),
                *(spaced.like(f"% {_like(word)}%", escape="\\") for word in query),
            )
            .order_by(sa.func.length(Note.title_key), col(Note.title_key), col(Note.id))
            .limit(window)
        ).all()
    # Terms found by a synonym: few notes have synonyms, matched here rather than in SQL (JSON).
    if kind in (None, "term"):
        seen = {row[0] for row in rows}
        rows += [
            row
            for row in session.exec(
                columns.where(*where, col(Note.kind) == "term", col(Note.synonyms).is_not(None))
            ).all()
            if row[0] not in seen
        ]
    # Notes found by an alias: their folded aliases have words starting with each word of the query.
    seen = {row[0] for row in rows}
    spaced_alias = sa.literal(" ") + sa.func.replace(
        sa.func.replace(sa.func.replace(NoteLabel.key, "'", " "), "\u2019", " "), "-", " "
    )
    by_alias = select(NoteLabel.note_id).where(
        NoteLabel.kind == "alias", *(spaced_alias.like(f"% {_like(word)}%", escape="\\") for word in query)
    )
    aliased = {
        row[0]: row
        for row in session.exec(
            select(Note.id, Note.title, Note.kind, Note.aliases)
            .where(*where, col(Note.id).in_(by_alias.limit(window)))
            .limit(window)
        ).all()
        if row[0] not in seen
    }
    rows += [(note_id, title, note_kind, None) for note_id, title, note_kind, _aliases in aliased.values()]
    ranked = []
    for note_id, title, note_kind, synonyms in rows:
        others = list(synonyms or []) + list(aliased[note_id][3] or [] if note_id in aliased else [])
        scores = [words_match(query, title)] + [words_match(query, other) for other in others]
        found = [s for s in scores if s is not None]
        if found:
            ranked.append((min(found), scores[0] is None, len(fold(title)), fold(title), note_id, title, note_kind))
    chosen = sorted(ranked)[:limit]
    shared = shared_titles(session, actor, [key for *_, key, _id, _title, _kind in chosen])
    return [
        Suggestion(id=note_id, title=title, kind=note_kind, url=note_url(session, note_id), shared=key in shared)
        for *_, key, note_id, title, note_kind in chosen
    ]


def shared_titles(session: Session, actor: policy.Actor, keys: Sequence[str]) -> set[str]:
    """Those of these folded titles that more than one note the actor may see has: a link
    written by title to one of them ([[Titre]], a line of the editor's "Liens") names its id."""
    if not keys:
        return set()
    return set(
        session.exec(
            select(Note.title_key)
            .where(policy.visible_notes(actor), col(Note.title_key).in_(list(set(keys))))
            .group_by(col(Note.title_key))
            .having(sa.func.count() > 1)
        ).all()
    )


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
