"""No page offers an action its service would refuse, and nothing is refused in a way that lies.

For every kind of viewer × every state of a thing × every action a page can offer about it: the
page is rendered as that viewer and read for the action's form (or link); then the action is
sent as that viewer — the form as the page wrote it when it is offered, the same fields when it
is not — and the two must agree: offered ⇔ accepted. A refusal is a 401 (or, for a page, the
sign-in redirect), 403 or 404: never a 409 (no edit conflicted), a 422 or a 500.

The people and collections are made once per module and backend; each state of a thing is tried
on one backend, the states shared between the two (the policy's SQL runs on both, and its rules
are tried on each backend, viewer by viewer, in tests/test_permission_matrix.py). Each action gets a fresh thing to act on whenever the last one was changed by an action
that was accepted, so that one action's effect never decides another's.
"""

from __future__ import annotations

import html
import itertools
import re
from datetime import timedelta
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from praxis import changes
from praxis.app import create_app
from praxis.config import Settings
from praxis.db import new_session
from praxis.deps import CSRF_COOKIE, csrf_mac
from praxis.models import AuthorInvitation, Comment, Message, User, utcnow
from praxis.schemas import (
    BaseCarnetAdd,
    BaseCreate,
    CarnetCreate,
    CommentCreate,
    CommentHide,
    CommunityCreate,
    DiscussionUpdate,
)
from praxis.schemas import EditRequestCreate, EntryCreate, NoteUpdate
from praxis.carnets import bases
from praxis.carnets import carnets
from praxis.people import communities
from praxis.conversation import discussion
from praxis.people import edit_requests
from praxis.carnets import filing
from praxis.people import invitations
from praxis.notes import notes as note_service
from tests.conftest import BACKENDS, fresh_database, on_backends_in_turn
from tests.factories import CHEAP_PASSWORDS, browser_for, make_note, make_user

REFUSED = {401, 403, 404}
KEEPS_ONE = frozenset({422})  # a carnet, a base, a community keeps one manager
EDIT_CONFLICT = "Quelqu&#39;un d&#39;autre a modifié ce contenu"


@dataclass
class Site:
    app: Any
    session: Any
    people: dict[str, Any]
    clients: dict[str, TestClient] = field(default_factory=dict)

    def client(self, viewer: str) -> TestClient:
        if viewer not in self.clients:
            client = browser_for(self.app, self.session, self.people.get(viewer))
            client.cookies.set(CSRF_COOKIE, "matrix")  # every form of this browser carries csrf_mac(…, "matrix")
            self.clients[viewer] = client
        return self.clients[viewer]

    def csrf(self) -> str:
        return csrf_mac(self.app.state.secret_key, "matrix")


@pytest.fixture(scope="module", params=BACKENDS)
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root: Path = tmp_path_factory.mktemp("actions")
    with fresh_database(request.param, root / "data", request) as url:
        settings = Settings(
            data_dir=root / "data",
            database_url=url,
            secret_key="k",
            content_dir=root / "none",
            site_url="https://praxis.example.org",
            **CHEAP_PASSWORDS,
        )
        app = create_app(settings)
        with TestClient(app, base_url="https://testserver"):  # the lifespan builds the search index
            session = new_session(app.state.engine, settings, write=True)
            people = {
                "author": make_user(session, "alice", name="Alice", password=None),
                # The one author with an account (and an inbox): a message to the note's authors reaches her.
                "coauthor": make_user(session, "cora", name="Cora"),
                "reader": make_user(session, "rita", name="Rita", password=None),
                "stranger": make_user(session, "mona", name="Mona", password=None),
                "admin": make_user(session, "adam", name="Adam", admin=True, password=None),
                "manager": make_user(session, "maud", name="Maud", password=None),
                "contributor": make_user(session, "theo", name="Théo", password=None),
                "member": make_user(session, "carl", name="Carl", password=None),
                "bob": make_user(session, "bob", name="Bob", password=None),
                "invited": make_user(session, "ines", name="Inès"),  # an account, so she is invited, not named at once
            }
            yield Site(app, session, people)
            session.close()
        app.state.search.close()
        app.state.engine.dispose()


