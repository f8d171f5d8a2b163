"""The editor without JavaScript: authors, readers and links named as people type them (a display
name, part of a title), the choices offered when several match, and links shown by title."""

import re
from html import unescape

from tests.conftest import one_database
from tests.factories import csrf_from, make_note, make_user, page_text, sign_in


def _value(html: str, name: str) -> str:
    """What a field of the editor holds, as the browser shows it."""
    found = re.search(rf'<textarea id="{name}" name="{name}"[^>]*>(.*?)</textarea>', html, re.S) or re.search(
        rf'<input id="{name}" name="{name}"[^>]*value="([^"]*)"', html
    )
    assert found, f"no field {name}"
    return unescape(found.group(1))


def _offered(html: str, group: str) -> list[str]:
    """The values of the radio buttons of a group of choices."""
    return [unescape(v) for v in re.findall(rf'<input type="radio" name="{group}" value="([^"]*)"', html)]


def _post(client, path: str, **fields: str):  # type: ignore[no-untyped-def]
    form = client.get(path).text
    data = {"body": "Du texte.", "csrf_token": csrf_from(form, path.split("?")[0]), **fields}
    if 'name="base_revision"' in form:
        data.setdefault("base_revision", re.search(r'name="base_revision" value="(\d+)"', form).group(1))  # type: ignore[union-attr]
    return client.post(path, data=data, follow_redirects=False)


@one_database
def test_authors_and_readers_are_named_by_username_or_display_name(client, session):
    make_user(session, "alice", name="Alice Rivard")
    make_user(session, "mgagnon", name="Maryse Gagnon")
    make_user(session, "ecote", name="Élise Côté")
    make_user(session, "adamour", name="Anne D’Amour")
    make_user(session, "mtremblay", name="Marie Tremblay")
    make_user(session, "mtroy", name="Marie Tremblay-Roy")
    sign_in(client, "alice")
    saved = _post(
        client,
        "/n/new",
        title="Nommés à la main",
        visibility="restricted",
        authors="alice, maryse gagnon; Marie Tremblay",  # display names, case ignored; the same name wins
        readers="ELISE COTE; d'amour",  # accents and apostrophes (' for ’) ignored, part of a name
    )
    assert saved.status_code == 303, page_text(saved.text)
    edit = client.get(saved.headers["location"] + "edit").text
    assert _value(edit, "authors") == "alice, mgagnon, mtremblay"  # invited under their usernames
    assert sorted(_value(edit, "readers").split(", ")) == ["adamour", "ecote"]


@one_database
def test_names_several_match_come_back_with_choices_and_what_was_typed(client, session):
    alice = make_user(session, "alice", name="Alice Rivard")
    make_user(session, "mgagnon", name="Maryse Gagnon")
    make_user(session, "mgervais", name="Maryse Gervais")
    veille = make_note(session, alice, title="Intelligence artificielle et partage de veille")
    shared = make_note(session, alice, title="Veille partagée des bibliothèques")
    make_note(session, alice, title="Culture Laval", kind="organisation")
    sign_in(client, "alice")
    typed = {
        "title": "Une note liée",
        "body": "Mon texte, gardé.",
        "authors": "alice, maryse",
        "links": "culture\nveille part",
    }
    refused = _post(client, "/n/new", **typed)
    assert refused.status_code == 422
    html = refused.text
    # Everything typed is kept; what is unclear is said, and the choices are at each field.
    assert [_value(html, name) for name in ("title", "body", "authors", "links")] == list(typed.values())
    said = page_text(html)
    assert "Plusieurs personnes correspondent à maryse. Choisissez la bonne sous le champ." in said
    assert "Plusieurs notes correspondent à veille part. Choisissez la bonne sous le champ." in said
    assert "Qui est « maryse » ?" in said and "Quelle note est « veille part » ?" in said
    assert _offered(html, "pick-authors-0") == ["mgagnon", "mgervais"]
    assert "Maryse Gervais" in said
    assert _offered(html, "pick-links-0") == [f"{shared.title} [{shared.id}]", f"{veille.title} [{veille.id}]"]
    assert html.index('id="links"') < html.index('id="pick-links-0"') < html.index('id="authors"')
    assert html.index('id="authors"') < html.index('id="pick-authors-0"')
    # "culture" names one note: taken, never offered.
    assert 'name="pick-links-1"' not in html

    # The choices picked take the place of the names they were offered for.
    saved = _post(
        client,
        "/n/new",
        **typed,
        **{
            "pick-authors-0": "mgervais",
            "pick-authors-0-typed": "maryse",
            "pick-links-0": f"{veille.title} [{veille.id}]",
            "pick-links-0-typed": "veille part",
        },
    )
    assert saved.status_code == 303, page_text(saved.text)
    note_id = saved.headers["location"].split("/")[2]
    note = client.get(f"/api/v1/notes/{note_id}").json()
    assert [n["title"] for n in note["links"]["notes"]] == [veille.title]
    assert [n["title"] for n in note["links"]["organisations"]] == ["Culture Laval"]
    assert _value(client.get(saved.headers["location"] + "edit").text, "authors") == "alice, mgervais"


@one_database
def test_a_name_nothing_matches_is_said_in_the_readers_language(client, session):
    make_user(session, "alice", name="Alice Rivard")
    sign_in(client, "alice")
    for lang, people, notes in (
        (
            "fr",
            "Aucune personne ne correspond à ces noms : Personne Inconnue.",
            "Aucune note ne correspond à ces liens : zzz.",
        ),
        ("en", "No one matches these names: Personne Inconnue.", "No note matches these links: zzz."),
    ):
        refused = _post(
            client, f"/n/new?lang={lang}", title="Rien", authors="alice, Personne Inconnue", links="zzz", readers=""
        )
        assert refused.status_code == 422
        said = page_text(refused.text)
        assert people in said and notes in said
        assert _value(refused.text, "authors") == "alice, Personne Inconnue" and _value(refused.text, "links") == "zzz"
        assert 'type="radio" name="pick-' not in refused.text


def test_the_links_field_names_notes_by_title_and_by_id_only_where_titles_are_shared(client, session):
    alice = make_user(session, "alice")
    bob = make_user(session, "bob")
    org = make_note(session, alice, title="Culture Laval", kind="organisation")
    twins = [make_note(session, alice, title="Chantier collectif") for _ in range(2)]
    mine = make_note(session, alice, title="Chantier naval")
    make_note(session, bob, title="Chantier naval", visibility="restricted")  # a title Alice cannot see
    links = [org.id, twins[1].id, mine.id]
    note = make_note(session, alice, title="Avec des liens", links=links)
    sign_in(client, "alice")
    edit = client.get(f"/n/{note.id}/edit").text
    assert _value(edit, "links") == f"Culture Laval\nChantier collectif [{twins[1].id}]\nChantier naval"
    # Saved as shown, the links stay the same notes.
    assert _post(client, f"/n/{note.id}/edit", title=note.title, links=_value(edit, "links")).status_code == 303
    api = client.get(f"/api/v1/notes/{note.id}").json()["links"]
    assert [n["id"] for n in api["organisations"] + api["notes"]] == [org.id, twins[1].id, mine.id]
    # A shared title typed alone is one of two notes: both are offered.
    refused = _post(client, f"/n/{note.id}/edit", title=note.title, links="chantier collectif")
    assert refused.status_code == 422
    assert sorted(_offered(refused.text, "pick-links-0")) == sorted(f"Chantier collectif [{t.id}]" for t in twins)
