"""Carnets and bases de connaissances over the JSON API: who may do what, who sees what,
categories, order and pins, filters and counts, bases, the graph, and bad input."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import WorldSnapshots
from tests.factories import make_user, token_for

API = "/api/v1"
THEMES = {"name": "Thème", "categories": ["Budget", "Subvention", "Récit"]}
STATUS = {"name": "Statut", "categories": ["À lire", "Lu"]}


# --- people, a carnet, and small helpers ------------------------------------------------------


class People(dict):
    """Bearer headers by name; each person signs in (token_for) the first time they are needed,
    "anon" is a client without a token."""

    def __init__(self, client) -> None:
        super().__init__(anon={})
        self.client = client

    def __missing__(self, name: str) -> dict[str, str]:
        self[name] = token_for(self.client, name)
        return self[name]


def _people(app, session) -> dict:  # type: ignore[no-untyped-def]
    """alice, bob, mona and an admin, each signed in once (their bearer headers by name)."""
    for name in ("alice", "bob", "mona"):
        make_user(session, name)
    make_user(session, "admin", admin=True, name="Administratrice")
    with TestClient(app, base_url="https://testserver") as client:
        return {"people": {name: token_for(client, name) for name in ("alice", "bob", "mona", "admin")}}


def _people_and_carnet(app, session) -> dict:  # type: ignore[no-untyped-def]
    made = _people(app, session)
    with TestClient(app, base_url="https://testserver") as client:
        made["carnet"] = _new_managed_carnet(client, made["people"])
    return made


@pytest.fixture(scope="module")
def world_snapshots(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The people, and the people with alice's carnet, each built once per backend; each test
    gets a site of its own holding a copy (WorldSnapshots): the first for the tests that ask for
    `carnet`, the second for the others."""
    tmp = tmp_path_factory.mktemp("carnets-api")
    return {
        "carnet": WorldSnapshots(request, tmp / "carnet", _people_and_carnet),
        "people": WorldSnapshots(request, tmp / "people", _people),
    }


@pytest.fixture
def people(client, snapshot_world) -> People:
    """alice (the carnet's manager), bob (its contributor), mona (a signed-in stranger) and an
    admin, signed in; "anon" is no one."""
    signed_in = People(client)
    signed_in.update(snapshot_world["people"])
    return signed_in


def new_carnet(client, who: dict[str, str], title: str = "Économie sociale", **fields: Any) -> dict:
    response = client.post(f"{API}/carnets", json={"title": title, **fields}, headers=who)
    assert response.status_code == 201, response.text
    return response.json()


def new_note(client, who: dict[str, str], title: str, **fields: Any) -> str:
    response = client.post(f"{API}/notes", json={"title": title, **fields}, headers=who)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def integrate(client, carnet_id: str, who: dict[str, str], note_id: str, **fields: Any) -> dict:
    response = client.post(f"{API}/carnets/{carnet_id}/notes", json={"note_id": note_id, **fields}, headers=who)
    assert response.status_code == 201, response.text
    return response.json()


def read(client, carnet_id: str, who: dict[str, str], **params: Any) -> dict:
    response = client.get(f"{API}/carnets/{carnet_id}", params=params, headers=who)
    assert response.status_code == 200, response.text
    return response.json()


def titles(client, carnet_id: str, who: dict[str, str], **params: Any) -> list[str]:
    return [item["note"]["title"] for item in read(client, carnet_id, who, **params)["entries"]["items"]]


def filed(client, carnet_id: str, who: dict[str, str]) -> dict[str, list[str]]:
    """Each visible note's title -> its categories in the carnet."""
    return {item["note"]["title"]: item["categories"] for item in read(client, carnet_id, who)["entries"]["items"]}


def counts(carnet: dict) -> dict[str, int]:
    return {c["name"]: c["count"] for axis in carnet["axes"] for c in axis["categories"]}


def note_carnets(client, note_id: str, who: dict[str, str]) -> dict[str, list[str]]:
    """The carnets GET /notes/{id} lists for this reader: carnet id -> categories there."""
    response = client.get(f"{API}/notes/{note_id}", headers=who)
    assert response.status_code == 200, response.text
    return {ref["id"]: ref["categories"] for ref in response.json()["carnets"]}


def axis_id(carnet: dict, name: str) -> int:
    return next(axis["id"] for axis in carnet["axes"] if axis["name"] == name)


@pytest.fixture
def carnet(people, snapshot_world) -> dict:
    """A public carnet managed by alice, with bob as contributor and two category lists."""
    made: dict = snapshot_world["carnet"]
    return made


def _new_managed_carnet(client, people) -> dict:  # type: ignore[no-untyped-def]
    created = new_carnet(client, people["alice"], description="Des **initiatives** locales.", axes=[THEMES, STATUS])
    added = client.post(
        f"{API}/carnets/{created['id']}/members",
        json={"username": "bob", "role": "contributor"},
        headers=people["alice"],
    )
    assert added.status_code == 201, added.text
    return added.json()


def error_field(response) -> list:
    return [err["loc"] for err in response.json()["detail"]]


# --- 1. rights per role ------------------------------------------------------------------------


def test_creating_a_carnet_needs_a_sign_in_and_makes_the_creator_its_manager(client, people, carnet):
    assert client.post(f"{API}/carnets", json={"title": "Anonyme"}).status_code == 401
    assert carnet["my_role"] == "manager" and carnet["can_manage"] is True
    assert {(m["username"], m["role"]) for m in carnet["members"]} == {("alice", "manager"), ("bob", "contributor")}
    assert [a["name"] for a in carnet["axes"]] == ["Thème", "Statut"]
    assert [c["name"] for c in carnet["axes"][0]["categories"]] == ["Budget", "Subvention", "Récit"]
    as_bob = read(client, carnet["id"], people["bob"])
    assert as_bob["my_role"] == "contributor" and as_bob["can_contribute"] is True and as_bob["can_manage"] is False
    as_mona = read(client, carnet["id"], people["mona"])
    assert as_mona["my_role"] is None and as_mona["can_contribute"] is False


def test_only_managers_and_admins_change_the_carnet(client, people, carnet):
    url = f"{API}/carnets/{carnet['id']}"
    assert client.patch(url, json={"title": "Par Bob"}, headers=people["bob"]).status_code == 403
    assert client.patch(url, json={"title": "Par Mona"}, headers=people["mona"]).status_code == 403
    assert client.patch(url, json={"title": "Par personne"}).status_code == 401
    assert read(client, carnet["id"], people["anon"])["title"] == "Économie sociale"
    changed = client.patch(
        url, json={"title": "Économie solidaire", "guide": "Une note par initiative."}, headers=people["alice"]
    )
    assert changed.status_code == 200 and changed.json()["title"] == "Économie solidaire"
    assert changed.json()["guide"] == "Une note par initiative."
    by_admin = client.patch(url, json={"description": "Revu par l'administration."}, headers=people["admin"])
    assert by_admin.status_code == 200
    assert read(client, carnet["id"], people["anon"])["description"] == "Revu par l'administration."


def test_only_managers_and_admins_add_and_remove_members(client, people, carnet):
    url = f"{API}/carnets/{carnet['id']}/members"
    assert client.post(url, json={"username": "mona"}, headers=people["bob"]).status_code == 403
    assert client.post(url, json={"username": "mona"}, headers=people["mona"]).status_code == 403
    assert client.post(url, json={"username": "mona"}).status_code == 401
    assert client.post(url, json={"username": "personne"}, headers=people["alice"]).status_code == 422
    assert client.post(url, json={"username": "mona", "role": "reine"}, headers=people["alice"]).status_code == 422
    added = client.post(url, json={"username": "mona"}, headers=people["admin"])
    assert added.status_code == 201
    assert ("mona", "contributor") in {(m["username"], m["role"]) for m in added.json()["members"]}
    assert client.delete(f"{url}/mona", headers=people["bob"]).status_code == 403
    assert client.delete(f"{url}/mona").status_code == 401
    assert client.delete(f"{url}/mona", headers=people["alice"]).status_code == 204
    assert "mona" not in {m["username"] for m in read(client, carnet["id"], people["alice"])["members"]}
    assert client.delete(f"{url}/mona", headers=people["alice"]).status_code == 404
    # A contributor may leave by themself.
    assert client.delete(f"{url}/bob", headers=people["bob"]).status_code == 204
    assert read(client, carnet["id"], people["bob"])["my_role"] is None


