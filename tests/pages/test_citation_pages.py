""" "Pour citer" on the pages, and what reference managers read there (meta tags, COinS)."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import parse_qsl, unquote

from praxis.schemas import BaseCreate, CarnetCreate
from praxis.carnets import bases
from praxis.carnets import carnets
from tests.conftest import one_database
from tests.factories import browser_for, csrf_from, make_note, make_user, token_for


class _Head(HTMLParser):
    """The page's <meta name> tags (in order, repeats kept), its COinS span and its citation."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: list[tuple[str, str]] = []
        self.coins: list[str] = []
        self.schema_dc = False
        self._in_citation = 0
        self.citation = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "meta" and found.get("name"):
            self.meta.append((found["name"] or "", found.get("content") or ""))
        if tag == "link" and found.get("rel") == "schema.DC":
            self.schema_dc = found.get("href") == "http://purl.org/dc/elements/1.1/"
        if tag == "span" and found.get("class") == "Z3988":
            self.coins.append(found.get("title") or "")
        if self._in_citation:
            self._in_citation += 1
        elif tag == "div" and found.get("id") == "citation-text":
            self._in_citation = 1

    def handle_endtag(self, tag: str) -> None:
        if self._in_citation:
            self._in_citation -= 1

    def handle_data(self, data: str) -> None:
        if self._in_citation:
            self.citation += data

    def values(self, name: str) -> list[str]:
        return [content for key, content in self.meta if key == name]


def parsed(html: str) -> _Head:
    head = _Head()
    head.feed(html)
    return head


def _note(session):  # type: ignore[no-untyped-def]
    alice = make_user(session, "alice", name="Marie-Hélène Laurence")
    make_user(session, "reseau", name="Réseau des ADN")
    return alice, make_note(
        session,
        alice,
        title="L’économie « sociale » : un chantier?",
        authors=["alice", "reseau"],
        published_at="2024-10-30T12:00:00Z",
        licence="CC-BY-4.0",
    )


@one_database
def test_the_note_page_carries_meta_tags_for_reference_managers(client, session):
    _, note = _note(session)
    client.patch("/api/v1/users/reseau", headers=token_for(client, "reseau"), json={"is_organisation": True})
    head = parsed(client.get(f"/n/{note.id}/").text)
    assert head.values("citation_title") == ["L’économie « sociale » : un chantier?"]
    assert head.values("citation_author") == ["Laurence, Marie-Hélène", "Réseau des ADN"]
    assert head.values("citation_publication_date") == ["2024/10/30"]
    assert head.values("citation_public_url") == [f"https://praxis.example.org/n/{note.id}/"]
    assert head.values("citation_language") == ["fr"]
    assert head.schema_dc
    assert head.values("DC.title") == ["L’économie « sociale » : un chantier?"]
    assert head.values("DC.creator") == ["Laurence, Marie-Hélène", "Réseau des ADN"]
    assert head.values("DC.date") == ["2024-10-30"] and head.values("DC.language") == ["fr"]
    assert head.values("DC.identifier") == [f"https://praxis.example.org/n/{note.id}/"]
    assert head.values("DC.publisher") == ["Praxis"] and head.values("DC.rights") == ["CC-BY-4.0"]


@one_database
def test_the_coins_span_reads_as_zotero_reads_it(client, session):
    _, note = _note(session)
    client.patch("/api/v1/users/reseau", headers=token_for(client, "reseau"), json={"is_organisation": True})
    spans = parsed(client.get(f"/n/{note.id}/").text).coins
    assert len(spans) == 1
    # Zotero's OpenURL reader splits on "&" and "=", then decodes each value with "+" as a space.
    pairs = [tuple(part.split("=", 1)) for part in spans[0].split("&")]
    fields = [(key, unquote(value.replace("+", " "))) for key, value in pairs]
    assert ("rft_val_fmt", "info:ofi/fmt:kev:mtx:dc") in fields and ("rft.type", "webpage") in fields
    assert ("rft.title", "L’économie « sociale » : un chantier?") in fields
    # People as "Family, Given"; an organisation whole as rft.aulast, which Zotero keeps in its
    # place (it would move an rft.aucorp before everyone else).
    people = [(k, v) for k, v in fields if k in ("rft.creator", "rft.aucorp", "rft.aulast", "rft.au")]
    assert people == [("rft.creator", "Laurence, Marie-Hélène"), ("rft.aulast", "Réseau des ADN")]
    assert (
        ("rft.date", "2024-10-30") in fields and ("rft.source", "Praxis") in fields and ("rft.language", "fr") in fields
    )
    assert ("rft.identifier", f"https://praxis.example.org/n/{note.id}/") in fields
    assert dict(parse_qsl(spans[0]))["rft.title"] == "L’économie « sociale » : un chantier?"


