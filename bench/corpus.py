"""A French-looking corpus of notes, written straight into a migrated database (fast), for benchmarks."""

from __future__ import annotations

import random
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from praxis.markdown import fold, slugify
from praxis.models import Note, NoteAuthor, Revision, User, table_of

WORDS = (
    "chantier cercle mutualisation données culture numérique communauté pratique réseau agent développement "
    "région musée bibliothèque patrimoine danse musique édition théâtre cinéma médiation veille guide formation "
    "gouvernance référentiel commun prototype atelier rencontre nationale collaboration savoirs ouverts "
    "intelligence artificielle financement accompagnement écosystème transformation mémoire archives festival "
    "diffusion public jeunesse territoire municipalité organisme partenaire projet bilan legs outil plateforme"
).split()


def title(rng: random.Random) -> str:
    words = rng.sample(WORDS, rng.randint(2, 6))
    return " ".join(words).capitalize()


def body(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def inserted_id(result: sa.CursorResult[Any]) -> int:
    """The id the database gave the one row an INSERT wrote."""
    key = result.inserted_primary_key
    if key is None:
        raise RuntimeError("the INSERT wrote no row with a key")
    return int(key[0])


def generate(engine: sa.Engine, count: int, *, seed: int = 42, batch: int = 5_000, hidden_share: float = 0.0) -> None:
    """Insert `count` notes (with authors and a first revision) as fast as the database allows;
    `hidden_share` of them restricted to their author."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        user_ids = []
        for i in range(50):
            result = conn.execute(
                sa.insert(table_of(User)).values(
                    username=f"auteur{i}",
                    display_name=f"Auteur·trice {i}",
                    is_admin=False,
                    is_active=True,
                    created_at=now,
                )
            )
            user_ids.append(inserted_id(result))
    kinds = ["note"] * 8 + ["organisation", "term"]
    done = 0
    while done < count:
        notes, authors, revisions = [], [], []
        for _ in range(min(batch, count - done)):
            nid = secrets.token_urlsafe(9)
            t = title(rng)
            text = body(rng, rng.randint(30, 120))
            when = now - timedelta(days=rng.randint(0, 2000))
            notes.append(
                dict(
                    id=nid,
                    kind=rng.choice(kinds),
                    title=t,
                    title_key=fold(t),
                    slug=slugify(t),
                    body=text,
                    html=f"<p>{text}</p>\n",
                    visibility="restricted" if rng.random() < hidden_share else "public",
                    licence="CC-BY-SA-4.0",
                    revision=1,
                    created_at=when,
                    published_at=when,
                    updated_at=when,
                )
            )
            authors.append(dict(note_id=nid, user_id=rng.choice(user_ids), position=0))
            revisions.append(
                dict(note_id=nid, number=1, created_at=when, title=t, body=text, html=f"<p>{text}</p>\n", meta={})
            )
        with engine.begin() as conn:
            conn.execute(sa.insert(table_of(Note)), notes)
            conn.execute(sa.insert(table_of(NoteAuthor)), authors)
            conn.execute(sa.insert(table_of(Revision)), revisions)
        done += len(notes)
