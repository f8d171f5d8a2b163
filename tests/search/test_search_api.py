"""Full-text search as a user sees it: GET /api/v1/search and the /recherche page, on both
backends (SQLite → Whoosh, PostgreSQL → its full-text search).

French analysis (accents, elisions, plurals, verb forms, stop words), what a note is found by
(title above body, authors, linked organisations and terms, public carnets), the query syntax,
"Vouliez-vous dire", snippets that are safe HTML, sort, pagination, facets, and an index that
follows every change made through the API.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest

from praxis.search import postgres_index
from praxis.people import accounts
from tests.factories import make_note, make_user

API = "/api/v1"


# --- people and helpers -----------------------------------------------------------------------


def when(year: int, month: int = 6, day: int = 15) -> datetime:
    """A publication date well inside its year in every time zone."""
    return datetime(year, month, day, 12, 0, tzinfo=UTC)


@pytest.fixture
def people(session):
    """Alice Tremblay and Frédérique Lavoie (signed in through API tokens), without passwords,
    since hashing one is slow by design."""
    alice = make_user(session, "alice", name="Alice Tremblay", password=None)
    fred = make_user(session, "fred", name="Frédérique Lavoie", password=None)
    headers = {}
    for user in (alice, fred):
        headers[user.username] = {
            "Authorization": f"Bearer {accounts.issue_token(session=session, user=user, kind='api').token}"
        }
    session.commit()
    return {"alice": alice, "fred": fred, "headers": headers}


def search(client, q: str | None = None, headers: dict[str, str] | None = None, **params: Any) -> dict:
    if q is not None:
        params["q"] = q
    response = client.get(f"{API}/search", params=params, headers=headers or {})
    assert response.status_code == 200, response.text
    return response.json()


def ids(result: dict) -> list[str]:
    return [item["id"] for item in result["items"]]


def facet(result: dict, name: str) -> dict[str, int]:
    return {f["value"]: f["count"] for f in result["facets"][name]}


def tags_in(snippet: str) -> set[str]:
    """The names of the HTML tags in a snippet (opening or closing)."""
    return {name.lower() for _, name in re.findall(r"<(/?)\s*([A-Za-z!?][\w:-]*)", snippet)}


def new_carnet(client, headers: dict[str, str], title: str, **fields: Any) -> dict:
    response = client.post(f"{API}/carnets", json={"title": title, **fields}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def integrate(client, headers: dict[str, str], carnet_id: str, note_id: str) -> None:
    response = client.post(f"{API}/carnets/{carnet_id}/notes", json={"note_id": note_id}, headers=headers)
    assert response.status_code == 201, response.text


def patch_note(client, headers: dict[str, str], note_id: str, **fields: Any) -> dict:
    current = client.get(f"{API}/notes/{note_id}", headers=headers)
    assert current.status_code == 200, current.text
    response = client.patch(
        f"{API}/notes/{note_id}", json={"base_revision": current.json()["revision"], **fields}, headers=headers
    )
    assert response.status_code == 200, response.text
    return response.json()


# --- 1. French analysis -----------------------------------------------------------------------


def test_a_word_without_accents_or_in_capitals_finds_the_accented_word(client, session, people):
    note = make_note(session, people["alice"], title="Financement", body="Un pan de l'économie locale.")
    make_note(session, people["alice"], title="Autre", body="Rien à voir avec le sujet.")
    for q in ("economie", "ÉCONOMIE", "Economie", "économie"):
        result = search(client, q)
        assert ids(result) == [note.id], q
        assert result["total"] == 1


def test_an_accented_query_finds_the_word_written_without_accents(client, session, people):
    note = make_note(session, people["alice"], title="Sans accents", body="Notes sur l'economie du quartier.")
    assert ids(search(client, "économie")) == [note.id]


def test_elided_articles_and_pronouns_are_ignored_on_both_sides(client, session, people):
    economie = make_note(session, people["alice"], title="Texte un", body="Tout commence par l'économie du don.")
    entreprise = make_note(
        session, people["alice"], title="Texte deux", body="Le plan d’entreprise, avec une apostrophe typographique."
    )
    innover = make_note(session, people["alice"], title="Texte trois", body="Elle dit qu'innover prend du temps.")
    assert ids(search(client, "économie")) == [economie.id]
    assert ids(search(client, "l'économie")) == [economie.id]
    assert ids(search(client, "l’économie")) == [economie.id]
    assert ids(search(client, "entreprise")) == [entreprise.id]
    assert ids(search(client, "d’entreprise")) == [entreprise.id]
    assert ids(search(client, "d'entreprise")) == [entreprise.id]
    assert ids(search(client, "innover")) == [innover.id]
    assert ids(search(client, "qu'innover")) == [innover.id]


def test_singular_and_plural_find_each_other(client, session, people):
    one = make_note(session, people["alice"], title="Premier", body="Un chantier ouvert en mai.")
    many = make_note(session, people["alice"], title="Second", body="Plusieurs chantiers ouverts.")
    make_note(session, people["alice"], title="Troisième", body="Une chanson.")
    assert sorted(ids(search(client, "chantiers"))) == sorted([one.id, many.id])
    assert sorted(ids(search(client, "chantier"))) == sorted([one.id, many.id])


def test_verb_forms_and_derived_nouns_find_each_other(client, session, people):
    noun = make_note(session, people["alice"], title="Ressources", body="La mutualisation des outils.")
    participle = make_note(session, people["alice"], title="Matériel", body="Un camion mutualisé entre trois fermes.")
    make_note(session, people["alice"], title="Autre", body="Des mutuelles de santé.")
    found = search(client, "mutualiser")
    assert sorted(ids(found)) == sorted([noun.id, participle.id])
    assert sorted(ids(search(client, "mutualisation"))) == sorted([noun.id, participle.id])


def test_stop_words_in_a_query_are_not_required(client, session, people):
    note = make_note(session, people["alice"], title="Chantier collectif", body="Ouvert à toutes et tous.")
    result = search(client, "le chantier")
    assert ids(result) == [note.id]
    assert result["match"] == "all"
    assert ids(search(client, "un chantier de la")) == [note.id]


def test_the_plural_article_les_is_ignored_like_le(client, session, people):
    with_les = make_note(session, people["alice"], title="Été", body="Les chantiers de l'été.")
    without = make_note(session, people["alice"], title="Mai", body="Des chantiers ouverts en mai.")
    make_note(session, people["alice"], title="Juin", body="Les vacances.")
    result = search(client, "les chantiers")
    assert result["match"] == "all"
    assert sorted(ids(result)) == sorted([with_les.id, without.id])
    assert search(client, "les")["total"] == 0


def test_ligatures_are_folded(client, session, people):
    note = make_note(session, people["alice"], title="Main-d'œuvre", body="Le cœur du projet.")
    assert ids(search(client, "oeuvre")) == [note.id]
    assert ids(search(client, "COEUR")) == [note.id]
    assert ids(search(client, "ŒUVRE")) == [note.id]


def test_english_content_stays_searchable(client, session, people):
    english = make_note(
        session, people["alice"], title="Urban farming", body="Community gardens grow food and neighbourhood ties."
    )
    make_note(session, people["alice"], title="Jardins", body="Des jardins communautaires en ville.")
    result = search(client, "community gardens")
    assert ids(result) == [english.id]
    assert result["match"] == "all"
    assert ids(search(client, "garden")) == [english.id]


# --- 2. What a note is found by ---------------------------------------------------------------


def test_a_note_with_the_word_in_its_title_ranks_above_one_with_it_only_in_its_body(client, session, people):
    # The body-only note is newer, so a ranking by date alone would put it first.
    in_title = make_note(
        session,
        people["alice"],
        title="Coopérative d'habitation",
        body="Un immeuble géré par ses locataires.",
        published_at=when(2020),
    )
    in_body = make_note(
        session,
        people["alice"],
        title="Logement abordable",
        body="Parmi les modèles, la coopérative tient une place à part.",
        published_at=when(2024),
    )
    result = search(client, "coopérative")
    assert ids(result) == [in_title.id, in_body.id]
    assert result["items"][0]["score"] >= result["items"][1]["score"]


def test_words_of_the_body_find_the_note(client, session, people):
    note = make_note(session, people["alice"], title="Compte rendu", body="Nous avons parlé de **compostage** partagé.")
    assert ids(search(client, "compostage")) == [note.id]
    assert ids(search(client, "compostage partagé")) == [note.id]


def test_an_authors_display_name_finds_their_notes(client, session, people):
    hers = make_note(session, people["fred"], title="Récit de terrain", body="Trois semaines en Gaspésie.")
    co_written = make_note(
        session, people["alice"], title="Synthèse", body="Deux ans de travail.", authors=["alice", "fred"]
    )
    make_note(session, people["alice"], title="Ailleurs", body="Aucun lien.")
    assert sorted(ids(search(client, "Lavoie"))) == sorted([hers.id, co_written.id])
    assert sorted(ids(search(client, "frederique lavoie"))) == sorted([hers.id, co_written.id])
    assert sorted(ids(search(client, "Frédérique"))) == sorted([hers.id, co_written.id])


def test_the_title_of_a_linked_organisation_finds_the_linking_note(client, session, people):
    org = make_note(
        session, people["alice"], title="Coopérative Radisson", kind="organisation", body="Une coopérative."
    )
    linking = make_note(
        session, people["fred"], title="Visite", body="Rencontre avec [[Coopérative Radisson|nos partenaires]]."
    )
    make_note(session, people["fred"], title="Autre visite", body="Rencontre avec personne.")
    assert "Radisson" not in linking.body.split("|")[1]
    assert sorted(ids(search(client, "Radisson"))) == sorted([org.id, linking.id])


def test_the_title_of_a_linked_term_finds_the_linking_note(client, session, people):
    term = make_note(session, people["alice"], title="Autogestion", kind="term", definition="Gestion par les membres.")
    linking = make_note(session, people["fred"], title="Assemblée", body="Voir [[Autogestion|ce terme]].")
    make_note(session, people["fred"], title="Assemblée bis", body="Voir ailleurs.")
    assert sorted(ids(search(client, "autogestion"))) == sorted([term.id, linking.id])


def test_the_title_of_a_public_carnet_finds_its_notes(client, session, people):
    note = make_note(session, people["alice"], title="Récolte", body="Les tomates de septembre.")
    make_note(session, people["alice"], title="Hors carnet", body="Les tomates d'août.")
    carnet = new_carnet(client, people["headers"]["alice"], "Maraîchage urbain")
    integrate(client, people["headers"]["alice"], carnet["id"], note.id)
    assert ids(search(client, "maraîchage")) == [note.id]
    assert ids(search(client, "maraichage tomates")) == [note.id]


def test_the_title_of_a_restricted_carnet_does_not_find_its_notes(client, session, people):
    note = make_note(session, people["alice"], title="Récolte", body="Les tomates de septembre.")
    carnet = new_carnet(client, people["headers"]["alice"], "Apiculture confidentielle", visibility="restricted")
    integrate(client, people["headers"]["alice"], carnet["id"], note.id)
    assert search(client, "apiculture")["total"] == 0
    assert search(client, "apiculture", people["headers"]["fred"])["total"] == 0


# --- 3. Query syntax --------------------------------------------------------------------------


@pytest.fixture
def gardens(session, people):
    alice = people["alice"]
    return {
        "potager": make_note(
            session, alice, title="Jardin potager", body="Des légumes en ville.", published_at=when(2021)
        ),
        "toit": make_note(
            session, alice, title="Jardin sur le toit", body="Des fleurs et des ruches.", published_at=when(2022)
        ),
        "piscine": make_note(
            session, alice, title="Piscine municipale", body="Ouverte l'été.", published_at=when(2023)
        ),
    }


def test_every_word_of_a_query_must_match(client, gardens):
    result = search(client, "jardin potager")
    assert ids(result) == [gardens["potager"].id]
    assert result["match"] == "all"
    assert sorted(ids(search(client, "jardin"))) == sorted([gardens["potager"].id, gardens["toit"].id])


def test_when_no_note_holds_every_word_notes_holding_any_are_shown(client, gardens):
    result = search(client, "potager piscine")
    assert result["match"] == "any"
    assert sorted(ids(result)) == sorted([gardens["potager"].id, gardens["piscine"].id])
    assert result["total"] == 2


def test_a_quoted_phrase_wants_its_words_together_and_in_order(client, session, people):
    phrase = make_note(session, people["alice"], title="Premier", body="Un pilier de l'économie sociale au Québec.")
    scattered = make_note(session, people["alice"], title="Second", body="Une politique sociale sans économie.")
    assert sorted(ids(search(client, "économie sociale"))) == sorted([phrase.id, scattered.id])
    quoted = search(client, '"économie sociale"')
    assert ids(quoted) == [phrase.id]
    assert ids(search(client, '"sociale économie"')) == []


def test_a_minus_sign_excludes_the_notes_holding_a_word(client, gardens):
    assert ids(search(client, "jardin -toit")) == [gardens["potager"].id]
    assert ids(search(client, "jardin -ruches")) == [gardens["potager"].id]
    assert ids(search(client, 'jardin -"fleurs et des ruches"')) == [gardens["potager"].id]


def test_a_star_searches_by_prefix(client, session, people):
    noun = make_note(session, people["alice"], title="Outils", body="La mutualisation des outils.")
    other = make_note(session, people["alice"], title="Assurance", body="Une mutuelle.")
    make_note(session, people["alice"], title="Sans rapport", body="Des moutons.")
    assert sorted(ids(search(client, "mutu*"))) == sorted([noun.id, other.id])
    assert ids(search(client, "mutualis*")) == [noun.id]
    assert ids(search(client, "outi*")) == [noun.id]


def test_a_query_of_only_stop_words_or_punctuation_finds_nothing_without_error(client, gardens):
    for q in ("le la les", "qu'il", "!!! ,,, ???", "« »", "-", "*", '""', "d’une", "- * ! ?"):
        result = search(client, q)
        assert (result["total"], result["items"]) == (0, []), q


def test_a_query_of_500_characters_is_accepted_and_501_refused(client, gardens):
    long = ("jardin potager " * 40)[:500]
    assert not long[-1].isspace()
    result = search(client, long)
    assert ids(result) == [gardens["potager"].id]
    response = client.get(f"{API}/search", params={"q": long + "x"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "q"


def test_malformed_parameters_are_refused_with_a_422_naming_them(client, gardens):
    for name, value in [
        ("page", "0"),
        ("page", "abc"),
        ("page", "1001"),
        ("per_page", "1000"),
        ("per_page", "0"),
        ("sort", "bogus"),
        ("year", "abc"),
        ("kind", "bogus"),
    ]:
        response = client.get(f"{API}/search", params={"q": "jardin", name: value})
        assert response.status_code == 422, (name, value, response.text)
        detail = response.json()["detail"]
        assert isinstance(detail, list) and detail, (name, value)
        assert name in detail[0]["loc"], (name, value, detail)


def test_an_unmatched_quote_still_searches(client, session, people):
    note = make_note(session, people["alice"], title="Financement", body="Un pan de l'économie locale.")
    assert ids(search(client, '"économie')) == [note.id]
    assert ids(search(client, '"économie locale')) == [note.id]
    assert ids(search(client, 'économie"')) == [note.id]


# --- 4. Typo tolerance ------------------------------------------------------------------------


def test_a_misspelt_word_gets_a_suggestion_that_finds_notes(client, session, people):
    note = make_note(session, people["alice"], title="Chantier collectif", body="Un chantier ouvert à tous.")
    result = search(client, "chantirs")
    assert result["total"] == 0
    assert result["suggestion"] is not None
    assert re.search(r"\bchantiers?\b", result["suggestion"]), result["suggestion"]
    assert ids(search(client, result["suggestion"])) == [note.id]


def test_only_the_misspelt_word_of_a_query_is_corrected(client, session, people):
    note = make_note(session, people["alice"], title="Chantier collectif", body="Un chantier ouvert à tous.")
    result = search(client, "collectif chantirs")
    assert result["suggestion"] is not None
    assert result["suggestion"].split()[0] == "collectif"
    assert ids(search(client, result["suggestion"])) == [note.id]


def test_a_query_whose_words_are_all_found_gets_no_suggestion(client, session, people):
    make_note(session, people["alice"], title="Chantier collectif", body="Un chantier ouvert à tous.")
    make_note(session, people["alice"], title="Chanter ensemble", body="Une chorale.")
    assert search(client, "chantier")["suggestion"] is None
    assert search(client, "chantier collectif")["suggestion"] is None


def test_a_suggestion_never_comes_from_a_note_the_reader_may_not_see(client, session, people):
    make_note(session, people["alice"], title="Chantier collectif", body="Un chantier secret.", visibility="restricted")
    anonymous = search(client, "chantirs")
    assert anonymous["suggestion"] is None
    assert anonymous["total"] == 0
    author = search(client, "chantirs", people["headers"]["alice"])
    assert author["suggestion"] is not None and "chantier" in author["suggestion"]


# --- 5. Snippets ------------------------------------------------------------------------------


def test_snippets_mark_the_matched_words(client, session, people):
    make_note(session, people["alice"], title="Titre", body="Le chantier avance, et les chantiers voisins aussi.")
    [item] = search(client, "chantier")["items"]
    assert "<mark>chantier</mark>" in item["snippet"]
    assert "<mark>chantiers</mark>" in item["snippet"]
    assert tags_in(item["snippet"]) == {"mark"}


def test_snippets_mark_accented_words_found_by_a_query_without_accents(client, session, people):
    make_note(session, people["alice"], title="Titre", body="Parlons de l'économie et du reste.")
    [item] = search(client, "economie")["items"]
    assert re.search(r"<mark>(?:l&#x27;|l&#39;|l')?économie</mark>", item["snippet"]), item["snippet"]


def test_a_snippet_does_not_run_a_heading_into_the_next_paragraph(client, session, people):
    body = "## Une affaire de personnes\n\nDans presque tous les chantiers.\n\n## Pourquoi?\n\nParce que."
    note = make_note(session, people["alice"], title="Titre", body=body)
    [item] = search(client, "chantiers")["items"]
    assert "de personnes. Dans presque tous les <mark>chantiers</mark>. Pourquoi? Parce que" in item["snippet"]
    listed = client.get(f"{API}/notes/{note.id}/preview").json()["excerpt"]  # and so does an excerpt
    assert listed.startswith("Une affaire de personnes. Dans presque tous")


HOSTILE = (
    "Attention chantier : <script>alert(1)</script> puis <b onmouseover=x>gras</b> "
    "et `<img src=x onerror=alert(2)>` ; Recherche & développement, AT&T, 3 < 4 > 2."
)


def test_snippets_show_hostile_text_escaped_with_only_mark_as_markup(client, session, people):
    make_note(session, people["alice"], title="Texte piégé", body=HOSTILE)
    for q in ("chantier", "alert", "gras", "développement", "img"):
        result = search(client, q)
        assert result["total"] == 1, q
        snippet = result["items"][0]["snippet"]
        assert "<mark>" in snippet, (q, snippet)
        assert tags_in(snippet) == {"mark"}, (q, snippet)
        assert "<script" not in snippet.lower()
        assert "<b" not in snippet.lower()
        assert "<img" not in snippet.lower()
        # The ampersands are escaped: every "&" starts an entity.
        assert re.findall(r"&(?!(?:amp|lt|gt|quot|#x?[0-9a-fA-F]+);)", snippet) == [], snippet
        assert "&amp;" in snippet and "&lt;" in snippet


def test_words_written_between_angle_brackets_are_searchable_like_any_text(client, session, people):
    # Raw HTML in a note keeps its allowed elements: the words they hold are the note's words,
    # what a script or a comment holds is not shown, so not found.
    note = make_note(
        session,
        people["alice"],
        title="Accessibilité",
        body='Écrire <abbr title="Organisation des Nations unies">ONU</abbr> aide les lecteurs.\n\n'
        "Appuyer sur <kbd>Échap</kbd> <!-- brouillonnage --> pour fermer.\n\n<script>clandestinement()</script>",
    )
    assert ids(search(client, "ONU")) == [note.id]
    assert ids(search(client, "Échap")) == [note.id]
    assert ids(search(client, "brouillonnage")) == []
    assert ids(search(client, "clandestinement")) == []


def test_words_of_web_and_mail_addresses_are_searchable(client, session, people):
    note = make_note(
        session,
        people["alice"],
        title="Adhésion",
        body="Inscriptions sur https://coop-radisson.org/adhesion ou par info@radisson.coop.",
    )
    assert ids(search(client, "radisson")) == [note.id]
    assert ids(search(client, "inscriptions adhesion")) == [note.id]


def test_snippets_escape_what_the_markdown_source_spelt_as_entities(client, session, people):
    make_note(session, people["alice"], title="Entités", body="Le chantier &lt;script&gt;alert(3)&lt;/script&gt; fini.")
    snippet = search(client, "chantier")["items"][0]["snippet"]
    assert tags_in(snippet) == {"mark"}
    assert "<script" not in snippet


# --- 6. Sort, pagination, facets --------------------------------------------------------------


def test_relevance_and_date_sort_order_the_same_notes_differently(client, session, people):
    relevant_old = make_note(
        session, people["alice"], title="Coopérative", body="Coopérative, coopérative.", published_at=when(2019)
    )
    newer = make_note(
        session, people["alice"], title="Nouvelles", body="Une coopérative parmi d'autres.", published_at=when(2024)
    )
    by_relevance = search(client, "coopérative")
    assert by_relevance["sort"] == "relevance"
    assert ids(by_relevance) == [relevant_old.id, newer.id]
    by_date = search(client, "coopérative", sort="date")
    assert by_date["sort"] == "date"
    assert ids(by_date) == [newer.id, relevant_old.id]
    assert by_date["total"] == by_relevance["total"] == 2


@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_pages_share_the_total_and_together_hold_every_match_once(client, session, people, sort):
    made = {
        make_note(
            session,
            people["alice"],
            title=f"Atelier {i}",
            body="atelier " * (i + 1),
            published_at=when(2015 + i % 3, 1 + i),
        ).id
        for i in range(5)
    }
    make_note(session, people["alice"], title="Autre", body="Rien.")
    pages = [search(client, "atelier", sort=sort, per_page=2, page=p) for p in (1, 2, 3, 4)]
    assert [p["total"] for p in pages] == [5, 5, 5, 5]
    assert [len(p["items"]) for p in pages] == [2, 2, 1, 0]
    seen = [i for p in pages for i in ids(p)]
    assert len(seen) == len(set(seen)) == 5
    assert set(seen) == made
    assert [p["page"] for p in pages] == [1, 2, 3, 4]
    assert pages[0]["per_page"] == 2


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
def test_past_the_ranking_window_the_most_recent_matches_are_ranked_and_the_rest_follow_newest_first(
    client, session, people, monkeypatch
):
    """PostgreSQL scores a query's most recent matches only (RANK_WINDOW, tens of thousands),
    as scoring reads each note's whole text: a window of 2 here stands for it."""
    monkeypatch.setattr(postgres_index, "RANK_WINDOW", 2)
    # The older a note, the more it says "atelier": by relevance alone, oldest first.
    notes = [
        make_note(session, people["alice"], title=f"Note {i}", body="atelier " * (6 - i), published_at=when(2015 + i))
        for i in range(5)
    ]
    make_note(session, people["alice"], title="Autre", body="Rien.", published_at=when(2024))
    ranked = search(client, "atelier")
    assert ids(ranked) == [notes[3].id, notes[4].id, notes[2].id, notes[1].id, notes[0].id]
    assert ranked["total"] == 5
    assert ranked["items"][0]["score"] > ranked["items"][1]["score"] > 0 == ranked["items"][2]["score"]
    pages = [search(client, "atelier", per_page=2, page=p) for p in (1, 2, 3)]
    assert [i for p in pages for i in ids(p)] == ids(ranked)
    monkeypatch.setattr(postgres_index, "RANK_WINDOW", 20_000)
    assert ids(search(client, "atelier")) == [n.id for n in notes]


