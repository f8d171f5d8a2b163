"""Importing an Obsidian vault: a generated vault of 1 000 notes and 1 000 small PNG images, with
wikilinks of every kind, imported into a new SQLite site; prints notes/s (goal: 500 or more).

    .venv/bin/python bench/import.py [--notes 1000] [--profile]

`--no-images`: the same notes without their images (what the files cost). `--profile` runs the import under cProfile and prints the 30 costliest functions (cumulative).
The vault is made under a temporary folder; the site too (both removed afterwards).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import shutil
import tempfile
import time
from pathlib import Path

from PIL import Image

from praxis.config import Settings
from praxis.db import make_engine, session_scope, upgrade
from praxis.notes import fields
from praxis.transfer import folders
from praxis.transfer.plan import Options

WORDS = (
    "chantier cercle mutualisation données culture numérique communauté pratique réseau agent développement "
    "région musée bibliothèque patrimoine danse musique édition théâtre médiation veille guide formation"
).split()
FOLDERS = ["Projets", "Projets/Archives", "Réseau", "Réseau/Rencontres", "Outils", "Lexique", "Journal", ""]


def png(rng: random.Random) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (24, 16), (rng.randrange(256), rng.randrange(256), rng.randrange(256))).save(out, "PNG")
    return out.getvalue()


def make_vault(root: Path, count: int, *, seed: int = 25, images: bool = True) -> None:
    """`count` notes in a few folders (some names shared by two folders), each with front
    matter or not, headings, tags, and links of every kind: [[Note]], [[Dossier/Note]],
    [[Note#Titre|libellé]], [[#Titre]], an alias, ![[Note]], a relative Markdown link, and one
    image each, embedded by name, at a size, or by a relative path."""
    rng = random.Random(seed)
    (root / ".obsidian").mkdir(parents=True)
    (root / "Pièces").mkdir()
    names = [f"Note {n:04d}" for n in range(count)]
    paths = [f"{FOLDERS[n % len(FOLDERS)]}/{names[n]}".lstrip("/") for n in range(count)]
    for n in range(count):
        (root / "Pièces" / f"image-{n:04d}.png").write_bytes(png(rng))
    for n, path in enumerate(paths):
        other, third = rng.randrange(count), rng.randrange(count)
        image = f"image-{n:04d}.png"
        embeds = [f"![[{image}]]", f"![[{image}|300]]", f"![schéma](../Pièces/{image})"] if images else ["", "", ""]
        relative = "../" * paths[n].count("/") + paths[other] + ".md"
        body = (
            f"{' '.join(rng.choices(WORDS, k=40)).capitalize()}.\n\n"
            f"Voir [[{names[other]}]], [[{paths[third]}]], [[{names[third]}#Titre|la suite]], [[#Titre]],"
            f" [[Autre nom {other}]], [le même]({relative.replace(' ', '%20')}) et ![[{names[third]}]].\n\n"
            f"## Titre\n\n{embeds[n % 3]}\n\n{' '.join(rng.choices(WORDS, k=60))}. #atelier #{rng.choice(WORDS)}\n"
        )
        front = (
            f"---\naliases: [Autre nom {n}]\ntags: [banc]\ncreated: 2024-01-{n % 28 + 1:02d}\n---\n" if n % 2 else ""
        )
        target = root / f"{path}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(front + body, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notes", type=int, default=1_000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--no-images", action="store_true", help="the same vault, its notes showing no image")
    parser.add_argument("--sort", default="cumulative", help="how the profile is ordered: cumulative, tottime…")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="praxis-bench-vault-"))
    try:
        vault = work / "Coffre"
        make_vault(vault, args.notes, images=not args.no_images)
        settings = Settings(data_dir=work / "data", secret_key="bench-import-vault", content_dir=work / "none")
        engine = make_engine(settings)
        upgrade(engine, settings=settings)
        profiler = cProfile.Profile() if args.profile else None
        started, cpu = time.perf_counter(), time.process_time()
        with session_scope(engine, settings) as session, fields.remembering_people(session):
            if profiler:
                profiler.enable()
            report = folders.import_path(session=session, path=vault, options=Options(author="Banc d'essai"))
            if profiler:
                profiler.disable()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        engine.dispose()
        print(
            f"{report.created} notes, {report.files} files, {len(report.warnings)} warnings in {seconds:.2f} s: "
            f"{report.created / seconds:.0f} notes/s ({cpu:.2f} s of CPU: {report.created / cpu:.0f} notes per CPU second)"
        )
        if profiler:
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(30)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