def forms_of(page: str) -> dict[str, dict[str, str]]:
    """Each POST form of the page by its action, with the fields it sends as written (of two
    forms to one action, the last)."""
    found = {}
    for match in re.finditer(r'<form\b[^>]*method="post"[^>]*action="([^"]+)"[^>]*>(.*?)</form>', page, re.S):
        fields = {}
        for tag in re.finditer(r"<input\b[^>]*>", match.group(2)):
            name = re.search(r'name="([^"]+)"', tag.group(0))
            value = re.search(r'value="([^"]*)"', tag.group(0))
            if name:
                fields[name.group(1)] = html.unescape(value.group(1)) if value else ""
        found[html.unescape(match.group(1))] = fields  # the last: a thread's replies come before its new comment
    return found


@dataclass
class Action:
    """An action a page may offer: a form posting to `target`, or a link to it (`link`)."""

    name: str
    page: str  # where it would be offered
    target: str
    fields: dict[str, str] = field(default_factory=dict)  # what a person types in the form
    link: bool = False
    # Also an honest refusal of this action, beside 401/403/404: a rule of the data rather than
    # of rights (a carnet keeps a manager: 422), for those who hold the right.
    also_refused: frozenset[int] = frozenset()
    # Accepted, it leaves the thing as every other action needs it (a message to its authors):
    # no fresh thing is built after it.
    keeps_thing: bool = False


def offers(site: Site, viewer: str, actions: list[Action]) -> dict[str, dict[str, str] | None]:
    """What the pages offer `viewer`: for each action by name, the fields of its form as the page
    wrote them ({} for a link), or None when it is not offered."""
    client, pages, found = site.client(viewer), {}, {}
    for action in actions:
        if action.page not in pages:
            shown = client.get(action.page, follow_redirects=False)
            pages[action.page] = shown.text if shown.status_code == 200 else ""
        page = pages[action.page]
        if action.link:
            shown_link = f'href="{html.escape(action.target)}"' in page or f'href="{action.target}"' in page
            found[action.name] = {} if shown_link else None
        else:
            found[action.name] = forms_of(page).get(action.target)
    return found


def attempt(site: Site, viewer: str, action: Action, form: dict[str, str] | None) -> tuple[int, bool, str | None]:
    """(status, accepted, what was wrong with the answer) when `viewer` sends `action`: the form
    as the page wrote it (`form`), or the same fields when the page did not offer it."""
    client = site.client(viewer)
    if action.link:
        answer = client.get(action.target, follow_redirects=False)
        accepted = answer.status_code == 200
        refused = answer.status_code in REFUSED or (
            answer.status_code == 303 and answer.headers["location"].startswith("/login")
        )
    else:
        sent = {**(form or {}), **action.fields, "csrf_token": site.csrf()}
        answer = client.post(action.target, data=sent, follow_redirects=False)
        accepted = answer.status_code == 303
        # A conflict that says its own reason (already asked, already answered) is honest; the
        # edit-conflict sentence for anything but an edit is not.
        refused = answer.status_code in REFUSED | action.also_refused or (
            answer.status_code == 409 and EDIT_CONFLICT not in answer.text
        )
    return answer.status_code, accepted, None if accepted or refused else _said(answer.text)


def _said(text: str) -> str:
    found = re.search(r"<main[^>]*>(.*?)</main>", text, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1) if found else text[:500]).split())[:300]