@pytest.fixture
def faceted(client, session, people):
    """Seven notes holding "semences" (and one that does not), of two kinds, two authors,
    three years, some in a carnet."""
    alice, fred = people["alice"], people["fred"]
    notes = {
        "a1": make_note(session, alice, title="Semences paysannes", body="Grainothèque.", published_at=when(2022)),
        "a2": make_note(session, alice, title="Banque de semences", body="Conserver.", published_at=when(2023)),
        "a3": make_note(
            session, alice, title="Semences", kind="term", definition="Graines à semer.", published_at=when(2023)
        ),
        "f1": make_note(session, fred, title="Troc de semences", body="Au printemps.", published_at=when(2023)),
        "f2": make_note(session, fred, title="Semences anciennes", body="Variétés.", published_at=when(2024)),
        "f3": make_note(
            session, fred, title="Semences", body="Lexique.", kind="term", definition="Idem.", published_at=when(2024)
        ),
        "both": make_note(
            session,
            alice,
            title="Atlas des semences",
            body="Ensemble.",
            authors=["alice", "fred"],
            published_at=when(2024),
        ),
        "other": make_note(session, alice, title="Compost", body="Pas de graines ici.", published_at=when(2024)),
    }
    carnet = new_carnet(client, people["headers"]["alice"], "Carnet du vivant")
    for key in ("a1", "f1", "both", "other"):
        integrate(client, people["headers"]["alice"], carnet["id"], notes[key].id)
    return {"notes": notes, "carnet": carnet}


