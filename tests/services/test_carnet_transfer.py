"""Carnets and bases as files: the sample content, ZIP round trips into an empty site, re-imports,
bad files, ZIP safety, the command line, and what an export may show."""

from __future__ import annotations

import io
import tempfile
import uuid
import zipfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import frontmatter
import pytest
import sqlalchemy as sa
import yaml
from sqlmodel import select
from typer.testing import CliRunner

from praxis import policy
from praxis.cli import app as cli_app
from praxis.config import Settings
from praxis.db import new_session, session_scope
from praxis.errors import Invalid
from praxis.models import (
    BaseCarnet,
    BaseManager,
    Carnet,
    CarnetAxis,
    CarnetCategory,
    CarnetEntry,
    CarnetMember,
    EntryCategory,
    KnowledgeBase,
    Note,
    Revision,
    User,
)
from praxis.schemas import (
    AxisCreate,
    BaseCarnetAdd,
    BaseCreate,
    CarnetCreate,
    CarnetQuery,
    CarnetUpdate,
    EntryCreate,
    EntryUpdate,
)
from praxis.carnets import bases
from praxis.carnets import carnets
from praxis.carnets import filing
from praxis.transfer import exporting, folders
from praxis.notes import notes as note_service
from tests.factories import browser_for, make_note, make_user

CONTENT = Path(__file__).resolve().parents[2] / "content"
EST = timezone(timedelta(hours=-5))  # America/Toronto in winter
EDT = timezone(timedelta(hours=-4))  # and in summer
runner = CliRunner()


# --- what a reader sees, to compare two sites ------------------------------------------------------


def _second(value: datetime | None) -> datetime | None:
    return value.astimezone(UTC).replace(microsecond=0) if value else None


def _carnet_view(session, carnet_id: str) -> dict:
    """A carnet as an administrator reads it (in manual order), its database ids aside."""
    read = carnets.read(
        session=session, actor=policy.SYSTEM, carnet_id=carnet_id, query=CarnetQuery(sort="manual", per_page=200)
    )
    return {
        "title": read.title,
        "description": read.description,
        "guide": read.guide,
        "visibility": read.visibility,
        "sort": read.sort,
        "created_at": _second(read.created_at),
        "updated_at": _second(read.updated_at),
        "axes": [(axis.name, [c.name for c in axis.categories]) for axis in read.axes],
        "members": sorted((m.username, m.display_name, m.role) for m in read.members),
        "entries": [
            (
                e.note_id,
                e.categories,
                e.pinned,
                e.position,
                (e.added_by.username, e.added_by.display_name) if e.added_by else None,
                _second(e.added_at),
            )
            for e in read.entries.items
        ],
    }


def _note_view(session, note_id: str) -> tuple:
    note = session.get(Note, note_id)
    assert note is not None, f"note {note_id} is missing"
    read = note_service.read_note(session=session, actor=policy.SYSTEM, note=note)
    return (
        read.title,
        read.kind,
        read.body,
        read.visibility,
        read.licence,
        sorted(read.readers),
        [(a.username, a.display_name) for a in read.authors],
        _second(read.published_at),
        _second(read.created_at),
        _second(read.updated_at),
    )


def _base_view(session, base_id: str) -> dict:
    read = bases.read(session=session, actor=policy.SYSTEM, base_id=base_id)
    return {
        "title": read.title,
        "description": read.description,
        "visibility": read.visibility,
        "created_at": _second(read.created_at),
        "updated_at": _second(read.updated_at),
        "managers": sorted((m.username, m.display_name) for m in read.managers),
        "carnets": [c.id for c in read.carnets],
    }


def _counts(session) -> dict[str, int]:
    """How many rows of each kind the site holds: a re-import must add none."""
    tables = (
        Note,
        Revision,
        User,
        Carnet,
        CarnetMember,
        CarnetAxis,
        CarnetCategory,
        CarnetEntry,
        EntryCategory,
        KnowledgeBase,
        BaseManager,
        BaseCarnet,
    )
    return {t.__name__: session.exec(select(sa.func.count()).select_from(t)).one() for t in tables}


def _zip_names(data: bytes) -> list[str]:
    return zipfile.ZipFile(io.BytesIO(data)).namelist()


