"""Text that XML and HTML cannot carry is refused on every way in: the API, the forms, the import.

One character of that kind once made every feed that showed it answer 500 ("All strings must be
XML compatible"); the rule is praxis.text's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from praxis.errors import Invalid
from praxis.transfer import exporting, folders
from tests.factories import browser_for, csrf_from, make_note, make_user, page_text, token_for

# A noncharacter, a C0 control, an escape sequence, a C1 control, a noncharacter of another plane.
BAD = {
    "a\uffffb": "U+FFFF",
    "a\x01b": "U+0001",
    "\x1b[31mrouge": "U+001B",
    "a\x85b": "U+0085",
    "a\U0001fffeb": "U+1FFFE",
}
HIDDEN = "Ce texte contient un caractère invisible qui ne peut pas être enregistré"


def test_the_rule_keeps_text_and_refuses_what_xml_and_html_cannot_carry():
    from praxis import text

    kept = "Tab\tligne\r\nsuite « é » 😀 \u00a0\u200b\ufffd \U0010fffd"
    assert text.first_forbidden(kept) is None and text.xml_safe(kept) == kept
    for bad, code in BAD.items():
        position, char = text.first_forbidden(bad)
        assert text.describe(position, char).startswith(code + " at position")
        assert text.first_forbidden(text.xml_safe(bad)) is None
    assert text.first_forbidden("\ud800") is not None and text.first_forbidden("\ufdd0") is not None


@pytest.fixture
def world(client, session):  # type: ignore[no-untyped-def]
    alice = make_user(session, "alice", name="Alice Rivard")
    make_user(session, "bob", name="Bob Tremblay")
    alice_h, bob_h = token_for(client, "alice"), token_for(client, "bob")
    note = make_note(session, alice, title="Note")
    carnet = client.post(
        "/api/v1/carnets",
        json={"title": "Carnet", "axes": [{"name": "Thème", "categories": ["Santé"]}]},
        headers=alice_h,
    ).json()
    base = client.post("/api/v1/bases", json={"title": "Base"}, headers=alice_h).json()["id"]
    comment = client.post(f"/api/v1/notes/{note.id}/comments", json={"body": "Bonjour"}, headers=bob_h).json()["id"]
    return {
        "alice": alice_h,
        "bob": bob_h,
        "note": note.id,
        "carnet": carnet["id"],
        "axis": carnet["axes"][0]["id"],
        "base": base,
        "comment": comment,
    }


def _api_ways(w: dict) -> list[tuple[str, str, str, object]]:
    """(who, method, path, body with S where the text goes) for every text field of the API."""
    note, carnet, base = w["note"], w["carnet"], w["base"]
    return [
        ("alice", "post", "/api/v1/notes", {"title": "S"}),
        ("alice", "post", "/api/v1/notes", {"title": "ok", "body": "S"}),
        ("alice", "post", "/api/v1/notes", {"title": "ok", "summary": "S"}),
        ("alice", "post", "/api/v1/notes", {"title": "ok", "kind": "term", "definition": "S"}),
        ("alice", "post", "/api/v1/notes", {"title": "ok", "kind": "term", "synonyms": ["S"]}),
        ("alice", "post", "/api/v1/notes", {"title": "ok", "kind": "organisation", "region": "S"}),
        ("alice", "post", "/api/v1/notes", {"title": "ok", "kind": "organisation", "description": "S"}),
        ("alice", "post", "/api/v1/notes", {"title": "ok", "kind": "organisation", "website": "https://exemple.org/S"}),
        ("alice", "patch", f"/api/v1/notes/{note}", {"base_revision": 1, "title": "S"}),
        ("alice", "patch", f"/api/v1/notes/{note}", {"base_revision": 1, "body": "S"}),
        ("alice", "post", f"/api/v1/notes/{note}/revisions/1/restore", {"summary": "S"}),
        ("alice", "post", "/api/v1/notes/preview", {"body": "S"}),
        ("bob", "post", f"/api/v1/notes/{note}/comments", {"body": "S"}),
        ("bob", "patch", f"/api/v1/comments/{w['comment']}", {"body": "S"}),
        ("alice", "post", f"/api/v1/comments/{w['comment']}/hide", {"reason": "S"}),
        ("bob", "post", f"/api/v1/notes/{note}/edit-requests", {"message": "S"}),
        ("bob", "post", f"/api/v1/notes/{note}/contact", {"subject": "S", "message": "Bonjour"}),
        ("bob", "post", f"/api/v1/notes/{note}/contact", {"subject": "Bonjour", "message": "S"}),
        ("alice", "post", "/api/v1/carnets", {"title": "S"}),
        ("alice", "post", "/api/v1/carnets", {"title": "ok", "description": "S"}),
        ("alice", "post", "/api/v1/carnets", {"title": "ok", "guide": "S"}),
        ("alice", "post", "/api/v1/carnets", {"title": "ok", "axes": [{"name": "S"}]}),
        ("alice", "post", "/api/v1/carnets", {"title": "ok", "axes": [{"name": "Axe", "categories": ["S"]}]}),
        ("alice", "patch", f"/api/v1/carnets/{carnet}", {"title": "S"}),
        ("alice", "patch", f"/api/v1/carnets/{carnet}", {"description": "S"}),
        ("alice", "post", f"/api/v1/carnets/{carnet}/axes", {"name": "S"}),
        ("alice", "post", f"/api/v1/carnets/{carnet}/axes/{w['axis']}/categories", {"name": "S"}),
        ("alice", "post", "/api/v1/bases", {"title": "S"}),
        ("alice", "post", "/api/v1/bases", {"title": "ok", "description": "S"}),
        ("alice", "patch", f"/api/v1/bases/{base}", {"title": "S"}),
        ("alice", "post", "/api/v1/communities", {"name": "S"}),
        ("alice", "post", "/api/v1/communities", {"name": "ok", "description": "S"}),
        ("alice", "patch", "/api/v1/users/alice", {"display_name": "S"}),
        ("alice", "patch", "/api/v1/users/alice", {"family_name": "S"}),
        (
            "",
            "post",
            "/api/v1/auth/register",
            {"username": "zoe", "password": "mot-de-passe-long", "display_name": "S"},
        ),
    ]


def _fill(value: object, text: str) -> object:
    if isinstance(value, str):
        return value.replace("S", text) if "S" in value and value in ("S", "https://exemple.org/S") else value
    if isinstance(value, list):
        return [_fill(v, text) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, text) for k, v in value.items()}
    return value


def test_every_text_field_of_the_api_refuses_what_xml_cannot_carry(client, world):
    wrong = []
    for who, method, path, body in _api_ways(world):
        for bad, code in BAD.items():
            response = client.request(method, path, json=_fill(body, bad), headers=world.get(who, {}))
            detail = response.json().get("detail") if response.status_code == 422 else None
            # Refused, naming the character (a website's pattern may refuse a control first).
            if not (isinstance(detail, list) and (code in str(detail) or "pattern" in str(detail))):
                wrong.append((method, path, body, ascii(bad), response.status_code, response.text[:200]))
    assert wrong == []
    # Nothing of it was kept: the feeds still read.
    for feed in (
        "/feed.atom",
        "/u/alice/feed.atom",
        f"/n/{world['note']}/discussion.atom",
        f"/c/{world['carnet']}/feed.atom",
    ):
        assert client.get(feed).status_code == 200, feed


def test_every_form_refuses_it_in_french(app, session, client):
    alice = make_user(session, "alice", name="Alice Rivard", password=None)
    note = make_note(session, alice, title="Note")
    # A note whose author has an inbox: its contact form is offered to Alice.
    reachable = make_note(session, make_user(session, "bob", name="Bob Tremblay"), title="Note de Bob")
    browser = browser_for(app, session, alice)
    token = csrf_from(browser.get("/n/new").text, "/n/new")
    made = browser.post("/c/", data={"title": "Carnet", "csrf_token": token}, follow_redirects=False)
    assert made.status_code == 303, made.text
    carnet = made.headers["location"].rstrip("/")  # /c/{id}
    forms = [
        (f"{carnet}/edit", {"title": "ok", "guide": "S"}),
        (f"{carnet}/axes", {"name": "S"}),
        (f"/n/{note.id}/edit-requests", {"message": "S"}),
        ("/n/new", {"title": "S", "body": "ok"}),
        ("/n/new", {"title": "ok", "body": "S"}),
        (f"/n/{note.id}/edit", {"title": "ok", "body": "S", "base_revision": "1"}),
        (f"/n/{note.id}/comments", {"body": "S"}),
        ("/u/alice/edit", {"display_name": "S"}),
        ("/c/", {"title": "S"}),
        ("/c/", {"title": "ok", "description": "S"}),
        ("/b/", {"title": "S"}),
        ("/communautes/", {"name": "S"}),
        (
            f"/n/{reachable.id}/contact",
            {"subject": "S", "message": "Bonjour", "name": "Jeanne", "email": "jeanne@exemple.org"},
        ),
    ]
    wrong = []
    for path, fields in forms:
        for bad in ("a\uffffb", "a\x01b"):
            response = browser.post(
                path,
                data={**{k: bad if v == "S" else v for k, v in fields.items()}, "csrf_token": token},
                follow_redirects=False,
            )
            # Small forms without a page of their own answer the error page, which names the field.
            shown = (
                HIDDEN
                if not path.endswith(("/axes", "/edit-requests"))
                else "Certaines données envoyées ne sont pas valides"
            )
            if response.status_code != 422 or shown not in page_text(response.text):
                wrong.append((path, fields, ascii(bad), response.status_code))
    assert wrong == []
    assert client.get("/feed.atom").status_code == 200


@pytest.mark.parametrize(
    ("front", "body", "field"),
    [
        ('title: "a\\uFFFFb"\nauthors: [Aline Poirier]\n', "corps", "title"),
        ("title: T\nauthors: [Aline Poirier]\n", "corps\x01", "body"),
        ('title: T\nauthors: ["Aline\\x1B[31mPoirier"]\n', "corps", "authors"),
        ('title: T\nauthors: ["Aline\\x85Poirier"]\n', "corps", "authors"),  # U+0085 counts as a space to str.split
        ('title: T\nauthors: [{username: aline, name: "Aline\\uFFFEPoirier"}]\n', "corps", "authors"),
        ('title: T\nkind: term\nsynonyms: ["a\\x85b"]\nauthors: [A]\n', "corps", "synonyms"),
    ],
)
def test_import_refuses_it_naming_the_file_and_the_field(session, tmp_path: Path, front, body, field):
    note = tmp_path / "note.md"
    note.write_text(f"---\n{front}---\n{body}\n", encoding="utf-8")
    with pytest.raises(Invalid) as err:
        folders.import_path(session=session, path=note)
    assert "note.md" in err.value.message and field in err.value.message


def test_import_of_a_carnet_refuses_it_too(session, tmp_path: Path):
    carnet = tmp_path / "carnets" / "veille.md"
    carnet.parent.mkdir()
    carnet.write_text(
        '---\nid: veille01\nkind: carnet\ntitle: "Veille\\uFFFF"\nmanagers: [Aline Poirier]\n---\nDescription\n',
        encoding="utf-8",
    )
    with pytest.raises(Invalid) as err:
        folders.import_path(session=session, path=tmp_path)
    assert "veille.md" in err.value.message and "title" in err.value.message


def test_an_export_of_text_stored_before_the_rule_imports_again(session, settings, second_site, tmp_path: Path):
    import sqlalchemy as sa

    from praxis.db import session_scope
    from praxis.models import Note, User

    alice = make_user(session, "alice", name="Alice Rivard", password=None)
    note = make_note(session, alice, title="Chantier", body="Un chantier.")
    session.execute(
        sa.update(Note).where(Note.id == note.id).values(title="Chan\ufffftier", body="Un \x01chantier\x1b.")
    )
    session.execute(sa.update(User).where(User.username == "alice").values(display_name="Alice\x0c Rivard"))
    session.commit()
    exporting.export_path(session=session, path=tmp_path / "export", actor=None)
    with session_scope(second_site, settings) as empty_site:
        report = folders.import_path(session=empty_site, path=tmp_path / "export")
        assert report.created == 1
        again = empty_site.get(Note, note.id)
        assert (again.title, again.body.strip()) == ("Chantier", "Un chantier.")
