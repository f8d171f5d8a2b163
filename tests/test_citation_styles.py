"""Golden citations: each style in French and English, for one, two, three and 21+ authors, an
organisation, a page never published, accents and quotation marks in titles; and examples
reproduced from the published APA, MLA and Chicago guides."""

from __future__ import annotations

from datetime import date

import pytest

from praxis.citation import Person, Work, cite, person

SITE = "https://praxis.example.org"
ACCESSED = date(2025, 4, 21)
GERVAIS = Person("Maryse Gervais", "Gervais", "Maryse")
LAURENCE = Person("Marie-Hélène Laurence", "Laurence", "Marie-Hélène")
RIVARD = Person("Alice Rivard", "Rivard", "Alice")
RESEAU = Person("Réseau des agent·es de développement numérique")  # an organisation: one whole name
TITLE = "Merci de nous aider à vous aider"


def work(
    *authors: Person,
    title: str = TITLE,
    published: date | None = date(2024, 10, 30),
    archived: bool = False,
    site: str = "Praxis",
    url: str = f"{SITE}/n/abc123/",
) -> Work:
    return Work(
        id="abc123",
        kind="note",
        title=title,
        authors=authors,
        published=published,
        url=url,
        site_name=site,
        archived=archived,
    )


def text(w: Work, style: str, lang: str, accessed: date = ACCESSED) -> str:
    return cite(w, style, lang, accessed).text


def twenty_two() -> tuple[Person, ...]:
    return tuple(Person(f"Prénom{i} Nom{i}", f"Nom{i}", f"Prénom{i}") for i in range(1, 23))


# --- praxis -----------------------------------------------------------------------------------

PRAXIS = [
    ((GERVAIS,), "fr", f"Maryse Gervais. (2024). {TITLE}. Praxis (consulté le 21 avril 2025), {SITE}/n/abc123/."),
    (
        (GERVAIS, LAURENCE),
        "fr",
        f"Maryse Gervais, Marie-Hélène Laurence. (2024). {TITLE}. Praxis (consulté le 21 avril 2025), {SITE}/n/abc123/.",
    ),
    (
        (GERVAIS, LAURENCE, RIVARD),
        "en",
        f"Maryse Gervais, Marie-Hélène Laurence, Alice Rivard. (2024). {TITLE}. Praxis (accessed April 21, 2025), {SITE}/n/abc123/.",
    ),
    (
        (RESEAU,),
        "fr",
        f"Réseau des agent·es de développement numérique. (2024). {TITLE}. Praxis (consulté le 21 avril 2025), {SITE}/n/abc123/.",
    ),
    (
        (GERVAIS, LAURENCE),
        "en",
        f"Maryse Gervais, Marie-Hélène Laurence. (2024). {TITLE}. Praxis (accessed April 21, 2025), {SITE}/n/abc123/.",
    ),
    (
        (RESEAU,),
        "en",
        f"Réseau des agent·es de développement numérique. (2024). {TITLE}. Praxis (accessed April 21, 2025), {SITE}/n/abc123/.",
    ),
]


@pytest.mark.parametrize(("authors", "lang", "expected"), PRAXIS)
def test_praxis_style(authors, lang, expected):
    assert text(work(*authors), "praxis", lang) == expected


def test_praxis_style_names_every_author_in_order_and_dates_the_first_of_the_month_the_french_way():
    cited = text(work(*twenty_two()), "praxis", "fr", date(2025, 5, 1))
    names = ", ".join(f"Prénom{i} Nom{i}" for i in range(1, 23))
    assert cited == f"{names}. (2024). {TITLE}. Praxis (consulté le 1er mai 2025), {SITE}/n/abc123/."
    assert text(work(GERVAIS), "praxis", "en", date(2025, 5, 1)).endswith(
        "Praxis (accessed May 1, 2025), https://praxis.example.org/n/abc123/."
    )
    assert (
        text(work(*twenty_two()), "praxis", "en")
        == f"{names}. (2024). {TITLE}. Praxis (accessed April 21, 2025), {SITE}/n/abc123/."
    )