def test_a_carnet_keeps_at_least_one_manager(client, people, carnet):
    url = f"{API}/carnets/{carnet['id']}/members"
    left_alone = client.delete(f"{url}/alice", headers=people["alice"])
    assert left_alone.status_code == 422
    demoted = client.post(url, json={"username": "alice", "role": "contributor"}, headers=people["alice"])
    assert demoted.status_code == 422
    assert ("alice", "manager") in {
        (m["username"], m["role"]) for m in read(client, carnet["id"], people["alice"])["members"]
    }
    assert client.post(url, json={"username": "bob", "role": "manager"}, headers=people["alice"]).status_code == 201
    assert client.delete(f"{url}/alice", headers=people["alice"]).status_code == 204
    assert {(m["username"], m["role"]) for m in read(client, carnet["id"], people["bob"])["members"]} == {
        ("bob", "manager")
    }
    assert client.delete(f"{url}/bob", headers=people["bob"]).status_code == 422


def test_only_managers_and_admins_edit_the_category_lists(client, people, carnet):
    cid = carnet["id"]
    theme = axis_id(carnet, "Thème")
    attempts = [
        ("post", f"/carnets/{cid}/axes", {"name": "Territoire", "categories": ["Ville"]}),
        ("patch", f"/carnets/{cid}/axes/{theme}", {"name": "Sujets"}),
        ("post", f"/carnets/{cid}/axes/{theme}/categories", {"name": "Fiscalité"}),
        ("patch", f"/carnets/{cid}/categories/Budget", {"name": "Finances"}),
        ("delete", f"/carnets/{cid}/categories/Récit", None),
        ("delete", f"/carnets/{cid}/axes/{theme}", None),
    ]
    for method, path, body in attempts:
        kwargs = {"json": body} if body is not None else {}
        for who, status in (("bob", 403), ("mona", 403), ("anon", 401)):
            response = getattr(client, method)(API + path, headers=people[who], **kwargs)
            assert response.status_code == status, (method, path, who, response.text)
    assert read(client, cid, people["alice"])["axes"] == carnet["axes"]

    added = client.post(
        f"{API}/carnets/{cid}/axes", json={"name": "Territoire", "categories": ["Ville"]}, headers=people["alice"]
    )
    assert added.status_code == 201 and [a["name"] for a in added.json()["axes"]] == ["Thème", "Statut", "Territoire"]
    territory = axis_id(added.json(), "Territoire")
    renamed = client.patch(f"{API}/carnets/{cid}/axes/{territory}", json={"name": "Lieu"}, headers=people["admin"])
    assert renamed.status_code == 200 and "Lieu" in [a["name"] for a in renamed.json()["axes"]]
    category = client.post(
        f"{API}/carnets/{cid}/axes/{theme}/categories", json={"name": "Fiscalité"}, headers=people["admin"]
    )
    assert category.status_code == 201 and "Fiscalité" in counts(category.json())
    assert (
        client.patch(
            f"{API}/carnets/{cid}/categories/fiscalite", json={"name": "Impôts"}, headers=people["alice"]
        ).status_code
        == 200
    )
    assert client.delete(f"{API}/carnets/{cid}/categories/Impôts", headers=people["alice"]).status_code == 204
    assert client.delete(f"{API}/carnets/{cid}/axes/{territory}", headers=people["alice"]).status_code == 204
    after = read(client, cid, people["anon"])
    assert [a["name"] for a in after["axes"]] == ["Thème", "Statut"]
    assert set(counts(after)) == {"Budget", "Subvention", "Récit", "À lire", "Lu"}
    # A fourth list is one too many.
    client.post(f"{API}/carnets/{cid}/axes", json={"name": "Lieu"}, headers=people["alice"])
    fourth = client.post(f"{API}/carnets/{cid}/axes", json={"name": "Année"}, headers=people["alice"])
    assert fourth.status_code == 422


def test_contributors_integrate_and_file_notes_but_only_managers_order_and_pin(client, people, carnet):
    cid = carnet["id"]
    mine = new_note(client, people["mona"], "Monnaie locale")
    by_bob = integrate(client, cid, people["bob"], mine, categories=["Budget"])
    assert by_bob["added_by"]["username"] == "bob" and by_bob["categories"] == ["Budget"]
    assert by_bob["pinned"] is False and by_bob["position"] == 0
    other = new_note(client, people["alice"], "Tiers-lieu")
    assert client.post(f"{API}/carnets/{cid}/notes", json={"note_id": other}, headers=people["mona"]).status_code == 403
    assert client.post(f"{API}/carnets/{cid}/notes", json={"note_id": other}).status_code == 401
    assert (
        client.post(
            f"{API}/carnets/{cid}/notes", json={"note_id": other, "pinned": True}, headers=people["bob"]
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"{API}/carnets/{cid}/notes", json={"note_id": other, "position": 0}, headers=people["bob"]
        ).status_code
        == 403
    )
    assert titles(client, cid, people["alice"]) == ["Monnaie locale"]
    assert client.post(f"{API}/carnets/{cid}/notes", json={"note_id": mine}, headers=people["alice"]).status_code == 409

    entry = f"{API}/carnets/{cid}/notes/{mine}"
    refiled = client.patch(entry, json={"categories": ["Subvention", "Lu"]}, headers=people["bob"])
    assert refiled.status_code == 200 and refiled.json()["categories"] == ["Subvention", "Lu"]
    assert client.patch(entry, json={"categories": ["Budget"]}, headers=people["mona"]).status_code == 403
    assert client.patch(entry, json={"categories": ["Budget"]}).status_code == 401
    assert client.patch(entry, json={"pinned": True}, headers=people["bob"]).status_code == 403
    assert client.patch(entry, json={"position": 0}, headers=people["bob"]).status_code == 403
    pinned = client.patch(entry, json={"pinned": True}, headers=people["alice"])
    assert pinned.status_code == 200 and pinned.json()["pinned"] is True
    integrate(client, cid, people["admin"], other, position=0)
    assert client.patch(entry, json={"position": 0}, headers=people["admin"]).status_code == 200
    assert filed(client, cid, people["anon"]) == {"Monnaie locale": ["Subvention", "Lu"], "Tiers-lieu": []}


def test_a_contributor_removes_only_the_notes_they_integrated(client, people, carnet):
    cid = carnet["id"]
    by_alice = new_note(client, people["alice"], "Coopérative d'habitants")
    by_bob = new_note(client, people["bob"], "Jardin partagé")
    integrate(client, cid, people["alice"], by_alice)
    integrate(client, cid, people["bob"], by_bob)
    items = {i["note"]["title"]: i["can_remove"] for i in read(client, cid, people["bob"])["entries"]["items"]}
    assert items == {"Coopérative d'habitants": False, "Jardin partagé": True}
    assert client.delete(f"{API}/carnets/{cid}/notes/{by_alice}", headers=people["bob"]).status_code == 403
    assert client.delete(f"{API}/carnets/{cid}/notes/{by_bob}", headers=people["mona"]).status_code == 403
    assert client.delete(f"{API}/carnets/{cid}/notes/{by_bob}").status_code == 401
    assert titles(client, cid, people["anon"]) == ["Coopérative d'habitants", "Jardin partagé"]
    assert client.delete(f"{API}/carnets/{cid}/notes/{by_bob}", headers=people["bob"]).status_code == 204
    assert client.delete(f"{API}/carnets/{cid}/notes/{by_alice}", headers=people["alice"]).status_code == 204
    assert titles(client, cid, people["anon"]) == []
    # The notes themselves stay.
    for note_id in (by_alice, by_bob):
        assert client.get(f"{API}/notes/{note_id}").status_code == 200