def _zip_text(data: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode("utf-8")


def _carnet_file(data: bytes) -> frontmatter.Post:
    """The carnet's own file (its manifest of entries) inside a ZIP export."""
    names = [n for n in _zip_names(data) if n.startswith("carnets/")]
    assert len(names) == 1, names
    return frontmatter.loads(_zip_text(data, names[0]))


def _note_ids_in(data: bytes) -> set[str]:
    return {frontmatter.loads(_zip_text(data, n))["id"] for n in _zip_names(data) if n.startswith("notes/")}


# --- building a carnet on the test site --------------------------------------------------------------


def _people(session) -> dict[str, User]:
    return {
        "alice": make_user(session, "alice", name="Alice Rivard"),
        "bruno": make_user(session, "bruno", name="Bruno Côté"),
        "chloe": make_user(session, "chloe", name="Chloé Gagnon"),
        "dora": make_user(session, "dora", name="Dora Nguyen"),
    }


def _build_carnet(session, people: dict[str, User], *, title: str = "Récits de pratique") -> tuple[str, list[str]]:
    """A restricted carnet sorted by date added, with two category lists, two managers (alice,
    bruno), a contributor (chloe) and five notes integrated by three people at five times, one
    pinned, the manual order not the order of integration. Returns its id and its notes' ids."""
    alice, bruno, chloe, dora = people["alice"], people["bruno"], people["chloe"], people["dora"]
    made = carnets.create(
        session=session,
        actor=alice,
        data=CarnetCreate(
            title=title,
            description="Des **récits** écrits après une rencontre ou un atelier.\n\nChaque récit est classé selon son format.",
            guide="Racontez une expérience vécue : **où**, **avec qui**, **ce qui a surpris**.\n\n- Un titre clair.\n- Une région.",
            visibility="restricted",
            sort="added",
            axes=[
                AxisCreate(name="Format", categories=["Récit", "Prototypage", "Bilan"]),
                AxisCreate(name="Région", categories=["Bas-Saint-Laurent", "Capitale-Nationale", "Tout le Québec"]),
            ],
        ),
    )
    carnets.set_member(session=session, actor=alice, carnet_id=made.id, username="bruno", role="manager")
    carnets.set_member(session=session, actor=alice, carnet_id=made.id, username="chloe", role="contributor")
    session.commit()
    notes = [
        make_note(
            session,
            alice,
            title=f"{title} : trois jours à Rimouski",
            body="Nous sommes arrivés un mardi.\n\n## Ce qui a surpris\n\nLa neige.",
            authors=["alice", "dora"],
            published_at=datetime(2025, 2, 10, 9, 0, tzinfo=EST),
        ),
        make_note(
            session,
            chloe,
            title=f"{title} : un calendrier culturel partagé",
            body="Une séance de prototypage à Québec.",
            published_at=datetime(2025, 2, 20, 13, 30, tzinfo=EST),
        ),
        make_note(
            session,
            dora,
            title=f"{title} : l'inventaire de l'estuaire",
            body="Les leçons d'un projet régional.",
            licence="CC-BY-SA-4.0",
        ),
        make_note(
            session,
            bruno,
            title=f"{title} : ouvrir un chantier",
            body="Un chantier s'ouvre avec un mandat clair.",
            kind="note",
        ),
        make_note(
            session,
            chloe,
            title=f"{title} : la rencontre nationale",
            body="Trois jours, quarante organismes.",
            authors=["chloe", "bruno"],
        ),
    ]
    carnet = session.get(Carnet, made.id)
    plan = [  # who integrates which note, under which categories, when
        (0, alice, ["Récit", "Bas-Saint-Laurent"], datetime(2025, 2, 25, 14, 28, tzinfo=EST)),
        (1, chloe, ["Prototypage", "Capitale-Nationale"], datetime(2025, 2, 26, 10, 5, 17, tzinfo=EST)),
        (2, bruno, ["Bilan"], datetime(2025, 3, 1, 16, 40, tzinfo=EST)),
        (3, chloe, [], datetime(2025, 3, 4, 11, 12, tzinfo=EST)),
        (4, bruno, ["Tout le Québec"], datetime(2025, 3, 18, 10, 10, tzinfo=EDT)),
    ]
    for index, who, names, when in plan:
        filing.integrate(session, who, carnet, session.get(Note, notes[index].id), names, added_at=when)
    filing.update(session=session, actor=alice, carnet_id=made.id, note_id=notes[4].id, data=EntryUpdate(position=0))
    filing.update(session=session, actor=bruno, carnet_id=made.id, note_id=notes[2].id, data=EntryUpdate(pinned=True))
    session.commit()
    return made.id, [n.id for n in notes]


def _export_carnet(session, actor, carnet_id: str, path: Path) -> Path:
    path.write_bytes(exporting.export_archive(session=session, actor=actor, carnet_id=carnet_id))
    return path


# --- 1. the sample content ---------------------------------------------------------------------------


def test_the_sample_content_gives_carnets_and_a_base_that_share_notes(client, session):
    report = folders.import_path(session=session, path=CONTENT)
    session.commit()
    assert report.carnets == 3 and report.bases == 1

    listing = client.get("/api/v1/carnets").json()
    assert listing["total"] >= 3
    read = {
        c["id"]: client.get(f"/api/v1/carnets/{c['id']}", params={"per_page": 100}).json() for c in listing["items"]
    }
    assert any(len(c["axes"]) == 2 for c in read.values())

    recits = read["rEc1tsPr4tiq"]
    assert [(a["name"], [c["name"] for c in a["categories"]]) for a in recits["axes"]] == [
        ("Format", ["Récit", "Prototypage", "Bilan"]),
        ("Région", ["Bas-Saint-Laurent", "Capitale-Nationale", "Laurentides", "Tout le Québec"]),
    ]
    assert sorted((m["display_name"], m["role"]) for m in recits["members"]) == [
        ("Alice Tremblay", "manager"),
        ("Maryse Gagnon", "contributor"),
        ("Samuel Nguyen", "contributor"),
    ]
    first = recits["entries"]["items"][0]
    assert first["note_id"] == "G61Vj4hhovbG" and first["pinned"] is True
    assert first["categories"] == ["Récit", "Bas-Saint-Laurent"]
    assert first["added_by"]["display_name"] == "Alice Tremblay" and first["added_by"]["username"] == "alice.tremblay"
    assert datetime.fromisoformat(first["added_at"]) == datetime(2025, 2, 25, 14, 28, tzinfo=EST)
    assert recits["created_at"] and datetime.fromisoformat(recits["created_at"]) == datetime(
        2025, 2, 20, 9, 0, tzinfo=EST
    )

    donnees = {e["note_id"]: e for e in read["d0nneesComm5"]["entries"]["items"]}
    outils = donnees["QnFMcibor4OF"]  # integrated in March, after the change to daylight time: -04:00
    assert datetime.fromisoformat(outils["added_at"]) == datetime(2025, 3, 18, 10, 10, tzinfo=EDT)
    assert outils["added_by"]["display_name"] == "Maryse Gagnon" and outils["categories"] == ["Outils"]
    assert donnees["FoLzB4005Wy7"]["categories"] == []

    chantiers = read["ch4ntierCerc"]
    assert chantiers["sort"] == "title" and "**lancer, animer et clore**" in chantiers["guide"]
    assert sorted((m["display_name"], m["role"]) for m in chantiers["members"]) == [
        ("Frédérique Lavoie", "manager"),
        ("Marie-Hélène Bouchard", "contributor"),
    ]

    # A note in two carnets, filed and dated differently in each.
    shared = client.get("/api/v1/notes/2XYf0pNr8FA1").json()
    where = {c["id"]: c for c in shared["carnets"]}
    assert set(where) == {"d0nneesComm5", "rEc1tsPr4tiq"}
    assert where["d0nneesComm5"]["categories"] == ["Données"] and where["rEc1tsPr4tiq"]["categories"] == [
        "Bilan",
        "Bas-Saint-Laurent",
    ]
    assert datetime.fromisoformat(where["d0nneesComm5"]["added_at"]) == datetime(2025, 4, 2, 17, 20, tzinfo=EDT)
    assert datetime.fromisoformat(where["rEc1tsPr4tiq"]["added_at"]) == datetime(2025, 3, 1, 16, 40, tzinfo=EST)
    assert {c["added_by"]["display_name"] for c in shared["carnets"]} == {"Maryse Gagnon"}

    # The base: its carnets in the file's order, its managers, and each shared note once.
    assert [b["id"] for b in client.get("/api/v1/bases").json()] == ["bAseReseau01"]
    base = client.get("/api/v1/bases/bAseReseau01", params={"per_page": 100}).json()
    assert [c["id"] for c in base["carnets"]] == ["ch4ntierCerc", "rEc1tsPr4tiq", "d0nneesComm5"]
    assert sorted(m["display_name"] for m in base["managers"]) == ["Alice Tremblay", "Frédérique Lavoie"]
    distinct = {
        e["note_id"] for c in ("ch4ntierCerc", "rEc1tsPr4tiq", "d0nneesComm5") for e in read[c]["entries"]["items"]
    }
    assert (
        base["notes"]["total"]
        == len(distinct)
        < sum(len(read[c]["entries"]["items"]) for c in ("ch4ntierCerc", "rEc1tsPr4tiq", "d0nneesComm5"))
    )


# --- 2. a carnet and a base as ZIP, into an empty site -----------------------------------------------


def test_a_carnet_zip_restores_the_carnet_exactly_in_an_empty_site(session, settings, second_site, tmp_path):
    people = _people(session)
    cid, note_ids = _build_carnet(session, people)
    before = _carnet_view(session, cid)
    # What was built: pinned first, then the manual order, which is not the order of integration.
    assert [e[0] for e in before["entries"]] == [note_ids[2], note_ids[4], note_ids[0], note_ids[1], note_ids[3]]
    assert {e[0]: e[4][0] for e in before["entries"]} == {
        note_ids[0]: "alice",
        note_ids[1]: "chloe",
        note_ids[2]: "bruno",
        note_ids[3]: "chloe",
        note_ids[4]: "bruno",
    }
    notes_before = {n: _note_view(session, n) for n in note_ids}

    archive = _export_carnet(session, people["alice"], cid, tmp_path / "carnet.zip")
    manifest = yaml.safe_load(_zip_text(archive.read_bytes(), "manifest.yaml"))
    assert manifest["carnet"] == cid and manifest["notes"] == 5

    with session_scope(second_site, settings) as empty_site:
        report = folders.import_path(session=empty_site, path=archive)
    assert report.created == 5 and report.carnets == 1 and report.bases == 0
    with new_session(second_site, settings, write=False) as empty_site:
        after = _carnet_view(empty_site, cid)
        assert after == before
        assert {n: _note_view(empty_site, n) for n in note_ids} == notes_before
        assert empty_site.exec(select(sa.func.count()).select_from(Carnet)).one() == 1


def test_a_base_zip_restores_the_base_and_its_carnets_in_an_empty_site(app, session, settings, second_site, tmp_path):
    people = _people(session)
    first, first_notes = _build_carnet(session, people)
    second, second_notes = _build_carnet(session, people, title="Chantiers et cercles")
    carnets.update(
        session=session, actor=people["alice"], carnet_id=second, data=CarnetUpdate(visibility="public", sort="title")
    )
    made = bases.create(
        session=session,
        actor=people["alice"],
        data=BaseCreate(
            title="Le savoir du Réseau",
            description="Tout ce que le Réseau a appris, **en deux carnets**.",
            visibility="restricted",
        ),
    )
    bases.add_carnet(session=session, actor=people["alice"], base_id=made.id, data=BaseCarnetAdd(carnet_id=first))
    bases.add_carnet(
        session=session, actor=people["alice"], base_id=made.id, data=BaseCarnetAdd(carnet_id=second, position=0)
    )
    bases.add_manager(session=session, actor=people["alice"], base_id=made.id, username="bruno")
    session.commit()
    base_before = _base_view(session, made.id)
    assert base_before["carnets"] == [second, first] and len(base_before["managers"]) == 2
    carnets_before = {c: _carnet_view(session, c) for c in (first, second)}
    notes_before = {n: _note_view(session, n) for n in first_notes + second_notes}

    download = browser_for(app, session, people["bruno"]).get(f"/b/{made.id}/export.zip")
    assert download.status_code == 200 and download.headers["content-type"] == "application/zip"
    archive = tmp_path / "base.zip"
    archive.write_bytes(download.content)
    assert yaml.safe_load(_zip_text(download.content, "manifest.yaml"))["base"] == made.id

    with session_scope(second_site, settings) as empty_site:
        report = folders.import_path(session=empty_site, path=archive)
    assert report.created == 10 and report.carnets == 2 and report.bases == 1
    with new_session(second_site, settings, write=False) as empty_site:
        assert _base_view(empty_site, made.id) == base_before
        assert {c: _carnet_view(empty_site, c) for c in (first, second)} == carnets_before
        assert {n: _note_view(empty_site, n) for n in first_notes + second_notes} == notes_before


# --- 3. a whole site, through the folder export ------------------------------------------------------


def test_a_whole_site_export_keeps_carnets_and_bases_identical(session, settings, second_site, tmp_path):
    folders.import_path(session=session, path=CONTENT)
    session.commit()
    people = _people(session)
    mine, _ = _build_carnet(session, people)
    carnet_ids = sorted(session.exec(select(Carnet.id)).all())
    base_ids = sorted(session.exec(select(KnowledgeBase.id)).all())
    assert len(carnet_ids) == 4 and mine in carnet_ids and base_ids == ["bAseReseau01"]
    before = {c: _carnet_view(session, c) for c in carnet_ids}
    bases_before = {b: _base_view(session, b) for b in base_ids}

    out = tmp_path / "export"
    exporting.export_path(session=session, path=out, actor=policy.SYSTEM)
    assert len(list((out / "carnets").glob("*.md"))) == 4 and len(list((out / "bases").glob("*.md"))) == 1

    with session_scope(second_site, settings) as empty_site:
        report = folders.import_path(session=empty_site, path=out)
    assert report.carnets == 4 and report.bases == 1
    with new_session(second_site, settings, write=False) as empty_site:
        assert sorted(empty_site.exec(select(Carnet.id)).all()) == carnet_ids
        assert {c: _carnet_view(empty_site, c) for c in carnet_ids} == before
        assert {b: _base_view(empty_site, b) for b in base_ids} == bases_before


# --- 4. re-importing -----------------------------------------------------------------------------------


def test_reimporting_the_same_zip_changes_nothing_and_duplicates_nothing(session, tmp_path):
    people = _people(session)
    cid, note_ids = _build_carnet(session, people)
    archive = _export_carnet(session, people["alice"], cid, tmp_path / "carnet.zip")
    before, notes_before, counts_before = (
        _carnet_view(session, cid),
        {n: _note_view(session, n) for n in note_ids},
        _counts(session),
    )
    revisions_before = {n: session.get(Note, n).revision for n in note_ids}

    for _ in range(2):
        report = folders.import_path(session=session, path=archive)
        session.commit()
        assert (report.created, report.updated, report.unchanged, report.carnets) == (0, 0, 5, 1)
        assert _carnet_view(session, cid) == before
        assert {n: _note_view(session, n) for n in note_ids} == notes_before
        assert {n: session.get(Note, n).revision for n in note_ids} == revisions_before
        assert _counts(session) == counts_before


def test_an_edited_carnet_file_is_the_whole_truth_of_the_carnet(session, tmp_path):
    people = _people(session)
    cid, note_ids = _build_carnet(session, people)
    data = exporting.export_archive(session=session, actor=people["alice"], carnet_id=cid)
    # After the export, someone integrates a sixth note on the site: the file does not list it.
    late = make_note(session, people["chloe"], title="Une note arrivée après l'export")
    filing.add(
        session=session, actor=people["chloe"], carnet_id=cid, data=EntryCreate(note_id=late.id, categories=["Récit"])
    )
    session.commit()

    post = _carnet_file(data)
    post["title"] = "Récits de pratique (révisé)"
    post["contributors"] = []
    post["entries"] = [e for e in post["entries"] if e["note"] != note_ids[3]]
    for entry in post["entries"]:
        if entry["note"] == note_ids[1]:
            entry["categories"] = ["Bilan", "Tout le Québec"]
        if entry["note"] == note_ids[2]:
            entry["pinned"] = False
    edited = tmp_path / "recits.md"
    edited.write_text(frontmatter.dumps(post, sort_keys=False, allow_unicode=True), encoding="utf-8")

    report = folders.import_path(session=session, path=edited)
    session.commit()
    assert report.carnets == 1 and report.created == 0
    view = _carnet_view(session, cid)
    assert view["title"] == "Récits de pratique (révisé)"
    assert [m[0] for m in view["members"]] == ["alice", "bruno"]
    listed = {e[0]: e for e in view["entries"]}
    assert set(listed) == {note_ids[0], note_ids[1], note_ids[2], note_ids[4]}  # no note_ids[3], no late note
    assert listed[note_ids[1]][1] == ["Bilan", "Tout le Québec"]
    assert not any(e[2] for e in view["entries"])  # nothing pinned any more
    assert [e[0] for e in view["entries"]] == [note_ids[4], note_ids[0], note_ids[1], note_ids[2]]
    # The notes taken out of the carnet are still notes of the site.
    assert session.get(Note, note_ids[3]).deleted_at is None and session.get(Note, late.id).deleted_at is None
    assert carnets.read(session=session, actor=policy.SYSTEM, carnet_id=cid).note_count == 4


# --- 5. bad carnet and base files ----------------------------------------------------------------------

NOTE_OK = "---\nid: noteOk01\ntitle: Une note valable\nauthors: [Alice Rivard]\npublished: 2025-01-10\n---\nTexte.\n"


DEFAULT_ENTRIES = "  - note: noteOk01\n    categories: [Récit]\n"


def _carnet_text(*, entries: str = DEFAULT_ENTRIES, extra: str = "", cid: str = "carnetX1") -> str:
    return (
        f"---\nid: {cid}\nkind: carnet\ntitle: Carnet à vérifier\nvisibility: public\n"
        "managers:\n  - Frédérique Lavoie\n"
        "axes:\n  - name: Format\n    categories: [Récit, Bilan]\n  - name: Région\n    categories: [Laurentides]\n"
        f"{extra}entries:\n{entries}---\nDescription.\n"
    )


BAD_FILES = {
    "unknown category": (
        {"carnets/mauvais.md": _carnet_text(entries="  - note: noteOk01\n    categories: [Poésie]\n")},
        "'Poésie' is not a category",
    ),
    "a category of another carnet": (
        {
            "carnets/autre.md": _carnet_text(cid="carnetY2").replace("[Récit, Bilan]", "[Récit, Bilan, Manifeste]"),
            "carnets/mauvais.md": _carnet_text(entries="  - note: noteOk01\n    categories: [Manifeste]\n"),
        },
        "'Manifeste' is not a category",
    ),
    "two categories of one list": (
        {"carnets/mauvais.md": _carnet_text(entries="  - note: noteOk01\n    categories: [Récit, Bilan]\n")},
        "at most one category",
    ),
    "unknown note": (
        {"carnets/mauvais.md": _carnet_text(entries="  - note: inconnue42\n    categories: [Récit]\n")},
        "unknown note 'inconnue42'",
    ),
    "bad visibility": (
        {"carnets/mauvais.md": _carnet_text().replace("visibility: public", "visibility: secrète")},
        "unknown visibility",
    ),
    "bad YAML": (
        {"carnets/mauvais.md": "---\nid: carnetX1\nkind: carnet\ntitle: [non fermé\n---\nDescription.\n"},
        "not valid YAML",
    ),
    "base naming an unknown carnet": (
        {
            "carnets/bon.md": _carnet_text(),
            "bases/mauvais.md": "---\nid: baseX1\nkind: base\ntitle: Base à vérifier\nmanagers: [Alice Rivard]\n"
            "carnets: [carnetX1, absent99]\n---\nDescription.\n",
        },
        "'carnets' must list",
    ),
}


@pytest.mark.parametrize("packed", [False, True], ids=["folder", "zip"])
@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_carnet_or_base_file_refuses_the_whole_import(app, settings, tmp_path, case, packed):
    files, message = BAD_FILES[case]
    folder = tmp_path / "import"
    for name, text in {"notes/ok.md": NOTE_OK, **files}.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    path = folder
    if packed:
        path = tmp_path / "import.zip"
        with zipfile.ZipFile(path, "w") as zf:
            for name, text in {"notes/ok.md": NOTE_OK, **files}.items():
                zf.writestr(name, text)

    with pytest.raises(Invalid) as err, session_scope(app.state.engine, settings) as session:
        folders.import_path(session=session, path=path)
    assert message in err.value.message and "mauvais.md" in err.value.message, err.value.message
    with new_session(app.state.engine, settings, write=False) as session:
        assert session.exec(select(Note)).all() == []
        assert session.exec(select(Carnet)).all() == [] and session.exec(select(KnowledgeBase)).all() == []
        assert session.exec(select(User)).all() == []  # nor the people the files named


# --- 6. ZIP safety -------------------------------------------------------------------------------------


# Any other file may come (a vault's images, a documentation site's files): only where it lands is checked.
@pytest.mark.parametrize("member", ["../{tag}.md", "/{tag}.md", "notes/../../{tag}.md", "C:/{tag}.md"])
def test_a_zip_with_an_unexpected_member_is_refused_and_writes_nothing(app, settings, tmp_path, member):
    tag = f"praxis-evil-{uuid.uuid4().hex[:8]}"
    name = member.format(tag=tag)
    archive = tmp_path / "dangereux.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("notes/ok.md", NOTE_OK)
        zf.writestr(zipfile.ZipInfo(name), "---\ntitle: Piège\nauthors: [X]\n---\nimport os\n")
    assert name in zipfile.ZipFile(archive).namelist()  # the name is stored as given

    with pytest.raises(Invalid) as err, session_scope(app.state.engine, settings) as session:
        folders.import_path(session=session, path=archive)
    assert "dangereux.zip" in err.value.message and "unexpected file" in err.value.message
    for place in (Path(tempfile.gettempdir()), Path("/"), tmp_path, Path.cwd()):
        assert not (place / f"{tag}.md").exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "data") == ["dangereux.zip"]
    with new_session(app.state.engine, settings, write=False) as session:
        assert session.exec(select(Note)).all() == []


