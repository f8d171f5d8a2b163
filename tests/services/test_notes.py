"""The note service: writing, reading, listing, concurrency and deletion."""

import threading

import pytest
import sqlalchemy as sa
from sqlmodel import select

from praxis.db import new_session
from praxis.errors import Conflict, Forbidden, Invalid, NotFound, NotSignedIn
from praxis.models import Note, NoteLink, Revision
from praxis.schemas import NoteQuery, NoteUpdate
from praxis.notes import notes as note_service
from tests.factories import make_note, make_user


def test_creator_is_an_author_and_authors_keep_their_order(session):
    alice, bob, carole = make_user(session, "alice"), make_user(session, "bob"), make_user(session, "carole")
    note = make_note(session, alice, authors=["carole", "bob"])
    assert [a.username for a in note.authors] == ["alice", "carole", "bob"]
    note = make_note(session, bob, authors=["carole", "bob", "alice"])
    assert [a.username for a in note.authors] == ["carole", "bob", "alice"]
    assert carole.id


def test_new_note_has_revision_one_and_defaults(session):
    alice = make_user(session)
    note = make_note(session, alice)
    assert note.revision == 1 and note.kind == "note" and note.visibility == "public"
    assert note.licence == "CC-BY-SA-4.0" and note.licence_info.url.startswith(
        "https://creativecommons.org/licenses/by-sa/4.0"
    )
    assert note.published_at is not None and note.created_at == note.updated_at
    assert len(note.id) >= 10 and note.url == f"https://praxis.example.org/n/{note.id}/"
    assert "<strong>chantier</strong>" in note.html


def test_ids_are_random_not_sequential(session):
    alice = make_user(session)
    ids = {make_note(session, alice, title=f"Note {i}").id for i in range(5)}
    assert len(ids) == 5 and not any(i.isdigit() for i in ids)


def test_visitors_cannot_write(session):
    with pytest.raises(NotSignedIn):
        make_note(session, None)


def test_unknown_author_or_link_is_refused_naming_the_field(session):
    alice = make_user(session)
    with pytest.raises(Invalid) as err:
        make_note(session, alice, authors=["personne"])
    assert err.value.field == "authors" and "personne" in err.value.message
    with pytest.raises(Invalid) as err:
        make_note(session, alice, links=["inexistant"])
    assert err.value.field == "links"


def test_links_and_wikilinks_are_grouped_by_kind_with_backlinks(session):
    alice = make_user(session)
    org = make_note(session, alice, title="Culture Laval", kind="organisation")
    term = make_note(session, alice, title="Mutualisation", kind="term")
    other = make_note(session, alice, title="Cercles du réseau")
    note = make_note(
        session,
        alice,
        title="Récit",
        body="Avec [[culture laval]] et [[MUTUALISATION]] et [[Inconnue]].",
        links=[other.id],
    )
    assert [n.id for n in note.links.notes] == [other.id]
    assert [n.id for n in note.links.organisations] == [org.id]
    assert [n.id for n in note.links.terms] == [term.id]
    assert f'href="/n/{org.id}/"' in note.html and "wikilink-new" in note.html
    back = note_service.get_note(session=session, actor=None, note_id=org.id)
    assert [b.id for b in back.backlinks] == [note.id]
    dangling = session.exec(select(NoteLink).where(NoteLink.source_id == note.id, NoteLink.target_id.is_(None))).all()
    assert [d.target_title for d in dangling] == ["Inconnue"]


def test_wikilink_by_id_with_label(session):
    alice = make_user(session)
    target = make_note(session, alice, title="Cible")
    note = make_note(session, alice, body=f"Voir [[{target.id}|cette note-là]].")
    assert f'<a class="wikilink kind-note" href="/n/{target.id}/"' in note.html and "cette note-là</a>" in note.html
    assert [n.id for n in note.links.notes] == [target.id]


def test_update_writes_the_next_revision_with_a_metadata_snapshot(session):
    alice, bob = make_user(session, "alice"), make_user(session, "bob", password=None)  # no login: named at once
    note = make_note(session, alice)
    updated = note_service.save_note(
        session=session,
        actor=alice,
        note_id=note.id,
        data=NoteUpdate(
            base_revision=1, title="Nouveau titre", licence="CC0-1.0", authors=["alice", "bob"], summary="Titre"
        ),
    )
    session.commit()
    assert updated.revision == 2 and updated.title == "Nouveau titre" and updated.slug == "nouveau-titre"
    rev = session.exec(select(Revision).where(Revision.note_id == note.id, Revision.number == 2)).one()
    assert rev.summary == "Titre" and rev.editor_id == alice.id
    assert rev.meta["licence"] == "CC0-1.0" and rev.meta["authors"] == ["alice", "bob"]
    assert bob.id