def test_managers_and_admins_delete_a_carnet_and_its_notes_survive(client, people, carnet):
    cid = carnet["id"]
    note_id = new_note(client, people["bob"], "Atelier vélo")
    integrate(client, cid, people["bob"], note_id, categories=["Récit"])
    assert note_carnets(client, note_id, people["anon"]) == {cid: ["Récit"]}
    assert client.delete(f"{API}/carnets/{cid}", headers=people["bob"]).status_code == 403
    assert client.delete(f"{API}/carnets/{cid}", headers=people["mona"]).status_code == 403
    assert client.delete(f"{API}/carnets/{cid}").status_code == 401
    assert client.delete(f"{API}/carnets/{cid}", headers=people["alice"]).status_code == 204
    assert client.get(f"{API}/carnets/{cid}", headers=people["alice"]).status_code == 404
    assert client.get(f"{API}/notes/{note_id}").status_code == 200
    assert note_carnets(client, note_id, people["anon"]) == {}
    others = new_carnet(client, people["mona"], "Carnet de Mona")
    assert client.delete(f"{API}/carnets/{others['id']}", headers=people["admin"]).status_code == 204
    assert client.get(f"{API}/carnets", headers=people["admin"]).json()["total"] == 0


def test_a_restricted_carnet_is_404_to_a_stranger_whatever_they_try(client, people):
    secret = new_carnet(client, people["alice"], "Dossier confidentiel", visibility="restricted", axes=[THEMES])
    cid = secret["id"]
    note_id = new_note(client, people["mona"], "Note de Mona")
    for who in ("mona", "anon"):
        heads = people[who]
        assert client.get(f"{API}/carnets/{cid}", headers=heads).status_code == 404
        assert client.get(f"{API}/carnets/{cid}/graph", headers=heads).status_code == 404
        assert client.patch(f"{API}/carnets/{cid}", json={"title": "Pris"}, headers=heads).status_code == 404
        assert client.delete(f"{API}/carnets/{cid}", headers=heads).status_code == 404
        assert client.post(f"{API}/carnets/{cid}/members", json={"username": "mona"}, headers=heads).status_code == 404
        assert client.post(f"{API}/carnets/{cid}/notes", json={"note_id": note_id}, headers=heads).status_code == 404
        assert client.post(f"{API}/carnets/{cid}/axes", json={"name": "Lieu"}, headers=heads).status_code == 404
        assert (
            client.patch(f"{API}/carnets/{cid}/categories/Budget", json={"name": "X"}, headers=heads).status_code == 404
        )
    assert read(client, cid, people["alice"])["title"] == "Dossier confidentiel"
    assert read(client, cid, people["admin"])["title"] == "Dossier confidentiel"


# --- 2. visibility -----------------------------------------------------------------------------


def test_a_restricted_carnet_is_seen_by_its_members_and_admins_only(client, people):
    secret = new_carnet(client, people["alice"], "Dossier confidentiel", visibility="restricted")
    public = new_carnet(client, people["alice"], "Carnet ouvert")
    client.post(f"{API}/carnets/{secret['id']}/members", json={"username": "bob"}, headers=people["alice"])
    note_id = new_note(client, people["alice"], "Note publique")
    integrate(client, secret["id"], people["alice"], note_id)
    integrate(client, public["id"], people["alice"], note_id)

    def listed(who: str) -> set[str]:
        page = client.get(f"{API}/carnets", headers=people[who]).json()
        assert page["total"] == len(page["items"])
        return {c["title"] for c in page["items"]}

    assert listed("mona") == listed("anon") == {"Carnet ouvert"}
    assert listed("bob") == listed("alice") == listed("admin") == {"Carnet ouvert", "Dossier confidentiel"}
    assert set(note_carnets(client, note_id, people["mona"])) == {public["id"]}
    assert set(note_carnets(client, note_id, people["anon"])) == {public["id"]}
    assert set(note_carnets(client, note_id, people["bob"])) == {public["id"], secret["id"]}
    assert set(note_carnets(client, note_id, people["admin"])) == {public["id"], secret["id"]}
    assert client.get(f"{API}/carnets/{secret['id']}", headers=people["mona"]).status_code == 404
    assert read(client, secret["id"], people["bob"])["entries"]["total"] == 1


def test_a_community_carnet_is_seen_by_the_communitys_members(client, people):
    community = client.post(f"{API}/communities", json={"name": "Cercle ESS"}, headers=people["alice"])
    assert community.status_code == 201
    community_id = community.json()["id"]
    assert (
        client.post(
            f"{API}/communities/{community_id}/members", json={"username": "bob"}, headers=people["alice"]
        ).status_code
        == 201
    )
    shared = new_carnet(client, people["alice"], "Carnet du cercle", visibility="community", community=community_id)
    assert shared["community"]["id"] == community_id
    note_id = new_note(client, people["alice"], "Compte rendu")
    integrate(client, shared["id"], people["alice"], note_id)

    as_bob = read(client, shared["id"], people["bob"])
    assert as_bob["my_role"] is None and as_bob["entries"]["total"] == 1
    assert shared["id"] in {c["id"] for c in client.get(f"{API}/carnets", headers=people["bob"]).json()["items"]}
    assert set(note_carnets(client, note_id, people["bob"])) == {shared["id"]}
    for who in ("mona", "anon"):
        assert client.get(f"{API}/carnets/{shared['id']}", headers=people[who]).status_code == 404
        assert client.get(f"{API}/carnets", headers=people[who]).json()["total"] == 0
        assert note_carnets(client, note_id, people[who]) == {}
    assert read(client, shared["id"], people["admin"])["title"] == "Carnet du cercle"
    # Joining the community opens the carnet, to read: adding to it is for its members.
    client.post(f"{API}/communities/{community_id}/members", json={"username": "mona"}, headers=people["alice"])
    assert read(client, shared["id"], people["mona"])["entries"]["total"] == 1
    own = new_note(client, people["mona"], "Note de Mona")
    assert (
        client.post(f"{API}/carnets/{shared['id']}/notes", json={"note_id": own}, headers=people["mona"]).status_code
        == 403
    )
    # A community carnet needs a community, one its creator belongs to.
    assert (
        client.post(
            f"{API}/carnets", json={"title": "Sans cercle", "visibility": "community"}, headers=people["bob"]
        ).status_code
        == 422
    )
    client.delete(f"{API}/communities/{community_id}/members/mona", headers=people["mona"])
    intruder = client.post(
        f"{API}/carnets",
        json={"title": "Intrus", "visibility": "community", "community": community_id},
        headers=people["mona"],
    )
    assert intruder.status_code == 422 and error_field(intruder) == [["body", "community"]]
    assert client.get(f"{API}/carnets/{shared['id']}", headers=people["mona"]).status_code == 404


# --- 3. category validation at every entry point ----------------------------------------------


def test_creating_a_carnet_with_bad_category_lists_is_422_and_creates_nothing(client, people):
    bad_lists = {
        "four lists": [{"name": f"Liste {i}", "categories": []} for i in range(4)],
        "eleven categories": [{"name": "Thème", "categories": [f"Catégorie {i}" for i in range(11)]}],
        "same name, case and accents aside": [{"name": "Thème", "categories": ["Récit", "recit"]}],
        "same name in two lists": [
            {"name": "Thème", "categories": ["Récit"]},
            {"name": "Forme", "categories": ["RÉCIT"]},
        ],
        "an empty name": [{"name": "Thème", "categories": [" "]}],
    }
    for case, axes in bad_lists.items():
        response = client.post(f"{API}/carnets", json={"title": "Mal rangé", "axes": axes}, headers=people["alice"])
        assert response.status_code == 422, (case, response.text)
        assert "detail" in response.json()
    assert client.get(f"{API}/carnets", headers=people["admin"]).json()["total"] == 0
    # The limits themselves are fine.
    most = [{"name": f"Liste {a}", "categories": [f"Catégorie {a}-{c}" for c in range(10)]} for a in range(3)]
    created = new_carnet(client, people["alice"], "Bien rangé", axes=most)
    assert [len(axis["categories"]) for axis in created["axes"]] == [10, 10, 10]


