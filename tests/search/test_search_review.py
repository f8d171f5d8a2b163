"""An adversarial review of full-text search (issue 6), on both backends.

Leaks (what a reader may not see changing what they see), drift (writes that change what a
search document holds without reaching the index), inputs that could answer 500, and places
where Whoosh and PostgreSQL answer the same query differently.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from praxis.schemas import NoteUpdate
from praxis.people import accounts
from praxis.transfer import folders
from praxis.notes import notes as note_service
from tests.factories import make_note, make_user

API = "/api/v1"


# --- people and helpers -----------------------------------------------------------------------


@pytest.fixture
def people(session):
    """Alice and Fred (API tokens), Adam an admin; no passwords, hashing is slow by design."""
    alice = make_user(session, "alice", name="Alice Tremblay", password=None)
    fred = make_user(session, "fred", name="Frédéric Lavoie", password=None)
    adam = make_user(session, "adam", name="Adam Admin", admin=True, password=None)
    headers = {}
    for user in (alice, fred, adam):
        headers[user.username] = {
            "Authorization": f"Bearer {accounts.issue_token(session=session, user=user, kind='api').token}"
        }
    session.commit()
    return {"alice": alice, "fred": fred, "adam": adam, "headers": headers}


def search(client, q: str | None = None, headers: dict[str, str] | None = None, **params: Any) -> dict:
    if q is not None:
        params["q"] = q
    response = client.get(f"{API}/search", params={"per_page": 100, **params}, headers=headers or {})
    assert response.status_code == 200, response.text
    return response.json()


def ids(result: dict) -> list[str]:
    return [item["id"] for item in result["items"]]


def facet(result: dict, name: str) -> dict[str, int]:
    return {f["value"]: f["count"] for f in result["facets"][name]}


def patch_note(client, headers: dict[str, str], note_id: str, **fields: Any) -> dict:
    current = client.get(f"{API}/notes/{note_id}", headers=headers)
    assert current.status_code == 200, current.text
    response = client.patch(
        f"{API}/notes/{note_id}", json={"base_revision": current.json()["revision"], **fields}, headers=headers
    )
    assert response.status_code == 200, response.text
    return response.json()


def at(year: int, month: int = 6, day: int = 15, micro: int = 0) -> datetime:
    return datetime(year, month, day, 12, 0, 0, micro, tzinfo=UTC)


# --- 1. leaks -----------------------------------------------------------------------------------


def test_hidden_notes_holding_the_searched_word_change_neither_the_order_nor_the_scores_a_reader_sees(
    client, session, people
):
    """Whoosh scores with BM25F statistics (document frequency, average lengths) taken over every
    note, hidden ones included: a visitor can tell whether hidden notes hold a word from the
    order and the `score` of public results."""
    # Two public notes, mirror images of each other; the newer one wins the tie.
    newer = make_note(
        session, people["alice"], title="Fiche un", body="ornifle ornifle bretelle", published_at=at(2021)
    )
    older = make_note(
        session, people["alice"], title="Fiche deux", body="bretelle bretelle ornifle", published_at=at(2020)
    )
    before = [(i["id"], i["score"]) for i in search(client, "ornifle bretelle")["items"]]
    assert [i for i, _ in before] == [newer.id, older.id]

    # Fred writes notes only he may read, full of one of the two words.
    for n in range(3):
        make_note(
            session,
            people["fred"],
            title=f"Carnet intime {n}",
            body="ornifle, ornifle et encore ornifle.",
            visibility="restricted",
        )
    after = [(i["id"], i["score"]) for i in search(client, "ornifle bretelle")["items"]]
    assert [i for i, _ in after] == [i for i, _ in before], "hidden notes reorder a visitor's results"
    assert after == before, "hidden notes change the scores a visitor sees"


def test_hidden_notes_full_of_close_words_do_not_take_away_the_suggestion_of_a_visible_word(client, session, people):
    """The spelling candidates are the few closest words of the whole index: hidden notes holding
    closer words push the visible word out, and the visitor's "Vouliez-vous dire" disappears."""
    make_note(session, people["alice"], title="Le brindamour", body="Un brindamour pousse au jardin.")
    assert search(client, "brindamaux")["suggestion"] == "brindamour"  # two typos off a visible word

    make_note(
        session,
        people["fred"],
        title="Inventaire",
        visibility="restricted",
        body=" ".join(f"brindamaux{c}" for c in "abcdefghijkl"),
    )
    found = search(client, "brindamaux")
    assert found["total"] == 0
    assert found["suggestion"] == "brindamour", "a hidden note decides whether a visitor gets a suggestion"