def test_praxis_style_of_a_note_never_published_and_a_title_ending_with_a_question_mark():
    w = work(RIVARD, title="Qu’est-ce qu’un « chantier »?", published=None)
    assert (
        text(w, "praxis", "fr")
        == f"Alice Rivard. (s. d.). Qu’est-ce qu’un « chantier »? Praxis (consulté le 21 avril 2025), {SITE}/n/abc123/."
    )
    assert (
        text(w, "praxis", "en")
        == f"Alice Rivard. (n.d.). Qu’est-ce qu’un « chantier »? Praxis (accessed April 21, 2025), {SITE}/n/abc123/."
    )


# --- APA 7 ------------------------------------------------------------------------------------

APA = [
    (
        (GERVAIS,),
        "en",
        f"Gervais, M. (2024, October 30). {TITLE}. Praxis. Retrieved April 21, 2025, from {SITE}/n/abc123/",
    ),
    (
        (GERVAIS,),
        "fr",
        f"Gervais, M. (2024, 30 octobre). {TITLE}. Praxis. Consulté le 21 avril 2025 à l'adresse {SITE}/n/abc123/",
    ),
    (
        (GERVAIS, LAURENCE),
        "en",
        f"Gervais, M., & Laurence, M.-H. (2024, October 30). {TITLE}. Praxis. Retrieved April 21, 2025, from {SITE}/n/abc123/",
    ),
    (
        (GERVAIS, LAURENCE),
        "fr",
        f"Gervais, M. et Laurence, M.-H. (2024, 30 octobre). {TITLE}. Praxis. Consulté le 21 avril 2025 à l'adresse {SITE}/n/abc123/",
    ),
    (
        (GERVAIS, LAURENCE, RIVARD),
        "en",
        f"Gervais, M., Laurence, M.-H., & Rivard, A. (2024, October 30). {TITLE}. Praxis. Retrieved April 21, 2025, from {SITE}/n/abc123/",
    ),
    (
        (GERVAIS, LAURENCE, RIVARD),
        "fr",
        f"Gervais, M., Laurence, M.-H. et Rivard, A. (2024, 30 octobre). {TITLE}. Praxis. Consulté le 21 avril 2025 à l'adresse {SITE}/n/abc123/",
    ),
    (
        (RESEAU,),
        "fr",
        f"Réseau des agent·es de développement numérique. (2024, 30 octobre). {TITLE}. Praxis. Consulté le 21 avril 2025 à l'adresse {SITE}/n/abc123/",
    ),
]


@pytest.mark.parametrize(("authors", "lang", "expected"), APA)
def test_apa_style(authors, lang, expected):
    assert text(work(*authors), "apa", lang) == expected


def test_apa_cites_a_revision_by_its_permanent_link_without_a_retrieval_date():
    w = work(GERVAIS, LAURENCE, archived=True, url=f"{SITE}/n/abc123/?rev=4")
    assert (
        text(w, "apa", "fr")
        == f"Gervais, M. et Laurence, M.-H. (2024, 30 octobre). {TITLE}. Praxis. {SITE}/n/abc123/?rev=4"
    )
    assert (
        text(w, "apa", "en")
        == f"Gervais, M., & Laurence, M.-H. (2024, October 30). {TITLE}. Praxis. {SITE}/n/abc123/?rev=4"
    )


def test_apa_lists_nineteen_authors_an_ellipsis_and_the_last():
    cited = text(work(*twenty_two(), archived=True), "apa", "fr")
    first = ", ".join(f"Nom{i}, P." for i in range(1, 20))
    assert cited == f"{first}, ... Nom22, P. (2024, 30 octobre). {TITLE}. Praxis. {SITE}/n/abc123/"
    assert ", Nom19, P., . . . Nom22, P. (2024, October 30)." in text(work(*twenty_two(), archived=True), "apa", "en")
    assert text(work(*twenty_two()), "apa", "en") == (
        f"{first}, . . . Nom22, P. (2024, October 30). {TITLE}. Praxis. Retrieved April 21, 2025, from {SITE}/n/abc123/"
    )
    assert text(work(*twenty_two()[:20], archived=True), "apa", "en").startswith(
        ", ".join(f"Nom{i}, P." for i in range(1, 20)) + ", & Nom20, P. (2024"
    )