def test_integrating_takes_only_the_carnets_categories_one_per_list(client, people, carnet):
    cid = carnet["id"]
    note_id = new_note(client, people["bob"], "Régie de quartier")
    unknown = client.post(
        f"{API}/carnets/{cid}/notes", json={"note_id": note_id, "categories": ["Inconnue"]}, headers=people["bob"]
    )
    assert unknown.status_code == 422 and error_field(unknown) == [["body", "categories"]]
    same_list = client.post(
        f"{API}/carnets/{cid}/notes",
        json={"note_id": note_id, "categories": ["Budget", "Subvention"]},
        headers=people["bob"],
    )
    assert same_list.status_code == 422 and error_field(same_list) == [["body", "categories"]]
    assert read(client, cid, people["alice"])["entries"]["total"] == 0
    # Names are matched ignoring case and accents, and read back as the carnet spells them.
    fine = integrate(client, cid, people["bob"], note_id, categories=["budget", "a LIRE"])
    assert fine["categories"] == ["Budget", "À lire"]
    refile = client.patch(
        f"{API}/carnets/{cid}/notes/{note_id}", json={"categories": ["Budget", "Fiscalité"]}, headers=people["bob"]
    )
    assert refile.status_code == 422 and error_field(refile) == [["body", "categories"]]
    both = client.patch(
        f"{API}/carnets/{cid}/notes/{note_id}", json={"categories": ["Lu", "À lire"]}, headers=people["bob"]
    )
    assert both.status_code == 422
    assert filed(client, cid, people["anon"]) == {"Régie de quartier": ["Budget", "À lire"]}


def test_creating_a_note_in_a_carnet_with_a_bad_category_creates_no_note(client, people, carnet):
    cid = carnet["id"]
    before = client.get(f"{API}/notes", headers=people["admin"]).json()["total"]
    bad = client.post(
        f"{API}/notes", json={"title": "Fantôme", "carnet": cid, "categories": ["Inconnue"]}, headers=people["bob"]
    )
    assert bad.status_code == 422 and error_field(bad) == [["body", "categories"]]
    two = client.post(
        f"{API}/notes",
        json={"title": "Fantôme", "carnet": cid, "categories": ["Budget", "Récit"]},
        headers=people["bob"],
    )
    assert two.status_code == 422
    loose = client.post(f"{API}/notes", json={"title": "Fantôme", "categories": ["Budget"]}, headers=people["bob"])
    assert loose.status_code == 422
    assert (
        client.post(f"{API}/notes", json={"title": "Fantôme", "carnet": cid}, headers=people["mona"]).status_code == 403
    )
    assert (
        client.post(f"{API}/notes", json={"title": "Fantôme", "carnet": "inconnu"}, headers=people["bob"]).status_code
        == 422
    )
    assert client.get(f"{API}/notes", headers=people["admin"]).json()["total"] == before
    assert client.get(f"{API}/notes", params={"q": "Fantôme"}, headers=people["admin"]).json()["total"] == 0
    made = client.post(
        f"{API}/notes",
        json={"title": "Bien rangée", "carnet": cid, "categories": ["subvention", "Lu"]},
        headers=people["bob"],
    )
    assert made.status_code == 201
    assert {ref["id"]: ref["categories"] for ref in made.json()["carnets"]} == {cid: ["Subvention", "Lu"]}
    assert filed(client, cid, people["anon"]) == {"Bien rangée": ["Subvention", "Lu"]}


def test_each_carnet_files_a_note_under_its_own_categories(client, people, carnet):
    first = carnet["id"]
    second = new_carnet(
        client, people["alice"], "Financements", axes=[{"name": "Source", "categories": ["Subvention", "Mécénat"]}]
    )["id"]
    note_id = new_note(client, people["alice"], "Fonds régional")
    wrong = client.post(
        f"{API}/carnets/{second}/notes", json={"note_id": note_id, "categories": ["Budget"]}, headers=people["alice"]
    )
    assert wrong.status_code == 422 and error_field(wrong) == [["body", "categories"]]
    integrate(client, first, people["alice"], note_id, categories=["Budget"])
    integrate(client, second, people["alice"], note_id, categories=["Subvention"])
    assert (
        client.patch(
            f"{API}/carnets/{second}/notes/{note_id}", json={"categories": ["Récit"]}, headers=people["alice"]
        ).status_code
        == 422
    )
    assert note_carnets(client, note_id, people["anon"]) == {first: ["Budget"], second: ["Subvention"]}
    refs = client.get(f"{API}/notes/{note_id}").json()["carnets"]
    assert {r["title"]: r["category"] for r in refs} == {"Économie sociale": "Budget", "Financements": "Subvention"}
    assert all(r["added_by"]["username"] == "alice" for r in refs)


# --- 4. renaming and deleting categories ------------------------------------------------------


@pytest.fixture
def filed_notes(client, people, carnet) -> dict[str, str]:
    """Three notes in the carnet: two under Budget (one also Lu), one under Subvention."""
    ids = {}
    for title, cats in (
        ("Budget participatif", ["Budget", "Lu"]),
        ("Budget de la mairie", ["Budget"]),
        ("Aide à l'emploi", ["Subvention"]),
    ):
        ids[title] = new_note(client, people["alice"], title)
        integrate(client, carnet["id"], people["alice"], ids[title], categories=cats)
    return ids


def test_renaming_a_category_renames_it_on_every_note(client, people, carnet, filed_notes):
    cid = carnet["id"]
    renamed = client.patch(f"{API}/carnets/{cid}/categories/BUDGET", json={"name": "Finances"}, headers=people["alice"])
    assert renamed.status_code == 200
    assert counts(renamed.json()) == {"Finances": 2, "Subvention": 1, "Récit": 0, "À lire": 0, "Lu": 1}
    assert filed(client, cid, people["anon"]) == {
        "Budget participatif": ["Finances", "Lu"],
        "Budget de la mairie": ["Finances"],
        "Aide à l'emploi": ["Subvention"],
    }
    assert note_carnets(client, filed_notes["Budget de la mairie"], people["anon"]) == {cid: ["Finances"]}
    assert titles(client, cid, people["anon"], category="finances") == ["Budget participatif", "Budget de la mairie"]
    clash = client.patch(
        f"{API}/carnets/{cid}/categories/Finances", json={"name": "subvention"}, headers=people["alice"]
    )
    assert clash.status_code == 422
    assert (
        client.patch(
            f"{API}/carnets/{cid}/categories/Finances", json={"name": "Lû"}, headers=people["alice"]
        ).status_code
        == 422
    )
    assert (
        client.patch(
            f"{API}/carnets/{cid}/categories/Inconnue", json={"name": "X"}, headers=people["alice"]
        ).status_code
        == 404
    )
    # A new spelling of the same name is no clash.
    respelled = client.patch(
        f"{API}/carnets/{cid}/categories/finances", json={"name": "FINANCES"}, headers=people["alice"]
    )
    assert respelled.status_code == 200 and "FINANCES" in counts(respelled.json())
    client.patch(f"{API}/carnets/{cid}/categories/finances", json={"name": "Finances"}, headers=people["alice"])
    assert filed(client, cid, people["anon"])["Budget de la mairie"] == ["Finances"]


