"""Other names (aliases), keywords and kept front matter: what a person writes, reads, finds,
filters by, links to, and what export and import keep (issue 25)."""

from __future__ import annotations

import frontmatter
import pytest

from praxis import policy
from praxis.models import Revision
from praxis.notes import links
from praxis.notes import notes as note_service
from praxis.notes.directory import suggest
from praxis.people import accounts
from praxis.schemas import NoteQuery, NoteUpdate
from praxis.transfer import exporting, folders
from sqlmodel import select
from tests.factories import make_note, make_user

API = "/api/v1"


@pytest.fixture
def alice(session):
    user = make_user(session, "alice", name="Alice Rivard", password=None)
    session.commit()
    return user


@pytest.fixture
def alice_token(session, alice):
    token = accounts.issue_token(session=session, user=alice, kind="api").token
    session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_a_note_written_with_other_names_and_keywords_reads_them_back(client, alice_token):
    created = client.post(
        f"{API}/notes",
        json={
            "title": "Grille d’analyse",
            "body": "Une grille.",
            "aliases": ["Grille", " grille ", "Analysis grid"],
            "keywords": ["méthode", "Méthode", "évaluation"],
        },
        headers=alice_token,
    )
    assert created.status_code == 201, created.text
    note = client.get(f"{API}/notes/{created.json()['id']}").json()
    assert note["aliases"] == ["Grille", "Analysis grid"]  # once each, case ignored
    assert note["keywords"] == ["méthode", "évaluation"]
    assert note["properties"] == {}


def test_changing_the_keywords_is_a_new_revision_and_the_old_one_keeps_them(client, alice_token):
    note = client.post(f"{API}/notes", json={"title": "Atelier", "keywords": ["atelier"]}, headers=alice_token).json()
    changed = client.patch(
        f"{API}/notes/{note['id']}",
        json={"base_revision": 1, "keywords": ["atelier", "formation"]},
        headers=alice_token,
    )
    assert changed.status_code == 200 and changed.json()["revision"] == 2
    assert changed.json()["keywords"] == ["atelier", "formation"]
    first = client.get(f"{API}/notes/{note['id']}/revisions/1").json()
    assert first["meta"]["keywords"] == ["atelier"]
    diff = client.get(f"{API}/notes/{note['id']}/diff", params={"from": 1, "to": 2}).json()
    assert {"field": "keywords", "before": ["atelier"], "after": ["atelier", "formation"]} in diff["fields"]
    restored = client.post(f"{API}/notes/{note['id']}/revisions/1/restore", json={}, headers=alice_token)
    assert restored.status_code == 200 and restored.json()["keywords"] == ["atelier"]


def test_a_title_only_change_keeps_the_aliases(session, alice):
    note = make_note(session, alice, title="Coopérative", aliases=["Coop"])
    saved = note_service.save_note(
        session=session, actor=alice, note_id=note.id, data=NoteUpdate(base_revision=1, title="Coopératives")
    )
    session.commit()
    assert saved.aliases == ["Coop"]


def test_a_wikilink_to_another_name_leads_to_the_note(session, alice):
    target = make_note(session, alice, title="Grille d’analyse", aliases=["Grille", "Analysis grid"])
    linking = make_note(session, alice, title="Méthode", body="Voir [[grille]] et [[Analysis Grid|la grille]].")
    assert f'href="/n/{target.id}/"' in linking.html and "wikilink-new" not in linking.html
    assert [ref.id for ref in note_service.get_note(session=session, actor=None, note_id=target.id).backlinks] == [
        linking.id
    ]


def test_a_title_wins_over_another_notes_alias(session, alice):
    make_note(session, alice, title="Ancienne", aliases=["Budget"])
    budget = make_note(session, alice, title="Budget")
    linking = make_note(session, alice, title="Lien", body="[[Budget]]")
    assert f'href="/n/{budget.id}/"' in linking.html


def test_a_wikilink_written_before_the_alias_existed_finds_the_note_once_it_has_it(session, alice):
    linking = make_note(session, alice, title="Avant", body="Voir [[La coop]].")
    assert "wikilink-new" in linking.html
    target = make_note(session, alice, title="Coopérative du quartier")
    note_service.save_note(
        session=session, actor=alice, note_id=target.id, data=NoteUpdate(base_revision=1, aliases=["La coop"])
    )
    session.commit()
    again = note_service.get_note(session=session, actor=None, note_id=linking.id)
    assert f'href="/n/{target.id}/"' in again.html


def test_suggestions_find_a_note_by_its_other_names_apostrophes_alike(session, alice):
    note = make_note(session, alice, title="Méthodologie", aliases=["Grille d’analyse"])
    make_note(session, alice, title="Autre chose")
    for typed in ("grille d'analyse", "analyse", "GRILLE"):
        assert [s.id for s in suggest(session=session, actor=None, q=typed)] == [note.id], typed