def test_apa_never_published_first_of_the_month_and_italic_title():
    w = work(RIVARD, published=None, title="L’économie « sociale » en 2024 : bilan")
    assert text(w, "apa", "fr") == (
        f"Rivard, A. (s. d.). L’économie « sociale » en 2024 : bilan. Praxis. Consulté le 21 avril 2025 à l'adresse {SITE}/n/abc123/"
    )
    assert text(work(RIVARD, published=date(2024, 5, 1)), "apa", "fr").startswith("Rivard, A. (2024, 1er mai). ")
    html = cite(w, "apa", "en", ACCESSED).html
    assert "<i>L’économie « sociale » en 2024 : bilan</i>. Praxis. Retrieved April 21, 2025, from " in html
    assert html.endswith(f'<a href="{SITE}/n/abc123/">{SITE}/n/abc123/</a>')


def test_apa_examples_of_the_published_guides():
    # APA Style, "Webpage on a news website" (apastyle.apa.org, reference examples).
    bologna = Work(
        id="x",
        kind="note",
        title="Why some people with anxiety love watching horror movies",
        authors=(Person("C. Bologna", "Bologna", "C."),),
        published=date(2019, 10, 31),
        url="https://www.huffpost.com/entry/anxiety-love-watching-horror-movies_l_5d277587e4b02a5a5d57b59e",
        site_name="HuffPost",
        archived=True,
    )
    assert text(bologna, "apa", "en") == (
        "Bologna, C. (2019, October 31). Why some people with anxiety love watching horror movies. HuffPost. "
        "https://www.huffpost.com/entry/anxiety-love-watching-horror-movies_l_5d277587e4b02a5a5d57b59e"
    )
    # APA Style, a page designed to change, with a retrieval date (Publication Manual §9.16).
    census = Work(
        id="x",
        kind="note",
        title="U.S. and world population clock",
        authors=(Person("U.S. Census Bureau"),),
        published=None,
        url="https://www.census.gov/popclock/",
        site_name="U.S. Department of Commerce",
    )
    assert text(census, "apa", "en", date(2019, 7, 3)) == (
        "U.S. Census Bureau. (n.d.). U.S. and world population clock. U.S. Department of Commerce. "
        "Retrieved July 3, 2019, from https://www.census.gov/popclock/"
    )
    # The 21-author example of the Publication Manual (§9.8), particles and accents included.
    names = [
        ("Wiskunde", "B."),
        ("Arslan", "M."),
        ("Fischer", "P."),
        ("Nowak", "L."),
        ("Van den Berg", "O."),
        ("Coetzee", "L."),
        ("Juárez", "U."),
        ("Riyaziyyat", "E."),
        ("Wang", "C."),
        ("Zhang", "I."),
        ("Li", "P."),
        ("Yang", "R."),
        ("Kumar", "B."),
        ("Xu", "A."),
        ("Martinez", "R."),
        ("McIntosh", "V."),
        ("Ibáñez", "L. M."),
        ("Mäkinen", "G."),
        ("Virtanen", "E."),
        ("Kovács", "H."),
        ("Kovács", "A."),
    ]
    many = tuple(Person(f"{g} {f}", f, g) for f, g in names)
    assert text(work(*many, archived=True), "apa", "en").startswith(
        "Wiskunde, B., Arslan, M., Fischer, P., Nowak, L., Van den Berg, O., Coetzee, L., Juárez, U., Riyaziyyat, E., "
        "Wang, C., Zhang, I., Li, P., Yang, R., Kumar, B., Xu, A., Martinez, R., McIntosh, V., Ibáñez, L. M., "
        "Mäkinen, G., Virtanen, E., . . . Kovács, A. (2024"
    )
    # French adaptation (Couture, "Une adaptation française des normes bibliographiques de l'APA",
    # 7e éd.): the day before the month, "et" between the last two authors (UQAT guide).
    couture = Work(
        id="x",
        kind="note",
        title="Une adaptation française des normes bibliographiques de l'APA – 7e édition",
        authors=(Person("Marc Couture", "Couture", "Marc"),),
        published=date(2021, 5, 17),
        url="http://profmcouture.ca/apa",
        site_name="Site de l'auteur",
        archived=True,
    )
    assert text(couture, "apa", "fr") == (
        "Couture, M. (2021, 17 mai). Une adaptation française des normes bibliographiques de l'APA – 7e édition. "
        "Site de l'auteur. http://profmcouture.ca/apa"
    )
    two = work(Person("Rachel Bergeron", "Bergeron", "Rachel"), Person("Brigitte Lachance", "Lachance", "Brigitte"))
    assert text(two, "apa", "fr").startswith("Bergeron, R. et Lachance, B. (2024, 30 octobre).")
    # UQAM's APA guide (style-apa.uqam.ca, "Personne autrice : règles générales"), names as signed.
    krech = work(
        person("David Krech"), person("Mark R. Rosenzweig"), person("Edward L. Bennett"), published=date(1966, 6, 1)
    )
    assert text(krech, "apa", "fr").startswith("Krech, D., Rosenzweig, M. R. et Bennett, E. L. (1966, 1er juin).")


