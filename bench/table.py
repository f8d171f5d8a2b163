"""A load benchmark's results (`bench/results/load-*.json`) as the Markdown tables of docs/benchmarks.md.

.venv/bin/python bench/table.py bench/results/load-postgresql-1000000.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

LABELS = {
    "note page (random)": "note page, drawn at random",
    "note page as a static file": "note page as a static file (ceiling)",
}


def number(value: float) -> str:
    """1 452, 87.5, 0.7: whole numbers from 100 up (grouped by thousands), one decimal below."""
    if value >= 100:
        return f"{round(value):,}".replace(",", " ")
    return f"{value:.1f}"


def cell(run: dict) -> str:
    text = (
        f"{number(run['requests_per_s'])} · {number(run['p50_ms'])} / {number(run['p95_ms'])} / {number(run['p99_ms'])}"
    )
    errors = sum(run.get("errors", {}).values())
    return f"{text} ({errors} errors)" if errors else text


def table(results: dict) -> str:
    clients = sorted({int(c) for runs in results.values() for c in runs})
    lines = [
        "| page | " + " | ".join(f"{c} client{'s' if c > 1 else ''}" for c in clients) + " |",
        "|---" * (len(clients) + 1) + "|",
    ]
    for page, runs in results.items():
        cells = [cell(runs[str(c)]) if str(c) in runs else "—" for c in clients]
        lines.append(f"| {LABELS.get(page, page)} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path)
    data = json.loads(parser.parse_args().results.read_text())
    imported = data.get("import") or {}
    print(
        f"{data['notes']} notes on {data['database']}; import: {imported.get('summary', 'not run')} "
        f"({imported.get('seconds', '?')} s); targets: {data.get('targets')}\n"
    )
    print(table(data["results"]))


if __name__ == "__main__":
    main()
