"""A realistic French corpus for the search benchmark, written straight into a migrated database.

    .venv/bin/python bench/french_corpus.py --notes 10000 --data-dir /tmp/praxis-corpus
    .venv/bin/python bench/french_corpus.py --notes 100000 --database-url postgresql+psycopg://postgres@127.0.0.1:5432/praxis_bench_search

Deterministic for a given seed and count. Notes are written in grammatical-looking French from
bench/french_vocab.py (a few thousand word forms with accents, elisions, verb forms and plurals,
drawn with Zipf-like weights, each note leaning on one of a few themes), as paragraphs with some
Markdown headings, lists, bold text, links and [[wikilinks]] to organisations and terms. Lengths
are lognormal between 50 and 3 000 words (median about 400). About 5 % of the notes are
organisations and 5 % terms; 6 % are restricted (with chosen readers) and 4 % kept to a
community; 200 authors write 1 to 3 notes each; 50 carnets hold 0 to 3 memberships per note.

Rows go in with SQLAlchemy Core bulk inserts (no services, no revisions beyond the first), so a
site of 100 000 notes is built in minutes. The stored HTML is what praxis.markdown.render gives:
the generator renders its own (much faster) HTML, and checks it against the real renderer on the
first notes.
"""

from __future__ import annotations

import argparse
import base64
import bisect
import itertools
import math
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import french_vocab as V
from bench.corpus import inserted_id
from praxis.markdown import Resolved, fold, heading_slug, render, slugify
from praxis.models import (
    Carnet,
    CarnetEntry,
    CarnetMember,
    Community,
    CommunityMember,
    Note,
    NoteAuthor,
    NoteLink,
    NoteReader,
    Revision,
    User,
    table_of,
)

NOW = datetime(2025, 9, 1, 12, 0, tzinfo=UTC)  # fixed, so that a seed gives the same site
FIRST_DAY = datetime(2016, 1, 1, tzinfo=UTC)
LICENCES = ["CC-BY-SA-4.0"] * 6 + ["CC-BY-4.0"] * 2 + ["CC0-1.0", "CC-BY-NC-SA-4.0", "all-rights-reserved"]
AUTHORS = 200
CARNETS = 50
COMMUNITIES = 6


# ---------------------------------------------------------------- weighted drawing


class Zipf:
    """Draw items with weight 1 / (rank + offset): the first items of a list are the frequent ones."""

    def __init__(self, items: list, exponent: float = 1.0, offset: float = 1.5) -> None:
        self.items = items
        total, self.cum = 0.0, []
        for rank in range(len(items)):
            total += 1.0 / (rank + offset) ** exponent
            self.cum.append(total)
        self.total = total

    def draw(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect(self.cum, rng.random() * self.total)]


def _dedupe(items: list) -> list:
    return list(dict.fromkeys(items))


@dataclass
class Lexicon:
    """The vocabulary, ready to draw from: global pools and one pool per theme."""

    themes: list[str]
    nouns: Zipf
    adjs: Zipf
    verbs: Zipf
    theme_nouns: dict[str, Zipf]
    theme_adjs: dict[str, Zipf]
    theme_verbs: dict[str, Zipf]
    forms: dict[str, dict[str, str]] = field(default_factory=dict)


def build_lexicon() -> Lexicon:
    themes = list(V.THEMES)
    theme_nouns = {t: _dedupe(V.THEMES[t]["nouns"]) for t in themes}
    theme_adjs = {t: _dedupe(V.THEMES[t]["adjs"].split()) for t in themes}
    theme_verbs = {t: _dedupe(V.THEMES[t]["verbs"].split()) for t in themes}
    # Global pools: the general words first (frequent), then each theme's, interleaved by rank.
    nouns = _dedupe(V.GENERAL_NOUNS + [n for row in itertools.zip_longest(*theme_nouns.values()) for n in row if n])
    adjs = _dedupe(V.GENERAL_ADJS + [a for row in itertools.zip_longest(*theme_adjs.values()) for a in row if a])
    verbs = _dedupe(V.GENERAL_VERBS + [v for row in itertools.zip_longest(*theme_verbs.values()) for v in row if v])
    lex = Lexicon(
        themes=themes,
        nouns=Zipf(nouns),
        adjs=Zipf(adjs),
        verbs=Zipf(verbs),
        theme_nouns={t: Zipf(v, offset=2.5) for t, v in theme_nouns.items()},
        theme_adjs={t: Zipf(v, offset=2.5) for t, v in theme_adjs.items()},
        theme_verbs={t: Zipf(v, offset=2.5) for t, v in theme_verbs.items()},
    )
    for verb in verbs + ["être", "avoir", "pouvoir", "devoir", "vouloir", "savoir", "aller"]:
        lex.forms[verb] = V.verb_forms(verb)
    return lex


def vocabulary_forms(lex: Lexicon | None = None) -> dict[str, float]:
    """Every content word form the generator can write, with a rough relative frequency.

    Used by bench/queries.py to draw frequent and rare query words from the corpus vocabulary.
    """
    lex = lex or build_lexicon()
    weights: dict[str, float] = {}

    def add(form: str, w: float) -> None:
        for word in form.replace("'", "' ").split():
            if len(word) > 2 and word.isalpha():
                weights[word] = weights.get(word, 0.0) + w

    def pool(z: Zipf) -> Iterator[tuple[Any, float]]:
        previous = 0.0
        for item, cum in zip(z.items, z.cum):
            yield item, (cum - previous) / z.total
            previous = cum

    for (noun, _g), w in pool(lex.nouns):
        add(noun, w * 0.7)
        add(V.noun_plural(noun), w * 0.3)
    for adj, w in pool(lex.adjs):
        for g, n in (("m", "s"), ("f", "s"), ("m", "p"), ("f", "p")):
            add(V.adj_form(adj, g, n), w / 4)
    for verb, w in pool(lex.verbs):
        forms = lex.forms[verb]
        for name in ("infinitive", "present", "present_pl", "participle", "imperfect", "future", "conditional"):
            add(forms[name], w / 7)
    for place in V.PLACES:
        add(place, 0.0005)
    return weights


