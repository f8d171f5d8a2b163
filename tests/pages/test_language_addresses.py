"""Each language of a page has its own address, which search engines are told: absolute hreflang
alternates (PRAXIS_SITE_URL), `x-default` for the address that negotiates, and a canonical URL
naming the language the page is in."""

from __future__ import annotations

import re

from tests.conftest import one_database
from tests.factories import make_note, make_user, token_for

SITE = "https://praxis.example.org"


def _links(html: str, rel: str) -> dict[str, str]:
    head = html[: html.index("</head>")]
    found = {}
    for tag in re.findall(r"<link [^>]*>", head):
        if f'rel="{rel}"' in tag:
            key = (re.search(r'hreflang="([^"]+)"', tag) or re.search(r'(rel)="', tag)).group(1)  # type: ignore[union-attr]
            found[key] = re.search(r'href="([^"]+)"', tag).group(1).replace("&amp;", "&")  # type: ignore[union-attr]
    return found


@one_database
def test_alternates_are_absolute_and_the_canonical_names_the_language(client, session) -> None:
    alice = make_user(session, "alice")
    note = make_note(session, alice)
    carnet = client.post("/api/v1/carnets", headers=token_for(client, "alice"), json={"title": "Carnet"}).json()
    for path in (f"/n/{note.id}/", f"/c/{carnet['id']}/"):
        for lang, ask in (("en", {"Accept-Language": "en"}), ("fr", {})):
            html = client.get(path, headers=ask).text
            assert f'<html lang="{lang}">' in html
            assert (
                _links(html, "alternate").items()
                >= {
                    "fr": f"{SITE}{path}?lang=fr",
                    "en": f"{SITE}{path}?lang=en",
                    "x-default": f"{SITE}{path}",
                }.items()
            ), (path, lang)
            assert _links(html, "canonical") == {"rel": f"{SITE}{path}?lang={lang}"}, (path, lang)
    # A page's other parameters are kept, its `lang` replaced.
    html = client.get("/recherche?q=chantier&lang=en").text
    assert _links(html, "alternate")["fr"] == f"{SITE}/recherche?q=chantier&lang=fr"
    assert _links(html, "alternate")["x-default"] == f"{SITE}/recherche?q=chantier"
    # The language switcher stays on the host the reader came by (a LAN address, say).
    assert '<a href="/recherche?q=chantier&amp;lang=fr" hreflang="fr"' in html
