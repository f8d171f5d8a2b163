"""After each action, one line says what was done (praxis/web/done.py, templates/done.html): on
the page the form leads to, where its anchor points, once, to the person who acted; and
"Annuler" puts a note taken out of a carnet back exactly where it was."""

from __future__ import annotations

import re
from html import unescape

from fastapi.testclient import TestClient

from praxis import i18n
from praxis.carnets import carnets, filing
from praxis.notes import service as note_service
from praxis.schemas import AxisCreate, CarnetCreate, CarnetUpdate, EntryCreate, EntryUpdate, NoteUpdate
from praxis.web.done import DONE_COOKIE, KINDS, Done
from tests.conftest import one_database
from tests.factories import browser_for, csrf_from, make_note, make_user, page_text, sign_in, token_for

THEMES = AxisCreate(name="Thème", categories=["Logement", "Santé"])
REGIONS = AxisCreate(name="Région", categories=["Montréal", "Québec"])
MESSAGE = re.compile(r'<p class="banner done" id="fait" role="status">(.*?)</p>', re.S)


def said(html: str) -> list[str]:
    """What the page says was just done, as read."""
    return [" ".join(unescape(re.sub(r"<[^>]+>", "", m)).split()) for m in MESSAGE.findall(html)]


def act(browser: TestClient, page_url: str, action: str, data: dict | None = None, **kwargs) -> str:  # type: ignore[no-untyped-def,type-arg]
    """Send the form at `action` as `page_url` shows it; the address its answer leads to."""
    page = browser.get(page_url)
    assert page.status_code == 200, (page_url, page.status_code)
    sent = browser.post(
        action, data={**(data or {}), "csrf_token": csrf_from(page.text, action)}, follow_redirects=False, **kwargs
    )
    assert sent.status_code == 303, (action, sent.status_code, sent.text[:300])
    return sent.headers["location"]


def said_once(browser: TestClient, location: str) -> tuple[str, str]:
    """The one message of the page `location` leads to (checked: said there, and not again on a
    reload), and the page."""
    page = browser.get(location).text
    messages = said(page)
    assert len(messages) == 1, (location, messages)
    assert said(browser.get(location).text) == [], location  # a reload says nothing
    return messages[0], page


def in_section(page: str, section: str) -> bool:
    """Whether the page's message is said in the section whose id (or its heading's) is `section`."""
    start = page.index(f'id="{section}"')
    return start < page.index('id="fait"') < page.index("</section>", start)


def in_section_entry(page: str, note_id: str) -> bool:
    """Whether the page's message is said inside the carnet's entry for that note."""
    start = page.index(f'<li id="n-{note_id}"')
    return start < page.index('id="fait"') < page.index("</li>", start)


# --- what each form says ------------------------------------------------------------------------


