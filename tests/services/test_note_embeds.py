"""`![[Note]]` embeds through the note service and the pages: another note's text, section or
block in place, for readers who may read it, and for others exactly as a missing note."""

from __future__ import annotations

import re

from praxis.markdown import render
from praxis.notes import notes as note_service
from praxis.notes import revisions as revision_service
from praxis.notes import writing
from praxis.schemas import NoteUpdate, PreviewRequest
from tests.factories import make_note, make_user, token_for

GUIDE = (
    "Le guide commence ici.\n\n"
    "## Étape 1\n\nPréparer le terrain. ^prep\n\n### Détail\n\nUn détail de l’étape 1.\n\n"
    "## Étape 2\n\nRécolter."
)


def embeds(html: str) -> list[str]:
    """The texts of the embeds of a rendering, as one line of words each (markup aside)."""
    found = re.findall(r'<blockquote class="embed">(.*?)</blockquote>', html, re.DOTALL)
    return [" ".join(re.sub(r"<[^>]+>", " ", part).split()) for part in found]


def test_a_whole_note_a_section_and_a_block_are_shown_in_place(session):
    alice, bob = make_user(session, "alice"), make_user(session, "bob")
    guide = make_note(session, alice, title="Guide", body=GUIDE)
    source = make_note(
        session, alice, title="Source", body="Avant.\n\n![[Guide]]\n\nPuis ![[Guide#Étape 1]] et ![[guide#^prep]] fin."
    )
    html = note_service.get_note(session=session, actor=bob, note_id=source.id).html
    assert embeds(html) == [
        "Guide Le guide commence ici. Étape 1 Préparer le terrain. Détail Un détail de l’étape 1. Étape 2 Récolter.",
        "Guide Étape 1 Préparer le terrain. Détail Un détail de l’étape 1.",
        "Guide Préparer le terrain.",
    ]
    # Framed by the note's title, a link to it (to the section); text around them in paragraphs.
    assert f'<p class="embed-source"><a class="wikilink kind-note" href="/n/{guide.id}/#%C3%A9tape-1"' in html
    assert "<p>Puis</p>" in html and "<p>fin.</p>" in html
    # The embedded headings and blocks keep no id: the page's own anchors and contents are its own.
    assert 'id="étape-1"' not in html and 'id="^prep"' not in html
    # Embeds are links: the source links to the guide, the guide is linked back.
    assert [n.id for n in source.links.notes] == [guide.id]
    assert [b.id for b in note_service.get_note(session=session, actor=bob, note_id=guide.id).backlinks] == [source.id]


def test_an_embed_shows_the_embedded_notes_current_text(session):
    alice = make_user(session, "alice")
    guide = make_note(session, alice, title="Guide", body="Première version.")
    source = make_note(session, alice, title="Source", body="![[Guide]]")
    note_service.save_note(
        session=session, actor=alice, note_id=guide.id, data=NoteUpdate(base_revision=1, body="Seconde version.")
    )
    session.commit()
    assert embeds(note_service.get_note(session=session, actor=None, note_id=source.id).html) == [
        "Guide Seconde version."
    ]


def test_a_note_embedded_by_its_id_and_a_note_created_after_its_embed(session):
    alice = make_user(session, "alice")
    guide = make_note(session, alice, title="Guide", body=GUIDE)
    early = make_note(session, alice, title="Tôt", body="![[Plan d’action]]")
    assert "wikilink-new" in early.html and "embed" not in early.html  # a "create this note" link
    source = make_note(session, alice, title="Source", body=f"![[{guide.id}#Étape 2]]")
    assert embeds(source.html) == ["Guide Étape 2 Récolter."]
    plan = make_note(session, alice, title="Plan d’action", body="Agir.")
    assert embeds(note_service.get_note(session=session, actor=None, note_id=early.id).html) == ["Plan d’action Agir."]
    assert [n.id for n in note_service.get_note(session=session, actor=None, note_id=early.id).links.notes] == [plan.id]