# ---------------------------------------------------------------- grammar


def elide(word: str, nxt: str) -> str:
    """A word (or the last word of a phrase) before another, elided before a vowel:
    l', d', qu', n', s', cet, son (for sa), de l' (for du), à l' (for au)."""
    if not V.starts_with_vowel(nxt):
        return f"{word} {nxt}"
    head, _, last = word.rpartition(" ")
    head = f"{head} " if head else ""
    if last in ("le", "la"):
        return f"{head}l'{nxt}"
    if last in ("de", "que", "ne", "se", "jusque", "lorsque", "puisque"):
        return f"{head}{last[:-1]}'{nxt}"
    if last == "ce":
        return f"{head}cet {nxt}"
    if last == "du":
        return f"{head}de l'{nxt}"
    if last == "au":
        return f"{head}à l'{nxt}"
    if last in ("sa", "ma", "ta"):
        return f"{head}{last[0]}on {nxt}"
    return f"{word} {nxt}"


_PRE_ADJS = ["grand", "petit", "nouveau", "premier", "dernier", "prochain", "meilleur", "vaste", "long", "bref"]
_PREPS = [
    "dans",
    "pour",
    "avec",
    "sur",
    "par",
    "auprès de",
    "au sein de",
    "autour de",
    "grâce à",
    "à partir de",
    "dans le cadre de",
    "à l'échelle de",
    "en lien avec",
    "face à",
    "malgré",
    "selon",
    "pendant",
    "vers",
    "sans",
    "entre",
    "parmi",
    "depuis",
    "à travers",
    "en faveur de",
    "au service de",
]
_REFLEXIVES = [
    "s'inscrit dans",
    "s'appuie sur",
    "se concentre sur",
    "se poursuit avec",
    "se déroule dans",
    "s'articule autour de",
    "se distingue par",
    "s'ajoute à",
    "se traduit par",
    "s'adresse à",
]
_REFLEXIVES_PL = [
    "s'inscrivent dans",
    "s'appuient sur",
    "se concentrent sur",
    "se poursuivent avec",
    "se déroulent dans",
    "s'articulent autour de",
    "se distinguent par",
    "s'ajoutent à",
    "se traduisent par",
    "s'adressent à",
]
_SUBORDINATORS = ["lorsque", "puisque", "parce que", "même si", "si", "quand", "alors que", "dès que", "tant que"]
_OPENERS = [
    "Il faut",
    "On peut",
    "On doit",
    "Il reste à",
    "Il est possible de",
    "Il importe de",
    "Nous voulons",
    "Il serait utile de",
    "Mieux vaut",
    "Nous proposons de",
    "Il s'agit maintenant de",
    "Il convient de",
]
_SAY = ["souligne", "rappelle", "explique", "note", "constate", "observe", "précise", "remarque", "affirme"]
_SAY_PL = ["soulignent", "rappellent", "expliquent", "notent", "constatent", "observent", "précisent", "remarquent"]


def _join_prep(prep: str, np: str) -> str:
    """A preposition before a noun phrase, contracting à/de with le/les: "du", "aux", "d'un"."""
    if prep.endswith(" de") or prep == "de":
        head = prep[:-2].rstrip()
        if np.startswith("le "):
            out = "du " + np[3:]
        elif np.startswith("les "):
            out = "des " + np[4:]
        elif np.startswith("des "):
            out = "de " + np[4:] if not V.starts_with_vowel(np[4:]) else "d'" + np[4:]
        else:
            out = elide("de", np)
        return f"{head} {out}".strip()
    if prep.endswith(" à") or prep == "à":
        head = prep[:-1].rstrip()
        if np.startswith("le "):
            out = "au " + np[3:]
        elif np.startswith("les "):
            out = "aux " + np[4:]
        else:
            out = "à " + np
        return f"{head} {out}".strip()
    return f"{prep} {np}"


