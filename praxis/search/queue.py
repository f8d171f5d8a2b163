"""The single write path to the search index: the queue, filled as the site's sessions write.

Every write of the site's sessions that touches what a note's search document holds (the
note, a revision, its authors, readers or links, a carnet it is in, a carnet's title or
visibility, an author's name) adds a `search_queue` row in the same transaction, so the change
and its indexing commit or roll back together. Flushes and bulk statements (INSERT, UPDATE,
DELETE run by `session.execute`, which no flush sees) are read alike, by listeners that
`install` puts on the site's session factory (`db.session_factory`); no service tells the queue
by hand. After the commit, the `Indexer` (search/indexer.py) applies the queue.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol, cast

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import ORMExecuteState, SessionTransaction, UOWTransaction, sessionmaker
from sqlalchemy.orm import Session as AnySession
from sqlalchemy.sql import operators
from sqlmodel import Session, col, select

from praxis.models import (
    Carnet,
    CarnetEntry,
    Note,
    NoteAuthor,
    NoteLink,
    NoteReader,
    Revision,
    SearchQueue,
    User,
    table_of,
)

PENDING = "search_pending"  # queued in this transaction: note id -> dependents
UNWRITTEN = "search_unwritten"  # of those, not written to the table yet
# An execution option: the notes of these rows are queued by a later statement of their writer
# (an import writes its notes first, and renders, links and so queues them after).
INDEXED_LATER = "praxis_indexed_later"
# An execution option: the statement changes nothing the notes' search documents hold (their
# renderings made again by a new renderer version, whose text reads the same: notes.renderings).
DOCUMENTS_UNCHANGED = "praxis_documents_unchanged"


class _Poked(Protocol):
    def poke(self) -> None: ...


_indexers: weakref.WeakKeyDictionary[Engine, weakref.ref[_Poked]] = weakref.WeakKeyDictionary()


def follow_commits(engine: Engine, indexer: _Poked | None) -> None:
    """Have `indexer.poke()` called after each commit of the site's sessions on `engine` that
    queued notes (None: no longer)."""
    if indexer is None:
        _indexers.pop(engine, None)
    else:
        _indexers[engine] = weakref.ref(indexer)


def enqueue(session: AnySession, note_ids: Iterable[str], *, dependents: bool = False) -> None:
    """Queue these notes for indexing in the session's transaction (once each; `dependents`:
    the notes linking to them too, see SearchQueue). The rows are written as the transaction
    commits, all in one statement."""
    pending: dict[str, bool] = session.info.setdefault(PENDING, {})
    unwritten: dict[str, bool] = session.info.setdefault(UNWRITTEN, {})
    for note_id in set(note_ids):
        if note_id not in pending or (dependents and not pending[note_id]):
            pending[note_id] = unwritten[note_id] = dependents


def _changed(obj: object, *names: str) -> bool:
    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _affected(session: Session) -> tuple[set[str], set[str]]:
    """The notes whose documents this flush changes, and those of them whose title, kind or
    visibility linking notes' documents hold (a new or deleted note, or one of these changed)."""
    ids: set[str] = set()
    titles: set[str] = set()
    for obj in itertools.chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Note):
            ids.add(obj.id)
            if obj in session.new or obj in session.deleted or _changed(obj, *LINKED_COLUMNS):
                titles.add(obj.id)
        elif isinstance(obj, Revision | NoteAuthor | NoteReader | CarnetEntry):
            ids.add(obj.note_id)
        elif isinstance(obj, Carnet) and (obj in session.deleted or _changed(obj, "title", "visibility")):
            ids.update(session.exec(select(CarnetEntry.note_id).where(CarnetEntry.carnet_id == obj.id)))
        elif isinstance(obj, User) and obj.id is not None and _changed(obj, "display_name", "username"):
            ids.update(session.exec(select(NoteAuthor.note_id).where(NoteAuthor.user_id == obj.id)))
    return ids - titles, titles


def _queue_flush(session: Session, _context: UOWTransaction, _instances: object) -> None:
    with session.no_autoflush:
        ids, titles = _affected(session)
        if titles:
            enqueue(session, titles, dependents=True)
        if ids:
            enqueue(session, ids)


# --- bulk statements (INSERT / UPDATE / DELETE run by session.execute, which no flush sees) ---

# What linking notes' documents hold of a note (see documents.with_dependents).
LINKED_COLUMNS = ("title", "kind", "visibility", "deleted_at")
LINKED_BEFORE = "search_linked_before"  # note id -> those columns before this transaction's statements
# The column naming the note a row of each table belongs to. A revision's rows are written
# (inserted) with their note, but an UPDATE of a revision (its rendering refreshed) changes no
# document: documents are read from the note, its people, links and carnets.
_NOTE_COLUMN = {
    Note.__tablename__: "id",
    Revision.__tablename__: "note_id",
    NoteAuthor.__tablename__: "note_id",
    NoteReader.__tablename__: "note_id",
    CarnetEntry.__tablename__: "note_id",
    NoteLink.__tablename__: "source_id",
}
_REACHING: dict[str, Callable[[list[Any]], sa.Select[Any]]] = {  # rows reaching notes through another table
    Carnet.__tablename__: lambda ids: select(CarnetEntry.note_id).where(col(CarnetEntry.carnet_id).in_(ids)),
    User.__tablename__: lambda ids: select(NoteAuthor.note_id).where(col(NoteAuthor.user_id).in_(ids)),
}


def _rows(state: ORMExecuteState) -> list[Mapping[str, Any]]:
    params = state.parameters
    if isinstance(params, list | tuple):
        return list(params)
    return [cast(Mapping[str, Any], params)] if params else []  # one row's parameters (or none)


