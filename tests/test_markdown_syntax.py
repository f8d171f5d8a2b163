"""The markup Obsidian vaults and documentation sites bring: callouts, `:::` containers,
highlights, block ids, comments, raw HTML, heading anchors, wikilinks with fragments, image sizes."""

import re

import pytest

from praxis.markdown import (
    Embedded,
    Resolved,
    embedded_ids,
    expand_embeds,
    has_embeds,
    headings,
    mark_kinds,
    relink_wikilinks,
    render,
    wikilinks_in,
)
from tests.test_markdown import elements


def html_of(text: str, **known: str) -> str:
    """The rendering of `text`, the notes titled as `known`'s keys having its values as ids."""
    return render(text, lambda targets: {t: Resolved(known[t], t) for t in targets if t in known}).html


def squeeze(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


# Callouts


def test_a_callout_has_a_title_and_a_markdown_body():
    html = html_of("> [!tip] Un *bon* conseil\n> Le corps, **en gras**.\n>\n> - une liste\n\nAprès.")
    assert squeeze(html) == (
        '<div class="callout callout-tip"><p class="callout-title">Un <em>bon</em> conseil</p>'
        '<div class="callout-body"><p>Le corps, <strong>en gras</strong>.</p><ul><li>une liste</li></ul></div></div>'
        "<p>Après.</p>"
    )


@pytest.mark.parametrize(
    ("written", "kind", "title"),
    [
        ("note", "note", "Note"),
        ("NOTE", "note", "Note"),
        ("Warning", "warning", "Warning"),
        ("caution", "warning", "Caution"),
        ("attention", "warning", "Attention"),
        ("important", "tip", "Important"),
        ("hint", "tip", "Hint"),
        ("danger", "danger", "Danger"),
        ("error", "danger", "Error"),
        ("info", "info", "Info"),
        ("example", "example", "Example"),
        ("quote", "quote", "Quote"),
        ("cite", "quote", "Cite"),
        ("faq", "question", "Faq"),
        ("success", "success", "Success"),
        ("done", "success", "Done"),
        ("fail", "failure", "Fail"),
        ("bug", "bug", "Bug"),
        ("tldr", "abstract", "Tldr"),
        ("todo", "todo", "Todo"),
        ("recette", "note", "Recette"),  # unknown: a note, named as written
    ],
)
def test_a_callout_without_a_title_is_named_by_its_type_as_written(written, kind, title):
    html = html_of(f"> [!{written}]\n> Corps.")
    assert squeeze(html) == (
        f'<div class="callout callout-{kind}"><p class="callout-title">{title}</p>'
        '<div class="callout-body"><p>Corps.</p></div></div>'
    )


def test_foldable_callouts_are_details_closed_or_open():
    closed = html_of("> [!faq]- Pourquoi ?\n> Parce que.")
    assert squeeze(closed) == (
        '<details class="callout callout-question"><summary class="callout-title">Pourquoi ?</summary>'
        '<div class="callout-body"><p>Parce que.</p></div></details>'
    )
    opened = html_of("> [!example]+\n> Voici.")
    assert opened.startswith('<details class="callout callout-example" open="">')
    assert '<summary class="callout-title">Example</summary>' in opened


def test_callouts_nest_and_plain_quotes_stay_quotes():
    html = squeeze(html_of("> [!note] Dehors\n> > [!warning] Dedans\n> > Texte.\n\n> Une citation [!tip] ordinaire."))
    assert html == (
        '<div class="callout callout-note"><p class="callout-title">Dehors</p><div class="callout-body">'
        '<div class="callout callout-warning"><p class="callout-title">Dedans</p>'
        '<div class="callout-body"><p>Texte.</p></div></div></div></div>'
        "<blockquote><p>Une citation [!tip] ordinaire.</p></blockquote>"
    )


def test_a_callout_title_is_markdown_as_safe_as_any():
    html = html_of('> [!note] <img src=x onerror="alert(1)"> [x](javascript:alert(1))\n> y')
    assert [(tag, attrs) for tag, attrs in elements(html)][1:3] == [
        ("p", {"class": "callout-title"}),
        ("img", {"src": "x", "loading": "lazy"}),
    ]
    assert "<a" not in html and "[x](javascript:alert(1))" in html


@pytest.mark.parametrize(
    ("written", "kind", "title"),
    [
        ("::: tip Un conseil", "tip", "Un conseil"),
        (":::warning", "warning", "Warning"),
        ("::: danger", "danger", "Danger"),
        (":::info Pour information", "info", "Pour information"),
        ("::: note", "note", "Note"),
        (":::caution[Prudence]", "warning", "Prudence"),
    ],
)
def test_containers_of_documentation_sites_are_callouts(written, kind, title):
    html = html_of(f"{written}\nLe *corps*.\n:::\n\nAprès.")
    assert squeeze(html) == (
        f'<div class="callout callout-{kind}"><p class="callout-title">{title}</p>'
        '<div class="callout-body"><p>Le <em>corps</em>.</p></div></div><p>Après.</p>'
    )


def test_a_details_container_folds_and_an_unknown_one_stays_text():
    html = squeeze(html_of("::: details Cliquer pour lire\nCaché.\n:::\n\n::: details\nAussi.\n:::"))
    assert html == (
        '<details class="callout callout-note"><summary class="callout-title">Cliquer pour lire</summary>'
        '<div class="callout-body"><p>Caché.</p></div></details>'
        '<details class="callout callout-note"><summary class="callout-title">Details</summary>'
        '<div class="callout-body"><p>Aussi.</p></div></details>'
    )
    assert html_of("::: v-pre\n{{ x }}\n:::") == "<p>::: v-pre\n{{ x }}\n:::</p>\n"


# Highlights, block ids, comments


def test_highlights_are_marks():
    assert html_of("Un ==passage surligné== et a == b.") == "<p>Un <mark>passage surligné</mark> et a == b.</p>\n"
    assert html_of("`==code==`") == "<p><code>==code==</code></p>\n"


def test_block_ids_name_their_block_and_are_not_shown():
    html = html_of(
        "Un paragraphe. ^para-1\n\n- un élément ^item\n- un autre\n\n| a |\n|---|\n| 1 |\n\n^tableau\n\n"
        "Encore ^para-1\n\nUne note[^1] ^avec-note\n\n[^1]: Le bas de page."
    )
    assert '<p id="^para-1">Un paragraphe.</p>' in html
    assert '<li id="^item">un élément</li>' in html
    assert '<table id="^tableau">' in html and "<p>^tableau</p>" not in html
    assert "<p>Encore</p>" in html  # a repeated id: the first block keeps it
    assert '<p id="^avec-note">Une note<sup class="footnote-ref">' in html
    assert "^" not in re.sub(r'id="\^[a-z0-9-]+"', "", html)


def test_comments_are_never_rendered():
    text = (
        "Avant %%un commentaire%% après.\n\n%%\nUn bloc entier\n\n## Avec un titre\n%%\n\n"
        "Sur %%deux\nlignes%% fin.\n\nDu code `%%gardé%%`.\n\n```\n%% gardé aussi %%\n```\n\n"
        "Dernier %%jamais fermé\n\nrien de ceci"
    )
    html = html_of(text)
    assert squeeze(html) == (
        "<p>Avant  après.</p><p>Sur  fin.</p><p>Du code <code>%%gardé%%</code>.</p>"
        "<pre><code>%% gardé aussi %%\n</code></pre><p>Dernier</p>"
    )
    assert headings(html) == []
    assert render("Un avis %%privé%% public.", comment=True).html == "<p>Un avis  public.</p>\n"


# Raw HTML


def test_raw_html_keeps_a_small_safe_set():
    html = html_of(
        "<details>\n<summary>Résumé</summary>\n\nLe *corps*.\n\n</details>\n\n"
        "Touche <kbd>Ctrl</kbd>, H<sub>2</sub>O, x<sup>2</sup>, <u>souligné</u>, <small>petit</small>,"
        ' <abbr title="Économie sociale et solidaire">ESS</abbr>, <mark>vu</mark>, <span>rien</span>.<br>\n\n'
        '<div><img src="/n/abc/files/f/plan.png" alt="Plan" width="300" height="200"></div>\n\n'
        "<dl><dt>Terme</dt><dd>Définition</dd></dl>\n\n<figure><figcaption>Légende</figcaption></figure>"
    )
    assert squeeze(html) == (
        "<details><summary>Résumé</summary><p>Le <em>corps</em>.</p></details>"
        "<p>Touche <kbd>Ctrl</kbd>, H<sub>2</sub>O, x<sup>2</sup>, <u>souligné</u>, <small>petit</small>,"
        ' <abbr title="Économie sociale et solidaire">ESS</abbr>, <mark>vu</mark>, <span>rien</span>.<br></p>'
        '<div><img src="/n/abc/files/f/plan.png" alt="Plan" width="300" height="200" loading="lazy"></div>'
        "<dl><dt>Terme</dt><dd>Définition</dd></dl><figure><figcaption>Légende</figcaption></figure>"
    )


def test_raw_html_cannot_forge_the_renderers_own_markup():
    html = html_of(
        '<a class="wikilink" href="/n/secret/" data-target="Plan">Plan</a> '
        '<div class="callout callout-danger" id="note-body">x</div> <p id="etapes" lang="en">y</p>'
    )
    assert wikilinks_in(html) == []
    assert "class=" not in html and 'id="' not in html and 'lang="en"' in html


def test_comments_show_raw_html_as_text():
    assert render("<kbd>Ctrl</kbd>", comment=True).html == "<p>&lt;kbd&gt;Ctrl&lt;/kbd&gt;</p>\n"
    assert "callout-tip" in render("> [!tip]\n> x", comment=True).html


# Heading anchors


def test_heading_anchors_keep_accents_as_github_writes_them():
    html = html_of(
        "# Apprentissage supervisé\n\n## Qu'est-ce que l'ESS ?\n\n## Démarche\n\n## Démarche\n\n"
        "## Introduction\n\n## Étape 1 : `code` et [[Note]]\n\n##### Trop profond"
    )
    assert [(h.level, h.id, h.text) for h in headings(html)] == [
        (1, "apprentissage-supervisé", "Apprentissage supervisé"),
        (2, "quest-ce-que-less-", "Qu'est-ce que l'ESS ?"),
        (2, "démarche", "Démarche"),
        (2, "démarche-1", "Démarche"),
        (2, "introduction", "Introduction"),
        (2, "étape-1--code-et-note", "Étape 1 : code et Note"),
    ]
    # The anchors made before (ASCII-folded) still lead to each heading; none where they are the same.
    assert '<h1 id="apprentissage-supervisé"><span id="apprentissage-supervise"></span>Apprentissage' in html
    assert '<h2 id="quest-ce-que-less-"><span id="qu-est-ce-que-l-ess"></span>' in html
    assert '<h2 id="démarche-1"><span id="demarche-1"></span>Démarche</h2>' in html
    assert '<h2 id="introduction">Introduction</h2>' in html
    assert '<span id="etape-1-code-et"></span>' in html  # the old anchor left wikilinks out
    assert "<h5>Trop profond</h5>" in html


def test_an_old_anchor_that_is_another_headings_new_one_is_left_out():
    html = html_of("## Économie\n\n## Economie")
    assert (
        squeeze(html) == '<h2 id="économie">Économie</h2><h2 id="economie"><span id="economie-1"></span>Economie</h2>'
    )
    assert len(re.findall(r'id="([^"]+)"', html)) == len(set(re.findall(r'id="([^"]+)"', html)))


# Wikilinks with fragments


def test_wikilinks_lead_to_headings_and_blocks_and_resolve_by_the_note_alone():
    asked = []

    def resolve(targets):
        asked.append(list(targets))
        return {"Méthode": Resolved("abc", "Méthode")}

    result = render(
        "[[Méthode#Apprentissage supervisé]], [[Méthode#^para-1]], [[Méthode#Partie#Étape 2|l’étape]], "
        "[[#Démarche]], [[Absente#Section]] et [[Méthode]].",
        resolve,
    )
    assert asked == [["Méthode", "Absente"]] and [w.target for w in result.wikilinks] == ["Méthode", "Absente"]
    assert [(tag, attrs.get("href"), attrs.get("data-target")) for tag, attrs in elements(result.html)[1:]] == [
        ("a", "/n/abc/#apprentissage-supervis%C3%A9", "Méthode"),
        ("a", "/n/abc/#^para-1", "Méthode"),
        ("a", "/n/abc/#%C3%A9tape-2", "Méthode"),
        ("a", "#d%C3%A9marche", None),
        ("a", "/n/new?title=Absente", "Absente"),
        ("a", "/n/abc/", "Méthode"),
    ]
    assert ">Méthode &gt; Apprentissage supervisé</a>" in result.html and ">l’étape</a>" in result.html
    assert ">Démarche</a>" in result.html


def test_stored_wikilinks_with_fragments_are_read_marked_and_relinked():
    html = html_of("[[Méthode#Étape 2]] et [[Méthode]]", **{"Méthode": "abc"})
    assert wikilinks_in(html) == [("abc", "Méthode"), ("abc", "Méthode")]
    marked = mark_kinds(html, {"abc": "term"})
    assert marked.count('<a class="wikilink kind-term" href="/n/abc/') == 2 and 'href="/n/abc/#%C3%A9tape-2"' in marked
    moved = relink_wikilinks(marked, lambda note_id, target: "xyz")
    assert 'href="/n/xyz/#%C3%A9tape-2"' in moved and 'href="/n/xyz/"' in moved
    gone = relink_wikilinks(marked, lambda note_id, target: None)
    assert gone.count('href="/n/new?title=M%C3%A9thode"') == 2 and "abc" not in gone


def test_a_wikilink_target_is_normalised_to_nfc():
    decomposed = "Me\u0301thode"
    result = render(f"[[{decomposed}]]", lambda targets: {})
    assert [w.target for w in result.wikilinks] == ["Méthode"]


# Image sizes


def test_image_sizes_as_obsidian_writes_them():
    html = html_of("![Plan|300](plan.png) ![Plan du site | 300x200](plan.png) ![a|b](c.png) ![|40](d.png)")
    assert [attrs for _tag, attrs in elements(html)[1:]] == [
        {"src": "plan.png", "alt": "Plan", "width": "300", "loading": "lazy"},
        {"src": "plan.png", "alt": "Plan du site", "width": "300", "height": "200", "loading": "lazy"},
        {"src": "c.png", "alt": "a|b", "loading": "lazy"},
        {"src": "d.png", "alt": "", "width": "40", "loading": "lazy"},
    ]


def test_a_wikilink_naming_neither_note_nor_anchor_stays_text():
    assert html_of("[[#]] et [[#^]]") == "<p>[[#]] et [[#^]]</p>\n"
    assert elements(html_of("[[Méthode#^]]", **{"Méthode": "abc"}))[1][1]["href"] == "/n/abc/"


# Embeds


def test_an_embed_is_a_block_holding_a_link_and_a_missing_note_a_create_link():
    html = html_of("Avant ![[Méthode#Étape 2]] après\n![[Absente|Plus tard]]\n\n- point ![[Méthode]]", Méthode="abc")
    assert squeeze(html) == (
        "<p>Avant</p>"
        '<div class="embed-slot"><p><a class="wikilink" href="/n/abc/#%C3%A9tape-2" data-target="Méthode" '
        'rel="noopener noreferrer">Méthode &gt; Étape 2</a></p></div>'
        "<p>après</p>"
        '<p><a class="wikilink wikilink-new" href="/n/new?title=Absente" data-target="Absente" '
        'rel="noopener noreferrer">Plus tard</a></p>'
        "<ul><li>point"
        '<div class="embed-slot"><p><a class="wikilink" href="/n/abc/" data-target="Méthode" '
        'rel="noopener noreferrer">Méthode</a></p></div></li></ul>'
    )
    assert [w.target for w in render("![[A]] [[B]] ![[A#x]]").wikilinks] == ["A", "B"]
    assert embedded_ids(html) == ["abc"] and has_embeds(html)


def test_embeds_of_files_of_this_page_and_in_comments_stay_as_written():
    assert html_of("![[photo.png]] ![[#Section]]") == (
        '<p>!<a class="wikilink wikilink-new" href="/n/new?title=photo.png" data-target="photo.png" '
        'rel="noopener noreferrer">photo.png</a> !<a class="wikilink" href="#section" '
        'rel="noopener noreferrer">Section</a></p>\n'
    )
    assert not has_embeds(render("![[Méthode]]", comment=True).html)
    # Within a heading, emphasis or a link, an embed is a link.
    html = html_of("# Voir ![[Méthode]]\n\n*à ![[Méthode]]*", Méthode="abc")
    assert not has_embeds(html) and html.count('href="/n/abc/"') == 2 and "<em>à <a" in html


def test_raw_html_cannot_forge_an_embed():
    html = html_of('<div class="embed-slot"><p><a class="wikilink" href="/n/secret/">x</a></p></div>')
    assert not has_embeds(html) and embedded_ids(html) == []
    assert expand_embeds(html, {"secret": Embedded("secret", "Secret", "<p>caché</p>")}) == html


GUIDE = html_of(
    "Intro [[#Étape 2]] [^1] ^debut\n\n## Étape 1\n\nUn.\n\n### Détail\n\nDeux.\n\n"
    "> ## Cité\n> Dans la citation.\n\n- a ^item\n- b\n\n![[Autre]]\n\n## Étape 2\n\nFin.\n\n[^1]: Bas de page.",
    Autre="xyz",
)


def embedded(written: str) -> str:
    return squeeze(expand_embeds(html_of(written, Guide="gid"), {"gid": Embedded("gid", "Le <guide>", GUIDE)}))


def test_an_embed_shows_the_whole_note_framed_by_its_title_without_ids():
    shown = embedded("![[Guide]]")
    assert shown.startswith(
        '<blockquote class="embed"><p class="embed-source"><a class="wikilink" href="/n/gid/" '
        'data-target="Guide">Le &lt;guide&gt;</a></p><p>Intro <a class="wikilink" href="/n/gid/#%C3%A9tape-2"'
    )
    assert shown.endswith("</section></blockquote>") and "Bas de page." in shown
    assert ' id="' not in shown and 'href="#' not in shown and 'href="/n/gid/#fn1"' in shown
    # The guide's own embed is a link: nothing is embedded twice, nothing loops.
    assert shown.count("<blockquote class=") == 1 and '<p><a class="wikilink" href="/n/xyz/"' in shown


def test_an_embed_shows_a_section_or_a_block():
    section = embedded("![[Guide#Étape 1]]")
    assert section == (
        '<blockquote class="embed"><p class="embed-source"><a class="wikilink" href="/n/gid/#%C3%A9tape-1" '
        'data-target="Guide">Le &lt;guide&gt;</a></p>'
        "<h2>Étape 1</h2><p>Un.</p><h3>Détail</h3><p>Deux.</p>"
        "<blockquote><h2>Cité</h2><p>Dans la citation.</p></blockquote>"
        '<ul><li>a</li><li>b</li></ul><p><a class="wikilink" href="/n/xyz/" data-target="Autre" '
        'rel="noopener noreferrer">Autre</a></p></blockquote>'
    )
    assert "<h2>Cité</h2><p>Dans la citation.</p></blockquote>" in embedded("![[Guide#Cité]]")
    assert embedded("![[Guide#Étape 2]]").endswith("<h2>Étape 2</h2><p>Fin.</p></blockquote>")  # no footnotes
    assert embedded("![[Guide#^item]]").endswith("</p><ul><li>a</li></ul></blockquote>")
    assert embedded("![[Guide#^debut]]").endswith(
        '</p><p>Intro <a class="wikilink" href="/n/gid/#%C3%A9tape-2" rel="noopener noreferrer">Étape 2</a>'
        '<sup class="footnote-ref"><a href="/n/gid/#fn1" rel="noopener noreferrer">[1]</a></sup></p></blockquote>'
    )
    # A section or block it does not have: the link alone.
    assert embedded("![[Guide#Ailleurs]]") == (
        '<p><a class="wikilink" href="/n/gid/#ailleurs" data-target="Guide" rel="noopener noreferrer">'
        "Guide &gt; Ailleurs</a></p>"
    )
    # A note the reader may not read: the link alone (which their view has made a "create" link).
    assert embedded("![[Guide]]").startswith("<blockquote")
    assert squeeze(expand_embeds(html_of("![[Guide]]", Guide="gid"), {})).startswith('<p><a class="wikilink"')
