"""`%%comments%%` are their writers' own: the Markdown source with them goes to those who may
change the note (and to the command line's export); every other reader gets it without them, in
the API, the revisions, the diffs and exports, and the text filter of lists never finds them."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import frontmatter
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from praxis import policy
from praxis.carnets import carnets, filing
from praxis.conversation import service as conversation
from praxis.notes import notes as note_service
from praxis.schemas import CarnetCreate, CommentCreate, CommentUpdate, EntryCreate, NoteUpdate
from praxis.transfer import exporting
from praxis.models import User
from tests.factories import browser_for, make_note, make_user, page_text

FIRST = "Texte public. %%zanzibar réservé%%\n\nSuite `%%code%%`."
SECOND = FIRST + "\n\nAjout %%quokka caché%% visible."
FIRST_SEEN = "Texte public. \n\nSuite `%%code%%`."
SECOND_SEEN = FIRST_SEEN + "\n\nAjout  visible."
COMMENT = "Bien vu. %%aparté de Bob%%"


@dataclass
class World:
    people: dict[str, User | None]
    note: str
    carnet: str
    comment: str
    revisions: tuple[int, int] = (1, 2)  # the first text's, the second's


def _world(session: Session) -> World:
    alice, bob = make_user(session, "alice"), make_user(session, "bob")
    rita, adam = make_user(session, "rita"), make_user(session, "adam", admin=True)
    note = make_note(session, alice, title="Semis", body=FIRST, authors=["alice", "bob"])
    saved = note_service.save_note(
        session=session, actor=alice, note_id=note.id, data=NoteUpdate(base_revision=note.revision, body=SECOND)
    )
    carnet = carnets.create(session=session, actor=alice, data=CarnetCreate(title="Jardins"))
    filing.add(session=session, actor=alice, carnet_id=carnet.id, data=EntryCreate(note_id=note.id))
    comment = conversation.create_comment(
        session=session, actor=bob, note_id=note.id, data=CommentCreate(body="Première idée %%brouillon%%")
    )
    conversation.update_comment(session=session, actor=bob, comment_id=comment.id, data=CommentUpdate(body=COMMENT))
    session.commit()
    people: dict[str, User | None] = {"author": alice, "co-author": bob, "admin": adam, "reader": rita, "visitor": None}
    return World(people, note.id, carnet.id, comment.id, (note.revision, saved.revision))


WRITERS = ["author", "co-author", "admin"]
READERS = ["reader", "visitor"]


def _as(app, session: Session, world: World, who: str) -> TestClient:  # type: ignore[no-untyped-def]
    return browser_for(app, session, world.people[who])


@pytest.mark.parametrize("who", WRITERS + READERS)
def test_the_note_its_revisions_and_their_diff_give_the_comments_to_writers_alone(app, session, who):  # type: ignore[no-untyped-def]
    world = _world(session)
    client = _as(app, session, world, who)
    writer = who in WRITERS
    note = client.get(f"/api/v1/notes/{world.note}").json()
    assert note["body"] == (SECOND if writer else SECOND_SEEN)
    before, after = world.revisions
    first = client.get(f"/api/v1/notes/{world.note}/revisions/{before}").json()
    assert first["body"] == (FIRST if writer else FIRST_SEEN)
    diff = client.get(f"/api/v1/notes/{world.note}/diff", params={"from": before, "to": after}).json()
    added = " ".join(part["text"] for part in diff["body"] if part["op"] == "insert")
    assert ("quokka" in added) is writer and "visible" in added
    page = page_text(client.get(f"/n/{world.note}/diff", params={"from": before, "to": after}).text)
    assert ("quokka" in page) is writer and ("zanzibar" in page) is writer and "visible" in page


@pytest.mark.parametrize("who", ["co-author", "reader", "visitor"])
def test_a_comment_and_its_earlier_versions_keep_their_comments_for_their_writer(app, session, who):  # type: ignore[no-untyped-def]
    world = _world(session)
    read = _as(app, session, world, who).get(f"/api/v1/comments/{world.comment}").json()
    if who == "co-author":  # Bob wrote it
        assert read["body"] == COMMENT and read["edits"][0]["body"] == "Première idée %%brouillon%%"
    else:
        assert read["body"] == "Bien vu. " and read["edits"][0]["body"] == "Première idée "
    assert "aparté" not in read["html"]


@pytest.mark.parametrize("who", WRITERS + READERS)
def test_the_text_filter_of_lists_and_carnets_never_matches_inside_a_comment(app, session, who):  # type: ignore[no-untyped-def]
    world = _world(session)
    client = _as(app, session, world, who)

    def listed(q: str) -> list[str]:
        return [item["id"] for item in client.get("/api/v1/notes", params={"q": q}).json()["items"]]

    def in_carnet(q: str) -> list[str]:
        entries = client.get(f"/api/v1/carnets/{world.carnet}", params={"q": q}).json()["entries"]["items"]
        return [entry["note"]["id"] for entry in entries]

    for probe in (listed, in_carnet):
        assert probe("zanzibar") == [] and probe("QUOKKA") == []
        assert probe("texte public") == [world.note] and probe("visible") == [world.note]
        assert probe("%%code%%") == [world.note]  # in code, %% is text


def test_the_filter_matches_a_commented_text_as_its_rendering_writes_it(app, session):  # type: ignore[no-untyped-def]
    alice = make_user(session, "alice")
    note = make_note(session, alice, title="Outils", body="Ciseaux & <sécateur> %%R&D%%")
    client = _as(app, session, World({"visitor": None}, note.id, "", ""), "visitor")
    found = {
        q: [i["id"] for i in client.get("/api/v1/notes", params={"q": q}).json()["items"]] for q in ("ciseaux &", "r&d")
    }
    assert found == {"ciseaux &": [note.id], "r&d": []}


@pytest.mark.parametrize("who", ["author", "reader", "visitor"])
def test_a_carnet_exported_by_a_reader_leaves_the_comments_out(app, session, who):  # type: ignore[no-untyped-def]
    world = _world(session)
    download = _as(app, session, world, who).get(f"/c/{world.carnet}/export.zip")
    assert download.status_code == 200
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        [name] = [n for n in archive.namelist() if n.startswith("notes/")]
        body = frontmatter.loads(archive.read(name).decode()).content
    assert body == (SECOND if who == "author" else SECOND_SEEN).strip()


def test_the_command_line_export_keeps_the_comments(app, session, tmp_path):  # type: ignore[no-untyped-def]
    world = _world(session)
    exporting.export_path(session=session, path=tmp_path / "export", actor=policy.SYSTEM)
    [path] = list((tmp_path / "export" / "notes").glob("*.md"))
    assert frontmatter.loads(path.read_text()).content == SECOND and world.note in path.read_text()