class Writer:
    """Writes French sentences, paragraphs, titles and whole Markdown notes from a lexicon."""

    def __init__(self, lex: Lexicon, rng: random.Random) -> None:
        self.lex = lex
        self.rng = rng
        self.theme = lex.themes[0]
        self.links: list[str] = []  # wikilink targets (organisation and term titles) to draw from

    # -- words

    def noun(self) -> tuple[str, str]:
        if self.rng.random() < 0.45:
            return self.lex.theme_nouns[self.theme].draw(self.rng)
        return self.lex.nouns.draw(self.rng)

    def adj(self) -> str:
        if self.rng.random() < 0.35:
            return self.lex.theme_adjs[self.theme].draw(self.rng)
        return self.lex.adjs.draw(self.rng)

    def verb(self) -> dict[str, str]:
        if self.rng.random() < 0.35:
            return self.lex.forms[self.lex.theme_verbs[self.theme].draw(self.rng)]
        return self.lex.forms[self.lex.verbs.draw(self.rng)]

    # -- phrases

    def np(self, *, det: str | None = None, number: str | None = None, depth: int = 0) -> tuple[str, str, str]:
        """A noun phrase: (text, gender, number)."""
        rng = self.rng
        noun, gender = self.noun()
        number = number or ("p" if rng.random() < 0.3 else "s")
        word = noun if number == "s" else V.noun_plural(noun)
        pre = ""
        if rng.random() < 0.08:
            adj = rng.choice(_PRE_ADJS)
            if not (gender == "m" and number == "s" and V.starts_with_vowel(word) and adj == "nouveau"):
                pre = V.adj_form(adj, gender, number)
        if rng.random() < 0.4:
            word = f"{word} {V.adj_form(self.adj(), gender, number)}"
        if depth < 1 and rng.random() < 0.28:
            comp, _g, _n = self.np(det=rng.choice(["def", "def", "def", "bare", "indef"]), depth=depth + 1)
            word = f"{word} {_join_prep('de', comp)}" if not comp.startswith("de ") else f"{word} {comp}"
        head = f"{pre} {word}" if pre else word
        det = det or rng.choices(["def", "indef", "dem", "poss", "quant"], [50, 22, 9, 10, 9])[0]
        return self._determine(det, head, gender, number), gender, number

    def _determine(self, det: str, head: str, gender: str, number: str) -> str:
        rng = self.rng
        if det == "bare":
            return head
        if number == "p":
            if det == "def":
                return f"les {head}"
            if det == "indef":
                return f"des {head}"
            if det == "dem":
                return f"ces {head}"
            if det == "poss":
                return f"{rng.choice(['leurs', 'nos', 'ses'])} {head}"
            quant = rng.choice(
                [
                    "plusieurs",
                    "quelques",
                    "certains" if gender == "m" else "certaines",
                    "de nombreux" if gender == "m" else "de nombreuses",
                    "deux",
                    "trois",
                    "une dizaine de",
                    "près de vingt",
                    "tous les" if gender == "m" else "toutes les",
                ]
            )
            return elide(quant, head)
        if det == "def":
            return elide("le" if gender == "m" else "la", head)
        if det == "indef":
            return f"{'un' if gender == 'm' else 'une'} {head}"
        if det == "dem":
            return elide("ce", head) if gender == "m" else f"cette {head}"
        if det == "poss":
            poss = rng.choice(["son" if gender == "m" else "sa", "notre", "leur"])
            return elide(poss, head)
        quant = rng.choice(["chaque", "autre", "tout"])
        if quant == "chaque":
            return f"chaque {head}"
        if quant == "autre":
            return f"{'un' if gender == 'm' else 'une'} autre {head}"
        return elide("tout le", head) if gender == "m" else elide("toute la", head)

    def pp(self) -> str:
        """A prepositional phrase."""
        rng = self.rng
        r = rng.random()
        if r < 0.08:
            return rng.choice(
                [
                    f"à {rng.choice(V.PLACES)}",
                    f"dans la région de {rng.choice(V.PLACES)}",
                    f"en {rng.randint(2012, 2025)}",
                    f"depuis {rng.randint(2010, 2024)}",
                    f"avec {rng.choice(V.ACRONYMS)}",
                    f"en {rng.choice(V.REGIONS)}",
                ]
            )
        if r < 0.15:
            noun, _g = self.noun()
            return f"en {noun}" if rng.random() < 0.5 else elide("en matière de", noun)
        prep = rng.choice(_PREPS)
        np, _g, _n = self.np(number="p" if prep in ("entre", "parmi") else None)
        return _join_prep(prep, np)

    def vp(self, number: str) -> str:
        """A finite verb with its object: "favorise la mutualisation des données"."""
        rng = self.rng
        forms = self.verb()
        pl = number == "p"
        tense = rng.choices(["present", "passe", "imperfect", "future", "conditional", "modal"], [55, 16, 8, 8, 5, 8])[
            0
        ]
        obj, _g, _n = self.np()
        negate = rng.random() < 0.06
        if tense == "present":
            verb = forms["present_pl" if pl else "present"]
        elif tense == "passe":
            aux = "ont" if pl else "a"
            if negate:
                return f"{elide('ne', aux)} pas {forms['participle']} {obj}"
            return (
                f"{aux} {rng.choice(['', '', 'déjà ', 'aussi ', 'beaucoup ', 'souvent '])}{forms['participle']} {obj}"
            )
        elif tense == "imperfect":
            verb = forms["imperfect_pl" if pl else "imperfect"]
        elif tense == "future":
            verb = forms["future_pl" if pl else "future"]
        elif tense == "conditional":
            verb = forms["conditional"][:-1] + "ent" if pl else forms["conditional"]
        else:
            modal = self.lex.forms[rng.choice(["pouvoir", "devoir", "vouloir"])]
            verb = f"{modal['present_pl' if pl else 'present']} {forms['infinitive']}"
        if negate:
            return f"{elide('ne', verb)} pas {obj}"
        if rng.random() < 0.12:
            return f"{verb} {rng.choice(V.ADVERBS)} {obj}"
        return f"{verb} {obj}"

    # -- sentences

    def sentence(self) -> str:
        rng = self.rng
        kind = rng.choices(range(12), [30, 8, 7, 7, 8, 6, 7, 6, 5, 4, 3, 4])[0]
        tail = f" {self.pp()}" if rng.random() < 0.45 else ""
        if kind == 0:
            subj, _g, n = self.np()
            text = f"{subj} {self.vp(n)}{tail}"
            if rng.random() < 0.25:
                text = f"{rng.choice(V.CONNECTORS)} {text}"
        elif kind == 1:
            subj, _g, n = self.np(det="def")
            text = f"{subj}, qui {self.vp(n)}, {self.vp(n)}{tail}"
        elif kind == 2:
            subj, _g, _n = self.np(det="indef", number="s")
            text = f"Il s'agit d'{subj}" + (f" qui {self.vp('s')}" if rng.random() < 0.6 else "") + tail
        elif kind == 3:
            forms = self.verb()
            obj, _g, _n = self.np()
            if rng.random() < 0.5:
                text = f"Nous avons {forms['participle']} {obj}{tail}"
            else:
                text = f"Nous {forms['nous']} {obj}{tail}"
        elif kind == 4:
            forms = self.verb()
            obj, _g, _n = self.np()
            opener = rng.choice(_OPENERS)
            text = f"{elide(opener, forms['infinitive'])} {obj}{tail}"
        elif kind == 5:
            subj, _g, n = self.np()
            lead = rng.choice(["C'est pourquoi", "C'est ainsi que", "C'est dans ce cadre que", "C'est là que"])
            text = f"{elide(lead, subj)} {self.vp(n)}{tail}"
        elif kind == 6:
            sub = rng.choice(_SUBORDINATORS)
            s1, _g, n1 = self.np()
            s2, _g2, n2 = self.np()
            text = f"{elide(sub, s1)} {self.vp(n1)}, {s2} {self.vp(n2)}"
        elif kind == 7:
            year = rng.randint(2012, 2025)
            subj, _g, n = self.np()
            forms = self.verb()
            obj, _g2, _n2 = self.np()
            lead = rng.choice(
                [
                    f"En {year}",
                    f"Depuis {year}",
                    f"Au printemps {year}",
                    f"À l'automne {year}",
                    f"À {rng.choice(V.PLACES)}",
                    f"Dans la région de {rng.choice(V.PLACES)}",
                ]
            )
            text = f"{lead}, {subj} {'ont' if n == 'p' else 'a'} {forms['participle']} {obj}{tail}"
        elif kind == 8:
            src, _g, n = self.np(det="def")
            subj, _g2, n2 = self.np()
            say = rng.choice(_SAY_PL if n == "p" else _SAY)
            text = f"{elide(f'{src} {say} que', subj)} {self.vp(n2)}"
        elif kind == 9:
            count = rng.choice([3, 5, 8, 12, 15, 20, 25, 40, 60, 100, 150])
            noun, _g = self.noun()
            forms = self.verb()
            obj, _g2, _n2 = self.np()
            text = f"Plus de {count} {V.noun_plural(noun)} ont {forms['participle']} {obj}{tail}"
        elif kind == 10:
            forms = self.verb()
            obj, _g, _n = self.np()
            return f"{rng.choice(['Comment', 'Pourquoi', 'Faut-il', 'Peut-on'])} {forms['infinitive']} {obj} ?"
        else:
            subj, _g, n = self.np()
            obj, _g2, _n2 = self.np()
            refl = rng.choice(_REFLEXIVES_PL if n == "p" else _REFLEXIVES)
            prep = refl.rsplit(" ", 1)[1]
            verb = refl.rsplit(" ", 1)[0]
            text = f"{subj} {verb} {_join_prep(prep, obj)}" if prep in ("de", "à") else f"{subj} {verb} {prep} {obj}"
        return f"{text[0].upper()}{text[1:]}."

    # -- titles

    def title(self) -> str:
        rng = self.rng
        np, _g, _n = self.np(det=rng.choice(["def", "def", "bare"]))
        forms = self.verb()
        obj, _g2, _n2 = self.np(det="def")
        choice = rng.randrange(12)
        if choice == 0:
            text = np
        elif choice == 1:
            text = f"{forms['infinitive']} {obj}"
        elif choice == 2:
            text = f"Retour sur {obj}"
        elif choice == 3:
            text = f"Comment {forms['infinitive']} {obj}"
        elif choice == 4:
            text = f"Pourquoi {forms['infinitive']} {obj} ?"
        elif choice == 5:
            text = f"Récit : {np} à {rng.choice(V.PLACES)}"
        elif choice == 6:
            text = f"{_join_prep('Bilan de', obj)}"
        elif choice == 7:
            text = f"Séance de prototypage : {np}"
        elif choice == 8:
            text = f"Leçons d'un projet régional : {obj}"
        elif choice == 9:
            text = f"{np} en {rng.choice(['région', 'milieu rural', 'bibliothèque', 'pratique', 'commun', str(rng.randint(2015, 2025))])}"
        elif choice == 10:
            text = f"Guide pour {forms['infinitive']} {obj}"
        else:
            text = f"Vers {obj}"
        text = text[0].upper() + text[1:]
        return text[:300]

    # -- notes

    def inline(self, words_left: int) -> tuple[list[tuple], int]:
        """A paragraph's inline segments: text, bold, wikilinks, links; and its word count."""
        rng = self.rng
        segments: list[tuple] = []
        count = 0
        for _ in range(rng.randint(2, 7)):
            sentence = self.sentence()
            if self.links and rng.random() < 0.05:
                target = rng.choice(self.links)
                lead = rng.choice(["Voir aussi", "C'est le cas de", "On peut lire à ce sujet", "Sur ce point, voir"])
                segments.append(("t", f"{sentence} {lead} "))
                segments.append(("w", target))
                segments.append(("t", ". "))
                count += _words(lead) + _words(target)
            elif rng.random() < 0.03:
                words = sentence.split()
                cut = rng.randint(1, min(4, len(words)))
                segments.append(("b", " ".join(words[:cut])))
                segments.append(("t", " " + " ".join(words[cut:]) + " " if cut < len(words) else " "))
            elif rng.random() < 0.015:
                label = rng.choice(["le rapport complet", "la présentation", "le compte rendu", "la fiche", "ce guide"])
                segments.append(("t", f"{sentence[:-1]} (voir "))
                segments.append(("a", label, f"https://example.org/{slugify(self.title())[:40]}"))
                segments.append(("t", "). "))
                count += _words(label) + 1
            else:
                segments.append(("t", sentence + " "))
            count += _words(sentence)
            if count >= words_left:
                break
        return segments, count

    def body(self, target: int) -> tuple[list[tuple], int]:
        """The blocks of a note of about `target` words: paragraphs, headings, lists."""
        rng = self.rng
        blocks: list[tuple] = []
        count = 0
        headings = rng.sample(V.SECTION_HEADINGS, 12)
        section_words = rng.randint(120, 260)
        since_heading = 0
        while count < target:
            if target >= 200 and since_heading >= section_words and count < target - 60 and headings:
                blocks.append(("h2", headings.pop()))
                count += _words(blocks[-1][1])
                since_heading = 0
                section_words = rng.randint(120, 260)
                continue
            if since_heading > 30 and blocks[-1][0] == "p" and rng.random() < 0.08 and target - count > 30:
                items = []
                for _ in range(rng.randint(3, 6)):
                    text = self.sentence().removesuffix(".") if rng.random() < 0.5 else self.np()[0]
                    items.append(text[0].upper() + text[1:])
                    count += _words(text)
                blocks.append(("ol" if rng.random() < 0.3 else "ul", items))
                since_heading += sum(_words(i) for i in items)
                continue
            segments, n = self.inline(target - count)
            blocks.append(("p", segments))
            count += n
            since_heading += n
        return blocks, count