def test_deleting_a_category_with_notes_needs_a_choice(client, people, carnet, filed_notes):
    cid = carnet["id"]
    refused = client.delete(f"{API}/carnets/{cid}/categories/Budget", headers=people["alice"])
    assert refused.status_code == 422 and error_field(refused) == [["body", "notes"]]
    assert "Budget" in counts(read(client, cid, people["anon"]))
    assert filed(client, cid, people["anon"])["Budget de la mairie"] == ["Budget"]
    # An unused category goes without a question.
    assert client.delete(f"{API}/carnets/{cid}/categories/Récit", headers=people["alice"]).status_code == 204
    assert "Récit" not in counts(read(client, cid, people["anon"]))
    # Deleting a whole list keeps its notes in the carnet, filed under the other lists only.
    status = axis_id(carnet, "Statut")
    assert client.delete(f"{API}/carnets/{cid}/axes/{status}", headers=people["alice"]).status_code == 204
    assert filed(client, cid, people["anon"]) == {
        "Budget participatif": ["Budget"],
        "Budget de la mairie": ["Budget"],
        "Aide à l'emploi": ["Subvention"],
    }
    assert note_carnets(client, filed_notes["Budget participatif"], people["anon"]) == {cid: ["Budget"]}


def test_deleting_a_category_can_leave_its_notes_uncategorised(client, people, carnet, filed_notes):
    cid = carnet["id"]
    response = client.delete(
        f"{API}/carnets/{cid}/categories/Budget", params={"notes": "uncategorise"}, headers=people["alice"]
    )
    assert response.status_code == 204
    assert "Budget" not in counts(read(client, cid, people["anon"]))
    assert filed(client, cid, people["anon"]) == {
        "Budget participatif": ["Lu"],
        "Budget de la mairie": [],
        "Aide à l'emploi": ["Subvention"],
    }


def test_deleting_a_category_can_move_its_notes_within_the_same_list(client, people, carnet, filed_notes):
    cid = carnet["id"]
    url = f"{API}/carnets/{cid}/categories/Budget"
    other_list = client.delete(url, params={"notes": "move", "to": "Lu"}, headers=people["alice"])
    assert other_list.status_code == 422
    assert client.delete(url, params={"notes": "move"}, headers=people["alice"]).status_code == 422
    assert client.delete(url, params={"notes": "move", "to": "Budget"}, headers=people["alice"]).status_code == 422
    assert client.delete(url, params={"notes": "move", "to": "Inconnue"}, headers=people["alice"]).status_code == 422
    assert filed(client, cid, people["anon"])["Budget participatif"] == ["Budget", "Lu"]
    moved = client.delete(url, params={"notes": "move", "to": "subvention"}, headers=people["alice"])
    assert moved.status_code == 204
    assert filed(client, cid, people["anon"]) == {
        "Budget participatif": ["Subvention", "Lu"],
        "Budget de la mairie": ["Subvention"],
        "Aide à l'emploi": ["Subvention"],
    }
    assert counts(read(client, cid, people["anon"]))["Subvention"] == 3


def test_deleting_a_category_can_remove_its_notes_from_the_carnet(client, people, carnet, filed_notes):
    cid = carnet["id"]
    response = client.delete(
        f"{API}/carnets/{cid}/categories/Budget", params={"notes": "remove"}, headers=people["alice"]
    )
    assert response.status_code == 204
    after = read(client, cid, people["anon"])
    assert [i["note"]["title"] for i in after["entries"]["items"]] == ["Aide à l'emploi"]
    assert after["note_count"] == 1 and [i["position"] for i in after["entries"]["items"]] == [0]
    for title in ("Budget participatif", "Budget de la mairie"):
        assert client.get(f"{API}/notes/{filed_notes[title]}").status_code == 200
        assert note_carnets(client, filed_notes[title], people["anon"]) == {}


# --- 5. order and pins -------------------------------------------------------------------------


def test_manual_order_is_the_order_of_integration_and_positions_stay_contiguous(client, people, carnet):
    cid = carnet["id"]
    ids = {t: new_note(client, people["alice"], t) for t in ("Premier", "Deuxième", "Troisième", "Quatrième")}
    for note_id in ids.values():
        integrate(client, cid, people["alice"], note_id)
    assert titles(client, cid, people["anon"]) == ["Premier", "Deuxième", "Troisième", "Quatrième"]

    def positions() -> list[int]:
        return [i["position"] for i in read(client, cid, people["anon"])["entries"]["items"]]

    assert positions() == [0, 1, 2, 3]
    head = new_note(client, people["alice"], "En tête")
    assert integrate(client, cid, people["alice"], head, position=0)["position"] == 0
    assert titles(client, cid, people["anon"]) == ["En tête", "Premier", "Deuxième", "Troisième", "Quatrième"]
    assert positions() == [0, 1, 2, 3, 4]
    moved = client.patch(f"{API}/carnets/{cid}/notes/{ids['Quatrième']}", json={"position": 1}, headers=people["alice"])
    assert moved.status_code == 200 and moved.json()["position"] == 1
    assert titles(client, cid, people["anon"]) == ["En tête", "Quatrième", "Premier", "Deuxième", "Troisième"]
    assert positions() == [0, 1, 2, 3, 4]
    # Past the end is the end.
    last = client.patch(f"{API}/carnets/{cid}/notes/{head}", json={"position": 99}, headers=people["alice"])
    assert last.status_code == 200, last.text
    assert titles(client, cid, people["anon"]) == ["Quatrième", "Premier", "Deuxième", "Troisième", "En tête"]
    assert positions() == [0, 1, 2, 3, 4]
    taken_out = client.delete(f"{API}/carnets/{cid}/notes/{ids['Premier']}", headers=people["alice"])
    assert taken_out.status_code == 204, taken_out.text
    assert positions() == [0, 1, 2, 3]
    assert titles(client, cid, people["anon"]) == ["Quatrième", "Deuxième", "Troisième", "En tête"]


def test_sorts_and_pins(client, people, carnet):
    cid = carnet["id"]
    # Written in one order, integrated in another.
    ids = {t: new_note(client, people["alice"], t) for t in ("Écoles", "Budget", "Ateliers", "Crèche")}
    for title in ("Ateliers", "Écoles", "Crèche", "Budget"):
        integrate(client, cid, people["alice"], ids[title])
    assert titles(client, cid, people["anon"]) == ["Ateliers", "Écoles", "Crèche", "Budget"]
    assert titles(client, cid, people["anon"], sort="manual") == ["Ateliers", "Écoles", "Crèche", "Budget"]
    assert titles(client, cid, people["anon"], sort="title") == ["Ateliers", "Budget", "Crèche", "Écoles"]
    assert titles(client, cid, people["anon"], sort="added") == ["Budget", "Crèche", "Écoles", "Ateliers"]
    assert titles(client, cid, people["anon"], sort="updated") == ["Crèche", "Ateliers", "Budget", "Écoles"]
    edited = client.patch(
        f"{API}/notes/{ids['Budget']}", json={"base_revision": 1, "body": "Révisé."}, headers=people["alice"]
    )
    assert edited.status_code == 200
    assert titles(client, cid, people["anon"], sort="updated") == ["Budget", "Crèche", "Ateliers", "Écoles"]

    assert (
        client.patch(
            f"{API}/carnets/{cid}/notes/{ids['Crèche']}", json={"pinned": True}, headers=people["alice"]
        ).status_code
        == 200
    )
    assert titles(client, cid, people["anon"]) == ["Crèche", "Ateliers", "Écoles", "Budget"]
    assert titles(client, cid, people["anon"], sort="title") == ["Crèche", "Ateliers", "Budget", "Écoles"]
    assert titles(client, cid, people["anon"], sort="added") == ["Crèche", "Budget", "Écoles", "Ateliers"]
    assert titles(client, cid, people["anon"], sort="updated") == ["Crèche", "Budget", "Ateliers", "Écoles"]
    pinned_late = new_note(client, people["alice"], "Annonce")
    integrate(client, cid, people["alice"], pinned_late, pinned=True)
    assert titles(client, cid, people["anon"], sort="title")[:2] == ["Annonce", "Crèche"]
    assert titles(client, cid, people["anon"], sort="added")[:2] == ["Annonce", "Crèche"]

    # The carnet's own order is used when the reader asks for none.
    assert (
        client.patch(f"{API}/carnets/{cid}", json={"sort": "title"}, headers=people["alice"]).json()["sort"] == "title"
    )
    assert titles(client, cid, people["anon"]) == ["Annonce", "Crèche", "Ateliers", "Budget", "Écoles"]
    assert titles(client, cid, people["anon"], sort="manual") == ["Crèche", "Annonce", "Ateliers", "Écoles", "Budget"]
    assert client.patch(f"{API}/carnets/{cid}", json={"sort": "hasard"}, headers=people["alice"]).status_code == 422
    assert read(client, cid, people["anon"])["sort"] == "title"