def test_facets_count_the_matching_notes_by_kind_author_year_and_carnet(client, faceted):
    result = search(client, "semences")
    assert result["total"] == 7
    assert facet(result, "kind") == {"note": 5, "term": 2}
    assert facet(result, "author") == {"alice": 4, "fred": 4}
    assert facet(result, "year") == {"2022": 1, "2023": 3, "2024": 3}
    assert facet(result, "carnet") == {faceted["carnet"]["id"]: 3}
    labels = {f["value"]: f["label"] for name in ("author", "carnet") for f in result["facets"][name]}
    assert labels["alice"] == "Alice Tremblay"
    assert labels["fred"] == "Frédérique Lavoie"
    assert labels[faceted["carnet"]["id"]] == "Carnet du vivant"


def test_each_facet_count_equals_the_total_when_filtering_by_its_value(client, faceted):
    result = search(client, "semences")
    checked = 0
    for name in ("kind", "author", "year", "carnet"):
        for value in result["facets"][name]:
            filtered = search(client, "semences", **{name: value["value"]})
            assert filtered["total"] == value["count"], (name, value)
            assert len(filtered["items"]) == value["count"]
            checked += 1
    assert checked == 8


def test_filters_narrow_the_results_and_combine(client, faceted):
    notes = faceted["notes"]
    assert sorted(ids(search(client, "semences", kind="term"))) == sorted([notes["a3"].id, notes["f3"].id])
    assert sorted(ids(search(client, "semences", author="fred", year=2024))) == sorted(
        [notes["f2"].id, notes["f3"].id, notes["both"].id]
    )
    assert sorted(ids(search(client, "semences", carnet=faceted["carnet"]["id"]))) == sorted(
        [notes["a1"].id, notes["f1"].id, notes["both"].id]
    )
    assert search(client, "semences", kind="organisation")["total"] == 0
    assert search(client, "semences", author="personne")["total"] == 0
    assert search(client, "semences", year=1999)["total"] == 0


