"""A result found only through what the index adds to a note's own text (a linked term or
organisation, a carnet, an author) says so — and never names what the reader may not see.

On both backends (Whoosh and PostgreSQL full text): the line is decided from the note's text,
not from either backend's highlights, so both must agree."""

import html
import re

import pytest

from praxis.carnets import carnets, filing
from praxis.schemas import CarnetCreate, EntryCreate
from tests.factories import browser_for, make_note, make_user


@pytest.fixture
def world(client, app, session):
    zeph = make_user(session, "zeph", name="Zéphyrine Quarteron", password=None)
    rita = make_user(session, "rita", name="Rita", password=None)
    cahier = carnets.create(
        session=session, actor=zeph, data=CarnetCreate(title="Cahier des sous-bois", visibility="public")
    )
    hidden = carnets.create(
        session=session,
        actor=zeph,
        data=CarnetCreate(title="Archives vermiculaires sous-bois", visibility="restricted"),
    )
    session.commit()
    term = make_note(session, zeph, title="Mycorhize", kind="term", body="Une association de racines.")
    org = make_note(session, zeph, title="Fondation Ornithaxe", kind="organisation", body="Une fondation.")
    walk = make_note(
        session,
        zeph,
        title="Balade d'automne",
        body="Nous avons marché [[Mycorhize|sous les arbres]] avec [[Fondation Ornithaxe|nos partenaires]].",
    )
    for carnet in (cahier, hidden):
        filing.add(session=session, actor=zeph, carnet_id=carnet.id, data=EntryCreate(note_id=walk.id))
    session.commit()
    return {"zeph": zeph, "rita": rita, "term": term, "org": org, "walk": walk, "hidden": hidden}


def _results(page: str) -> dict[str, str]:
    """Each result's title and the text of its "Trouvée par" line ("" when it has none)."""
    found = {}
    for item in re.findall(r'<li class="result.*?</li>', page, re.S):
        title = re.search(r'<h3 class="result-title">.*?<span[^>]*>(.*?)</span>', item, re.S)
        matched = re.search(r'<p class="matched">(.*?)</p>', item, re.S)
        text = re.sub(r"<[^>]+>", "", matched.group(1)) if matched else ""
        found[html.unescape(title.group(1))] = " ".join(html.unescape(text).split())
    return found


def test_a_result_found_through_a_linked_term_an_organisation_a_carnet_or_an_author_says_so(app, session, world):
    visitor = browser_for(app, session, None)

    def search(q: str) -> dict[str, str]:
        response = visitor.get("/recherche", params={"q": q})
        assert response.status_code == 200
        return _results(response.text)

    # The term's own title holds the word: no line; the note linking to it: the line says why.
    assert search("mycorhize") == {
        "Mycorhize": "",
        "Balade d'automne": "Trouvée par le terme lié « Mycorhize »",
    }
    assert search("ornithaxe")["Balade d'automne"] == "Trouvée par l'organisation liée « Fondation Ornithaxe »"
    assert search("quarteron")["Balade d'automne"] == "Trouvée par l'auteur·trice Zéphyrine Quarteron (zeph)"
    # One word in the text, the other through the term: the line names the term.
    assert search("marché mycorhize") == {"Balade d'automne": "Trouvée par le terme lié « Mycorhize »"}
    # Found by its own text: nothing to explain.
    assert search("marché") == {"Balade d'automne": ""}
    # Found through its public carnet; the restricted carnet holding the same word is never named.
    page = visitor.get("/recherche", params={"q": "sous-bois"}).text
    assert _results(page) == {"Balade d'automne": "Trouvée par le carnet « Cahier des sous-bois »"}
    assert "vermiculaires" not in page and world["hidden"].id not in page

    # The line links to what it names, and the API gives the same reasons.
    line = re.search(r'<p class="matched">(.*?)</p>', visitor.get("/recherche", params={"q": "mycorhize"}).text, re.S)
    assert line and f'/n/{world["term"].id}/" lang="fr">Mycorhize</a>' in line.group(1)
    found = visitor.get("/api/v1/search", params={"q": "mycorhize ornithaxe"}).json()
    [walk] = [i for i in found["items"] if i["id"] == world["walk"].id]
    assert [(r["kind"], r["label"]) for r in walk["matched_by"]] == [
        ("organisation", "Fondation Ornithaxe"),
        ("term", "Mycorhize"),
    ]
    assert walk["matched_by"][1]["url"].endswith(f"/n/{world['term'].id}/")


def test_the_line_names_a_carnet_only_to_those_who_may_see_it(app, session, world):
    """The restricted carnet is not part of what is searched; its manager, who sees it, is told
    about the public carnet only, exactly as any reader."""
    for user in (None, world["rita"], world["zeph"]):
        page = browser_for(app, session, user).get("/recherche", params={"q": "sous-bois"}).text
        assert _results(page) == {"Balade d'automne": "Trouvée par le carnet « Cahier des sous-bois »"}
        assert "Trouvée par le carnet « Archives" not in html.unescape(page)


def test_english_says_it_in_english(app, session, world):
    page = browser_for(app, session, None).get("/recherche", params={"q": "mycorhize", "lang": "en"}).text
    assert _results(page)["Balade d'automne"] == "Found through the linked term “Mycorhize”"