def test_apa_leaves_out_the_site_when_it_is_the_author():
    w = Work(
        id="x",
        kind="note",
        title="Charte",
        authors=(Person("Praxis"),),
        published=date(2024, 1, 5),
        url=f"{SITE}/n/x/",
        site_name="Praxis",
        archived=True,
    )
    assert text(w, "apa", "fr") == f"Praxis. (2024, 5 janvier). Charte. {SITE}/n/x/"


# --- MLA 9 ------------------------------------------------------------------------------------

MLA = [
    (
        (GERVAIS,),
        "en",
        f"Gervais, Maryse. “{TITLE}.” Praxis, 30 Oct. 2024, praxis.example.org/n/abc123/. Accessed 21 Apr. 2025.",
    ),
    (
        (GERVAIS,),
        "fr",
        f"Gervais, Maryse. «\u00a0{TITLE}\u00a0». Praxis, 30 octobre 2024, praxis.example.org/n/abc123/. Consulté le 21 avril 2025.",
    ),
    (
        (GERVAIS, LAURENCE),
        "en",
        f"Gervais, Maryse, and Marie-Hélène Laurence. “{TITLE}.” Praxis, 30 Oct. 2024, praxis.example.org/n/abc123/. Accessed 21 Apr. 2025.",
    ),
    (
        (GERVAIS, LAURENCE),
        "fr",
        f"Gervais, Maryse et Marie-Hélène Laurence. «\u00a0{TITLE}\u00a0». Praxis, 30 octobre 2024, praxis.example.org/n/abc123/. Consulté le 21 avril 2025.",
    ),
    (
        (GERVAIS, LAURENCE, RIVARD),
        "en",
        f"Gervais, Maryse, et al. “{TITLE}.” Praxis, 30 Oct. 2024, praxis.example.org/n/abc123/. Accessed 21 Apr. 2025.",
    ),
    (
        (GERVAIS, LAURENCE, RIVARD),
        "fr",
        f"Gervais, Maryse, et al. «\u00a0{TITLE}\u00a0». Praxis, 30 octobre 2024, praxis.example.org/n/abc123/. Consulté le 21 avril 2025.",
    ),
    (
        (RESEAU,),
        "en",
        f"Réseau des agent·es de développement numérique. “{TITLE}.” Praxis, 30 Oct. 2024, praxis.example.org/n/abc123/. Accessed 21 Apr. 2025.",
    ),
    (
        (RESEAU,),
        "fr",
        f"Réseau des agent·es de développement numérique. «\u00a0{TITLE}\u00a0». Praxis, 30 octobre 2024, praxis.example.org/n/abc123/. "
        "Consulté le 21 avril 2025.",
    ),
]


@pytest.mark.parametrize(("authors", "lang", "expected"), MLA)
def test_mla_style(authors, lang, expected):
    assert text(work(*authors), "mla", lang) == expected