def test_a_hidden_note_embeds_exactly_as_a_missing_one(session, client):
    alice, bob = make_user(session, "alice"), make_user(session, "bob")
    secret = make_note(session, alice, title="Carnet secret", body="Le code est zanzibar.", visibility="restricted")
    body = f"Public.\n\n![[Carnet secret]] et ![[{secret.id}#Code]]"
    source = make_note(session, alice, title="Source", body=body)
    missing = render(body).html  # no note of that title or id: "create this note" links
    for viewer in (None, bob):
        html = note_service.get_note(session=session, actor=viewer, note_id=source.id).html
        assert html == missing
        assert "zanzibar" not in html
        revision = revision_service.get_revision(session=session, actor=viewer, note_id=source.id, number=1)
        assert revision.html == missing
    session.rollback()  # reading began a transaction: let the site's requests write
    # Through the page, the API and the feed, a visitor learns nothing of it.
    for path in (f"/n/{source.id}/", f"/api/v1/notes/{source.id}", f"/n/{source.id}/?rev=1", "/feed.atom"):
        shown = client.get(path).text
        assert "zanzibar" not in shown and "embed-slot" not in shown, path
    assert client.get(f"/api/v1/notes/{source.id}").json()["html"] == missing
    # Its author reads it, on the page and in the API.
    alice_h = token_for(client, "alice")
    assert embeds(client.get(f"/api/v1/notes/{source.id}", headers=alice_h).json()["html"]) == [
        "Carnet secret Le code est zanzibar."
    ]
    assert "zanzibar" in note_service.get_note(session=session, actor=alice, note_id=source.id).html


def test_a_hidden_embed_falls_back_to_a_visible_note_of_that_title(session):
    alice, bob = make_user(session, "alice"), make_user(session, "bob")
    make_note(session, alice, title="Guide", body="Le guide caché.", visibility="restricted")
    shown = make_note(session, bob, title="Guide", body="Le guide public.")
    source = make_note(session, alice, title="Source", body="![[Guide]]")
    assert embeds(source.html) == ["Guide Le guide caché."]  # its author sees the one it was written to
    for viewer in (None, bob):
        html = note_service.get_note(session=session, actor=viewer, note_id=source.id).html
        assert embeds(html) == ["Guide Le guide public."] and f'href="/n/{shown.id}/"' in html


def test_embeds_do_not_loop_and_embedded_embeds_are_links(session):
    alice = make_user(session, "alice")
    first = make_note(session, alice, title="Premier", body="Texte premier.\n\n![[Second]]")
    second = make_note(session, alice, title="Second", body="Texte second.\n\n![[Premier]]")
    first = note_service.get_note(session=session, actor=None, note_id=first.id)
    assert embeds(first.html) == ["Second Texte second. Premier"]
    assert f'<p><a class="wikilink kind-note" href="/n/{first.id}/" data-target="Premier"' in first.html
    assert embeds(note_service.get_note(session=session, actor=None, note_id=second.id).html) == [
        "Premier Texte premier. Second"
    ]
    itself = make_note(session, alice, title="Moi-même", body="Début.")
    itself = note_service.save_note(
        session=session,
        actor=alice,
        note_id=itself.id,
        data=NoteUpdate(base_revision=1, body="Début.\n\n![[Moi-même]]"),
    )
    assert embeds(itself.html) == ["Moi-même Début. Moi-même"]


def test_a_section_the_note_does_not_have_is_a_link(session):
    alice = make_user(session, "alice")
    guide = make_note(session, alice, title="Guide", body=GUIDE)
    source = make_note(session, alice, title="Source", body="![[Guide#Étape 9]]")
    assert embeds(source.html) == []
    assert f'<p><a class="wikilink kind-note" href="/n/{guide.id}/#%C3%A9tape-9" data-target="Guide"' in source.html


def test_the_editors_preview_shows_embeds_and_names_the_notes_the_text_links(session):
    alice = make_user(session, "alice")
    guide = make_note(session, alice, title="Guide", body="Voir [[Autre]].")
    autre = make_note(session, alice, title="Autre")
    preview = writing.preview(session=session, actor=alice, data=PreviewRequest(body="![[Guide]]"))
    assert embeds(preview.html) == ["Guide Voir Autre ."]
    assert [n.id for n in preview.links.notes] == [guide.id] and autre.id not in [n.id for n in preview.links.notes]
    assert preview.missing == []


def test_the_embedding_note_is_not_found_by_the_embedded_text(session):
    from praxis.search.documents import load

    alice = make_user(session, "alice")
    make_note(session, alice, title="Guide", body="Le mot zanzibar.")
    source = make_note(session, alice, title="Source", body="![[Guide]]")
    (doc,), _gone = load(session, [source.id])
    assert "zanzibar" not in str(doc)
