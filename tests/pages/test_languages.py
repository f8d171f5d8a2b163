"""French by default, English complete: how a page's language is chosen and remembered, the
catalogue's completeness, and every page walked in English without a word of French left."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from praxis.app import create_app
from praxis.i18n import CATALOGUES, choose, from_accept_language
from praxis.web import router as web_router
from tests.conftest import one_database
from tests.factories import (
    PASSWORD,
    browser_for,
    csrf_from,
    make_note,
    make_small_site,
    make_user,
    page_text,
    token_for,
)

ROOT = Path(__file__).resolve().parents[2]

# Words and letters that only French text carries (the test's own content is plain English).
FRENCH = re.compile(
    r"[àâçéèêëîïôûùüÿœæ«»]|\b(le|la|les|des|du|une|est|et|pour|avec|dans|sur|aucune?|vous|votre|vos|cette|ces|qui|que|pas|aux|par)\b",
    re.IGNORECASE,
)

IDENTIFIER = re.compile(r"[A-Za-z0-9_-]+")


class VisibleText(HTMLParser):
    """What a reader sees or hears of a page: text, titles, labels, placeholders, button values and
    the words its scripts show, leaving out scripts, typed text (textarea) and whatever is marked
    another language."""

    SKIP = {"script", "style", "textarea"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, lang: str) -> None:
        super().__init__(convert_charrefs=True)
        self.lang = lang
        self.parts: list[str] = []
        self.stack: list[bool] = []  # per open element: is its content left out?

    def _skipped(self) -> bool:
        return any(self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        other_language = values.get("lang") not in (None, self.lang)
        if not self._skipped() and not other_language:
            for name, value in values.items():
                # What is read aloud or shown, and the words scripts show (they come from data-*).
                if value and (name in ("title", "alt", "placeholder", "aria-label") or name.startswith("data-")):
                    if name.startswith("data-") and IDENTIFIER.fullmatch(value):
                        continue  # an id or a key ("bHkBdNXc_-dU" is not the word "du"): words have spaces or accents
                    self.parts.append(value)
            if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
                self.parts.append(values["value"] or "")
        if tag not in self.VOID:
            self.stack.append(tag in self.SKIP or other_language)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self._skipped() and data.strip():
            self.parts.append(data.strip())


def french_in(html: str, lang: str = "en") -> list[str]:
    """The pieces of a page in `lang` that read as French."""
    parser = VisibleText(lang)
    parser.feed(html)
    return [part for part in parser.parts if FRENCH.search(part)]


# --- choosing the language ---------------------------------------------------------------


def test_accept_language_is_read_by_quality_and_falls_back_to_the_site():
    assert from_accept_language("en-US,en;q=0.9,fr;q=0.8") == "en"
    assert from_accept_language("fr-CA,fr;q=0.9,en;q=0.8") == "fr"
    assert from_accept_language("de-DE, en;q=0.5, fr;q=0.4") == "en"
    assert from_accept_language("en;q=0, fr") == "fr"
    assert from_accept_language("fr;q=0.2, en;q=0.7") == "en"
    assert from_accept_language("zz, *;q=0.1") is None
    assert choose(query="xx", cookie=None, accept_language="", default="en") == "en"
    assert choose(query=None, cookie="en", accept_language="fr", default="fr") == "en"
    assert choose(query="fr", cookie="en", accept_language="en", default="en") == "fr"


@one_database
def test_the_interface_is_french_by_default_and_english_on_request(client):
    french = client.get("/")
    assert '<html lang="fr">' in french.text and "Un commun de connaissances" in french.text
    assert french.headers["content-language"] == "fr" and "Accept-Language" in french.headers["vary"]
    english = client.get("/", headers={"Accept-Language": "en-CA,en;q=0.9"})
    assert (
        '<html lang="en">' in english.text
        and "A knowledge commons" in english.text
        and "Un commun de connaissances" not in english.text
    )
    assert "set-cookie" not in english.headers  # the browser's language is not a choice to remember
    assert client.get("/", headers={"Accept-Language": "de-DE"}).headers["content-language"] == "fr"


@one_database
def test_the_switcher_keeps_the_page_and_remembers_the_choice(client):
    page = client.get("/recherche?q=atelier")
    assert 'href="/recherche?q=atelier&amp;lang=en"' in page.text  # the same search, in English
    chosen = client.get("/recherche?q=atelier&lang=en")
    assert '<html lang="en">' in chosen.text and "praxis_lang=en" in chosen.headers["set-cookie"]
    assert "Max-Age=31536000" in chosen.headers["set-cookie"]
    # Remembered: the next page, without ?lang and whatever the browser prefers, is in English.
    later = client.get("/lexique/", headers={"Accept-Language": "fr-CA"})
    assert '<html lang="en">' in later.text and "Glossary" in later.text
    back = client.get("/lexique/?lang=fr")
    assert '<html lang="fr">' in back.text and "praxis_lang=fr" in back.headers["set-cookie"]
    assert '<html lang="fr">' in client.get("/").text


@one_database
def test_a_wrong_language_or_cookie_is_ignored(client):
    assert client.get("/?lang=tlh").status_code == 200
    client.cookies.set("praxis_lang", "<script>")
    response = client.get("/")
    assert response.status_code == 200 and '<html lang="fr">' in response.text


@one_database
def test_the_site_language_is_the_default_for_visitors_without_a_preference(settings):
    app = create_app(settings.model_copy(update={"language": "en"}))
    with TestClient(app, base_url="https://testserver") as english_site:
        assert '<html lang="en">' in english_site.get("/").text
        assert '<html lang="fr">' in english_site.get("/", headers={"Accept-Language": "fr"}).text
    app.state.engine.dispose()


@one_database
def test_counts_and_dates_are_written_the_way_each_language_writes_them(client, session):
    alice = make_user(session, "alice", name="Alice Martin")
    headers = token_for(client, "alice")
    empty = client.post("/api/v1/carnets", headers=headers, json={"title": "Empty"}).json()
    one = client.post("/api/v1/carnets", headers=headers, json={"title": "Single"}).json()
    note = make_note(session, alice, title="Garden", body="Plain words.", published_at="2025-05-01T12:00:00Z")
    client.post(f"/api/v1/carnets/{one['id']}/notes", headers=headers, json={"note_id": note.id})
    french, english = client.get("/c/?lang=fr").text, client.get("/c/?lang=en").text
    assert re.search(r"Empty</a>\s*<span class=\"count\">— 0 note</span>", french)  # French: zero is singular
    assert re.search(r"Empty</a>\s*<span class=\"count\">— 0 notes</span>", english)
    assert re.search(r"Single</a>\s*<span class=\"count\">— 1 note</span>", english)
    assert "1er mai 2025" in client.get(f"/n/{note.id}/?lang=fr").text
    assert "May 1, 2025" in client.get(f"/n/{note.id}/?lang=en").text


@one_database
def test_notifications_read_in_the_readers_language(client, session, app):
    alice = make_user(session, "alice", name="Alice Martin")
    make_user(session, "bob", name="Bob Smith")
    note = make_note(session, alice, title="Garden", body="Plain words.")
    client.post(f"/api/v1/notes/{note.id}/comments", headers=token_for(client, "bob"), json={"body": "Nice."})
    reader = browser_for(app, session, alice)
    assert "Bob Smith commented on your note" in reader.get("/u/me/inbox?lang=en").text
    assert "Bob Smith a commenté votre note « Garden »" in reader.get("/u/me/inbox?lang=fr").text


# --- the catalogue -------------------------------------------------------------------------


def _source_messages() -> set[str | tuple[str, ...]]:
    method_map = [("praxis/**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2")]
    options = {
        "templates/**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "True", "lstrip_blocks": "True"},
        "templates/**.txt": {"extensions": "jinja2.ext.i18n", "trim_blocks": "True", "lstrip_blocks": "True"},
    }
    found: set[str | tuple[str, ...]] = set()
    for _filename, _lineno, message, _comments, context in extract_from_dir(str(ROOT), method_map, options):
        if message and message != ("",):
            key = message if isinstance(message, str) else tuple(message[:2])
            # A word in one sense ("Annuler" meaning undo) is its own entry: gettext's context\x04message.
            found.add(f"{context}\x04{key}" if context and isinstance(key, str) else key)
    return found


def test_every_interface_string_has_an_english_translation():
    with open(CATALOGUES / "en" / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalog = read_po(po)
    translated = {}
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else tuple(message.id)
        if message.context and isinstance(key, str):
            key = f"{message.context}\x04{key}"
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        if message.fuzzy or not all(strings):
            continue
        translated[key] = strings
    sources = _source_messages()
    assert len(sources) > 300  # the extraction did find the interface
    missing = sorted(map(str, sources - translated.keys()))
    assert not missing, f"untranslated (run `make messages`, then translate): {missing[:20]}"

    # Placeholders survive translation: the same %(name)s and {name} on both sides (a plural's
    # singular may say "one" instead of its count).
    def placeholders(*texts: str) -> set[str]:
        return {p for text in texts for p in re.findall(r"%\(\w+\)s|\{\w+\}", text)}

    for key, strings in translated.items():
        sources = (key,) if isinstance(key, str) else key
        assert placeholders(*strings) == placeholders(*sources), (key, strings)


def test_the_english_catalogue_is_complete_and_punctuated_the_english_way():
    """Every entry translated (nothing empty, nothing fuzzy, which would fall back to French), and
    no French typography in English: no space (plain, non-breaking or thin) before ? ! : ;, and
    no « » quotation marks."""
    with open(CATALOGUES / "en" / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalog = read_po(po)
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        if message.fuzzy:
            wrong.append(("fuzzy", message.id))
        for text in strings:
            if not text:
                wrong.append(("empty", message.id))
            elif re.search("[ \u00a0\u202f][?!:;]", text):
                wrong.append(("French spacing", text))
            elif "«" in text or "»" in text:
                wrong.append(("French quotation marks", text))
    assert len(catalog) > 300 and wrong == []


# --- every page, in English ----------------------------------------------------------------


def _page_routes() -> set[str]:
    paths: set[str] = set()

    def walk(router) -> None:  # type: ignore[no-untyped-def]
        for route in router.routes:
            if hasattr(route, "original_router"):
                walk(route.original_router)
            elif "GET" in getattr(route, "methods", ()):
                paths.add(route.path)

    walk(web_router)
    return paths


# Not pages: feeds, downloads and files speak their own formats; a slug only redirects.
NOT_PAGES = {
    "/favicon.ico",
    "/manifest.webmanifest",
    "/feed.atom",
    "/c/{carnet_id}/feed.atom",
    "/b/{base_id}/feed.atom",
    "/u/{username}/feed.atom",
    "/n/{note_id}/discussion.atom",
    "/n/{note_id}/citation.{ext}",
    "/c/{carnet_id}/citation.{ext}",
    "/b/{base_id}/citation.{ext}",
    "/c/{carnet_id}/export.zip",
    "/b/{base_id}/export.zip",
    "/n/{note_id}/files/{file_id}/thumb",
    "/n/{note_id}/files/{file_id}/{name}",
    "/envois/{file_id}/thumb",
    "/envois/{file_id}/{name}",
    "/n/{note_id}/{slug}",
    "/robots.txt",
    "/sitemap.xml",
}


@pytest.fixture
def site(client, session):  # type: ignore[no-untyped-def]
    return make_small_site(client, session)


@pytest.fixture(scope="module")
def read_site(shared_app):  # type: ignore[no-untyped-def]
    """The small site built once for the tests that only read its pages (the walks)."""
    app, client, session = shared_app
    return app, session, make_small_site(client, session)


def _urls(site: dict) -> dict[str, list[str]]:  # type: ignore[type-arg]
    n, c, b = site["note"], site["carnet"], site["base"]
    return {
        "/": ["/"],
        "/notes/": ["/notes/", "/notes/?sort=title"],
        "/login": ["/login"],
        "/register": ["/register"],
        "/account/password": ["/account/password"],
        "/u/{username}/": ["/u/alice/", "/u/bob/"],
        "/u/{username}/edit": ["/u/alice/edit"],
        "/communautes/": ["/communautes/"],
        "/communautes/{community_id}/": [f"/communautes/{site['community']}/"],
        "/organisations/": ["/organisations/"],
        "/lexique/": ["/lexique/"],
        "/def/{slug}/": [f"/def/{site['term']}/"],
        "/recherche": ["/recherche", "/recherche?q=workshop", "/recherche?q=zzzz", "/recherche?q=workshop+zzzz"],
        "/comments/{comment_id}/edit": [f"/comments/{site['comment']}/edit"],
        "/u/me/inbox": ["/u/me/inbox"],
        "/account/notifications": ["/account/notifications"],
        "/account/tokens": ["/account/tokens"],
        "/c/": ["/c/"],
        "/c/{carnet_id}/": [f"/c/{c}/", f"/c/{c}/?category=Housing&sort=title"],
        "/c/{carnet_id}/graphe": [f"/c/{c}/graphe"],
        "/c/{carnet_id}/edit": [f"/c/{c}/edit"],
        "/c/{carnet_id}/delete": [f"/c/{c}/delete"],
        "/c/{carnet_id}/categories/delete": [f"/c/{c}/categories/delete?name=Housing"],
        "/c/{carnet_id}/n/{note_id}": [f"/c/{c}/n/{n}"],
        "/b/": ["/b/"],
        "/b/{base_id}/": [f"/b/{b}/"],
        "/b/{base_id}/edit": [f"/b/{b}/edit"],
        "/b/{base_id}/delete": [f"/b/{b}/delete"],
        "/n/new": ["/n/new", f"/n/new?carnet={c}"],
        "/n/{note_id}/": [f"/n/{n}/", f"/n/{n}/?rev=1", f"/n/{site['org']}/"],
        "/n/{note_id}/edit": [f"/n/{n}/edit"],
        "/n/{note_id}/ajouter": [f"/n/{n}/ajouter", f"/n/{site['org']}/ajouter?carnet={c}"],
        "/n/{note_id}/history": [f"/n/{n}/history"],
        "/n/{note_id}/delete": [f"/n/{n}/delete"],
        "/corbeille/": ["/corbeille/"],
        "/n/{note_id}/diff": [f"/n/{n}/diff?from=1&to=2"],
    }


def test_every_page_is_fully_translated_into_english(read_site):
    app, session, site = read_site
    urls = _urls(site)
    unmapped = _page_routes() - NOT_PAGES - urls.keys()
    assert not unmapped, f"a page this test does not walk yet: {unmapped}"
    reader = browser_for(app, session, site["alice"])
    visitor = TestClient(app, base_url="https://testserver")
    for route, addresses in urls.items():
        for address in addresses:
            who = visitor if route in ("/login", "/register") else reader
            response = who.get(address + ("&" if "?" in address else "?") + "lang=en")
            assert response.status_code == 200, (address, response.status_code)
            assert '<html lang="en">' in response.text, address
            assert not french_in(response.text), (address, french_in(response.text))
    # Error pages too: not found, a wrong value, a page that needs signing in.
    for address, status in (("/n/nope/", 404), (f"/n/{site['note']}/?style=sideways", 422), ("/n/new", 303)):
        response = visitor.get(address + ("&" if "?" in address else "?") + "lang=en", follow_redirects=False)
        assert response.status_code == status, address
        if status != 303:
            assert not french_in(response.text), (address, french_in(response.text))
            assert status != 422 or "Fields concerned: Citation style" in response.text


def test_the_walk_finds_french_when_it_is_there(read_site):
    """The detector is not blind: the same pages in French are caught."""
    app, session, site = read_site
    reader = browser_for(app, session, site["alice"])
    for address in ("/", f"/n/{site['note']}/", "/lexique/", f"/c/{site['carnet']}/"):
        assert french_in(reader.get(address, params={"lang": "fr"}).text, lang="fr"), address


@one_database
def test_a_refused_form_shows_what_was_typed_as_text_in_both_languages(app, session):
    alice = make_user(session, "alice", name="Alice Martin")
    reader = browser_for(app, session, alice)
    for lang in ("fr", "en"):
        form = reader.get(f"/n/new?lang={lang}")
        response = reader.post(
            f"/n/new?lang={lang}",
            data={
                "csrf_token": csrf_from(form.text, "/n/new"),
                "title": "Garden",
                "body": "Words.",
                "links": "<img src=x onerror=alert(1)>",
                "kind": "note",
                "visibility": "public",
                "licence": "CC-BY-SA-4.0",
            },
        )
        assert response.status_code == 422
        assert "<img src=x" not in response.text and "&lt;img src=x onerror=alert(1)&gt;" in response.text


@one_database
def test_what_the_services_refuse_is_said_in_the_readers_language(app, session, client):
    alice = make_user(session, "alice", name="Alice Martin")
    reader = browser_for(app, session, alice)
    for lang, words in (
        ("fr", "Aucune note ne correspond à ces liens : Nowhere."),
        ("en", "No note matches these links: Nowhere."),
    ):
        form = reader.get(f"/n/new?lang={lang}")
        response = reader.post(
            f"/n/new?lang={lang}",
            data={
                "csrf_token": csrf_from(form.text, "/n/new"),
                "title": "Garden",
                "body": "Words.",
                "links": "Nowhere",
                "kind": "note",
                "visibility": "public",
                "licence": "CC-BY-SA-4.0",
            },
        )
        assert response.status_code == 422 and words in page_text(response.text)
    # The API keeps its English messages.
    response = client.post(
        "/api/v1/notes", headers=token_for(client, "alice"), json={"title": "Garden", "body": "x", "links": ["Nowhere"]}
    )
    assert response.status_code == 422 and "Nowhere" in response.text and "Aucune" not in response.text


@one_database
def test_the_switcher_never_links_to_another_site(client):
    page = client.get("https://testserver//evil.example/x")
    assert page.status_code == 404
    assert 'href="//evil.example' not in page.text and 'href="/evil.example/x?lang=en"' in page.text


@one_database
def test_another_apps_odd_cookie_does_not_make_the_site_forget_the_language(client):
    response = client.get("/", headers={"Cookie": 'foo={"a":1}; praxis_lang=en'})
    assert '<html lang="en">' in response.text


# --- every form's refusals, in English -----------------------------------------------------


def _form_routes() -> set[str]:
    paths: set[str] = set()

    def walk(router) -> None:  # type: ignore[no-untyped-def]
        for route in router.routes:
            if hasattr(route, "original_router"):
                walk(route.original_router)
            elif "POST" in getattr(route, "methods", ()):
                paths.add(route.path)

    walk(web_router)
    return paths


def _refusals(site: dict, ids: dict) -> dict[str, list[tuple[str, str, dict]]]:  # type: ignore[type-arg]
    """Per form: (who sends it, where, what) for each way the form refuses what it is sent."""
    n, c, b, cm, co = site["note"], site["carnet"], site["base"], site["comment"], site["community"]
    long = "x" * 5000
    return {
        "/login": [("visitor", "/login", {"username": "alice", "password": "not it"})],
        "/logout": [("alice", "/logout", {"csrf_token": "stale"})],
        "/register": [
            ("visitor", "/register", {"username": "dora", "password": "long enough", "password_again": "not the same"}),
            ("visitor", "/register", {"username": "bob", "password": "long enough", "password_again": "long enough"}),
            ("visitor", "/register", {"username": "dora", "password": "short", "password_again": "short"}),
            (
                "visitor",
                "/register",
                {"username": "Not a name!", "password": "long enough", "password_again": "long enough"},
            ),
            (
                "visitor",
                "/register",
                {"username": "dora", "password": "long enough", "password_again": "long enough", "email": "nope"},
            ),
        ],
        "/account/password": [
            (
                "carol",
                "/account/password",
                {"current_password": PASSWORD, "new_password": "long enough", "new_password_again": "not the same"},
            ),
            (
                "carol",
                "/account/password",
                {"current_password": "not it", "new_password": "long enough", "new_password_again": "long enough"},
            ),
            (
                "carol",
                "/account/password",
                {"current_password": PASSWORD, "new_password": "short", "new_password_again": "short"},
            ),
        ],
        "/account/tokens/{token_id}/revoke": [("carol", f"/account/tokens/{ids['alice_token']}/revoke", {})],
        "/account/notifications": [("alice", "/account/notifications", {"comment": "carrier pigeon"})],
        "/u/{username}/edit": [
            ("alice", "/u/alice/edit", {"display_name": "Alice Martin", "given_name": "Alice"}),
            ("alice", "/u/alice/edit", {"display_name": ""}),
            ("carol", "/u/alice/edit", {"display_name": "Someone"}),
        ],
        "/u/{username}/{action}": [("alice", "/u/alice/deactivate", {}), ("carol", "/u/bob/deactivate", {})],
        "/communautes/": [("alice", "/communautes/", {"name": ""}), ("alice", "/communautes/", {"name": "x" * 300})],
        "/communautes/{community_id}/members": [
            ("alice", f"/communautes/{co}/members", {"username": "nobody", "role": "member"}),
            ("alice", f"/communautes/{co}/members", {"username": "bob", "role": "boss"}),
            ("carol", f"/communautes/{co}/members", {"username": "carol", "role": "manager"}),
        ],
        "/communautes/{community_id}/members/{username}/remove": [
            ("alice", f"/communautes/{co}/members/alice/remove", {}),
            ("carol", f"/communautes/{co}/members/alice/remove", {}),
        ],
        "/n/{note_id}/comments": [
            ("carol", f"/n/{n}/comments", {"body": ""}),
            ("carol", f"/n/{n}/comments", {"body": "Reply.", "parent_id": "nope"}),
            ("carol", f"/n/{n}/comments", {"body": long * 10}),
        ],
        "/comments/{comment_id}/edit": [
            ("alice", f"/comments/{cm}/edit", {"body": ""}),
            ("carol", f"/comments/{cm}/edit", {"body": "Mine now."}),
        ],
        "/comments/{comment_id}/delete": [("carol", f"/comments/{cm}/delete", {})],
        "/comments/{comment_id}/hide": [
            ("alice", f"/comments/{cm}/hide", {"reason": long}),
            ("carol", f"/comments/{cm}/hide", {}),
        ],
        "/comments/{comment_id}/restore": [
            ("alice", "/comments/nope/restore", {}),
            ("carol", f"/comments/{cm}/restore", {}),
        ],
        "/invitations/{invitation_id}/{decision}": [
            ("carol", "/invitations/nope/accept", {}),
            ("carol", "/invitations/nope/maybe", {}),
        ],
        # The organisation's sole author may not leave it; carol is no author of the note.
        "/n/{note_id}/leave": [("alice", f"/n/{site['org']}/leave", {}), ("carol", f"/n/{n}/leave", {})],
        "/n/{note_id}/discussion": [("carol", f"/n/{n}/discussion", {"closed": "1"})],
        "/n/{note_id}/files": [
            ("alice", f"/n/{n}/files", {}),
            ("alice", f"/n/{n}/files", {"file": ("a.exe", b"MZ\x90\x00binary")}),
        ],
        "/n/{note_id}/files/{file_id}/delete": [("alice", f"/n/{n}/files/nope/delete", {})],
        "/u/me/messages/{message_id}/reply": [
            ("alice", f"/u/me/messages/{ids['message']}/reply", {"message": ""}),
            ("alice", "/u/me/messages/nope/reply", {"message": "Hello."}),
        ],
        "/n/{note_id}/contact": [
            ("carol", f"/n/{n}/contact", {"subject": "", "message": ""}),
            (
                "visitor",
                f"/n/{n}/contact",
                {"subject": "Hello", "message": "Words.", "name": "Dora", "email": "not an address"},
            ),
        ],
        "/c/": [
            ("alice", "/c/", {"title": ""}),
            (
                "alice",
                "/c/",
                {"title": "Winter", "axis1": "Theme", "axis1_categories": ",".join(f"c{i}" for i in range(12))},
            ),
        ],
        "/c/{carnet_id}/edit": [
            ("alice", f"/c/{c}/edit", {"title": "x" * 400}),
            ("alice", f"/c/{c}/edit", {"title": "Summer", "community": "nope"}),
        ],
        "/c/{carnet_id}/delete": [("carol", f"/c/{c}/delete", {})],
        "/c/{carnet_id}/members": [
            ("alice", f"/c/{c}/members", {"username": "nobody", "role": "contributor"}),
            ("alice", f"/c/{c}/members", {"username": "bob", "role": "boss"}),
        ],
        "/c/{carnet_id}/members/{username}/remove": [
            ("alice", f"/c/{c}/members/alice/remove", {}),
            ("alice", f"/c/{c}/members/nobody/remove", {}),
        ],
        "/c/{carnet_id}/axes": [
            ("alice", f"/c/{c}/axes", {"name": ""}),
            ("alice", f"/c/{c}/axes", {"name": "Place", "categories": ",".join(f"c{i}" for i in range(12))}),
        ],
        "/c/{carnet_id}/axes/{axis_id}/rename": [
            ("alice", f"/c/{c}/axes/{ids['axis']}/rename", {"name": ""}),
            ("alice", f"/c/{c}/axes/999999/rename", {"name": "New"}),
        ],
        "/c/{carnet_id}/axes/{axis_id}/delete": [("alice", f"/c/{c}/axes/999999/delete", {})],
        "/c/{carnet_id}/axes/{axis_id}/categories": [
            ("alice", f"/c/{c}/axes/{ids['axis']}/categories", {"name": "Housing"}),
            ("alice", f"/c/{c}/axes/{ids['axis']}/categories", {"name": ""}),
        ],
        "/c/{carnet_id}/categories/rename": [
            ("alice", f"/c/{c}/categories/rename", {"name": "Nothing", "new_name": "New"}),
            ("alice", f"/c/{c}/categories/rename", {"name": "Housing", "new_name": ""}),
        ],
        "/c/{carnet_id}/categories/delete": [
            ("alice", f"/c/{c}/categories/delete", {"name": "Housing", "notes": "move"}),
            ("alice", f"/c/{c}/categories/delete", {"name": "Nothing"}),
        ],
        "/c/{carnet_id}/notes": [
            ("alice", f"/c/{c}/notes", {"note": ""}),
            ("alice", f"/c/{c}/notes", {"note": "Nowhere"}),
            ("alice", f"/c/{c}/notes", {"note": f"Riverside Library [{site['org']}]", "categories": "Nothing"}),
        ],
        "/c/{carnet_id}/n/{note_id}": [
            ("alice", f"/c/{c}/n/{n}", {"categories": "Nothing"}),
            ("alice", f"/c/{c}/n/{n}", {"position": "first"}),
        ],
        "/n/{note_id}/ajouter": [
            ("alice", f"/n/{n}/ajouter", {"carnet": c}),  # already there
            ("alice", f"/n/{site['org']}/ajouter", {"carnet": c, "categories": "Nothing"}),
            ("carol", f"/n/{site['org']}/ajouter", {"carnet": c}),
        ],
        "/c/{carnet_id}/n/{note_id}/move": [
            ("alice", f"/c/{c}/n/{n}/move", {"step": "7"}),
            ("alice", f"/c/{c}/n/{n}/move", {"position": "first"}),
        ],
        "/c/{carnet_id}/n/{note_id}/pin": [("alice", f"/c/{c}/n/{n}/pin", {"pinned": "maybe"})],
        "/c/{carnet_id}/n/{note_id}/remove": [("alice", f"/c/{c}/n/{site['org']}/remove", {})],
        "/c/{carnet_id}/n/{note_id}/unremove": [
            ("alice", f"/c/{c}/n/{n}/unremove", {"undo": "forged"}),  # not what the site signed
            ("carol", f"/c/{c}/n/{n}/unremove", {}),  # not hers to file
        ],
        "/b/": [("alice", "/b/", {"title": ""}), ("alice", "/b/", {"title": "Other", "community": "nope"})],
        "/b/{base_id}/edit": [
            ("alice", f"/b/{b}/edit", {"title": "x" * 400}),
            ("alice", f"/b/{b}/edit", {"title": "Collection", "visibility": "everyone"}),
        ],
        "/b/{base_id}/delete": [("carol", f"/b/{b}/delete", {})],
        "/b/{base_id}/carnets": [
            ("alice", f"/b/{b}/carnets", {"carnet_id": ""}),
            ("alice", f"/b/{b}/carnets", {"carnet_id": "nope"}),
        ],
        "/b/{base_id}/carnets/{carnet_id}/remove": [("alice", f"/b/{b}/carnets/nope/remove", {})],
        "/b/{base_id}/managers": [
            ("alice", f"/b/{b}/managers", {"username": ""}),
            ("alice", f"/b/{b}/managers", {"username": "nobody"}),
        ],
        "/b/{base_id}/managers/{username}/remove": [
            ("alice", f"/b/{b}/managers/alice/remove", {}),
            ("carol", f"/b/{b}/managers/alice/remove", {}),
        ],
        "/n/new": [
            (
                "alice",
                "/n/new",
                {"title": "", "body": "Words.", "kind": "note", "visibility": "public", "licence": "CC-BY-SA-4.0"},
            ),
            (
                "alice",
                "/n/new",
                {"title": "New", "body": "Words.", "kind": "note", "visibility": "public", "licence": "mine"},
            ),
            (
                "alice",
                "/n/new",
                {
                    "title": "New",
                    "body": "Words.",
                    "kind": "note",
                    "visibility": "public",
                    "licence": "CC-BY-SA-4.0",
                    "authors": "nobody",
                },
            ),
            (
                "alice",
                "/n/new",
                {
                    "title": "New",
                    "body": "Words.",
                    "kind": "note",
                    "visibility": "restricted",
                    "licence": "CC-BY-SA-4.0",
                    "readers": "nobody",
                },
            ),
            (
                "alice",
                "/n/new",
                {
                    "title": "New",
                    "body": "Words.",
                    "kind": "note",
                    "visibility": "community",
                    "licence": "CC-BY-SA-4.0",
                    "community": "nope",
                },
            ),
        ],
        "/n/{note_id}/edit-requests": [
            ("alice", f"/n/{n}/edit-requests", {"message": "Let me in."}),
            ("carol", f"/n/{n}/edit-requests", {"message": long}),
        ],
        "/edit-requests/{request_id}/{decision}": [("alice", "/edit-requests/nope/approve", {})],
        "/n/{note_id}/edit": [
            (
                "alice",
                f"/n/{n}/edit",
                {
                    "title": "x" * 400,
                    "body": "Words.",
                    "kind": "note",
                    "visibility": "public",
                    "licence": "CC-BY-SA-4.0",
                    "base_revision": "2",
                },
            ),
            (
                "alice",
                f"/n/{n}/edit",
                {
                    "title": "Field notes",
                    "body": "Other words.",
                    "kind": "note",
                    "visibility": "public",
                    "licence": "CC-BY-SA-4.0",
                    "base_revision": "1",
                    "authors": "alice, bob",
                },
            ),
            ("carol", f"/n/{n}/edit", {"title": "Mine", "body": "Words.", "base_revision": "2"}),
        ],
        "/n/{note_id}/delete": [("carol", f"/n/{n}/delete", {})],
        "/n/{note_id}/undelete": [("carol", f"/n/{n}/undelete", {}), ("alice", f"/n/{n}/undelete", {})],
        "/n/{note_id}/revisions/{number}/restore": [("alice", f"/n/{n}/revisions/99/restore", {})],
    }


@one_database
def test_every_refused_form_answers_in_english(app, client, session, site):
    carol = make_user(session, "carol", name="Carol Jones")
    alice_h = token_for(client, "alice")
    carnet = client.get(f"/api/v1/carnets/{site['carnet']}", headers=alice_h).json()
    ids = {
        "axis": carnet["axes"][0]["id"],
        "message": client.get("/api/v1/me/messages", headers=alice_h).json()[0]["id"],
        "alice_token": client.get("/api/v1/me/tokens", headers=alice_h).json()["items"][0]["id"],
    }
    refusals = _refusals(site, ids)
    unmapped = _form_routes() - refusals.keys()
    assert not unmapped, f"a form this test does not refuse yet: {unmapped}"
    browsers = {
        "alice": browser_for(app, session, site["alice"]),
        "carol": browser_for(app, session, carol),
        "visitor": browser_for(app, session, None),
    }
    tokens = {}
    for who, browser in browsers.items():
        browser.cookies.set("praxis_lang", "en")
        tokens[who] = csrf_from(browser.get("/login" if who == "visitor" else "/account/password").text)
    wrong = []  # every form walked before failing, so that one run lists all that is left
    for route, cases in refusals.items():
        for who, address, sent in cases:
            files = {k: v for k, v in sent.items() if isinstance(v, tuple)}
            data = {"csrf_token": tokens[who], **{k: v for k, v in sent.items() if not isinstance(v, tuple)}}
            response = browsers[who].post(address, data=data, files=files or None, follow_redirects=False)
            # A field is named as the reader knows it ("Role"), never by its name in the code ("role").
            raw = re.findall(r"Fields concerned: ([a-z_]+)|<strong>([a-z_]+)</strong>", response.text)
            if response.status_code < 400 or '<html lang="en">' not in response.text or french_in(response.text) or raw:
                wrong.append((address, sent, response.status_code, french_in(response.text), raw))
    assert not wrong, "\n".join(map(repr, wrong))
