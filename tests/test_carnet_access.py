"""Carnets and bases, attacked: nothing hidden shows through them, and nobody does more than their role.

The world (`world`): Olga writes the restricted note S ("Titre-Secret-S", read by Cora and Rita)
and the public note P, which names S by a label and links to it; Carl writes K ("Titre-Commun-K"),
kept among the community "Cercle" (Mia manages it, Carl is a member). Mia manages three carnets:
C (public; Cora contributes; categories Habitat and Travail) holds P (Habitat), S (Habitat,
integrated by Cora, who may read it; Mia may not) and K (Travail); R ("Carnet-Secret-R",
restricted) holds P and the public P2; Q ("Carnet-Cercle-Q", Cercle only) holds P and the public P3.
Mia's bases: B (public) gathers C, R and Q; RB ("Base-Secrete-RB", restricted) and QB
("Base-Cercle-QB", Cercle only) gather C. Mona is signed in and related to nothing; Adam is an admin.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
import dataclasses
from dataclasses import dataclass
from typing import Any

import frontmatter
import pytest
import yaml
from markupsafe import escape

from praxis import policy
from praxis.errors import DomainError
from praxis.markdown import render
from praxis.models import CarnetEntry, Note, utcnow
from praxis.schemas import (
    AxisCreate,
    BaseCarnetAdd,
    BaseCreate,
    CarnetCreate,
    CarnetUpdate,
    CommunityCreate,
    EntryCreate,
    MemberAdd,
)
from praxis.people import accounts
from praxis.carnets import bases
from praxis.carnets import carnets
from praxis.people import communities
from praxis.carnets import filing
from tests.conftest import WorldSnapshots, on_backends_in_turn
from tests.factories import as_actor, browser_for, csrf_from, make_note, make_user

S_TITLE, S_BODY = "Titre-Secret-S", "Corps-Secret-S"
K_TITLE, K_BODY = "Titre-Commun-K", "Corps-Commun-K"
R_TITLE, R_DESC = "Carnet-Secret-R", "Description-Secrete-R"
Q_TITLE = "Carnet-Cercle-Q"
RB_TITLE, QB_TITLE = "Base-Secrete-RB", "Base-Cercle-QB"
P_BODY = f"Voir [[{S_TITLE}|ce document]]."
MISSING = "absent0000aa"  # a well-formed id that names nothing
SAME_ORIGIN = {"Origin": "https://testserver"}
ATOM = "{http://www.w3.org/2005/Atom}"

VIEWERS = ["anonymous", "stranger", "community_member", "manager", "contributor", "admin"]
USERNAMES = {"stranger": "mona", "community_member": "carl", "manager": "mia", "contributor": "cora", "admin": "adam"}
SEES = {
    "S": {"contributor", "admin"},
    "K": {"community_member", "manager", "admin"},
    "R": {"manager", "admin"},
    "Q": {"community_member", "manager", "admin"},
    "RB": {"manager", "admin"},
    "QB": {"community_member", "manager", "admin"},
}


@dataclass
class World:
    people: dict[str, Any]
    cercle: str
    P: Any
    P2: Any
    P3: Any
    S: Any
    K: Any
    C: str
    R: str
    Q: str
    B: str
    RB: str
    QB: str

    def secrets(self) -> dict[str, list[str]]:
        """What betrays each hidden thing: its title, its words and its id."""
        return {
            "S": [S_TITLE, S_BODY, self.S.id],
            "K": [K_TITLE, K_BODY, self.K.id],
            "R": [R_TITLE, R_DESC, self.R],
            "Q": [Q_TITLE, self.Q],
            "RB": [RB_TITLE, self.RB],
            "QB": [QB_TITLE, self.QB],
        }

    def ids(self) -> dict[str, list[str]]:
        return {"S": [self.S.id], "K": [self.K.id], "R": [self.R], "Q": [self.Q], "RB": [self.RB], "QB": [self.QB]}


@pytest.fixture(scope="module")
def world_snapshots(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> WorldSnapshots:
    """The world built once per backend for the tests that write to it, each of which gets a
    site of its own holding a copy (`WorldSnapshots`)."""
    return WorldSnapshots(request, tmp_path_factory.mktemp("carnet-access"), lambda _app, session: build_world(session))


@pytest.fixture
def world(snapshot_world, session) -> World:  # type: ignore[no-untyped-def]
    """The world, on a site of this test's own: its people as this test's session reads them."""
    people = {username: as_actor(session, username) for username in snapshot_world.people}
    session.commit()  # after the read: a test's session reading opens a writing transaction
    return dataclasses.replace(snapshot_world, people=people)


@pytest.fixture(scope="module")
def built_world(shared_app_each_backend):  # type: ignore[no-untyped-def]
    app, _client, session = shared_app_each_backend
    return app, session, build_world(session)


@pytest.fixture
def read_world(built_world):  # type: ignore[no-untyped-def]
    """The world built once per module and backend, for the tests that only read it (and send
    requests it refuses): the app, a session and the world. The session's transaction ends
    with each test, so that on SQLite it holds no lock the next test's requests would wait on."""
    yield built_world
    built_world[1].rollback()


def build_world(session) -> World:  # type: ignore[no-untyped-def]
    people = {
        "mia": make_user(session, "mia", name="Mia", password=None),
        "cora": make_user(session, "cora", name="Cora", password=None),
        "olga": make_user(session, "olga", name="Olga", password=None),
        "rita": make_user(session, "rita", name="Rita", password=None),
        "carl": make_user(session, "carl", name="Carl", password=None),
        "mona": make_user(session, "mona", name="Mona", password=None),
        "adam": make_user(session, "adam", name="Adam", admin=True, password=None),
    }
    mia, cora, olga, carl = people["mia"], people["cora"], people["olga"], people["carl"]
    cercle = communities.create(session=session, actor=mia, data=CommunityCreate(name="Cercle")).id
    communities.set_member(session=session, actor=mia, community_id=cercle, **MemberAdd(username="carl").model_dump())
    session.commit()
    secret = make_note(
        session,
        olga,
        title=S_TITLE,
        body=f"{S_BODY} et [[Note publique P]].",
        visibility="restricted",
        readers=["cora", "rita"],
    )
    public = make_note(session, olga, title="Note publique P", body=P_BODY, links=[secret.id])
    common = make_note(session, carl, title=K_TITLE, body=K_BODY, visibility="community", community=cercle)
    p2 = make_note(session, olga, title="Note publique dans R", body="Deux.")
    p3 = make_note(session, olga, title="Note publique dans Q", body="Trois.")

    def carnet(title: str, **extra: Any) -> str:
        return carnets.create(session=session, actor=mia, data=CarnetCreate(title=title, **extra)).id

    def integrate(actor: Any, carnet_id: str, note: Any, *names: str) -> None:
        filing.add(
            session=session, actor=actor, carnet_id=carnet_id, data=EntryCreate(note_id=note.id, categories=list(names))
        )

    c = carnet(
        "Carnet public C",
        description="Un carnet ouvert.",
        guide="Écrivez court.",
        axes=[AxisCreate(name="Thème", categories=["Habitat", "Travail"])],
    )
    carnets.set_member(session=session, actor=mia, carnet_id=c, username="cora", role="contributor")
    integrate(mia, c, public, "Habitat")
    integrate(cora, c, secret, "Habitat")
    integrate(mia, c, common, "Travail")
    r = carnet(R_TITLE, description=R_DESC, visibility="restricted")
    integrate(mia, r, public)
    integrate(mia, r, p2)
    q = carnet(Q_TITLE, visibility="community", community=cercle)
    integrate(mia, q, public)
    integrate(mia, q, p3)

    def base(title: str, *carnet_ids: str, **extra: Any) -> str:
        base_id = bases.create(session=session, actor=mia, data=BaseCreate(title=title, **extra)).id
        for carnet_id in carnet_ids:
            bases.add_carnet(session=session, actor=mia, base_id=base_id, data=BaseCarnetAdd(carnet_id=carnet_id))
        return base_id

    b = base("Base publique B", c, r, q)
    rb = base(RB_TITLE, c, visibility="restricted")
    qb = base(QB_TITLE, c, visibility="community", community=cercle)
    session.commit()
    return World(people, cercle, public, p2, p3, secret, common, c, r, q, b, rb, qb)


