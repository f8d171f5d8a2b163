"""Search shows only what the reader may see: results, totals, facets, snippets, suggestions.

The world of the access matrix (tests/test_permission_matrix.py), searched: Alice writes note T
with the visibility under test, kept among the community "Cercle" (Alice, Carl) or the chosen
reader Rita; Olga's public note P shares one word with T ("chantier") and names T only by a
label. T alone holds "zorglubienne" and "brumaflore", is dated 2011 and sits in Alice's public
carnet. Mona is signed in and related to nothing; Adam is an admin.
"""

from datetime import UTC, datetime

import pytest

from praxis.schemas import (
    CarnetCreate,
    CommunityCreate,
    EntryCreate,
    NoteUpdate,
)
from praxis.people import accounts
from praxis.carnets import carnets
from praxis.people import communities
from praxis.carnets import filing
from praxis.notes import notes as note_service
from tests.conftest import BACKENDS, WorldSnapshots, shared_site
from tests.factories import make_cast, as_actor, browser_for, make_note, make_user, token_for

SECRET_TITLE = "Quintessence hydrofrangible"
SECRET_WORD = "zorglubienne"  # only in T's body
OTHER_SECRET = "brumaflore"  # only in T's body, never searched for
TYPO = "zorglobienne"  # one letter off SECRET_WORD, and another stem
COMMON = "chantier"  # in T and in P
SECRET_YEAR = 2011
PUBLIC_YEAR = 2020
VIEWERS = ["anonymous", "member", "community_member", "reader", "author", "admin"]
ALLOWED = {
    "public": set(VIEWERS),
    "community": {"community_member", "author", "admin"},
    "restricted": {"reader", "author", "admin"},
}
SAME_SITE = {"Origin": "https://testserver"}  # API writes made with a browser's session cookie


def _search(client, **params) -> dict:
    response = client.get("/api/v1/search", params={"per_page": 100, **params})
    assert response.status_code == 200, response.text
    return response.json()


def _search_with(client, headers, **params) -> dict:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/search", params={"per_page": 100, **params}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def _ids(found: dict) -> set[str]:
    return {item["id"] for item in found["items"]}


def _facet(found: dict, name: str) -> dict[str, int]:
    return {value["value"]: value["count"] for value in found["facets"][name]}


def _listed(client, **params) -> set[str]:
    """The ids GET /api/v1/notes gives this client (the `visible_notes` rule)."""
    response = client.get("/api/v1/notes", params={"per_page": 100, **params})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == len(body["items"]), "more notes than one page: the cross-check would miss some"
    return {item["id"] for item in body["items"]}


def _write(client, method: str, path: str, **kwargs):  # type: ignore[no-untyped-def]
    response = client.request(method, path, headers=SAME_SITE, **kwargs)
    assert response.status_code in (200, 201, 204), (path, response.status_code, response.text)
    return response.json() if response.content else None