def _named(where: sa.ColumnElement[Any] | None, column: sa.Column[Any]) -> set[Any] | None:
    """The values `where` restricts `column` to (`column = x` or `column IN (...)`, alone or
    among ANDed conditions), or None when it does not say: then the database is asked."""
    if where is None:
        return None
    clauses = where.clauses if isinstance(where, sa.BooleanClauseList) and where.operator is operators.and_ else [where]
    for clause in clauses:
        if (
            isinstance(clause, sa.BinaryExpression)
            and isinstance(clause.right, sa.BindParameter)
            and isinstance(clause.left, sa.Column)
            and clause.left.compare(column)
        ):
            if clause.operator is operators.eq:
                return {clause.right.value}
            if clause.operator is operators.in_op and clause.right.expanding:
                return set(cast(Iterable[Any], clause.right.value))  # an expanding IN binds its list
    return None


def _keys(state: ORMExecuteState, table: sa.Table, name: str) -> set[Any]:
    """The values of `table.name` in the rows the statement writes, or will update or delete."""
    statement = state.statement
    rows = _rows(state)
    if state.is_insert:
        if not rows or any(name not in row for row in rows):
            raise TypeError(
                f"A bulk INSERT into {table.name} must pass its rows as parameters (the search queue reads them)."
            )
        return {row[name] for row in rows}
    where = statement.whereclause  # type: ignore[attr-defined]  # an UPDATE or a DELETE: an INSERT returned above
    if rows and where is None:  # an UPDATE or DELETE by primary key, one row each
        if all(name in row for row in rows):
            return {row[name] for row in rows}
        key = table.primary_key.columns.values()[0]
        where = key.in_([row[key.key] for row in rows])
    named = _named(where, table.c[name])
    if named is not None:
        return named
    with state.session.no_autoflush:  # what it sees is what the statement will touch
        return set(
            state.session.execute(
                select(table.c[name]).where(where) if where is not None else select(table.c[name])
            ).scalars()
        )


def _sets(state: ORMExecuteState, columns: Iterable[str]) -> bool:
    """Whether an UPDATE may set one of `columns` (unknown for `.values()`: assumed so)."""
    rows = _rows(state)
    return not rows or any(column in row for row in rows for column in columns)


def _queue_statement(state: ORMExecuteState) -> None:
    """Queue the notes a bulk statement changes, as a flush queues those it writes."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    statement = state.statement
    table = getattr(statement, "table", None)
    name = getattr(table, "name", "")
    if name not in _NOTE_COLUMN and name not in _REACHING:
        return
    if (
        state.execution_options.get(INDEXED_LATER)
        or state.execution_options.get(DOCUMENTS_UNCHANGED)
        or (name == "revision" and state.is_update)
    ):
        return
    assert isinstance(table, sa.Table)
    session = state.session
    if name in _REACHING:
        if state.is_insert or (
            state.is_update and not _sets(state, ("title", "visibility", "display_name", "username"))
        ):
            return  # a new carnet or person is in no document yet
        owners = _keys(state, table, table.primary_key.columns.values()[0].key)
        if owners:
            with session.no_autoflush:
                enqueue(session, session.execute(_REACHING[name](list(owners))).scalars())
        return
    ids = _keys(state, table, _NOTE_COLUMN[name])
    if not ids:
        return
    if name != "note" or state.is_insert or state.is_delete:
        enqueue(session, ids, dependents=name == "note")
        return
    enqueue(session, ids)
    if _sets(state, LINKED_COLUMNS):
        # Whether linking notes must follow is known once the transaction's statements are done:
        # what the notes were is kept now, compared as it commits.
        before: dict[str, tuple[Any, ...]] = session.info.setdefault(LINKED_BEFORE, {})
        wanted = [i for i in ids if i not in before]
        if wanted:
            with session.no_autoflush:
                before.update({row[0]: tuple(row[1:]) for row in session.execute(_linked(wanted))})


def _linked(ids: Sequence[str]) -> sa.Select[Any]:
    table = table_of(Note)
    return sa.select(table.c.id, *(table.c[c] for c in LINKED_COLUMNS)).where(table.c.id.in_(ids))


def _write_queue(session: Session) -> None:
    session.flush()  # what it holds queues its notes first
    before = session.info.pop(LINKED_BEFORE, None)
    if before:
        changed = [row[0] for row in session.execute(_linked(list(before))) if tuple(row[1:]) != before[row[0]]]
        enqueue(session, changed, dependents=True)
    unwritten = session.info.pop(UNWRITTEN, None)
    if unwritten:
        session.execute(
            sa.insert(table_of(SearchQueue)),
            [{"note_id": note_id, "dependents": dependents} for note_id, dependents in unwritten.items()],
        )


def _forget(session: Session, _previous: SessionTransaction) -> None:
    session.info.pop(PENDING, None)
    session.info.pop(UNWRITTEN, None)
    session.info.pop(LINKED_BEFORE, None)


def install(sessions: sessionmaker[Any], engine: Engine) -> None:
    """Make every session of `sessions` (the site's, see db.session_factory) queue the notes it
    changes, by its flushes and its bulk statements alike, write the queue as it commits and
    wake this process's indexer of `engine` after."""

    engine_ref = weakref.ref(engine)  # the factory keeps no engine alive

    def poke(session: Session) -> None:
        if not session.info.pop(PENDING, None):
            return
        engine = engine_ref()
        ref = _indexers.get(engine) if engine is not None else None
        indexer = ref() if ref else None
        if indexer is not None:
            indexer.poke()

    event.listen(sessions, "before_flush", _queue_flush)
    event.listen(sessions, "do_orm_execute", _queue_statement)
    event.listen(sessions, "before_commit", _write_queue)
    event.listen(sessions, "after_commit", poke)
    event.listen(sessions, "after_soft_rollback", _forget)