def browser(app, session, world: World, who: str):  # type: ignore[no-untyped-def]
    """A browser signed in as a viewer of VIEWERS or a username of the world, holding its CSRF cookie."""
    username = USERNAMES.get(who, who)
    client = browser_for(app, session, None if who == "anonymous" else world.people[username])
    client.get("/")
    return client


def token(client) -> str:  # type: ignore[no-untyped-def]
    """This browser's CSRF token (any page carries the same one)."""
    return csrf_from(client.get("/c/").text)


def zip_files(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        return {name: zf.read(name).decode("utf-8") for name in zf.namelist()}


def note_meta(files: dict[str, str], note_id: str) -> dict:
    """The front matter of one note's file in an export."""
    metas = [
        frontmatter.loads(t).metadata
        for n, t in files.items()
        if n.startswith(("notes/", "organisations/", "lexique/"))
    ]
    return next(m for m in metas if m["id"] == note_id)


def normalised(response, object_id: str) -> tuple:  # type: ignore[no-untyped-def]
    """What a person sees of a response, the id they asked about replaced by a placeholder."""
    return (
        response.status_code,
        response.headers.get("content-type"),
        response.headers.get("location", "").replace(object_id, "<ID>"),
        response.text.replace(object_id, "<ID>"),
    )


def assert_like_missing(send, hidden: str, label: str) -> None:  # type: ignore[no-untyped-def]
    """`send(id)` answers for the hidden id exactly as for an id that names nothing (a refusal,
    or for a filtered list, the same empty list)."""
    hidden_answer = normalised(send(hidden), hidden)
    missing_answer = normalised(send(MISSING), MISSING)
    assert hidden_answer[0] in (401, 403, 404, 422, 303) or "?carnet=" in label or "?base=" in label, (
        label,
        hidden_answer[:2],
    )
    assert hidden_answer == missing_answer, (
        f"{label}: a hidden id answers {hidden_answer[:3]}, a missing one {missing_answer[:3]}"
    )


# --- every read path, every viewer -----------------------------------------------------------


@pytest.mark.parametrize("viewer", VIEWERS)
def test_every_carnet_and_base_read_path_shows_only_what_the_viewer_may_see(read_world, viewer):
    app, session, world = read_world
    client = browser(app, session, world, viewer)
    may = {name: viewer in who for name, who in SEES.items()}
    s, k, r, q, rb, qb = (int(may[x]) for x in ("S", "K", "R", "Q", "RB", "QB"))
    W = world
    problems: list[str] = []
    texts: dict[str, str] = {}

    def check(label: str, got: Any, expected: Any) -> None:
        if got != expected:
            problems.append(f"{label}: got {got!r}, expected {expected!r}")

    def get(path: str, olgas_words: bool = False):  # type: ignore[no-untyped-def]
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code, response.text[:300])
        if path.endswith(".zip"):
            text = "\n".join(f"== {name}\n{body}" for name, body in zip_files(response.content).items())
        else:
            text = response.text
        # Olga's own words in P name S by its title; only a trace of S itself (its id) would leak.
        texts[path] = text.replace(P_BODY, "")
        if olgas_words:
            texts[path + " (ids)"] = texts.pop(path)
        return response

    # The carnet C, in JSON and as a page: counts, entries, categories, bases.
    c_json = get(f"/api/v1/carnets/{W.C}").json()
    check("C note_count", c_json["note_count"], 1 + s + k)
    check(
        "C entries",
        {e["note_id"] for e in c_json["entries"]["items"]},
        {W.P.id} | ({W.S.id} if s else set()) | ({W.K.id} if k else set()),
    )
    check("C entries total", c_json["entries"]["total"], 1 + s + k)
    check(
        "C category counts",
        {c["name"]: c["count"] for a in c_json["axes"] for c in a["categories"]},
        {"Habitat": 1 + s, "Travail": k},
    )
    check("C bases", {b["id"] for b in c_json["bases"]}, {W.B} | ({W.RB} if rb else set()) | ({W.QB} if qb else set()))
    page = get(f"/c/{W.C}/").text
    check("C page count", re.search(r"— (\d+) notes?</span>", page).group(1), str(1 + s + k))  # type: ignore[union-attr]
    # Filters: categories, author, text.
    for name, expected in (("Habitat", 1 + s), ("Travail", k)):
        filtered = get(f"/api/v1/carnets/{W.C}?category={name}").json()
        check(f"C ?category={name} total", filtered["entries"]["total"], expected)
        check(
            f"C ?category={name} counts",
            {c["name"]: c["count"] for a in filtered["axes"] for c in a["categories"]},
            {"Habitat": 1 + s, "Travail": k},
        )
        shown = get(f"/c/{W.C}/?category={name}").text
        check(f"C page ?category={name}", re.search(r"(\d+) notes? correspond", shown).group(1), str(expected))  # type: ignore[union-attr]
    check("C ?author=olga", get(f"/api/v1/carnets/{W.C}?author=olga").json()["entries"]["total"], 1 + s)
    check("C ?author=carl", get(f"/api/v1/carnets/{W.C}?author=carl").json()["entries"]["total"], k)
    check("C ?q=Corps-Secret", get(f"/api/v1/carnets/{W.C}?q=Corps-Secret").json()["entries"]["total"], s)
    check("C ?q=Commun", get(f"/api/v1/carnets/{W.C}?q=Commun").json()["entries"]["total"], k)
    # The list of carnets.
    listing = get("/api/v1/carnets").json()
    check(
        "carnets list", {c["id"] for c in listing["items"]}, {W.C} | ({W.R} if r else set()) | ({W.Q} if q else set())
    )
    check("carnets total", listing["total"], 1 + r + q)
    check("C count in list", next(c["note_count"] for c in listing["items"] if c["id"] == W.C), 1 + s + k)
    check(
        "/c/ count",
        re.search(r"Carnet public C</a>\s*<span class=\"count\">— (\d+) notes?", get("/c/").text).group(1),
        str(1 + s + k),
    )  # type: ignore[union-attr]
    # The graph: nodes, edges, truncation, and its page.
    graph = get(f"/api/v1/carnets/{W.C}/graph").json()
    check(
        "graph nodes",
        {n["id"] for n in graph["nodes"]},
        {W.P.id} | ({W.S.id} if s else set()) | ({W.K.id} if k else set()),
    )
    check(
        "graph edges",
        {(e["source"], e["target"]) for e in graph["edges"]},
        {(W.P.id, W.S.id), (W.S.id, W.P.id)} if s else set(),
    )
    check("graph truncated", graph["truncated"], False)
    graph_page = get(f"/c/{W.C}/graphe").text
    check("graph page", re.search(r"(\d+) notes? · (\d+) liens?", graph_page).groups(), (str(1 + s + k), str(2 * s)))  # type: ignore[union-attr]
    # Feeds.
    for path in ("/feed.atom", f"/c/{W.C}/feed.atom", f"/b/{W.B}/feed.atom", "/u/olga/feed.atom", "/u/carl/feed.atom"):
        get(path)
    c_feed = ET.fromstring(client.get(f"/c/{W.C}/feed.atom").content)
    check("C feed entries", len(c_feed.findall(f"{ATOM}entry")), 1 + s + k)
    b_feed = ET.fromstring(client.get(f"/b/{W.B}/feed.atom").content)
    check("B feed entries", len(b_feed.findall(f"{ATOM}entry")), 1 + s + k + r + q)
    # Exports.
    c_zip = zip_files(get(f"/c/{W.C}/export.zip").content)
    check("C export notes", yaml.safe_load(c_zip["manifest.yaml"])["notes"], 1 + s + k)
    b_zip = zip_files(get(f"/b/{W.B}/export.zip").content)
    check("B export notes", yaml.safe_load(b_zip["manifest.yaml"])["notes"], 1 + s + k + r + q)
    # Bases: the list, B in JSON and as a page, its notes and filters.
    base_list = get("/api/v1/bases").json()
    check("bases list", {b["id"] for b in base_list}, {W.B} | ({W.RB} if rb else set()) | ({W.QB} if qb else set()))
    check("B carnet_count", next(b["carnet_count"] for b in base_list if b["id"] == W.B), 1 + r + q)
    check(
        "/b/ B count",
        re.search(r"Base publique B</a>\s*<span class=\"count\">— (\d+) carnets?", get("/b/").text).group(1),
        str(1 + r + q),
    )  # type: ignore[union-attr]
    b_json = get(f"/api/v1/bases/{W.B}").json()
    check("B carnets", [c["id"] for c in b_json["carnets"]], [W.C] + ([W.R] if r else []) + ([W.Q] if q else []))
    check(
        "B carnet note counts",
        {c["id"]: c["note_count"] for c in b_json["carnets"]},
        {W.C: 1 + s + k, **({W.R: 2} if r else {}), **({W.Q: 2} if q else {})},
    )
    check(
        "B notes",
        {n["id"] for n in b_json["notes"]["items"]},
        {W.P.id}
        | ({W.S.id} if s else set())
        | ({W.K.id} if k else set())
        | ({W.P2.id} if r else set())
        | ({W.P3.id} if q else set()),
    )
    check("B notes total", b_json["notes"]["total"], 1 + s + k + r + q)
    check("B ?author=olga", get(f"/api/v1/bases/{W.B}?author=olga").json()["notes"]["total"], 1 + s + r + q)
    check("B ?q=Corps-Secret", get(f"/api/v1/bases/{W.B}?q=Corps-Secret").json()["notes"]["total"], s)
    get(f"/b/{W.B}/")
    get(f"/b/{W.B}/?author=olga")
    # The notes API filtered by carnet and base.
    check("notes ?carnet=C", get(f"/api/v1/notes?carnet={W.C}").json()["total"], 1 + s + k)
    check("notes ?carnet=R", get(f"/api/v1/notes?carnet={W.R}").json()["total"], 2 * r)
    check("notes ?carnet=Q", get(f"/api/v1/notes?carnet={W.Q}").json()["total"], 2 * q)
    check("notes ?base=B", get(f"/api/v1/notes?base={W.B}").json()["total"], 1 + s + k + r + q)
    check("notes ?base=RB", get(f"/api/v1/notes?base={W.RB}").json()["total"], (1 + s + k) * rb)
    check("notes ?base=QB", get(f"/api/v1/notes?base={W.QB}").json()["total"], (1 + s + k) * qb)
    # The public note P: the carnets it is in ("Dans les carnets").
    p_json = get(f"/api/v1/notes/{W.P.id}", olgas_words=True).json()
    check("P carnets", {c["id"] for c in p_json["carnets"]}, {W.C} | ({W.R} if r else set()) | ({W.Q} if q else set()))
    get(f"/n/{W.P.id}/", olgas_words=True)
    p2_json = get(f"/api/v1/notes/{W.P2.id}").json()
    check("P2 carnets", [c["id"] for c in p2_json["carnets"]], [W.R] if r else [])

    leaks = []
    for path, text in texts.items():
        betrayals = W.ids() if path.endswith(" (ids)") else W.secrets()
        for name, words in betrayals.items():
            if not may[name]:
                leaks += [f"{path} shows {name} ({word})" for word in words if word in text]
    assert problems == [] and leaks == [], "\n".join(problems + leaks)


