"""The text filter of note lists and carnets (`?q=`) on a large site: its Markdown alone, as before
`%%comments%%` were kept from it, against the filter that leaves them out.

    .venv/bin/python bench/french_corpus.py --notes 100000 --data-dir /tmp/corpus-100k   # once
    .venv/bin/python bench/text_filter.py --data-dir /tmp/corpus-100k [--database-url …]

Migrates the generated site to head, gives `--share` of its notes a `%%comment%%` (once), then
times the list a visitor gets from `notes.list_notes` with `q` (its count, then its first page)
for a few queries, with each filter, `--runs` times each, and prints the median CPU times in ms
(of this process, and of its PostgreSQL server process, with no parallel workers: the machine's
other work leaves them be). The other
way of leaving comments out, a copy of every text without them in a column of its own, is timed
too (on a column `bench_text` the script adds to the site's table, which the site ignores). Results
go to bench/results/text-filter-<backend>-<notes>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from praxis.config import Settings
from praxis.db import make_engine, new_session, upgrade
from praxis.markdown import fold, strip_comments
from praxis.models import Note, table_of
from praxis.notes import notes as note_service
from praxis.notes import reading
from praxis.schemas import NoteQuery

MARK = "zorglub"  # the comment's word, in no generated text
QUERIES = {
    "a frequent word": "patrimoine",
    "a phrase": "jeu de données",
    "a word only in comments": MARK,
    "nothing": "xylophage",
}


def previous_filter(q: str) -> Any:
    """The filter before `%%comments%%` were kept from it: the title, or the whole Markdown."""
    return sa.or_(
        col(Note.title_key).contains(fold(q), autoescape=True),
        sa.func.lower(Note.body).contains(q.lower(), autoescape=True),
    )


COLUMN = "bench_text"  # the other way: a copy of every text without its comments, in a column of its own


def column_filter(q: str) -> Any:
    """The filter on a copy of the texts without their comments (`_copy`), for comparison."""
    return sa.or_(
        col(Note.title_key).contains(fold(q), autoescape=True),
        sa.func.lower(sa.column(COLUMN)).contains(q.lower(), autoescape=True),
    )


def _copy(engine: sa.Engine) -> None:
    """The copy `column_filter` reads: a column the site does not know of, added to the table once."""
    note = table_of(Note)
    with engine.begin() as conn:
        if COLUMN in {c["name"] for c in sa.inspect(conn).get_columns("note")}:
            return
        conn.exec_driver_sql(f"ALTER TABLE note ADD COLUMN {COLUMN} TEXT")
        conn.exec_driver_sql(f"UPDATE note SET {COLUMN} = body")
        commented = conn.execute(sa.select(note.c.id, note.c.body).where(note.c.body.contains("%%", autoescape=True)))
        for note_id, body in list(commented):
            conn.execute(
                sa.text(f"UPDATE note SET {COLUMN} = :text WHERE id = :id"),
                {"text": strip_comments(body), "id": note_id},
            )


def _server_pid(session: Session) -> int | None:
    if session.get_bind().dialect.name != "postgresql":
        return None
    # All the work in the one server process whose time is read: no parallel workers.
    session.execute(sa.text("SET max_parallel_workers_per_gather = 0"))
    return int(session.execute(sa.text("SELECT pg_backend_pid()")).scalar_one())


def _cpu_of(pid: int | None) -> float:
    """The CPU seconds a process of this machine has used (0 for none)."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _comment(engine: sa.Engine, share: float) -> int:
    note = table_of(Note)
    with engine.begin() as conn:
        done = conn.execute(
            sa.select(sa.func.count()).select_from(note).where(note.c.body.contains(f"%%{MARK}", autoescape=True))
        ).scalar_one()
        if done:
            return int(done)
        ids = list(conn.execute(sa.select(note.c.id).order_by(note.c.id)).scalars())
        chosen = ids[:: max(1, round(1 / share))]
        for start in range(0, len(chosen), 1000):
            conn.execute(
                sa.update(note)
                .where(note.c.id.in_(chosen[start : start + 1000]))
                .values(body=note.c.body + f"\n\n%%{MARK} : à vérifier avant publication%%")
            )
    return len(chosen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--data-dir", type=Path, help="a SQLite site made by bench/french_corpus.py")
    target.add_argument("--database-url", help="a PostgreSQL site made by bench/french_corpus.py")
    parser.add_argument("--share", type=float, default=0.05, help="share of notes given a comment")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    settings = Settings(
        data_dir=args.data_dir or Path("/tmp/praxis-bench-unused"), database_url=args.database_url, secret_key="bench"
    )
    engine = make_engine(settings)
    upgrade(engine)
    commented = _comment(engine, args.share)
    _copy(engine)
    with engine.connect() as conn:
        notes = conn.execute(sa.select(sa.func.count()).select_from(table_of(Note))).scalar_one()
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("ANALYZE note")
            conn.commit()

    def timed(q: str) -> tuple[float, int]:
        """The median CPU time of the list, in ms: this process's (SQLite works in it) and, on
        PostgreSQL, its server process's (on this machine), which a loaded machine's other work
        does not lengthen as it lengthens the wall-clock time."""
        times, total = [], 0
        for _ in range(args.runs):
            with new_session(engine, settings, write=False) as session:
                server = _server_pid(session)
                started = time.process_time() + _cpu_of(server)
                page = note_service.list_notes(session=session, actor=None, query=NoteQuery(q=q))
                times.append((time.process_time() + _cpu_of(server) - started) * 1000)
                total = page.total
        return statistics.median(times), total

    results: dict[str, dict[str, Any]] = {}
    current = reading.text_filter
    for name, q in QUERIES.items():
        timed(q)  # warm the cache of the database's pages
        note_service.text_filter = previous_filter  # list_notes reads it there
        before, before_total = timed(q)
        note_service.text_filter = column_filter
        copy, copy_total = timed(q)
        note_service.text_filter = current
        after, after_total = timed(q)
        results[name] = {
            "q": q,
            "previous_ms": round(before, 1),
            "previous_total": before_total,
            "column_ms": round(copy, 1),
            "column_total": copy_total,
            "ms": round(after, 1),
            "total": after_total,
        }
        print(
            f"{name:24} {q!r:17} before {before:7.0f} ms ({before_total:5} notes)   "
            f"a column {copy:7.0f} ms ({copy_total:5})   now {after:7.0f} ms ({after_total:5})"
        )
    backend = engine.dialect.name
    engine.dispose()
    out = Path(__file__).resolve().parent / "results" / f"text-filter-{backend}-{notes}.json"
    out.write_text(
        json.dumps(
            {
                "date": time.strftime("%Y-%m-%d"),
                "backend": backend,
                "notes": notes,
                "commented": commented,
                "runs": args.runs,
                "queries": results,
                "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )
    print(f"{notes} notes, {commented} with a comment -> {out}")


if __name__ == "__main__":
    main()