def test_filters_without_a_query_list_every_matching_note(client, faceted):
    result = search(client, "", carnet=faceted["carnet"]["id"])
    assert result["total"] == 4
    assert facet(result, "kind") == {"note": 4}


def test_a_chosen_facet_value_keeps_the_other_values_of_that_facet_listed(client, faceted):
    result = search(client, "semences", kind="term")
    assert result["total"] == 2
    assert facet(result, "kind") == {"note": 5, "term": 2}
    # The other facets count only the terms.
    assert facet(result, "author") == {"alice": 1, "fred": 1}
    assert facet(result, "year") == {"2023": 1, "2024": 1}
    both = search(client, "semences", kind="note", author="fred")
    assert both["total"] == 3
    assert facet(both, "author") == {"alice": 3, "fred": 3}
    assert facet(both, "kind") == {"note": 3, "term": 1}


def test_facets_follow_the_query(client, faceted):
    result = search(client, "grainothèque")
    assert result["total"] == 1
    assert facet(result, "kind") == {"note": 1}
    assert facet(result, "author") == {"alice": 1}
    assert facet(result, "year") == {"2022": 1}
    assert facet(result, "carnet") == {faceted["carnet"]["id"]: 1}


def test_a_carnet_the_reader_may_not_see_is_no_facet_and_filters_to_nothing(client, session, people):
    note = make_note(session, people["alice"], title="Semences", body="Public.")
    secret = new_carnet(client, people["headers"]["alice"], "Carnet privé", visibility="restricted")
    integrate(client, people["headers"]["alice"], secret["id"], note.id)
    anonymous = search(client, "semences")
    assert anonymous["total"] == 1
    assert facet(anonymous, "carnet") == {}
    assert search(client, "semences", carnet=secret["id"])["total"] == 0
    manager = search(client, "semences", people["headers"]["alice"])
    assert facet(manager, "carnet") == {secret["id"]: 1}