# --- 6. filters, pages and counts --------------------------------------------------------------


@pytest.fixture
def shelf(client, people, carnet) -> dict[str, str]:
    """Five notes of different kinds and authors, filed variously."""
    rows = [
        ("Économie sociale", people["alice"], {}, ["Budget", "À lire"]),
        ("Budget participatif", people["bob"], {}, ["Budget", "Lu"]),
        (
            "Fonds de soutien",
            people["alice"],
            {"kind": "organisation", "website": "https://fonds.example.org"},
            ["Subvention", "Lu"],
        ),
        ("Récit d'un chantier", people["bob"], {}, ["Récit"]),
        ("Mutualisation", people["alice"], {"kind": "term", "definition": "Mise en commun."}, []),
    ]
    ids = {}
    for title, who, fields, cats in rows:
        ids[title] = new_note(client, who, title, body="Texte neutre.", **fields)
        integrate(client, carnet["id"], who, ids[title], categories=cats)
    return ids


def test_filters_by_category_kind_author_and_text(client, people, carnet, shelf):
    cid, anon = carnet["id"], people["anon"]
    assert titles(client, cid, anon, category="Budget") == ["Économie sociale", "Budget participatif"]
    assert titles(client, cid, anon, category=["budget", "LU"]) == ["Budget participatif"]
    assert titles(client, cid, anon, category=["Subvention", "À lire"]) == []
    assert titles(client, cid, anon, kind="organisation") == ["Fonds de soutien"]
    assert titles(client, cid, anon, kind="term") == ["Mutualisation"]
    assert titles(client, cid, anon, author="bob") == ["Budget participatif", "Récit d'un chantier"]
    assert titles(client, cid, anon, author="personne") == []
    assert titles(client, cid, anon, q="economie") == ["Économie sociale"]
    assert titles(client, cid, anon, q="ÉCONOMIE") == ["Économie sociale"]
    assert titles(client, cid, anon, q="recit") == ["Récit d'un chantier"]
    assert titles(client, cid, anon, category="Lu", author="alice") == ["Fonds de soutien"]
    unknown = client.get(f"{API}/carnets/{cid}", params={"category": "Inconnue"})
    assert unknown.status_code == 422


def test_pages_and_the_note_count(client, people, carnet, shelf):
    cid = carnet["id"]
    first = read(client, cid, people["anon"], per_page=2)
    second = read(client, cid, people["anon"], per_page=2, page=2)
    third = read(client, cid, people["anon"], per_page=2, page=3)
    assert [i["note"]["title"] for i in first["entries"]["items"]] == ["Économie sociale", "Budget participatif"]
    assert [i["note"]["title"] for i in second["entries"]["items"]] == ["Fonds de soutien", "Récit d'un chantier"]
    assert [i["note"]["title"] for i in third["entries"]["items"]] == ["Mutualisation"]
    assert second["entries"]["total"] == 5 and second["entries"]["page"] == 2 and second["entries"]["per_page"] == 2
    assert second["note_count"] == 5
    assert read(client, cid, people["anon"], page=9)["entries"]["items"] == []
    filtered = read(client, cid, people["anon"], category="Lu")
    assert filtered["entries"]["total"] == 2 and filtered["note_count"] == 5
    listed = client.get(f"{API}/carnets").json()["items"]
    assert [(c["title"], c["note_count"]) for c in listed] == [("Économie sociale", 5)]


def test_each_category_count_ignores_its_own_list_and_applies_the_others(client, people, carnet, shelf):
    cid = carnet["id"]
    assert counts(read(client, cid, people["anon"])) == {"Budget": 2, "Subvention": 1, "Récit": 1, "À lire": 1, "Lu": 2}
    # Choosing Budget: the other themes keep their counts; the statuses count among Budget notes.
    assert counts(read(client, cid, people["anon"], category="Budget")) == {
        "Budget": 2,
        "Subvention": 1,
        "Récit": 1,
        "À lire": 1,
        "Lu": 1,
    }
    assert counts(read(client, cid, people["anon"], category="Lu")) == {
        "Budget": 1,
        "Subvention": 1,
        "Récit": 0,
        "À lire": 1,
        "Lu": 2,
    }
    assert counts(read(client, cid, people["anon"], category=["Budget", "Lu"])) == {
        "Budget": 1,
        "Subvention": 1,
        "Récit": 0,
        "À lire": 1,
        "Lu": 1,
    }
    assert counts(read(client, cid, people["anon"], author="bob")) == {
        "Budget": 1,
        "Subvention": 0,
        "Récit": 1,
        "À lire": 0,
        "Lu": 1,
    }
    assert counts(read(client, cid, people["anon"], kind="organisation")) == {
        "Budget": 0,
        "Subvention": 1,
        "Récit": 0,
        "À lire": 0,
        "Lu": 1,
    }


def test_a_restricted_note_in_a_public_carnet_shows_only_to_its_readers(client, people, carnet, shelf):
    cid = carnet["id"]
    hidden = new_note(client, people["alice"], "Budget interne", visibility="restricted")
    integrate(client, cid, people["alice"], hidden, categories=["Budget", "Lu"], pinned=True)
    for who in ("mona", "anon", "bob"):
        seen = read(client, cid, people[who])
        assert "Budget interne" not in [i["note"]["title"] for i in seen["entries"]["items"]]
        assert seen["entries"]["total"] == seen["note_count"] == 5
        assert counts(seen)["Budget"] == 2 and counts(seen)["Lu"] == 2
        assert read(client, cid, people[who], category="Budget")["entries"]["total"] == 2
        assert client.get(f"{API}/carnets", headers=people[who]).json()["items"][0]["note_count"] == 5
        assert len(client.get(f"{API}/carnets/{cid}/graph", headers=people[who]).json()["nodes"]) == 5
    mine = read(client, cid, people["alice"])
    assert mine["entries"]["items"][0]["note"]["title"] == "Budget interne"
    assert mine["note_count"] == mine["entries"]["total"] == 6
    assert counts(mine)["Budget"] == 3 and counts(mine)["Lu"] == 3
    assert read(client, cid, people["admin"])["note_count"] == 6
    # Nobody but its readers can act on it through the carnet either.
    assert (
        client.patch(f"{API}/carnets/{cid}/notes/{hidden}", json={"categories": []}, headers=people["bob"]).status_code
        == 404
    )
    assert client.post(f"{API}/carnets/{cid}/notes", json={"note_id": hidden}, headers=people["bob"]).status_code == 422


# --- 7. bases de connaissances ----------------------------------------------------------------


def new_base(client, who: dict[str, str], title: str = "Base ESS", **fields: Any) -> dict:
    response = client.post(f"{API}/bases", json={"title": title, **fields}, headers=who)
    assert response.status_code == 201, response.text
    return response.json()


def add_to_base(client, base_id: str, who: dict[str, str], carnet_id: str, **fields: Any):
    return client.post(f"{API}/bases/{base_id}/carnets", json={"carnet_id": carnet_id, **fields}, headers=who)


def base_titles(client, base_id: str, who: dict[str, str], **params: Any) -> tuple[list[str], list[str], int]:
    """The carnets a reader sees in the base, the titles of its notes (by title) and their total."""
    response = client.get(f"{API}/bases/{base_id}", params={"sort": "title", **params}, headers=who)
    assert response.status_code == 200, response.text
    body = response.json()
    return [c["title"] for c in body["carnets"]], [n["title"] for n in body["notes"]["items"]], body["notes"]["total"]


