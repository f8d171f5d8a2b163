"""Suggestions while writing: latency of GET /api/v1/notes/suggest on a large site, through HTTP.

    .venv/bin/python bench/suggest.py --notes 100000 [--database-url postgresql+psycopg://...]

Builds a fresh site in a temp folder (or a given PostgreSQL database, which it empties), fills it
with generated notes, starts `praxis serve`, and measures one client's requests on loopback.
Results go to bench/results/suggest-<backend>.json and are printed as a table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.corpus import WORDS, generate
from praxis.config import Settings
from praxis.db import make_engine, upgrade


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=1_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--hidden-share", type=float, default=0.3, help="share of notes restricted to their author")
    args = parser.parse_args()

    data = Path(tempfile.mkdtemp(prefix="praxis-bench-"))
    env = {
        **os.environ,
        "PRAXIS_DATA_DIR": str(data),
        "PRAXIS_CONTENT_DIR": str(data / "none"),
        "PRAXIS_SECRET_KEY": "bench",
    }
    if args.database_url:
        env["PRAXIS_DATABASE_URL"] = args.database_url
    settings = Settings(data_dir=data, database_url=args.database_url, secret_key="bench")
    engine = make_engine(settings)
    if args.database_url:
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    upgrade(engine)
    started = time.perf_counter()
    generate(engine, args.notes, hidden_share=args.hidden_share)
    from praxis.db import new_session
    from praxis.people import accounts

    with new_session(engine, settings, write=True) as session:
        reader = accounts.get_user(session, "auteur0")
        if reader is None:
            sys.exit("the generated corpus has no auteur0")
        token = accounts.issue_token(session=session, user=reader, kind="api").token
        session.commit()
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    load_seconds = time.perf_counter() - started
    engine.dispose()

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "praxis", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        # A first start on a large site builds its search index before it answers: wait for it.
        deadline = time.monotonic() + 1800
        while True:
            try:
                if httpx.get(base + "/readyz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                sys.exit("the server did not become ready")
            time.sleep(0.5)
        rng = random.Random(7)
        queries = [rng.choice(WORDS)[: rng.randint(1, 6)] for _ in range(args.requests)]
        passes: dict[str, list[float]] = {}
        for who, headers in (("visitor", {}), ("signed-in author", {"Authorization": f"Bearer {token}"})):
            timings = passes[who] = []
            with httpx.Client(base_url=base, headers=headers) as client:
                for q in queries[:50]:  # warm-up
                    client.get("/api/v1/notes/suggest", params={"q": q})
                for q in queries:
                    t0 = time.perf_counter()
                    response = client.get("/api/v1/notes/suggest", params={"q": q})
                    timings.append((time.perf_counter() - t0) * 1000)
                    assert response.status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=30)

    backend = "postgresql" if args.database_url else "sqlite"
    result = {
        "benchmark": "suggest",
        "backend": backend,
        "notes": args.notes,
        "hidden_share": args.hidden_share,
        "requests_per_pass": args.requests,
        "load_seconds": round(load_seconds, 1),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "passes": {
            who: {
                "p50_ms": round(percentile(t, 50), 2),
                "p95_ms": round(percentile(t, 95), 2),
                "p99_ms": round(percentile(t, 99), 2),
                "mean_ms": round(statistics.mean(t), 2),
            }
            for who, t in passes.items()
        },
    }
    out = Path(__file__).resolve().parent / "results" / f"suggest-{backend}.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print("| backend | notes | hidden | reader | p50 ms | p95 ms | p99 ms |")
    print("|---|---|---|---|---|---|---|")
    for who, r in result["passes"].items():
        print(
            f"| {backend} | {args.notes} | {args.hidden_share:.0%} | {who} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} |"
        )


if __name__ == "__main__":
    main()