def test_an_organisation_turned_into_a_restricted_note_no_longer_lends_its_title_to_the_notes_linking_it(
    client, session, people
):
    """The linking notes are re-indexed only while the target *is* an organisation or a term
    (documents.with_dependents reads the kind after the change): changing the kind and hiding
    it in one edit leaves its title in the public linking note's document."""
    org = make_note(
        session, people["alice"], title="Coopérative Zéphyrine", kind="organisation", body="Une coopérative."
    )
    linking = make_note(
        session,
        people["fred"],
        title="Visite d'automne",
        body="Rencontre avec [[Coopérative Zéphyrine|nos partenaires]] au marché.",
    )
    assert sorted(ids(search(client, "zéphyrine"))) == sorted([org.id, linking.id])

    patch_note(client, people["headers"]["alice"], org.id, kind="note", visibility="restricted")
    anonymous = search(client, "zéphyrine")
    assert anonymous["total"] == 0 and ids(anonymous) == [], (
        "a visitor finds a note by the title of a note hidden from them"
    )
    page = client.get("/recherche", params={"q": "zéphyrine"})
    assert "Visite d" not in page.text


def test_an_organisation_restored_to_a_revision_where_it_was_a_note_no_longer_lends_its_title(client, session, people):
    """The same gap through restoring a revision: the kind goes back to "note", the linking note keeps the title."""
    org = make_note(session, people["alice"], title="Atelier Quenouille", body="Un atelier.")
    patch_note(client, people["headers"]["alice"], org.id, kind="organisation")
    linking = make_note(session, people["fred"], title="Rencontre", body="Vu [[Atelier Quenouille|l'atelier]] hier.")
    assert sorted(ids(search(client, "quenouille"))) == sorted([org.id, linking.id])

    response = client.post(f"{API}/notes/{org.id}/revisions/1/restore", headers=people["headers"]["alice"])
    assert response.status_code == 200, response.text
    assert response.json()["kind"] == "note"
    # A plain note's title is no part of the notes linking to it.
    assert ids(search(client, "quenouille")) == [org.id]


# --- 2. drift -------------------------------------------------------------------------------------


def _carnet_file(folder: Path, cid: str, title: str, visibility: str, note_ids: list[str]) -> Path:
    entries = "".join(f"  - note: {n}\n" for n in note_ids)
    path = folder / f"{cid}.md"
    path.write_text(
        f"---\nid: {cid}\nkind: carnet\ntitle: {title}\nvisibility: {visibility}\n"
        "managers:\n  - username: alice\n    name: Alice Tremblay\n"
        f"entries:\n{entries}---\nDescription.\n",
        encoding="utf-8",
    )
    return path


def test_reimporting_a_carnet_file_that_drops_a_note_takes_the_carnet_out_of_that_notes_document(
    client, session, people, tmp_path
):
    """collection_files.import_carnet replaces a carnet's entries with a bulk DELETE, which no
    flush sees: the notes it no longer lists keep the carnet (facet, filter) and its title."""
    kept = make_note(session, people["alice"], title="Semis de printemps", body="Des graines.")
    dropped = make_note(session, people["alice"], title="Semis d'automne", body="D'autres graines.")
    folder = tmp_path / "import"
    folder.mkdir()
    folders.import_path(
        session=session, path=_carnet_file(folder, "herbier01", "Herbier vermeil", "public", [kept.id, dropped.id])
    )
    session.commit()
    assert sorted(ids(search(client, "vermeil"))) == sorted([kept.id, dropped.id])

    # The file now keeps the carnet among its managers, and lists only one note.
    folders.import_path(
        session=session, path=_carnet_file(folder, "herbier01", "Herbier vermeil", "restricted", [kept.id])
    )
    session.commit()
    anonymous = search(client, "vermeil")
    assert anonymous["total"] == 0, "a visitor finds a note by the title of a restricted carnet it is not even in"
    manager = search(client, "semis", people["headers"]["alice"], carnet="herbier01")
    assert ids(manager) == [kept.id], "the carnet filter still lists a note the carnet no longer holds"
    assert facet(search(client, "semis", people["headers"]["alice"]), "carnet") == {"herbier01": 1}