def test_a_file_named_zip_that_is_not_an_archive_is_refused(app, settings, tmp_path):
    fake = tmp_path / "carnet.zip"
    fake.write_text("---\ntitle: Pas une archive\n---\n", encoding="utf-8")
    with pytest.raises(Invalid) as err, session_scope(app.state.engine, settings) as session:
        folders.import_path(session=session, path=fake)
    assert "carnet.zip" in err.value.message and "not a ZIP archive" in err.value.message
    with new_session(app.state.engine, settings, write=False) as session:
        assert session.exec(select(Note)).all() == []


# --- 7. the command line -------------------------------------------------------------------------------


def _run(*args):
    return runner.invoke(cli_app, list(args), catch_exceptions=False)


def _use_site(monkeypatch, data_dir: Path, url: str | None) -> None:
    monkeypatch.setenv("PRAXIS_DATA_DIR", str(data_dir))
    if url:
        monkeypatch.setenv("PRAXIS_DATABASE_URL", url)
    else:
        monkeypatch.delenv("PRAXIS_DATABASE_URL", raising=False)


def test_the_command_line_moves_a_carnet_as_a_zip_to_another_site(
    tmp_path, monkeypatch, unmigrated_database_url, second_site
):
    monkeypatch.setenv("PRAXIS_SECRET_KEY", "cli-test-secret")
    monkeypatch.setenv("PRAXIS_CONTENT_DIR", str(tmp_path / "no-content"))
    monkeypatch.delenv("PRAXIS_PASSWORD", raising=False)
    _use_site(monkeypatch, tmp_path / "data", unmigrated_database_url)
    assert _run("import", str(CONTENT)).exit_code == 0

    out = tmp_path / "recits.zip"
    exported = _run("export", "--carnet", "rEc1tsPr4tiq", str(out))
    assert exported.exit_code == 0 and "rEc1tsPr4tiq" in exported.stdout
    assert zipfile.is_zipfile(out)
    names = _zip_names(out.read_bytes())
    assert "manifest.yaml" in names and "carnets/recits-de-pratique.md" in names
    assert len([n for n in names if n.startswith("notes/")]) == 4

    again = _run("export", "--carnet", "rEc1tsPr4tiq", str(out))  # an export never overwrites a file
    assert again.exit_code == 1 and len(again.stderr.strip().splitlines()) == 1

    unknown = _run("export", "--carnet", "inconnu", str(tmp_path / "inconnu.zip"))
    assert unknown.exit_code != 0 and not (tmp_path / "inconnu.zip").exists()
    assert (
        len(unknown.stderr.strip().splitlines()) == 1
        and "inconnu" in unknown.stderr
        and "Traceback" not in unknown.output
    )

    base_out = tmp_path / "base.zip"
    assert _run("export", "--base", "bAseReseau01", str(base_out)).exit_code == 0
    base_names = _zip_names(base_out.read_bytes())
    assert len([n for n in base_names if n.startswith("bases/")]) == 1
    assert sorted(n for n in base_names if n.startswith("carnets/")) == [
        "carnets/chantiers-et-cercles.md",
        "carnets/donnees-et-communs-numeriques.md",
        "carnets/recits-de-pratique.md",
    ]

    # Into another site: another data dir (and database).
    second_url = None if second_site.dialect.name == "sqlite" else second_site.url.render_as_string(hide_password=False)
    _use_site(monkeypatch, tmp_path / "second", second_url)
    imported = _run("import", str(out))
    assert imported.exit_code == 0, imported.output
    assert "1 carnet(s)" in imported.stdout and imported.stdout.startswith("4 created")
    settings = Settings(data_dir=tmp_path / "second", database_url=second_url, secret_key="x")
    with new_session(second_site, settings, write=False) as other:
        view = _carnet_view(other, "rEc1tsPr4tiq")
        assert view["title"] == "Récits de pratique" and len(view["axes"]) == 2
        assert [e[0] for e in view["entries"]] == ["G61Vj4hhovbG", "wBFmF9Iu4mDD", "2XYf0pNr8FA1", "gn6WwNBvmVfO"]
        assert view["entries"][0][4] == ("alice.tremblay", "Alice Tremblay")