def test_an_update_that_changes_nothing_writes_no_revision(session):
    alice = make_user(session)
    note = make_note(session, alice)
    same = note_service.save_note(
        session=session, actor=alice, note_id=note.id, data=NoteUpdate(base_revision=1, title=note.title)
    )
    assert same.revision == 1


def test_stale_base_revision_is_a_conflict_and_overwrites_nothing(session):
    alice = make_user(session)
    note = make_note(session, alice)
    note_service.save_note(
        session=session, actor=alice, note_id=note.id, data=NoteUpdate(base_revision=1, body="Deuxième")
    )
    session.commit()
    with pytest.raises(Conflict) as err:
        note_service.save_note(
            session=session, actor=alice, note_id=note.id, data=NoteUpdate(base_revision=1, body="Perdu?")
        )
    session.rollback()
    assert err.value.extra["current_revision"] == 2
    assert note_service.get_note(session=session, actor=alice, note_id=note.id).body == "Deuxième"


def test_two_racing_saves_from_the_same_revision_one_wins_one_conflicts(app, session):
    alice = make_user(session)
    note = make_note(session, alice)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    conflicts: list[Conflict] = []

    def save(text: str) -> None:
        with new_session(app.state.engine, app.state.settings, write=True) as s:
            barrier.wait()
            try:
                note_service.save_note(
                    session=s, actor=alice, note_id=note.id, data=NoteUpdate(base_revision=1, body=text)
                )
                s.commit()
                outcomes.append(text)
            except Conflict as exc:
                s.rollback()
                conflicts.append(exc)
                outcomes.append("conflict")

    threads = [threading.Thread(target=save, args=(t,)) for t in ("Version A", "Version B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(outcomes) == 2 and outcomes.count("conflict") == 1
    winner = next(o for o in outcomes if o != "conflict")
    session.expire_all()
    revs = session.exec(select(Revision).where(Revision.note_id == note.id)).all()
    assert sorted(r.number for r in revs) == [1, 2]
    assert note_service.get_note(session=session, actor=alice, note_id=note.id).body == winner
    # The loser is told what is there now.
    assert conflicts[0].extra["current_revision"] == 2 and conflicts[0].extra["current"]["body"] == winner


def test_only_authors_and_admins_edit(session):
    alice, bob, admin = make_user(session, "alice"), make_user(session, "bob"), make_user(session, "admin", admin=True)
    note = make_note(session, alice)
    with pytest.raises(Forbidden):
        note_service.save_note(session=session, actor=bob, note_id=note.id, data=NoteUpdate(base_revision=1, body="x"))
    with pytest.raises(NotSignedIn):
        note_service.save_note(session=session, actor=None, note_id=note.id, data=NoteUpdate(base_revision=1, body="x"))
    edited = note_service.save_note(
        session=session, actor=admin, note_id=note.id, data=NoteUpdate(base_revision=1, body="par l'admin")
    )
    assert edited.revision == 2


def test_restricted_notes_are_for_their_authors_and_admins(session):
    alice, bob, admin = make_user(session, "alice"), make_user(session, "bob"), make_user(session, "admin", admin=True)
    secret = make_note(session, alice, title="Entre nous", visibility="restricted")
    for viewer in (None, bob):
        with pytest.raises(NotFound):
            note_service.get_note(session=session, actor=viewer, note_id=secret.id)
        assert note_service.list_notes(session=session, actor=viewer, query=NoteQuery()).total == 0
    for viewer in (alice, admin):
        assert note_service.get_note(session=session, actor=viewer, note_id=secret.id).title == "Entre nous"
        assert note_service.list_notes(session=session, actor=viewer, query=NoteQuery()).total == 1


def test_community_visibility_needs_a_community(session):
    alice = make_user(session)
    with pytest.raises(Invalid) as err:
        make_note(session, alice, visibility="community")
    assert err.value.field == "community"


def test_a_restricted_note_is_not_linked_for_those_who_cannot_see_it(session):
    alice, bob = make_user(session, "alice"), make_user(session, "bob")
    secret = make_note(session, alice, title="Secret", visibility="restricted")
    public = make_note(session, alice, title="Public", links=[secret.id])
    assert [n.id for n in note_service.get_note(session=session, actor=alice, note_id=public.id).links.notes] == [
        secret.id
    ]
    assert note_service.get_note(session=session, actor=bob, note_id=public.id).links.notes == []
    with pytest.raises(Invalid):
        make_note(session, bob, links=[secret.id])


def test_soft_delete_hides_the_note_everywhere_but_keeps_history_for_admins(session):
    alice, admin = make_user(session, "alice"), make_user(session, "admin", admin=True)
    target = make_note(session, alice, title="Cible")
    note = make_note(session, alice, title="À supprimer", links=[target.id])
    note_service.delete_note(session=session, actor=alice, note_id=note.id)
    session.commit()
    for viewer in (None, alice):
        with pytest.raises(NotFound):
            note_service.get_note(session=session, actor=viewer, note_id=note.id)
    assert note_service.get_note(session=session, actor=None, note_id=target.id).backlinks == []
    assert note_service.list_notes(session=session, actor=alice, query=NoteQuery()).total == 1
    kept = note_service.get_note(session=session, actor=admin, note_id=note.id)
    assert kept.deleted_at is not None and kept.can_edit is False
    assert session.exec(select(Revision).where(Revision.note_id == note.id)).all()


def test_list_is_paginated_filtered_and_sorted(session):
    alice, bob = make_user(session, "alice"), make_user(session, "bob")
    for title in ("Bêta", "alpha", "Gamma"):
        make_note(session, alice, title=title)
    make_note(session, bob, title="Delta", kind="term")
    page = note_service.list_notes(session=session, actor=None, query=NoteQuery(sort="title", per_page=2))
    assert page.total == 4 and [n.title for n in page.items] == ["alpha", "Bêta"]
    page2 = note_service.list_notes(session=session, actor=None, query=NoteQuery(sort="title", per_page=2, page=2))
    assert [n.title for n in page2.items] == ["Delta", "Gamma"]
    assert [
        n.title for n in note_service.list_notes(session=session, actor=None, query=NoteQuery(kind="term")).items
    ] == ["Delta"]
    assert note_service.list_notes(session=session, actor=None, query=NoteQuery(author="bob")).total == 1
    newest = note_service.list_notes(session=session, actor=None, query=NoteQuery(sort="-created")).items[0]
    assert newest.title == "Delta"


def test_a_wikilink_written_before_its_target_links_once_the_target_exists(session):
    alice = make_user(session)
    early = make_note(session, alice, title="Écrite tôt", body="Voir [[Note à venir]].")
    assert "wikilink-new" in early.html
    target = make_note(session, alice, title="note À VENIR")
    early = note_service.get_note(session=session, actor=None, note_id=early.id)
    assert f'<a class="wikilink kind-note" href="/n/{target.id}/"' in early.html and "wikilink-new" not in early.html
    assert [n.id for n in early.links.notes] == [target.id]
    assert [b.id for b in note_service.get_note(session=session, actor=None, note_id=target.id).backlinks] == [early.id]
    assert early.revision == 1  # derived rendering, not a new revision


def test_renaming_a_note_to_a_wanted_title_adopts_the_waiting_links(session):
    alice = make_user(session)
    waiting = make_note(session, alice, title="En attente", body="Lien vers [[Cercle]].")
    other = make_note(session, alice, title="Brouillon")
    note_service.save_note(
        session=session, actor=alice, note_id=other.id, data=NoteUpdate(base_revision=1, title="Cercle")
    )
    session.commit()
    assert [n.id for n in note_service.get_note(session=session, actor=None, note_id=waiting.id).links.notes] == [
        other.id
    ]


def test_two_spellings_of_one_title_both_resolve(session):
    alice = make_user(session)
    target = make_note(session, alice, title="Chantier")
    note = make_note(session, alice, body="[[Chantier]] en début de phrase, puis [[chantier]] au milieu.")
    assert note.html.count(f'href="/n/{target.id}/"') == 2 and "wikilink-new" not in note.html
    dangling = session.exec(select(NoteLink).where(NoteLink.source_id == note.id, NoteLink.target_id.is_(None))).all()
    assert dangling == []


def test_wikilinks_to_hidden_or_deleted_notes_read_as_missing_notes(session):
    alice, bob = make_user(session, "alice"), make_user(session, "bob")
    secret = make_note(session, alice, title="Dossier confidentiel", visibility="restricted")
    public = make_note(session, alice, title="Publique", body="Voir [[Dossier confidentiel]].")
    assert f'href="/n/{secret.id}/"' in note_service.get_note(session=session, actor=alice, note_id=public.id).html
    for viewer in (None, bob):
        html = note_service.get_note(session=session, actor=viewer, note_id=public.id).html
        assert secret.id not in html and 'class="wikilink wikilink-new"' in html and "Dossier confidentiel" in html
    gone = make_note(session, alice, title="Éphémère")
    linking = make_note(session, alice, title="Liante", body="[[Éphémère]]")
    note_service.delete_note(session=session, actor=alice, note_id=gone.id)
    session.commit()
    html = note_service.get_note(session=session, actor=alice, note_id=linking.id).html
    assert gone.id not in html and "wikilink-new" in html


def test_a_hidden_wikilink_target_cannot_be_told_from_a_missing_one(session):
    from praxis.markdown import render

    alice, mallory = make_user(session, "alice"), make_user(session, "mallory")
    make_note(session, alice, title="Plan secret Omega", visibility="restricted")
    body = "[[Plan secret Omega]], [[Plan secret Omega|un plan]] et [[Rien du tout|x]]."
    probe = make_note(session, mallory, title="Sonde", body=body)
    for viewer in (None, mallory):
        assert note_service.get_note(session=session, actor=viewer, note_id=probe.id).html == render(body).html


def test_a_hidden_note_does_not_shadow_a_visible_one_with_the_same_title(session):
    alice, mallory = make_user(session, "alice"), make_user(session, "mallory")
    make_note(session, alice, title="Plan secret Omega", visibility="restricted")
    own = make_note(session, mallory, title="plan secret omega")
    probe = make_note(session, mallory, title="Sonde", body="[[Plan secret Omega]]")
    seen = note_service.get_note(session=session, actor=mallory, note_id=probe.id)
    assert f'href="/n/{own.id}/"' in seen.html and [n.id for n in seen.links.notes] == [own.id]


def test_a_save_that_lost_a_race_to_a_note_it_can_no_longer_read_is_not_told_its_content(app, session):
    alice, mallory = make_user(session, "alice"), make_user(session, "mallory")
    note = make_note(session, alice, title="Commune", authors=["alice", "mallory"])
    with new_session(app.state.engine, app.state.settings, write=True) as s:
        stale = note_service.load_editable(s, mallory, note.id)
        old = note_service.current_state(s, *stale)
        s.commit()
    # Alice wins the race: she hides the note from Mallory.
    note_service.save_note(
        session=session,
        actor=alice,
        note_id=note.id,
        data=NoteUpdate(base_revision=note.revision, body="Confidentiel", visibility="restricted", authors=["alice"]),
    )
    session.commit()
    with new_session(app.state.engine, app.state.settings, write=True) as s:
        from dataclasses import replace

        loaded = s.get(type(stale[0]), note.id)
        # Mallory's save, made from the revision both read, reaches the database after Alice's.
        with pytest.raises(NotFound):
            note_service.apply_state(
                session=s,
                actor=mallory,
                note=loaded,
                base_revision=note.revision,
                old=old,
                new=replace(old, body="Ma version"),
                summary=None,
            )


def test_each_wikilink_falls_back_by_its_own_target(session):
    alice, bob = make_user(session, "alice"), make_user(session, "bob")
    hidden = make_note(session, alice, title="Foo", visibility="restricted")
    shown = make_note(session, bob, title="Foo")
    source = make_note(session, bob, title="Source", body=f"[[Foo]] et [[{hidden.id}|par identifiant]]")
    html = note_service.get_note(session=session, actor=None, note_id=source.id).html
    assert f'<a class="wikilink kind-note" href="/n/{shown.id}/" data-target="Foo"' in html  # by title: the visible Foo
    assert 'href="/n/new?title=' + hidden.id + '"' in html  # by id: a note that does not exist, for this reader
    assert [b.id for b in note_service.get_note(session=session, actor=None, note_id=shown.id).backlinks] == [source.id]
    from praxis.notes import directory

    graph = directory.graph(session=session, actor=None, note_id=shown.id, depth=1)
    assert {(e.source, e.target) for e in graph.edges} == {(source.id, shown.id)}
    assert hidden.id not in {n.id for n in graph.nodes}


def test_who_may_read_a_note_is_asked_again_once_the_session_writes(session):
    """A page's parts ask the same question (may this person read the note?) and get the answer
    of the first; any write of the session, flushed or not, ORM or bulk, makes it asked anew."""
    alice, bob = make_user(session, "alice"), make_user(session, "bob")
    note = make_note(session, alice)
    row, _ = note_service.load_readable(session, bob, note.id)
    assert note_service.load_readable(session, bob, note.id)[0] is row  # the same answer, kept
    row.visibility = "restricted"  # not flushed yet
    with pytest.raises(NotFound):
        note_service.load_readable(session, bob, note.id)
    session.rollback()
    note_service.load_readable(session, bob, note.id)
    session.execute(sa.update(Note).where(Note.id == note.id).values(visibility="restricted"))  # bulk
    with pytest.raises(NotFound):
        note_service.load_readable(session, bob, note.id)
    assert note_service.load_readable(session, alice, note.id)[1] == [alice.id]
    session.commit()
    with pytest.raises(NotFound):
        note_service.load_readable(session, None, note.id)
