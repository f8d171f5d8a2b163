"""The error page of a refusal: its title and sentence come from the kind of error raised, never
guessed from its status (a 409 is an edit conflict only when the error is one)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from praxis.errors import Conflict, StaleEdit
from praxis.i18n import N_
from tests.conftest import one_database
from tests.factories import page_text

pytestmark = one_database  # what a page says of an error: no SQL in it


def _raising(app, path: str, error: Exception):  # type: ignore[no-untyped-def]
    def refuse() -> None:
        raise error

    app.add_api_route(path, refuse, methods=["GET"])


def test_a_conflict_is_an_edit_conflict_only_when_it_is_one(app):
    # The search queue's refusal names nothing in the reader's words; a stale save is the one
    # conflict that says someone else changed the content.
    _raising(app, "/_test/busy", Conflict("Another process is writing to the search index; try again later."))
    _raising(app, "/_test/said", Conflict("Already there.", text=N_("Cette note est déjà dans ce carnet.")))
    _raising(app, "/_test/stale", StaleEdit("This note is at revision 3; your change was made from revision 2."))
    client = TestClient(app, base_url="https://testserver")
    for path, title, said in (
        (
            "/_test/busy",
            "Action impossible",
            "Cette action n'est pas possible dans l'état actuel des choses. Rien n'a été modifié.",
        ),
        ("/_test/said", "Action impossible", "Cette note est déjà dans ce carnet."),
        (
            "/_test/stale",
            "Conflit de modification",
            "Quelqu'un d'autre a modifié ce contenu entre-temps. Rien n'a été écrasé.",
        ),
    ):
        answer = client.get(path)
        assert answer.status_code == 409, path
        assert f"<title>{title}" in answer.text and said in page_text(answer.text), path
        if path != "/_test/stale":
            assert "Quelqu'un d'autre" not in page_text(answer.text), path
    english = client.get("/_test/busy?lang=en")
    assert "<title>Not possible" in english.text and "This cannot be done as things stand." in page_text(english.text)
    assert client.get("/_test/stale?lang=en").text.count("Edit conflict") >= 1
