"""Search: full reindex throughput and GET /api/v1/search latency on a generated French corpus.

    .venv/bin/python bench/search.py --notes 10000                       # SQLite + Whoosh
    .venv/bin/python bench/search.py --notes 100000
    .venv/bin/python bench/search.py --notes 100000 \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/praxis_bench_search   # PostgreSQL FTS

Builds a fresh site (SQLite in --data-dir, by default /tmp/praxis-bench-search-<notes>, which is
wiped; or the given PostgreSQL database, created if missing and emptied), fills it with
bench/french_corpus.py, gives its reader account a known password, then:

1. times `praxis reindex` (wall time, notes/s, MB/s of Markdown, the process's peak RSS);
2. starts `praxis serve` and, as an anonymous visitor and then as the signed-in reader (a bearer
   token from POST /api/v1/auth/token), sends the one-, two- and three-word queries of
   bench/queries.py to GET /api/v1/search, one at a time on loopback, after a warm-up;
3. reads the server's RSS (VmRSS, and its peak VmHWM) from /proc.

The CPU time that other processes used during the reindex and the queries is recorded too (on
PostgreSQL it includes the database server's work): above a few seconds, something else was
running and the numbers are not worth much. --skip-generate reuses the site of an earlier run
(same --notes and --data-dir or database).
Results go to bench/results/search-<backend>-<notes>.json and are printed as a table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.french_corpus import generate, reader_username
from bench.queries import query_sets
from praxis.config import Settings
from praxis.db import make_engine, upgrade

PASSWORD = "bench-search-password"
RESULTS = Path(__file__).resolve().parent / "results"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def proc_memory(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM (peak RSS) of a live process, in MB."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = round(int(value.split()[0]) / 1024, 1)
    return out


def busy_cpu_seconds() -> float:
    """CPU seconds the whole machine has spent busy since boot (all cores; idle and iowait excluded)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds(pid: int | None = None) -> float:
    """CPU seconds of this process (or of a live child `pid`)."""
    if pid is None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def dir_mb(path: Path, skip: tuple[str, ...] = ()) -> float:
    total = 0
    for p in path.rglob("*"):
        if p.is_file() and not p.name.startswith(skip):
            total += p.stat().st_size
    return round(total / 1e6, 1)


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database of `url` if it does not exist (from the `postgres` database)."""
    target = sa.make_url(url)
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}).first():
            conn.exec_driver_sql(f'CREATE DATABASE "{target.database}"')
    admin.dispose()


def text_stats(engine: sa.Engine) -> tuple[int, float]:
    """Live notes and MB of Markdown (title and body) in the database."""
    if engine.dialect.name == "postgresql":
        size = "octet_length(title) + octet_length(body)"
    else:
        size = "length(CAST(title AS BLOB)) + length(CAST(body AS BLOB))"
    with engine.connect() as conn:
        n, b = conn.exec_driver_sql(f"SELECT count(*), sum({size}) FROM note WHERE deleted_at IS NULL").one()
    return n, (b or 0) / 1e6


def process_tree(root: int) -> dict[int, list[str]]:
    """A process and all its descendants: pid -> the fields of its /proc/<pid>/stat after the name."""
    stats: dict[int, list[str]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stats[int(entry.name)] = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
    family, grew = {root}, True
    while grew:
        grew = False
        for pid, fields in stats.items():
            if int(fields[1]) in family and pid not in family:
                family.add(pid)
                grew = True
    return {pid: stats[pid] for pid in family if pid in stats}


def tree_rss_mb(root: int) -> float:
    """RSS of a process and all its descendants, in MB (Whoosh may index in worker processes)."""
    page_kb = os.sysconf("SC_PAGE_SIZE") / 1024
    return sum(int(fields[21]) * page_kb for fields in process_tree(root).values()) / 1024


def run_reindex(env: dict, log: Path) -> dict:
    """Run `praxis reindex` and measure it: wall and CPU time (its own and its children's), the
    largest single process's peak RSS (rusage), and the peak of the whole process tree's RSS
    (sampled every 0.2 s)."""
    peak_tree = 0.0
    busy_before, self_before = busy_cpu_seconds(), own_cpu_seconds()
    with log.open("wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "praxis", "reindex"], env=env, stdout=out, stderr=subprocess.STDOUT
        )
        done = threading.Event()

        def sample() -> None:
            nonlocal peak_tree
            while not done.wait(0.2):
                peak_tree = max(peak_tree, tree_rss_mb(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(
            f"praxis reindex failed ({proc.returncode}); last lines of {log}:\n"
            + "\n".join(log.read_text(errors="replace").splitlines()[-20:])
        )
    cpu = usage.ru_utime + usage.ru_stime
    others = busy_cpu_seconds() - busy_before - cpu - (own_cpu_seconds() - self_before)
    return {
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu, 1),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "peak_tree_rss_mb": round(peak_tree, 1),
        "other_processes_cpu_seconds": round(max(others, 0.0), 1),
    }


def wait_until_up(base: str, server: subprocess.Popen, log: Path, limit: float = 600) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        if server.poll() is not None:
            sys.exit(
                f"praxis serve stopped ({server.returncode}); last lines of {log}:\n"
                + "\n".join(log.read_text(errors="replace").splitlines()[-20:])
            )
        try:
            if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                return time.perf_counter() - started
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    sys.exit(f"praxis serve did not answer within {limit} s")


def measure(client: httpx.Client, queries: list[str], warmup: int = 20) -> dict:
    for q in queries[:warmup]:
        client.get("/api/v1/search", params={"q": q})
    timings, totals = [], []
    errors: dict[str, int] = {}
    for q in queries:
        t0 = time.perf_counter()
        response = client.get("/api/v1/search", params={"q": q})
        timings.append((time.perf_counter() - t0) * 1000)
        if response.status_code != 200:
            errors[str(response.status_code)] = errors.get(str(response.status_code), 0) + 1
            continue
        totals.append(response.json().get("total", 0))
    return {
        "queries": len(queries),
        "p50_ms": round(percentile(timings, 50), 1),
        "p95_ms": round(percentile(timings, 95), 1),
        "p99_ms": round(percentile(timings, 99), 1),
        "mean_ms": round(statistics.fmean(timings), 1),
        "max_ms": round(max(timings), 1),
        "median_total": int(statistics.median(totals)) if totals else None,
        "no_hits": sum(1 for t in totals if t == 0),
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2025, help="corpus seed")
    parser.add_argument("--query-seed", type=int, default=7)
    parser.add_argument("--queries", type=int, default=200, help="queries per set (one, two, three words)")
    parser.add_argument("--database-url", default=None, help="PostgreSQL database to use (emptied); default SQLite")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="site folder (SQLite database, Whoosh index); default /tmp/praxis-bench-search-<notes>",
    )
    parser.add_argument(
        "--search-backend",
        choices=["whoosh", "postgres"],
        default=None,
        help="PRAXIS_SEARCH_BACKEND; default whoosh on SQLite, postgres on PostgreSQL",
    )
    parser.add_argument("--skip-generate", action="store_true", help="reuse the site of an earlier run")
    parser.add_argument("--skip-reindex", action="store_true", help="query the index an earlier run built")
    args = parser.parse_args()

    backend = args.search_backend or ("postgres" if args.database_url else "whoosh")
    database = "postgresql" if args.database_url else "sqlite"
    data = (
        args.data_dir
        or Path(tempfile.gettempdir()) / f"praxis-bench-search-{args.notes}{'-pg' if args.database_url else ''}"
    )
    load_before = os.getloadavg()
    if load_before[0] > 1.0:
        print(
            f"warning: load average {load_before[0]:.2f} on {os.cpu_count()} cores; the numbers will be noisy",
            file=sys.stderr,
        )

    settings = Settings(data_dir=data, database_url=args.database_url, secret_key="bench", search_backend=backend)
    env = {
        **os.environ,
        "PRAXIS_DATA_DIR": str(data),
        "PRAXIS_CONTENT_DIR": str(data / "no-content"),
        "PRAXIS_SECRET_KEY": "bench",
        "PRAXIS_SEARCH_BACKEND": backend,
    }
    if args.database_url:
        env["PRAXIS_DATABASE_URL"] = args.database_url

    corpus = None
    if not args.skip_generate:
        if data.exists():
            if args.data_dir and any(data.iterdir()):
                parser.error(f"{data} is not empty (use a new folder, or --skip-generate to reuse it)")
            shutil.rmtree(data)
        data.mkdir(parents=True)
        if args.database_url:
            ensure_database(args.database_url)
        engine = make_engine(settings)
        if args.database_url:
            with engine.begin() as conn:
                # praxis_search: where the PostgreSQL search backend keeps its documents.
                conn.exec_driver_sql(
                    "DROP SCHEMA IF EXISTS praxis_search CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public"
                )
        upgrade(engine)
        print(f"generating {args.notes} notes into {args.database_url or data} …", file=sys.stderr)
        corpus = generate(engine, args.notes, seed=args.seed, progress=True).as_dict()
        engine.dispose()
    engine = make_engine(settings)
    notes, text_mb = text_stats(engine)
    reader = reader_username(args.seed)
    from praxis import passwords

    with engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE user_account SET password_hash = :h WHERE username = :u"),
            {"h": passwords.hasher(settings).hash(PASSWORD), "u": reader},
        )
        conn.exec_driver_sql("DELETE FROM login_failure")
    db_mb_before = None
    if database == "postgresql":
        with engine.connect() as conn:
            db_mb_before = round(
                conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar_one() / 1e6, 1
            )
    engine.dispose()

    reindex = None
    if not args.skip_reindex:
        print("praxis reindex …", file=sys.stderr)
        reindex = run_reindex(env, data / "reindex.log")
        reindex.update(notes_per_s=round(notes / reindex["seconds"]), mb_per_s=round(text_mb / reindex["seconds"], 2))
    index_size: dict[str, float | None] = {
        "data_dir_mb_without_sqlite": dir_mb(data, skip=("praxis.db", "reindex.log", "serve.log"))
    }
    if database == "postgresql":
        engine = make_engine(settings)
        with engine.connect() as conn:
            index_size["database_mb"] = round(
                conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar_one() / 1e6, 1
            )
        index_size["database_mb_before_reindex"] = db_mb_before
        engine.dispose()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = data / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "praxis", "serve", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    sets = query_sets(seed=args.query_seed, per_set=args.queries)
    passes: dict[str, dict] = {}
    try:
        startup = wait_until_up(base, server, log)
        memory_idle = proc_memory(server.pid)
        response = httpx.post(base + "/api/v1/auth/token", json={"username": reader, "password": PASSWORD}, timeout=30)
        response.raise_for_status()
        token = response.json()["access_token"]
        busy_before, self_before, server_before = busy_cpu_seconds(), own_cpu_seconds(), own_cpu_seconds(server.pid)
        for who, headers in (("visitor", {}), ("signed-in reader", {"Authorization": f"Bearer {token}"})):
            with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
                for size, queries in sets.items():
                    print(f"{who}, {size}-word queries …", file=sys.stderr)
                    passes.setdefault(who, {})[size] = measure(client, queries)
        memory = proc_memory(server.pid)
        server_cpu = own_cpu_seconds(server.pid) - server_before
        others = busy_cpu_seconds() - busy_before - server_cpu - (own_cpu_seconds() - self_before)
        query_cpu = {
            "server_cpu_seconds": round(server_cpu, 1),
            "other_processes_cpu_seconds": round(max(others, 0.0), 1),
        }
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()

    result = {
        "benchmark": "search",
        "backend": backend,
        "database": database,
        "notes": notes,
        "text_mb": round(text_mb, 1),
        "seed": args.seed,
        "query_seed": args.query_seed,
        "queries_per_set": args.queries,
        "corpus": corpus,
        "reader": reader,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_average": {"before": [round(x, 2) for x in load_before], "after": [round(x, 2) for x in os.getloadavg()]},
        "reindex": reindex,
        "index_size": index_size,
        "server": {"startup_s": round(startup, 1), "idle": memory_idle, "after_queries": memory, **query_cpu},
        "passes": passes,
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"search-{backend}-{notes}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    if reindex:
        print(
            f"reindex: {notes} notes, {text_mb:.1f} MB of Markdown in {reindex['seconds']} s "
            f"({reindex['notes_per_s']} notes/s, {reindex['mb_per_s']} MB/s), CPU {reindex['cpu_seconds']} s, "
            f"peak RSS {reindex['peak_rss_mb']} MB (largest process), {reindex['peak_tree_rss_mb']} MB (all its processes)"
        )
    print(
        f"other processes used {reindex['other_processes_cpu_seconds'] if reindex else '-'} CPU s during the reindex, "
        f"{query_cpu['other_processes_cpu_seconds']} during the queries (the server: {query_cpu['server_cpu_seconds']} s)"
        + ("; on PostgreSQL these include the database server's own work" if database == "postgresql" else "")
    )
    print(
        f"index: {index_size}; server RSS {memory['VmRSS']} MB after the queries (peak {memory['VmHWM']} MB, "
        f"{memory_idle['VmRSS']} MB before)"
    )
    print("| backend | notes | reader | words | p50 ms | p95 ms | p99 ms | median total | no hits | errors |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for who, by_size in passes.items():
        for size, r in by_size.items():
            print(
                f"| {backend} ({database}) | {notes} | {who} | {size} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | "
                f"{r['median_total']} | {r['no_hits']}/{r['queries']} | {r['errors'] or '-'} |"
            )
    print(f"results: {out}")


if __name__ == "__main__":
    main()
