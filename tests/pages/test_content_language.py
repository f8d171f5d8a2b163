"""What people wrote keeps its language inside a page of the other one (WCAG 3.1.2): French notes
shown in the English interface are marked lang="fr", so screen readers pronounce them in French."""

from __future__ import annotations

from html.parser import HTMLParser

from tests.conftest import one_database
from tests.factories import browser_for, make_note, make_user, token_for


class TextLanguages(HTMLParser):
    """Every piece of text of a page's body with the language it is in (the nearest `lang` around
    it), but the citation: a sentence in the reader's language that names the note (the <title>,
    whose parts cannot be marked, is in the head)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.langs: list[str] = [""]
        self.texts: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag not in self.VOID:
            skipped = tag == "head" or values.get("id") == "citation-text" or self.langs[-1] == "-"
            self.langs.append("-" if skipped else values.get("lang") or self.langs[-1])

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and len(self.langs) > 1:
            self.langs.pop()

    def handle_data(self, data: str) -> None:
        if data.strip() and self.langs[-1] != "-":
            self.texts.append((" ".join(data.split()), self.langs[-1]))


def languages_of(html: str, words: str) -> set[str]:
    """The languages in which the page shows the text containing `words`."""
    parser = TextLanguages()
    parser.feed(html)
    return {lang for text, lang in parser.texts if words in text}


ENGLISH = {"Accept-Language": "en"}
TITLE = "Mutualiser les données culturelles"
BODY = "Les organismes partagent leurs fiches d'événements"


@one_database
def test_french_notes_are_marked_french_in_every_english_listing(client, session) -> None:
    camille = make_user(session, "camille")
    note = make_note(
        session, camille, title=TITLE, body=f"## Pourquoi\n\n{BODY}.\n\n## Comment\n\nEnsemble.\n\n## Après\n\nPlus."
    )
    other = make_note(session, camille, title="Une autre note", body=f"Voir [[{TITLE}]].")
    headers = token_for(client, "camille")
    carnet = client.post(
        "/api/v1/carnets", headers=headers, json={"title": "Carnet des données", "description": "Le carnet."}
    ).json()
    assert (
        client.post(f"/api/v1/carnets/{carnet['id']}/notes", headers=headers, json={"note_id": note.id}).status_code
        == 201
    )

    pages = {
        "note": f"/n/{note.id}/",
        "home": "/",
        "all notes": "/notes/",
        "search": "/recherche?q=mutualiser",
        "carnet": f"/c/{carnet['id']}/",
        "history": f"/n/{note.id}/history",
        "profile": "/u/camille/",
    }
    for name, path in pages.items():
        html = client.get(path, headers=ENGLISH).text
        assert languages_of(html, TITLE) == {"fr"}, name
        assert languages_of(html, "Carnet des données") <= {"fr"}, name
        if name in ("note", "all notes", "carnet"):
            assert languages_of(html, BODY) == {"fr"}, name  # the body, or its excerpt
    # The note's headings in its table of contents, and the links to it from another note.
    page = client.get(f"/n/{note.id}/", headers=ENGLISH).text
    assert languages_of(page, "Pourquoi") == {"fr"}
    assert languages_of(client.get(f"/n/{other.id}/", headers=ENGLISH).text, TITLE) == {"fr"}
    # The interface around them stays English.
    assert languages_of(page, "Published") == {"en"}
    assert 'lang="en"' in page.split(">", 2)[1]


@one_database
def test_the_titles_and_text_of_the_editing_pages_are_marked_french(app, client, session) -> None:
    camille = make_user(session, "camille")
    note = make_note(session, camille, title=TITLE, body=f"{BODY}.")
    term = make_note(session, camille, title="Mutualisation", kind="term", definition="Mettre en commun des moyens.")
    headers = token_for(client, "camille")
    carnet = client.post("/api/v1/carnets", headers=headers, json={"title": "Carnet des données"}).json()
    client.post(f"/api/v1/carnets/{carnet['id']}/notes", headers=headers, json={"note_id": note.id})
    camilles = browser_for(app, session, camille)
    editor = camilles.get(f"/n/{note.id}/edit", headers=ENGLISH).text
    assert languages_of(editor, TITLE) == {"fr"}  # "Edit: …"
    assert languages_of(editor, BODY) == {"fr"}  # the text, and its preview
    assert languages_of(editor, "Edit:") == {"en"}
    assert languages_of(camilles.get(f"/n/{term.id}/edit", headers=ENGLISH).text, "Mettre en commun") == {"fr"}
    graph = client.get(f"/c/{carnet['id']}/graphe", headers=ENGLISH).text
    assert languages_of(graph, "Carnet des données") == {"fr"}  # "Link graph: …" and the way back
    other = client.post("/api/v1/carnets", headers=headers, json={"title": "Autre carnet"}).json()
    adding = camilles.get(f"/n/{note.id}/ajouter?carnet={other['id']}", headers=ENGLISH).text
    assert languages_of(adding, TITLE) == {"fr"}  # "Add “…” to a notebook"


@one_database
def test_the_graph_s_titles_and_the_filters_choices_are_marked_french(app, client, session) -> None:
    camille = make_user(session, "camille")
    note = make_note(session, camille, title=TITLE, body=f"{BODY}.")
    make_note(session, camille, title="Culture Laval", kind="organisation", region="Bas-Saint-Laurent")
    headers = token_for(client, "camille")
    carnet = client.post("/api/v1/carnets", headers=headers, json={"title": "Carnet des données"}).json()
    client.post(f"/api/v1/carnets/{carnet['id']}/notes", headers=headers, json={"note_id": note.id})
    base = client.post("/api/v1/bases", headers=headers, json={"title": "Savoirs"}).json()
    client.post(f"/api/v1/bases/{base['id']}/carnets", headers=headers, json={"carnet_id": carnet["id"]})
    client.post("/api/v1/communities", headers=headers, json={"name": "Cercle des jardins"})

    graph = client.get(f"/c/{carnet['id']}/graphe", headers=ENGLISH).text
    assert languages_of(graph, TITLE) == {"fr"}  # a node's label and its <title>, the link's name
    assert languages_of(graph, "Note") == {"en"}  # its kind (<desc>) and the legend, the reader's
    assert f'<title lang="fr">{TITLE}</title><desc>Note</desc>' in graph
    assert languages_of(client.get(f"/b/{base['id']}/", headers=ENGLISH).text, "Carnet des données") == {"fr"}
    assert languages_of(client.get("/organisations/", headers=ENGLISH).text, "Bas-Saint-Laurent") == {"fr"}
    editor = browser_for(app, session, camille).get(f"/n/{note.id}/edit", headers=ENGLISH).text
    assert languages_of(editor, "Cercle des jardins") == {"fr"}
