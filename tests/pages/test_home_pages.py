"""The home page as an entrance (what the site is, its bases and carnets, the lexique and the
répertoire, recent activity), what it never shows a reader who may not see it, the first steps
of an empty site, and /notes/, the full list that / used to be."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import col

from praxis.app import create_app
from praxis.carnets import bases, carnets, filing
from praxis.config import DEFAULT_SITE_DESCRIPTION
from praxis.db import new_session
from praxis.models import Note
from praxis.schemas import BaseCarnetAdd, BaseCreate, CarnetCreate, EntryCreate
from tests.conftest import one_database
from tests.factories import browser_for, make_note, make_user, page_text

FRENCH_LINE = "Un commun de connaissances : des communautés de pratique"
ENGLISH_LINE = "A knowledge commons where communities of practice write notes"


def _carnet(session, actor, title, notes=(), **fields):  # type: ignore[no-untyped-def]
    carnet = carnets.create(session=session, actor=actor, data=CarnetCreate(title=title, **fields))
    for note in notes:
        filing.add(session=session, actor=actor, carnet_id=carnet.id, data=EntryCreate(note_id=note.id))
    session.commit()
    return carnet


def _base(session, actor, title, carnet_list, **fields):  # type: ignore[no-untyped-def]
    base = bases.create(session=session, actor=actor, data=BaseCreate(title=title, **fields))
    for carnet in carnet_list:
        bases.add_carnet(session=session, actor=actor, base_id=base.id, data=BaseCarnetAdd(carnet_id=carnet.id))
    session.commit()
    return base


def test_the_home_page_says_what_the_site_is_and_leads_to_every_way_in(app, session):
    alice = make_user(session, "alice", name="Alice Rivard", password=None)
    note = make_note(session, alice, title="Tenir un chantier", body="Texte.")
    make_note(session, alice, title="Chantier", kind="term", body="Un projet.", definition="Un projet.")
    make_note(session, alice, title="Culture Laval", kind="organisation", body="Texte.", region="Laval")
    carnet = _carnet(session, alice, "Carnet des chantiers", [note], description="Les chantiers du Réseau.")
    _base(session, alice, "Base du Réseau", [carnet], description="Tout ce que le Réseau sait.")
    visitor = browser_for(app, session, None)
    home = visitor.get("/")
    text = page_text(home.text)
    assert home.status_code == 200 and FRENCH_LINE in text
    assert "<title>Accueil · Praxis</title>" in home.text
    # The bases and carnets as cards, with their counts and descriptions.
    assert re.search(r"Bases de connaissances Base du Réseau 1 carnet Tout ce que le Réseau sait\.", text)
    assert re.search(r"Carnets Carnet des chantiers 1 note Les chantiers du Réseau\.", text)
    assert 'href="/c/"' in home.text and 'href="/b/"' in home.text
    # The lexique and the répertoire, with how many each holds.
    assert re.search(r"Lexique 1 terme .* Répertoire des organisations 1 organisation", text)
    # Recent activity: kind, title, authors and date; then every note.
    assert re.search(r"Activité récente (Organisation|Terme|Note) ", text)
    for kind, title in (("Note", "Tenir un chantier"), ("Terme", "Chantier"), ("Organisation", "Culture Laval")):
        assert re.search(rf"{kind} {title} Alice Rivard · publiée le \d", text), title
    assert 'href="/notes/"' in home.text and "Toutes les notes (3)" in text
    assert 'href="/feed.atom"' in home.text
    # The description is what the page tells link previews too.
    assert f'<meta name="description" content="{FRENCH_LINE}' in home.text.replace("&#39;", "'")

    english = page_text(visitor.get("/?lang=en").text)
    assert ENGLISH_LINE in english and FRENCH_LINE not in english
    assert "Glossary 1 term" in english and "Recent activity" in english and "All notes (3)" in english


def test_a_note_changed_since_it_was_published_says_so(app, session, client):
    alice = make_user(session, "alice", name="Alice Rivard", password=None)
    note = make_note(session, alice, title="Ancienne note")
    session.exec(  # type: ignore[call-overload]
        sa.update(Note)
        .where(col(Note.id) == note.id)
        .values(published_at=datetime(2024, 3, 1, 15, tzinfo=UTC), updated_at=datetime(2025, 2, 10, 15, tzinfo=UTC))
    )
    session.commit()
    text = page_text(client.get("/").text)
    assert "Ancienne note Alice Rivard · modifiée le 10 février 2025" in text


def test_a_site_in_its_own_words_is_shown_as_written_in_both_languages(settings):
    line = "Le wiki des bibliothécaires de la Côte-Nord."
    app = create_app(settings.model_copy(update={"site_description": line}))
    visitor = browser_for(app, None, None)  # type: ignore[arg-type]
    for lang in ("fr", "en"):
        page = visitor.get(f"/?lang={lang}").text
        assert f'<p class="home-description" lang="fr">{line}</p>' in page
        assert FRENCH_LINE not in page and ENGLISH_LINE not in page
    app.state.engine.dispose()
    assert settings.site_description == DEFAULT_SITE_DESCRIPTION


def test_what_a_visitor_may_not_see_never_shows_on_the_home_page_nor_in_its_counts(app, session):
    """On both databases: the cards, the counts and the recent notes go through the policy."""
    alice = make_user(session, "alice", name="Alice Rivard", password=None)
    bob = make_user(session, "bob", name="Bob", password=None)
    shown = make_note(session, alice, title="Note ouverte")
    hidden = make_note(session, alice, title="Note réservée", visibility="restricted")
    make_note(session, alice, title="Terme ouvert", kind="term", body="x", definition="x")
    make_note(session, alice, title="Terme réservé", kind="term", body="x", definition="x", visibility="restricted")
    make_note(session, alice, title="Org réservée", kind="organisation", body="x", visibility="restricted")
    open_carnet = _carnet(session, alice, "Carnet ouvert", [shown, hidden])
    closed_carnet = _carnet(session, alice, "Carnet secret", [shown], visibility="restricted")
    _base(session, alice, "Base ouverte", [open_carnet, closed_carnet])
    _base(session, alice, "Base secrète", [open_carnet], visibility="restricted")
    for who in (None, bob):  # a visitor, and someone signed in with no rights on any of it
        text = page_text(browser_for(app, session, who).get("/").text)
        for secret in ("Note réservée", "Terme réservé", "Org réservée", "Carnet secret", "Base secrète"):
            assert secret not in text, (who, secret)
        assert "Carnet ouvert 1 note" in text and "Base ouverte 1 carnet" in text
        assert "1 terme" in text and "0 organisation" in text
        assert "Toutes les notes (2)" in text and "Tous les carnets (1)" in text and "Toutes les bases (1)" in text
    mine = page_text(browser_for(app, session, alice).get("/").text)
    assert "Carnet ouvert 2 notes" in mine and "Base ouverte 2 carnets" in mine and "Base secrète" in mine
    assert "2 termes" in mine and "1 organisation" in mine and "Toutes les notes (5)" in mine


def test_an_empty_site_greets_its_admin_with_first_steps_and_a_visitor_with_a_sentence(app, session):
    admin = make_user(session, "root", admin=True, password=None)
    writer = make_user(session, "alice", password=None)
    page = browser_for(app, session, admin).get("/")
    text = page_text(page.text)
    assert "Premiers pas" in text and "Ce site ne contient encore aucune note." in text
    assert 'href="/n/new">Écrire une première note</a>' in page.text
    assert 'href="/c/#nouveau">Créer un carnet</a>' in page.text
    assert "praxis import DOSSIER" in text
    assert 'href="/register">Créer un compte</a>' in page.text
    assert "Activité récente" not in text and 'href="/lexique/"' in page.text  # the header's, not a card
    english = page_text(browser_for(app, session, admin).get("/?lang=en").text)
    assert "First steps" in english and "praxis import FOLDER" in english
    for who in (None, writer):
        text = page_text(browser_for(app, session, who).get("/").text)
        assert "Rien à lire ici pour l'instant" in text and "Premiers pas" not in text
        assert ("Écrire une première note" in text) == (who is not None)
    # A carnet but still no note: the carnet is there, and so are the first steps.
    _carnet(session, admin, "Premier carnet")
    text = page_text(browser_for(app, session, admin).get("/").text)
    assert "Premiers pas" in text and "Premier carnet 0 note" in text


@one_database
def test_with_registration_closed_the_first_steps_say_how_accounts_are_made(settings):
    app = create_app(settings.model_copy(update={"registration": "closed"}))
    with new_session(app.state.engine, app.state.settings, write=True) as session:
        admin = make_user(session, "root", admin=True, password=None)
        text = page_text(browser_for(app, session, admin).get("/").text)
    assert "l'inscription est fermée ( PRAXIS_REGISTRATION=closed ), créez leurs comptes avec" in text
    assert "praxis user create IDENTIFIANT" in text
    app.state.engine.dispose()


def test_the_full_list_lives_at_notes_and_the_old_addresses_lead_there(client, session):
    alice = make_user(session, password=None)
    for i in range(23):
        make_note(session, alice, title=f"Note numéro {i}")
    listing = client.get("/notes/")
    assert listing.status_code == 200 and "Note numéro 22" in listing.text
    assert "23 notes" in page_text(listing.text) and "<h1>Toutes les notes</h1>" in listing.text
    assert listing.headers["link"] == '</api/v1/notes?page=1&sort=-updated>; rel="alternate"; type="application/json"'
    assert 'href="/feed.atom"' in listing.text
    assert "Note numéro 0" in client.get("/notes/?p=2").text
    by_title = page_text(client.get("/notes/?sort=title").text)
    assert by_title.index("Note numéro 0") < by_title.index("Note numéro 1") < by_title.index("Note numéro 10")
    assert 'href="/notes/?sort=title&amp;p=2"' in client.get("/notes/?sort=title").text
    assert client.get("/notes/?sort=hasard").status_code == 422
    # Links to the old list keep working: a sort or a page of / is the same page of /notes/.
    for old, new in (
        ("/?sort=title", "/notes/?sort=title"),
        ("/?p=2", "/notes/?p=2"),
        ("/?sort=title&p=2&lang=en", "/notes/?sort=title&p=2&lang=en"),
    ):
        moved = client.get(old, follow_redirects=False)
        assert moved.status_code == 301 and moved.headers["location"] == new, old
    followed = client.get("/?sort=title&p=2")
    assert str(followed.url).endswith("/notes/?sort=title&p=2") and "Page 2 / 2" in followed.text
    assert client.get("/?lang=en", follow_redirects=False).status_code == 200  # the home page itself stays
