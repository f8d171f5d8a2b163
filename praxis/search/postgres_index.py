"""The PostgreSQL search backend: full-text search in the database itself (schema praxis_search).

The text is analysed by the `praxis_french` configuration (migration 0005: French stop words,
unaccent, Snowball French stemmer). Documents and the spelling vocabulary live in tables named
with the schema version, created here; a new version builds new tables and drops the old.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from praxis.search.analysis import fold, spelling_words
from praxis.search.base import FACETS, Filters, Hit, SearchHits, SearchRequest, acquire
from praxis.search.documents import SearchDoc
from praxis.search.query import Clause

VERSION = 5
SCHEMA = "praxis_search"
DOCS = f"{SCHEMA}.document_v{VERSION}"
WORDS = f"{SCHEMA}.word_v{VERSION}"
CONFIG = "praxis_french"
MAX_BODY_BYTES = 200_000  # a tsvector holds at most 1 MB; the rest of a huge note is not searchable
LOCK_KEY = "praxis-search-writer"
NOT_WORD = re.compile(r"[^\w]+")
# Ranked by relevance, a query's most recent matches are scored, at most this many: the score
# reads each note's tsvector, which a million notes' frequent word would make seconds of work.
RANK_WINDOW = 20_000

VECTOR = (
    f"setweight(to_tsvector('{CONFIG}', :title), 'A') || setweight(to_tsvector('{CONFIG}', :extra), 'B')"
    f" || setweight(to_tsvector('{CONFIG}', :body), 'D')"
)


def _create(conn: Connection, suffix: str = "", *, indexes: bool = True) -> None:
    """The tables (`suffix`: the ones a rebuild fills), with their indexes unless the caller
    adds them once the tables are filled (`_index`)."""
    docs, vocab = DOCS + suffix, WORDS + suffix
    conn.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
    conn.exec_driver_sql(f"CREATE TABLE IF NOT EXISTS {SCHEMA}.state (name text PRIMARY KEY, version int NOT NULL)")
    conn.exec_driver_sql(
        f"CREATE TABLE IF NOT EXISTS {docs} (note_id varchar(32) PRIMARY KEY, kind varchar(16) NOT NULL, "
        "authors text[] NOT NULL, carnets text[] NOT NULL, grants text[] NOT NULL, year int NOT NULL, "
        "date timestamptz NOT NULL, tsv tsvector NOT NULL)"
    )
    conn.exec_driver_sql(f"CREATE TABLE IF NOT EXISTS {vocab} (word text PRIMARY KEY, folded text NOT NULL)")
    if indexes:
        _index(conn, suffix)


def _index(conn: Connection, suffix: str = "") -> None:
    docs, vocab = DOCS + suffix, WORDS + suffix
    short = suffix.replace("_", "")
    for name, target in (
        (f"doc_tsv{short}", f"{docs} USING gin (tsv)"),
        (f"doc_grants{short}", f"{docs} USING gin (grants)"),
        (f"word_trgm{short}", f"{vocab} USING gin (folded gin_trgm_ops)"),
    ):
        conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {name}_v{VERSION} ON {target}")


def _vocabulary(doc: SearchDoc) -> set[str]:
    return spelling_words(f"{doc.title} {doc.body}")


INNER_PUNCTUATION = re.compile(r"[<>]|[/@:.](?=\S)")


def _text(value: str) -> str:
    """Text for to_tsvector, whose parser would skip what looks like an XML tag (a note's
    "<abbr title=…>" is text its readers see) and keep web and mail addresses whole (their
    words would be unsearchable, as they are not on Whoosh)."""
    return INNER_PUNCTUATION.sub(" ", value)


def _params(doc: SearchDoc) -> dict[str, object]:
    return dict(
        note_id=doc.id,
        kind=doc.kind,
        authors=list(doc.authors),
        carnets=list(doc.carnets),
        grants=list(doc.grants),
        year=doc.year,
        date=doc.date,
        title=_text(doc.title),
        extra=_text(doc.extra),
        body=_text(doc.body.encode()[:MAX_BODY_BYTES].decode(errors="ignore")),
    )


def _clause_sql(clause: Clause, n: int, params: dict[str, object]) -> str:
    key = f"c{n}"
    if clause.kind == "prefix":
        params[key] = NOT_WORD.sub("", fold(clause.text)) + ":*"
        # 'simple': the prefix is folded already, and must not be dropped as a stop word ("dé*").
        return f"to_tsquery('simple', :{key})"
    params[key] = clause.text
    if clause.kind == "phrase":
        return f"phraseto_tsquery('{CONFIG}', :{key})"
    return f"plainto_tsquery('{CONFIG}', :{key})"


def _plan_for_matches(conn: Connection) -> None:
    """Settings for a statement that reads every match of a query (this transaction only).

    The matches are read through the tsvector index, whatever their number: the planner does
    not count the cost of decompressing each document's tsvector, and for a frequent word would
    scan the whole table, testing every row. And the index's bitmap of the matching rows must
    stay exact (one bit a row): with the default 4 MB it becomes lossy past some 80 000 table
    pages (a million notes), and every row of those pages is tested again, at that same cost."""
    conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
    conn.exec_driver_sql("SET LOCAL work_mem = '64MB'")


class PostgresIndex:
    """Documents in PostgreSQL; one writer at a time through an advisory lock."""

    name = "postgres"
    version = VERSION

    def __init__(self, engine: Engine):
        self.engine = engine
        self._ready = False

    def _connect(self) -> Connection:
        """A connection to read with; the tables are created on first use."""
        if not self._ready:
            self.create()
            self._ready = True
        return self.engine.connect()

    def is_current(self) -> bool:
        with self.engine.connect() as conn:
            if conn.exec_driver_sql(f"SELECT to_regclass('{DOCS}') IS NOT NULL").scalar():
                found = conn.exec_driver_sql(f"SELECT version FROM {SCHEMA}.state WHERE name = 'documents'").scalar()
                return found == VERSION
        return False

    @contextmanager
    def writer_lock(self, timeout: float) -> Iterator[bool]:
        # Transaction-scoped: released by the end of this (otherwise idle) transaction, or by the
        # server when the process dies; and behind pgbouncer in transaction mode, the open
        # transaction keeps lock and unlock on one server connection.
        with self.engine.connect() as conn, conn.begin():
            key = sa.text("SELECT pg_try_advisory_xact_lock(hashtext(:k))")
            yield acquire(lambda: bool(conn.execute(key, {"k": LOCK_KEY}).scalar()), timeout)

    def create(self) -> None:
        """Create the tables at this version if they are missing (an empty index)."""
        with self.engine.begin() as conn:
            self._ensure_tables(conn)

    def _ensure_tables(self, conn: Connection) -> None:
        if not conn.exec_driver_sql(f"SELECT to_regclass('{DOCS}') IS NOT NULL").scalar():
            _create(conn)
            conn.exec_driver_sql(
                f"INSERT INTO {SCHEMA}.state (name, version) VALUES ('documents', {VERSION}) "
                "ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version"
            )

    def apply(self, upserts: Sequence[SearchDoc], removals: Sequence[str]) -> None:
        with self.engine.begin() as conn:
            self._ensure_tables(conn)
            if removals:
                conn.execute(sa.text(f"DELETE FROM {DOCS} WHERE note_id = ANY(:ids)"), {"ids": list(removals)})
            if upserts:
                conn.execute(
                    sa.text(
                        f"INSERT INTO {DOCS} (note_id, kind, authors, carnets, grants, year, date, tsv) "
                        f"VALUES (:note_id, :kind, :authors, :carnets, :grants, :year, :date, {VECTOR}) "
                        "ON CONFLICT (note_id) DO UPDATE SET kind = EXCLUDED.kind, authors = EXCLUDED.authors, "
                        "carnets = EXCLUDED.carnets, grants = EXCLUDED.grants, year = EXCLUDED.year, "
                        "date = EXCLUDED.date, tsv = EXCLUDED.tsv"
                    ),
                    [_params(d) for d in upserts],
                )
                vocabulary = sorted(set().union(*(_vocabulary(d) for d in upserts)))
                if vocabulary:
                    conn.execute(
                        sa.text(
                            f"INSERT INTO {WORDS} (word, folded) SELECT w, praxis_unaccent(w) FROM unnest(CAST(:words AS text[])) AS w "
                            "ON CONFLICT (word) DO NOTHING"
                        ),
                        {"words": vocabulary},
                    )

    def rebuild(self, batches: Iterator[Sequence[SearchDoc]]) -> int:
        suffix = "_build"
        with self.engine.begin() as conn:
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {DOCS}{suffix}, {WORDS}{suffix}")
            # Indexed once filled: a GIN index built from all its rows at once takes a fraction of
            # the time of one kept up to date row by row.
            _create(conn, suffix, indexes=False)
        count, vocabulary = 0, set()
        for batch in batches:
            if not batch:
                continue
            with self.engine.begin() as conn:
                conn.execute(
                    sa.text(
                        f"INSERT INTO {DOCS}{suffix} (note_id, kind, authors, carnets, grants, year, date, tsv) "
                        f"VALUES (:note_id, :kind, :authors, :carnets, :grants, :year, :date, {VECTOR})"
                    ),
                    [_params(d) for d in batch],
                )
            for doc in batch:
                vocabulary |= _vocabulary(doc)
            count += len(batch)
        with self.engine.begin() as conn:
            if vocabulary:
                conn.execute(
                    sa.text(
                        f"INSERT INTO {WORDS}{suffix} (word, folded) SELECT w, praxis_unaccent(w) FROM unnest(CAST(:words AS text[])) AS w"
                    ),
                    {"words": sorted(vocabulary)},
                )
        with self.engine.begin() as conn:
            _index(conn, suffix)
        with self.engine.begin() as conn:
            # The swap: readers see the old tables until this commits, then the new ones.
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {DOCS}, {WORDS}")
            for table in (DOCS, WORDS):
                conn.exec_driver_sql(f"ALTER TABLE {table}{suffix} RENAME TO {table.split('.')[1]}")
            for index in ("doc_tsv", "doc_grants", "word_trgm"):
                conn.exec_driver_sql(f"ALTER INDEX {SCHEMA}.{index}build_v{VERSION} RENAME TO {index}_v{VERSION}")
            conn.exec_driver_sql(
                f"INSERT INTO {SCHEMA}.state (name, version) VALUES ('documents', {VERSION}) "
                "ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version"
            )
            stale = (
                conn.execute(
                    sa.text(
                        "SELECT tablename FROM pg_tables WHERE schemaname = :schema "
                        "AND tablename ~ '^(document|word)_v[0-9]+$' AND tablename !~ :current"
                    ),
                    {"schema": SCHEMA, "current": f"_v{VERSION}$"},
                )
                .scalars()
                .all()
            )
            for table in stale:
                conn.exec_driver_sql(f"DROP TABLE {SCHEMA}.{table}")
        with self.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(f"ANALYZE {DOCS}")
        return count

    def close(self) -> None:
        pass

    def warm(self) -> None:
        pass  # PostgreSQL keeps its own caches

    # --- reading ---------------------------------------------------------------------------

    @staticmethod
    def _filters(filters: Filters, params: dict[str, object]) -> str:
        conditions = ["TRUE"]
        if filters.kind:
            params["f_kind"] = filters.kind
            conditions.append("kind = :f_kind")
        if filters.carnet:
            params["f_carnet"] = filters.carnet
            conditions.append(":f_carnet = ANY(carnets)")
        if filters.author:
            params["f_author"] = filters.author
            conditions.append(":f_author = ANY(authors)")
        if filters.year is not None:
            params["f_year"] = filters.year
            conditions.append("year = :f_year")
        return " AND ".join(conditions)

    def _tsquery(self, request: SearchRequest, params: dict[str, object]) -> str | None:
        clauses = list(request.query.clauses)
        positive = [_clause_sql(c, i, params) for i, c in enumerate(clauses) if not c.negated]
        negative = [_clause_sql(c, i, params) for i, c in enumerate(clauses) if c.negated]
        if not positive and not negative:
            return None
        parts = []
        if positive:
            parts.append("(" + (" && " if request.match_all else " || ").join(positive) + ")")
        parts += [f"!!({n})" for n in negative]
        return " && ".join(parts)

    def search(self, request: SearchRequest) -> SearchHits:
        """One statement: the visible matches are found once, then counted, faceted and paged
        from that set; ranked by relevance, the most recent RANK_WINDOW of them are scored (each
        score reads the note's whole tsvector) and come first, the rest follow newest first."""
        params: dict[str, object] = {"limit": request.limit, "offset": request.offset, "window": RANK_WINDOW}
        tsquery = self._tsquery(request, params)
        conditions = [f"tsv @@ ({tsquery})"] if tsquery else ["TRUE"]
        if request.grants is not None:
            params["grants"] = list(request.grants)
            conditions.append("grants && CAST(:grants AS text[])")
        by_date = request.sort == "date" or not request.query.positive or not tsquery
        chosen = self._filters(request.filters, params)
        newest = f"SELECT {{}} FROM matched WHERE {chosen} ORDER BY date DESC, note_id"
        if by_date:
            ranked = ""
            parts = [
                f"(SELECT 'hit' AS part, note_id, 0 FROM ({newest.format('note_id')} LIMIT :limit OFFSET :offset) AS hit)"
            ]
        else:
            # The window's rows are fetched again by their addresses (ctid: the statement's one
            # snapshot sees the same row versions throughout), their tsvectors read for these only.
            ranked = (
                f", scored AS (SELECT note_id, date, ts_rank_cd(tsv, {tsquery}) AS rank FROM {DOCS} "
                f"WHERE ctid = ANY(ARRAY({newest.format('tid')} LIMIT :window)))"
            )
            parts = [
                "(SELECT 'hit', note_id, rank FROM scored ORDER BY rank DESC, date DESC, note_id LIMIT :limit OFFSET :offset)"
            ]
            if request.offset + request.limit > RANK_WINDOW:
                # The matches past the window, newest first: the page's rows the window lacks.
                params["tail_offset"] = RANK_WINDOW + max(request.offset - RANK_WINDOW, 0)
                parts.append(
                    f"(SELECT 'tail', note_id, 0 FROM ({newest.format('note_id')} LIMIT :limit OFFSET :tail_offset) AS tail)"
                )
        parts.append(f"SELECT 'total', NULL, count(*) FROM matched WHERE {chosen}")
        expressions = {"kind": "kind", "year": "year::text", "author": "unnest(authors)", "carnet": "unnest(carnets)"}
        for facet in FACETS:
            others = self._filters(request.filters.without(facet), params)
            parts.append(
                f"SELECT '{facet}', value, count(*) FROM (SELECT {expressions[facet]} AS value FROM matched WHERE {others}) AS v GROUP BY value"
            )
        statement = (
            f"WITH matched AS MATERIALIZED (SELECT ctid AS tid, note_id, kind, year, authors, carnets, date "
            f"FROM {DOCS} WHERE {' AND '.join(conditions)}){ranked} " + " UNION ALL ".join(parts)
        )
        total, hits, tail = 0, [], []
        facets: dict[str, dict[str, int]] = {facet: {} for facet in FACETS}
        with self._connect() as conn, conn.begin():
            if tsquery:
                _plan_for_matches(conn)
            for part, value, number in conn.execute(sa.text(statement), params):
                if part == "hit":
                    hits.append(Hit(id=value, score=float(number)))
                elif part == "tail":
                    tail.append(Hit(id=value, score=0.0))
                elif part == "total":
                    total = int(number)
                else:
                    facets[part][str(value)] = int(number)
        return SearchHits(total=total, hits=hits + tail[: request.limit - len(hits)], facets=facets)

    def finds(self, word: str, grants: Sequence[str] | None) -> bool:
        params: dict[str, object] = {"w": word}
        condition = ""
        if grants is not None:
            params["grants"] = list(grants)
            condition = " AND grants && CAST(:grants AS text[])"
        with self._connect() as conn:
            return (
                conn.execute(
                    sa.text(
                        f"SELECT EXISTS (SELECT 1 FROM {DOCS} WHERE tsv @@ plainto_tsquery('{CONFIG}', :w){condition})"
                    ),
                    params,
                ).scalar()
                is True
            )

    def spelling(self, word: str, limit: int) -> list[str]:
        with self._connect() as conn, conn.begin():
            # Below pg_trgm's default 0.3, so that short words with two letters swapped qualify.
            conn.exec_driver_sql("SET LOCAL pg_trgm.similarity_threshold = 0.15")
            rows = (
                conn.execute(
                    sa.text(
                        f"SELECT word FROM {WORDS} WHERE folded % praxis_unaccent(lower(:w)) AND word <> lower(:w) "
                        "ORDER BY similarity(folded, praxis_unaccent(lower(:w))) DESC, word LIMIT :n"
                    ),
                    {"w": word, "n": limit},
                )
                .scalars()
                .all()
            )
        return list(rows)

    def document_ids(self) -> set[str]:
        with self._connect() as conn:
            return set(conn.exec_driver_sql(f"SELECT note_id FROM {DOCS}").scalars())