# --- hidden carnets and bases are missing ones ---------------------------------------------


@on_backends_in_turn(
    "viewer, target",
    [
        ("anonymous", "R"),
        ("stranger", "R"),
        ("contributor", "R"),
        ("community_member", "R"),
        ("stranger", "Q"),
        ("contributor", "Q"),
    ],
    fixture="shared_app_each_backend",
)
def test_a_hidden_carnet_answers_exactly_like_a_missing_one(read_world, viewer, target):
    app, session, world = read_world
    hidden = getattr(world, target)
    client = browser(app, session, world, viewer)
    P = world.P.id
    reads = [
        "/c/{}/",
        "/c/{}/?category=Habitat",
        "/c/{}/graphe",
        "/c/{}/edit",
        "/c/{}/feed.atom",
        "/c/{}/export.zip",
        "/c/{}/n/" + P,
        "/c/{}/categories/delete?name=Habitat",
        "/api/v1/carnets/{}",
        "/api/v1/carnets/{}/graph",
        "/api/v1/notes?carnet={}",
        "/n/new?carnet={}",
        f"/b/{world.B}/?carnet={{}}",
        f"/api/v1/bases/{world.B}?carnet={{}}",
    ]
    for path in reads:
        assert_like_missing(lambda i, path=path: client.get(path.format(i), follow_redirects=False), hidden, path)
    writes = [
        ("PATCH", "/api/v1/carnets/{}", {"title": "Pris"}),
        ("DELETE", "/api/v1/carnets/{}", None),
        ("POST", "/api/v1/carnets/{}/members", {"username": "mona", "role": "manager"}),
        ("DELETE", "/api/v1/carnets/{}/members/mia", None),
        ("POST", "/api/v1/carnets/{}/axes", {"name": "Axe", "categories": ["Un"]}),
        ("PATCH", "/api/v1/carnets/{}/categories/Habitat", {"name": "Logement"}),
        ("DELETE", "/api/v1/carnets/{}/categories/Habitat?notes=remove", None),
        ("POST", "/api/v1/carnets/{}/notes", {"note_id": world.P2.id}),
        ("PATCH", "/api/v1/carnets/{}/notes/" + P, {"pinned": True}),
        ("DELETE", "/api/v1/carnets/{}/notes/" + P, None),
        ("POST", "/api/v1/notes", {"title": "Note glissée", "body": "x", "carnet": "{}"}),
        ("POST", f"/api/v1/bases/{world.B}/carnets", {"carnet_id": "{}"}),
    ]
    for method, path, body in writes:

        def send(i, method=method, path=path, body=body):  # type: ignore[no-untyped-def]
            json = {k: (v.format(i) if isinstance(v, str) else v) for k, v in body.items()} if body else None
            return client.request(method, path.format(i), json=json, headers=SAME_ORIGIN, follow_redirects=False)

        assert_like_missing(send, hidden, f"{method} {path}")
    if viewer != "anonymous":
        csrf = token(client)
        forms = [
            ("/c/{}/edit", {"title": "Pris"}),
            ("/c/{}/delete", {}),
            ("/c/{}/members", {"username": "mona", "role": "manager"}),
            ("/c/{}/members/mia/remove", {}),
            ("/c/{}/axes", {"name": "Axe"}),
            ("/c/{}/notes", {"note": world.P2.id}),
            ("/c/{}/categories/rename", {"name": "Habitat", "new_name": "Logement"}),
            ("/c/{}/categories/delete", {"name": "Habitat", "notes": "remove"}),
            ("/c/{}/n/" + P, {"categories": "Habitat"}),
            ("/c/{}/n/" + P + "/pin", {"pinned": "1"}),
            ("/c/{}/n/" + P + "/move", {"step": "1"}),
            ("/c/{}/n/" + P + "/remove", {}),
            ("/n/new", {"title": "Note glissée", "body": "x", "carnet": "{}"}),
        ]
        for path, data in forms:

            def post(i, path=path, data=data):  # type: ignore[no-untyped-def]
                return client.post(
                    path.format(i),
                    data={**{k: v.format(i) for k, v in data.items()}, "csrf_token": csrf},
                    follow_redirects=False,
                )

            assert_like_missing(post, hidden, f"POST {path}")
    # And nothing of it changed.
    mia_view = carnets.read(session=session, actor=world.people["mia"], carnet_id=hidden)
    assert mia_view.title in (R_TITLE, Q_TITLE) and mia_view.note_count == 2
    assert [m.username for m in mia_view.members] == ["mia"]
    assert len(bases.read(session=session, actor=world.people["mia"], base_id=world.B).carnets) == 3