def test_mla_many_authors_no_date_quotes_within_the_title_and_the_published_example():
    assert text(work(*twenty_two(), published=None), "mla", "en") == (
        f"Nom1, Prénom1, et al. “{TITLE}.” Praxis, praxis.example.org/n/abc123/. Accessed 21 Apr. 2025."
    )
    assert text(work(*twenty_two()), "mla", "fr") == (
        f"Nom1, Prénom1, et al. «\u00a0{TITLE}\u00a0». Praxis, 30 octobre 2024, praxis.example.org/n/abc123/. Consulté le 21 avril 2025."
    )
    assert text(work(GERVAIS, published=None), "mla", "fr") == (
        f"Gervais, Maryse. «\u00a0{TITLE}\u00a0». Praxis, praxis.example.org/n/abc123/. Consulté le 21 avril 2025."
    )
    quoted = work(RIVARD, title='Le mot "commun" et ses “usages”', published=date(2024, 9, 2), archived=True)
    assert (
        text(quoted, "mla", "en")
        == "Rivard, Alice. “Le mot ‘commun’ et ses ‘usages.’” Praxis, 2 Sept. 2024, praxis.example.org/n/abc123/."
    )
    assert text(work(RIVARD, title="“Quoted.”"), "mla", "en").startswith("Rivard, Alice. “‘Quoted.’” Praxis,")
    assert text(work(RIVARD, title='Why "commons"?'), "mla", "en").startswith("Rivard, Alice. “Why ‘commons’?” Praxis,")
    assert text(work(RIVARD, title='Le mot "commun"'), "mla", "fr").startswith(
        "Rivard, Alice. «\u00a0Le mot “commun”\u00a0». Praxis,"
    )
    french = work(RIVARD, title="Le « commun » en question?", archived=True)
    assert (
        text(french, "mla", "fr")
        == "Rivard, Alice. «\u00a0Le “commun” en question?\u00a0» Praxis, 30 octobre 2024, praxis.example.org/n/abc123/."
    )
    assert "<i>Praxis</i>, 30 Oct. 2024, " in cite(work(GERVAIS), "mla", "en", ACCESSED).html
    # MLA Style Center / Purdue OWL: a page on a website.
    blog = Work(
        id="x",
        kind="note",
        title="The Reading Brain: Differences between Digital and Print",
        authors=(Person("Stefanie Hollmichel", "Hollmichel", "Stefanie"),),
        published=date(2013, 4, 25),
        url="https://somanybooksblog.com/2013/04/25/the-reading-brain-differences-between-digital-and-print/",
        site_name="So Many Books, So Little Time",
        archived=True,
    )
    assert text(blog, "mla", "en") == (
        "Hollmichel, Stefanie. “The Reading Brain: Differences between Digital and Print.” So Many Books, So Little Time, "
        "25 Apr. 2013, somanybooksblog.com/2013/04/25/the-reading-brain-differences-between-digital-and-print/."
    )


# --- Chicago author-date ----------------------------------------------------------------------

CHICAGO = [
    ((GERVAIS,), "en", f"Gervais, Maryse. 2024. “{TITLE}.” Praxis. October 30, 2024. {SITE}/n/abc123/."),
    ((GERVAIS,), "fr", f"Gervais, Maryse. 2024. «\u00a0{TITLE}\u00a0». Praxis. 30 octobre 2024. {SITE}/n/abc123/."),
    (
        (GERVAIS, LAURENCE),
        "en",
        f"Gervais, Maryse, and Marie-Hélène Laurence. 2024. “{TITLE}.” Praxis. October 30, 2024. {SITE}/n/abc123/.",
    ),
    (
        (GERVAIS, LAURENCE),
        "fr",
        f"Gervais, Maryse et Marie-Hélène Laurence. 2024. «\u00a0{TITLE}\u00a0». Praxis. 30 octobre 2024. {SITE}/n/abc123/.",
    ),
    (
        (GERVAIS, LAURENCE, RIVARD),
        "en",
        f"Gervais, Maryse, Marie-Hélène Laurence, and Alice Rivard. 2024. “{TITLE}.” Praxis. October 30, 2024. {SITE}/n/abc123/.",
    ),
    (
        (GERVAIS, LAURENCE, RIVARD),
        "fr",
        f"Gervais, Maryse, Marie-Hélène Laurence et Alice Rivard. 2024. «\u00a0{TITLE}\u00a0». Praxis. 30 octobre 2024. {SITE}/n/abc123/.",
    ),
    (
        (RESEAU,),
        "fr",
        f"Réseau des agent·es de développement numérique. 2024. «\u00a0{TITLE}\u00a0». Praxis. 30 octobre 2024. {SITE}/n/abc123/.",
    ),
]