# --- 8. exports show what the exporter may read --------------------------------------------------------


def _carnet_with_a_restricted_note(session):
    people = _people(session)
    alice, dora = people["alice"], people["dora"]
    made = carnets.create(
        session=session,
        actor=alice,
        data=CarnetCreate(title="Veille partagée", axes=[AxisCreate(name="Thème", categories=["IA"])]),
    )
    carnets.set_member(session=session, actor=alice, carnet_id=made.id, username="dora", role="contributor")
    session.commit()
    public = make_note(session, alice, title="Une veille ouverte", body="Tout le monde lit ceci.")
    secret = make_note(
        session, dora, title="Notes de Dora", body="Un brouillon que personne d'autre ne lit.", visibility="restricted"
    )
    filing.add(session=session, actor=alice, carnet_id=made.id, data=EntryCreate(note_id=public.id, categories=["IA"]))
    filing.add(session=session, actor=dora, carnet_id=made.id, data=EntryCreate(note_id=secret.id, categories=["IA"]))
    session.commit()
    return people, made.id, public.id, secret.id


def test_an_export_leaves_out_the_notes_the_exporter_may_not_read(app, session):
    people, cid, public, secret = _carnet_with_a_restricted_note(session)
    stranger = make_user(session, "etienne", name="Étienne Roy")

    as_stranger = exporting.export_archive(session=session, actor=stranger, carnet_id=cid)
    assert _note_ids_in(as_stranger) == {public}
    assert [e["note"] for e in _carnet_file(as_stranger)["entries"]] == [public]
    manifest = yaml.safe_load(_zip_text(as_stranger, "manifest.yaml"))
    assert manifest["notes"] == 1 and len([f for f in manifest["files"] if f.startswith("notes/")]) == 1
    assert not any("brouillon" in _zip_text(as_stranger, n) for n in _zip_names(as_stranger))

    as_author = exporting.export_archive(session=session, actor=people["dora"], carnet_id=cid)
    assert _note_ids_in(as_author) == {public, secret}
    assert [e["note"] for e in _carnet_file(as_author)["entries"]] == [public, secret]
    assert yaml.safe_load(_zip_text(as_author, "manifest.yaml"))["notes"] == 2

    # The same through the carnet page's download link.
    visitor = browser_for(app, session, None).get(f"/c/{cid}/export.zip")
    assert visitor.status_code == 200 and _note_ids_in(visitor.content) == {public}
    author = browser_for(app, session, people["dora"]).get(f"/c/{cid}/export.zip")
    assert author.status_code == 200 and _note_ids_in(author.content) == {public, secret}