def check(
    site: Site,
    viewers: list[str],
    actions: Callable[[], list[Action]],
    build: Callable[[], None],
    allowed_gaps: dict[tuple[str, str], str] | None = None,
) -> None:
    """For each viewer and action: offered ⇔ accepted; `build` makes a fresh thing after an
    accepted action changed it (a link followed changes nothing, which is checked). `allowed_gaps`: (viewer, action) the service accepts though no
    page offers it (an API-only path), each with why.

    The pages are read once per viewer: a fresh thing is built the same way every time, so what
    they offer is the same, only its ids change (and those are taken from `actions()`)."""
    wrong = []
    for viewer in viewers:
        offered_forms = offers(site, viewer, actions())
        for index in range(len(actions())):
            action = actions()[index]
            form = offered_forms[action.name]
            offered = form is not None
            before = changes.current(site.app.state.engine).number if action.link else None
            status, accepted, bad = attempt(site, viewer, action, form)
            if accepted and action.link:
                # A link followed is a page read: the thing is as it was (the site's change
                # counter, moved by every visible write, says so), no need for a fresh one.
                if changes.current(site.app.state.engine).number != before:
                    wrong.append(f"{viewer}: {action.name} is a link, and following it changed the site")
            elif accepted and not action.keeps_thing:
                build()
            if bad is not None:
                wrong.append(
                    f"{viewer}: {action.name} {'offered' if offered else 'not offered'}, answered {status}: {bad}"
                )
                continue
            gap = (allowed_gaps or {}).get((viewer, action.name))
            if offered != accepted and not (gap and accepted and not offered):
                wrong.append(f"{viewer}: {action.name} {'offered' if offered else 'not offered'} but {status}")
    assert wrong == [], "\n".join(wrong)


# --- a note's pages -------------------------------------------------------------------------

NOTE_VIEWERS = ["visitor", "stranger", "reader", "author", "coauthor", "invited", "admin"]


class NoteWorld:
    """A note by Alice and Cora in `state`, with Rita's comment, a second one hidden, two
    revisions, Inès invited to co-sign it and Rita's pending edit request on it."""

    def __init__(self, site: Site, state: str) -> None:
        self.site, self.state = site, state
        self.build()

    def build(self) -> None:
        s, p = self.site.session, self.site.people
        alice, rita = p["author"], p["reader"]
        # What the module wrote before, written long ago: its many notes never reach the limits
        # on comments and invitations a day, nor its viewers those on messages an hour.
        for table in (Comment, AuthorInvitation, Message):
            s.execute(sa.update(table).values(created_at=utcnow() - timedelta(days=2)))
        extra: dict[str, Any] = {"visibility": "restricted", "readers": ["rita"]} if self.state == "restricted" else {}
        note = make_note(s, alice, title="Note de la matrice", body="Premier état.", authors=["alice", "cora"], **extra)
        note_service.save_note(  # the second revision, which invites Inès
            session=s,
            actor=alice,
            note_id=note.id,
            data=NoteUpdate(base_revision=note.revision, body="Second état.", authors=["alice", "cora", "ines"]),
        )
        invitation = next(inv.id for inv, person in invitations.pending(s, note.id) if person.username == "ines")
        comment = discussion.create(session=s, actor=rita, note_id=note.id, data=CommentCreate(body="Un avis."))
        hidden = discussion.create(session=s, actor=rita, note_id=note.id, data=CommentCreate(body="Un autre avis."))
        discussion.hide(session=s, actor=alice, comment_id=hidden.id, data=CommentHide(reason="Hors sujet"))
        request = edit_requests.request_edit(
            session=s, actor=rita, note_id=note.id, data=EditRequestCreate(message="Puis-je ?")
        )
        if not hasattr(self, "carnet"):  # one carnet for every fresh note: Cora manages it, Rita contributes
            carnet = carnets.create(session=s, actor=p["coauthor"], data=CarnetCreate(title="Carnet des contributions"))
            carnets.set_member(session=s, actor=p["coauthor"], carnet_id=carnet.id, username="rita", role="contributor")
            self.carnet = carnet.id
        if self.state == "closed":
            discussion.set_closed(session=s, actor=alice, note_id=note.id, data=DiscussionUpdate(closed=True))
        if self.state == "deleted":
            note_service.delete_note(session=s, actor=alice, note_id=note.id)
        s.commit()
        self.note, self.comment, self.hidden, self.request = note.id, comment.id, hidden.id, request.id
        self.invitation = invitation

    def actions(self) -> list[Action]:
        n, page = self.note, f"/n/{self.note}/"
        return [
            Action("edit", page, f"/n/{n}/edit", link=True),
            Action("ask for editing rights", page, f"/n/{n}/edit-requests", {"message": "Moi aussi ?"}),
            Action("approve an edit request", page, f"/edit-requests/{self.request}/approve"),
            Action("refuse an edit request", page, f"/edit-requests/{self.request}/refuse"),
            Action("comment", page, f"/n/{n}/comments", {"body": "Bonjour."}),
            Action("edit a comment", page, f"/comments/{self.comment}/edit", link=True),
            Action("delete a comment", page, f"/comments/{self.comment}/delete"),
            Action("hide a comment", page, f"/comments/{self.comment}/hide", {"reason": "Hors sujet"}),
            Action("restore a hidden comment", page, f"/comments/{self.hidden}/restore"),
            Action("close or open the discussion", page, f"/n/{n}/discussion"),
            Action("restore a revision", f"/n/{n}/history", f"/n/{n}/revisions/1/restore"),
            Action("restore a revision from a diff", f"/n/{n}/diff?from=1&to=2", f"/n/{n}/revisions/1/restore"),
            Action("restore a revision from its page", f"/n/{n}/?rev=1", f"/n/{n}/revisions/1/restore"),
            Action("leave the authors", page, f"/n/{n}/leave"),
            # The inbox lists them all, including those of notes the invited may not read yet.
            Action("accept an invitation to co-sign", "/u/me/inbox", f"/invitations/{self.invitation}/accept"),
            Action("refuse an invitation to co-sign", "/u/me/inbox", f"/invitations/{self.invitation}/refuse"),
            # Deleting asks first: the note's page links to a confirmation page holding the form.
            Action("ask to delete the note", page, f"/n/{n}/delete", link=True),
            Action("delete the note", f"/n/{n}/delete", f"/n/{n}/delete"),
            # A deleted note is brought back from the trash, by its authors and admins.
            *([Action("bring the note back", "/corbeille/", f"/n/{n}/undelete")] if self.state == "deleted" else []),
            # "Ajouter à un carnet": the note page's choice of carnet leads to this form.
            Action(
                "add to a carnet", f"/n/{n}/ajouter?carnet={self.carnet}", f"/n/{n}/ajouter", {"carnet": self.carnet}
            ),
            # Offered when the message reaches an author other than the sender (Cora is the only
            # one with an account): refused to Cora as a rule of the data, not of rights.
            Action(
                "write to the authors",
                page,
                f"/n/{n}/contact",
                {"subject": "Bonjour", "message": "Une question.", "name": "Vi", "email": "vi@example.org"},
                also_refused=frozenset({422}),
                keeps_thing=True,
            ),
        ]