@on_backends_in_turn(
    "viewer, target",
    [("anonymous", "RB"), ("stranger", "RB"), ("contributor", "RB"), ("stranger", "QB"), ("contributor", "QB")],
    fixture="shared_app_each_backend",
)
def test_a_hidden_base_answers_exactly_like_a_missing_one(read_world, viewer, target):
    app, session, world = read_world
    hidden = getattr(world, target)
    client = browser(app, session, world, viewer)
    for path in (
        "/b/{}/",
        f"/b/{{}}/?carnet={world.C}",
        "/b/{}/edit",
        "/b/{}/feed.atom",
        "/b/{}/export.zip",
        "/api/v1/bases/{}",
        "/api/v1/notes?base={}",
    ):
        assert_like_missing(lambda i, path=path: client.get(path.format(i), follow_redirects=False), hidden, path)
    for method, path, body in (
        ("PATCH", "/api/v1/bases/{}", {"title": "Prise"}),
        ("DELETE", "/api/v1/bases/{}", None),
        ("POST", "/api/v1/bases/{}/carnets", {"carnet_id": world.C}),
        ("DELETE", f"/api/v1/bases/{{}}/carnets/{world.C}", None),
        ("POST", "/api/v1/bases/{}/managers", {"username": "mona"}),
        ("DELETE", "/api/v1/bases/{}/managers/mia", None),
    ):
        assert_like_missing(
            lambda i, method=method, path=path, body=body: client.request(
                method, path.format(i), json=body, headers=SAME_ORIGIN, follow_redirects=False
            ),
            hidden,
            f"{method} {path}",
        )
    if viewer != "anonymous":
        csrf = token(client)
        for path, data in (
            ("/b/{}/edit", {"title": "Prise"}),
            ("/b/{}/delete", {}),
            ("/b/{}/carnets", {"carnet_id": world.C}),
            (f"/b/{{}}/carnets/{world.C}/remove", {}),
            ("/b/{}/managers", {"username": "mona"}),
            ("/b/{}/managers/mia/remove", {}),
        ):
            assert_like_missing(
                lambda i, path=path, data=data: client.post(
                    path.format(i), data={**data, "csrf_token": csrf}, follow_redirects=False
                ),
                hidden,
                f"POST {path}",
            )
    kept = bases.read(session=session, actor=world.people["mia"], base_id=hidden)
    assert kept.title in (RB_TITLE, QB_TITLE) and [c.id for c in kept.carnets] == [world.C]
    assert [m.username for m in kept.managers] == ["mia"]


# --- hidden notes in a visible carnet ---------------------------------------------------------


def test_integrating_a_hidden_note_reads_exactly_like_integrating_a_missing_one(app, session, world):
    """Mia manages C and R but may not read S (already in C, by Cora): 422 'unknown note', never 409."""
    client = browser(app, session, world, "manager")
    for carnet_id in (world.C, world.R):

        def send(i, carnet_id=carnet_id):  # type: ignore[no-untyped-def]
            return client.post(
                f"/api/v1/carnets/{carnet_id}/notes", json={"note_id": i, "categories": []}, headers=SAME_ORIGIN
            )

        assert_like_missing(send, world.S.id, f"integrate into {carnet_id}")
        assert send(world.S.id).status_code == 422
        csrf = token(client)
        for typed in ("{}", "Titre [{}]"):
            assert_like_missing(
                lambda i, carnet_id=carnet_id, typed=typed, csrf=csrf: client.post(
                    f"/c/{carnet_id}/notes", data={"note": typed.format(i), "csrf_token": csrf}
                ),
                world.S.id,
                f"form {typed}",
            )
    # By its title, the hidden note is a title nobody wrote.
    csrf = token(client)
    by_title = client.post(f"/c/{world.R}/notes", data={"note": S_TITLE, "csrf_token": csrf})
    no_title = client.post(f"/c/{world.R}/notes", data={"note": "Titre-Absent-X", "csrf_token": csrf})
    assert by_title.status_code == no_title.status_code == 422
    assert by_title.text.replace(S_TITLE, "<T>") == no_title.text.replace("Titre-Absent-X", "<T>")
    assert world.S.id not in {
        e.note_id for e in carnets.read(session=session, actor=world.people["adam"], carnet_id=world.R).entries.items
    }


def test_a_hidden_note_of_a_carnet_is_missing_for_its_manager(app, session, world):
    """Mia manages C; Cora put S there, which Mia may not read: every path to it is a missing note's."""
    client = browser(app, session, world, "manager")
    C = world.C
    for path in (f"/c/{C}/n/{{}}",):
        assert_like_missing(lambda i, path=path: client.get(path.format(i)), world.S.id, path)
    for method, body in (
        ("PATCH", {"categories": ["Travail"]}),
        ("PATCH", {"pinned": True}),
        ("PATCH", {"position": 0}),
        ("DELETE", None),
    ):
        assert_like_missing(
            lambda i, method=method, body=body: client.request(
                method, f"/api/v1/carnets/{C}/notes/{i}", json=body, headers=SAME_ORIGIN
            ),
            world.S.id,
            f"{method} {body}",
        )
    csrf = token(client)
    for suffix, data in (
        ("", {"categories": "Travail", "pinned": "on"}),
        ("/pin", {"pinned": "1"}),
        ("/move", {"step": "-1"}),
        ("/remove", {}),
    ):
        assert_like_missing(
            lambda i, suffix=suffix, data=data: client.post(
                f"/c/{C}/n/{i}{suffix}", data={**data, "csrf_token": csrf}, follow_redirects=False
            ),
            world.S.id,
            f"POST n/x{suffix}",
        )
    entry = filing.entry_item(session=session, actor=world.people["cora"], carnet_id=C, note_id=world.S.id)
    assert entry.categories == ["Habitat"] and not entry.pinned


def test_deleting_a_category_does_not_count_notes_the_manager_cannot_read(app, session, world):
    """Habitat holds P and S; Mia reads only P: neither the page nor the refusal may say "2"."""
    client = browser(app, session, world, "manager")
    page = client.get(f"/c/{world.C}/categories/delete", params={"name": "Habitat"})
    assert page.status_code == 200
    assert "1 note est classée dans cette catégorie" in page.text, re.findall(
        r"\d+ notes? (?:est|sont) classées?", page.text
    )
    refused = client.delete(f"/api/v1/carnets/{world.C}/categories/Habitat", headers=SAME_ORIGIN)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["msg"].startswith("1 note(s) are filed"), refused.json()


def test_positions_do_not_reveal_notes_the_reader_cannot_see(app, session, world):
    """In C, S sits between P and K: a reader who sees P and K only must see them at 0 and 1."""
    mia, cora = world.people["mia"], world.people["cora"]
    carnet_id = carnets.create(session=session, actor=mia, data=CarnetCreate(title="Carnet ordonné")).id
    carnets.set_member(session=session, actor=mia, carnet_id=carnet_id, username="cora", role="contributor")
    for actor, note in ((mia, world.P), (cora, world.S), (mia, world.P2)):
        filing.add(session=session, actor=actor, carnet_id=carnet_id, data=EntryCreate(note_id=note.id))
    session.commit()
    for viewer in ("anonymous", "manager"):
        client = browser(app, session, world, viewer)
        listed = client.get(f"/api/v1/carnets/{carnet_id}").json()["entries"]["items"]
        assert [(e["note_id"], e["position"]) for e in listed] == [(world.P.id, 0), (world.P2.id, 1)], viewer
        page = client.get(f"/c/{carnet_id}/").text
        assert re.findall(r'data-position="(\d+)"', page) == ["0", "1"], viewer
        files = zip_files(client.get(f"/c/{carnet_id}/export.zip").content)
        manifest = next(frontmatter.loads(t).metadata for n, t in files.items() if n.startswith("carnets/"))
        assert [e["position"] for e in manifest["entries"]] == [0, 1], viewer