def test_a_base_gathers_carnets_and_counts_each_note_once(client, people, carnet):
    first = carnet["id"]
    second = new_carnet(client, people["alice"], "Financements")["id"]
    shared = new_note(client, people["alice"], "Fonds régional", kind="organisation")
    only_first = new_note(client, people["bob"], "Atelier cuisine")
    only_second = new_note(client, people["alice"], "Mécénat de proximité")
    outside = new_note(client, people["alice"], "Hors base")
    integrate(client, first, people["alice"], shared)
    integrate(client, first, people["bob"], only_first)
    integrate(client, second, people["alice"], shared)
    integrate(client, second, people["alice"], only_second)
    assert client.post(f"{API}/bases", json={"title": "Anonyme"}).status_code == 401
    base = new_base(client, people["alice"], description="Les carnets de l'**ESS**.")
    assert [m["username"] for m in base["managers"]] == ["alice"] and base["can_manage"] is True
    assert add_to_base(client, base["id"], people["alice"], first).status_code == 201
    added = add_to_base(client, base["id"], people["alice"], second, position=0)
    assert added.status_code == 201 and [c["title"] for c in added.json()["carnets"]] == [
        "Financements",
        "Économie sociale",
    ]
    assert add_to_base(client, base["id"], people["alice"], first).status_code == 409

    carnets_seen, notes_seen, total = base_titles(client, base["id"], people["anon"])
    assert carnets_seen == ["Financements", "Économie sociale"]
    assert notes_seen == ["Atelier cuisine", "Fonds régional", "Mécénat de proximité"] and total == 3
    assert outside not in notes_seen
    assert base_titles(client, base["id"], people["anon"], carnet=first)[1:] == (
        ["Atelier cuisine", "Fonds régional"],
        2,
    )
    assert base_titles(client, base["id"], people["anon"], kind="organisation")[1:] == (["Fonds régional"], 1)
    assert base_titles(client, base["id"], people["anon"], q="MECENAT")[1:] == (["Mécénat de proximité"], 1)
    assert base_titles(client, base["id"], people["anon"], author="bob")[1:] == (["Atelier cuisine"], 1)
    stray = new_carnet(client, people["alice"], "Hors de la base")["id"]
    assert client.get(f"{API}/bases/{base['id']}", params={"carnet": stray}).status_code == 422
    assert client.get(f"{API}/notes", params={"base": base["id"]}).json()["total"] == 3

    # A carnet can be in two bases, and says so.
    other = new_base(client, people["bob"], "Base de Bob")
    assert add_to_base(client, other["id"], people["bob"], first).status_code == 201
    assert {b["title"] for b in read(client, first, people["anon"])["bases"]} == {"Base ESS", "Base de Bob"}
    assert {(b["title"], b["carnet_count"]) for b in client.get(f"{API}/bases").json()} == {
        ("Base ESS", 2),
        ("Base de Bob", 1),
    }
    # Taking a carnet out of a base, or deleting the base, leaves the carnet.
    assert client.delete(f"{API}/bases/{other['id']}/carnets/{first}", headers=people["bob"]).status_code == 204
    assert client.delete(f"{API}/bases/{base['id']}", headers=people["alice"]).status_code == 204
    assert client.get(f"{API}/bases/{base['id']}").status_code == 404
    assert read(client, first, people["anon"])["bases"] == [] and read(client, first, people["anon"])["note_count"] == 2


def test_a_base_shows_a_reader_only_the_carnets_and_notes_they_may_see(client, people, carnet):
    secret = new_carnet(client, people["alice"], "Dossier confidentiel", visibility="restricted")["id"]
    public_note = new_note(client, people["alice"], "Note ouverte")
    secret_only = new_note(client, people["alice"], "Note du dossier")
    hidden_note = new_note(client, people["alice"], "Note restreinte", visibility="restricted")
    integrate(client, carnet["id"], people["alice"], public_note)
    integrate(client, carnet["id"], people["alice"], hidden_note)
    integrate(client, secret, people["alice"], secret_only)
    base = new_base(client, people["alice"])["id"]
    add_to_base(client, base, people["alice"], carnet["id"])
    add_to_base(client, base, people["alice"], secret)

    assert base_titles(client, base, people["alice"]) == (
        ["Économie sociale", "Dossier confidentiel"],
        ["Note du dossier", "Note ouverte", "Note restreinte"],
        3,
    )
    for who in ("mona", "anon"):
        assert base_titles(client, base, people[who]) == (["Économie sociale"], ["Note ouverte"], 1)
        assert client.get(f"{API}/bases/{base}", params={"carnet": secret}, headers=people[who]).status_code in (
            404,
            422,
        )
        assert client.get(f"{API}/notes", params={"base": base}, headers=people[who]).json()["total"] == 1
        assert client.get(f"{API}/notes", params={"carnet": secret}, headers=people[who]).json()["total"] == 0
        assert client.get(f"{API}/notes", params={"carnet": carnet["id"]}, headers=people[who]).json()["total"] == 1
        assert [b["carnet_count"] for b in client.get(f"{API}/bases", headers=people[who]).json()] == [1]
    assert client.get(f"{API}/notes", params={"base": base}, headers=people["alice"]).json()["total"] == 3
    assert client.get(f"{API}/notes", params={"carnet": secret}, headers=people["alice"]).json()["total"] == 1
    # A restricted base is its managers' only.
    private = new_base(client, people["alice"], "Base privée", visibility="restricted")["id"]
    add_to_base(client, private, people["alice"], carnet["id"])
    assert client.get(f"{API}/bases/{private}", headers=people["bob"]).status_code == 404
    assert client.get(f"{API}/notes", params={"base": private}, headers=people["bob"]).json()["total"] == 0
    assert {b["title"] for b in client.get(f"{API}/bases", headers=people["bob"]).json()} == {"Base ESS"}
    assert {b["title"] for b in client.get(f"{API}/bases", headers=people["admin"]).json()} == {
        "Base ESS",
        "Base privée",
    }
    assert [b["title"] for b in read(client, carnet["id"], people["bob"])["bases"]] == ["Base ESS"]


def test_only_a_bases_managers_choose_its_carnets(client, people, carnet):
    base = new_base(client, people["mona"], "Base de Mona")["id"]
    secret = new_carnet(client, people["alice"], "Dossier confidentiel", visibility="restricted")["id"]
    unseen = add_to_base(client, base, people["mona"], secret)
    assert unseen.status_code == 422 and error_field(unseen) == [["body", "carnet_id"]]
    assert add_to_base(client, base, people["mona"], "inconnu").status_code == 422
    assert add_to_base(client, base, people["bob"], carnet["id"]).status_code == 403
    assert add_to_base(client, base, people["anon"], carnet["id"]).status_code == 401
    assert client.patch(f"{API}/bases/{base}", json={"title": "Prise"}, headers=people["bob"]).status_code == 403
    assert client.delete(f"{API}/bases/{base}", headers=people["bob"]).status_code == 403
    assert (
        client.post(f"{API}/bases/{base}/managers", json={"username": "bob"}, headers=people["bob"]).status_code == 403
    )
    assert base_titles(client, base, people["anon"])[0] == []
    assert add_to_base(client, base, people["mona"], carnet["id"]).status_code == 201
    assert add_to_base(client, base, people["mona"], carnet["id"]).status_code == 409
    assert add_to_base(client, base, people["admin"], secret).status_code == 201
    assert base_titles(client, base, people["mona"])[0] == ["Économie sociale"]
    assert base_titles(client, base, people["admin"])[0] == ["Économie sociale", "Dossier confidentiel"]
    assert client.delete(f"{API}/bases/{base}/carnets/{carnet['id']}", headers=people["bob"]).status_code == 403
    managers = client.post(f"{API}/bases/{base}/managers", json={"username": "bob"}, headers=people["mona"])
    assert managers.status_code == 201 and {m["username"] for m in managers.json()["managers"]} == {"mona", "bob"}
    assert client.delete(f"{API}/bases/{base}/carnets/{carnet['id']}", headers=people["bob"]).status_code == 204
    assert client.delete(f"{API}/bases/{base}/managers/bob", headers=people["mona"]).status_code == 204
    assert client.delete(f"{API}/bases/{base}/managers/mona", headers=people["mona"]).status_code == 422


