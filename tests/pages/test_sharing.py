"""What search engines and link previews see: descriptions, Open Graph, schema.org JSON-LD,
robots.txt, sitemap.xml, and `noindex` on whatever is not public."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from praxis import caching
from praxis.people import accounts
from praxis.publishing import sitemap
from tests.factories import browser_for, counted, make_note, make_user, token_for

SITE = "https://praxis.example.org"
HOSTILE = 'Chantier </script><script>alert("x")</script> <!-- & </SCRIPT >'


class _Head(HTMLParser):
    """A page's <meta> tags by name or property, and the data of its JSON-LD scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.json_ld: list[str] = []
        self.scripts = 0
        self._in_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "meta" and (found.get("name") or found.get("property")):
            self.meta.setdefault(found.get("name") or found.get("property") or "", []).append(
                found.get("content") or ""
            )
        if tag == "script":
            self.scripts += 1
            self._in_ld = found.get("type") == "application/ld+json"
            if self._in_ld:
                self.json_ld.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data: str) -> None:
        if self._in_ld:
            self.json_ld[-1] += data

    def one(self, name: str) -> str | None:
        values = self.meta.get(name, [])
        assert len(values) <= 1, f"{name} is given {len(values)} times"
        return values[0] if values else None

    @property
    def noindex(self) -> bool:
        return any("noindex" in v for v in self.meta.get("robots", []))

    def ld(self) -> dict:
        assert len(self.json_ld) == 1
        return json.loads(self.json_ld[0])


def head_of(html: str) -> _Head:
    head = _Head()
    head.feed(html)
    return head


@pytest.fixture
def world(client, session):  # type: ignore[no-untyped-def]
    return make_world(client, session)


@pytest.fixture(scope="module")
def built_world(shared_app_each_backend):  # type: ignore[no-untyped-def]
    app, client, session = shared_app_each_backend
    return app, client, session, make_world(client, session)


@pytest.fixture
def shared(built_world):  # type: ignore[no-untyped-def]
    """The world built once per module and backend, for the tests that only read it: the app,
    an anonymous client, a session and the world. The session's transaction ends with each
    test, so that on SQLite it holds no lock the next test's requests would wait on."""
    yield built_world
    built_world[2].rollback()


def make_world(client, session):  # type: ignore[no-untyped-def]
    """Public and hidden notes, carnets and bases; bob belongs to everything hidden."""
    alice = make_user(session, "alice", name="Alice Rivard")
    make_user(session, "bob", name="Bob Tremblay")
    make_user(session, "coop", name="Coopérative du Faubourg")
    client.patch("/api/v1/users/coop", headers=token_for(client, "coop"), json={"is_organisation": True})
    alice_h = token_for(client, "alice")
    community = client.post("/api/v1/communities", headers=alice_h, json={"name": "Voisins"}).json()
    client.post(
        f"/api/v1/communities/{community['id']}/members", headers=alice_h, json={"username": "bob", "role": "member"}
    )
    public = make_note(
        session,
        alice,
        title="Qu'est-ce qu'un chantier?",
        authors=["alice", "coop"],
        licence="CC-BY-4.0",
        body="Un **chantier** réunit des agent·es autour d'un projet commun.",
        published_at="2024-10-30T12:00:00Z",
    )
    hostile = make_note(session, alice, title=HOSTILE, body="Texte.")
    restricted = make_note(session, alice, title="Note secrète", visibility="restricted", readers=["bob"])
    member_only = make_note(
        session, alice, title="Note de la communauté", visibility="community", community=community["id"]
    )
    gone = make_note(session, alice, title="Note supprimée")
    client.delete(f"/api/v1/notes/{gone.id}", headers=alice_h)
    carnets = {}
    for name, visibility in (("public", "public"), ("hidden", "restricted"), ("members", "community")):
        extra = {"community": community["id"]} if visibility == "community" else {}
        carnets[name] = client.post(
            "/api/v1/carnets",
            headers=alice_h,
            json={
                "title": f"Carnet {name}",
                "description": f"Le carnet *{name}* des chantiers.",
                "visibility": visibility,
                **extra,
            },
        ).json()["id"]
        client.post(
            f"/api/v1/carnets/{carnets[name]}/members", headers=alice_h, json={"username": "bob", "role": "contributor"}
        )
        assert (
            client.post(
                f"/api/v1/carnets/{carnets[name]}/notes", headers=alice_h, json={"note_id": public.id}
            ).status_code
            == 201
        )
    bases = {}
    for name, visibility in (("public", "public"), ("hidden", "restricted")):
        bases[name] = client.post(
            "/api/v1/bases",
            headers=alice_h,
            json={"title": f"Base {name}", "description": "Les savoirs du réseau.", "visibility": visibility},
        ).json()["id"]
        client.post(f"/api/v1/bases/{bases[name]}/carnets", headers=alice_h, json={"carnet_id": carnets["public"]})
    return {
        "public": public.id,
        "hostile": hostile.id,
        "restricted": restricted.id,
        "member_only": member_only.id,
        "gone": gone.id,
        "carnets": carnets,
        "bases": bases,
        "community": community["id"],
    }