@one_database  # what the pages say; the SQL of each action is the services' tests'
def test_every_form_of_a_carnet_says_what_it_did_once_where_it_lands(app, client, session):
    alice = make_user(session, "alice", name="Alice Rivard", password=None)
    make_user(session, "bob", name="Bob Martin", password=None)
    note = make_note(session, alice, title="Jardins partagés")
    browser = browser_for(app, session, alice)

    created = act(
        browser,
        "/c/",
        "/c/",
        {"title": "Carnet des quartiers", "axis1": "Thème", "axis1_categories": "Logement, Santé"},
    )
    assert said_once(browser, created)[0] == "Carnet créé."
    url = created
    cid = url.split("/")[2]
    assert (
        said_once(
            browser,
            act(browser, f"/c/{cid}/edit", f"/c/{cid}/edit", {"title": "Carnet des voisins", "visibility": "public"}),
        )[0]
        == "Réglages du carnet enregistrés."
    )

    to = act(browser, f"/c/{cid}/edit", f"/c/{cid}/members", {"username": "bob", "role": "contributor"})
    assert to == f"/c/{cid}/edit#membres"
    message, page = said_once(browser, to)
    assert message == "Bob Martin contribue maintenant au carnet." and in_section(page, "membres")
    message = said_once(
        browser, act(browser, f"/c/{cid}/edit", f"/c/{cid}/members", {"username": "bob", "role": "manager"})
    )[0]
    assert message == "Bob Martin gère maintenant le carnet."
    to = act(browser, f"/c/{cid}/edit", f"/c/{cid}/members/bob/remove")
    assert said_once(browser, to)[0] == "Bob Martin ne fait plus partie du carnet."

    to = act(browser, f"/c/{cid}/edit", f"/c/{cid}/axes", {"name": "Région", "categories": "Montréal"})
    message, page = said_once(browser, to)
    assert message == "Liste de catégories ajoutée." and in_section(page, "categories")
    axis = browser.get(f"/api/v1/carnets/{cid}").json()["axes"][1]["id"]
    for action, data, expected in (
        (f"/c/{cid}/axes/{axis}/rename", {"name": "Ville"}, "Liste renommée."),
        (f"/c/{cid}/axes/{axis}/categories", {"name": "Québec"}, "Catégorie ajoutée."),
        (f"/c/{cid}/categories/rename", {"name": "Québec", "new_name": "Laval"}, "Catégorie renommée."),
        (f"/c/{cid}/categories/delete", {"name": "Laval", "notes": "uncategorise"}, "Catégorie supprimée."),
        (f"/c/{cid}/axes/{axis}/delete", {}, "Liste supprimée."),
    ):
        page_url = f"/c/{cid}/categories/delete?name=Laval" if "categories/delete" in action else f"/c/{cid}/edit"
        assert said_once(browser, act(browser, page_url, action, data))[0] == expected, action

    # The notes of the carnet: each tool says it in the note it acted on.
    to = act(browser, url, f"/c/{cid}/notes", {"note": "Jardins part"})
    message, page = said_once(browser, to)
    assert message == "Note « Jardins partagés » ajoutée au carnet." and in_section_entry(page, note.id)
    organising = f"/c/{cid}/?organiser=1"
    to = act(browser, f"/c/{cid}/n/{note.id}", f"/c/{cid}/n/{note.id}", {"categories": "Santé"})
    assert to == f"{organising}#n-{note.id}"
    message, page = said_once(browser, to)
    assert message == "Classement de la note enregistré." and in_section_entry(page, note.id)
    to = act(browser, organising, f"/c/{cid}/n/{note.id}/pin", {"pinned": "1"})
    assert said_once(browser, to)[0] == "Note épinglée en tête du carnet."

    to = act(browser, f"/c/{cid}/delete", f"/c/{cid}/delete")
    assert (
        to == "/c/"
        and said_once(browser, to)[0] == "Carnet « Carnet des voisins » supprimé : ses notes restent sur le site."
    )


@one_database
def test_every_form_of_a_base_and_of_a_note_says_what_it_did(app, client, session):
    alice = make_user(session, "alice", name="Alice Rivard", password=None)
    make_user(session, "bob", name="Bob Martin", password=None)
    carnet = carnets.create(session=session, actor=alice, data=CarnetCreate(title="Carnet des quartiers"))
    note = make_note(session, alice, title="Jardins partagés")
    session.commit()
    browser = browser_for(app, session, alice)

    to = act(browser, "/b/", "/b/", {"title": "Base du réseau"})
    assert said_once(browser, to)[0] == "Base créée."
    bid = to.split("/")[2]
    edit = f"/b/{bid}/edit"
    assert (
        said_once(browser, act(browser, edit, edit, {"title": "Base des voisins"}))[0]
        == "Réglages de la base enregistrés."
    )
    to = act(browser, edit, f"/b/{bid}/carnets", {"carnet_id": carnet.id})
    message, page = said_once(browser, to)
    assert message == "Carnet « Carnet des quartiers » ajouté à la base." and in_section(page, "carnets")
    to = act(browser, edit, f"/b/{bid}/carnets/{carnet.id}/remove")
    assert said_once(browser, to)[0] == "Carnet « Carnet des quartiers » retiré de la base."
    to = act(browser, edit, f"/b/{bid}/managers", {"username": "Bob Mar"})
    message, page = said_once(browser, to)
    assert message == "Bob Martin gère maintenant la base." and in_section(page, "gestion")
    assert (
        said_once(browser, act(browser, edit, f"/b/{bid}/managers/bob/remove"))[0] == "Bob Martin ne gère plus la base."
    )
    to = act(browser, f"/b/{bid}/delete", f"/b/{bid}/delete")
    assert said_once(browser, to)[0] == "Base « Base des voisins » supprimée : ses carnets restent sur le site."

    # A note's files, and filing it from its own page.
    edit = f"/n/{note.id}/edit"
    to = act(browser, edit, f"/n/{note.id}/files", files={"file": ("plan.txt", b"Plan du jardin.\n", "text/plain")})
    message, page = said_once(browser, to)
    assert message == "Fichier « plan.txt » joint à la note." and in_section(page, "fichiers")
    (attached,) = [f["id"] for f in browser.get(f"/api/v1/notes/{note.id}/files").json()]
    to = act(browser, edit, f"/n/{note.id}/files/{attached}/delete")
    assert said_once(browser, to)[0] == "Fichier « plan.txt » supprimé."
    to = act(browser, f"/n/{note.id}/ajouter?carnet={carnet.id}", f"/n/{note.id}/ajouter", {"carnet": carnet.id})
    assert to == f"/n/{note.id}/#carnets-titre"
    message, page = said_once(browser, to)
    assert message == "Note ajoutée au carnet « Carnet des quartiers »." and in_section(page, "carnets-titre")
    assert f'<a href="/c/{carnet.id}/" lang="fr">Carnet des quartiers</a>' in MESSAGE.findall(page)[0]
    to = act(browser, "/u/alice/edit", "/u/alice/edit", {"display_name": "Alice R."})
    assert said_once(browser, to)[0] == "Profil enregistré."


