"""The répertoire des organisations, the lexique, /def/{slug}/ and the link picker."""

import re
from html import unescape

from tests.factories import csrf_from, make_note, make_user, sign_in


def _text(html: str) -> str:
    html = re.sub(r"</?(a|span|strong|em|time|svg|path)\b[^>]*>", "", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_directory_is_alphabetical_filterable_by_region_and_paginated(client, session):
    alice = make_user(session)
    for i, (title, region) in enumerate(
        [("Zeta Culture", "Laval"), ("Alpha Musées", "Montréal"), ("Éditions Beta", "Laval")]
        + [(f"Org {n:02d}", "Outaouais") for n in range(30)]
    ):
        make_note(session, alice, title=title, kind="organisation", region=region, description=f"Description {i}")
    make_note(session, alice, title="Pas une organisation")
    page = _text(client.get("/organisations/").text)
    assert "33 organisations" in page and "Pas une organisation" not in page
    assert page.index("Alpha Musées") < page.index("Éditions Beta") < page.index("Org 00")
    assert "Laval 2" in page and "Outaouais 30" in page  # each region a link, with its count
    laval = _text(client.get("/organisations/?region=Laval").text)
    assert "2 organisations" in laval and "Zeta Culture" in laval and "Alpha Musées" not in laval
    assert "Org 29" in client.get("/organisations/?p=2").text and "Org 29" not in client.get("/organisations/").text


def test_the_lexique_files_accented_terms_under_their_letter(client, session):
    alice = make_user(session)
    for title in ("Écosystème numérique", "Chantier", "Cercle", "écriture", "2.0"):
        make_note(session, alice, kind="term", title=title, definition=f"Définition de {title}.")
    page = client.get("/lexique/")
    text = _text(page.text)
    assert re.search(r"\bC Cercle Définition de Cercle\. Chantier", text)
    assert re.search(r"\bE Écosystème numérique .* écriture", text)  # "eco" before "ecr", accents folded
    letters = re.findall(r'href="/lexique/\?lettre=([^"]+)"', page.text)
    assert letters == ["C", "E", "%23"]
    only_e = _text(client.get("/lexique/?lettre=E").text)
    assert "Écosystème numérique" in only_e and "Chantier" not in only_e


def test_terms_answer_at_def_slug(client, session):
    alice = make_user(session)
    term = make_note(
        session,
        alice,
        kind="term",
        title="Communauté de pratique",
        definition="Un groupe qui apprend ensemble.",
        synonyms=["CoP"],
    )
    page = client.get("/def/communaute-de-pratique/")
    assert page.status_code == 200 and "Un groupe qui apprend ensemble." in page.text and "CoP" in page.text
    assert f'<link rel="canonical" href="https://praxis.example.org/n/{term.id}/?lang=fr">' in page.text
    assert client.get("/def/inexistant/").status_code == 404
    make_note(session, alice, kind="term", title="Secret", visibility="restricted")
    assert client.get("/def/secret/").status_code == 404


def test_organisation_and_term_pages_list_the_notes_that_mention_them(client, session):
    alice = make_user(session)
    org = make_note(
        session, alice, kind="organisation", title="Culture Laval", website="https://example.org", region="Laval"
    )
    term = make_note(session, alice, kind="term", title="Mutualisation")
    make_note(session, alice, title="Récit", body="Avec [[Culture Laval]] sur la [[mutualisation]].")
    org_page = _text(client.get(f"/n/{org.id}/").text)
    assert "Notes qui mentionnent cette organisation (1)" in org_page and "Récit" in org_page
    assert "Région Laval" in org_page and "Site web https://example.org" in org_page
    assert "Notes qui utilisent ce terme (1)" in _text(client.get(f"/n/{term.id}/").text)


def test_the_link_picker_takes_titles_or_ids_and_keeps_them(client, session):
    alice = make_user(session, "alice")
    org = make_note(session, alice, kind="organisation", title="Culture Laval")
    term = make_note(session, alice, kind="term", title="Chantier")
    sign_in(client, "alice")
    token = csrf_from(client.get("/n/new").text, "/n/new")
    created = client.post(
        "/n/new",
        data={"title": "Avec liens", "links": f"culture laval\n{term.id}", "csrf_token": token},
        follow_redirects=False,
    )
    note_url = created.headers["location"]
    page = _text(client.get(note_url).text)
    assert "Organisations (1) Culture Laval" in page and "Termes (1) Chantier" in page
    edit = client.get(note_url + "edit").text
    links = re.search(r'<textarea id="links" name="links"[^>]*>(.*?)</textarea>', edit, re.S).group(1)  # type: ignore[union-attr]
    assert unescape(links) == "Culture Laval\nChantier"  # by their titles, which name them alone
    assert org.id not in links and term.id not in links
    bad = client.post("/n/new", data={"title": "Lien brisé", "links": "Rien de tel", "csrf_token": token})
    assert bad.status_code == 422 and "Rien de tel" in bad.text and "Liens" in bad.text


def test_suggest_is_not_taken_for_a_note_id(client, session):
    make_note(session, make_user(session), title="Suggestion")
    assert client.get("/api/v1/notes/suggest?q=sug").json()[0]["title"] == "Suggestion"


def test_odd_region_values_never_break_the_page(client, session):
    alice = make_user(session)
    make_note(session, alice, title="Ilisaqsivik", kind="organisation", region="Nunavik – ᓄᓇᕕᒃ")
    page = client.get("/organisations/", params={"region": "Nunavik – ᓄᓇᕕᒃ"})
    assert page.status_code == 200 and "Ilisaqsivik" in page.text and page.headers["link"].isascii()
    assert client.get("/organisations/", params={"region": "a\nb"}).status_code == 200
    assert client.get("/organisations/", params={"region": "a\x00b"}).status_code == 422
    assert client.get("/def/a%00b/").status_code == 404


def test_the_hash_letter_lists_titles_that_start_with_no_letter(client, session):
    alice = make_user(session)
    for title in ("1er mai", "Écosystème", "Œuvre"):
        make_note(session, alice, kind="term", title=title)
    hash_page = _text(client.get("/lexique/?lettre=%23").text)
    assert "1er mai" in hash_page and "Écosystème" not in hash_page and "Œuvre" not in hash_page
    assert "Œuvre" in _text(client.get("/lexique/?lettre=O").text)


def test_emptied_details_are_cleared_by_the_form(client, session):
    alice = make_user(session, "alice")
    org = make_note(
        session, alice, kind="organisation", title="Org", website="https://e.org", region="Laval", description="Desc"
    )
    sign_in(client, "alice")
    token = csrf_from(client.get(f"/n/{org.id}/edit").text, f"/n/{org.id}/edit")
    client.post(
        f"/n/{org.id}/edit",
        data={
            "title": "Org",
            "kind": "organisation",
            "base_revision": "1",
            "website": "",
            "region": "",
            "description": "",
            "csrf_token": token,
        },
    )
    after = client.get(f"/api/v1/notes/{org.id}").json()
    assert (after["website"], after["region"], after["description"], after["revision"]) == (None, None, None, 2)
