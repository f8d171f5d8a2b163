"""Reading and converting a MediaWiki export: pages per second, pandoc batched or not.

    .venv/bin/python bench/mediawiki.py [--pages 500] [--revisions 2000]

Writes a deterministic export (French wikitext with headings, lists, links, files, categories,
tables, footnotes and templates; about 4 KB a revision) to a temp file, then times
`read_export` alone, and `read_export` with every revision converted by `to_markdown_many`: one
call for the whole export (pandoc processes run one a processor, then one at a time), one call per
page (a page's history); and, on a sample, one call per revision for comparison; then the whole
import (`praxis import export.xml` into a new SQLite site, in its own process: notes with every
revision, rendered, linked and indexed). Both the elapsed
time and the processor time (this process and its pandoc children: what the conversion costs on
an idle machine, a core) are kept. Results go to bench/results/mediawiki-<pages>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.corpus import WORDS, body, title
from praxis.transfer.mediawiki import read_export, to_markdown_many

SITEINFO = """<siteinfo><sitename>Banc</sitename><base>https://wiki.exemple.org/wiki/Accueil</base>
<generator>MediaWiki 1.39.1</generator><case>first-letter</case><namespaces>
<namespace key="0" case="first-letter" /><namespace key="1" case="first-letter">Discussion</namespace>
<namespace key="6" case="first-letter">Fichier</namespace><namespace key="10" case="first-letter">Modèle</namespace>
<namespace key="14" case="first-letter">Catégorie</namespace></namespaces></siteinfo>"""


def wikitext(rng: random.Random, titles: list[str]) -> str:
    def link() -> str:
        target = rng.choice(titles)
        return f"[[{target}|{rng.choice(WORDS)}]]" if rng.random() < 0.5 else f"[[{target}]]"

    def paragraph() -> str:
        words = body(rng, rng.randint(30, 90)).split()
        for _ in range(rng.randint(1, 4)):
            words.insert(rng.randrange(len(words)), link())
        if rng.random() < 0.4:
            words.insert(rng.randrange(len(words)), "'''" + rng.choice(WORDS) + "'''")
        if rng.random() < 0.3:
            words.append(
                f"<ref>{body(rng, 12)} {{{{Lien web|url=https://exemple.org/{rng.randint(1, 999)}|titre=Source}}}}</ref>"
            )
        return " ".join(words)

    parts = [paragraph()]
    for section in range(rng.randint(2, 4)):
        parts.append(f"== {title(rng)} ==")
        parts.append(paragraph())
        if section == 0:
            parts.append("\n".join(f"* {body(rng, 8)} {link()}" for _ in range(rng.randint(2, 5))))
            parts.append(f"[[Fichier:Image {rng.randint(1, 99)}.png|vignette|300px|{body(rng, 6)}]]")
        if section == 1 and rng.random() < 0.5:
            rows = "\n|-\n".join(f"| {rng.choice(WORDS)} || {rng.randint(1, 99)}" for _ in range(4))
            parts.append('{| class="wikitable"\n! Nom !! Nombre\n|-\n' + rows + "\n|}")
        if rng.random() < 0.3:
            parts.append(f"{{{{Infobox|nom={rng.choice(WORDS)}}}}}")
        parts.append(paragraph())
    parts.append("<references />")
    parts.append(f"[[Catégorie:{rng.choice(WORDS).capitalize()}]]")
    return "\n\n".join(parts)


def write_export(path: Path, pages: int, revisions: int, seed: int = 25) -> None:
    rng = random.Random(seed)
    titles = list(dict.fromkeys(title(rng) for _ in range(pages * 2)))[:pages]
    counts = [1] * pages
    for _ in range(revisions - pages):
        counts[rng.randrange(pages)] += 1
    start = datetime(2019, 5, 14, tzinfo=UTC)
    rev_id = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(
            f'<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="fr">{SITEINFO}\n'
        )
        for number, (page_title, count) in enumerate(zip(titles, counts), start=1):
            out.write(f"<page><title>{escape(page_title)}</title><ns>0</ns><id>{number}</id>")
            text = wikitext(rng, titles)
            for _ in range(count):
                rev_id += 1
                when = (start + timedelta(minutes=rev_id * 7)).strftime("%Y-%m-%dT%H:%M:%SZ")
                # Each revision changes a paragraph of the one before, as edits do.
                text = text.replace(rng.choice(WORDS), rng.choice(WORDS), 3)
                out.write(
                    f"<revision><id>{rev_id}</id><timestamp>{when}</timestamp><contributor><username>"
                    f"Auteur {rng.randint(1, 40)}</username><id>{rng.randint(1, 40)}</id></contributor>"
                    f"<comment>modification</comment><model>wikitext</model><format>text/x-wiki</format>"
                    f'<text xml:space="preserve">{escape(text)}</text><sha1>x</sha1></revision>'
                )
            out.write("</page>\n")
        out.write("</mediawiki>\n")


def processor_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(run: Callable[[], int]) -> tuple[float, float, int]:
    started, processor = time.perf_counter(), processor_seconds()
    count = run()
    return time.perf_counter() - started, processor_seconds() - processor, count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--revisions", type=int, default=2000)
    parser.add_argument("--sample", type=int, default=50, help="revisions converted one pandoc process each")
    parser.add_argument(
        "--modes", default="read,whole,whole_1_process,per_page,one_by_one,import", help="which to time, by name"
    )
    args = parser.parse_args()
    path = Path(tempfile.mkdtemp(prefix="praxis-bench-mw-")) / "export.xml"
    write_export(path, args.pages, args.revisions)

    def read_only() -> int:
        with read_export(path) as wiki:
            return sum(len(page.revisions) for page in wiki.pages)

    def per_page() -> int:
        with read_export(path) as wiki:
            for page in wiki.pages:
                to_markdown_many([r.text or "" for r in page.revisions], namespaces=wiki.siteinfo.namespaces)
        return args.pages

    def whole(workers: int | None = None) -> int:
        with read_export(path) as wiki:
            texts = [r.text or "" for page in wiki.pages for r in page.revisions]
            to_markdown_many(texts, namespaces=wiki.siteinfo.namespaces, workers=workers)
        return args.pages

    def one_by_one() -> int:
        with read_export(path) as wiki:
            texts = [r.text or "" for page in wiki.pages for r in page.revisions][: args.sample]
            for text in texts:
                to_markdown_many([text], namespaces=wiki.siteinfo.namespaces)[0]
        return len(texts)

    def imported() -> int:
        data = Path(tempfile.mkdtemp(prefix="praxis-bench-mw-site-"))
        env = {**os.environ, "PRAXIS_DATA_DIR": str(data), "PRAXIS_SECRET_KEY": "bench-mediawiki"}
        env.pop("PRAXIS_DATABASE_URL", None)
        subprocess.run(
            [sys.executable, "-m", "praxis", "db", "upgrade"], env=env, check=True, stdout=subprocess.DEVNULL
        )
        subprocess.run([sys.executable, "-m", "praxis", "import", str(path)], env=env, check=True)
        return args.pages

    size = path.stat().st_size
    results: dict[str, object] = {"pages": args.pages, "revisions": args.revisions, "export_bytes": size}
    results["load_average_before"] = os.getloadavg()[0]
    modes: list[tuple[str, Callable[[], int]]] = [
        ("read", read_only),
        ("whole", whole),
        ("whole_1_process", lambda: whole(workers=1)),
        ("per_page", per_page),
        ("one_by_one", one_by_one),
        ("import", imported),
    ]
    wanted = set(args.modes.split(","))
    for name, run in [(name, run) for name, run in modes if name in wanted]:
        seconds, processor, count = timed(run)
        results[name] = {
            "seconds": round(seconds, 2),
            "processor_seconds": round(processor, 2),
            "per_second": round(count / seconds, 1),
            "per_processor_second": round(count / processor, 1),
        }
        unit = "revisions" if name in ("read", "one_by_one") else "pages"
        print(
            f"{name:>15}: {seconds:7.2f} s  {count / seconds:8.1f} {unit}/s;"
            f" processor {processor:7.2f} s  {count / processor:8.1f} {unit}/s",
            flush=True,
        )
    results["machine"] = f"{platform.machine()}, {os.cpu_count()} processors, Python {platform.python_version()}"
    out = Path(__file__).parent / "results" / f"mediawiki-{args.pages}.json"
    if out.exists():  # a run of some modes keeps the others' figures
        results = {**json.loads(out.read_text()), **results}
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"export: {size / 1e6:.1f} MB; results in {out}")


if __name__ == "__main__":
    main()