def test_a_base_export_leaves_out_the_carnets_the_reader_may_not_see(app, session):
    people = _people(session)
    alice = people["alice"]
    open_carnet = carnets.create(session=session, actor=alice, data=CarnetCreate(title="Carnet ouvert"))
    closed_carnet = carnets.create(
        session=session, actor=alice, data=CarnetCreate(title="Carnet fermé", visibility="restricted")
    )
    made = bases.create(session=session, actor=alice, data=BaseCreate(title="Base publique"))
    for carnet in (open_carnet, closed_carnet):
        bases.add_carnet(session=session, actor=alice, base_id=made.id, data=BaseCarnetAdd(carnet_id=carnet.id))
    session.commit()

    def carnet_files(data: bytes) -> set[str]:
        return {frontmatter.loads(_zip_text(data, n))["id"] for n in _zip_names(data) if n.startswith("carnets/")}

    def base_file(data: bytes) -> frontmatter.Post:
        return frontmatter.loads(_zip_text(data, next(n for n in _zip_names(data) if n.startswith("bases/"))))

    stranger = make_user(session, "etienne")
    as_stranger = exporting.export_archive(session=session, actor=stranger, base_id=made.id)
    assert carnet_files(as_stranger) == {open_carnet.id} and base_file(as_stranger)["carnets"] == [open_carnet.id]
    visitor = browser_for(app, session, None).get(f"/b/{made.id}/export.zip")
    assert visitor.status_code == 200
    assert carnet_files(visitor.content) == {open_carnet.id} and base_file(visitor.content)["carnets"] == [
        open_carnet.id
    ]
    manager = browser_for(app, session, alice).get(f"/b/{made.id}/export.zip")
    assert carnet_files(manager.content) == {open_carnet.id, closed_carnet.id}


