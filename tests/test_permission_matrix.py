"""Every visibility × every kind of viewer × every read path: nothing shows what it should not.

The world: Alice writes note T ("Titre-Secret-T") with the visibility under test, kept among the
community "Cercle" (Alice, Carl) or the chosen reader Rita; it links to Olga's public note P, and P
names T in a wikilink. A reader allowed to see T (Rita, or Carl for the community) comments on
it. Mona is signed in and related to nothing; Adam is an admin.
"""

import json
import re

import pytest

from praxis.schemas import CommentCreate, NoteUpdate
from praxis.conversation import discussion
from praxis.notes import notes as note_service
from tests.conftest import BACKENDS, shared_site
from tests.factories import make_cast, browser_for, make_note

SECRET_TITLE = "Titre-Secret-T"
SECRET_BODY = "Corps-Secret-T"
COMMENT_BODY = "Commentaire-Secret-T"
COMMENTER = {"public": "reader", "community": "community_member", "restricted": "reader"}  # allowed to read T
VIEWERS = ["anonymous", "member", "community_member", "reader", "author", "admin"]
ALLOWED = {
    "public": set(VIEWERS),
    "community": {"community_member", "author", "admin"},
    "restricted": {"reader", "author", "admin"},
}


@pytest.fixture(
    scope="module",
    params=[(b, v) for b in BACKENDS for v in ("public", "community", "restricted")],
    ids=lambda p: "-".join(p),
)
def secret_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The world and T with one visibility, on one backend, built once for the viewers, who only
    read it: (app, session, world, visibility, T)."""
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


def _build_world(session):  # type: ignore[no-untyped-def]
    people, cercle = make_cast(session)
    # Olga's own words name T only by a label, so any sight of the title is a leak.
    public = make_note(session, people["other"], title="Note publique P", body=f"Voir [[{SECRET_TITLE}|ce document]].")
    return {"people": people, "community": cercle.id, "public": public}


def _make_secret(session, world, visibility):
    alice = world["people"]["author"]
    extra = {"community": world["community"]} if visibility == "community" else {}
    if visibility == "restricted":
        extra["readers"] = ["rita"]
    secret = make_note(
        session,
        alice,
        title=SECRET_TITLE,
        body=f"{SECRET_BODY} et [[Note publique P]].",
        visibility=visibility,
        links=[world["public"].id],
        **extra,
    )
    note_service.save_note(
        session=session,
        actor=alice,
        note_id=secret.id,
        data=NoteUpdate(base_revision=1, body=f"{SECRET_BODY}, revu, et [[Note publique P]]."),
    )
    commenter = world["people"][COMMENTER[visibility]]
    comment = discussion.create(
        session=session, actor=commenter, note_id=secret.id, data=CommentCreate(body=COMMENT_BODY)
    )
    session.commit()
    world["comment"] = comment.id
    return secret


@pytest.mark.parametrize("viewer", VIEWERS)
def test_every_read_path_agrees_with_the_policy(read_secret_site, viewer):
    app, session, world, visibility, secret = read_secret_site
    allowed = viewer in ALLOWED[visibility]
    client = browser_for(app, session, None if viewer == "anonymous" else world["people"][viewer])
    sid, pid = secret.id, world["public"].id
    seen = []  # (path, shows the secret?)

    def page(path, authored_elsewhere=False):
        response = client.get(path)
        if allowed:
            assert response.status_code == 200, (path, response.status_code)
        else:
            assert response.status_code in (200, 404), (path, response.status_code)
        # The language switcher repeats the address that was asked for: not something it shows.
        text = re.sub(r'href="[^"]*lang=(fr|en)"', "", response.text)
        if authored_elsewhere:
            # Olga's note shows her own words, whatever they name: only a trace of T itself
            # (its id, hence a link to it) would be a leak there.
            if path.startswith("/api/") and isinstance(response.json(), dict) and "body" in response.json():
                text = json.dumps({k: v for k, v in response.json().items() if k != "body"})
            seen.append((path, sid in text or COMMENT_BODY in text))
        else:
            seen.append((path, SECRET_TITLE in text or SECRET_BODY in text or sid in text or COMMENT_BODY in text))
        return response

    # The note itself, its revisions, diffs and requests, as pages and as JSON.
    for path in (
        f"/n/{sid}/",
        f"/n/{sid}/?rev=1",
        f"/n/{sid}/history",
        f"/n/{sid}/diff?from=1&to=2",
        f"/api/v1/notes/{sid}",
        f"/api/v1/notes/{sid}/revisions",
        f"/api/v1/notes/{sid}/revisions/1",
        f"/api/v1/notes/{sid}/diff?from=1&to=2",
        f"/api/v1/notes/{sid}/edit-requests",
    ):
        response = page(path)
        if not allowed:
            assert response.status_code == 404, path  # never 403: hidden is missing
    # Lists and counts.
    listing = page("/api/v1/notes").json()
    assert listing["total"] == (2 if allowed else 1)
    assert page("/api/v1/notes?author=alice").json()["total"] == (1 if allowed else 0)
    assert (re.search(r"\b2 notes\b", page("/notes/").text) is not None) == allowed
    assert ("Toutes les notes (2)" in page("/").text) == allowed and (
        "Toutes les notes (1)" in page("/").text
    ) != allowed
    profile = page("/u/alice/")
    assert ("Notes (1)" in profile.text) == allowed and ("Notes (0)" in profile.text) == (not allowed)
    assert page(f"/api/v1/notes?community={world['community']}").json()["total"] == (
        1 if allowed and visibility == "community" else 0
    )
    page(f"/communautes/{world['community']}/")
    assert ([x["id"] for x in page("/api/v1/notes/suggest?q=titre-secret").json()] == [sid]) == allowed
    graph = page(f"/api/v1/notes/{pid}/graph?depth=2", authored_elsewhere=True).json()
    assert (sid in {n["id"] for n in graph["nodes"]}) == allowed
    # Links and backlinks on the public note, and its rendering.
    p_json = page(f"/api/v1/notes/{pid}", authored_elsewhere=True).json()
    assert ([n["id"] for n in p_json["links"]["notes"]] == [sid]) == allowed
    assert ([n["id"] for n in p_json["backlinks"]] == [sid]) == allowed
    assert (f'href="/n/{sid}/"' in p_json["html"]) == allowed
    p_page = page(f"/n/{pid}/", authored_elsewhere=True)
    assert (f'href="/n/{sid}/"' in p_page.text) == allowed
    # The discussion: the thread, the comment, its edit form and the public feed.
    cid = world["comment"]
    for path in (f"/n/{sid}/", f"/api/v1/notes/{sid}/comments", f"/api/v1/comments/{cid}"):
        response = page(path)
        assert response.status_code == (200 if allowed else 404), path
        assert (COMMENT_BODY in response.text) == allowed, path
    edit = client.get(f"/comments/{cid}/edit", follow_redirects=False)
    seen.append((f"/comments/{cid}/edit", COMMENT_BODY in edit.text or SECRET_TITLE in edit.text))
    if viewer == COMMENTER[visibility]:
        assert edit.status_code == 200 and COMMENT_BODY in edit.text
    elif viewer == "anonymous":
        assert edit.status_code == 303 and edit.headers["location"].startswith("/login?next=")
    else:
        assert edit.status_code == (403 if allowed else 404) and COMMENT_BODY not in edit.text
    feed = client.get(f"/n/{sid}/discussion.atom")
    seen.append((f"/n/{sid}/discussion.atom", COMMENT_BODY in feed.text or SECRET_TITLE in feed.text))
    # The feed is public, the same for everyone: only a public note has one.
    assert feed.status_code == (200 if visibility == "public" else 404)
    assert (COMMENT_BODY in feed.text) == (visibility == "public")

    leaks = [path for path, shows in seen if shows and not allowed]
    assert leaks == [], f"{viewer} sees a {visibility} note through {leaks}"
    if allowed:
        shown = {path for path, shows in seen if shows}
        for path in (
            f"/n/{sid}/",
            f"/n/{sid}/?rev=1",
            f"/n/{sid}/history",
            f"/api/v1/notes/{sid}",
            f"/api/v1/notes/{sid}/revisions/1",
            "/api/v1/notes",
            "/",
            "/notes/",
            "/u/alice/",
            f"/n/{pid}/",
            f"/api/v1/notes/{sid}/comments",
            f"/api/v1/comments/{world['comment']}",
        ):
            assert path in shown, f"{viewer} should see the {visibility} note through {path}"