# --- 7. The index follows every change --------------------------------------------------------


def test_a_new_title_finds_the_note_and_the_old_one_no_longer_does(client, session, people):
    note = make_note(session, people["alice"], title="Permaculture", body="Des buttes.")
    assert ids(search(client, "permaculture")) == [note.id]
    patch_note(client, people["headers"]["alice"], note.id, title="Agroforesterie")
    assert search(client, "permaculture")["total"] == 0
    assert ids(search(client, "agroforesterie")) == [note.id]


def test_a_new_body_replaces_the_old_words(client, session, people):
    note = make_note(session, people["alice"], title="Notes", body="Apiculture en ville.")
    patch_note(client, people["headers"]["alice"], note.id, body="Aquaponie en serre.")
    assert search(client, "apiculture")["total"] == 0
    assert ids(search(client, "aquaponie")) == [note.id]


def test_a_deleted_note_leaves_the_results_and_the_counts(client, session, people):
    kept = make_note(session, people["alice"], title="Semences 1", body="Gardée.", published_at=when(2023))
    gone = make_note(session, people["alice"], title="Semences 2", body="Supprimée.", published_at=when(2024))
    assert search(client, "semences")["total"] == 2
    response = client.delete(f"{API}/notes/{gone.id}", headers=people["headers"]["alice"])
    assert response.status_code == 204, response.text
    result = search(client, "semences")
    assert ids(result) == [kept.id]
    assert result["total"] == 1
    assert facet(result, "year") == {"2023": 1}
    assert search(client, "supprimée")["total"] == 0
    assert search(client, "supprimée", people["headers"]["alice"])["total"] == 0