def test_notes_are_filtered_by_keyword_in_the_api_and_the_list(client, session, alice):
    tagged = make_note(session, alice, title="Tagué", keywords=["Économie sociale"])
    make_note(session, alice, title="Sans mot-clé")
    page = note_service.list_notes(session=session, actor=None, query=NoteQuery(keyword="economie sociale"))
    assert [n.id for n in page.items] == [tagged.id]
    api = client.get(f"{API}/notes", params={"keyword": "ÉCONOMIE SOCIALE"}).json()
    assert [n["id"] for n in api["items"]] == [tagged.id]
    html = client.get("/notes/", params={"keyword": "Économie sociale"}).text
    assert "Tagué" in html and "Sans mot-clé" not in html and "Mot-clé : Économie sociale" in html


def test_the_note_page_shows_its_keywords_as_filters_and_its_other_names(client, session, alice):
    note = make_note(session, alice, title="Atelier", aliases=["Workshop"], keywords=["formation"])
    html = client.get(f"/n/{note.id}/").text
    assert 'href="/notes/?keyword=formation"' in html and "#formation" in html
    assert "Autres noms : Workshop" in html
    english = client.get(f"/n/{note.id}/?lang=en").text
    assert "Also known as: Workshop" in english


def test_the_editor_shows_and_saves_other_names_and_keywords(app, session, alice):
    from tests.factories import browser_for, csrf_from

    note = make_note(session, alice, title="Atelier", aliases=["Workshop"], keywords=["formation", "atelier"])
    with browser_for(app, session, alice) as browser:
        form = browser.get(f"/n/{note.id}/edit").text
        assert 'name="aliases" value="Workshop"' in form and 'name="keywords" value="formation, atelier"' in form
        assert "Autres noms (séparés par des virgules)" in form and "Mots-clés (séparés par des virgules)" in form
        saved = browser.post(
            f"/n/{note.id}/edit",
            data={
                "title": "Atelier",
                "body": note.body,
                "base_revision": "1",
                "aliases": "Workshop, Atelier d’écriture",
                "keywords": "",
                "csrf_token": csrf_from(form, f"/n/{note.id}/edit"),
            },
            follow_redirects=False,
        )
        assert saved.status_code == 303, saved.text
    read = note_service.get_note(session=session, actor=None, note_id=note.id)
    assert read.aliases == ["Workshop", "Atelier d’écriture"] and read.keywords == []  # an emptied field clears them


def test_keywords_and_other_names_are_searchable(client, session, alice):
    note = make_note(
        session, alice, title="Atelier", body="Rien d'autre.", keywords=["permaculture"], aliases=["Jardin partagé"]
    )
    found = client.get(f"{API}/search", params={"q": "permaculture"}).json()
    assert [i["id"] for i in found["items"]] == [note.id]
    found = client.get(f"{API}/search", params={"q": "jardin"}).json()
    assert [i["id"] for i in found["items"]] == [note.id]


def test_export_writes_aliases_tags_and_kept_keys_and_import_reads_them(session, tmp_path, alice):
    source = tmp_path / "in"
    source.mkdir()
    (source / "note.md").write_text(
        "---\ntitle: Atelier\nauthors: [Alice Rivard]\naliases: Workshop\ntags: [formation, '#atelier']\n"
        "permalink: /ateliers/\ncssclasses: [large]\nrating: 4\nseen: 2024-05-01\n---\nLe texte.\n",
        encoding="utf-8",
    )
    folders.import_path(session=session, path=source)
    session.commit()
    note = note_service.list_notes(session=session, actor=None, query=NoteQuery()).items[0]
    read = note_service.get_note(session=session, actor=None, note_id=note.id)
    assert read.aliases == ["Workshop"] and read.keywords == ["formation", "atelier"]
    assert read.properties == {"permalink": "/ateliers/", "cssclasses": ["large"], "rating": 4, "seen": "2024-05-01"}
    out = tmp_path / "out"
    exporting.export_path(session=session, path=out, actor=policy.SYSTEM)
    meta = frontmatter.loads((out / "notes" / "atelier.md").read_text(encoding="utf-8")).metadata
    assert meta["aliases"] == ["Workshop"] and meta["tags"] == ["formation", "atelier"]
    assert meta["permalink"] == "/ateliers/" and meta["rating"] == 4 and meta["cssclasses"] == ["large"]
    again = folders.import_path(session=session, path=out)
    session.commit()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    rev = session.exec(select(Revision).where(Revision.note_id == note.id)).one()
    assert rev.meta["properties"]["permalink"] == "/ateliers/"


def test_resolving_by_alias_is_one_query_for_every_name(session, alice):
    make_note(session, alice, title="A", aliases=["Un"])
    make_note(session, alice, title="B", aliases=["Deux"])
    found = links.resolver(session)(["un", "deux", "trois"])
    assert sorted(hit.title for hit in found.values()) == ["A", "B"]