# --- 8. the graph ------------------------------------------------------------------------------


def test_the_graph_shows_the_carnets_visible_notes_and_the_links_among_them(client, people, carnet):
    cid = carnet["id"]
    outside = new_note(client, people["alice"], "Hors carnet")
    money = new_note(client, people["alice"], "Monnaie locale", body="Voir [[Hors carnet]].")
    shops = new_note(client, people["alice"], "Circuits courts", body="Lié à la [[Monnaie locale]].")
    hidden = new_note(
        client, people["alice"], "Note interne", visibility="restricted", body="Sur la [[Monnaie locale]]."
    )
    alone = new_note(client, people["alice"], "Sans lien")
    for note_id in (money, shops, hidden, alone):
        integrate(client, cid, people["alice"], note_id)

    def graph(who: str) -> tuple[set[str], set[tuple[str, str]]]:
        response = client.get(f"{API}/carnets/{cid}/graph", headers=people[who])
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["truncated"] is False
        return {n["id"] for n in body["nodes"]}, {(e["source"], e["target"]) for e in body["edges"]}

    assert graph("anon") == ({money, shops, alone}, {(shops, money)})
    assert graph("mona") == ({money, shops, alone}, {(shops, money)})
    assert graph("alice") == ({money, shops, hidden, alone}, {(shops, money), (hidden, money)})
    assert outside not in graph("admin")[0]
    node = next(n for n in client.get(f"{API}/carnets/{cid}/graph").json()["nodes"] if n["id"] == money)
    assert node["title"] == "Monnaie locale" and node["kind"] == "note" and node["url"].endswith(f"/n/{money}/")
    # Integrating the linked note makes its link an edge.
    integrate(client, cid, people["alice"], outside)
    assert graph("anon") == ({money, shops, alone, outside}, {(shops, money), (money, outside)})


# --- 9. bad input is never a 500 -----------------------------------------------------------------


def test_unknown_and_malformed_ids_are_404_or_422(client, people, carnet):
    cid = carnet["id"]
    alice = people["alice"]
    note_id = new_note(client, alice, "Une note")
    for bad in ("inexistant", "x" * 300, "..%2Fx", "é accentué"):
        for method, path, body in (
            ("get", f"/carnets/{bad}", None),
            ("get", f"/carnets/{bad}/graph", None),
            ("patch", f"/carnets/{bad}", {"title": "x"}),
            ("delete", f"/carnets/{bad}", None),
            ("post", f"/carnets/{bad}/members", {"username": "bob"}),
            ("post", f"/carnets/{bad}/notes", {"note_id": note_id}),
            ("patch", f"/carnets/{cid}/notes/{bad}", {"pinned": True}),
            ("delete", f"/carnets/{cid}/notes/{bad}", None),
            ("delete", f"/carnets/{cid}/members/{bad}", None),
            ("patch", f"/carnets/{cid}/categories/{bad}", {"name": "x"}),
            ("delete", f"/carnets/{cid}/categories/{bad}", None),
            ("get", f"/bases/{bad}", None),
            ("patch", f"/bases/{bad}", {"title": "x"}),
            ("post", f"/bases/{bad}/carnets", {"carnet_id": cid}),
            ("get", f"/notes?carnet={bad}", None),
            ("get", f"/notes?base={bad}", None),
        ):
            kwargs = {"json": body} if body is not None else {}
            response = getattr(client, method)(API + path, headers=alice, **kwargs)
            assert response.status_code in (200, 404, 422), (method, path, response.status_code, response.text)
            if response.status_code == 200:
                assert response.json()["total"] == 0, path
            else:
                assert "detail" in response.json()
    assert client.get(f"{API}/carnets/inexistant").status_code == 404
    assert client.get(f"{API}/carnets", params={"per_page": 10**6}).status_code == 422
    assert client.get(f"{API}/carnets", params={"page": 0}).status_code == 422
    assert client.get(f"{API}/bases/{cid}").status_code == 404  # a carnet's id names no base
    assert client.get(f"{API}/bases/inexistant").status_code == 404
    assert client.patch(f"{API}/carnets/{cid}/notes/{note_id}", json={"pinned": True}, headers=alice).status_code == 404
    assert client.delete(f"{API}/carnets/{cid}/notes/{note_id}", headers=alice).status_code == 404
    assert client.post(f"{API}/carnets/{cid}/notes", json={"note_id": "inexistant"}, headers=alice).status_code == 422
    assert client.post(f"{API}/carnets/{cid}/notes", json={"note_id": "../x"}, headers=alice).status_code == 422
    assert client.post(f"{API}/bases", json={"title": "B"}, headers=alice).status_code == 201


BAD_VALUES = [
    ("post", "/notes", {"position": -1}, None),
    ("patch", "/notes/{note}", {"position": -1}, None),
    ("patch", "/notes/{note}", {"position": 10**12}, None),
    ("post", "/notes", {"categories": ["a", "b", "c", "d"]}, None),
    ("post", "/notes", {"pinned": "peut-être"}, None),
    ("get", "", None, {"per_page": 10**9}),
    ("get", "", None, {"per_page": 0}),
    ("get", "", None, {"page": 0}),
    ("get", "", None, {"page": "deux"}),
    ("get", "", None, {"sort": "hasard"}),
    ("get", "", None, {"kind": "roman"}),
    ("get", "", None, {"category": "x" * 101}),
    ("patch", "/axes/0", {"name": "x"}, None),
    ("patch", "/axes/99999999999", {"name": "x"}, None),
    ("patch", "/axes/abc", {"name": "x"}, None),
    ("delete", "/axes/-1", None, None),
    ("post", "/axes/0/categories", {"name": "x"}, None),
    ("patch", "/categories/Budget", {"name": ""}, None),
    ("patch", "/categories/Budget", {"name": "a\nb"}, None),
    ("patch", "/categories/" + "x" * 300, {"name": "y"}, None),
    ("post", "/axes", {"name": "Trop", "categories": [str(i) for i in range(11)]}, None),
    ("delete", "/categories/Budget", None, {"notes": "jeter"}),
    ("patch", "", {"visibility": "secrète"}, None),
    ("patch", "", {"title": ""}, None),
    ("patch", "", {"couleur": "rouge"}, None),
    ("patch", "", {"community": "../x"}, None),
    ("post", "/members", {"username": "bob", "role": "roi"}, None),
    ("post", "/members", {"username": "../bob"}, None),
]


def test_bad_values_are_refused_without_a_server_error(client, people, carnet):
    cid = carnet["id"]
    note_id = new_note(client, people["alice"], "Cible")
    integrate(client, cid, people["alice"], note_id, categories=["Budget"])
    fresh = new_note(client, people["alice"], "Nouvelle")
    for method, path, payload, params in BAD_VALUES:
        url = f"{API}/carnets/{cid}" + path.replace("{note}", note_id)
        if method == "post" and path == "/notes":
            payload = {"note_id": fresh, **payload}
        kwargs: dict[str, Any] = {"headers": people["alice"]}
        if payload is not None:
            kwargs["json"] = payload
        if params is not None:
            kwargs["params"] = params
        response = getattr(client, method)(url, **kwargs)
        assert response.status_code in (404, 422), (method, path, payload, params, response.status_code, response.text)
        assert "detail" in response.json()
    # Nothing was changed by any of them.
    after = read(client, cid, people["alice"])
    assert after["title"] == "Économie sociale" and after["visibility"] == "public" and after["community"] is None
    assert counts(after) == {"Budget": 1, "Subvention": 0, "Récit": 0, "À lire": 0, "Lu": 0}
    assert {(m["username"], m["role"]) for m in after["members"]} == {("alice", "manager"), ("bob", "contributor")}
    assert [(i["note"]["title"], i["position"], i["pinned"]) for i in after["entries"]["items"]] == [
        ("Cible", 0, False)
    ]