def test_a_restricted_carnet_cannot_be_downloaded_by_a_stranger(app, session):
    people = _people(session)
    made = carnets.create(
        session=session, actor=people["alice"], data=CarnetCreate(title="Carnet privé", visibility="restricted")
    )
    session.commit()
    stranger = make_user(session, "etienne")
    assert browser_for(app, session, stranger).get(f"/c/{made.id}/export.zip").status_code == 404
    assert browser_for(app, session, people["alice"]).get(f"/c/{made.id}/export.zip").status_code == 200


def test_a_restricted_note_and_its_readers_survive_a_carnet_zip(session, settings, second_site, tmp_path):
    """The author's export holds the restricted note; in an empty site it stays restricted to
    the same readers (who are neither authors nor members of the carnet)."""
    people = _people(session)
    make_user(session, "fanny", name="Fanny Lévesque")
    made = carnets.create(session=session, actor=people["alice"], data=CarnetCreate(title="Veille partagée"))
    carnets.set_member(session=session, actor=people["alice"], carnet_id=made.id, username="dora", role="contributor")
    session.commit()
    secret = make_note(
        session,
        people["dora"],
        title="Notes de Dora",
        body="Pour Fanny seulement.",
        visibility="restricted",
        readers=["fanny"],
    )
    filing.add(session=session, actor=people["dora"], carnet_id=made.id, data=EntryCreate(note_id=secret.id))
    session.commit()
    before, note_before = _carnet_view(session, made.id), _note_view(session, secret.id)
    assert note_before[5] == ["fanny"]

    archive = _export_carnet(session, people["dora"], made.id, tmp_path / "veille.zip")
    with session_scope(second_site, settings) as empty_site:
        folders.import_path(session=empty_site, path=archive)
    with new_session(second_site, settings, write=False) as empty_site:
        assert _carnet_view(empty_site, made.id) == before
        assert _note_view(empty_site, secret.id) == note_before
