"""What this hardware allows: SQLite FTS5 on the search benchmark's corpus and queries, in-process.

    .venv/bin/python bench/fts5_reference.py --data-dir /tmp/praxis-bench-search-10000
    .venv/bin/python bench/fts5_reference.py --notes 10000      # generates its own corpus first

Reads the notes of a site that bench/search.py (or bench/french_corpus.py) built, or generates one
into a temp SQLite site, then builds an FTS5 table (tokenize 'unicode61 remove_diacritics 2': case
and accents folded, no stemming) of each note's title and plain text (its stored HTML without the
tags) in a separate database file, and times the queries of bench/queries.py, as a visitor would
ask them (public notes only): the 20 best by bm25 plus the number of hits, then the same with an
FTS5 snippet for each of the 20. No HTTP, no permissions beyond the public filter, no facets: a
floor for what a search backend on this machine can answer in, not a like-for-like competitor.
Results go to bench/results/fts5-<notes>.json and are printed as a table.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import platform
import re
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.queries import query_sets

_TAG = re.compile(r"<[^>]+>")


def plain_text(markup: str) -> str:
    return html.unescape(_TAG.sub(" ", markup))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def match_expression(query: str) -> str:
    """Public notes with every word of the query (each word an FTS5 string)."""
    words = " ".join('"' + word.replace('"', '""') + '"' for word in query.split())
    return f"visibility : public AND {{title body}} : ({words})"


def build(source: Path, target: Path) -> dict:
    """Copy the notes of the site's database into an FTS5 table in `target`; timings and sizes."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    db = sqlite3.connect(target)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    # Visibility is an indexed column, so that "public only" is a posting-list intersection: an
    # UNINDEXED column would be read from the row (the whole body with it) for every match.
    db.execute(
        "CREATE VIRTUAL TABLE fts USING fts5(title, body, visibility, note_id UNINDEXED, "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    started = time.perf_counter()
    notes = text_bytes = 0
    rows = src.execute("SELECT id, title, html, visibility FROM note WHERE deleted_at IS NULL")
    while batch := rows.fetchmany(2_000):
        values = [(title, plain_text(markup), visibility, nid) for nid, title, markup, visibility in batch]
        text_bytes += sum(len(t.encode()) + len(b.encode()) for t, b, _v, _i in values)
        with db:
            db.executemany("INSERT INTO fts (title, body, visibility, note_id) VALUES (?, ?, ?, ?)", values)
        notes += len(values)
    insert_seconds = time.perf_counter() - started
    t0 = time.perf_counter()
    with db:
        db.execute("INSERT INTO fts (fts) VALUES ('optimize')")
    optimize_seconds = time.perf_counter() - t0
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    src.close()
    seconds = insert_seconds + optimize_seconds
    return {
        "notes": notes,
        "text_mb": round(text_bytes / 1e6, 1),
        "seconds": round(seconds, 1),
        "insert_seconds": round(insert_seconds, 1),
        "optimize_seconds": round(optimize_seconds, 1),
        "notes_per_s": round(notes / seconds),
        "mb_per_s": round(text_bytes / 1e6 / seconds, 2),
        "index_mb": round(target.stat().st_size / 1e6, 1),
    }


# Title words weigh twice body words; the visibility column does not count.
_TOP = "SELECT note_id, bm25(fts, 2.0, 1.0, 0.0) AS score FROM fts WHERE fts MATCH ? ORDER BY score LIMIT 20"
_TOP_SNIPPETS = (
    "SELECT note_id, bm25(fts, 2.0, 1.0, 0.0) AS score, snippet(fts, 1, '<mark>', '</mark>', '…', 16) "
    "FROM fts WHERE fts MATCH ? ORDER BY score LIMIT 20"
)
_COUNT = "SELECT count(*) FROM fts WHERE fts MATCH ?"


def run_queries(target: Path, sets: dict[str, list[str]]) -> dict:
    db = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
    out: dict = {}
    for variant, top in (("rank+count", _TOP), ("rank+count+snippets", _TOP_SNIPPETS)):
        for size, queries in sets.items():
            for q in queries[:20]:  # warm-up
                db.execute(top, (match_expression(q),)).fetchall()
            timings, hits, empty = [], [], 0
            for q in queries:
                expr = match_expression(q)
                t0 = time.perf_counter()
                db.execute(top, (expr,)).fetchall()
                total = db.execute(_COUNT, (expr,)).fetchone()[0]
                timings.append((time.perf_counter() - t0) * 1000)
                hits.append(total)
                empty += total == 0
            out.setdefault(variant, {})[size] = {
                "queries": len(queries),
                "p50_ms": round(percentile(timings, 50), 2),
                "p95_ms": round(percentile(timings, 95), 2),
                "p99_ms": round(percentile(timings, 99), 2),
                "mean_ms": round(statistics.fmean(timings), 2),
                "max_ms": round(max(timings), 2),
                "median_hits": int(statistics.median(hits)),
                "no_hits": empty,
            }
    db.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--data-dir", type=Path, help="a SQLite site (its praxis.db is read, never written)")
    source.add_argument("--notes", type=int, help="generate a corpus of this many notes into a temp site first")
    parser.add_argument("--seed", type=int, default=2025, help="corpus seed (with --notes)")
    parser.add_argument("--query-seed", type=int, default=7)
    parser.add_argument("--queries", type=int, default=200, help="queries per set")
    args = parser.parse_args()

    load_before = os.getloadavg()
    work = Path(tempfile.mkdtemp(prefix="praxis-fts5-"))
    generated = None
    try:
        if args.notes:
            from bench.french_corpus import generate
            from praxis.config import Settings
            from praxis.db import make_engine, upgrade

            site = work / "site"
            engine = make_engine(Settings(data_dir=site, secret_key="bench"))
            upgrade(engine)
            generated = generate(engine, args.notes, seed=args.seed, progress=True).as_dict()
            engine.dispose()
            database = site / "praxis.db"
        else:
            database = args.data_dir / "praxis.db"
            if not database.exists():
                parser.error(f"no SQLite database at {database}")
        built = build(database, work / "fts5.db")
        sets = query_sets(seed=args.query_seed, per_set=args.queries)
        passes = run_queries(work / "fts5.db", sets)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    notes = built["notes"]
    result = {
        "benchmark": "search",
        "backend": "sqlite-fts5",
        "notes": notes,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}",
        "corpus": generated or {"source": str(args.data_dir)},
        "build": built,
        "queries_per_set": args.queries,
        "query_seed": args.query_seed,
        "load_average": {"before": [round(x, 2) for x in load_before], "after": [round(x, 2) for x in os.getloadavg()]},
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "passes": passes,
    }
    out = Path(__file__).resolve().parent / "results" / f"fts5-{notes}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(
        f"FTS5 build: {notes} notes, {built['text_mb']} MB of text in {built['seconds']} s "
        f"({built['notes_per_s']} notes/s, {built['mb_per_s']} MB/s; optimize {built['optimize_seconds']} s), "
        f"index {built['index_mb']} MB"
    )
    print("| backend | notes | variant | words | p50 ms | p95 ms | p99 ms | median hits | no hits |")
    print("|---|---|---|---|---|---|---|---|---|")
    for variant, by_size in passes.items():
        for size, r in by_size.items():
            print(
                f"| sqlite-fts5 | {notes} | {variant} | {size} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | "
                f"{r['median_hits']} | {r['no_hits']}/{r['queries']} |"
            )
    print(f"results: {out}")


if __name__ == "__main__":
    main()
