"""A note's page tells where it stands (the carnet it is read from, with the base above it when
the reader came that way, and its neighbours there), shows no empty section, marks each link
of its text and of its comments with the kind of what it leads to; link previews are in tests/api/test_link_preview_api.py."""

import re

from tests.factories import make_note, make_user, page_text, token_for


def _world(client, session):  # type: ignore[no-untyped-def]
    """Alice's public carnet "Carnet des cercles" holds A, B and C in that order (B restricted to
    its authors); her restricted carnet "Carnet privé" holds C; the public base "Base des
    savoirs" gathers the public carnet, the restricted base "Base privée" too."""
    alice = make_user(session, "alice", name="Alice Rivard")
    headers = token_for(client, "alice")
    notes = {
        "A": make_note(session, alice, title="Première note", body="Un."),
        "B": make_note(session, alice, title="Note réservée", body="Deux.", visibility="restricted"),
        "C": make_note(session, alice, title="Troisième note", body="Trois."),
    }

    def made(path, json):  # type: ignore[no-untyped-def]
        answer = client.post(path, headers=headers, json=json)
        assert answer.status_code == 201, answer.text
        return answer.json().get("id")

    carnet = made("/api/v1/carnets", {"title": "Carnet des cercles"})
    hidden = made("/api/v1/carnets", {"title": "Carnet privé", "visibility": "restricted"})
    for key in ("A", "B", "C"):
        made(f"/api/v1/carnets/{carnet}/notes", {"note_id": notes[key].id})
    made(f"/api/v1/carnets/{hidden}/notes", {"note_id": notes["C"].id})
    base = made("/api/v1/bases", {"title": "Base des savoirs"})
    hidden_base = made("/api/v1/bases", {"title": "Base privée", "visibility": "restricted"})
    for b in (base, hidden_base):
        assert client.post(f"/api/v1/bases/{b}/carnets", headers=headers, json={"carnet_id": carnet}).status_code in (
            200,
            201,
        )
    return notes, carnet, hidden, base, hidden_base


def _breadcrumb(html: str) -> str:
    """The breadcrumb's steps, as "a › b › c" (the separators are drawn by the style sheet)."""
    start = html.find('class="breadcrumb"')
    if start < 0:
        return ""
    steps = re.findall(r"<li>(.*?)</li>", html[start : html.index("</nav>", start)], flags=re.DOTALL)
    return " › ".join(page_text(step) for step in steps)


def test_the_breadcrumb_and_neighbours_follow_the_way_the_reader_came(client, session):
    notes, carnet, hidden, base, hidden_base = _world(client, session)
    c = notes["C"].id
    # From the carnet, itself reached from the base: base › carnet › note, and the previous
    # note the visitor may see (B is hidden from them: A comes before C).
    came = client.get(f"/n/{c}/?carnet={carnet}&base={base}").text
    assert _breadcrumb(came) == "Base des savoirs › Carnet des cercles › Troisième note"
    assert f'href="/c/{carnet}/?base={base}"' in came
    assert f'rel="prev" href="/n/{notes["A"].id}/?carnet={carnet}&amp;base={base}"' in came
    assert "Note réservée" not in came and 'rel="next"' not in came
    # Without a way in: the note's first visible carnet, and no neighbours.
    plain = client.get(f"/n/{c}/").text
    assert _breadcrumb(plain) == "Carnet des cercles › Troisième note" and 'rel="prev"' not in plain
    # A carnet or a base the reader may not see, or that does not hold the note, or that is not
    # an id at all, is ignored exactly as if absent.
    for query in (f"?carnet={hidden}", "?carnet=inconnu", f"?carnet={carnet}&base={hidden_base}", "?base=x%00"):
        page = client.get(f"/n/{c}/{query}").text
        expected = plain if "carnet" not in query or carnet not in query else None
        if expected is not None:
            assert _breadcrumb(page) == _breadcrumb(plain) and 'rel="prev"' not in page, query
        else:
            assert _breadcrumb(page) == "Carnet des cercles › Troisième note" and "Base privée" not in page, query
    # The author sees the restricted note between A and C.
    from praxis.people.accounts import get_user
    from tests.factories import browser_for

    alice = browser_for(client.app, session, get_user(session, "alice"))
    mine = alice.get(f"/n/{c}/?carnet={carnet}").text
    assert f'rel="prev" href="/n/{notes["B"].id}/?carnet={carnet}"' in mine
    # A note in no carnet has no breadcrumb and no carnet line.
    alone = make_note(session, get_user(session, "alice"), title="Seule")
    page = client.get(f"/n/{alone.id}/").text
    assert 'class="breadcrumb"' not in page and "Cette note fait partie" not in page


