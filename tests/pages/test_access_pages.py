"""Registration, passwords, communities, edit requests and account deactivation, as pages."""

import html
import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from pydantic import TypeAdapter, ValidationError

from praxis.app import create_app
from praxis.schemas import Username
from praxis.schemas.common import USERNAME_HTML_PATTERN, USERNAME_MAX_LENGTH

from tests.conftest import one_database
from tests.factories import browser_for, csrf_from, make_note, make_user, page_text, sign_in, token_for


def test_register_through_the_form_signs_the_person_in(client):
    page = client.get("/register")
    token = csrf_from(page.text, "/register")
    mismatch = client.post(
        "/register",
        data={"username": "nadia", "password": "un-bon-mot", "password_again": "autre-chose", "csrf_token": token},
    )
    assert (
        mismatch.status_code == 422
        and "Les deux mots de passe diffèrent." in mismatch.text
        and 'value="nadia"' in mismatch.text
    )
    created = client.post(
        "/register",
        data={
            "username": "nadia",
            "display_name": "Nadia Roy",
            "password": "un-bon-mot",
            "password_again": "un-bon-mot",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert created.status_code == 303
    assert "Nadia Roy" in client.get("/").text
    again = client.post(
        "/register",
        data={
            "username": "nadia",
            "password": "un-bon-mot",
            "password_again": "un-bon-mot",
            "csrf_token": csrf_from(client.get("/register").text),  # signed in: no form, the same token
        },
    )
    assert again.status_code == 409 and "déjà pris" in again.text


def _input(page: str, name: str) -> str:
    return re.search(rf'<input id="{name}"[^>]*>', page).group(0)


@one_database
def test_the_sign_in_and_registration_pages_lead_to_each_other(client, settings):
    """A visitor sent to sign in without an account finds where to make one, beside the form."""

    def main(path: str, app_client=client) -> str:  # type: ignore[no-untyped-def]
        return page_text(app_client.get(path).text.split("<main", 1)[1])

    assert "Se connecter Pas encore de compte ? Créer un compte" in main("/login")
    assert 'href="/register"' in client.get("/login").text.split("<main", 1)[1]
    assert "Créer le compte Déjà un compte ? Se connecter" in main("/register")
    assert 'href="/login"' in client.get("/register").text.split("<main", 1)[1]
    assert "Sign in No account yet? Create an account" in main("/login?lang=en")
    assert "Create the account Already have an account? Sign in" in main("/register?lang=en")
    # Where only admins make accounts, the sign-in page offers none.
    closed = create_app(settings.model_copy(update={"registration": "closed"}))
    with TestClient(closed) as visitor:
        assert "compte ?" not in main("/login", visitor) and "Se connecter" in main("/login", visitor)
    closed.state.engine.dispose()


def test_registration_says_what_a_username_may_hold_and_keeps_what_was_typed(client):
    page = client.get("/register")
    field = _input(page.text, "username")
    # The browser holds the server's rule before anything is sent.
    assert f'pattern="{html.escape(USERNAME_HTML_PATTERN)}"' in field and 'maxlength="64"' in field
    assert 'aria-describedby="username-hint"' in field
    hint = "De 2 à 64 caractères : lettres de a à z sans accent, chiffres, point, tiret et tiret bas (_), sans espace"
    assert hint in page_text(page.text)
    refused = client.post(
        "/register",
        data={
            "username": "Élise",
            "display_name": "Élise Côté-Ñúñez",
            "email": "elise@exemple.org",
            "password": "un-bon-mot",
            "password_again": "un-autre-mot",
            "csrf_token": csrf_from(page.text, "/register"),
        },
    )
    text = page_text(refused.text)
    assert refused.status_code == 422 and "Ce format n'est pas accepté." not in text
    assert (
        "Nom d'utilisateur : Un nom d'utilisateur a de 2 à 64 caractères : lettres de a à z sans accent, chiffres,"
        " point, tiret et tiret bas (_), sans espace ; il commence par une lettre ou un chiffre." in text
    )
    assert "Mot de passe : Les deux mots de passe diffèrent." in text  # everything wrong, at once
    assert 'value="Élise"' in _input(refused.text, "username") and 'aria-invalid="true"' in _input(
        refused.text, "username"
    )
    assert 'value="Élise Côté-Ñúñez"' in _input(refused.text, "display_name")
    assert 'value="elise@exemple.org"' in _input(refused.text, "email")
    assert "value=" not in _input(refused.text, "password") and "value=" not in _input(refused.text, "password_again")
    english = client.post(
        "/register?lang=en",
        data={
            "username": "a b",
            "password": "un-bon-mot",
            "password_again": "un-bon-mot",
            "csrf_token": csrf_from(page.text),
        },
    )
    assert english.status_code == 422 and (
        "Username: A username is 2 to 64 characters: letters a to z without accents, digits, full stop, hyphen"
        " and underscore (_), no spaces; it begins with a letter or a digit."
        in page_text(english.text).replace(" :", ":")
    )
    for username, name in (("elise", "Élise Côté-Ñúñez"), ("xiaolong", "李小龙")):
        created = client.post(
            "/register",
            data={
                "username": username,
                "display_name": name,
                "password": "un-bon-mot",
                "password_again": "un-bon-mot",
                "csrf_token": csrf_from(client.get("/register").text),
            },
            follow_redirects=False,
        )
        assert created.status_code == 303
        assert f"<h1>{name}" in client.get(f"/u/{username}/").text
        client.cookies.clear()


@pytest.mark.parametrize(
    "typed",
    [
        "alice",
        "Alice",
        "  alice ",
        "a",
        "ab",
        "a" * 64,
        "a" * 65,
        "-ab",
        ".ab",
        "_ab",
        "9lives",
        "a-b.c_d",
        "élise",
        "ÉLISE",
        "a b",
        "a!b",
        "al\u00efce",
        "",
        "  ",
        "ab\t",
        "a" * 63 + "é",
    ],
)
def test_the_username_field_pattern_is_the_server_rule(typed):
    # A browser matches `pattern` against the whole value, and lets no more than `maxlength` be typed.
    in_browser = len(typed) <= USERNAME_MAX_LENGTH and re.fullmatch(USERNAME_HTML_PATTERN, typed) is not None
    try:
        TypeAdapter(Username).validate_python(typed)
        on_server = True
    except ValidationError:
        on_server = False
    assert in_browser == on_server


def test_change_password_through_the_form(client, session):
    make_user(session, "alice")
    sign_in(client, "alice")
    token = csrf_from(client.get("/account/password").text, "/account/password")
    wrong = client.post(
        "/account/password",
        data={
            "current_password": "faux",
            "new_password": "nouveau-mdp",
            "new_password_again": "nouveau-mdp",
            "csrf_token": token,
        },
    )
    assert wrong.status_code == 422 and "Mot de passe actuel" in wrong.text
    done = client.post(
        "/account/password",
        data={
            "current_password": "mot-de-passe-test",
            "new_password": "nouveau-mdp",
            "new_password_again": "nouveau-mdp",
            "csrf_token": token,
        },
    )
    assert done.status_code == 200 and "a été changé" in done.text
    assert "Alice" in client.get("/").text  # this browser stays signed in


def test_a_community_page_lets_managers_add_members_and_lists_member_notes(app, client, session):
    alice = make_user(session, "alice", name="Alice")
    make_user(session, "bob", name="Bob")
    sign_in(client, "alice")
    token = csrf_from(client.get("/communautes/").text, "/communautes/")
    created = client.post("/communautes/", data={"name": "Cercle données", "csrf_token": token}, follow_redirects=False)
    url = created.headers["location"]
    cid = url.split("/")[2]
    added = client.post(
        f"/communautes/{cid}/members",
        data={"username": "bob", "role": "member", "csrf_token": token},
        follow_redirects=False,
    )
    assert added.status_code == 303
    make_note(session, alice, title="Notes du cercle", visibility="community", community=cid)
    page = client.get(url)
    assert "Bob" in page.text and "Notes du cercle" in page.text and "Notes (1)" in page.text
    visitor = browser_for(app, session, None).get(url)
    assert "Notes du cercle" not in visitor.text and "Notes (0)" in visitor.text and "Bob" not in visitor.text


@one_database
def test_someone_signed_in_is_told_so_instead_of_the_sign_in_and_registration_forms(app, session):
    bob = make_user(session, "bob", name="Bob Lavoie")
    admin = make_user(session, "root", name="Admin", admin=True)
    bobs = browser_for(app, session, bob)
    for path, advice in (
        ("/login", "Pour vous connecter avec un autre compte, déconnectez-vous d’abord."),
        ("/register", "Pour créer un autre compte, déconnectez-vous d’abord."),
    ):
        page = bobs.get(path)
        text = page_text(page.text)
        assert "Vous êtes connecté·e en tant que Bob Lavoie" in text and advice in text, path
        assert 'type="password"' not in page.text and 'action="/logout"' in page.text, path
    assert "You are signed in as Bob Lavoie" in page_text(bobs.get("/login?lang=en").text)
    # Signing out from there works, and the form is back.
    token = csrf_from(bobs.get("/login").text, "/logout")
    assert bobs.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    assert 'type="password"' in bobs.get("/login").text
    # An administrator opens accounts for other people: the form stays.
    assert 'name="password_again"' in browser_for(app, session, admin).get("/register").text


def _main_nav(page: str) -> str:
    return re.search(r'<nav class="main-nav".*?</nav>', page, re.S).group(0)  # type: ignore[union-attr]


def test_the_navigation_offers_communities_once_there_is_one_or_to_whoever_may_create_one(app, session):
    alice = make_user(session, "alice", name="Alice")
    visitor, member = browser_for(app, session, None), browser_for(app, session, alice)
    assert "Communautés" not in _main_nav(visitor.get("/").text)  # nothing to see, nothing to create
    assert "Communautés" in _main_nav(member.get("/").text)
    empty = page_text(member.get("/communautes/").text)
    assert "Aucune communauté pour l’instant" in empty and "vous en devenez gestionnaire" in empty
    assert "Créer la communauté" in empty
    told = visitor.get("/communautes/").text
    assert "Connectez-vous" in page_text(told) and 'href="/login?next=/communautes/"' in told
    assert "Créer la communauté" not in told

    token = csrf_from(member.get("/communautes/").text, "/communautes/")
    made = {"name": "Cercle des jardins", "description": "Les jardins partagés du quartier.", "csrf_token": token}
    assert member.post("/communautes/", data=made, follow_redirects=False).status_code == 303
    listed = visitor.get("/").text  # the visitors' cached pages follow the change
    assert "Communautés" in _main_nav(listed)
    shown = page_text(visitor.get("/communautes/").text)
    assert "Cercle des jardins" in shown and "Les jardins partagés du quartier." in shown
    assert "Aucune communauté" not in shown


def test_edit_request_flow_on_the_note_page(app, session):
    alice, bob = make_user(session, "alice", name="Alice"), make_user(session, "bob", name="Bob")
    note = make_note(session, alice, title="Ouverte à l'aide")
    as_bob = browser_for(app, session, bob)
    page = as_bob.get(f"/n/{note.id}/")
    assert "Demander les droits d'édition" in page.text
    action = f"/n/{note.id}/edit-requests"
    as_bob.post(action, data={"message": "Je connais le sujet.", "csrf_token": csrf_from(page.text, action)})
    assert "attend la réponse" in as_bob.get(f"/n/{note.id}/").text
    as_alice = browser_for(app, session, alice)
    author_view = as_alice.get(f"/n/{note.id}/")
    assert "Bob" in author_view.text and "Je connais le sujet." in author_view.text
    approve = author_view.text.split('action="/edit-requests/')[1].split('"')[0]
    as_alice.post(
        f"/edit-requests/{approve}", data={"csrf_token": csrf_from(author_view.text, f"/edit-requests/{approve}")}
    )
    after = as_bob.get(f"/n/{note.id}/")
    assert "Demande acceptée" in after.text and f'href="/n/{note.id}/edit"' in after.text


def test_nobody_is_offered_to_ask_for_editing_rights_on_a_deleted_note(app, client, session):
    admin, alice = make_user(session, "adam", admin=True), make_user(session, "alice", name="Alice")
    bob = make_user(session, "bob", name="Bob")
    note = make_note(session, alice, title="Vivante")
    gone = make_note(session, alice, title="Supprimée")
    assert "Demander les droits d'édition" in browser_for(app, session, bob).get(f"/n/{gone.id}/").text
    assert client.delete(f"/api/v1/notes/{gone.id}", headers=token_for(client, "alice")).status_code == 204
    as_admin = browser_for(app, session, admin)
    for shown in (note, gone):  # an admin edits a live note without asking; a deleted one no one asks for
        page = as_admin.get(f"/n/{shown.id}/")
        assert page.status_code == 200 and shown.title in page.text
        assert (
            "Demander les droits d'édition" not in page.text
            and f'action="/n/{shown.id}/edit-requests"' not in page.text
        )
    # Sent anyway (from a page opened before the deletion): a refusal that says why, not a conflict.
    token = csrf_from(as_admin.get(f"/n/{note.id}/").text)
    refused = as_admin.post(
        f"/n/{gone.id}/edit-requests", data={"message": "", "csrf_token": token}, follow_redirects=False
    )
    assert refused.status_code == 403
    assert "Cette note est supprimée" in refused.text and "entre-temps" not in refused.text


def test_admins_deactivate_accounts_from_the_profile(app, session):
    admin, alice = make_user(session, "adam", admin=True), make_user(session, "alice", name="Alice")
    alice_browser = browser_for(app, session, alice)
    as_admin = browser_for(app, session, admin)
    profile = as_admin.get("/u/alice/")
    action = "/u/alice/deactivate"
    assert (
        as_admin.post(action, data={"csrf_token": csrf_from(profile.text, action)}, follow_redirects=False).status_code
        == 303
    )
    assert "compte désactivé" in as_admin.get("/u/alice/").text
    assert "Se connecter" in alice_browser.get("/").text
    assert "Désactiver" not in alice_browser.get("/u/adam/").text


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []

    def handle_starttag(self, tag, attrs):
        own_icon = tag == "svg" and ("class", "icon") in attrs  # Praxis's own inline icons
        own_script = tag == "script" and dict(attrs).get("src", "").startswith("/static/")  # and its own scripts
        # and the JSON-LD data block, never run (test_sharing: a title cannot end it early)
        own_script = own_script or (tag == "script" and dict(attrs).get("type") == "application/ld+json")
        # An image is allowed in a note's text (its raw HTML keeps <img>), never with a handler.
        if (tag in ("script", "svg", "iframe") and not (own_icon or own_script)) or any(
            k.startswith("on") for k, _ in attrs
        ):
            self.bad.append(tag)


@one_database
def test_hostile_names_and_messages_are_shown_as_text(app, session):
    payload = "<script>alert(1)</script><img src=x onerror=alert(1)>"
    evil = make_user(session, "evil", name=payload)
    alice = make_user(session, "alice")
    note = make_note(session, evil, title=payload[:100], body=payload)
    from praxis.schemas import CommunityCreate, EditRequestCreate
    from praxis.people import communities
    from praxis.people import edit_requests

    community = communities.create(
        session=session, actor=evil, data=CommunityCreate(name=payload[:100], description=payload)
    )
    mine = make_note(session, alice, title="À moi")
    edit_requests.request_edit(session=session, actor=evil, note_id=mine.id, data=EditRequestCreate(message=payload))
    session.commit()
    viewer = browser_for(app, session, alice)
    for path in (
        f"/n/{note.id}/",
        "/",
        "/u/evil/",
        f"/communautes/{community.id}/",
        f"/n/{mine.id}/",
        f"/n/{note.id}/history",
    ):
        parser = _Tags()
        parser.feed(viewer.get(path).text)
        assert parser.bad == [], path
