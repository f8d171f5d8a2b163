"""The Markdown renderer: features, wikilinks, and what never gets through."""

import re
from html.parser import HTMLParser

import pytest
from linkify_it import LinkifyIt

from praxis import markdown
from praxis.markdown import Resolved, fold, render, slugify


# Every form of link linkify-it finds in text, and prose with dots that are not links.
_TEXTS_WITH_AND_WITHOUT_LINKS = [
    "Voir https://exemple.org/a?b=c.",
    "http://carrefour.qc.ca/agents",
    "ftp://ftp.exemple.org/f.txt",
    "Écrire à mailto:alice@exemple.org",
    "Écrire à alice@exemple.org",
    "www.exemple.org",
    "WWW.EXEMPLE.ORG",
    "exemple.org et EXEMPLE.QC.CA",
    "//localhost:8000/x",
    "http://localhost:8000",
    "пример.рф",
    "xn--e1afmkfd.xn--p1ai",
    "192.168.0.1 et http://192.168.0.1/",
    "voir(https://exemple.org)",
    "<carrefour.quebec>",
    "fin.Début",
    "Une phrase. Une autre, sans lien.",
    "M. Tremblay, p. ex. ici",
    "le 12.5.2026 à 9 h",
    "**gras** www.exemple.org/x *fin*",
]


def test_text_links_are_found_as_linkify_it_finds_them(monkeypatch):
    # Praxis asks a cheaper question before linkify-it's own pretest; it must never skip a link.
    ours = [render(text).html for text in _TEXTS_WITH_AND_WITHOUT_LINKS]
    monkeypatch.setattr(markdown.build(), "linkify", LinkifyIt())
    assert ours == [render(text).html for text in _TEXTS_WITH_AND_WITHOUT_LINKS]
    assert sum("<a href" in html for html in ours) == 14  # all but the four of prose and one in brackets


def test_commonmark_tables_footnotes_tasks_and_anchors():
    html = render(
        "# Économie sociale\n\nDu *texte*.\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n- [x] fait\n- [ ] à faire\n\n"
        "Un appel[^1].\n\n[^1]: La note de bas de page.\n"
    ).html
    # The anchor keeps its accents; the one made before them still leads to the heading.
    assert '<h1 id="économie-sociale"><span id="economie-sociale"></span>Économie sociale</h1>' in html
    assert "<em>texte</em>" in html
    assert '<th class="align-left">a</th>' in html and '<td class="align-right">2</td>' in html
    assert 'type="checkbox"' in html and "checked" in html
    assert 'href="#fn1"' in html and "La note de bas de page." in html


def test_autolinks_and_bare_urls_become_links():
    html = render("Voir <https://exemple.org/a> et https://exemple.org/b").html
    assert '<a href="https://exemple.org/a"' in html
    assert '<a href="https://exemple.org/b"' in html


def test_wikilinks_resolve_in_one_batch_and_keep_their_label():
    calls = []

    def resolve(targets):
        calls.append(list(targets))
        return {"Chantier": Resolved("abc", "Chantier")}

    result = render("[[Chantier]], [[Chantier|le chantier]] et [[Inconnue]]", resolve)
    assert calls == [["Chantier", "Inconnue"]]
    assert '<a class="wikilink" href="/n/abc/"' in result.html and ">le chantier</a>" in result.html
    assert [w.target for w in result.wikilinks] == ["Chantier", "Inconnue"]


def test_unknown_wikilink_offers_to_create_the_note():
    html = render("[[Note à venir]]", lambda targets: {}).html
    assert 'class="wikilink wikilink-new" href="/n/new?title=Note%20%C3%A0%20venir"' in html


def test_wikilink_inside_code_is_not_a_link():
    result = render("`[[Pas un lien]]`", lambda t: {})
    assert result.wikilinks == []
    assert "<code>[[Pas un lien]]</code>" in result.html