@pytest.mark.parametrize(("authors", "lang", "expected"), CHICAGO)
def test_chicago_style(authors, lang, expected):
    assert text(work(*authors), "chicago", lang) == expected


def test_chicago_names_six_then_three_and_et_al_and_dates_access_only_without_a_date():
    six = twenty_two()[:6]
    assert text(work(*six), "chicago", "en").startswith(
        "Nom1, Prénom1, Prénom2 Nom2, Prénom3 Nom3, Prénom4 Nom4, Prénom5 Nom5, and Prénom6 Nom6. 2024."
    )
    assert text(work(*twenty_two()), "chicago", "fr").startswith(
        "Nom1, Prénom1, Prénom2 Nom2, Prénom3 Nom3, et al. 2024. «"
    )
    assert text(work(*twenty_two()), "chicago", "en") == (
        f"Nom1, Prénom1, Prénom2 Nom2, Prénom3 Nom3, et al. 2024. “{TITLE}.” Praxis. October 30, 2024. {SITE}/n/abc123/."
    )
    assert text(work(GERVAIS, published=None), "chicago", "fr") == (
        f"Gervais, Maryse. s. d. «\u00a0{TITLE}\u00a0». Praxis. Consulté le 21 avril 2025. {SITE}/n/abc123/."
    )
    # The Chicago Manual of Style's author-date guide: website content without a date.
    yale = Work(
        id="x",
        kind="note",
        title="About Yale: Yale Facts",
        authors=(Person("Yale University"),),
        published=None,
        url="https://www.yale.edu/about-yale/yale-facts",
        site_name="Yale University",
    )
    assert text(yale, "chicago", "en", date(2017, 5, 1)) == (
        "Yale University. n.d. “About Yale: Yale Facts.” Accessed May 1, 2017. https://www.yale.edu/about-yale/yale-facts."
    )


def test_chicago_quotation_marks_within_a_title_take_the_inner_form_in_both_languages():
    # CMOS 6.9 and 13.93: single quotation marks inside double ones, the period inside both in
    # American usage; in French, English quotation marks inside the guillemets, the period after.
    quoted = work(RIVARD, title='Le mot "commun" et ses “usages”')
    assert text(quoted, "chicago", "en") == (
        f"Rivard, Alice. 2024. “Le mot ‘commun’ et ses ‘usages.’” Praxis. October 30, 2024. {SITE}/n/abc123/."
    )
    assert text(quoted, "chicago", "fr") == (
        f"Rivard, Alice. 2024. «\u00a0Le mot “commun” et ses “usages”\u00a0». Praxis. 30 octobre 2024. {SITE}/n/abc123/."
    )


# --- no author, and HTML that stays text ------------------------------------------------------


def test_a_work_without_author_starts_with_its_title():
    w = work(title="Lexique des chantiers", archived=True)
    assert text(w, "apa", "fr") == f"Lexique des chantiers. (2024, 30 octobre). Praxis. {SITE}/n/abc123/"
    assert text(w, "praxis", "fr").startswith("Lexique des chantiers. (2024). Praxis (consulté le")
    assert text(w, "chicago", "en").startswith("“Lexique des chantiers.” 2024. Praxis.")


@pytest.mark.parametrize("style", ["praxis", "apa", "mla", "chicago"])
def test_markup_in_a_title_is_shown_as_text_never_as_html(style):
    w = work(Person("<b>Eve</b> & co"), title='<script>alert("x")</script> & <i>co</i>')
    html = cite(w, style, "fr", ACCESSED).html
    assert "<script>" not in html and "<b>" not in html and "<i>co</i>" not in html
    assert "&lt;script&gt;" in html and "&amp; co" in html


