"""Notes over the JSON API: the contract's shapes, statuses and errors."""

import pytest
from sqlmodel import select

from praxis.db import session_scope
from praxis.models import User
from praxis.schemas import NoteCreate, NoteUpdate
from praxis.carnets import filing
from praxis.notes import notes as note_service
from tests.factories import make_note, make_user, token_for


@pytest.fixture
def alice(client, session):
    make_user(session, "alice", name="Alice Rivard")
    return token_for(client, "alice")


def test_create_then_read_matches_the_contract(client, alice):
    created = client.post(
        "/api/v1/notes",
        json={"title": "Merci de nous aider", "body": "Un *récit*.", "licence": "CC-BY-4.0"},
        headers=alice,
    )
    assert created.status_code == 201
    note = created.json()
    assert created.headers["location"] == note["url"] == f"https://praxis.example.org/n/{note['id']}/"
    read = client.get(f"/api/v1/notes/{note['id']}").json()
    for key in (
        "id",
        "kind",
        "title",
        "body",
        "html",
        "visibility",
        "licence",
        "url",
        "authors",
        "created_at",
        "published_at",
        "updated_at",
        "revision",
        "links",
        "backlinks",
        "carnets",
    ):
        assert key in read
    assert read["authors"] == [
        {"username": "alice", "display_name": "Alice Rivard", "url": "https://praxis.example.org/u/alice/"}
    ]
    assert read["links"] == {"notes": [], "organisations": [], "terms": []}
    assert read["html"] == "<p>Un <em>récit</em>.</p>\n" and read["revision"] == 1


def test_visitors_cannot_create(client):
    response = client.post("/api/v1/notes", json={"title": "x"})
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"title": "a\nb"}, "title"),
        ({"title": "ok", "kind": "roman"}, "kind"),
        ({"title": "ok", "licence": "GPL"}, "licence"),
        ({"title": "ok", "visibility": "secret"}, "visibility"),
        ({"title": "ok", "body": "nul\x00"}, "body"),
        ({"title": "ok", "body": 12}, "body"),
        ({"title": "ok", "authors": ["Pas Valide!"]}, "authors"),
        ({"title": "ok", "colour": "red"}, "colour"),
        ({"title": "ok", "published_at": "hier"}, "published_at"),
        ({"body": "sans titre"}, "title"),
    ],
)
def test_bad_fields_are_422_naming_the_field(client, alice, payload, field):
    response = client.post("/api/v1/notes", json=payload, headers=alice)
    assert response.status_code == 422, response.text
    assert any(field in err["loc"] for err in response.json()["detail"])


def test_domain_validation_errors_name_the_field_too(client, alice):
    response = client.post("/api/v1/notes", json={"title": "ok", "links": ["inconnu"]}, headers=alice)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "links"]


def test_malformed_json_and_lone_surrogates_are_422_not_500(client, alice):
    bad = client.post("/api/v1/notes", content=b'{"title": "x",', headers={**alice, "content-type": "application/json"})
    assert bad.status_code == 422
    surrogate = client.post(
        "/api/v1/notes", content=b'{"title": "\\ud800"}', headers={**alice, "content-type": "application/json"}
    )
    assert surrogate.status_code == 422


def test_bodies_over_one_megabyte_are_413_and_nothing_is_stored(client, alice):
    response = client.post("/api/v1/notes", json={"title": "Énorme", "body": "x" * 1_100_000}, headers=alice)
    assert response.status_code == 413 and "detail" in response.json()
    assert client.get("/api/v1/notes").json()["total"] == 0


def test_unknown_ids_are_404(client, alice):
    assert client.get("/api/v1/notes/inexistant").status_code == 404
    assert client.get("/api/v1/notes/" + "x" * 500).status_code == 404
    assert (
        client.patch("/api/v1/notes/inexistant", json={"base_revision": 1, "title": "x"}, headers=alice).status_code
        == 404
    )
    assert client.delete("/api/v1/notes/inexistant", headers=alice).status_code == 404
    assert client.get("/api/v1/notes/inexistant/revisions").status_code == 404
    assert client.get("/api/v1/nulle-part").json() == {"detail": "Not Found"}