def test_an_anonymous_export_holds_only_what_a_visitor_sees(app, session, world):
    """A visitor's ZIP of C holds P only; of B, C and P only: not S, K, R, Q nor their notes."""
    visitor = browser(app, session, world, "anonymous")
    c_files = zip_files(visitor.get(f"/c/{world.C}/export.zip").content)
    notes = sorted(n for n in c_files if n.startswith("notes/"))
    assert [frontmatter.loads(c_files[n]).metadata["title"] for n in notes] == ["Note publique P"]
    assert [
        e["note"]
        for e in frontmatter.loads(c_files[next(n for n in c_files if n.startswith("carnets/"))]).metadata["entries"]
    ] == [world.P.id]
    b_files = zip_files(visitor.get(f"/b/{world.B}/export.zip").content)
    carnet_titles = sorted(
        frontmatter.loads(t).metadata["title"] for n, t in b_files.items() if n.startswith("carnets/")
    )
    assert carnet_titles == ["Carnet public C"]
    assert frontmatter.loads(b_files[next(n for n in b_files if n.startswith("bases/"))]).metadata["carnets"] == [
        world.C
    ]
    assert sorted(frontmatter.loads(t).metadata["title"] for n, t in b_files.items() if n.startswith("notes/")) == [
        "Note publique P"
    ]


def test_an_export_names_no_hidden_note_among_a_notes_links(app, session, world):
    """P links to S: a visitor's export of P lists no link to S, as P's page and JSON do not."""
    visitor = browser(app, session, world, "stranger")
    assert visitor.get(f"/api/v1/notes/{world.P.id}").json()["links"]["notes"] == []
    files = zip_files(visitor.get(f"/c/{world.C}/export.zip").content)
    p_meta = note_meta(files, world.P.id)
    assert world.S.id not in p_meta.get("links", []), p_meta


def test_an_export_names_a_restricted_notes_readers_only_to_its_authors(app, session, world):
    """S's readers are Cora and Rita; the API shows them to S's authors only: so must Cora's export."""
    cora = browser(app, session, world, "contributor")
    assert cora.get(f"/api/v1/notes/{world.S.id}").json()["readers"] == []
    files = zip_files(cora.get(f"/c/{world.C}/export.zip").content)
    s_meta = note_meta(files, world.S.id)
    readers = [r["username"] if isinstance(r, dict) else r for r in s_meta.get("readers") or []]
    assert "rita" not in readers, s_meta


def test_a_hidden_carnets_feed_read_by_its_manager_is_kept_out_of_shared_caches(app, session, world):
    mia = browser(app, session, world, "manager")
    for path in (
        f"/c/{world.R}/feed.atom",
        f"/b/{world.RB}/feed.atom",
        f"/c/{world.R}/export.zip",
        f"/b/{world.RB}/export.zip",
    ):
        response = mia.get(path)
        assert response.status_code == 200, path
        assert "private" in response.headers.get("cache-control", ""), path
    assert "Cookie" in mia.get(f"/c/{world.R}/feed.atom").headers.get("vary", "")


def test_wikilinks_to_hidden_notes_in_descriptions_and_guides_read_like_missing_notes(app, session, world):
    text = f"Voir [[{S_TITLE}]] et [[{world.S.id}|la note]]."
    missing = render(text, lambda targets: {}).html
    mia = world.people["mia"]
    carnet_id = carnets.create(
        session=session, actor=mia, data=CarnetCreate(title="Carnet guidé", description=text, guide=text)
    ).id
    carnets.set_member(session=session, actor=mia, carnet_id=carnet_id, username="cora", role="contributor")
    base_id = bases.create(session=session, actor=mia, data=BaseCreate(title="Base guidée", description=text)).id
    session.commit()
    for viewer in ("anonymous", "stranger", "manager"):
        client = browser(app, session, world, viewer)
        c_json = client.get(f"/api/v1/carnets/{carnet_id}").json()
        assert c_json["description_html"] == missing and c_json["guide_html"] == missing, viewer
        assert client.get(f"/api/v1/bases/{base_id}").json()["description_html"] == missing, viewer
        for path in (f"/c/{carnet_id}/", f"/b/{base_id}/", "/c/", "/b/"):
            assert f"/n/{world.S.id}/" not in client.get(path).text, (viewer, path)
    manager = browser(app, session, world, "manager")
    form = manager.get(f"/n/new?carnet={carnet_id}")
    assert form.status_code == 200 and missing in form.text and f"/n/{world.S.id}/" not in form.text
    # Cora may read S: for her the links lead to it (so the check above can tell).
    cora = browser(app, session, world, "contributor")
    assert f'href="/n/{world.S.id}/"' in cora.get(f"/api/v1/carnets/{carnet_id}").json()["guide_html"]
    assert f'href="/n/{world.S.id}/"' in cora.get(f"/n/new?carnet={carnet_id}").text


def test_the_graph_counts_only_visible_notes_when_it_is_cut(app, session, world):
    """501 hidden notes and one visible: a stranger's graph is whole (one node, not truncated)."""
    carnet_id = carnets.create(session=session, actor=world.people["mia"], data=CarnetCreate(title="Carnet immense")).id
    session.add(CarnetEntry(carnet_id=carnet_id, note_id=world.P.id, added_by_id=world.people["mia"].id, position=501))
    hidden = [f"cache{i:05d}" for i in range(501)]
    session.add_all(
        [
            Note(
                id=note_id,
                kind="note",
                title=f"Cachée {i}",
                title_key=f"cachee {i}",
                slug="cachee",
                body="x",
                html="<p>x</p>",
                visibility="restricted",
            )
            for i, note_id in enumerate(hidden)
        ]
    )
    session.flush()
    session.add_all(
        [
            CarnetEntry(
                carnet_id=carnet_id, note_id=note_id, added_by_id=world.people["mia"].id, position=i, added_at=utcnow()
            )
            for i, note_id in enumerate(hidden)
        ]
    )
    session.commit()
    stranger = browser(app, session, world, "stranger")
    graph = stranger.get(f"/api/v1/carnets/{carnet_id}/graph").json()
    assert ([n["id"] for n in graph["nodes"]], graph["truncated"]) == ([world.P.id], False)
    assert "500 premières" not in stranger.get(f"/c/{carnet_id}/graphe").text
    admin = browser(app, session, world, "admin")
    whole = admin.get(f"/api/v1/carnets/{carnet_id}/graph").json()
    assert (len(whole["nodes"]), whole["truncated"]) == (500, True)


# --- the new-note form in a carnet ------------------------------------------------------------


def test_the_new_note_form_shows_a_carnet_only_to_its_contributors(app, session, world):
    mia = world.people["mia"]
    carnets.update(session=session, actor=mia, carnet_id=world.R, data=CarnetUpdate(guide="Guide-Secret-R"))
    carnets.update(session=session, actor=mia, carnet_id=world.C, data=CarnetUpdate(guide="Guide-Ouvert-C"))
    session.commit()
    stranger = browser(app, session, world, "stranger")
    assert_like_missing(lambda i: stranger.get(f"/n/new?carnet={i}"), world.R, "/n/new?carnet=R")
    visible = stranger.get(f"/n/new?carnet={world.C}")
    assert visible.status_code == 403 and "Guide-Ouvert-C" not in visible.text
    csrf = token(stranger)
    assert_like_missing(
        lambda i: stranger.post("/n/new", data={"title": "Glissée", "body": "x", "carnet": i, "csrf_token": csrf}),
        world.R,
        "POST /n/new",
    )
    refused = stranger.post(
        "/api/v1/notes", json={"title": "Glissée", "body": "x", "carnet": world.R}, headers=SAME_ORIGIN
    )
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "carnet"]
    assert (
        stranger.post(
            "/api/v1/notes", json={"title": "Glissée", "body": "x", "carnet": world.C}, headers=SAME_ORIGIN
        ).status_code
        == 403
    )
    assert stranger.get("/api/v1/notes?author=mona").json()["total"] == 0  # nothing of the refused notes was kept
    cora = browser(app, session, world, "contributor")
    assert "Guide-Ouvert-C" in cora.get(f"/n/new?carnet={world.C}").text
    assert_like_missing(lambda i: cora.get(f"/n/new?carnet={i}"), world.R, "contributor /n/new?carnet=R")