@on_backends_in_turn("state", ["public", "restricted", "closed", "deleted"], fixture="site")
def test_a_note_page_offers_what_its_services_accept(site, state):
    world = NoteWorld(site, state)
    check(site, NOTE_VIEWERS, world.actions, world.build)


# --- carnets and bases ----------------------------------------------------------------------

CARNET_VIEWERS = ["visitor", "stranger", "author", "contributor", "manager", "admin"]


class CarnetWorld:
    """Maud's carnet (Théo contributes) in `state`, holding a note Théo integrated and one Maud
    did, both by Alice; and Maud's base holding it."""

    def __init__(self, site: Site, state: str) -> None:
        self.site, self.state = site, state
        s, alice = site.session, site.people["author"]
        self.notes = [make_note(s, alice, title=f"Note à classer {i}").id for i in range(3)]
        self.build()

    def build(self) -> None:
        s, p = self.site.session, self.site.people
        maud, theo = p["manager"], p["contributor"]
        carnet = carnets.create(
            session=s, actor=maud, data=CarnetCreate(title="Carnet de la matrice", visibility=self.state)
        )
        carnets.set_member(session=s, actor=maud, carnet_id=carnet.id, username="theo", role="contributor")
        filing.add(session=s, actor=theo, carnet_id=carnet.id, data=EntryCreate(note_id=self.notes[0]))
        filing.add(session=s, actor=maud, carnet_id=carnet.id, data=EntryCreate(note_id=self.notes[1]))
        base = bases.create(session=s, actor=maud, data=BaseCreate(title="Base de la matrice", visibility=self.state))
        bases.add_carnet(session=s, actor=maud, base_id=base.id, data=BaseCarnetAdd(carnet_id=carnet.id))
        s.commit()
        self.carnet, self.base = carnet.id, base.id

    def actions(self) -> list[Action]:
        c, b, page = self.carnet, self.base, f"/c/{self.carnet}/"
        organising = f"/c/{c}/?organiser=1"  # where the tools for the carnet's notes are
        by_theo, by_maud, outside = self.notes
        return [
            Action("manage the carnet", page, f"/c/{c}/edit", link=True),
            Action("write a note in the carnet", page, f"/n/new?carnet={c}", link=True),
            Action("file a note", page, f"/c/{c}/notes", {"note": outside}),
            Action("classify a note", organising, f"/c/{c}/n/{by_theo}", link=True),
            Action("move a note", organising, f"/c/{c}/n/{by_maud}/move", {"step": "-1"}),
            Action("pin a note", organising, f"/c/{c}/n/{by_theo}/pin", {"pinned": "1"}),
            Action("take out a note one integrated", organising, f"/c/{c}/n/{by_theo}/remove"),
            Action("take out a note a manager integrated", organising, f"/c/{c}/n/{by_maud}/remove"),
            Action("take a contributor off", f"/c/{c}/edit", f"/c/{c}/members/theo/remove"),
            Action("take the only manager off", f"/c/{c}/edit", f"/c/{c}/members/maud/remove", also_refused=KEEPS_ONE),
            Action("ask to delete the carnet", f"/c/{c}/edit", f"/c/{c}/delete", link=True),
            Action("delete the carnet", f"/c/{c}/delete", f"/c/{c}/delete"),
            Action("manage the base", f"/b/{b}/", f"/b/{b}/edit", link=True),
            Action("take the carnet out of the base", f"/b/{b}/edit", f"/b/{b}/carnets/{c}/remove"),
            Action("ask to delete the base", f"/b/{b}/edit", f"/b/{b}/delete", link=True),
            Action("delete the base", f"/b/{b}/delete", f"/b/{b}/delete"),
        ]