def test_a_note_made_restricted_is_no_longer_found_by_anonymous_readers(client, session, people):
    note = make_note(session, people["alice"], title="Budget participatif", body="Montants.")
    assert ids(search(client, "budget")) == [note.id]
    patch_note(client, people["headers"]["alice"], note.id, visibility="restricted")
    anonymous = search(client, "budget")
    assert anonymous["total"] == 0
    assert facet(anonymous, "author") == {}
    assert search(client, "budget", people["headers"]["fred"])["total"] == 0
    assert ids(search(client, "budget", people["headers"]["alice"])) == [note.id]
    patch_note(client, people["headers"]["alice"], note.id, readers=["fred"])
    assert ids(search(client, "budget", people["headers"]["fred"])) == [note.id]


def test_a_new_co_author_appears_in_the_author_facet_and_finds_the_note(client, session, people):
    note = make_note(session, people["alice"], title="Budget participatif", body="Montants.")
    assert facet(search(client, "budget"), "author") == {"alice": 1}
    assert search(client, "Lavoie")["total"] == 0
    patch_note(client, people["headers"]["alice"], note.id, authors=["alice", "fred"])
    result = search(client, "budget")
    assert facet(result, "author") == {"alice": 1, "fred": 1}
    assert ids(search(client, "budget", author="fred")) == [note.id]
    assert ids(search(client, "Lavoie")) == [note.id]


