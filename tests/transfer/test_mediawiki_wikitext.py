"""Wikitext converted to Praxis Markdown: what a reader of the wiki saw, in the notes' own syntax."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest

import praxis.transfer.mediawiki.convert as convert
from praxis.markdown import render
from praxis.transfer.mediawiki import Converted, to_markdown_many


def to_markdown(wikitext: str, **options: Any) -> Converted:
    """One text through the converter the importer calls with many."""
    return to_markdown_many([wikitext], **options)[0]


FRENCH = {
    -2: "Média",
    1: "Discussion",
    2: "Utilisateur",
    4: "Wiki du Réseau",
    6: "Fichier",
    10: "Modèle",
    14: "Catégorie",
}
NBSP = "\u00a0"

EVERY_CONSTRUCT = """__TOC__
Les '''chantiers''' sont des espaces de ''collaboration'' entre [[Agent de développement|agents]] du [[réseau ADN]].<ref name="def">Définition revue en avril 2020.</ref>

== Fonctionnement ==
Voir [[Grille d'analyse#Critères|la grille]], [[Historique#Débuts]] et [[#Fonctionnement]].
[[Fichier:Schéma chantiers.png|vignette|300px|Le cycle d'un [[chantier]]]]
Un lien vers [[Utilisateur:Alice|Alice]], vers [[wikipedia:fr:Montréal|Montréal]] et vers la [[:Catégorie:Chantiers|catégorie]].

=== Étapes ===
# Idéation
## Prototypage
## Pitch
# Création
* Besoin collectif
** besoin du milieu
; Chantier : espace de travail collaboratif
; Cercle
: groupe thématique

Lire [https://reseau-adn.ca le site du réseau] ou https://exemple.org/page.
{| class="wikitable"
|+ Les chantiers en 2020
! Chantier !! Membres
|-
| [[Données ouvertes|Données]] || 12
|-
| Médiation || 8<ref name="def" />
|}
Une source<ref>{{Lien web|url=https://exemple.org/rapport|titre=Rapport annuel|site=Réseau ADN|date=2020}}</ref>.
<references />
<nowiki>[[pas un lien]]</nowiki> et <code>make run</code>.
<syntaxhighlight lang="python">
print("bonjour")
</syntaxhighlight>
{{Citation|Un chantier répond à un besoin collectif}}, le {{date|14|mai|2019}}.
{{Infobox chantier
| nom = Données
| membres = 12
}}
<gallery>
Fichier:Atelier 1.jpg|Premier atelier
Atelier 2.jpg
</gallery>
[[Catégorie:Chantiers]]
[[Catégorie:Réseau ADN|Chantiers]]
"""


@pytest.fixture(scope="module")
def every() -> tuple:
    converted = to_markdown(EVERY_CONSTRUCT, namespaces=FRENCH)
    return converted, render(converted.markdown)


def test_headings_emphasis_and_lists(every: tuple) -> None:
    converted, rendered = every
    markdown = converted.markdown

    assert markdown.startswith("Les **chantiers** sont des espaces de *collaboration* entre ")
    assert "\n## Fonctionnement\n" in markdown and "\n### Étapes\n" in markdown
    assert "TOC" not in markdown
    html = " ".join(rendered.html.split())
    assert "<ol> <li>Idéation <ol> <li>Prototypage</li> <li>Pitch</li> </ol> </li> <li>Création</li> </ol>" in html
    assert "<ul> <li>Besoin collectif <ul> <li>besoin du milieu</li> </ul> </li> </ul>" in html
    # Definition lists: the term in bold before its definition.
    assert "- **Chantier** : espace de travail collaboratif\n- **Cercle** : groupe thématique\n" in markdown


def test_links_internal_other_namespaces_and_external(every: tuple) -> None:
    converted, rendered = every
    markdown = converted.markdown

    assert "entre [[Agent de développement|agents]] du [[réseau ADN]]." in markdown
    assert "Voir [[Grille d'analyse#Critères|la grille]], [[Historique#Débuts]] et [[#Fonctionnement]]." in markdown
    # A user page, another wiki, a category page: their text, as a reader saw it.
    assert "Un lien vers Alice, vers Montréal et vers la catégorie." in markdown
    assert "Lire [le site du réseau](https://reseau-adn.ca) ou <https://exemple.org/page>." in markdown
    assert converted.links == [
        "Agent de développement",
        "Réseau ADN",
        "Grille d'analyse",
        "Historique",
        "Chantier",
        "Données ouvertes",
    ]
    assert [w.target for w in rendered.wikilinks][:2] == ["Agent de développement", "réseau ADN"]


def test_files_and_categories(every: tuple) -> None:
    converted, _rendered = every
    markdown = converted.markdown

    assert "\n\n![[Schéma chantiers.png|300]]\n\n*Le cycle d'un [[chantier]]*\n\n" in markdown
    assert "\n\n![[Atelier 1.jpg]]\n\n*Premier atelier*\n\n![[Atelier 2.jpg]]\n\n" in markdown
    assert converted.files == ["Schéma chantiers.png", "Atelier 1.jpg", "Atelier 2.jpg"]
    assert converted.categories == ["Chantiers", "Réseau ADN"]
    assert "Catégorie" not in markdown.replace("catégorie", "")


def test_tables_and_footnotes(every: tuple) -> None:
    converted, rendered = every
    markdown = converted.markdown

    assert "*Les chantiers en 2020*\n\n| Chantier " in markdown
    assert "| [[Données ouvertes\\|Données]] | 12 " in markdown
    html = " ".join(rendered.html.split())
    assert "<th>Chantier</th> <th>Membres</th>" in html
    assert 'data-target="Données ouvertes" rel="noopener noreferrer">Données</a></td> <td>12</td>' in html
    # The named reference used twice is one footnote; <references /> is the renderer's business.
    assert markdown.count("[^1]") == 3 and markdown.count("[^2]") == 2 and "[^3]" not in markdown
    assert "\n[^1]: Définition revue en avril 2020.\n" in markdown
    assert markdown.endswith(f"\n[^2]: «{NBSP}[Rapport annuel](https://exemple.org/rapport){NBSP}», Réseau ADN, 2020\n")
    assert "references" not in markdown
    assert html.count('class="footnote-item"') == 2


def test_code_nowiki_and_templates(every: tuple) -> None:
    converted, rendered = every
    markdown = converted.markdown

    assert "\\[\\[pas un lien\\]\\] et `make run`." in markdown
    assert "pas un lien" not in [w.target for w in rendered.wikilinks]
    assert '\n```python\nprint("bonjour")\n```\n' in markdown
    assert f"«{NBSP}Un chantier répond à un besoin collectif{NBSP}», le 14 mai 2019." in markdown
    # A template Praxis cannot show: kept as written, as code, and reported.
    assert "\n```\n{{Infobox chantier\n| nom = Données\n| membres = 12\n}}\n```\n" in markdown
    assert converted.templates == ["Lien web", "Citation", "Date", "Infobox chantier"]
    assert converted.problems == ["template {{Infobox chantier}} kept as written"]


def test_preformatted_text_is_a_code_block() -> None:
    markdown = to_markdown("Avant :\n\n $ make run\n $ make test\n\n<pre>[[pas un lien]]\n  indenté</pre>").markdown

    assert markdown == "Avant :\n\n```\n$ make run\n$ make test\n```\n\n```\n[[pas un lien]]\n  indenté\n```\n"


def test_a_table_a_pipe_table_cannot_hold_is_flattened_and_reported() -> None:
    converted = to_markdown(
        '{| class="wikitable"\n! Nom !! Détails\n|-\n| rowspan="2" | Données\n|\n* un\n* deux\n|-\n| trois\n|-\n'
        '| colspan="2" | {{Note|x}}\n|}'
    )
    rows = [line for line in converted.markdown.splitlines() if line.startswith("| ")]

    assert [[cell.strip() for cell in row.strip("|").split(" | ")] for row in rows] == [
        ["Nom", "Détails"],
        ["Données", "un; deux"],
        ["", "trois"],
        ["`{{Note\\|x}}`", ""],
    ]
    assert converted.problems == [
        "template {{Note}} kept as written",
        "a table with merged cells or lists in cells was simplified",
    ]
    assert "<code>{{Note|x}}</code>" in render(converted.markdown).html


def test_line_breaks_in_cells_and_layout_templates() -> None:
    converted = to_markdown(
        "{{Ancre|haut}}{| class=wikitable\n! Lieu !! Date\n|-\n| Maison du développement<br />Montréal || 2024\n|}"
        "\n[[:Accueil]] {{Clr}}"
    )

    assert converted.markdown == (
        "| Lieu                             | Date |\n|----------------------------------|------|\n"
        "| Maison du développement Montréal | 2024 |\n\n[[Accueil]]\n"
    )
    assert converted.problems == [] and converted.links == ["Accueil"]


def test_stray_tags_are_text_as_on_the_wiki() -> None:
    converted = to_markdown("Une note</ref> perdue et <ref>une autre jamais fermée, si a < b.")

    assert converted.markdown == r"Une note\</ref\> perdue et \<ref\>une autre jamais fermée, si a \< b." + "\n"
    assert render(converted.markdown).html == (
        "<p>Une note&lt;/ref&gt; perdue et &lt;ref&gt;une autre jamais fermée, si a &lt; b.</p>\n"
    )


def test_images_inline_sizes_and_media_links() -> None:
    converted = to_markdown(
        "Un logo [[File:logo_adn.png|left|Texte de remplacement]] en ligne, "
        "[[Image:Carte.png|200x100px]] et [[Média:Rapport annuel.pdf|le rapport]]."
    )

    # An inline image's last option is its alternative text, not a caption: MediaWiki shows none.
    assert (
        converted.markdown == "Un logo ![[Logo adn.png]] en ligne, ![[Carte.png|200x100]] et ![[Rapport annuel.pdf]].\n"
    )
    assert converted.files == ["Logo adn.png", "Carte.png", "Rapport annuel.pdf"]


def test_what_is_not_shown_on_the_wiki_is_dropped() -> None:
    converted = to_markdown(
        "__NOTOC__{{DEFAULTSORT:Chantiers}}<!-- à revoir -->Texte<includeonly>caché</includeonly>"
        "<noinclude> visible</noinclude>.\n[[Catégorie:A]] [[Category:B|clé]]\nSuite."
    )

    assert converted.markdown == "Texte visible.\n\nSuite.\n"
    assert converted.categories == ["A", "B"]
    assert converted.templates == []


def test_poems_and_talk_page_indentation() -> None:
    converted = to_markdown(
        "<poem>\nUn vers\nDeux vers\n</poem>\n\nBonne idée. [[Utilisateur:Alice|Alice]] ([[Discussion utilisateur:Alice|discuter]])"
        "\n: D’accord. [[Utilisateur:Hélène|Hélène]]\n:: Moi aussi.",
        namespaces={**FRENCH, 3: "Discussion utilisateur"},
    )

    assert converted.markdown == (
        "Un vers\\\nDeux vers\n\nBonne idée. Alice (discuter)\n\n> D’accord. Hélène\n>\n> > Moi aussi.\n"
    )


def test_titles_keep_their_first_letter_on_a_case_sensitive_wiki() -> None:
    assert to_markdown("[[iPhone]] [[Catégorie:eBook]]").links == ["IPhone"]
    converted = to_markdown("[[iPhone]] [[Catégorie:eBook]]", case="case-sensitive")

    assert (converted.markdown, converted.links, converted.categories) == ("[[iPhone]]\n", ["iPhone"], ["eBook"])


def test_a_reference_never_given_is_reported() -> None:
    converted = to_markdown('Voir<ref name="absente" /> et<ref>Présente.</ref>.')

    assert converted.markdown == "Voir et[^1].\n\n[^1]: Présente.\n"
    assert converted.problems == ["footnote 1 is used but its text is never given"]


def test_decomposed_text_comes_back_composed() -> None:
    converted = to_markdown(unicodedata.normalize("NFD", "L’''économie'' [[Société d'État]] [[Catégorie:Économie]]"))

    assert converted.markdown == "L’*économie* [[Société d'État]]\n"
    assert converted.links == ["Société d'État"] and converted.categories == ["Économie"]


def test_many_at_once_is_one_at_a_time_and_a_broken_text_breaks_no_other() -> None:
    texts = [
        "Premier [[A]].",
        "{| class=x\n| a || b\n|-\n| c",  # never closed: MediaWiki closes it
        "<pre>jamais fermé",
        "Premier [[A]].",
        "",
        "Dernier<ref>note</ref>.",
    ]
    together = to_markdown_many(texts, workers=2)

    assert [c.markdown for c in together] == [to_markdown(text).markdown for text in texts]
    assert [c.markdown for c in together] == [
        "Premier [[A]].\n",
        "|     |     |\n|-----|-----|\n| a   | b   |\n| c   |     |\n",
        "\\<pre\\>jamais fermé\n",  # as MediaWiki shows a tag it cannot pair
        "Premier [[A]].\n",
        "",
        "Dernier[^1].\n\n[^1]: note\n",
    ]
    together[0].links.append("changed")
    assert together[3].links == ["A"]  # the same text twice: two results of their own


def test_a_history_converts_each_section_once(monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[str] = []
    run = convert._pandoc

    def recording(wikitext: str, marker: str) -> str:
        sent.append(wikitext)
        return run(wikitext, marker)

    monkeypatch.setattr(convert, "_pandoc", recording)
    intro = "Les chantiers du réseau.<ref>Source commune.</ref>\n"
    history = [
        intro + "== Histoire ==\nCréés en 2019.\n== Bilan ==\nÀ venir.",
        intro + "== Histoire ==\nCréés en mai 2019.\n== Bilan ==\nÀ venir.",
        intro + "== Histoire ==\nCréés en mai 2019.\n== Bilan ==\nDouze chantiers.",
    ]
    converted = to_markdown_many(history, workers=1)

    assert [c.markdown.split("\n\n")[2] for c in converted] == [
        "Créés en 2019.",
        "Créés en mai 2019.",
        "Créés en mai 2019.",
    ]
    assert converted[2].markdown.endswith("## Bilan\n\nDouze chantiers.\n\n[^1]: Source commune.\n")
    [batch] = sent
    for shared in ("Les chantiers du réseau.", "Source commune.", "== Histoire ==\nCréés en mai 2019.", "À venir."):
        assert batch.count(shared) == 1
