"""Searching notes: the query, the reader's grants, facets, snippets and "Vouliez-vous dire…"."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

import sqlalchemy as sa
from sqlmodel import Session, col, select

from praxis import policy
from praxis.markdown import plain_text
from praxis.models import Carnet, CarnetEntry, Note, NoteLink, User
from praxis.notes.reading import authors_of
from praxis.schemas import AuthorRead, FacetCount, MatchReason, SearchItem, SearchPage, SearchQuery
from praxis.search.analysis import distance, stem, terms
from praxis.search.analysis import words as analysed_words
from praxis.search.base import FACETS, Filters, Hit, Index, SearchRequest
from praxis.search.documents import LINKED_KINDS
from praxis.search.highlight import snippet
from praxis.search.indexer import Indexer
from praxis.search.query import Clause, Query, parse
from praxis.urls import carnet_url, note_url

MAX_FACET_VALUES = 30
MAX_CORRECTED_WORDS = 3
MAX_TYPOS = 2
# Candidates come from the whole index, closest first; enough are tried that words of hidden
# notes cannot crowd out the visible one a reader should be offered.
SPELLING_CANDIDATES = 50


def search(*, session: Session, actor: policy.Actor, indexer: Indexer, query: SearchQuery) -> SearchPage:
    """The notes `actor` may read that match `query`, best first (or newest first)."""
    parsed = parse(query.q)
    filters = Filters(kind=query.kind, carnet=query.carnet, author=query.author, year=query.year)
    empty = SearchPage(
        q=query.q,
        total=0,
        items=[],
        facets={f: [] for f in FACETS},
        page=query.page,
        per_page=query.per_page,
        sort=query.sort,
    )
    if filters.carnet and not _visible_carnets(session, actor, [filters.carnet]):
        return empty  # a carnet the reader may not see filters to nothing, like an unknown one
    if parsed.is_empty and parsed.negative == [] and query.q and filters == Filters():
        return empty  # only stop words or punctuation
    grants = policy.reader_grants(session, actor)
    indexer.catch_up()
    request = SearchRequest(
        query=parsed,
        grants=grants,
        filters=filters,
        sort=query.sort if not parsed.is_empty else "date",
        offset=(query.page - 1) * query.per_page,
        limit=query.per_page,
    )
    index = indexer.index
    found, match = index.search(request), "all"
    if found.total == 0 and len(parsed.positive) > 1:
        found, match = index.search(replace(request, match_all=False)), "any"
    return SearchPage(
        q=query.q,
        total=found.total,
        items=_items(session, actor, parsed, found.hits),
        page=query.page,
        per_page=query.per_page,
        sort=request.sort,
        match=match,
        facets=_facets(session, actor, found.facets),
        # A note holding every word means each word was found: only other searches need a look.
        suggestion=None if match == "all" and found.total else _suggestion(session, actor, indexer, parsed, grants),
    )


def _items(session: Session, actor: policy.Actor, parsed: Query, hits: list[Hit]) -> list[SearchItem]:
    ids = [h.id for h in hits]
    # The index may trail the database by a moment: what the database no longer shows is dropped.
    notes = {n.id: n for n in session.exec(select(Note).where(col(Note.id).in_(ids), policy.visible_notes(actor)))}
    authors = authors_of(session, list(notes))
    exact, prefixes = parsed.highlight_terms()
    sources = _other_sources(session, actor, list(notes), authors) if parsed.positive else {}
    items = []
    for hit in hits:
        note = notes.get(hit.id)
        if note is None:
            continue
        text = plain_text(note.html) or note.description or note.definition or ""
        own = " ".join(
            [
                note.title,
                text,
                note.description or "",
                note.definition or "",
                *(note.synonyms or []),
                *(note.aliases or []),
                *(note.keywords or []),
            ]
        )
        items.append(
            SearchItem(
                id=note.id,
                kind=note.kind,
                title=note.title,
                url=note_url(session, note.id),
                snippet=snippet(text, exact, prefixes),
                score=round(hit.score, 4),
                authors=authors[note.id],
                date=note.published_at or note.created_at,
                visibility=note.visibility,
                matched_by=_matched_by(parsed, own, sources.get(note.id, [])),
            )
        )
    return items


def _holds(found: set[str], clause: Clause) -> bool:
    """Whether a text of these index terms answers a clause (a phrase: all its words)."""
    if clause.kind == "prefix":
        return any(t.startswith(clause.terms[0]) for t in found)
    return all(t in found for t in clause.terms)


def _matched_by(parsed: Query, own: str, sources: list[MatchReason]) -> list[MatchReason]:
    """Where the words a note's own title and text lack were found: among the same texts the
    index adds to the note's document (documents.load), so nothing the reader may not see."""
    found = set(terms(own))
    missing = [c for c in parsed.positive if not _holds(found, c)]
    if not missing:
        return []
    return [s for s in sources if any(_holds(set(terms(s.label)), c) for c in missing)]