def test_a_note_removed_from_a_carnet_leaves_its_facet_and_its_title(client, session, people):
    headers = people["headers"]["alice"]
    note = make_note(session, people["alice"], title="Semences", body="Grainothèque.")
    carnet = new_carnet(client, headers, "Herbier collectif")
    integrate(client, headers, carnet["id"], note.id)
    assert facet(search(client, "semences"), "carnet") == {carnet["id"]: 1}
    assert ids(search(client, "herbier")) == [note.id]
    response = client.delete(f"{API}/carnets/{carnet['id']}/notes/{note.id}", headers=headers)
    assert response.status_code == 204, response.text
    result = search(client, "semences")
    assert result["total"] == 1
    assert facet(result, "carnet") == {}
    assert search(client, "semences", carnet=carnet["id"])["total"] == 0
    assert search(client, "herbier")["total"] == 0


def test_the_notes_of_a_renamed_carnet_are_found_by_its_new_title(client, session, people):
    headers = people["headers"]["alice"]
    note = make_note(session, people["alice"], title="Semences", body="Grainothèque.")
    carnet = new_carnet(client, headers, "Herbier collectif")
    integrate(client, headers, carnet["id"], note.id)
    response = client.patch(f"{API}/carnets/{carnet['id']}", json={"title": "Pépinière solidaire"}, headers=headers)
    assert response.status_code == 200, response.text
    assert search(client, "herbier")["total"] == 0
    assert ids(search(client, "pépinière")) == [note.id]
    assert [f["label"] for f in search(client, "semences")["facets"]["carnet"]] == ["Pépinière solidaire"]


def test_a_carnet_made_restricted_no_longer_lends_its_title(client, session, people):
    headers = people["headers"]["alice"]
    note = make_note(session, people["alice"], title="Semences", body="Grainothèque.")
    carnet = new_carnet(client, headers, "Herbier collectif")
    integrate(client, headers, carnet["id"], note.id)
    response = client.patch(f"{API}/carnets/{carnet['id']}", json={"visibility": "restricted"}, headers=headers)
    assert response.status_code == 200, response.text
    assert search(client, "herbier")["total"] == 0
    assert ids(search(client, "semences")) == [note.id]