# --- escalation -------------------------------------------------------------------------------


def test_a_contributor_neither_pins_nor_orders(app, session, world):
    cora = browser(app, session, world, "contributor")
    C, P = world.C, world.P.id
    for body in ({"pinned": True}, {"position": 2}, {"position": 0, "categories": ["Habitat"]}):
        assert cora.patch(f"/api/v1/carnets/{C}/notes/{P}", json=body, headers=SAME_ORIGIN).status_code == 403, body
    for body in ({"pinned": True}, {"position": 0}):
        added = cora.post(f"/api/v1/carnets/{C}/notes", json={"note_id": world.P2.id, **body}, headers=SAME_ORIGIN)
        assert added.status_code == 403, body
    csrf = token(cora)
    for suffix, data in (
        ("/pin", {"pinned": "1"}),
        ("/move", {"step": "1"}),
        ("", {"categories": "Habitat", "pinned": "on"}),
        ("", {"categories": "Habitat", "position": "2"}),
    ):
        response = cora.post(f"/c/{C}/n/{P}{suffix}", data={**data, "csrf_token": csrf}, follow_redirects=False)
        assert response.status_code == 403, (suffix, data, response.status_code)
    # A note she may not read (K) is a missing note to her.
    assert_like_missing(
        lambda i: cora.patch(f"/api/v1/carnets/{C}/notes/{i}", json={"categories": ["Travail"]}, headers=SAME_ORIGIN),
        world.K.id,
        "file K",
    )
    assert_like_missing(lambda i: cora.get(f"/c/{C}/n/{i}"), world.K.id, "entry page of K")
    # What she may do: file a note under a category.
    assert (
        cora.patch(f"/api/v1/carnets/{C}/notes/{P}", json={"categories": ["Travail"]}, headers=SAME_ORIGIN).status_code
        == 200
    )
    view = carnets.read(session=session, actor=world.people["adam"], carnet_id=C)
    assert [(e.note_id, e.pinned) for e in view.entries.items] == [(P, False), (world.S.id, False), (world.K.id, False)]
    assert world.P2.id not in {e.note_id for e in view.entries.items}


def test_a_contributor_takes_out_only_the_notes_they_integrated(app, session, world):
    cora = browser(app, session, world, "contributor")
    C = world.C
    listed = cora.get(f"/api/v1/carnets/{C}").json()["entries"]["items"]
    assert {e["note_id"]: e["can_remove"] for e in listed} == {world.P.id: False, world.S.id: True}
    assert cora.delete(f"/api/v1/carnets/{C}/notes/{world.P.id}", headers=SAME_ORIGIN).status_code == 403
    csrf = token(cora)
    assert (
        cora.post(f"/c/{C}/n/{world.P.id}/remove", data={"csrf_token": csrf}, follow_redirects=False).status_code == 403
    )
    assert world.P.id in {
        e.note_id for e in carnets.read(session=session, actor=world.people["mia"], carnet_id=C).entries.items
    }
    session.rollback()  # the test's own session lets the site write again
    assert cora.delete(f"/api/v1/carnets/{C}/notes/{world.S.id}", headers=SAME_ORIGIN).status_code == 204


def test_nobody_makes_themselves_a_member_or_a_manager(app, session, world):
    mona, cora = browser(app, session, world, "stranger"), browser(app, session, world, "contributor")
    C, B = world.C, world.B
    for client, who in ((mona, "mona"), (cora, "cora")):
        for role in ("manager", "contributor"):
            if (who, role) == ("cora", "contributor"):
                continue
            response = client.post(
                f"/api/v1/carnets/{C}/members", json={"username": who, "role": role}, headers=SAME_ORIGIN
            )
            assert response.status_code == 403, (who, role, response.status_code)
        csrf = token(client)
        assert (
            client.post(
                f"/c/{C}/members", data={"username": who, "role": "manager", "csrf_token": csrf}, follow_redirects=False
            ).status_code
            == 403
        )
        assert (
            client.post(f"/api/v1/bases/{B}/managers", json={"username": who}, headers=SAME_ORIGIN).status_code == 403
        )
        assert (
            client.post(
                f"/b/{B}/managers", data={"username": who, "csrf_token": csrf}, follow_redirects=False
            ).status_code
            == 403
        )
    # A contributor neither demotes nor removes a manager.
    assert cora.delete(f"/api/v1/carnets/{C}/members/mia", headers=SAME_ORIGIN).status_code == 403
    assert (
        cora.post(
            f"/api/v1/carnets/{C}/members", json={"username": "mia", "role": "contributor"}, headers=SAME_ORIGIN
        ).status_code
        == 403
    )
    view = carnets.read(session=session, actor=world.people["adam"], carnet_id=C)
    assert {(m.username, m.role) for m in view.members} == {("mia", "manager"), ("cora", "contributor")}
    assert [m.username for m in bases.read(session=session, actor=world.people["adam"], base_id=B).managers] == ["mia"]


def test_managing_one_carnet_or_base_gives_no_right_on_another(app, session, world):
    olga = world.people["olga"]
    other = carnets.create(
        session=session,
        actor=olga,
        data=CarnetCreate(title="Carnet d'Olga", axes=[AxisCreate(name="Axe", categories=["Un"])]),
    ).id
    other_base = bases.create(session=session, actor=olga, data=BaseCreate(title="Base d'Olga")).id
    session.commit()
    mia = browser(app, session, world, "manager")
    for method, path, body in (
        ("PATCH", f"/api/v1/carnets/{other}", {"title": "Pris"}),
        ("DELETE", f"/api/v1/carnets/{other}", None),
        ("POST", f"/api/v1/carnets/{other}/members", {"username": "mia", "role": "manager"}),
        ("POST", f"/api/v1/carnets/{other}/axes", {"name": "Autre"}),
        ("PATCH", f"/api/v1/carnets/{other}/categories/Un", {"name": "Deux"}),
        ("DELETE", f"/api/v1/carnets/{other}/categories/Un", None),
        ("POST", f"/api/v1/carnets/{other}/notes", {"note_id": world.P.id}),
        ("PATCH", f"/api/v1/bases/{other_base}", {"title": "Prise"}),
        ("DELETE", f"/api/v1/bases/{other_base}", None),
        ("POST", f"/api/v1/bases/{other_base}/carnets", {"carnet_id": world.C}),
        ("POST", f"/api/v1/bases/{other_base}/managers", {"username": "mia"}),
    ):
        response = mia.request(method, path, json=body, headers=SAME_ORIGIN)
        assert response.status_code == 403, (method, path, response.status_code)
    assert mia.get(f"/c/{other}/edit").status_code == 403
    assert mia.get(f"/b/{other_base}/edit").status_code == 403
    kept = carnets.read(session=session, actor=olga, carnet_id=other)
    assert (kept.title, [m.username for m in kept.members], kept.note_count) == ("Carnet d'Olga", ["olga"], 0)
    assert bases.read(session=session, actor=olga, base_id=other_base).carnets == []


def test_a_base_manager_cannot_gather_a_carnet_they_cannot_see(app, session, world):
    olga = world.people["olga"]
    base_id = bases.create(session=session, actor=olga, data=BaseCreate(title="Base d'Olga")).id
    session.commit()
    client = browser(app, session, world, "olga")
    for hidden in (world.R, world.Q):
        assert_like_missing(
            lambda i: client.post(f"/api/v1/bases/{base_id}/carnets", json={"carnet_id": i}, headers=SAME_ORIGIN),
            hidden,
            "add a hidden carnet",
        )
        csrf = token(client)
        assert_like_missing(
            lambda i, csrf=csrf: client.post(
                f"/b/{base_id}/carnets", data={"carnet_id": i, "csrf_token": csrf}, follow_redirects=False
            ),
            hidden,
            "form: add a hidden carnet",
        )
    edit = client.get(f"/b/{base_id}/edit").text
    assert R_TITLE not in edit and Q_TITLE not in edit and world.R not in edit
    assert bases.read(session=session, actor=world.people["adam"], base_id=base_id).carnets == []