def _locs(xml: str) -> set[str]:
    """The pages a sitemap lists, each by its address without `?lang=`, after checking that it
    names each by the canonical address its page gives (in the site's language) and lists
    every language's address."""
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    pages = set()
    for url in ET.fromstring(xml).findall("s:url", ns):
        loc = url.findtext("s:loc", "", ns)
        assert loc.endswith("/?lang=fr"), loc
        page = loc.removesuffix("?lang=fr")
        alternates = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)}
        assert alternates == {"fr": loc, "en": f"{page}?lang=en", "x-default": page}
        pages.add(page)
    return pages


def test_the_sitemap_lists_public_notes_carnets_and_bases_only_whoever_asks(app, client, session, world):
    expected = {
        f"{SITE}/n/{world['public']}/",
        f"{SITE}/n/{world['hostile']}/",
        f"{SITE}/c/{world['carnets']['public']}/",
        f"{SITE}/b/{world['bases']['public']}/",
    }
    anonymous = client.get("/sitemap.xml")
    assert anonymous.status_code == 200 and anonymous.headers["content-type"].startswith("application/xml")
    assert _locs(anonymous.text) == expected
    # Bob reads every hidden thing; the sitemap is still the anonymous visitor's.
    bob = browser_for(app, session, accounts.get_user(session, "bob"))
    assert _locs(bob.get("/sitemap.xml").text) == expected
    assert "<lastmod>" in anonymous.text
    # Kept between changes like any page a visitor reads, and told of each change.
    alice_h = token_for(client, "alice")
    client.patch(
        f"/api/v1/notes/{world['hostile']}", headers=alice_h, json={"base_revision": 1, "visibility": "restricted"}
    )
    newer = make_note(session, accounts.get_user(session, "alice"), title="Nouvelle note")
    assert _locs(client.get("/sitemap.xml").text) == expected - {f"{SITE}/n/{world['hostile']}/"} | {
        f"{SITE}/n/{newer.id}/"
    }


def test_a_large_sitemap_is_an_index_of_pages(shared, monkeypatch):
    app, client, session, world = shared
    monkeypatch.setattr(sitemap, "PAGE_SIZE", 3)  # four public things: two pages
    index = ET.fromstring(client.get("/sitemap.xml").text)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    pages = [loc.text for loc in index.findall("s:sitemap/s:loc", ns)]
    assert pages == [f"{SITE}/sitemap.xml?page=1", f"{SITE}/sitemap.xml?page=2"]
    first, second = (_locs(client.get(f"/sitemap.xml?page={n}").text) for n in (1, 2))
    assert len(first) == 3 and len(second) == 1 and not first & second
    assert client.get("/sitemap.xml?page=3").status_code == 404
    assert client.get("/sitemap.xml?page=zero").status_code == 422


