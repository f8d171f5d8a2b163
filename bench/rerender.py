"""Rendering a site's notes again after a renderer change: `praxis rerender` on a generated site.

    .venv/bin/python bench/rerender.py --notes 10000 [--database-url postgresql+psycopg://...]

Fills a new site (a temp folder, or the given PostgreSQL database, which it empties) with the
search benchmark's corpus (bench/french_corpus.py: French text, wikilinks, organisations and
terms), with the search index built; gives a share of its notes a second revision and a comment;
then makes every stored rendering look made by an older renderer (`site_state.rendered_with` 0,
every rendering another HTML, and that share of the notes' another text) and times `praxis rerender` in its own process, then a second run,
which has nothing to do. Results go to bench/results/rerender-<backend>-<notes>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.french_corpus import generate
from praxis.config import Settings
from praxis.db import make_engine, upgrade
from praxis.models import Comment, Note, Revision, SiteState, User, table_of


def _age(engine: sa.Engine, share: float) -> dict[str, int]:
    """A second revision for `share` of the notes and a comment on as many, then every rendering
    made to look old (written behind the site's back: nothing queued, no counter moved)."""
    note, revision, comment = table_of(Note), table_of(Revision), table_of(Comment)
    with engine.begin() as conn:
        rows = conn.execute(sa.select(note.c.id, note.c.title, note.c.body, note.c.html).order_by(note.c.id)).all()
        every = max(1, round(1 / share)) if share else 0
        chosen = rows[::every] if every else []
        author = conn.execute(sa.select(table_of(User).c.id).limit(1)).scalar_one()
        now = conn.execute(sa.select(sa.func.current_timestamp())).scalar_one()
        conn.execute(
            sa.insert(revision),
            [
                {
                    "note_id": nid,
                    "number": 2,
                    "editor_id": author,
                    "created_at": now,
                    "title": title,
                    "body": body + "\n\nUne ==phrase== de plus.",
                    "html": html,
                    "meta": {},
                }
                for nid, title, body, html in chosen
            ],
        )
        conn.execute(sa.update(note).where(note.c.id.in_([row[0] for row in chosen])).values(revision=2))
        conn.execute(
            sa.insert(comment),
            [
                {
                    "id": f"c{i:08d}",
                    "note_id": nid,
                    "author_id": author,
                    "body": "Merci pour ce ==résumé==.",
                    "html": "<p>Merci pour ce ==résumé==.</p>\n",
                    "created_at": now,
                }
                for i, (nid, *_rest) in enumerate(chosen)
            ],
        )
        # The renderer before praxis/markdown wrote other HTML for nearly every text (its heading
        # anchors): here, all; and other text for those with its new markup: here, `share` of them.
        conn.execute(sa.update(note).values(html=note.c.html + "<!-- ancien -->"))
        conn.execute(
            sa.update(note)
            .where(note.c.id.in_([row[0] for row in rows[1::every]] if every else []))
            .values(html=note.c.html + "<p>==ancien==</p>")
        )
        conn.execute(sa.update(revision).values(html=revision.c.html + "<!-- ancien -->"))
        conn.execute(sa.update(table_of(SiteState)).values(rendered_with=0))
    return {"revisions": len(chosen), "comments": len(chosen)}


def _run(env: dict[str, str], *args: str) -> tuple[float, float, str]:
    """Run a `praxis` command: its wall-clock seconds, its CPU seconds (the command's process:
    the rendering, the Whoosh index; not PostgreSQL's), what it said."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "praxis", *args], env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        sys.exit(done.stderr)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return seconds, cpu, done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--share", type=float, default=0.2, help="share of notes with a second revision and a comment")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    data = Path(tempfile.mkdtemp(prefix="praxis-bench-rerender-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRAXIS_")}
    env.update(PRAXIS_DATA_DIR=str(data), PRAXIS_CONTENT_DIR=str(data / "none"), PRAXIS_SECRET_KEY="bench")
    if args.database_url:
        env["PRAXIS_DATABASE_URL"] = args.database_url
    settings = Settings(data_dir=data, database_url=args.database_url, secret_key="bench")
    engine = make_engine(settings)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "DROP SCHEMA IF EXISTS praxis_search CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public"
            )
    upgrade(engine)
    generate(engine, args.notes, progress=True)
    print()
    added = _age(engine, args.share)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    engine.dispose()
    _run(env, "reindex")  # the index holds the old renderings, as on the site being upgraded
    first, first_cpu, said = _run(env, "rerender")
    print(said)
    second, _cpu, said_again = _run(env, "rerender")
    print(said_again)
    backend = "postgresql" if args.database_url else "sqlite"
    result = {
        "date": time.strftime("%Y-%m-%d"),
        "backend": backend,
        "notes": args.notes,
        **added,
        "seconds": round(first, 1),
        "cpu_seconds": round(first_cpu, 1),
        "second_run_seconds": round(second, 1),
        "output": said,
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
    }
    out = Path(__file__).resolve().parent / "results" / f"rerender-{backend}-{args.notes}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(
        f"{args.notes} notes: praxis rerender {first:.1f} s ({first_cpu:.1f} s of CPU; the command's whole run, "
        f"indexing included), again {second:.1f} s -> {out}"
    )


if __name__ == "__main__":
    main()