# ---------------------------------------------------------------- Markdown and HTML


def to_markdown(blocks: list[tuple]) -> str:
    out = []
    for block in blocks:
        if block[0] == "h2":
            out.append(f"## {block[1]}")
        elif block[0] in ("ul", "ol"):
            out.append("\n".join((f"{i}. " if block[0] == "ol" else "- ") + item for i, item in enumerate(block[1], 1)))
        else:
            parts = []
            for seg in block[1]:
                if seg[0] == "t":
                    parts.append(seg[1])
                elif seg[0] == "b":
                    parts.append(f"**{seg[1]}**")
                elif seg[0] == "w":
                    parts.append(f"[[{seg[1]}]]")
                else:
                    parts.append(f"[{seg[1]}]({seg[2]})")
            out.append("".join(parts).strip())
    return "\n\n".join(out) + "\n"


def _attr(value: str) -> str:
    # As nh3 writes attribute values: &, <, > and " escaped, apostrophes left alone.
    return escape(value, quote=False).replace('"', "&quot;")


def to_html(blocks: list[tuple], ids: dict[str, str]) -> str:
    """The HTML praxis.markdown.render gives for these blocks (checked by `check_html`)."""
    out = []
    # Heading anchors as GitHub makes them, and beside each the one made before accents were
    # kept, where it differs and names no other heading (praxis.markdown.anchors).
    counts: dict[str, int] = {}
    old_slugs: set[str] = set()
    anchors: list[tuple[str, str]] = []
    for block in blocks:
        if block[0] == "h2":
            slug = base = heading_slug(block[1])
            while slug in counts:
                counts[base] += 1
                slug = f"{base}-{counts[base]}"
            counts[slug] = 0
            old = old_base = slugify(block[1]) or "section"
            n = 0
            while old in old_slugs:
                n += 1
                old = f"{old_base}-{n}"
            old_slugs.add(old)
            anchors.append((slug, old))
    new_ids = {slug for slug, _old in anchors}
    headings = iter(anchors)
    for block in blocks:
        if block[0] == "h2":
            slug, old = next(headings)
            legacy = f'<span id="{_attr(old)}"></span>' if old not in new_ids else ""
            out.append(f'<h2 id="{_attr(slug)}">{legacy}{escape(block[1], quote=False)}</h2>')
        elif block[0] in ("ul", "ol"):
            items = "\n".join(f"<li>{escape(i, quote=False)}</li>" for i in block[1])
            out.append(f"<{block[0]}>\n{items}\n</{block[0]}>")
        else:
            parts = []
            for seg in block[1]:
                if seg[0] == "t":
                    parts.append(escape(seg[1], quote=False))
                elif seg[0] == "b":
                    parts.append(f"<strong>{escape(seg[1], quote=False)}</strong>")
                elif seg[0] == "w":
                    target = seg[1]
                    parts.append(
                        f'<a class="wikilink" href="/n/{quote(ids[target])}/" data-target="{_attr(target)}" '
                        f'rel="noopener noreferrer">{escape(target, quote=False)}</a>'
                    )
                else:
                    parts.append(
                        f'<a href="{_attr(seg[2])}" rel="noopener noreferrer">{escape(seg[1], quote=False)}</a>'
                    )
            out.append(f"<p>{''.join(parts).strip()}</p>")
    return "\n".join(out) + "\n"


