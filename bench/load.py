"""Load: a generated French site loaded through `praxis import`, then served by
`praxis serve --workers 2` and measured by wrk, a separate load-generating process on loopback.

    .venv/bin/python bench/load.py --notes 10000                      # SQLite + Whoosh
    .venv/bin/python bench/load.py --notes 100000
    .venv/bin/python bench/load.py --notes 1000000 \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/praxis_bench_load   # PostgreSQL

1. Corpus: bench/french_corpus.py (the search benchmark's generator: authors, communities,
   carnets, links, organisations, terms) writes a scratch site once per size, which `praxis
   export` turns into Markdown files, kept in /tmp/praxis-bench-corpus-<notes> for later runs.
2. Load: a new, empty site gets the corpus's people and communities (as a site has them before
   its notes come), then `praxis import` of the Markdown folder, timed (notes/s; the import's own
   progress bar shows on the terminal), search index included.
3. Serve: `praxis serve --workers 2`; for each page (home, one note page, a note page drawn at
   random among all notes, a carnet, the lexique, a search, a note save through the API) and
   each number of clients (1, 8, 32), wrk runs for --duration seconds after a warm-up and reports
   requests/s and p50/p95/p99 latency; the server's memory (all its processes) is read after
   each run. The same note page, saved as a file under /static, is served by the same server as
   the ceiling.
Results go to bench/results/load-<database>-<notes>.json, and a Markdown table is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote_plus

import httpx
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.french_corpus import generate
from bench.queries import query_sets
from bench.search import busy_cpu_seconds, ensure_database, free_port, process_tree, tree_rss_mb, wait_until_up
from praxis.config import Settings
from praxis.db import make_engine, session_scope, upgrade
from praxis.models import Community, CommunityMember, User, table_of

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
LUA = ROOT / "bench" / "wrk.lua"
PASSWORD = "bench-load-password"
CLIENTS = (1, 8, 32)


def corpus(notes: int, seed: int) -> Path:
    """The Markdown export of a generated site of `notes` notes (made once, then reused)."""
    folder = Path(tempfile.gettempdir()) / f"praxis-bench-corpus-{notes}-{seed}"
    if (folder / "done").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    settings = Settings(data_dir=folder / "site", secret_key="bench-corpus")
    engine = make_engine(settings)
    upgrade(engine)
    print(f"generating {notes} notes …", file=sys.stderr)
    generate(engine, notes, seed=seed, progress=True)
    from praxis import policy
    from praxis.transfer import service as transfer_service

    print("exporting them as Markdown …", file=sys.stderr)
    with session_scope(engine, settings, write=False) as session:
        transfer_service.export_path(session=session, path=folder / "markdown", actor=policy.SYSTEM)
    engine.dispose()
    (folder / "done").touch()
    return folder


def fresh_site(args: argparse.Namespace, data: Path, env: dict[str, str]) -> Settings:
    if data.exists():
        shutil.rmtree(data)
    data.mkdir(parents=True)
    settings = Settings(data_dir=data, database_url=args.database_url, secret_key="bench-load")
    if args.database_url:
        ensure_database(args.database_url)
        engine = make_engine(settings)
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "DROP SCHEMA IF EXISTS praxis_search CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public"
            )
        engine.dispose()
    subprocess.run([sys.executable, "-m", "praxis", "db", "upgrade"], env=env, check=True, stdout=subprocess.DEVNULL)
    return settings


def copy_people(source: Path, settings: Settings) -> None:
    """The corpus's people and communities, as the site has them before its notes are imported."""
    scratch = make_engine(Settings(data_dir=source / "site", secret_key="bench-corpus"))
    target = make_engine(settings)
    with scratch.connect() as src, target.begin() as dst:
        for model in (User, Community, CommunityMember):
            rows = [dict(r._mapping) for r in src.execute(sa.select(table_of(model)))]
            if rows:
                dst.execute(sa.insert(table_of(model)), rows)
        if target.dialect.name == "postgresql":
            dst.exec_driver_sql("SELECT setval('user_account_id_seq', (SELECT max(id) FROM user_account))")
    scratch.dispose()
    target.dispose()


def run_import(folder: Path, env: dict[str, str], log: Path) -> dict:
    files = sum(1 for _ in (folder / "markdown").rglob("*.md"))
    started = time.perf_counter()
    # The progress bar goes to the terminal (stderr); the summary line is kept.
    done = subprocess.run(
        [sys.executable, "-m", "praxis", "import", str(folder / "markdown")], env=env, stdout=subprocess.PIPE, text=True
    )
    seconds = time.perf_counter() - started
    log.write_text(done.stdout)
    if done.returncode != 0:
        sys.exit(f"praxis import failed:\n{done.stdout}")
    return {
        "files": files,
        "seconds": round(seconds, 1),
        "notes_per_s": round(files / seconds, 1),
        "summary": done.stdout.strip().splitlines()[-1],
    }