def _other_sources(
    session: Session, actor: policy.Actor, ids: list[str], authors: dict[str, list[AuthorRead]]
) -> dict[str, list[MatchReason]]:
    """What each note's document holds besides its own text, as the reader may see it: its
    public linked terms and organisations, its public carnets, its authors."""
    found: dict[str, list[MatchReason]] = defaultdict(list)
    target = sa.orm.aliased(Note)
    for note_id, linked_id, kind, title in session.exec(
        select(NoteLink.source_id, target.id, target.kind, target.title)
        .join(target, col(target.id) == NoteLink.target_id)
        .where(
            col(NoteLink.source_id).in_(ids),
            col(target.kind).in_(LINKED_KINDS),
            col(target.visibility) == "public",
            col(target.deleted_at).is_(None),  # public and live: every reader sees it
        )
        .order_by(col(target.title))
    ):
        found[note_id].append(MatchReason(kind=kind, label=title, url=note_url(session, linked_id)))
    for note_id, carnet_id, title in session.exec(
        select(CarnetEntry.note_id, Carnet.id, Carnet.title)
        .join(Carnet, col(Carnet.id) == CarnetEntry.carnet_id)
        .where(col(CarnetEntry.note_id).in_(ids), col(Carnet.visibility) == "public", policy.visible_carnets(actor))
        .order_by(col(Carnet.title))
    ):
        found[note_id].append(MatchReason(kind="carnet", label=title, url=carnet_url(session, carnet_id)))
    for note_id, people in authors.items():
        for person in people:
            label = person.display_name
            if person.username.casefold() not in label.casefold():
                label = f"{label} ({person.username})"  # the index holds both
            found[note_id].append(MatchReason(kind="author", label=label, url=person.url))
    return found


def _visible_carnets(session: Session, actor: policy.Actor, ids: list[str]) -> dict[str, str]:
    return dict(
        session.exec(
            select(Carnet.id, Carnet.title).where(col(Carnet.id).in_(ids), policy.visible_carnets(actor))
        ).all()
    )


def _facets(session: Session, actor: policy.Actor, counts: dict[str, dict[str, int]]) -> dict[str, list[FacetCount]]:
    """Counts with labels; carnets the reader may not see are left out (their notes still count)."""
    labels: dict[str, dict[str, str]] = {
        "kind": {k: k for k in counts.get("kind", {})},
        "year": {y: y for y in counts.get("year", {})},
        "carnet": _visible_carnets(session, actor, list(counts.get("carnet", {}))),
        "author": dict(
            session.exec(
                select(User.username, User.display_name).where(col(User.username).in_(list(counts.get("author", {}))))
            ).all()
        ),
    }
    facets: dict[str, list[FacetCount]] = {}
    for facet in FACETS:
        known = labels[facet]
        values = [
            FacetCount(value=v, label=known[v], count=n) for v, n in counts.get(facet, {}).items() if v in known and n
        ]
        if facet == "year":
            values.sort(key=lambda f: f.value, reverse=True)
        else:
            values.sort(key=lambda f: (-f.count, f.label.casefold()))
        facets[facet] = values[:MAX_FACET_VALUES]
    return facets


def _suggestion(
    session: Session, actor: policy.Actor, indexer: Indexer, parsed: Query, grants: list[str] | None
) -> str | None:
    """The query with each word that no visible note holds replaced by the closest word that
    one does; None when every word is found or nothing close is."""
    index = indexer.index
    corrections: dict[int, str] = {}
    words = [(i, c) for i, c in enumerate(parsed.clauses) if c.kind == "word" and not c.negated]
    for i, clause in words[:MAX_CORRECTED_WORDS]:
        if index.finds(clause.text, grants):
            continue
        for candidate in index.spelling(clause.text, limit=SPELLING_CANDIDATES):
            if distance(candidate, clause.text) <= MAX_TYPOS and index.finds(candidate, grants):
                written = _as_written(session, actor, index, grants, candidate, clause.text)
                if written:
                    corrections[i] = written
                    break
    return parsed.corrected(corrections) if corrections else None


def _as_written(
    session: Session, actor: policy.Actor, index: Index, grants: list[str] | None, candidate: str, typed: str
) -> str | None:
    """The candidate as a note the reader may see writes it. The index's vocabulary spans every
    note, and a visible note may share only the stem ("zorglubiens") of a spelling found in a
    hidden one ("zorglubienne"): the word proposed must come from a visible note's text."""
    hits = index.search(SearchRequest(query=parse(candidate), grants=grants, limit=10)).hits
    notes = session.exec(select(Note).where(col(Note.id).in_([h.id for h in hits]), policy.visible_notes(actor))).all()
    target = stem(candidate)
    for note in notes:
        for word in analysed_words(f"{note.title} {plain_text(note.html)}"):
            if stem(word) == target and distance(word, typed) <= MAX_TYPOS:
                return word
    return None
