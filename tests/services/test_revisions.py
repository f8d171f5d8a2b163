"""Revision history: listing, reading, comparing and restoring."""

import pytest
from sqlmodel import select

from praxis import i18n
from praxis.models import Revision

from praxis.errors import NotFound
from praxis.schemas import NoteUpdate
from praxis.notes import notes as note_service
from praxis.notes import revisions as revision_service
from tests.factories import accept_invitations, make_note, make_user


def _edit(session, actor, note_id, base, **fields):
    note = note_service.save_note(
        session=session, actor=actor, note_id=note_id, data=NoteUpdate(base_revision=base, **fields)
    )
    session.commit()
    return note


def test_history_lists_every_revision_newest_first_with_editor_and_summary(session):
    alice, bob = make_user(session, "alice", name="Alice Rivard"), make_user(session, "bob")
    note = make_note(session, alice, summary="Première version")
    _edit(session, alice, note.id, 1, body="Deux", authors=["alice", "bob"])
    accept_invitations(session, note.id)  # bob accepts: revision 3
    _edit(session, bob, note.id, 3, body="Trois", summary="Correction")
    history = revision_service.list_revisions(session=session, actor=None, note_id=note.id)
    assert [(r.number, r.editor, r.summary) for r in history] == [
        (4, "bob", "Correction"),
        (3, "bob", "Bob accepte de co-signer"),
        (2, "alice", None),
        (1, "alice", "Première version"),
    ]
    assert history[3].editor_name == "Alice Rivard"


def test_the_summaries_praxis_writes_are_stored_in_french_and_read_in_the_readers_language(session):
    alice, bob = make_user(session, "alice", name="Alice Rivard"), make_user(session, "bob", name="Bob Roy")
    note = make_note(session, alice, summary="Restauration de la révision 2 (à la main)")
    _edit(session, alice, note.id, 1, body="Deux", authors=["alice", "bob"])
    accept_invitations(session, note.id)  # "Bob Roy accepte de co-signer", as every revision written so far
    revision_service.restore_revision(session=session, actor=alice, note_id=note.id, number=2)
    session.commit()
    stored = session.exec(select(Revision.summary).where(Revision.note_id == note.id).order_by(Revision.number)).all()
    assert stored[2:] == ["Bob Roy accepte de co-signer", "Restauration de la révision 2"]

    def shown() -> list[tuple[str | None, bool]]:
        history = revision_service.list_revisions(session=session, actor=alice, note_id=note.id)
        return [(r.summary, r.generated_summary) for r in history]

    assert shown() == [
        ("Restauration de la révision 2", True),
        ("Bob Roy accepte de co-signer", True),
        (None, False),
        ("Restauration de la révision 2 (à la main)", False),  # what someone wrote, as written
    ]
    with i18n.using("en"):
        assert shown()[:2] == [("Revision 2 restored", True), ("Bob Roy agrees to co-sign", True)]
        assert shown()[3] == ("Restauration de la révision 2 (à la main)", False)
        one = revision_service.get_revision(session=session, actor=alice, note_id=note.id, number=4)
        assert (one.summary, one.generated_summary) == ("Revision 2 restored", True)


def test_each_revision_is_readable_on_its_own(session):
    alice = make_user(session)
    note = make_note(session, alice, title="Avant", body="*ancien*")
    _edit(session, alice, note.id, 1, title="Après", body="nouveau", visibility="restricted")
    first = revision_service.get_revision(session=session, actor=alice, note_id=note.id, number=1)
    assert first.title == "Avant" and "<em>ancien</em>" in first.html and first.meta["visibility"] == "public"
    assert first.url.endswith(f"/n/{note.id}/?rev=1")
    with pytest.raises(NotFound):
        revision_service.get_revision(session=session, actor=alice, note_id=note.id, number=9)


def test_history_follows_the_note_permissions(session):
    alice = make_user(session)
    note = make_note(session, alice, visibility="restricted")
    with pytest.raises(NotFound):
        revision_service.list_revisions(session=session, actor=None, note_id=note.id)
    with pytest.raises(NotFound):
        revision_service.diff_revisions(session=session, actor=None, note_id=note.id, from_=1, to=1)


def test_diff_is_word_level_for_the_body_and_field_level_for_metadata(session):
    alice, _bob = make_user(session, "alice"), make_user(session, "bob", password=None)  # no login: named at once
    note = make_note(session, alice, title="Chantier", body="Le chantier est ouvert à tous.")
    _edit(
        session,
        alice,
        note.id,
        1,
        title="Chantiers",
        body="Le chantier est fermé à tous.",
        licence="CC-BY-4.0",
        authors=["alice", "bob"],
    )
    change = revision_service.diff_revisions(session=session, actor=None, note_id=note.id, from_=1, to=2)
    fields = {f.field: (f.before, f.after) for f in change.fields}
    assert fields == {
        "title": ("Chantier", "Chantiers"),
        "licence": ("CC-BY-SA-4.0", "CC-BY-4.0"),
        "authors": (["alice"], ["alice", "bob"]),
    }
    assert [(s.op, s.text) for s in change.body if s.op != "equal"] == [("delete", "ouvert"), ("insert", "fermé")]


def test_restore_creates_a_new_revision_equal_to_the_old_one(session):
    alice, _bob = make_user(session, "alice"), make_user(session, "bob")
    note = make_note(session, alice, title="Original", body="Texte original", licence="CC0-1.0")
    _edit(session, alice, note.id, 1, title="Abîmé", body="Texte abîmé", licence="CC-BY-4.0", authors=["bob", "alice"])
    restored = revision_service.restore_revision(session=session, actor=alice, note_id=note.id, number=1)
    session.commit()
    assert restored.revision == 3
    assert (restored.title, restored.body, restored.licence) == ("Original", "Texte original", "CC0-1.0")
    assert [a.username for a in restored.authors] == ["alice"]
    history = revision_service.list_revisions(session=session, actor=alice, note_id=note.id)
    assert history[0].summary == "Restauration de la révision 1"
    diff = revision_service.diff_revisions(session=session, actor=alice, note_id=note.id, from_=1, to=3)
    assert diff.fields == [] and all(s.op == "equal" for s in diff.body)