def test_the_notes_linking_a_renamed_organisation_are_found_by_its_new_title(client, session, people):
    org = make_note(session, people["alice"], title="Coopérative Radisson", kind="organisation")
    linking = make_note(
        session, people["fred"], title="Visite", body="Rencontre avec [[Coopérative Radisson|nos partenaires]]."
    )
    patch_note(client, people["headers"]["alice"], org.id, title="Coopérative Laurentides")
    assert sorted(ids(search(client, "laurentides"))) == sorted([org.id, linking.id])
    assert search(client, "radisson")["total"] == 0


# --- 8. The /recherche page -------------------------------------------------------------------


def test_the_search_page_lists_the_results_with_their_count_in_french(client, session, people):
    make_note(session, people["alice"], title="Chantier collectif", body="Un chantier ouvert.", published_at=when(2023))
    make_note(session, people["fred"], title="Chantiers d'été", body="Deux chantiers.", published_at=when(2024))
    response = client.get("/recherche", params={"q": "chantier"})
    assert response.status_code == 200
    html = response.text
    assert "2 résultats" in html
    assert "Chantier collectif" in html
    assert "Chantiers d&#39;été" in html or "Chantiers d'été" in html
    assert "<mark>" in html
    one = client.get("/recherche", params={"q": "collectif"}).text
    assert "1 résultat" in one and "1 résultats" not in one


def test_the_search_page_offers_links_to_narrow_by_facet(client, session, people):
    make_note(session, people["alice"], title="Chantier collectif", body="Un chantier ouvert.", published_at=when(2023))
    make_note(
        session, people["fred"], title="Chantier", kind="term", definition="Groupe de travail.", published_at=when(2024)
    )
    html = client.get("/recherche", params={"q": "chantier"}).text
    links = set(re.findall(r'href="(/recherche\?[^"]*)"', html))
    links = {link.replace("&amp;", "&") for link in links}
    for expected in ("kind=note", "kind=term", "author=alice", "author=fred", "year=2023", "year=2024"):
        assert any(f"q=chantier&{expected}" in link for link in links), (expected, links)
    assert "Frédérique Lavoie" in html
    narrowed = client.get("/recherche", params={"q": "chantier", "kind": "term"}).text
    assert "1 résultat" in narrowed
    assert 'aria-current="true"' in narrowed


def test_the_search_page_proposes_a_correction(client, session, people):
    make_note(session, people["alice"], title="Chantier collectif", body="Un chantier ouvert.")
    html = client.get("/recherche", params={"q": "chantirs"}).text
    assert re.search(
        r'<p class="suggestion">Vouliez-vous dire : <a href="/recherche\?q=chantiers?">chantiers?</a> \?</p>', html
    )
    assert "0 résultat" in html
    # French spacing only in French.
    english = client.get("/recherche", params={"q": "chantirs", "lang": "en"}).text
    assert re.search(
        r'<p class="suggestion">Did you mean <a href="/recherche\?q=chantiers?">chantiers?</a>\?</p>',
        english,
    ), english


def test_the_search_page_says_when_it_shows_notes_holding_only_some_words(client, session, people):
    make_note(session, people["alice"], title="Jardin potager", body="Légumes.")
    make_note(session, people["alice"], title="Piscine municipale", body="Été.")
    html = client.get("/recherche", params={"q": "potager piscine"}).text
    assert "Aucune note ne contient tous ces mots" in html
    assert "2 résultats" in html
    all_words = client.get("/recherche", params={"q": "jardin potager"}).text
    assert "Aucune note ne contient tous ces mots" not in all_words


def test_the_search_page_shows_a_hostile_query_escaped(client, session, people):
    make_note(session, people["alice"], title="Chantier", body="Un chantier.")
    hostile = '"><script>alert(1)</script><b onmouseover=x>'
    response = client.get("/recherche", params={"q": hostile})
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.text
    assert "<b onmouseover" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_the_search_page_escapes_hostile_note_titles_and_bodies(client, session, people):
    make_note(session, people["alice"], title="<img src=x onerror=alert(1)> chantier", body=HOSTILE)
    html = client.get("/recherche", params={"q": "chantier"}).text
    assert "1 résultat" in html
    assert "<img src=x" not in html
    assert "<script>alert(1)" not in html
    assert "<b onmouseover" not in html


def test_the_search_page_without_a_query_shows_the_form_and_no_results(client, session, people):
    make_note(session, people["alice"], title="Chantier", body="Un chantier.")
    response = client.get("/recherche")
    assert response.status_code == 200
    assert 'role="search"' in response.text and 'name="q"' in response.text
    assert "résultat" not in response.text
    assert 'class="snippet"' not in response.text


def test_the_search_page_answers_bad_parameters_with_a_422_page(client, session, people):
    for params in (
        {"year": "abc"},
        {"q": "chantier", "year": "abc"},
        {"q": "chantier", "kind": "bogus"},
        {"q": "chantier", "sort": "bogus"},
        {"q": "chantier", "p": "0"},
        {"q": "x" * 501},
    ):
        response = client.get("/recherche", params=params)
        assert response.status_code == 422, (params, response.status_code, response.text[:300])
        assert "text/html" in response.headers["content-type"], params