@one_database
def test_the_forms_about_people_say_what_they_did(app, client, session):
    alice = make_user(session, "alice", name="Alice Rivard", password=None)
    bob = make_user(session, "bob", name="Bob Martin")  # an account that logs in: invited, not named
    adam = make_user(session, "adam", name="Adam", admin=True, password=None)
    alices, bobs, adams = (browser_for(app, session, who) for who in (alice, bob, adam))

    to = act(alices, "/communautes/", "/communautes/", {"name": "Cercle des jardins"})
    assert said_once(alices, to)[0] == "Communauté créée."
    for role, expected in (
        ("member", "Bob Martin est maintenant membre de la communauté."),
        ("manager", "Bob Martin gère maintenant la communauté."),
    ):
        assert said_once(alices, act(alices, to, f"{to}members", {"username": "bob", "role": role}))[0] == expected
    assert said_once(bobs, act(bobs, to, f"{to}members/bob/remove"))[0] == "Vous avez quitté la communauté."
    act(alices, to, f"{to}members", {"username": "bob", "role": "member"})
    removed = act(alices, to, f"{to}members/bob/remove")
    assert said_once(alices, removed)[0] == "Bob Martin ne fait plus partie de la communauté."

    # Invitations to co-sign: accepted (on the note), refused (in the inbox); then leaving the authors.
    kept, refused = make_note(session, alice, title="Chantier"), make_note(session, alice, title="Bilan")
    for note in (kept, refused):
        note_service.save_note(
            session=session, actor=alice, note_id=note.id, data=NoteUpdate(authors=["alice", "bob"], base_revision=1)
        )
    session.commit()
    inbox = bobs.get("/u/me/inbox").text
    accept, refuse = (re.findall(r'action="(/invitations/[^"]+/(?:accept|refuse))"', inbox)[i] for i in (0, 3))
    to = act(bobs, "/u/me/inbox", accept)
    assert said_once(bobs, to)[0] == "Vous co-signez maintenant cette note."
    note_id = to.split("/")[2]
    assert to == f"/n/{note_id}/"
    assert said_once(bobs, act(bobs, "/u/me/inbox", refuse))[0] == "Invitation refusée."
    to = act(bobs, f"/n/{note_id}/", f"/n/{note_id}/leave")
    assert to == "/u/bob/" and said_once(bobs, to)[0] == "Vous n'êtes plus auteur·trice de la note."

    opened = {"username": "carole", "password": "phrase de passe", "password_again": "phrase de passe"}
    to = act(adams, "/register", "/register", opened)
    assert to == "/u/carole/" and said_once(adams, to)[0] == "Compte créé : la personne peut maintenant se connecter."
    to = act(adams, "/u/bob/", "/u/bob/deactivate")
    assert said_once(adams, to)[0] == "Compte désactivé : ses sessions et ses jetons ne fonctionnent plus."
    assert said_once(adams, act(adams, "/u/bob/", "/u/bob/activate"))[0] == "Compte réactivé."


