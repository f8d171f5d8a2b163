"""Wikilinks as vaults write them, through the note service: fragments, apostrophes, NFD titles;
and comments, which no stored rendering nor search document holds."""

from sqlmodel import select

from praxis.models import NoteLink
from praxis.notes import notes as note_service
from praxis.schemas import NoteUpdate
from praxis.search.documents import load
from tests.factories import make_note, make_user


def test_a_wikilink_with_a_fragment_links_the_note_and_leads_to_its_section(session):
    alice, bob = make_user(session, "alice"), make_user(session, "bob")
    target = make_note(session, alice, title="Méthode", body="## Apprentissage supervisé\n\nUn paragraphe. ^clef")
    source = make_note(
        session, alice, title="Source", body="[[Méthode#Apprentissage supervisé]], [[méthode#^clef|ici]], [[#Plus bas]]"
    )
    assert f'<a class="wikilink kind-note" href="/n/{target.id}/#apprentissage-supervis%C3%A9"' in source.html
    assert f'<a class="wikilink kind-note" href="/n/{target.id}/#^clef" data-target="méthode"' in source.html
    assert 'href="#plus-bas"' in source.html
    assert 'id="apprentissage-supervisé"' in target.html and 'id="^clef"' in target.html
    assert [n.id for n in source.links.notes] == [target.id]
    assert [b.id for b in note_service.get_note(session=session, actor=bob, note_id=target.id).backlinks] == [source.id]
    rows = session.exec(select(NoteLink.target_title, NoteLink.target_key).where(NoteLink.source_id == source.id))
    assert sorted(rows.all()) == [("Méthode", "methode"), ("méthode", "methode")]


def test_a_hidden_target_with_a_fragment_falls_back_to_a_visible_note_keeping_the_section(session):
    alice, bob = make_user(session, "alice"), make_user(session, "bob")
    make_note(session, alice, title="Guide", visibility="restricted")
    shown = make_note(session, bob, title="Guide")
    source = make_note(session, alice, title="Source", body="[[Guide#Étape 2]]")
    for viewer in (None, bob):
        html = note_service.get_note(session=session, actor=viewer, note_id=source.id).html
        assert f'<a class="wikilink kind-note" href="/n/{shown.id}/#%C3%A9tape-2" data-target="Guide"' in html


def test_straight_and_typographic_apostrophes_reach_the_same_note(session):
    alice = make_user(session, "alice")
    typographic = make_note(session, alice, title="Grille d’analyse")
    straight = make_note(session, alice, title="L'économie sociale")
    source = make_note(session, alice, title="Source", body="[[Grille d'analyse]] et [[L’économie sociale#Histoire]]")
    assert f'href="/n/{typographic.id}/"' in source.html and f'href="/n/{straight.id}/#histoire"' in source.html
    assert "wikilink-new" not in source.html
    assert [b.id for b in note_service.get_note(session=session, actor=None, note_id=typographic.id).backlinks] == [
        source.id
    ]


def test_a_link_written_with_the_other_apostrophe_before_its_note_existed_is_adopted(session):
    alice = make_user(session, "alice")
    early = make_note(session, alice, title="Écrite tôt", body="Voir [[Plan d'action]].")
    assert "wikilink-new" in early.html
    target = make_note(session, alice, title="Plan d’action")
    early = note_service.get_note(session=session, actor=None, note_id=early.id)
    assert f'href="/n/{target.id}/"' in early.html and "wikilink-new" not in early.html


def test_a_title_written_decomposed_is_linked_by_its_composed_spelling(session):
    alice = make_user(session, "alice")
    target = make_note(session, alice, title="Me\u0301thode")  # as macOS file names write it
    source = make_note(session, alice, title="Source", body="[[Méthode]] et [[Me\u0301thode#E\u0301tape]]")
    assert source.html.count(f'href="/n/{target.id}/') == 2 and 'href="/n/' + target.id + '/#%C3%A9tape"' in source.html


def test_comments_reach_no_rendering_revision_nor_search_document(session):
    alice = make_user(session, "alice")
    body = "Texte public. %%note privée zanzibar%%\n\n%%\nBrouillon caché\n%%"
    note = make_note(session, alice, title="Avec commentaires", body=body)
    assert "zanzibar" not in note.html and "Brouillon" not in note.html and note.body == body
    note = note_service.save_note(
        session=session,
        actor=alice,
        note_id=note.id,
        data=NoteUpdate(base_revision=note.revision, body=body + "\n\nSuite. %%encore zanzibar%%"),
    )
    session.commit()
    assert "zanzibar" not in note.html and "Suite." in note.html
    (doc,), _gone = load(session, [note.id])
    assert doc.body == "Texte public. Suite." and "zanzibar" not in doc.extra