def test_each_page_of_a_large_sitemap_is_kept_for_the_next_crawler(app, client, session, monkeypatch):
    # However large the site, every page of its sitemap fits in what the page cache keeps of one
    # answer: a crawler's next visit is served from there, not built again from every public row.
    monkeypatch.setattr(caching, "LARGEST_ENTRY", 4096)  # eight addresses a page, at 500 bytes at most each
    alice = make_user(session, "alice", name="Alice Rivard")
    public = {f"{SITE}/n/{make_note(session, alice, title=f'Note {i}').id}/" for i in range(20)}
    make_note(session, alice, title="Note secrète", visibility="restricted")
    index = client.get("/sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    pages = [loc.text or "" for loc in ET.fromstring(index.text).findall("s:sitemap/s:loc", ns)]
    assert len(pages) > 1 and all(page.startswith(f"{SITE}/sitemap.xml?page=") for page in pages)
    listed: list[str] = []
    for page in pages:
        first = client.get(page.removeprefix(SITE))
        assert first.status_code == 200 and len(first.content) <= 4096
        with counted(app.state.engine) as statements:
            again = client.get(page.removeprefix(SITE))
        assert again.text == first.text
        reads = [statement for statement in statements if statement.lstrip().upper().startswith("SELECT")]
        assert reads and all("site_state" in read for read in reads), reads  # the change counter only: kept
        listed += _locs(first.text)
    assert sorted(listed) == sorted(public)  # every public note once, and nothing else


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_api_and_search(client, session):
    robots = client.get("/robots.txt")
    assert robots.status_code == 200 and robots.headers["content-type"].startswith("text/plain")
    lines = robots.text.splitlines()
    assert lines[0] == "User-agent: *" and f"Sitemap: {SITE}/sitemap.xml" in lines
    assert "Disallow: /api/" in lines and "Disallow: /recherche" in lines and "Disallow: /" not in lines


def test_a_public_note_is_described_to_link_previews_and_search_engines(shared):
    app, client, session, world = shared
    for reader in (client, browser_for(app, session, accounts.get_user(session, "bob"))):
        head = head_of(reader.get(f"/n/{world['public']}/").text)
        assert not head.noindex
        description = "Un chantier réunit des agent·es autour d'un projet commun."
        assert head.one("description") == description == head.one("og:description")
        assert head.one("og:title") == "Qu'est-ce qu'un chantier?" and head.one("og:type") == "article"
        assert head.one("og:url") == f"{SITE}/n/{world['public']}/?lang=fr" and head.one("og:site_name") == "Praxis"
        assert head.one("og:locale") == "fr_CA"
        data = head.ld()
        assert data["@context"] == "https://schema.org" and data["@type"] == "ScholarlyArticle"
        assert data["name"] == "Qu'est-ce qu'un chantier?" and data["url"] == f"{SITE}/n/{world['public']}/"
        assert data["author"] == [
            {"@type": "Person", "name": "Alice Rivard", "url": f"{SITE}/u/alice/"},
            {"@type": "Organization", "name": "Coopérative du Faubourg", "url": f"{SITE}/u/coop/"},
        ]
        assert data["datePublished"] == "2024-10-30" and data["dateModified"].startswith("20")
        assert data["license"] == "https://creativecommons.org/licenses/by/4.0/deed.fr"
        assert data["description"] == description and data["inLanguage"] == "fr"
        # Only the public carnet: bob's membership of the others never shows in what is shared.
        assert data["isPartOf"] == [
            {"@type": "Collection", "name": "Carnet public", "url": f"{SITE}/c/{world['carnets']['public']}/"}
        ]


def test_json_ld_survives_a_hostile_title(shared):
    app, client, session, world = shared
    html = client.get(f"/n/{world['hostile']}/").text
    head = head_of(html)
    assert head.ld()["name"] == HOSTILE and head.one("og:title") == HOSTILE
    assert 'alert("x")</script>' not in html and "<script>alert" not in html
    assert (
        head.scripts == 5
    )  # the JSON-LD, the site's script, the citation's and the note page's two: the title opened none


def test_carnets_and_bases_are_described_with_their_public_bases_only(shared):
    app, client, session, world = shared
    head = head_of(client.get(f"/c/{world['carnets']['public']}/").text)
    assert not head.noindex and head.one("description") == "Le carnet public des chantiers."
    data = head.ld()
    assert data["@type"] == "Collection" and data["author"] == [
        {"@type": "Person", "name": "Alice Rivard", "url": f"{SITE}/u/alice/"}
    ]
    assert data["isPartOf"] == [
        {"@type": "Collection", "name": "Base public", "url": f"{SITE}/b/{world['bases']['public']}/"}
    ]
    base = head_of(client.get(f"/b/{world['bases']['public']}/").text)
    assert not base.noindex and base.one("og:url") == f"{SITE}/b/{world['bases']['public']}/?lang=fr"
    assert base.ld()["description"] == "Les savoirs du réseau."
    # A filtered view of a carnet repeats it: described, not indexed.
    assert head_of(client.get(f"/c/{world['carnets']['public']}/?q=chantier").text).noindex


def test_what_is_not_public_is_noindex_and_describes_nothing(shared):
    app, client, session, world = shared
    alice = browser_for(app, session, accounts.get_user(session, "alice"))
    hidden = [
        f"/n/{world['restricted']}/",
        f"/n/{world['member_only']}/",
        f"/n/{world['gone']}/",
        f"/c/{world['carnets']['hidden']}/",
        f"/c/{world['carnets']['members']}/",
        f"/b/{world['bases']['hidden']}/",
    ]
    for path in hidden:
        page = alice.get(path)  # alice wrote them all (and, as the deleted note's author, sees none of it: 404)
        head = head_of(page.text)
        assert head.noindex, path
        assert head.json_ld == [] and head.one("og:title") is None and head.one("description") is None, path


@pytest.mark.parametrize(
    "path",
    [
        "/login",
        "/register",
        "/n/new",
        "/u/me/inbox",
        "/recherche?q=chantier",
        "/account/password",
        "/n/{public}/history",
        "/n/{public}/diff?from=1&to=1",
        "/n/{public}/?rev=1",
    ],
)
def test_account_pages_editor_inbox_search_history_and_revisions_are_noindex(shared, path):
    app, client, session, world = shared
    alice = browser_for(app, session, accounts.get_user(session, "alice"))
    page = alice.get(path.format(public=world["public"]))
    assert page.status_code == 200, page.text[:300]
    assert head_of(page.text).noindex


@pytest.mark.parametrize("path", ["/", "/c/", "/b/", "/organisations/", "/lexique/", "/u/alice/", "/communautes/"])
def test_public_listings_are_indexed_and_described(shared, path):
    app, client, session, world = shared
    head = head_of(client.get(path).text)
    assert not head.noindex
    assert head.one("og:url") == f"{SITE}{path}?lang=fr" and head.one("description") and head.one("og:title")