# --- "Annuler" ----------------------------------------------------------------------------------


def _filed_carnet(session, maud, theo, titles):  # type: ignore[no-untyped-def]
    """A public carnet Maud manages and Théo contributes to, holding notes by those titles."""
    carnet = carnets.create(
        session=session, actor=maud, data=CarnetCreate(title="Carnet du réseau", axes=[THEMES, REGIONS])
    )
    carnets.set_member(session=session, actor=maud, carnet_id=carnet.id, username="theo", role="contributor")
    notes = [make_note(session, maud, title=t) for t in titles]
    session.commit()
    return carnet, notes


def _undo_form(page: str) -> tuple[str, dict[str, str]]:
    """The "Annuler" form of the page's message: its action and the fields it sends."""
    form = re.search(r'<form id="annuler" method="post" action="([^"]+)" hidden>(.*?)</form>', page, re.S)
    assert form, "no Annuler form"
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(2)))
    return form.group(1), {k: v.replace("&amp;", "&") for k, v in fields.items()}


def test_annuler_puts_a_note_taken_out_back_as_it_was(app, client, session):
    maud = make_user(session, "maud", name="Maud Roy", password=None)
    theo = make_user(session, "theo", name="Théo Lam", password=None)
    carnet, (a, b, c, d) = _filed_carnet(session, maud, theo, ("Atelier", "Bilan", "Chantier", "Débat"))
    cid = carnet.id
    for note, who in ((a, maud), (b, theo), (c, maud), (d, maud)):
        filing.add(session=session, actor=who, carnet_id=cid, data=EntryCreate(note_id=note.id))
    filing.update(
        session=session, actor=theo, carnet_id=cid, note_id=b.id, data=EntryUpdate(categories=["Santé", "Québec"])
    )
    filing.update(session=session, actor=maud, carnet_id=cid, note_id=b.id, data=EntryUpdate(pinned=True))
    session.commit()
    before = client.get(f"/api/v1/carnets/{cid}").json()
    assert [e["note_id"] for e in before["entries"]["items"]] == [b.id, a.id, c.id, d.id]
    theos = browser_for(app, session, theo)
    organising = f"/c/{cid}/?organiser=1"

    # Théo takes out the note he integrated, which Maud had pinned: the page says so, with "Annuler".
    to = act(theos, organising, f"/c/{cid}/n/{b.id}/remove")
    page = theos.get(to).text
    assert said(page) == ["Note « Bilan » retirée du carnet : elle reste sur le site. · Annuler"]
    assert b.id not in client.get(f"/api/v1/carnets/{cid}").text
    action, fields = _undo_form(page)
    assert action == f"/c/{cid}/n/{b.id}/unremove" and set(fields) == {"csrf_token", "undo"}
    assert said(theos.get(to).text) == []  # said once: the form is not offered again

    # Those who may not file it cannot use it: a reader (403), nor anyone where the carnet is hidden (404).
    rita = browser_for(app, session, make_user(session, "rita", password=None))
    rita_token = csrf_from(rita.get(f"/c/{cid}/").text)
    assert rita.post(action, data={**fields, "csrf_token": rita_token}).status_code == 403
    # Nor another contributor, nor anything the site did not sign for this person (said in words).
    cora = make_user(session, "cora", name="Cora", password=None)
    carnets.set_member(session=session, actor=maud, carnet_id=cid, username="cora", role="contributor")
    session.commit()
    coras = browser_for(app, session, cora)
    refused = coras.post(action, data={**fields, "csrf_token": csrf_from(coras.get(f"/c/{cid}/").text)})
    assert refused.status_code == 422 and "Il est trop tard pour annuler" in page_text(refused.text)
    forged = theos.post(action, data={"undo": fields["undo"][:-2] + "xx", "csrf_token": fields["csrf_token"]})
    assert forged.status_code == 422
    other_note = theos.post(
        f"/c/{cid}/n/{a.id}/unremove", data=fields, follow_redirects=False
    )  # signed for Bilan, not Atelier
    assert other_note.status_code == 422 and a.id in client.get(f"/api/v1/carnets/{cid}").text

    # Théo's "Annuler": back in its categories, at its place, pinned, integrated by him, when it was.
    back = theos.post(action, data=fields, follow_redirects=False)
    assert back.status_code == 303 and back.headers["location"] == f"{organising}#n-{b.id}"
    message, page = said_once(theos, back.headers["location"])
    assert message == "Note remise dans le carnet, à sa place." and in_section_entry(page, b.id)
    after = client.get(f"/api/v1/carnets/{cid}").json()
    assert after["entries"]["items"] == before["entries"]["items"]  # categories, pin, place, who, when
    assert theos.post(action, data=fields).status_code == 409  # once back, it is there

    # A manager's removal of a note she integrated, in the middle of the order, is undone the same way.
    mauds = browser_for(app, session, maud)
    page = mauds.get(act(mauds, organising, f"/c/{cid}/n/{c.id}/remove")).text
    action, fields = _undo_form(page)
    assert [e["note_id"] for e in client.get(f"/api/v1/carnets/{cid}").json()["entries"]["items"]] == [b.id, a.id, d.id]
    assert mauds.post(action, data=fields).status_code == 200
    assert client.get(f"/api/v1/carnets/{cid}").json()["entries"]["items"] == before["entries"]["items"]

    # Where the carnet is hidden from them, a stranger's post is a 404, as for any hidden carnet.
    carnets.update(session=session, actor=maud, carnet_id=cid, data=CarnetUpdate(visibility="restricted"))
    session.commit()
    assert rita.post(action, data={**fields, "csrf_token": rita_token}).status_code == 404