def _too_big_for_a_tsvector(seed: int = 7) -> str:
    """About 400 000 characters of distinct 300-letter words in 4-byte letters: some 1.6 MB of
    lexemes, more than a PostgreSQL tsvector holds (1 MB)."""
    rng = random.Random(seed)
    words = ["".join(chr(0x20000 + rng.randrange(40_000)) for _ in range(300)) for _ in range(1_400)]
    return " ".join(words)[:399_000]


def test_one_note_too_big_to_index_does_not_stop_later_changes_from_being_found(client, session, people):
    """On PostgreSQL, to_tsvector fails for this body ("string is too long for tsvector"); the
    queue row stays, and every later drain applies it in the same batch as the new rows, fails
    again, and nothing written afterwards ever reaches the index."""
    big = make_note(session, people["alice"], title="Glossaire géant", body=_too_big_for_a_tsvector())
    later = make_note(session, people["alice"], title="Permaculture", body="Des buttes.")
    assert ids(search(client, "permaculture")) == [later.id], "a note written after the big one is never found"
    assert ids(search(client, "glossaire")) == [big.id], "the big note is not found even by its title"


def test_a_deleted_carnet_leaves_the_facets_and_the_words_of_its_notes(client, session, people):
    headers = people["headers"]["alice"]
    note = make_note(session, people["alice"], title="Semences", body="Grainothèque.")
    carnet = client.post(f"{API}/carnets", json={"title": "Herbier collectif"}, headers=headers).json()
    assert (
        client.post(f"{API}/carnets/{carnet['id']}/notes", json={"note_id": note.id}, headers=headers).status_code
        == 201
    )
    assert ids(search(client, "herbier")) == [note.id]
    assert client.delete(f"{API}/carnets/{carnet['id']}", headers=headers).status_code == 204
    assert search(client, "herbier")["total"] == 0
    assert facet(search(client, "semences", headers), "carnet") == {}
    assert search(client, "semences", headers, carnet=carnet["id"])["total"] == 0


def test_a_category_deleted_with_its_notes_removed_takes_them_out_of_the_carnet_in_search(client, session, people):
    headers = people["headers"]["alice"]
    note = make_note(session, people["alice"], title="Semences", body="Grainothèque.")
    carnet = client.post(
        f"{API}/carnets",
        json={"title": "Herbier collectif", "axes": [{"name": "Format", "categories": ["Récit"]}]},
        headers=headers,
    ).json()
    added = client.post(
        f"{API}/carnets/{carnet['id']}/notes", json={"note_id": note.id, "categories": ["Récit"]}, headers=headers
    )
    assert added.status_code == 201, added.text
    assert ids(search(client, "herbier")) == [note.id]
    gone = client.delete(f"{API}/carnets/{carnet['id']}/categories/Récit", params={"notes": "remove"}, headers=headers)
    assert gone.status_code == 204, gone.text
    assert search(client, "herbier")["total"] == 0
    assert search(client, "semences", headers, carnet=carnet["id"])["total"] == 0


def test_restoring_an_older_revision_brings_back_its_words_and_its_readers(client, session, people):
    headers = people["headers"]["alice"]
    note = make_note(session, people["alice"], title="Apiculture", body="Des ruches en ville.")
    patch_note(client, headers, note.id, title="Aquaponie", body="Des poissons.", visibility="restricted")
    assert search(client, "apiculture")["total"] == 0 and search(client, "aquaponie")["total"] == 0
    response = client.post(f"{API}/notes/{note.id}/revisions/1/restore", headers=headers)
    assert response.status_code == 200, response.text
    assert ids(search(client, "ruches")) == [note.id]
    assert search(client, "aquaponie", headers)["total"] == 0