@one_database
def test_the_note_page_shows_the_citation_with_a_style_switcher_that_works_without_javascript(client, session):
    _, note = _note(session)
    page = client.get(f"/n/{note.id}/")
    assert "Pour citer cette note" in page.text
    head = parsed(page.text)
    today_cited = client.get(f"/api/v1/notes/{note.id}/citation").json()
    assert head.citation == today_cited["text"]
    assert head.citation.startswith(
        "Marie-Hélène Laurence, Réseau des ADN. (2024). L’économie « sociale » : un chantier? Praxis (consulté le "
    )
    for value in ("praxis", "apa", "mla", "chicago", "bibtex", "ris", "csl-json"):
        assert f'<option value="{value}"' in page.text
    assert '<button type="button" class="citation-copy" hidden' in page.text  # shown by the script only
    assert '<div id="citation-text" tabindex="0"' in page.text  # reachable from the keyboard
    apa = client.get(f"/n/{note.id}/?style=apa")
    assert (
        parsed(apa.text).citation
        == client.get(f"/api/v1/notes/{note.id}/citation", params={"style": "apa"}).json()["text"]
    )
    assert '<option value="apa" selected>' in apa.text
    bib = client.get(f"/n/{note.id}/?style=bibtex")
    assert 'class="citation-text preformatted"' in bib.text and parsed(bib.text).citation.startswith(
        "@misc{laurence2024"
    )
    assert f'href="/n/{note.id}/citation.ris"' in page.text and f'href="/n/{note.id}/citation.json"' in page.text
    wrong = client.get(f"/n/{note.id}/?style=harvard")
    assert wrong.status_code == 422 and "Style de citation" in wrong.text


@one_database
def test_a_revision_page_cites_that_revision(client, session):
    alice, note = _note(session)
    client.patch(
        f"/api/v1/notes/{note.id}",
        headers=token_for(client, "alice"),
        json={"base_revision": note.revision, "title": "Nouveau titre"},
    )
    now = note.revision + 1  # revision 1 is alice's alone: reseau accepted to co-sign in revision 2
    page = client.get(f"/n/{note.id}/?rev=1&style=apa")
    assert "Pour citer cette révision" in page.text
    head = parsed(page.text)
    assert head.citation.endswith(f"Praxis. https://praxis.example.org/n/{note.id}/?rev=1")
    assert "L’économie « sociale » : un chantier?" in head.citation
    assert head.values("citation_title") == ["L’économie « sociale » : un chantier?"]
    assert head.values("citation_public_url") == [f"https://praxis.example.org/n/{note.id}/?rev=1"]
    assert '<input type="hidden" name="rev" value="1">' in page.text and 'data-rev="1"' in page.text
    assert f'href="/n/{note.id}/citation.bib?rev=1"' in page.text
    current = parsed(client.get(f"/n/{note.id}/").text)
    assert current.values("citation_title") == ["Nouveau titre"]
    # Asking for the current revision by number cites its permanent link too, as the API does.
    asked = client.get(f"/n/{note.id}/?rev={now}")
    assert "Vous consultez la version" not in asked.text and "Pour citer cette révision" in asked.text
    assert (
        parsed(asked.text).citation
        == client.get(f"/api/v1/notes/{note.id}/citation", params={"rev": now}).json()["text"]
    )
    assert parsed(asked.text).citation.endswith(f"https://praxis.example.org/n/{note.id}/?rev={now}.")