def test_the_neighbours_follow_the_order_the_reader_browsed_the_carnet_in(client, session):
    alice = make_user(session, "alice", name="Alice Rivard")
    headers = token_for(client, "alice")
    carnet = client.post("/api/v1/carnets", headers=headers, json={"title": "Carnet des bêtes"}).json()["id"]
    zebra, bee, cat = (make_note(session, alice, title=t) for t in ("Zèbre", "Abeille", "Chat"))
    for note in (zebra, bee, cat):  # its own order (manual): Zèbre, Abeille, Chat
        client.post(f"/api/v1/carnets/{carnet}/notes", headers=headers, json={"note_id": note.id})
    own = client.get(f"/n/{bee.id}/?carnet={carnet}").text
    assert f'rel="prev" href="/n/{zebra.id}/?carnet={carnet}"' in own
    assert f'rel="next" href="/n/{cat.id}/?carnet={carnet}"' in own
    # Browsed by title, the carnet links its notes with that order, and they follow it.
    listing = client.get(f"/c/{carnet}/", params={"sort": "title"}).text
    assert f'href="/n/{bee.id}/?carnet={carnet}&amp;sort=title"' in listing
    by_title = client.get(f"/n/{bee.id}/?carnet={carnet}&sort=title").text
    assert 'rel="prev"' not in by_title  # Abeille comes first by title
    assert f'rel="next" href="/n/{cat.id}/?carnet={carnet}&amp;sort=title"' in by_title
    assert f'href="/c/{carnet}/?sort=title"' in by_title  # the breadcrumb goes back to that view
    # The carnet's own order is not written out; an unknown one is the carnet's own.
    assert f'href="/n/{bee.id}/?carnet={carnet}"' in client.get(f"/c/{carnet}/", params={"sort": "manual"}).text
    for odd in ("manual", "hasard", "title%00", ""):
        page = client.get(f"/n/{bee.id}/?carnet={carnet}&sort={odd}")
        assert page.status_code == 200 and f'rel="prev" href="/n/{zebra.id}/?carnet={carnet}"' in page.text, odd


def test_the_carnet_line_stands_at_the_top_with_the_counts(client, session):
    notes, carnet, hidden, base, hidden_base = _world(client, session)
    html = client.get(f"/n/{notes['A'].id}/").text
    # The visitor sees two of the carnet's three notes.
    assert "Cette note fait partie du carnet Carnet des cercles (2 notes)" in page_text(html)
    assert html.index('class="in-carnet"') < html.index('id="note-body"')


def test_no_empty_section_and_no_title_listed_twice(client, session):
    alice = make_user(session, "alice", name="Alice Rivard")
    lonely = make_note(session, alice, title="Sans lien", body="Rien à relier.")
    page = client.get(f"/n/{lonely.id}/").text
    for absent in ("Cette note renvoie à", "Notes qui renvoient ici", 'class="note-side"', "Sommaire"):
        assert absent not in page, absent
    # Two notes that link to each other: each lists the other once, marked as linking back.
    one = make_note(session, alice, title="Aller", body="Vers [[Retour]].")
    other = make_note(session, alice, title="Retour", body="Vers [[Aller]].")
    three = make_note(session, alice, title="Tiers", body="Vers [[Retour]] aussi.")
    text = page_text(client.get(f"/n/{other.id}/").text)
    links = text[text.index("Cette note renvoie à") :]
    assert links.count("Aller") == 1 and "Renvoie aussi ici" in links
    assert "Notes qui renvoient ici (1) Tiers" in text
    # The marker is explained: a tooltip, words for screen readers, a legend line under the list.
    html = client.get(f"/n/{other.id}/").text
    assert '<span class="mutual" title="Renvoie aussi ici">' in html and "⇄ renvoie aussi ici" in links
    english = page_text(client.get(f"/n/{other.id}/?lang=en").text)
    assert "(Also links here)" in english and "⇄ also links here" in english
    assert "⇄" not in client.get(f"/n/{three.id}/").text  # no note linking both ways: no marker, no legend
    del one


def test_links_in_the_text_wear_the_kind_of_what_they_lead_to_and_never_of_a_hidden_note(client, session):
    alice = make_user(session, "alice", name="Alice Rivard")
    term = make_note(session, alice, title="Cercle", kind="term", definition="Un groupe de travail ouvert.")
    org = make_note(session, alice, title="Culture Laval", kind="organisation", region="Laval")
    secret = make_note(session, alice, title="Secret", body="Caché.", visibility="restricted")
    note = make_note(session, alice, title="Liens", body="[[Cercle]], [[Culture Laval]] et [[Secret]].")
    page = client.get(f"/n/{note.id}/").text
    assert f'<a class="wikilink kind-term" href="/n/{term.id}/"' in page
    assert f'<a class="wikilink kind-organisation" href="/n/{org.id}/"' in page
    assert secret.id not in page and "wikilink-new" in page  # as a note that does not exist
    # A comment's links too, per reader: its author's rendering is shared, the kinds are not.
    alice_h = token_for(client, "alice")
    said = client.post(f"/api/v1/notes/{note.id}/comments", headers=alice_h, json={"body": "[[Cercle]] et [[Secret]]."})
    assert said.status_code == 201 and f'class="wikilink kind-note" href="/n/{secret.id}/"' in said.json()["html"]
    page = client.get(f"/n/{note.id}/").text
    thread = page[page.index('id="discussion"') :]
    assert f'<a class="wikilink kind-term" href="/n/{term.id}/"' in thread
    assert secret.id not in page and '<a class="wikilink wikilink-new" href="/n/new?title=Secret"' in thread