def test_person_splits_display_names_and_keeps_organisations_whole():
    assert person("Marie-Hélène Laurence") == LAURENCE
    assert person("Jean de La Fontaine") == Person("Jean de La Fontaine", "de La Fontaine", "Jean")
    assert person("Valérie d'Amours").family == "d'Amours"
    assert person("Pierre van den Berg").family == "van den Berg"
    assert person("Jean Paul Sartre") == Person("Jean Paul Sartre", "Sartre", "Jean Paul")
    assert person("Dr Jean Tremblay") == Person("Dr Jean Tremblay", "Tremblay", "Jean")
    assert person("Martin Luther King Jr.").inverted == "King, Martin Luther, Jr."
    assert person("Béatrice").whole  # a single name is never inverted
    assert person("Réseau des ADN", organisation=True) == Person("Réseau des ADN")
    # Someone whose display name splits badly says how to cite them.
    assert (
        person("Gabriel García Márquez", family="García Márquez", given="Gabriel").inverted == "García Márquez, Gabriel"
    )


def test_person_knows_french_titles_and_suffixes_and_maghrebi_particles():
    assert person("Jean Roy fils").inverted == "Roy, Jean, fils"
    assert person("Alexandre Dumas père") == Person("Alexandre Dumas père", "Dumas", "Alexandre", "père")
    assert person("Sœur Marie Roy") == Person("Sœur Marie Roy", "Roy", "Marie")
    assert person("Abbé Pierre").whole  # a name in religion: never inverted
    assert person("Mohamed El Amrani").family == "El Amrani" and person("Fatima Ben Ali").family == "Ben Ali"
    assert person("Nadia Aït Ahmed").family == "Aït Ahmed" and person("Ben Tremblay").family == "Tremblay"


def test_a_revision_is_dated_by_its_publication_in_every_style():
    w = Work(
        id="abc123",
        kind="note",
        title=TITLE,
        authors=(GERVAIS,),
        published=date(2024, 10, 30),
        url=f"{SITE}/n/abc123/?rev=3",
        site_name="Praxis",
        archived=True,
        revision=3,
    )
    assert text(w, "apa", "fr") == f"Gervais, M. (2024, 30 octobre). {TITLE}. Praxis. {SITE}/n/abc123/?rev=3"
    assert (
        text(w, "mla", "en") == f"Gervais, Maryse. “{TITLE}.” Praxis, 30 Oct. 2024, praxis.example.org/n/abc123/?rev=3."
    )
    assert text(w, "chicago", "en").startswith(f"Gervais, Maryse. 2024. “{TITLE}.” Praxis. October 30, 2024. ")
    assert text(w, "praxis", "fr").startswith("Maryse Gervais. (2024). ")
    assert "  date         = {2024-10-30},\n" in text(w, "bibtex", "fr") and "DA  - 2024/10/30\r\n" in text(
        w, "ris", "fr"
    )


def test_bibtex_keeps_and_inside_a_name_from_splitting_it():
    curie = Person("Marie and Pierre Curie", "Curie", "Marie and Pierre")
    assert "  author       = {Curie, {Marie and Pierre} and Laurence, Marie-Hélène},\n" in text(
        work(curie, LAURENCE), "bibtex", "fr"
    )


def test_apa_initials_keep_hyphens_accents_and_particles():
    w = work(person("Émilie-Anne Côté"), person("Jean de La Fontaine"), person("Jean Paul Sartre"), archived=True)
    assert text(w, "apa", "fr").startswith("Côté, É.-A., de La Fontaine, J. et Sartre, J. P. (2024")


# --- BibTeX, RIS, CSL-JSON ---------------------------------------------------------------------