def test_importing_a_note_file_over_an_existing_note_is_found_by_its_new_words(client, session, people, tmp_path):
    note = make_note(session, people["alice"], title="Apiculture", body="Des ruches.")
    path = tmp_path / "note.md"
    path.write_text(
        f"---\nid: {note.id}\ntitle: Aquaponie urbaine\nauthors:\n  - username: alice\n    name: Alice Tremblay\n"
        "visibility: public\n---\nDes poissons et des salades.\n",
        encoding="utf-8",
    )
    report = folders.import_path(session=session, path=path)
    session.commit()
    assert report.updated == 1
    assert ids(search(client, "salades")) == [note.id]
    assert search(client, "ruches")["total"] == 0
    new = tmp_path / "new.md"
    new.write_text(
        "---\nid: importee01\ntitle: Compostage\nauthors: [Alice Tremblay]\n---\nUn lombricomposteur.\n",
        encoding="utf-8",
    )
    folders.import_path(session=session, path=new)
    session.commit()
    assert ids(search(client, "lombricomposteur")) == ["importee01"]


# --- 3. no query or parameters answer 500 ---------------------------------------------------------

ODD_QUERIES = {
    "syntax": [
        "*",
        "**",
        "-",
        "--",
        "-*",
        "*-",
        '"',
        '""',
        '-""',
        '-" "',
        '"""',
        '" - "',
        '"*"',
        '-"chantier',
        "-a -b",
        "-chantier -coopérative",
        "-chantier*",
        "-ch*",
        "(a",
        "a:*",
        ":*",
        "a&b|c!d",
        "<->",
        "!!",
        "\\",
        "%",
        "_%",
        "'",
        "’’",
        "l'",
        "qu'",
        "aujourd'hui",
        "a'b'c'd",
        "''chantier''",
    ],
    "prefixes": [
        "a*",
        "ch*",
        "ch* co* ma* pr*",
        "__*",
        "_",
        "__",
        "dé*",
        "ét*",
        "00*",
        "x" * 499 + "*",
        "ß*",
        "Ⅻ*",
        "½½*",
        "⑴⑵*",
        "ǅe*",
        "İs*",
    ],
    "unicode": [
        "\u200b",
        "\u200b\u200b chantier",
        "\u202e\u05e9\u05dc\u05d5\u05dd",
        "שלום עולם",
        "مرحبا بالعالم",
        "😀",
        "👩‍👩‍👧 chantier",
        "ﷺ",
        "\ufffd",
        "e\u0301" * 100,
        "İstanbul",
        "ǅ",
        "ﬁnancement",
        "Ⅻ",
        "𠀀𠀁",
    ],
    "control": ["\x01\x02\x7f", "\t\n\r", "chantier\x1bchantier", "\x85", "\u2028chantier\u2029"],
    "long": [
        "a" * 500,
        "é" * 250,
        '"' * 500,
        "-" * 500,
        "*" * 500,
        "chantier " * 55,
        '"chantier ' * 50,
        "zz" * 250,
        " ".join(f"mot{n}*" for n in range(60))[:500],
    ],
}


@pytest.fixture
def corpus(session, people):
    """Notes with a word of every sort, and one with three thousand words beginning "ch"."""
    make_note(session, people["alice"], title="Chantier collectif", body="Un chantier de la coopérative, aujourd'hui.")
    make_note(
        session,
        people["fred"],
        title="Dictionnaire",
        body=" ".join(f"ch{a}{b}{c}" for a in "abcdefghijklmno" for b in "aeiouyrstlmn" for c in "aeiouysrtlmnpq")[
            :60_000
        ],
    )
    make_note(session, people["alice"], title="Unicode", body="שלום עולם 😀 İstanbul ﬁnancement Ⅻ ½ rapport_annuel")
    return people


@pytest.mark.parametrize("group", list(ODD_QUERIES))
def test_odd_queries_never_answer_500(client, corpus, group):
    failures = []
    for q in ODD_QUERIES[group]:
        for params in ({"q": q}, {"q": q, "sort": "date"}, {"q": q, "per_page": 100, "page": 1000}):
            response = client.get(f"{API}/search", params=params)
            if response.status_code not in (200, 422):
                failures.append((params, response.status_code))
        page = client.get("/recherche", params={"q": q})
        if page.status_code not in (200, 422):
            failures.append(("/recherche", q, page.status_code))
    assert failures == []