@on_backends_in_turn("state", ["public", "restricted"], fixture="site")
def test_carnet_and_base_pages_offer_what_their_services_accept(site, state):
    world = CarnetWorld(site, state)
    check(
        site,
        CARNET_VIEWERS,
        world.actions,
        world.build,
        allowed_gaps={
            (
                "contributor",
                "take a contributor off",
            ): "a contributor leaves a carnet through the API only: no page offers it yet",
        },
    )


# --- communities, memberships and accounts --------------------------------------------------


_numbers = itertools.count()


class PeopleWorld:
    """Alice's community, Carl a member; Maud's base with Maud as its only manager; Bob's profile."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.build()

    def build(self) -> None:
        s, p = self.site.session, self.site.people
        alice, maud = p["author"], p["manager"]
        community = communities.create(session=s, actor=alice, data=CommunityCreate(name=f"Cercle {next(_numbers)}"))
        communities.set_member(session=s, actor=alice, community_id=community.id, username="carl", role="member")
        base = bases.create(session=s, actor=maud, data=BaseCreate(title="Base d'une seule personne"))
        # Bob, deactivated by an accepted action, is back for the next viewer.
        s.execute(sa.update(User).where(User.username == "bob").values(is_active=True))
        s.commit()
        self.community, self.base = community.id, base.id

    def actions(self) -> list[Action]:
        c, b = self.community, self.base
        page = f"/communautes/{c}/"
        return [
            Action("add a member", page, f"/communautes/{c}/members", {"username": "mona", "role": "member"}),
            Action("take a member out", page, f"/communautes/{c}/members/carl/remove"),
            Action(
                "leave the community as its only manager",
                page,
                f"/communautes/{c}/members/alice/remove",
                also_refused=KEEPS_ONE,
            ),
            Action(
                "leave a base as its only manager",
                f"/b/{b}/edit",
                f"/b/{b}/managers/maud/remove",
                also_refused=KEEPS_ONE,
            ),
            Action("deactivate an account", "/u/bob/", "/u/bob/deactivate"),
        ]


def test_community_base_and_profile_pages_offer_what_their_services_accept(site):
    world = PeopleWorld(site)
    check(site, ["visitor", "stranger", "member", "author", "manager", "admin"], world.actions, world.build)
