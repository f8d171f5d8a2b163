"""What reference managers import, read by the tools researchers use: BibTeX files gathered
from several pages (bibtexparser, pybtex), and CSL-JSON against the CSL schema."""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
import jsonschema
import pybtex.database
import pytest

from praxis.schemas import BaseCreate, CarnetCreate
from praxis.people import accounts
from praxis.carnets import bases
from praxis.carnets import carnets
from tests.factories import make_note, make_user, token_for


def _organisation_with_two_reports(client, session):  # type: ignore[no-untyped-def]
    coop = make_user(session, "coop", name="Coopérative du Faubourg")
    client.patch("/api/v1/users/coop", headers=token_for(client, "coop"), json={"is_organisation": True})
    first = make_note(session, coop, title="Rapport annuel", published_at="2024-03-01T12:00:00Z")
    second = make_note(session, coop, title="Rapport d'activités", published_at="2024-11-15T12:00:00Z")
    return first, second


def _key(bib: str) -> str:
    return bib.split("{", 1)[1].split(",", 1)[0]


def test_two_notes_alike_in_author_year_and_first_word_get_two_keys_that_tools_read(client, session):
    first, second = _organisation_with_two_reports(client, session)
    one = client.get(f"/n/{first.id}/citation.bib").text
    two = client.get(f"/n/{second.id}/citation.bib").text
    assert _key(one).startswith("cooperative2024rapport-") and _key(two).startswith("cooperative2024rapport-")
    assert _key(one).lower() != _key(two).lower()  # BibTeX itself compares keys without case
    # One file with both, as a reference manager's export or a hand-made .bib gathers them.
    together = one + "\n" + two
    library = bibtexparser.parse_string(together)
    assert not library.failed_blocks and len(library.entries) == 2
    assert sorted(e["title"] for e in library.entries) == ["{Rapport annuel}", "{Rapport d'activités}"]
    assert len(pybtex.database.parse_string(together, "bibtex").entries) == 2  # raises on a repeated key


def test_a_key_never_changes_when_another_note_appears_and_every_page_has_its_own(client, session):
    first, second = _organisation_with_two_reports(client, session)
    before = _key(client.get(f"/n/{first.id}/citation.bib").text)
    # A third note alike in everything, then the same note's revision, carnet and base pages.
    writer = accounts.get_user(session, "coop")
    make_note(session, writer, title="Rapport annuel", published_at="2024-03-01T12:00:00Z")
    assert _key(client.get(f"/n/{first.id}/citation.bib").text) == before
    client.patch(
        f"/api/v1/notes/{first.id}", headers=token_for(client, "coop"), json={"base_revision": 1, "body": "Révisé."}
    )
    # A revision's permanent link: dated by its own day, and the same suffix with its number.
    revision = _key(client.get(f"/n/{first.id}/citation.bib?rev=1").text)
    assert revision.endswith(before.rsplit("-", 1)[1] + "-r1")
    carnet = carnets.create(session=session, actor=writer, data=CarnetCreate(title="Rapport"))
    base = bases.create(session=session, actor=writer, data=BaseCreate(title="Rapport"))
    session.commit()
    keys = {
        before,
        revision,
        _key(client.get(f"/n/{second.id}/citation.bib").text),
        _key(client.get(f"/c/{carnet.id}/citation.bib").text),
        _key(client.get(f"/b/{base.id}/citation.bib").text),
    }
    assert len(keys) == 5


def _csl_validator() -> jsonschema.Draft7Validator:
    # The CSL-JSON schema of the Citation Style Language project (CSL 1.0.2, MIT), kept in
    # tests/schemas/ (its README says where it comes from): an item allows no property outside its list.
    schema = json.loads((Path(__file__).parents[1] / "schemas" / "csl-data.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


@pytest.mark.parametrize("licence", ["CC-BY-4.0", "all-rights-reserved"])
def test_csl_json_is_valid_against_the_csl_schema_and_keeps_the_licence_in_its_note(client, session, licence):
    alice = make_user(session, "alice", name="Alice Rivard")
    note = make_note(session, alice, title="Chantier", licence=licence, published_at="2024-10-30T12:00:00Z")
    client.patch(
        f"/api/v1/notes/{note.id}", headers=token_for(client, "alice"), json={"base_revision": 1, "body": "Révisé."}
    )
    validator = _csl_validator()
    for path in (f"/n/{note.id}/citation.json", f"/n/{note.id}/citation.json?rev=1"):
        items = client.get(path).json()
        assert [e.message for e in validator.iter_errors(items)] == []
        assert items[0]["note"] == f"rights: {licence}"
        # Not blind: the same item with the `license` it once carried (no CSL variable) is refused.
        refused = [e.message for e in validator.iter_errors([{**items[0], "license": licence}])]
        assert refused == ["Additional properties are not allowed ('license' was unexpected)"]
    api = json.loads(client.get(f"/api/v1/notes/{note.id}/citation", params={"style": "csl-json"}).json()["text"])
    assert [e.message for e in validator.iter_errors(api)] == []