def _at(year: int) -> datetime:
    return datetime(year, 6, 15, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
def world_snapshots(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> WorldSnapshots:
    """The world built once per backend; each test that changes it gets a site holding a copy."""
    return WorldSnapshots(request, tmp_path_factory.mktemp("search-world"), lambda _app, session: _build_world(session))


@pytest.fixture
def world(client, snapshot_world, session):  # type: ignore[no-untyped-def]
    """The world on this test's own site, its people as this test's session reads them."""
    people = {role: as_actor(session, user.username) for role, user in snapshot_world["people"].items()}
    session.commit()  # after the read: a test's session reading opens a writing transaction
    return {**snapshot_world, "people": people}


def _build_world(session):  # type: ignore[no-untyped-def]
    people, cercle = make_cast(session)
    cahier = carnets.create(
        session=session, actor=people["author"], data=CarnetCreate(title="Cahier ouvert", visibility="public")
    )
    session.commit()
    public = make_note(
        session,
        people["other"],
        title="Note publique P",
        published_at=_at(PUBLIC_YEAR),
        body=f"Un {COMMON} ouvert à tous. Voir [[{SECRET_TITLE}|ce document]].",
    )
    return {"people": people, "community": cercle.id, "carnet": cahier.id, "public": public}


def _make_secret(session, world, visibility, readers=("rita",)):  # type: ignore[no-untyped-def]
    alice = world["people"]["author"]
    extra = {"community": world["community"]} if visibility == "community" else {}
    if visibility == "restricted":
        extra["readers"] = list(readers)
    secret = make_note(
        session,
        alice,
        title=SECRET_TITLE,
        visibility=visibility,
        published_at=_at(SECRET_YEAR),
        body=f"La {SECRET_WORD} du {COMMON}, que l'on nomme aussi {OTHER_SECRET}.",
        **extra,
    )
    filing.add(session=session, actor=alice, carnet_id=world["carnet"], data=EntryCreate(note_id=secret.id))
    session.commit()
    return secret


def _viewer(app, session, world, viewer):  # type: ignore[no-untyped-def]
    return browser_for(app, session, None if viewer == "anonymous" else world["people"][viewer])


def _leaks(text: str, secret_id: str, *, except_words: tuple[str, ...] = ()) -> list[str]:
    marks = [secret_id, SECRET_TITLE, "Quintessence", "hydrofrangible", SECRET_WORD, OTHER_SECRET]
    return [m for m in marks if m not in except_words and m.lower() in text.lower()]


# --- the matrix ----------------------------------------------------------------------------------


@pytest.fixture(
    scope="module",
    params=[(b, v) for b in BACKENDS for v in ("public", "community", "restricted")],
    ids=lambda p: "-".join(p),
)
def secret_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The world and T with one visibility, on one backend, built once for the matrix's viewers,
    who only read it: (app, session, world, visibility, T)."""
    backend, visibility = request.param
    with shared_site(backend, tmp_path_factory, request) as (app, _client, session):
        world = _build_world(session)
        yield app, session, world, visibility, _make_secret(session, world, visibility)


@pytest.fixture
def read_secret_site(secret_site):  # type: ignore[no-untyped-def]
    """`secret_site`, the session's transaction ended after each test (on SQLite it would hold a
    lock that the next test's requests wait on)."""
    yield secret_site
    secret_site[1].rollback()


@pytest.mark.parametrize("viewer", VIEWERS)
def test_search_shows_and_counts_the_note_only_for_whoever_may_read_it(read_secret_site, viewer):
    app, session, world, visibility, secret = read_secret_site
    allowed = viewer in ALLOWED[visibility]
    client = _viewer(app, session, world, viewer)
    sid, pid = secret.id, world["public"].id

    # A word only the note holds.
    alone = _search(client, q=SECRET_WORD)
    assert _ids(alone) == ({sid} if allowed else set())
    assert alone["total"] == (1 if allowed else 0)
    if allowed:
        assert _facet(alone, "author") == {"alice": 1}
        assert _facet(alone, "kind") == {"note": 1}
        assert _facet(alone, "year") == {str(SECRET_YEAR): 1}
        assert _facet(alone, "carnet") == {world["carnet"]: 1}
    else:
        assert alone["facets"] == {"kind": [], "carnet": [], "author": [], "year": []}
        assert alone["suggestion"] is None
    # Title words are searchable too, for the same readers only.
    assert _ids(_search(client, q="hydrofrangible")) == ({sid} if allowed else set())

    # A word it shares with Olga's public note: facets count it only for its readers.
    shared = _search(client, q=COMMON)
    assert _ids(shared) == ({sid, pid} if allowed else {pid})
    assert shared["total"] == (2 if allowed else 1)
    assert _facet(shared, "kind") == {"note": 2 if allowed else 1}
    assert _facet(shared, "author") == ({"alice": 1, "olga": 1} if allowed else {"olga": 1})
    assert _facet(shared, "year") == ({str(SECRET_YEAR): 1, str(PUBLIC_YEAR): 1} if allowed else {str(PUBLIC_YEAR): 1})
    assert _facet(shared, "carnet") == ({world["carnet"]: 1} if allowed else {})
    assert [v["label"] for v in shared["facets"]["carnet"]] == (["Cahier ouvert"] if allowed else [])

    # Filtering by what only the note has finds nothing for the others.
    for filters in ({"author": "alice"}, {"year": SECRET_YEAR}, {"carnet": world["carnet"]}):
        narrowed = _search(client, q=COMMON, **filters)
        assert (_ids(narrowed), narrowed["total"]) == (({sid}, 1) if allowed else (set(), 0)), filters
        browsing = _search(client, **filters)  # no words: every visible note with that facet value
        assert (_ids(browsing), browsing["total"]) == (({sid}, 1) if allowed else (set(), 0)), filters

    if not allowed:
        assert _leaks(str(alone), sid, except_words=(SECRET_WORD,)) == []
        assert _leaks(str(shared), sid) == []

    # Snippets: each result shows its own words; only T's own snippet may show T's words.
    snippets = {item["id"]: item["snippet"] for item in shared["items"]}
    assert _leaks(snippets[pid], sid) == []
    assert "ce document" in snippets[pid] and f"<mark>{COMMON}</mark>" in snippets[pid]
    if allowed:
        assert SECRET_WORD in snippets[sid] and f"<mark>{COMMON}</mark>" in snippets[sid]
    else:
        assert list(snippets) == [pid]

    # "Vouliez-vous dire": a word found only in T is proposed only to T's readers.
    typo = _search(client, q=TYPO)
    assert typo["total"] == 0
    assert typo["suggestion"] == (SECRET_WORD if allowed else None)
    if not allowed:
        assert _leaks(str(typo), sid) == []

    # The page: T's title, words and link only for its readers.
    page = client.get("/recherche", params={"q": COMMON})
    assert page.status_code == 200
    if allowed:
        assert SECRET_TITLE in page.text and f"/n/{sid}/" in page.text and SECRET_WORD in page.text
        assert "2 résultats" in page.text
    else:
        assert _leaks(page.text, sid) == []
        assert "1 résultat" in page.text and "Note publique P" in page.text
    alone = client.get("/recherche", params={"q": SECRET_WORD})
    assert alone.status_code == 200
    assert (SECRET_TITLE in alone.text) == allowed
    if not allowed:
        assert _leaks(alone.text, sid, except_words=(SECRET_WORD,)) == []
        assert "0 résultat" in alone.text
    suggested = client.get("/recherche", params={"q": TYPO})
    assert suggested.status_code == 200
    assert ("Vouliez-vous dire" in suggested.text) == allowed
    assert (SECRET_WORD in suggested.text) == allowed


# --- carnets and linked organisations ----------------------------------------------------------


def test_a_carnet_hidden_from_the_reader_never_shows_in_facets_filters_or_words(client, app, session, world):
    alice = world["people"]["author"]
    hidden = carnets.create(
        session=session, actor=alice, data=CarnetCreate(title="Archives vermiculaires", visibility="restricted")
    )
    session.commit()
    note = make_note(session, alice, title="Note sur la pervanche", body="La pervanche fleurit au printemps.")
    filing.add(session=session, actor=alice, carnet_id=hidden.id, data=EntryCreate(note_id=note.id))
    session.commit()

    for viewer in ("anonymous", "member", "community_member", "reader"):
        browser = _viewer(app, session, world, viewer)
        found = _search(browser, q="pervanche")
        assert _ids(found) == {note.id}, viewer  # the note itself is public
        assert _facet(found, "carnet") == {}, viewer
        assert hidden.id not in str(found) and "vermiculaires" not in str(found).lower(), viewer
        page = browser.get("/recherche", params={"q": "pervanche"})
        assert (
            "Note sur la pervanche" in page.text and "vermiculaires" not in page.text and hidden.id not in page.text
        ), viewer
        # Filtering by the hidden carnet is filtering by a carnet that does not exist.
        by_hidden = _search(browser, q="pervanche", carnet=hidden.id)
        by_unknown = _search(browser, q="pervanche", carnet="inconnu0000")
        assert by_hidden["total"] == 0 and by_hidden["items"] == [], viewer
        assert {k: v for k, v in by_hidden.items() if k != "q"} == {k: v for k, v in by_unknown.items() if k != "q"}, (
            viewer
        )
        assert _search(browser, carnet=hidden.id)["total"] == 0, viewer
        # Only public carnets' titles are searchable.
        assert _search(browser, q="vermiculaires")["total"] == 0, viewer

    for viewer in ("author", "admin"):  # the carnet's manager, and an admin, see the carnet
        browser = _viewer(app, session, world, viewer)
        found = _search(browser, q="pervanche")
        carnet_facet = [(v["value"], v["label"], v["count"]) for v in found["facets"]["carnet"]]
        assert carnet_facet == [(hidden.id, "Archives vermiculaires", 1)], viewer
        assert _ids(_search(browser, q="pervanche", carnet=hidden.id)) == {note.id}, viewer
        assert _search(browser, q="vermiculaires")["total"] == 0, viewer  # a restricted title is not the notes' text

    # Opened to all, its title becomes the words of its notes; closed again, it is not.
    manager = _viewer(app, session, world, "author")
    anonymous = _viewer(app, session, world, "anonymous")
    _write(manager, "PATCH", f"/api/v1/carnets/{hidden.id}", json={"visibility": "public"})
    assert _ids(_search(anonymous, q="vermiculaires")) == {note.id}
    assert _facet(_search(anonymous, q="pervanche"), "carnet") == {hidden.id: 1}
    _write(manager, "PATCH", f"/api/v1/carnets/{hidden.id}", json={"visibility": "restricted"})
    assert _search(anonymous, q="vermiculaires")["total"] == 0
    assert _facet(_search(anonymous, q="pervanche"), "carnet") == {}


def test_a_public_note_is_not_found_by_the_title_of_a_restricted_organisation_it_links_to(client, app, session, world):
    alice = world["people"]["author"]
    org = make_note(
        session, alice, title="Fondation Ornithaxe", kind="organisation", visibility="restricted", body="Une fondation."
    )
    linking = make_note(
        session,
        alice,
        title="Rencontre d'automne",
        body="Nous avons rencontré [[Fondation Ornithaxe|nos partenaires]] au marché.",
    )
    author = _viewer(app, session, world, "author")
    assert [n["id"] for n in author.get(f"/api/v1/notes/{linking.id}").json()["links"]["organisations"]] == [org.id]

    anonymous = _viewer(app, session, world, "anonymous")
    for viewer in ("anonymous", "member", "reader"):
        browser = _viewer(app, session, world, viewer)
        found = _search(browser, q="ornithaxe")
        assert found["total"] == 0 and found["items"] == [], viewer
        page = browser.get("/recherche", params={"q": "Ornithaxe"})
        assert "Rencontre d'automne" not in page.text and "Rencontre d&#39;automne" not in page.text, viewer
    assert _ids(_search(anonymous, q="marché")) == {linking.id}  # the note itself is public
    assert _ids(_search(author, q="ornithaxe")) == {org.id}

    # The organisation opened to all: its title is now part of the notes linking to it.
    revision = author.get(f"/api/v1/notes/{org.id}").json()["revision"]
    _write(author, "PATCH", f"/api/v1/notes/{org.id}", json={"base_revision": revision, "visibility": "public"})
    assert _ids(_search(anonymous, q="ornithaxe")) == {org.id, linking.id}
    # Restricted again: the linking note stops answering to that title.
    revision = author.get(f"/api/v1/notes/{org.id}").json()["revision"]
    _write(
        author,
        "PATCH",
        f"/api/v1/notes/{org.id}",
        json={"base_revision": revision, "visibility": "restricted", "readers": []},
    )
    assert _search(anonymous, q="ornithaxe")["total"] == 0
    # Public once more, then deleted: its title leaves the linking note with it.
    revision = author.get(f"/api/v1/notes/{org.id}").json()["revision"]
    _write(author, "PATCH", f"/api/v1/notes/{org.id}", json={"base_revision": revision, "visibility": "public"})
    assert _ids(_search(anonymous, q="ornithaxe")) == {org.id, linking.id}
    _write(author, "DELETE", f"/api/v1/notes/{org.id}")
    assert _search(anonymous, q="ornithaxe")["total"] == 0
    assert _search(_viewer(app, session, world, "admin"), q="ornithaxe")["total"] == 0


# --- changes of access ---------------------------------------------------------------------------


def test_joining_the_community_later_makes_the_note_findable_and_leaving_hides_it(client, app, session, world):
    secret = _make_secret(session, world, "community")
    mona = _viewer(app, session, world, "member")
    manager = _viewer(app, session, world, "author")
    assert _search(mona, q=SECRET_WORD)["total"] == 0
    assert _search(mona, q=TYPO)["suggestion"] is None

    _write(manager, "POST", f"/api/v1/communities/{world['community']}/members", json={"username": "mona"})
    joined = _search(mona, q=SECRET_WORD)
    assert _ids(joined) == {secret.id} and _facet(joined, "author") == {"alice": 1}
    assert _search(mona, q=TYPO)["suggestion"] == SECRET_WORD
    assert _ids(_search(mona, q=COMMON)) == {secret.id, world["public"].id}

    _write(manager, "DELETE", f"/api/v1/communities/{world['community']}/members/mona")
    assert _search(mona, q=SECRET_WORD)["total"] == 0
    assert _facet(_search(mona, q=COMMON), "author") == {"olga": 1}
    assert _search(mona, q=TYPO)["suggestion"] is None


def test_a_reader_taken_off_the_note_stops_finding_it(client, app, session, world):
    secret = _make_secret(session, world, "restricted", readers=("rita", "carl"))
    rita, carl = _viewer(app, session, world, "reader"), _viewer(app, session, world, "community_member")
    author = _viewer(app, session, world, "author")
    assert _ids(_search(rita, q=SECRET_WORD)) == {secret.id} == _ids(_search(carl, q=SECRET_WORD))

    revision = author.get(f"/api/v1/notes/{secret.id}").json()["revision"]
    _write(author, "PATCH", f"/api/v1/notes/{secret.id}", json={"base_revision": revision, "readers": ["carl"]})
    assert _search(rita, q=SECRET_WORD)["total"] == 0
    assert _search(rita, q=TYPO)["suggestion"] is None
    assert _facet(_search(rita, q=COMMON), "year") == {str(PUBLIC_YEAR): 1}
    assert _ids(_search(carl, q=SECRET_WORD)) == {secret.id}  # the reader kept still finds it


def test_a_reader_made_co_author_through_an_edit_request_finds_the_restricted_note(client, app, session, world):
    secret = _make_secret(session, world, "restricted")
    rita, author = _viewer(app, session, world, "reader"), _viewer(app, session, world, "author")
    request = _write(rita, "POST", f"/api/v1/notes/{secret.id}/edit-requests", json={"message": "Je voudrais aider."})
    revision = author.get(f"/api/v1/notes/{secret.id}").json()["revision"]
    _write(author, "PATCH", f"/api/v1/notes/{secret.id}", json={"base_revision": revision, "readers": []})
    assert _search(rita, q=SECRET_WORD)["total"] == 0

    _write(author, "POST", f"/api/v1/edit-requests/{request['id']}/approve")
    found = _search(rita, q=SECRET_WORD)
    assert _ids(found) == {secret.id}
    assert _facet(found, "author") == {"alice": 1, "rita": 1}
    assert _search(rita, q=TYPO)["suggestion"] == SECRET_WORD
    assert _search(_viewer(app, session, world, "member"), q=SECRET_WORD)["total"] == 0


def test_a_deactivated_account_finds_only_public_notes(client, app, session, world):
    dora = make_user(session, "dora", name="Dora")  # with a password, for a bearer token
    communities.set_member(
        session=session,
        actor=world["people"]["author"],
        community_id=world["community"],
        username="dora",
        role="member",
    )
    session.commit()
    kept = make_note(
        session,
        world["people"]["author"],
        title="Note du cercle",
        visibility="community",
        community=world["community"],
        body=f"Un {COMMON} du cercle.",
    )
    secret = _make_secret(session, world, "restricted", readers=("dora",))
    token = token_for(client, "dora")
    cookie = browser_for(app, session, dora)
    everything = {secret.id, kept.id, world["public"].id}
    assert _ids(_search_with(client, token, q=COMMON)) == everything
    assert _ids(_search(cookie, q=COMMON)) == everything

    admin = _viewer(app, session, world, "admin")
    _write(admin, "POST", "/api/v1/users/dora/deactivate")
    refused = client.get("/api/v1/search", params={"q": COMMON}, headers=token)
    assert refused.status_code == 401
    assert _leaks(refused.text, secret.id) == [] and kept.id not in refused.text
    as_visitor = _search(cookie, q=COMMON)  # the session no longer signs anyone in
    assert _ids(as_visitor) == {world["public"].id} and as_visitor["total"] == 1
    assert _facet(as_visitor, "author") == {"olga": 1}
    assert _search(cookie, q=TYPO)["suggestion"] is None
    assert "Note du cercle" not in cookie.get("/recherche", params={"q": COMMON}).text


def test_the_admin_finds_every_live_note_but_never_a_deleted_one(client, app, session, world):
    secrets = {v: _make_secret(session, world, v, readers=()) for v in ("public", "community", "restricted")}
    admin, author = _viewer(app, session, world, "admin"), _viewer(app, session, world, "author")
    found = _search(admin, q=SECRET_WORD)
    assert _ids(found) == {n.id for n in secrets.values()} and _facet(found, "author") == {"alice": 3}

    gone = secrets["restricted"]
    _write(author, "DELETE", f"/api/v1/notes/{gone.id}")
    assert admin.get(f"/api/v1/notes/{gone.id}").status_code == 200  # admins still read deleted notes
    found = _search(admin, q=SECRET_WORD)
    assert _ids(found) == {secrets["public"].id, secrets["community"].id} and found["total"] == 2
    assert _facet(found, "author") == {"alice": 2} and _facet(found, "year") == {str(SECRET_YEAR): 2}
    assert gone.id not in _ids(_search(admin))  # browsing without words
    assert gone.id not in _ids(_search(admin, author="alice"))
    assert f"/n/{gone.id}/" not in admin.get("/recherche", params={"q": SECRET_WORD}).text
    # Deleting the last copies of a word leaves no suggestion behind either.
    for note in (secrets["public"], secrets["community"]):
        _write(author, "DELETE", f"/api/v1/notes/{note.id}")
    assert _search(admin, q=SECRET_WORD)["total"] == 0
    assert _search(admin, q=TYPO)["suggestion"] is None


def test_a_suggestion_never_proposes_a_spelling_found_only_in_a_hidden_note(client, app, session, world):
    # Olga's public note holds a word of the same stem as T's hidden one, spelt otherwise.
    make_note(session, world["people"]["other"], title="Les zorglubiens", body="Un peuple de zorglubiens.")
    _make_secret(session, world, "restricted", readers=())
    anonymous = _viewer(app, session, world, "anonymous")
    suggestion = _search(anonymous, q=TYPO)["suggestion"]
    assert suggestion is None or SECRET_WORD not in suggestion, suggestion
    page = anonymous.get("/recherche", params={"q": TYPO})
    assert SECRET_WORD not in page.text


# --- the grants agree with visible_notes ---------------------------------------------------------


def test_search_and_the_notes_list_show_each_viewer_the_same_notes(client, app, session, world):
    p = world["people"]
    alice, olga, carl, mona = p["author"], p["other"], p["community_member"], p["member"]
    dora = make_user(session, "dora", name="Dora", password=None)
    atelier = communities.create(session=session, actor=mona, data=CommunityCreate(name="Atelier"))
    communities.set_member(session=session, actor=mona, community_id=atelier.id, username="olga", role="member")
    communities.set_member(
        session=session, actor=alice, community_id=world["community"], username="dora", role="member"
    )
    session.commit()

    def note(actor, name, **fields):  # type: ignore[no-untyped-def]
        return make_note(session, actor, title=f"Passerelle {name}", body=f"Une passerelle, cas {name}.", **fields).id

    notes = {
        "P": world["public"].id,  # Olga's public note, without the common word
        "public_term": note(alice, "lexique", kind="term", definition="Un mot."),
        "public_org": note(olga, "annuaire", kind="organisation"),
        "cercle": note(alice, "cercle", visibility="community", community=world["community"]),
        "cercle_carl": note(carl, "de Carl", visibility="community", community=world["community"]),
        "atelier": note(mona, "atelier", visibility="community", community=atelier.id),
        "for_rita": note(alice, "pour Rita", visibility="restricted", readers=["rita"]),
        "alice_only": note(alice, "privée", visibility="restricted"),
        "olga_for_two": note(olga, "à deux", visibility="restricted", readers=["mona", "carl"]),
        "coauthored": note(alice, "co-écrite", visibility="restricted", authors=["alice", "olga"]),
        "private_org": note(olga, "annuaire privé", kind="organisation", visibility="restricted", readers=["carl"]),
    }
    # Once restricted to Rita, now kept among the Cercle: its old reader list opens nothing.
    notes["was_for_rita"] = note(alice, "naguère pour Rita", visibility="restricted", readers=["rita"])
    note_service.save_note(
        session=session,
        actor=alice,
        note_id=notes["was_for_rita"],
        data=NoteUpdate(base_revision=1, visibility="community", community=world["community"]),
    )
    session.commit()
    deleted = note(olga, "effacée", visibility="restricted", readers=["rita"])
    deleted_public = note(olga, "effacée publique")
    _write(browser_for(app, session, olga), "DELETE", f"/api/v1/notes/{deleted}")
    _write(browser_for(app, session, olga), "DELETE", f"/api/v1/notes/{deleted_public}")
    accounts.set_active(session=session, actor=p["admin"], username="dora", active=False)
    session.commit()

    public = {"P", "public_term", "public_org"}
    expected = {
        "anonymous": public,
        "mona": public | {"atelier", "olga_for_two"},
        "carl": public | {"cercle", "cercle_carl", "olga_for_two", "private_org", "was_for_rita"},
        "rita": public | {"for_rita"},
        "alice": public | {"cercle", "cercle_carl", "for_rita", "alice_only", "coauthored", "was_for_rita"},
        "olga": public | {"atelier", "olga_for_two", "coauthored", "private_org"},
        "adam": set(notes),
        "dora": public,  # deactivated: her session signs no one in
    }
    users = {
        "mona": mona,
        "carl": carl,
        "rita": p["reader"],
        "alice": alice,
        "olga": olga,
        "adam": p["admin"],
        "dora": dora,
    }
    for name, wanted in expected.items():
        browser = browser_for(app, session, users.get(name))
        ids = {notes[k] for k in wanted}
        listed = _listed(browser)
        browsed = _search(browser)  # no words, no filter: every note the index lets this reader see
        assert _ids(browsed) == listed == ids, name
        assert browsed["total"] == len(ids), name
        assert sum(v["count"] for v in browsed["facets"]["kind"]) == len(ids), name
        worded = _search(browser, q="passerelle")
        assert _ids(worded) == ids - {notes["P"]} and worded["total"] == len(ids) - 1, name
        for kind in ("note", "organisation", "term"):
            assert _ids(_search(browser, kind=kind)) == _listed(browser, kind=kind), (name, kind)
        for author in ("alice", "olga"):
            assert _ids(_search(browser, author=author)) == _listed(browser, author=author), (name, author)