def test_patch_needs_base_revision_and_returns_the_new_revision(client, alice):
    note = client.post("/api/v1/notes", json={"title": "Titre"}, headers=alice).json()
    missing = client.patch(f"/api/v1/notes/{note['id']}", json={"title": "Autre"}, headers=alice)
    assert missing.status_code == 422 and missing.json()["detail"][0]["loc"] == ["body", "base_revision"]
    ok = client.patch(f"/api/v1/notes/{note['id']}", json={"title": "Autre", "base_revision": 1}, headers=alice)
    assert ok.status_code == 200 and ok.json()["revision"] == 2 and ok.json()["title"] == "Autre"


def test_stale_patch_is_409_with_the_current_revision_and_changes_nothing(client, alice):
    note = client.post("/api/v1/notes", json={"title": "Titre", "body": "v1"}, headers=alice).json()
    client.patch(f"/api/v1/notes/{note['id']}", json={"body": "v2", "base_revision": 1}, headers=alice)
    stale = client.patch(f"/api/v1/notes/{note['id']}", json={"body": "écrase?", "base_revision": 1}, headers=alice)
    assert stale.status_code == 409
    body = stale.json()
    assert body["current_revision"] == 2 and body["current"]["body"] == "v2" and "revision 2" in body["detail"]
    assert client.get(f"/api/v1/notes/{note['id']}").json()["body"] == "v2"


def _while_a_save_is_prepared(monkeypatch, app, action):
    """Run `action(session, alice)` in a session of its own, once, when the next save has
    rendered its change but not yet written it."""
    real, done = note_service.render, []

    def render(*args, **kwargs):
        rendered = real(*args, **kwargs)
        if not done:
            done.append(True)
            with session_scope(app.state.engine, app.state.settings) as other:
                action(other, other.exec(select(User).where(User.username == "alice")).one())
        return rendered

    monkeypatch.setattr(note_service, "render", render)


def test_a_save_landing_while_another_is_prepared_wins_and_the_other_is_409(client, app, alice, monkeypatch):
    # The first save holds no write lock while it renders, so the second is not kept waiting;
    # the first then finds the note moved on, and changes nothing.
    note = client.post("/api/v1/notes", json={"title": "Titre", "body": "v1"}, headers=alice).json()
    _while_a_save_is_prepared(
        monkeypatch,
        app,
        lambda s, alice_: note_service.save_note(
            session=s, actor=alice_, note_id=note["id"], data=NoteUpdate(body="v2 d'ailleurs", base_revision=1)
        ),
    )
    late = client.patch(f"/api/v1/notes/{note['id']}", json={"body": "v2 d'ici", "base_revision": 1}, headers=alice)
    assert late.status_code == 409, late.text
    assert late.json()["current_revision"] == 2 and late.json()["current"]["body"] == "v2 d'ailleurs"
    revisions = client.get(f"/api/v1/notes/{note['id']}/revisions", headers=alice).json()
    assert [r["number"] for r in revisions] == [2, 1]
    assert client.get(f"/api/v1/notes/{note['id']}").json()["body"] == "v2 d'ailleurs"


def test_a_wikilink_to_a_note_created_while_the_save_was_prepared_links_to_it(client, app, alice, monkeypatch):
    source = client.post("/api/v1/notes", json={"title": "Source", "body": "Rien encore."}, headers=alice).json()
    created = []
    _while_a_save_is_prepared(
        monkeypatch,
        app,
        lambda s, alice_: created.append(
            filing.create_note(
                session=s, actor=alice_, data=NoteCreate(title="Cible tardive", body="Arrivée pendant la sauvegarde.")
            )
        ),
    )
    saved = client.patch(
        f"/api/v1/notes/{source['id']}", json={"body": "Voir [[Cible tardive]].", "base_revision": 1}, headers=alice
    )
    assert saved.status_code == 200, saved.text
    target = created[0]
    assert [n["id"] for n in saved.json()["links"]["notes"]] == [target.id]
    assert f"/n/{target.id}/" in saved.json()["html"]
    backlinks = client.get(f"/api/v1/notes/{target.id}").json()["backlinks"]
    assert [n["id"] for n in backlinks] == [source["id"]]


