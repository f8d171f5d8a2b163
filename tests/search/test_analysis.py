"""The search's pure parts, without a database: French analysis, the query parser and snippets."""

from __future__ import annotations

import re

import pytest

from praxis.search.analysis import distance, fold, terms
from praxis.search.highlight import snippet
from praxis.search.query import parse


def tags_in(html: str) -> set[str]:
    return {name.lower() for _, name in re.findall(r"<(/?)\s*([A-Za-z!?][\w:-]*)", html)}


# --- analysis ---------------------------------------------------------------------------------


def test_folding_removes_accents_case_and_ligatures():
    assert fold("Économie") == "economie"
    assert fold("cœur ex æquo") == "coeur ex aequo"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("économie", "economie"),
        ("ÉCONOMIE", "économie"),
        ("chantier", "chantiers"),
        ("mutualiser", "mutualisation"),
        ("mutualiser", "mutualisé"),
        ("l'économie", "économie"),
        ("d’entreprise", "entreprise"),
        ("qu'innover", "innover"),
        ("garden", "gardens"),
    ],
)
def test_related_forms_share_their_index_terms(a, b):
    assert terms(a) == terms(b) != []


@pytest.mark.parametrize("text", ["le la des", "qu'il", "d’une", "!!! ,,,", ""])
def test_stop_words_elisions_and_punctuation_leave_no_term(text):
    assert terms(text) == []


def test_the_plural_article_les_is_a_stop_word_like_le_and_la():
    assert terms("les") == []
    assert terms("les chantiers") == terms("le chantier") == terms("chantier")


def test_unrelated_words_keep_distinct_terms():
    assert terms("chantier") != terms("chanson")
    assert terms("mutualisation") != terms("mutuelle")


def test_distance_counts_typos_ignoring_accents():
    assert distance("économie", "economie") == 0
    assert distance("chantirs", "chantiers") == 1
    assert distance("chantier", "chnatier") == 1  # a swap counts one
    assert distance("chantier", "chanson") > 2


# --- the query parser -------------------------------------------------------------------------


def test_words_phrases_exclusions_and_prefixes_become_clauses_in_order():
    query = parse('jardin "économie sociale" -toit mutu*')
    assert [(c.kind, c.negated) for c in query.clauses] == [
        ("word", False),
        ("phrase", False),
        ("word", True),
        ("prefix", False),
    ]
    assert [c.text for c in query.positive] == ["jardin", "économie sociale", "mutu"]
    assert [c.text for c in query.negative] == ["toit"]


def test_an_unmatched_quote_takes_the_rest_of_the_query_as_a_phrase():
    query = parse('"économie sociale')
    assert [c.kind for c in query.clauses] == ["phrase"]
    assert query.clauses[0].terms == tuple(terms("économie sociale"))


@pytest.mark.parametrize("text", ["", "   ", "le la des", "qu'il", '""', "-", "*", "« »", "- * ! ?"])
def test_a_query_of_nothing_searchable_is_empty(text):
    query = parse(text)
    assert query.is_empty
    assert query.negative == []


def test_a_one_letter_prefix_is_not_a_prefix_clause():
    assert all(c.kind != "prefix" for c in parse("m*").clauses)


def test_a_query_keeps_at_most_sixteen_clauses():
    assert len(parse(" ".join(f"mot{i}" for i in range(40))).clauses) == 16


def test_a_corrected_query_keeps_the_other_clauses_as_typed():
    query = parse('chantirs "économie sociale" -toit mutu*')
    assert query.corrected({0: "chantiers"}) == 'chantiers "économie sociale" -toit mutu*'


# --- snippets ---------------------------------------------------------------------------------


def test_a_snippet_marks_every_form_of_the_matched_words():
    exact, prefixes = parse("chantier").highlight_terms()
    html = snippet("Le chantier avance ; les Chantiers voisins aussi.", exact, prefixes)
    assert "<mark>chantier</mark>" in html and "<mark>Chantiers</mark>" in html
    assert "<mark>Le</mark>" not in html


def test_a_snippet_marks_prefix_matches():
    exact, prefixes = parse("mutu*").highlight_terms()
    html = snippet("La mutualisation et la mutuelle, pas le mouton.", exact, prefixes)
    assert "<mark>mutualisation</mark>" in html and "<mark>mutuelle</mark>" in html
    assert "<mark>mouton</mark>" not in html


@pytest.mark.parametrize(
    "text",
    [
        "chantier <script>alert(1)</script>",
        "chantier <b onmouseover=x>gras</b>",
        '<img src=x onerror="alert(1)"> chantier',
        "chantier </mark><script>x</script><mark>",
        "chantier &lt;b&gt; & AT&T",
        "<script>" * 50,
    ],
)
def test_a_snippet_escapes_everything_but_its_marks(text):
    exact, prefixes = parse("chantier").highlight_terms()
    html = snippet(text, exact, prefixes)
    assert tags_in(html) <= {"mark"}, html
    assert re.findall(r"&(?!(?:amp|lt|gt|quot|#x?[0-9a-fA-F]+);)", html) == [], html
    assert html.count("<mark>") == html.count("</mark>")


def test_a_snippet_shows_the_passage_holding_the_matches():
    text = " ".join(["remplissage"] * 100 + ["le", "chantier", "collectif"] + ["suite"] * 100)
    exact, prefixes = parse("chantier").highlight_terms()
    html = snippet(text, exact, prefixes)
    assert "<mark>chantier</mark>" in html
    assert html.startswith("… ") and html.endswith(" …")
    assert len(html.split()) <= 40


def test_a_snippet_without_matches_shows_the_opening_words():
    exact, prefixes = parse("absent").highlight_terms()
    html = snippet("Premiers mots du texte. " * 20, exact, prefixes)
    assert html.startswith("Premiers mots du texte.")
    assert "<mark>" not in html