def test_annuler_pins_again_a_note_just_unpinned(app, client, session):
    maud = make_user(session, "maud", name="Maud Roy", password=None)
    theo = make_user(session, "theo", name="Théo Lam", password=None)
    carnet, (a, b) = _filed_carnet(session, maud, theo, ("Atelier", "Bilan"))
    for note in (a, b):
        filing.add(session=session, actor=maud, carnet_id=carnet.id, data=EntryCreate(note_id=note.id))
    filing.update(session=session, actor=maud, carnet_id=carnet.id, note_id=b.id, data=EntryUpdate(pinned=True))
    session.commit()
    mauds = browser_for(app, session, maud)
    view = f"/c/{carnet.id}/?sort=title&organiser=1"
    to = act(mauds, view, f"/c/{carnet.id}/n/{b.id}/pin", {"pinned": "0", "view": "sort=title"})
    page = mauds.get(to).text
    assert said(page) == ["Note désépinglée. · Annuler"] and in_section_entry(page, b.id)
    action, fields = _undo_form(page)
    assert action == f"/c/{carnet.id}/n/{b.id}/pin" and fields["pinned"] == "1" and fields["view"] == "sort=title"
    again = mauds.post(action, data=fields, follow_redirects=False)
    assert again.headers["location"] == f"{view}#n-{b.id}"
    assert said_once(mauds, again.headers["location"])[0] == "Note épinglée en tête du carnet."
    assert client.get(f"/api/v1/carnets/{carnet.id}").json()["entries"]["items"][0]["pinned"] is True


# --- said once, to whom it concerns ---------------------------------------------------------------