def test_a_revision_page_gives_one_date_in_its_meta_tags_coins_and_citation(client, session):
    _, note = _note(session)  # published 2024-10-30; its revisions are made today
    client.patch(
        f"/api/v1/notes/{note.id}", headers=token_for(client, "alice"), json={"base_revision": 1, "body": "Révisé."}
    )
    for style, cited in (("praxis", "(2024)."), ("apa", "(2024, 30 octobre).")):
        page = parsed(client.get(f"/n/{note.id}/?rev=1&style={style}").text)
        assert page.values("citation_publication_date") == ["2024/10/30"]
        assert page.values("DC.date") == ["2024-10-30"]
        assert dict(parse_qsl(page.coins[0]))["rft.date"] == "2024-10-30"
        assert cited in page.citation
    bib = client.get(f"/n/{note.id}/citation.bib?rev=1").text
    assert "  date         = {2024-10-30},\n" in bib


@one_database
def test_terms_carnets_and_bases_are_citable_on_their_pages(client, session):
    alice = make_user(session, "alice", name="Alice Rivard")
    term = make_note(session, alice, title="Chantier", kind="term", definition="Groupe de travail.")
    carnet = carnets.create(session=session, actor=alice, data=CarnetCreate(title="Récits de pratique"))
    base = bases.create(session=session, actor=alice, data=BaseCreate(title="Savoirs du réseau"))
    session.commit()
    definition = client.get("/def/chantier/?style=mla")
    assert definition.status_code == 200 and parsed(definition.text).citation.startswith(
        "Rivard, Alice. «\u00a0Chantier\u00a0». Praxis, "
    )
    assert term.id in parsed(definition.text).citation
    carnet_page = client.get(f"/c/{carnet.id}/")
    assert "Pour citer ce carnet" in carnet_page.text
    assert parsed(carnet_page.text).citation.startswith("Alice Rivard. (")
    assert parsed(carnet_page.text).values("citation_title") == ["Récits de pratique"]
    assert f'href="/c/{carnet.id}/citation.bib"' in carnet_page.text
    filtered = client.get(f"/c/{carnet.id}/?kind=note&q=atelier&style=apa")
    assert '<input type="hidden" name="kind" value="note">' in filtered.text  # the style form keeps the filters
    assert (
        '<input type="hidden" name="q" value="atelier">' in filtered.text and 'name="style" value=' not in filtered.text
    )
    base_page = client.get(f"/b/{base.id}/?style=chicago")
    assert "Pour citer cette base de connaissances" in base_page.text
    assert parsed(base_page.text).citation.startswith("Rivard, Alice. ")


def test_a_person_edits_how_they_are_cited_from_their_profile(app, session):
    alice = make_user(session, "alice", name="Gabriel García Márquez")
    browser = browser_for(app, session, alice)
    profile = browser.get("/u/alice/")
    assert "cité·e comme « Márquez, Gabriel García »" in profile.text and 'href="/u/alice/edit"' in profile.text
    form = browser.get("/u/alice/edit")
    assert form.status_code == 200
    saved = browser.post(
        "/u/alice/edit",
        data={
            "csrf_token": csrf_from(form.text, "/u/alice/edit"),
            "display_name": "Gabriel García Márquez",
            "family_name": "García Márquez",
            "given_name": "Gabriel",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert "cité·e comme « García Márquez, Gabriel »" in browser.get("/u/alice/").text
    wrong = browser.post(
        "/u/alice/edit", data={"csrf_token": csrf_from(form.text, "/u/alice/edit"), "display_name": ""}
    )
    assert wrong.status_code == 422 and "Nom affiché" in wrong.text
    other = browser_for(app, session, make_user(session, "bob"))
    assert other.get("/u/alice/edit").status_code == 403
    assert 'href="/u/alice/edit"' not in other.get("/u/alice/").text