def test_a_renamed_note_keeps_its_incoming_links_written_with_its_old_title(client, alice):
    def post(title, body="Texte."):
        answer = client.post("/api/v1/notes", json={"title": title, "body": body}, headers=alice)
        assert answer.status_code == 201, answer.text
        return answer.json()

    def linked(note_id):
        return [n["id"] for n in client.get(f"/api/v1/notes/{note_id}", headers=alice).json()["links"]["notes"]]

    target = post("Ancien titre")
    source = post("Source", "Voir [[Ancien titre]] et [[Pas encore]].")
    renamed = client.patch(
        f"/api/v1/notes/{target['id']}", json={"title": "Nouveau titre", "base_revision": 1}, headers=alice
    )
    assert renamed.status_code == 200, renamed.text
    assert linked(source["id"]) == [target["id"]]
    # The linking note saved again, its text unchanged: the old title still leads to the note.
    saved = client.patch(
        f"/api/v1/notes/{source['id']}",
        json={"body": "Voir [[Ancien titre]] et [[Pas encore]]. Suite.", "base_revision": 1},
        headers=alice,
    )
    assert saved.status_code == 200, saved.text
    assert f'href="/n/{target["id"]}/"' in saved.json()["html"]
    assert "/n/new?title=Ancien" not in saved.json()["html"]
    preview = client.post(
        "/api/v1/notes/preview", json={"body": "[[Ancien titre]]", "note_id": source["id"]}, headers=alice
    ).json()
    assert preview["missing"] == [] and f"/n/{target['id']}/" in preview["html"]
    # Rendered again when a note it named comes to exist; a new note taking the old title does
    # not take the link either.
    later = post("Pas encore")
    post("Ancien titre")
    assert linked(source["id"]) == [target["id"], later["id"]]
    backlinks = client.get(f"/api/v1/notes/{target['id']}", headers=alice).json()["backlinks"]
    assert [n["id"] for n in backlinks] == [source["id"]]
    # A new text naming the old title, in another note, finds nothing the old title no longer names.
    other = post("Autre", "Voir [[Nouveau titre]].")
    assert linked(other["id"]) == [target["id"]]


def test_other_people_cannot_patch_or_delete(client, session, alice):
    note = client.post("/api/v1/notes", json={"title": "À moi"}, headers=alice).json()
    make_user(session, "bob")
    bob = token_for(client, "bob")
    assert (
        client.patch(
            f"/api/v1/notes/{note['id']}", json={"title": "À toi", "base_revision": 1}, headers=bob
        ).status_code
        == 403
    )
    assert client.delete(f"/api/v1/notes/{note['id']}", headers=bob).status_code == 403
    assert client.delete(f"/api/v1/notes/{note['id']}").status_code == 401


def test_delete_is_204_then_the_note_is_gone_but_admins_keep_its_history(client, session, alice):
    note = client.post("/api/v1/notes", json={"title": "Éphémère"}, headers=alice).json()
    assert client.delete(f"/api/v1/notes/{note['id']}", headers=alice).status_code == 204
    assert client.get(f"/api/v1/notes/{note['id']}").status_code == 404
    assert client.get(f"/api/v1/notes/{note['id']}/revisions", headers=alice).status_code == 404
    assert client.get("/api/v1/notes").json()["total"] == 0
    make_user(session, "admin", admin=True)
    admin = token_for(client, "admin")
    history = client.get(f"/api/v1/notes/{note['id']}/revisions", headers=admin)
    assert history.status_code == 200 and history.json()[0]["number"] == 1


def test_revisions_diff_and_restore(client, alice):
    note = client.post("/api/v1/notes", json={"title": "T", "body": "un deux trois"}, headers=alice).json()
    client.patch(
        f"/api/v1/notes/{note['id']}", json={"body": "un trois", "base_revision": 1, "summary": "Coupe"}, headers=alice
    )
    revisions = client.get(f"/api/v1/notes/{note['id']}/revisions").json()
    assert [(r["number"], r["editor"], r["summary"]) for r in revisions] == [(2, "alice", "Coupe"), (1, "alice", None)]
    first = client.get(f"/api/v1/notes/{note['id']}/revisions/1").json()
    assert first["body"] == "un deux trois" and first["meta"]["authors"] == ["alice"]
    diff = client.get(f"/api/v1/notes/{note['id']}/diff", params={"from": 1, "to": 2}).json()
    assert {"op": "delete", "text": "deux "} in diff["body"] or {"op": "delete", "text": " deux"} in diff["body"]
    restored = client.post(f"/api/v1/notes/{note['id']}/revisions/1/restore", headers=alice)
    assert (
        restored.status_code == 200 and restored.json()["revision"] == 3 and restored.json()["body"] == "un deux trois"
    )
    assert client.get(f"/api/v1/notes/{note['id']}/revisions/99").status_code == 404
    assert client.get(f"/api/v1/notes/{note['id']}/revisions/99999999999999999999").status_code == 422
    assert client.get(f"/api/v1/notes/{note['id']}/diff", params={"from": "a", "to": 2}).status_code == 422