def test_a_base_manager_cannot_probe_or_drop_the_hidden_carnets_of_their_base(app, session, world):
    """Olga co-manages B but may not see R: R answers like a carnet that is not in the base."""
    bases.add_manager(session=session, actor=world.people["mia"], base_id=world.B, username="olga")
    session.commit()
    olga = browser(app, session, world, "olga")
    assert_like_missing(
        lambda i: olga.delete(f"/api/v1/bases/{world.B}/carnets/{i}", headers=SAME_ORIGIN), world.R, "drop R"
    )
    assert [c.id for c in bases.read(session=session, actor=world.people["mia"], base_id=world.B).carnets] == [
        world.C,
        world.R,
        world.Q,
    ]


def test_linking_to_a_community_needs_its_membership(app, session, world):
    mona = browser(app, session, world, "stranger")
    cercle = world.cercle
    for path in ("/api/v1/carnets", "/api/v1/bases"):
        for visibility in ("community", "public", "restricted"):
            refused = mona.post(
                path, json={"title": "Mon cercle", "visibility": visibility, "community": cercle}, headers=SAME_ORIGIN
            )
            assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "community"], (
                path,
                visibility,
            )
    own_carnet = mona.post("/api/v1/carnets", json={"title": "Carnet de Mona"}, headers=SAME_ORIGIN).json()["id"]
    own_base = mona.post("/api/v1/bases", json={"title": "Base de Mona"}, headers=SAME_ORIGIN).json()["id"]
    for path in (f"/api/v1/carnets/{own_carnet}", f"/api/v1/bases/{own_base}"):
        for body in ({"visibility": "community", "community": cercle}, {"community": cercle}):
            refused = mona.patch(path, json=body, headers=SAME_ORIGIN)
            assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "community"], (
                path,
                body,
            )
    csrf = token(mona)
    for path in ("/c/", "/b/", f"/c/{own_carnet}/edit", f"/b/{own_base}/edit"):
        refused = mona.post(
            path,
            data={"title": "Mon cercle", "visibility": "community", "community": cercle, "csrf_token": csrf},
            follow_redirects=False,
        )
        assert refused.status_code == 422, (path, refused.status_code)
    assert mona.get(f"/api/v1/carnets/{own_carnet}").json()["community"] is None
    assert mona.get(f"/api/v1/bases/{own_base}").json()["community"] is None
    assert mona.get("/api/v1/carnets").json()["total"] == 2  # C and her own: none was made in the community
    # A member of the community may (so the refusals above are about membership).
    carl = browser(app, session, world, "community_member")
    assert (
        carl.post(
            "/api/v1/carnets",
            json={"title": "Carnet de Carl", "visibility": "community", "community": cercle},
            headers=SAME_ORIGIN,
        ).status_code
        == 201
    )


def test_a_manager_outside_the_community_cannot_move_a_carnet_into_it(app, session, world):
    """Mia adds Mona as a manager of R (restricted): Mona may not open R to Cercle, of which she is no member."""
    carnets.set_member(session=session, actor=world.people["mia"], carnet_id=world.R, username="mona", role="manager")
    session.commit()
    mona = browser(app, session, world, "stranger")
    refused = mona.patch(
        f"/api/v1/carnets/{world.R}", json={"visibility": "community", "community": world.cercle}, headers=SAME_ORIGIN
    )
    assert refused.status_code == 422
    assert carnets.read(session=session, actor=world.people["mia"], carnet_id=world.R).visibility == "restricted"


def test_cookie_authenticated_api_writes_need_this_site_as_origin(app, session, world):
    mia = browser(app, session, world, "manager")
    C, B = world.C, world.B
    writes = [
        ("POST", "/api/v1/carnets", {"title": "Forgé"}),
        ("PATCH", f"/api/v1/carnets/{C}", {"title": "Forgé"}),
        ("DELETE", f"/api/v1/carnets/{C}", None),
        ("POST", f"/api/v1/carnets/{C}/members", {"username": "mona", "role": "manager"}),
        ("POST", f"/api/v1/carnets/{C}/notes", {"note_id": world.P2.id}),
        ("PATCH", f"/api/v1/carnets/{C}/notes/{world.P.id}", {"pinned": True}),
        ("DELETE", f"/api/v1/carnets/{C}/notes/{world.P.id}", None),
        ("POST", f"/api/v1/carnets/{C}/axes", {"name": "Forgé"}),
        ("POST", "/api/v1/notes", {"title": "Forgée", "body": "x", "carnet": C}),
        ("POST", "/api/v1/bases", {"title": "Forgée"}),
        ("PATCH", f"/api/v1/bases/{B}", {"title": "Forgée"}),
        ("DELETE", f"/api/v1/bases/{B}/carnets/{C}", None),
        ("POST", f"/api/v1/bases/{B}/managers", {"username": "mona"}),
    ]
    for headers in (
        {},
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
    ):
        for method, path, body in writes:
            response = mia.request(method, path, json=body, headers=headers)
            assert response.status_code == 403, (headers, method, path, response.status_code)
    view = carnets.read(session=session, actor=world.people["adam"], carnet_id=C)
    assert view.title == "Carnet public C" and view.note_count == 3 and not any(e.pinned for e in view.entries.items)
    assert {m.username for m in view.members} == {"mia", "cora"} and len(view.axes) == 1
    assert len(carnets.list_carnets(session=session, actor=world.people["adam"]).items) == 3
    assert len(bases.list_bases(session=session, actor=world.people["adam"])) == 3
    session.rollback()  # the test's own session lets the site write again
    # From the site itself it works.
    assert mia.post("/api/v1/carnets", json={"title": "Vrai"}, headers=SAME_ORIGIN).status_code == 201


def test_every_new_form_is_covered_by_the_csrf_walk_and_refuses_a_forged_post(app, session, world):
    from tests.pages.test_csrf import _form_posts

    posts = _form_posts(app)
    for path in (
        "/c/",
        "/c/x/edit",
        "/c/x/delete",
        "/c/x/members",
        "/c/x/members/x/remove",
        "/c/x/axes",
        "/c/x/axes/x/rename",
        "/c/x/axes/x/delete",
        "/c/x/axes/x/categories",
        "/c/x/categories/rename",
        "/c/x/categories/delete",
        "/c/x/notes",
        "/c/x/n/x",
        "/c/x/n/x/move",
        "/c/x/n/x/pin",
        "/c/x/n/x/remove",
        "/c/x/n/x/unremove",
        "/b/",
        "/b/x/edit",
        "/b/x/delete",
        "/b/x/carnets",
        "/b/x/carnets/x/remove",
        "/b/x/managers",
        "/b/x/managers/x/remove",
    ):
        assert path in posts, path
    mia = browser(app, session, world, "manager")
    other = browser(app, session, world, "stranger")
    stolen = token(other)
    C, B, P = world.C, world.B, world.P.id
    forged = [
        (f"/c/{C}/members", {"username": "mona", "role": "manager"}),
        (f"/c/{C}/delete", {}),
        (f"/c/{C}/edit", {"title": "Forgé"}),
        (f"/c/{C}/notes", {"note": world.P2.id}),
        (f"/c/{C}/n/{P}/pin", {"pinned": "1"}),
        (f"/c/{C}/n/{P}/remove", {}),
        (f"/c/{C}/n/{P}/unremove", {"undo": "x"}),
        (f"/c/{C}/categories/delete", {"name": "Habitat", "notes": "remove"}),
        (f"/c/{C}/members/cora/remove", {}),
        ("/c/", {"title": "Forgé"}),
        ("/n/new", {"title": "Forgée", "body": "x", "carnet": C}),
        (f"/b/{B}/carnets/{C}/remove", {}),
        (f"/b/{B}/managers", {"username": "mona"}),
        (f"/b/{B}/delete", {}),
        (f"/b/{B}/edit", {"title": "Forgée"}),
        ("/b/", {"title": "Forgée"}),
    ]
    for path, data in forged:
        for sent in ({}, {"csrf_token": stolen}, {"csrf_token": "faux"}):
            response = mia.post(path, data={**data, **sent}, follow_redirects=False)
            assert response.status_code == 403, (path, sent, response.status_code)
    adam = world.people["adam"]
    view = carnets.read(session=session, actor=adam, carnet_id=C)
    assert (view.title, view.note_count, {m.username for m in view.members}) == ("Carnet public C", 3, {"mia", "cora"})
    assert [c.id for c in bases.read(session=session, actor=adam, base_id=B).carnets] == [C, world.R, world.Q]
    assert (
        len(carnets.list_carnets(session=session, actor=adam).items) == 3
        and len(bases.list_bases(session=session, actor=adam)) == 3
    )
    session.rollback()  # the test's own session lets the site write again
    # With this browser's own token, the same form works.
    done = mia.post(f"/c/{C}/n/{P}/pin", data={"pinned": "1", "csrf_token": token(mia)}, follow_redirects=False)
    assert done.status_code == 303