class _Elements(HTMLParser):
    """Every element and attribute of a fragment, as a browser would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {k: v or "" for k, v in attrs}))


def elements(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Elements()
    parser.feed(html)
    return parser.elements


HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)></svg>",
    '<a href="javascript:alert(1)">x</a>',
    "[clic](javascript:alert(1))",
    "[clic](JaVaScRiPt:alert(1))",
    "[clic](<javascript:alert(1)>)",
    "[clic](java&#x09;script:alert(1))",
    "[clic](&#106;avascript:alert(1))",
    "[clic](data:text/html;base64,PHNjcmlwdD4=)",
    "![img](data:image/svg+xml;base64,PHN2Zz4=)",
    "![img](javascript:alert(1))",
    "[clic](vbscript:msgbox(1))",
    "<iframe src='https://evil.example'></iframe>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '[x](https://ok.example "t" onclick=alert(1))',
    "<javascript:alert(1)>",
    "[ref]\n\n[ref]: javascript:alert(1)",
    "<<script>script>alert(1)<</script>/script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    '[[x" onmouseover="alert(1)]]',
    "[[<script>alert(1)</script>|label]]",
    # Raw HTML, which a note's renderer parses (through its own allow-list, then nh3).
    "<script>alert(1)</script>",
    "<script>\nalert(1)\n</script>",
    "Texte <script>alert(1)</script> inline",
    "<svg onload=alert(1)><circle r=1 /></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href=" &#106;avascript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
    '<img src="javascript:alert(1)">',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<img src=x onerror=alert(1) srcset="javascript:alert(1) 1x">',
    '<img src="x" style="position:fixed;inset:0" width="1;background:red">',
    "<style>body{display:none}</style>",
    '<span style="color:red">x</span>',
    '<form action="https://evil.example"><input name=mot-de-passe><button formaction="javascript:alert(1)">ok</button></form>',
    "<iframe src='https://evil.example'></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)"><base href="javascript:/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<details open ontoggle="alert(1)"><summary>x</summary></details>',
    '<table background="javascript:alert(1)"><tr><td onclick="alert(1)">x</td></tr></table>',
    "<!-- <img src=x onerror=alert(1)> -->",
    "<!-- --!><img src=x onerror=alert(1)> -->",
    "<!--><img src=x onerror=alert(1)>-->",
    "<![CDATA[><img src=x onerror=alert(1)>]]>",
    "<?xml version='1.0'?><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><img src=x onerror=alert(1)></template>",
    "<textarea><img src=x onerror=alert(1)></textarea>",
    "<title><img src=x onerror=alert(1)></title>",
    "<div><img src=x onerror=alert(1)//<div>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<a href=javascript&colon;alert(1)>x</a>",
    "<kbd onclick=alert(1)>Ctrl</kbd>",
    '<abbr title="x" onmouseover="alert(1)">x</abbr>',
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_input_never_becomes_markup(payload):
    for tag, attrs in elements(render(payload, lambda t: {}).html):
        # A note's raw HTML may hold a <div> (without its style); nothing that runs or embeds.
        assert tag not in {"script", "svg", "iframe", "object", "embed", "style", "form", "math", "frame"}, tag
        assert tag not in {"input", "button", "meta", "base", "link", "textarea", "template", "noscript"}, tag
        for name, value in attrs.items():
            assert not name.startswith("on") and name != "style", (tag, name)
            assert name not in {"srcdoc", "srcset", "formaction", "action", "background", "xlink:href", "data"}, name
            assert name not in {"width", "height"} or value.isdigit(), (name, value)
            if name in ("href", "src"):
                # What a browser takes as the scheme, after it strips whitespace and controls.
                cleaned = re.sub(r"[\x00-\x20]", "", value).lower()
                scheme = re.match(r"^([a-z][a-z0-9+.\-]*):", cleaned)
                assert scheme is None or scheme.group(1) in ("http", "https", "mailto"), (tag, value)


def test_malformed_markdown_still_renders():
    text = (
        "**gras non fermé\n\n[lien](\n\n| a |\n|--\n\n"
        + "> " * 15
        + "profond\n\n"
        + "[[" * 50
        + "\n\n"
        + "> " * 5000
        + "abîme"
    )
    html = render(text).html
    assert "**gras non fermé" in html and "profond" in html and "[[[[" in html


def test_fold_and_slugify():
    assert fold("  Économie   SOCIALE ") == "economie sociale"
    assert slugify("Qu'est-ce qu'un chantier?") == "qu-est-ce-qu-un-chantier"
    assert slugify("???") == ""


def test_renderings_stored_before_data_target_are_still_relinked():
    from praxis.markdown import relink_wikilinks

    old = '<p><a class="wikilink" href="/n/abc/" rel="noopener noreferrer">Plan secret</a></p>'
    hidden = relink_wikilinks(old, lambda note_id, target: None)
    assert "abc" not in hidden and 'href="/n/new?title=Plan%20secret"' in hidden


def test_fold_spells_out_ligatures():
    assert fold("Œuvre d'Æsope") == "oeuvre d'aesope"


def test_images_load_lazily_and_sounds_and_videos_get_a_player():
    html = render("![Relevé](/n/abc/files/f1/releve.png)").html
    assert elements(html) == [
        ("p", {}),
        ("img", {"src": "/n/abc/files/f1/releve.png", "alt": "Relevé", "loading": "lazy"}),
    ]
    audio = render("![Entretien avec *Léa*](/n/abc/files/f2/entretien.OPUS)").html
    assert elements(audio) == [
        ("p", {}),
        ("audio", {"controls": "", "preload": "metadata", "src": "/n/abc/files/f2/entretien.OPUS"}),
        ("a", {"href": "/n/abc/files/f2/entretien.OPUS", "rel": "noopener noreferrer"}),
    ]
    assert ">Entretien avec Léa</a></audio>" in audio  # the fallback: a link named by the alt text
    video = render("![Visite](/n/abc/files/f3/visite.webm?t=1#debut)").html
    assert '<video controls="" preload="metadata" src="/n/abc/files/f3/visite.webm?t=1#debut">' in video
    # A link (not an image) to a sound stays a link; a document is never embedded.
    assert render("[écouter](/n/abc/files/f2/entretien.mp3)").html == (
        '<p><a href="/n/abc/files/f2/entretien.mp3" rel="noopener noreferrer">écouter</a></p>\n'
    )
    assert "<img" not in render("[rapport](/n/abc/files/f4/rapport.pdf)").html


@pytest.mark.parametrize(
    "payload",
    [
        "![x](javascript:alert(1)//.mp3)",
        '![x" onerror="alert(1)](/a.mp3)',
        '![x](/a.mp4 "t\\" onplay=\\"alert(1)")',
        "<audio src=/a.mp3 onplay=alert(1)></audio>",
        "<video><source src=javascript:alert(1)></video>",
        "![x](data:audio/mpeg;base64,AAAA)",
    ],
)
def test_players_carry_no_hostile_attribute(payload):
    for tag, attrs in elements(render(payload, lambda t: {}).html):
        assert tag not in {"script", "source", "iframe", "object", "embed"}, tag
        for name, value in attrs.items():
            assert not name.startswith("on") and name in {
                "src",
                "href",
                "alt",
                "controls",
                "preload",
                "loading",
                "rel",
                "title",
            }
            if name in ("href", "src"):
                assert not re.sub(r"[\x00-\x20]", "", value).lower().startswith(("javascript:", "data:")), value


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("## Partie\n\nSuite.", "Partie. Suite."),
        ("# Qu'est-ce?\n\nOui.", "Qu'est-ce? Oui."),
        ("### Trois choses :\n\n- une", "Trois choses : une"),
        ("## Le rôle des « cercles »\n\nFin", "Le rôle des « cercles ». Fin"),
        ("## *Mis* en **avant**\n\nTexte", "Mis en avant. Texte"),
        ("Un paragraphe.\n\nUn autre", "Un paragraphe. Un autre"),
    ],
)
def test_an_excerpt_ends_a_heading_before_the_next_paragraph(source, text):
    assert markdown.excerpt(render(source).html, 200) == text