def test_list_pagination_sorting_and_filters(client, session, alice):
    from praxis.people.accounts import get_user

    actor = get_user(session, "alice")
    for i in range(5):
        make_note(session, actor, title=f"Note {i}")
    make_note(session, actor, title="Un terme", kind="term")
    page = client.get("/api/v1/notes", params={"per_page": 2, "page": 2, "sort": "title"}).json()
    assert page["total"] == 6 and page["page"] == 2 and page["per_page"] == 2
    assert [n["title"] for n in page["items"]] == ["Note 2", "Note 3"]
    assert client.get("/api/v1/notes", params={"kind": "term"}).json()["total"] == 1
    assert client.get("/api/v1/notes", params={"author": "alice"}).json()["total"] == 6
    assert client.get("/api/v1/notes", params={"author": "personne"}).json()["total"] == 0
    for bad in ({"per_page": 1000}, {"page": 0}, {"sort": "random"}, {"kind": "roman"}, {"page": "x"}):
        response = client.get("/api/v1/notes", params=bad)
        assert response.status_code == 422, bad


def test_health_and_readiness(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["database"] == "ok"


@pytest.mark.parametrize(
    "path",
    ["/api/v1/notes/%00", "/api/v1/notes/a%00b/revisions", "/n/%00/", "/u/%00/", "/n/x/?rev=0"],
)
def test_nul_bytes_and_odd_ids_in_urls_are_not_found_or_invalid(client, path):
    assert client.get(path).status_code in (404, 422)


def test_filtering_by_an_impossible_author_finds_nothing(client):
    response = client.get("/api/v1/notes", params={"author": "a\x00b"})
    assert response.status_code == 200 and response.json()["total"] == 0


def test_nul_bytes_in_credentials_and_links_are_refused(client, alice):
    assert client.post("/api/v1/auth/token", json={"username": "al\x00ice", "password": "x"}).status_code == 401
    response = client.post("/api/v1/notes", json={"title": "ok", "links": ["a\x00b"]}, headers=alice)
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "links", 0]


@pytest.mark.parametrize(
    "when", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00Z", "0999-12-31"]
)
def test_publication_dates_outside_the_calendar_are_422(client, alice, when):
    response = client.post("/api/v1/notes", json={"title": "Hors du temps", "published_at": when}, headers=alice)
    assert response.status_code == 422 and response.json()["detail"][0]["loc"][-1] == "published_at"


def test_too_many_wikilinks_is_422_on_the_body(client, alice):
    body = " ".join(f"[[lien {i}]]" for i in range(1001))
    response = client.post("/api/v1/notes", json={"title": "Trop de liens", "body": body}, headers=alice)
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "body"]
    fine = client.post(
        "/api/v1/notes", json={"title": "Assez de liens", "body": body.rsplit(" [[", 1)[0]}, headers=alice
    )
    assert fine.status_code == 201


def test_api_writes_with_the_browser_cookie_must_come_from_the_site(client, session):
    from tests.factories import sign_in

    make_user(session, "bob")
    sign_in(client, "bob")
    assert client.get("/api/v1/me").json()["username"] == "bob"  # reads are fine
    foreign = client.post("/api/v1/notes", json={"title": "Forgée"}, headers={"Origin": "https://evil.example"})
    assert foreign.status_code == 403
    unknown = client.post("/api/v1/notes", json={"title": "Sans origine"})
    assert unknown.status_code == 403
    own = client.post("/api/v1/notes", json={"title": "De la maison"}, headers={"Origin": "https://testserver"})
    assert own.status_code == 201
    assert [n["title"] for n in client.get("/api/v1/notes").json()["items"]] == ["De la maison"]


def test_empty_filters_mean_no_filter_and_carnet_filters_find_nothing_yet(client, alice, session):
    from praxis.people.accounts import get_user

    make_note(session, get_user(session, "alice"))
    assert client.get("/api/v1/notes?kind=&author=&sort=").json()["total"] == 1
    assert client.get("/api/v1/notes", params={"carnet": "abc"}).json()["total"] == 0
