"""Import and the site's writes: how long `praxis import` takes, and how long a site write waits
for SQLite's write lock meanwhile (the longest of the import's write transactions, as the site
feels it).

    .venv/bin/python bench/import_lock.py --notes 10000

The corpus is bench/load.py's (generated once, kept in /tmp). A new SQLite site gets the corpus's
people and communities, then `praxis import` runs in its own process while this one, every
100 ms, takes the write lock the way the site does (a writing session, through the site's turns)
and lets it go, noting how long it waited.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.load import copy_people, corpus
from praxis.config import Settings
from praxis.db import make_engine, writer


def probe(settings: Settings, stop: threading.Event, waits: list[float]) -> None:
    engine = make_engine(settings.model_copy(update={"sqlite_busy_ms": 600_000}))
    try:
        while not stop.is_set():
            started = time.perf_counter()
            with writer(engine).begin() as conn:  # BEGIN IMMEDIATE, as a site write begins
                conn.execute(sa.text("SELECT 1"))
            waits.append(time.perf_counter() - started)
            stop.wait(0.1)
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    source = corpus(args.notes, args.seed)
    data = Path(tempfile.mkdtemp(prefix="praxis-bench-import-"))
    settings = Settings(data_dir=data, secret_key="bench-import")
    env = {**os.environ, "PRAXIS_DATA_DIR": str(data), "PRAXIS_SECRET_KEY": "bench-import"}
    subprocess.run([sys.executable, "-m", "praxis", "db", "upgrade"], env=env, check=True, stdout=subprocess.DEVNULL)
    copy_people(source, settings)
    stop, waits = threading.Event(), list[float]()
    prober = threading.Thread(target=probe, args=(settings, stop, waits))
    prober.start()
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "praxis", "import", str(source / "markdown")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    seconds = time.perf_counter() - started
    stop.set()
    prober.join()
    if done.returncode != 0:
        sys.exit(f"praxis import failed:\n{done.stdout}")
    print(
        json.dumps(
            {
                "files": sum(1 for _ in (source / "markdown").rglob("*.md")),
                "import_s": round(seconds, 1),
                "summary": done.stdout.strip().splitlines()[-1],
                "site_writes": len(waits),
                "longest_wait_s": round(max(waits), 2),
                "site_writes_waiting_over_1s": sum(1 for w in waits if w > 1),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