_WORD = re.compile(r"\S*[^\W_]\S*")


def count_words(text: str) -> int:
    """Words of a note: whitespace-separated tokens with a letter or a digit (Markdown marks excluded)."""
    return len(_WORD.findall(text))


def _words(text: str) -> int:
    # count_words for generated sentences, where the only tokens without a letter are " ?" and " :".
    return len(text.split()) - text.count(" ?") - text.count(" :")


# ---------------------------------------------------------------- the site


def _id(rng: random.Random) -> str:
    return base64.urlsafe_b64encode(rng.getrandbits(72).to_bytes(9, "big")).decode("ascii")


def _length(rng: random.Random, median: float, sigma: float = 0.8) -> int:
    while True:
        n = int(round(rng.lognormvariate(math.log(median), sigma)))
        if 50 <= n <= 2950:  # the last sentence may overshoot a little
            return n


def _when(rng: random.Random) -> datetime:
    span = (NOW - FIRST_DAY).total_seconds()
    return FIRST_DAY + timedelta(seconds=rng.random() * span * 0.97)


@dataclass
class Summary:
    notes: int = 0
    kinds: dict[str, int] = field(default_factory=dict)
    visibility: dict[str, int] = field(default_factory=dict)
    words: list[int] = field(default_factory=list)
    body_bytes: int = 0
    links: int = 0
    entries: int = 0
    reader: str = ""  # an author, member of two communities, that benchmarks sign in as
    seconds: float = 0.0

    def as_dict(self) -> dict:
        w = sorted(self.words)
        return {
            "notes": self.notes,
            "kinds": self.kinds,
            "visibility": self.visibility,
            "words": {
                "min": w[0],
                "p05": w[len(w) // 20],
                "median": int(statistics.median(w)),
                "mean": round(statistics.fmean(w)),
                "p95": w[len(w) * 19 // 20],
                "max": w[-1],
                "total": sum(w),
            }
            if w
            else {},
            "body_mb": round(self.body_bytes / 1e6, 1),
            "links": self.links,
            "carnet_entries": self.entries,
            "reader": self.reader,
            "seconds": round(self.seconds, 1),
        }


def _people(rng: random.Random) -> list[dict]:
    names: set[str] = set()
    users: list[dict[str, Any]] = []
    while len(users) < AUTHORS:
        first, last = rng.choice(V.FIRST_NAMES), rng.choice(V.LAST_NAMES)
        name = f"{first} {last}"
        if name in names:
            continue
        names.add(name)
        username = f"{slugify(first).replace('-', '')}.{slugify(last).replace('-', '')}"[:64]
        users.append(
            dict(
                username=username,
                display_name=name,
                is_admin=False,
                is_active=True,
                created_at=FIRST_DAY - timedelta(days=rng.randint(1, 400)),
            )
        )
    return users


def reader_username(seed: int = 2025) -> str:
    """The username `generate` gives its reader for this seed (the first person it draws)."""
    return _people(random.Random(seed))[0]["username"]


def check_html(blocks: list[tuple], ids: dict[str, str]) -> None:
    """Fail loudly if the generator's HTML is not exactly what praxis.markdown.render gives."""
    titles = {t: Resolved(i, t) for t, i in ids.items()}
    expected = render(to_markdown(blocks), lambda targets: {t: titles[t] for t in targets if t in titles}).html
    got = to_html(blocks, ids)
    if expected != got:
        for a, b in zip(expected.splitlines(), got.splitlines()):
            if a != b:
                raise AssertionError(f"generated HTML differs from praxis.markdown.render:\n{a}\n{b}")
        raise AssertionError("generated HTML differs from praxis.markdown.render (line count)")


def generate(
    engine: sa.Engine, count: int, *, seed: int = 2025, batch: int = 2_000, check: int = 200, progress: bool = False
) -> Summary:
    """Fill a migrated, empty database with `count` notes (organisations and terms included),
    their authors, links, readers, communities and carnets. Deterministic for (count, seed)."""
    started = time.perf_counter()
    rng = random.Random(seed)
    lex = build_lexicon()
    writer = Writer(lex, rng)
    summary = Summary()

    # People, communities and carnets first.
    users = _people(rng)
    with engine.begin() as conn:
        user_ids = [inserted_id(conn.execute(sa.insert(table_of(User)).values(**u))) for u in users]
    usernames = dict(zip(user_ids, (u["username"] for u in users)))
    reader_id = user_ids[0]
    summary.reader = usernames[reader_id]

    communities, members, community_members = [], [], {}
    for i in range(COMMUNITIES):
        writer.theme = lex.themes[i % len(lex.themes)]
        cid = _id(rng)
        chosen = rng.sample(user_ids, rng.randint(15, 40))
        if i < 2 and reader_id not in chosen:
            chosen.append(reader_id)
        community_members[cid] = chosen
        communities.append(
            dict(
                id=cid,
                name=f"Cercle {writer.np(det='bare', number='s')[0]}"[:200],
                description=writer.sentence(),
                created_at=FIRST_DAY,
                created_by_id=chosen[0],
            )
        )
        for j, uid in enumerate(chosen):
            members.append(
                dict(community_id=cid, user_id=uid, role="manager" if j == 0 else "member", added_at=FIRST_DAY)
            )

    carnets, carnet_members, carnet_people, carnet_theme = [], [], {}, {}
    for i in range(CARNETS):
        writer.theme = lex.themes[i % len(lex.themes)]
        cid = _id(rng)
        people = rng.sample(user_ids, rng.randint(1, 5))
        carnet_people[cid] = people
        carnet_theme[cid] = writer.theme
        when = _when(rng)
        carnets.append(
            dict(
                id=cid,
                title=writer.title(),
                description=to_markdown(writer.body(rng.randint(40, 120))[0]),
                guide="",
                visibility="public",
                sort="manual",
                created_at=when,
                updated_at=when,
                created_by_id=people[0],
            )
        )
        for j, uid in enumerate(people):
            carnet_members.append(
                dict(carnet_id=cid, user_id=uid, role="manager" if j == 0 else "contributor", added_at=when)
            )
    with engine.begin() as conn:
        conn.execute(sa.insert(table_of(Community)), communities)
        conn.execute(sa.insert(table_of(CommunityMember)), members)
        conn.execute(sa.insert(table_of(Carnet)), carnets)
        conn.execute(sa.insert(table_of(CarnetMember)), carnet_members)
    carnets_by_theme: dict[str, list[str]] = {}
    for cid, theme in carnet_theme.items():
        carnets_by_theme.setdefault(theme, []).append(cid)
    positions = dict.fromkeys(carnet_theme, 0)

    # Organisations and terms come first, so that notes can link to them.
    n_orgs = round(count * 0.05)
    n_terms = round(count * 0.05)
    kinds = ["organisation"] * n_orgs + ["term"] * n_terms + ["note"] * (count - n_orgs - n_terms)
    link_ids: dict[str, str] = {}  # organisation and term titles -> ids
    taken_keys: set[str] = set()
    earlier: list[str] = []  # ids of notes already written, for explicit links

    def unique_title(make: Callable[[], str]) -> str:
        for attempt in itertools.count():
            title = make() if attempt < 20 else f"{make()} ({attempt})"
            if fold(title) not in taken_keys:
                taken_keys.add(fold(title))
                return title
        raise AssertionError

    checked = 0
    for start in range(0, count, batch):
        rows: dict[str, list[dict]] = {name: [] for name in ("note", "revision", "author", "reader", "link", "entry")}
        for kind in kinds[start : start + batch]:
            writer.theme = rng.choice(lex.themes)
            nid = _id(rng)
            details: dict = {}
            if kind == "organisation":
                title = unique_title(lambda: _org_title(rng, writer))
                target = _length(rng, 180, 0.7)
                details = {
                    "website": f"https://example.org/{slugify(title)[:60]}",
                    "region": rng.choice(V.REGIONS),
                    "description": " ".join(writer.sentence() for _ in range(rng.randint(1, 3)))[:1000],
                }
            elif kind == "term":
                title = unique_title(lambda: _term_title(rng, writer))
                target = _length(rng, 150, 0.7)
                synonyms = [writer.np(det="bare")[0] for _ in range(rng.randint(0, 3))]
                details = {"definition": writer.sentence()[:1000], **({"synonyms": synonyms} if synonyms else {})}
            else:
                title = writer.title()
                if fold(title) in taken_keys:
                    title = f"{title} ({start})"
                target = _length(rng, 440)
            blocks, _words = writer.body(target)
            if kind != "note":
                link_ids[title] = nid
                writer.links.append(title)
            body = to_markdown(blocks)
            ids = link_ids
            if checked < check:
                check_html(blocks, ids)
                checked += 1
            html = to_html(blocks, ids)

            n_authors = rng.choices([1, 2, 3], [70, 22, 8])[0]
            authors = rng.sample(user_ids, n_authors)
            if rng.random() < 0.01 and reader_id not in authors:
                authors[0] = reader_id
            r = rng.random()
            visibility, community_id, readers = "public", None, []
            if r < 0.06:
                visibility = "restricted"
                readers = [u for u in rng.sample(user_ids, rng.randint(0, 3)) if u not in authors]
                if rng.random() < 0.2 and reader_id not in authors and reader_id not in readers:
                    readers.append(reader_id)
            elif r < 0.10:
                visibility = "community"
                community_id = rng.choice(list(community_members))
                if authors[0] not in community_members[community_id]:
                    authors[0] = rng.choice(community_members[community_id])
                    authors = list(dict.fromkeys(authors))
            created = _when(rng)
            updated = min(NOW, created + timedelta(days=rng.expovariate(1 / 60)))
            explicit = rng.sample(earlier[-5000:], rng.randint(1, 2)) if earlier and rng.random() < 0.1 else []
            explicit = list(dict.fromkeys(explicit))
            meta = {
                **details,
                "kind": kind,
                "visibility": visibility,
                "community": community_id,
                "readers": sorted(usernames[u] for u in readers),
                "licence": rng.choice(LICENCES),
                "published_at": created.isoformat(),
                "authors": [usernames[u] for u in authors],
                "links": explicit,
            }
            rows["note"].append(
                dict(
                    id=nid,
                    kind=kind,
                    title=title,
                    title_key=fold(title),
                    slug=slugify(title),
                    body=body,
                    html=html,
                    visibility=visibility,
                    community_id=community_id,
                    licence=meta["licence"],
                    website=details.get("website"),
                    region=details.get("region"),
                    description=details.get("description"),
                    definition=details.get("definition"),
                    synonyms=details.get("synonyms"),
                    revision=1,
                    created_at=created,
                    published_at=created,
                    updated_at=updated,
                    created_by_id=authors[0],
                )
            )
            rows["revision"].append(
                dict(
                    note_id=nid,
                    number=1,
                    editor_id=authors[0],
                    created_at=created,
                    title=title,
                    body=body,
                    html=html,
                    meta=meta,
                )
            )
            rows["author"].extend(dict(note_id=nid, user_id=u, position=p) for p, u in enumerate(authors))
            rows["reader"].extend(dict(note_id=nid, user_id=u) for u in readers)
            rows["link"].extend(
                dict(source_id=nid, target_id=t, target_title=None, target_key=None, origin="explicit")
                for t in explicit
            )
            wikilinks = list(dict.fromkeys(seg[1] for b in blocks if b[0] == "p" for seg in b[1] if seg[0] == "w"))
            rows["link"].extend(
                dict(source_id=nid, target_id=link_ids[t], target_title=t, target_key=fold(t), origin="wikilink")
                for t in wikilinks
            )
            n_carnets = rng.choices([0, 1, 2, 3], [55, 30, 10, 5])[0]
            filed_in: set[str] = set()
            for _ in range(n_carnets):
                pool = carnets_by_theme.get(writer.theme) if rng.random() < 0.7 else None
                filed_in.add(rng.choice(pool or list(carnet_theme)))
            for cid in sorted(filed_in):
                positions[cid] += 1
                rows["entry"].append(
                    dict(
                        carnet_id=cid,
                        note_id=nid,
                        added_by_id=rng.choice(carnet_people[cid]),
                        added_at=min(NOW, updated + timedelta(days=rng.randint(0, 90))),
                        pinned=rng.random() < 0.01,
                        position=positions[cid],
                    )
                )
            earlier.append(nid)
            summary.kinds[kind] = summary.kinds.get(kind, 0) + 1
            summary.visibility[visibility] = summary.visibility.get(visibility, 0) + 1
            summary.words.append(count_words(body))
            summary.body_bytes += len(body.encode("utf-8"))
        with engine.begin() as conn:
            conn.execute(sa.insert(table_of(Note)), rows["note"])
            conn.execute(sa.insert(table_of(Revision)), rows["revision"])
            conn.execute(sa.insert(table_of(NoteAuthor)), rows["author"])
            if rows["reader"]:
                conn.execute(sa.insert(table_of(NoteReader)), rows["reader"])
            if rows["link"]:
                conn.execute(sa.insert(table_of(NoteLink)), rows["link"])
            if rows["entry"]:
                conn.execute(sa.insert(table_of(CarnetEntry)), rows["entry"])
        summary.links += len(rows["link"])
        summary.entries += len(rows["entry"])
        summary.notes += len(rows["note"])
        if progress:
            elapsed = time.perf_counter() - started
            print(f"\r{summary.notes}/{count} notes, {elapsed:.0f} s", end="", file=sys.stderr, flush=True)
    if progress:
        print(file=sys.stderr)
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    summary.seconds = time.perf_counter() - started
    return summary


_ORG_TYPES = [
    "Coopérative",
    "Réseau",
    "Association",
    "Conseil de la culture",
    "Centre",
    "Bibliothèque",
    "Musée",
    "Société d'histoire",
    "Alliance culturelle",
    "Regroupement",
    "Table de concertation",
    "Maison de la culture",
    "Festival",
    "Théâtre",
    "Fondation",
    "Corporation",
    "Collectif",
    "Laboratoire",
    "Chaire de recherche",
    "Observatoire",
    "Agence",
    "Fédération",
    "Carrefour",
    "Atelier",
    "Éditions",
    "Diffusion",
    "Archives",
    "Centre d'artistes",
    "Espace",
    "Productions",
]
_ORG_DOMAINS = [
    "des arts",
    "du patrimoine",
    "culturelle",
    "numérique",
    "des musées",
    "des bibliothèques",
    "de la danse",
    "du livre",
    "de l'économie sociale",
    "des données culturelles",
    "de médiation",
    "des métiers d'art",
    "du cinéma",
    "de la musique",
    "des aînés",
    "jeunesse",
    "citoyenne",
    "régionale",
    "des savoirs",
    "de création",
    "",
    "",
    "",
]


def _org_title(rng: random.Random, writer: Writer) -> str:
    kind, domain = rng.choice(_ORG_TYPES), rng.choice(_ORG_DOMAINS)
    place = rng.choice(V.PLACES + V.REGIONS)
    name = f"{kind} {domain}".strip()
    if rng.random() < 0.15:
        return f"{name} {rng.choice(['La Traverse', 'Le Phare', 'Les Mille-Îles', 'La Courte Échelle', 'Le Quai', 'Boréal', 'Nord-Sud', 'Le Carrefour', 'La Fabrique', 'Le Relais'])}"
    return f"{name} {elide('de', place)}"


def _term_title(rng: random.Random, writer: Writer) -> str:
    noun, gender = writer.noun()
    r = rng.random()
    if r < 0.3:
        text = noun
    elif r < 0.75:
        text = f"{noun} {V.adj_form(writer.adj(), gender, 's')}"
    else:
        other, _g = writer.noun()
        text = f"{noun} {elide('de', other)}"
    return text[0].upper() + text[1:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2025)
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--database-url", help="a PostgreSQL (or SQLite) URL; its public schema is emptied first")
    target.add_argument("--data-dir", type=Path, help="a new or empty folder for a SQLite site")
    args = parser.parse_args()

    from praxis.config import Settings
    from praxis.db import make_engine, upgrade

    if args.data_dir:
        if args.data_dir.exists() and any(args.data_dir.iterdir()):
            parser.error(f"{args.data_dir} is not empty")
        settings = Settings(data_dir=args.data_dir, secret_key="bench")
    else:
        settings = Settings(
            data_dir=Path("/tmp/praxis-bench-unused"), database_url=args.database_url, secret_key="bench"
        )
    engine = make_engine(settings)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            # praxis_search: where the PostgreSQL search backend keeps its documents.
            conn.exec_driver_sql(
                "DROP SCHEMA IF EXISTS praxis_search CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public"
            )
    upgrade(engine)
    summary = generate(engine, args.notes, seed=args.seed, progress=True)
    engine.dispose()
    d = summary.as_dict()
    w = d["words"]
    print(f"{d['notes']} notes {d['kinds']} in {d['seconds']} s ({d['notes'] / max(d['seconds'], 1e-9):.0f} notes/s)")
    print(
        f"words per note: min {w['min']}, p5 {w['p05']}, median {w['median']}, mean {w['mean']}, p95 {w['p95']}, max {w['max']}; "
        f"{w['total']} words, {d['body_mb']} MB of Markdown"
    )
    print(
        f"visibility {d['visibility']}; {d['links']} links, {d['carnet_entries']} carnet entries; reader account: {d['reader']}"
    )


if __name__ == "__main__":
    main()