def test_bibtex_golden_with_an_organisation_accents_and_quotation_marks():
    w = Work(
        id="abc123",
        kind="note",
        title="L’économie « sociale » : 100 % des “communs”?",
        authors=(GERVAIS, RESEAU, LAURENCE),
        published=date(2024, 10, 30),
        url=f"{SITE}/n/abc123/",
        site_name="Praxis",
        licence="CC-BY-SA-4.0",
    )
    expected = (
        "@misc{gervais2024economie-lgudseye,\n"  # the suffix: from "n/abc123" alone
        "  author       = {Gervais, Maryse and {Réseau des agent·es de développement numérique} and Laurence, Marie-Hélène},\n"
        "  title        = {{L’économie « sociale » : 100 \\% des “communs”?}},\n"
        "  howpublished = {Praxis},\n"
        "  year         = {2024},\n"
        "  month        = oct,\n"
        "  date         = {2024-10-30},\n"
        f"  url          = {{{SITE}/n/abc123/}},\n"
        "  urldate      = {2025-04-21},\n"
        "  language     = {french}\n"
        "}\n"
    )
    assert text(w, "bibtex", "fr") == expected == text(w, "bibtex", "en")
    assert cite(w, "bibtex", "fr", ACCESSED).media_type == "application/x-bibtex"


def test_bibtex_of_many_authors_and_of_a_note_never_published():
    many = text(work(*twenty_two(), published=None), "bibtex", "en")
    assert many.startswith(
        "@misc{nom1ndmerci-lgudseye,\n  author       = {"
        + " and ".join(f"Nom{i}, Prénom{i}" for i in range(1, 23))
        + "},\n"
    )
    assert "\n  year " not in many and "\n  date " not in many and "  urldate      = {2025-04-21},\n" in many
    single = text(work(GERVAIS), "bibtex", "fr")
    assert "  author       = {Gervais, Maryse},\n" in single
    two = text(work(GERVAIS, LAURENCE), "bibtex", "fr")
    assert "  author       = {Gervais, Maryse and Laurence, Marie-Hélène},\n" in two


def test_ris_golden_and_variants():
    w = work(GERVAIS, RESEAU, LAURENCE, title="L’économie « sociale »")
    expected = (
        "TY  - ELEC\r\nAU  - Gervais, Maryse\r\nAU  - Réseau des agent·es de développement numérique\r\n"
        "AU  - Laurence, Marie-Hélène\r\nTI  - L’économie « sociale »\r\nT2  - Praxis\r\nPY  - 2024\r\nDA  - 2024/10/30\r\n"
        f"Y2  - 2025/04/21\r\nUR  - {SITE}/n/abc123/\r\nLA  - fr\r\nER  - \r\n"
    )
    assert text(w, "ris", "fr") == expected == text(w, "ris", "en")
    undated = text(work(*twenty_two(), published=None), "ris", "fr")
    assert undated.count("\r\nAU  - ") == 22 and "PY  - " not in undated and "DA  - " not in undated
    assert text(work(GERVAIS), "ris", "en").count("AU  - ") == 1
    assert text(work(GERVAIS, LAURENCE), "ris", "en").count("AU  - ") == 2


def test_csl_json_golden_and_variants():
    import json

    w = work(GERVAIS, RESEAU, title="L’économie « sociale »")
    assert json.loads(text(w, "csl-json", "fr")) == [
        {
            "id": "abc123",
            "type": "webpage",
            "title": "L’économie « sociale »",
            "author": [
                {"family": "Gervais", "given": "Maryse"},
                {"literal": "Réseau des agent·es de développement numérique"},
            ],
            "container-title": "Praxis",
            "URL": f"{SITE}/n/abc123/",
            "accessed": {"date-parts": [[2025, 4, 21]]},
            "language": "fr",
            "issued": {"date-parts": [[2024, 10, 30]]},
        }
    ]
    assert text(w, "csl-json", "en") == text(w, "csl-json", "fr")
    three = json.loads(text(work(GERVAIS, LAURENCE, RIVARD), "csl-json", "en"))[0]
    assert three["author"] == [
        {"family": "Gervais", "given": "Maryse"},
        {"family": "Laurence", "given": "Marie-Hélène"},
        {"family": "Rivard", "given": "Alice"},
    ]
    undated = json.loads(text(work(*twenty_two(), published=None), "csl-json", "fr"))[0]
    assert "issued" not in undated and len(undated["author"]) == 22
    assert json.loads(text(work(person("Martin Luther King Jr.")), "csl-json", "fr"))[0]["author"] == [
        {"family": "King", "given": "Martin Luther", "suffix": "Jr."}
    ]