# --- hostile text -----------------------------------------------------------------------------

EVIL_TITLE = '<img src=x onerror=alert("titre")>'
EVIL_AXIS = '<svg onload=alert("axe")>'
EVIL_CAT = '<script>alert("cat")</script>'
EVIL_MD = '<script>alert("desc")</script> <iframe src="https://evil.example"></iframe> [clic](javascript:alert("lien"))'
EVIL_BASE = '<script>alert("base")</script>'
RAW = ("<img src=x", "<svg onload", "<script>alert", "<iframe", 'href="javascript:', "href='javascript:")


def test_hostile_names_and_texts_are_shown_as_text_everywhere(app, session, world):
    mia = browser(app, session, world, "manager")
    created = mia.post(
        "/api/v1/carnets",
        headers=SAME_ORIGIN,
        json={
            "title": EVIL_TITLE,
            "description": EVIL_MD,
            "guide": EVIL_MD,
            "axes": [{"name": EVIL_AXIS, "categories": [EVIL_CAT, "Sûr"]}],
        },
    )
    assert created.status_code == 201, created.text
    carnet_id = created.json()["id"]
    assert (
        mia.post(
            f"/api/v1/carnets/{carnet_id}/notes",
            json={"note_id": world.P.id, "categories": [EVIL_CAT]},
            headers=SAME_ORIGIN,
        ).status_code
        == 201
    )
    base = mia.post("/api/v1/bases", json={"title": EVIL_BASE, "description": EVIL_MD}, headers=SAME_ORIGIN)
    assert base.status_code == 201
    base_id = base.json()["id"]
    assert (
        mia.post(f"/api/v1/bases/{base_id}/carnets", json={"carnet_id": carnet_id}, headers=SAME_ORIGIN).status_code
        == 201
    )
    pages = {
        "/c/": None,
        f"/c/{carnet_id}/": EVIL_CAT,
        f"/c/{carnet_id}/edit": EVIL_CAT,
        f"/c/{carnet_id}/graphe": EVIL_TITLE,
        f"/c/{carnet_id}/n/{world.P.id}": EVIL_CAT,
        f"/n/new?carnet={carnet_id}": EVIL_CAT,
        f"/n/{world.P.id}/": EVIL_CAT,
        "/b/": EVIL_BASE,
        f"/b/{base_id}/": EVIL_TITLE,
        f"/b/{base_id}/edit": EVIL_BASE,
    }
    for path, shown in pages.items():
        response = mia.get(path)
        assert response.status_code == 200, path
        assert not [raw for raw in RAW if raw in response.text], (path, [raw for raw in RAW if raw in response.text])
        if shown:
            assert str(escape(shown)) in response.text, (path, shown)
    for params in ({"category": EVIL_CAT}, {"category": '<script>alert("autre")</script>'}, {"name": EVIL_CAT}):
        path = f"/c/{carnet_id}/" if "category" in params else f"/c/{carnet_id}/categories/delete"
        response = mia.get(path, params=params)
        assert response.status_code in (200, 422), (path, params)
        assert not [raw for raw in RAW if raw in response.text], (path, params)
    for path, title in ((f"/c/{carnet_id}/feed.atom", EVIL_TITLE), (f"/b/{base_id}/feed.atom", EVIL_BASE)):
        response = mia.get(path)
        assert response.status_code == 200
        assert not [raw for raw in RAW if raw.encode() in response.content], path
        assert ET.fromstring(response.content).findtext(f"{ATOM}title") == title
    files = zip_files(mia.get(f"/c/{carnet_id}/export.zip").content)
    manifest = next(frontmatter.loads(t).metadata for n, t in files.items() if n.startswith("carnets/"))
    assert manifest["title"] == EVIL_TITLE and manifest["axes"][0]["categories"][0] == EVIL_CAT
    assert all(".." not in name and not name.startswith("/") for name in files)


# --- deactivated people -----------------------------------------------------------------------


def test_a_deactivated_manager_keeps_no_right_over_their_carnets_and_bases(app, session, world):
    dina = make_user(session, "dina", name="Dina", password=None)
    hidden = carnets.create(
        session=session, actor=dina, data=CarnetCreate(title="Carnet-De-Dina", visibility="restricted")
    ).id
    public = carnets.create(session=session, actor=dina, data=CarnetCreate(title="Carnet ouvert de Dina")).id
    base_id = bases.create(
        session=session, actor=dina, data=BaseCreate(title="Base-De-Dina", visibility="restricted")
    ).id
    session.commit()
    client = browser_for(app, session, dina)
    client.get("/")
    assert client.get(f"/c/{hidden}/").status_code == 200  # before
    accounts.set_active(session=session, actor=world.people["adam"], username="dina", active=False)
    session.commit()
    session.refresh(dina)
    session.expunge(dina)  # as the site last loaded it: inactive
    session.rollback()
    assert not dina.is_active
    for path in (
        f"/c/{hidden}/",
        f"/api/v1/carnets/{hidden}",
        f"/b/{base_id}/",
        f"/api/v1/bases/{base_id}",
        f"/c/{hidden}/export.zip",
    ):
        assert client.get(path).status_code == 404, path
    assert "Carnet-De-Dina" not in client.get("/c/").text and "Base-De-Dina" not in client.get("/b/").text
    assert client.patch(f"/api/v1/carnets/{public}", json={"title": "Repris"}, headers=SAME_ORIGIN).status_code == 401
    assert (
        client.post(f"/api/v1/carnets/{public}/notes", json={"note_id": world.P.id}, headers=SAME_ORIGIN).status_code
        == 401
    )
    assert client.post("/api/v1/carnets", json={"title": "Nouveau"}, headers=SAME_ORIGIN).status_code == 401
    # The policy itself refuses an inactive account, whatever its role says.
    assert not policy.can_manage_carnet(dina, "manager") and not policy.can_contribute_to_carnet(dina, "manager")
    assert not policy.can_remove_entry(dina, "contributor", dina.id) and not policy.can_manage_base(dina, True)
    for attempt in (
        lambda: carnets.read(session=session, actor=dina, carnet_id=hidden),
        lambda: carnets.update(session=session, actor=dina, carnet_id=public, data=CarnetUpdate(title="Repris")),
        lambda: filing.add(session=session, actor=dina, carnet_id=public, data=EntryCreate(note_id=world.P.id)),
        lambda: bases.read(session=session, actor=dina, base_id=base_id),
        lambda: carnets.create(session=session, actor=dina, data=CarnetCreate(title="Nouveau")),
    ):
        with pytest.raises(DomainError):
            attempt()
    session.rollback()
    assert carnets.read(session=session, actor=world.people["adam"], carnet_id=public).title == "Carnet ouvert de Dina"