@one_database
def test_a_message_is_said_only_on_its_page_to_the_person_who_acted(app, client, session):
    alice = make_user(session, "alice", name="Alice Rivard", password=None)
    bob = make_user(session, "bob", name="Bob Martin", password=None)
    carnet = carnets.create(session=session, actor=alice, data=CarnetCreate(title="Carnet des quartiers"))
    session.commit()
    alices, bobs = browser_for(app, session, alice), browser_for(app, session, bob)
    to = act(alices, f"/c/{carnet.id}/edit", f"/c/{carnet.id}/edit", {"title": "Carnet des voisins"})
    told = alices.cookies.get(DONE_COOKIE)
    assert told and "Carnet des voisins" not in told  # signed, not readable as it is
    # Another page first (a second tab): it says nothing, and leaves the message for its own page.
    assert said(alices.get("/c/").text) == []
    # The same cookie in another person's browser says nothing to them.
    bobs.cookies.set(DONE_COOKIE, told)
    assert said(bobs.get(to).text) == []
    assert said_once(alices, to)[0] == "Réglages du carnet enregistrés."
    # What the site did not sign says nothing, and is dropped; nor does the address say anything.
    alices.cookies.set(DONE_COOKIE, told[:-3] + "abc")
    forged = alices.get(to)
    assert said(forged.text) == [] and any(
        c.startswith(f"{DONE_COOKIE}=") for c in forged.headers.get_list("set-cookie")
    )
    assert said(alices.get(f"/c/{carnet.id}/?done=removed").text) == []
    # Visitors' pages are kept by the cache, which lets no such cookie through.
    visitor = TestClient(app, base_url="https://testserver")
    visitor.cookies.set(DONE_COOKIE, told)
    assert said(visitor.get(to).text) == []


@one_database
def test_a_note_the_view_does_not_list_is_said_at_the_top(app, client, session):
    alice = make_user(session, "alice", name="Alice Rivard", password=None)
    carnet = carnets.create(session=session, actor=alice, data=CarnetCreate(title="Carnet", axes=[THEMES]))
    a, b = make_note(session, alice, title="Atelier"), make_note(session, alice, title="Bilan")
    for note in (a, b):
        filing.add(
            session=session,
            actor=alice,
            carnet_id=carnet.id,
            data=EntryCreate(note_id=note.id, categories=["Logement"]),
        )
    session.commit()
    browser = browser_for(app, session, alice)
    # Filed under another category from the view of "Logement": it leaves the view, the message does not.
    entry = f"/c/{carnet.id}/n/{a.id}?category=Logement"
    to = act(browser, entry, f"/c/{carnet.id}/n/{a.id}", {"categories": "Santé", "view": "category=Logement"})
    assert to == f"/c/{carnet.id}/?category=Logement&organiser=1#n-{a.id}"
    message, page = said_once(browser, to)
    assert message == "Classement de la note enregistré." and f'id="n-{a.id}"' not in page
    assert page.index('id="fait"') < page.index("<h1")  # at the top of the page


@one_database
def test_the_account_pages_say_what_they_did(app, client, session):
    make_user(session, "alice", name="Alice Rivard")  # with a password
    token_for(client, "alice")  # an API token to revoke
    sign_in(client, "alice")
    page = client.get("/account/tokens").text
    action = re.search(r'action="(/account/tokens/\d+/revoke)"', page).group(1)  # type: ignore[union-attr]
    to = act(client, "/account/tokens", action)
    assert said_once(client, to)[0] == "Le jeton a été révoqué : il n'ouvre plus rien."
    to = act(client, "/account/notifications", "/account/notifications", {"comment": "digest"})
    assert said_once(client, to)[0] == "Vos choix sont enregistrés."
    changed = {
        "current_password": "mot-de-passe-test",
        "new_password": "autre secret",
        "new_password_again": "autre secret",
    }
    to = act(client, "/account/password", "/account/password", changed)
    assert said_once(client, to)[0] == "Votre mot de passe a été changé. Vos autres sessions ont été fermées."


@one_database
def test_every_message_has_its_words_in_both_languages(app):
    """Each kind of message the forms may leave is worded in templates/done.html, in French and
    in English, with the names it is given; none is empty or left with a placeholder."""
    env = app.state.templates.env
    template = env.from_string('{% from "done.html" import said with context %}{{ said() }}')
    names = {"number": 3, "title": "Titre", "name": "Nom", "note": "n1", "carnet": "c1", "undo": "u", "view": ""}
    for lang in ("fr", "en"):
        with i18n.using(lang):
            worded = {}
            for kind in KINDS:
                html = template.render(done=Done(kind=kind, names=names), csrf_token="t", content_lang="fr")
                worded[kind] = " ".join(said(html))
            assert all(worded.values()) and not any("%(" in w for w in worded.values()), worded
            assert len(set(worded.values())) == len(KINDS)  # each its own words
    assert worded["entry_removed"] == "Note “Titre” removed from the notebook: it stays on the site. · Undo"