def wrk(base: str, clients: int, seconds: int, *args: str) -> dict:
    threads = min(clients, 2)
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{clients}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        base,
        "--",
        *args,
    ]
    if args[0] == "save":
        command.append(str(threads))
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"wrk failed: {' '.join(command)}\n{done.stdout}\n{done.stderr}")
    out = done.stdout
    line = [x for x in out.splitlines() if x.startswith("{")][-1]
    raw = json.loads(line)
    return {
        "requests_per_s": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p95_ms": round(raw["p95_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "max_ms": round(raw["max_us"] / 1000, 1),
        "requests": raw["requests"],
        "errors": {k: v for k, v in raw["errors"].items() if v},
    }


def tree_cpu_seconds(root: int) -> float:
    """CPU seconds used so far by a process and all its descendants."""
    ticks = os.sysconf("SC_CLK_TCK")
    return sum((int(fields[11]) + int(fields[12])) / ticks for fields in process_tree(root).values())


def wait_idle(pid: int, limit: float = 180) -> float:
    """Wait until the server has finished what a run left it (requests wrk gave up on, indexing):
    less than a tenth of a core over a second, and the machine as a whole (PostgreSQL goes on
    running the statements of requests wrk gave up on, and vacuums after writes) less than a
    quarter of a core. Returns the seconds waited."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        before, machine_before = tree_cpu_seconds(pid), busy_cpu_seconds()
        time.sleep(1)
        if tree_cpu_seconds(pid) - before < 0.1 and busy_cpu_seconds() - machine_before < 0.25:
            break
    return round(time.perf_counter() - started, 1)


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kb = int(
        next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    )
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n", 1)[0]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 2**20, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "wrk": wrk_version.strip(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--database-url", default=None, help="PostgreSQL database to use (emptied); default SQLite")
    parser.add_argument("--data-dir", type=Path, default=None, help="the site; default /tmp/praxis-bench-load-<notes>")
    parser.add_argument("--duration", type=int, default=10, help="seconds of each wrk run")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-load", action="store_true", help="measure the site an earlier run loaded")
    parser.add_argument(
        "--only",
        action="append",
        default=None,
        help="measure only this page (repeatable), e.g. --only 'note save'; the results file gets a suffix",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed (Debian: apt-get install wrk; `make bench` installs it)")

    database = "postgresql" if args.database_url else "sqlite"
    data = (
        args.data_dir
        or Path(tempfile.gettempdir()) / f"praxis-bench-load-{args.notes}{'-pg' if args.database_url else ''}"
    )
    env = {
        **os.environ,
        "PRAXIS_DATA_DIR": str(data),
        "PRAXIS_CONTENT_DIR": str(data / "no-content"),
        "PRAXIS_SECRET_KEY": "bench-load-secret-key-of-enough-length",
        "PRAXIS_PASSWORD": PASSWORD,
    }
    if args.database_url:
        env["PRAXIS_DATABASE_URL"] = args.database_url
    load_before = os.getloadavg()

    source = corpus(args.notes, args.seed)
    imported = None
    if not args.skip_load:
        settings = fresh_site(args, data, env)
        copy_people(source, settings)
        print(f"praxis import of {args.notes} notes …", file=sys.stderr)
        imported = run_import(source, env, data / "import.log")
        print(f"imported: {imported['summary']} ({imported['seconds']} s)", file=sys.stderr)
        subprocess.run(
            [sys.executable, "-m", "praxis", "user", "create", "banc", "--admin", "--name", "Banc d'essai"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    settings = Settings(data_dir=data, database_url=args.database_url, secret_key="bench-load")
    engine = make_engine(settings)
    with engine.connect() as conn:
        notes = conn.exec_driver_sql("SELECT count(*) FROM note WHERE deleted_at IS NULL").scalar()
        public = [
            r[0]
            for r in conn.exec_driver_sql(
                "SELECT id FROM note WHERE deleted_at IS NULL AND visibility = 'public' ORDER BY id"
            )
        ]
        # Saved once each, from revision 1: notes an earlier run (--skip-load) did not save.
        unsaved = [
            r[0]
            for r in conn.exec_driver_sql(
                "SELECT id FROM note WHERE deleted_at IS NULL AND visibility = 'public' AND revision = 1 ORDER BY id"
            )
        ]
        # The note page measured: a public note with links and backlinks, as a reader lands on.
        linked = conn.exec_driver_sql(
            "SELECT l.source_id FROM note_link l JOIN note n ON n.id = l.source_id WHERE n.visibility = 'public' "
            "AND n.deleted_at IS NULL GROUP BY l.source_id ORDER BY count(*) DESC, l.source_id LIMIT 1"
        ).scalar()
        carnet = conn.exec_driver_sql(
            "SELECT c.id FROM carnet c JOIN carnet_entry e ON e.carnet_id = c.id WHERE c.visibility = 'public' "
            "GROUP BY c.id ORDER BY count(*) DESC, c.id LIMIT 1"
        ).scalar()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="praxis-bench-load-"))
    (work / "random.txt").write_text("".join(f"/n/{i}/\n" for i in rng.sample(public, min(len(public), 20_000))))
    queries = [q for qs in query_sets(seed=7, per_set=100).values() for q in qs]
    rng.shuffle(queries)
    (work / "search.txt").write_text("".join(f"/recherche?q={quote_plus(q)}\n" for q in queries))
    saves = rng.sample(sorted(set(unsaved) - {linked}), min(len(unsaved) - 1, 3 * 5000))

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = data / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "praxis", "serve", "--workers", str(args.workers), "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    static = ROOT / "praxis" / "static" / f"bench-note-{os.getpid()}.html"
    results: dict[str, dict] = {}
    memory: dict[str, float] = {}
    try:
        startup = wait_until_up(base, server, log)
        memory["idle_mb"] = round(tree_rss_mb(server.pid), 1)
        token = httpx.post(
            base + "/api/v1/auth/token", json={"username": "banc", "password": PASSWORD}, timeout=30
        ).json()["access_token"]
        static.write_bytes(httpx.get(f"{base}/n/{linked}/").content)
        pages = {
            "home": "/",
            "note page": f"/n/{linked}/",
            "note page (random)": None,
            "carnet": f"/c/{carnet}/",
            "lexique": "/lexique/",
            "search": None,
            "note save": None,
            "note page as a static file": f"/static/{static.name}",
        }
        for name, path in pages.items():
            if args.only and name not in args.only and name != "note page as a static file":
                continue
            results[name] = {}
            for run, clients in enumerate(CLIENTS):
                if name == "note save":
                    per = len(saves) // len(CLIENTS)  # each run saves notes no other run saved: all at revision 1
                    batch = saves[run * per : (run + 1) * per]
                    with engine.connect() as conn:
                        bodies: dict[str, str] = dict(
                            conn.execute(
                                sa.text("SELECT id, body FROM note WHERE id IN :ids").bindparams(
                                    sa.bindparam("ids", expanding=True)
                                ),
                                {"ids": batch},
                            ).all()
                        )
                    lines = (
                        f"{i}\t{json.dumps(bodies[i] + f' Relu lors du passage {run + 1}.', ensure_ascii=False)}\n"
                        for i in batch
                    )
                    (work / "save.txt").write_text("".join(lines), encoding="utf-8")
                    args_: tuple[str, ...] = ("save", str(work / "save.txt"), token, "1")
                else:
                    file = work / f"{name}.txt"
                    if path is not None:
                        file.write_text(path + "\n")
                    else:
                        file = work / ("random.txt" if name.startswith("note page") else "search.txt")
                    args_ = ("get", str(file))
                    wrk(base, clients, 2, *args_)  # warm-up: caches, connections, the planner
                print(f"{name}, {clients} client(s) …", file=sys.stderr)
                waited = wait_idle(server.pid)
                results[name][str(clients)] = {**wrk(base, clients, args.duration, *args_), "waited_idle_s": waited}
                memory[f"after {name}, {clients}"] = round(tree_rss_mb(server.pid), 1)
    finally:
        static.unlink(missing_ok=True)
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
        engine.dispose()
        shutil.rmtree(work, ignore_errors=True)

    ceiling = results["note page as a static file"]["32"]["requests_per_s"]
    note = results.get("note page", {}).get("32", {"requests_per_s": 0.0, "p99_ms": None})
    result = {
        "benchmark": "load",
        "database": database,
        "notes": notes,
        "seed": args.seed,
        "workers": args.workers,
        "duration_s": args.duration,
        "machine": machine(),
        "load_average": {"before": [round(x, 2) for x in load_before], "after": [round(x, 2) for x in os.getloadavg()]},
        "import": imported,
        "server": {"startup_s": round(startup, 1), "memory_mb": memory, "peak_memory_mb": max(memory.values())},
        "targets": {
            "note_page_32_requests_per_s": note["requests_per_s"],
            "note_page_32_p99_ms": note["p99_ms"],
            "note_save_32_p95_ms": results.get("note save", {}).get("32", {}).get("p95_ms"),
            "note_page_to_static_ratio": round(note["requests_per_s"] / ceiling, 2),
        },
        "results": results,
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"load-{database}-{notes}{'-partial' if args.only else ''}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    m = result["machine"]
    print(
        f"{database}, {notes} notes, serve --workers {args.workers}; {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB"
    )
    if imported:
        print(f"import: {imported['files']} files in {imported['seconds']} s ({imported['notes_per_s']} notes/s)")
    print(
        f"server memory (all processes): {memory['idle_mb']} MB idle, {result['server']['peak_memory_mb']} MB at most"
    )
    print("| page | clients | req/s | p50 ms | p95 ms | p99 ms | errors |")
    print("|---|---|---|---|---|---|---|")
    for name, by_clients in results.items():
        for clients, r in by_clients.items():
            print(
                f"| {name} | {clients} | {r['requests_per_s']:.0f} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | "
                f"{r['errors'] or '-'} |"
            )
    print(f"note page / static file at 32 clients: {result['targets']['note_page_to_static_ratio']}")
    print(f"results: {out}")


if __name__ == "__main__":
    main()