ODD_PARAMETERS = {
    "nul": [
        {"q": "\x00"},
        {"q": "chantier\x00"},
        {"author": "\x00"},
        {"carnet": "\x00"},
        {"q": "chantier", "author": "\x00"},
        {"q": "chantier", "carnet": "\x00x"},
    ],
    "values": [
        {"author": "a" * 64},
        {"carnet": "x" * 24},
        {"author": " "},
        {"carnet": " "},
        {"carnet": "'; DROP TABLE note; --"},
        {"author": "alice", "carnet": "zz"},
        {"year": 1},
        {"year": 9999},
        {"author": "%"},
        {"carnet": "_"},
        {"q": "*", "kind": "term"},
        {"q": "-chantier", "kind": "organisation", "year": 2020, "author": "alice"},
    ],
    "paging": [
        {"per_page": 100, "page": 1000},
        {"per_page": 1, "page": 1000, "sort": "date"},
        {"q": "chantier", "page": 1000, "per_page": 100},
        {"q": "chantier", "sort": "relevance", "page": 2, "per_page": 1},
        {"q": "ch*", "page": 1000, "per_page": 100},
    ],
}


@pytest.mark.parametrize("group", list(ODD_PARAMETERS))
def test_odd_parameters_never_answer_500(client, corpus, group):
    failures = []
    for params in ODD_PARAMETERS[group]:
        response = client.get(f"{API}/search", params=params)
        if response.status_code not in (200, 422):
            failures.append((params, response.status_code))
        web = {("p" if k == "page" else k): v for k, v in params.items() if k != "per_page"}
        page = client.get("/recherche", params=web)
        if page.status_code not in (200, 422):
            failures.append(("/recherche", web, page.status_code))
    assert failures == []


# --- 4. the two backends agree ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "title"), [("dé*", "Décroissance conviviale"), ("ét*", "Étude de cas"), ("lé*", "Législation locale")]
)
def test_a_prefix_whose_letters_fold_to_a_stop_word_still_finds_the_words_it_begins(
    client, session, people, query, title
):
    """ "dé*" is a prefix of two letters, as docs/search.md allows; PostgreSQL folds it to "de", a
    stop word, and to_tsquery drops it: the query becomes empty and finds nothing there."""
    note = make_note(session, people["alice"], title=title, body="Une note.")
    assert ids(search(client, query)) == [note.id]


def test_words_joined_by_an_underscore_are_found_each_on_its_own(client, session, people):
    """Words are letters and digits: PostgreSQL splits "rapport_annuel" in two, Whoosh keeps
    one word, so "annuel" finds the note on one backend only."""
    note = make_note(
        session, people["alice"], title="Fichiers", body="Voir le fichier rapport_annuel de la coopérative."
    )
    assert ids(search(client, "annuel")) == [note.id]
    assert ids(search(client, "rapport")) == [note.id]


def test_newest_first_holds_for_notes_published_within_the_same_second(client, session, people):
    """Whoosh keeps dates in whole seconds and breaks ties by id; PostgreSQL keeps microseconds."""
    a = make_note(session, people["alice"], title="Chronique alpha", body="Une glanure.")
    b = make_note(session, people["alice"], title="Chronique beta", body="Une glanure.")
    first, second = sorted([a.id, b.id])
    # The smaller id is the older: an id tie-break puts it first.
    for note_id, micro in ((first, 100_000), (second, 900_000)):
        note_service.save_note(
            session=session,
            actor=people["alice"],
            note_id=note_id,
            data=NoteUpdate(base_revision=1, published_at=at(2024, 3, 1, micro)),
        )
        session.commit()
    by_date = search(client, "glanure", sort="date")
    assert [i["date"] for i in by_date["items"]] == sorted((i["date"] for i in by_date["items"]), reverse=True)
    assert ids(by_date) == [second, first]
    assert ids(search(client, author="alice")) == [second, first]  # browsing: newest first too


def test_a_typo_in_a_word_beginning_with_an_accent_still_gets_a_suggestion(client, session, people):
    """Whoosh asks for spelling candidates sharing the typed first letter (prefix=1): "ecnomie"
    (one typo, accent left out) never reaches "économie", which PostgreSQL's folded trigrams find."""
    make_note(session, people["alice"], title="Économie locale", body="L'économie des circuits courts.")
    assert search(client, "ecnomie")["suggestion"] == "économie"


def test_a_short_word_with_two_letters_swapped_gets_a_suggestion(client, session, people):
    """One swap of two letters is one typo (Damerau-Levenshtein); PostgreSQL's candidates are
    words of trigram similarity above 0.3, which "rcuhe" and "ruche" are not."""
    make_note(session, people["alice"], title="Apiculture", body="Une ruche au jardin.")
    assert search(client, "rcuhe")["suggestion"] == "ruche"
