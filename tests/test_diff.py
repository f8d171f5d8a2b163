"""Word-level body diffs and field-level metadata diffs."""

from praxis.diff import changed_blocks, field_changes, readable_text, without_note_ids, word_diff


def test_word_diff_marks_only_the_changed_words():
    segments = word_diff("Le chantier est ouvert.\nDeuxième ligne.\n", "Le chantier est fermé.\nDeuxième ligne.\n")
    assert segments == [
        {"op": "equal", "text": "Le chantier est "},
        {"op": "delete", "text": "ouvert"},
        {"op": "insert", "text": "fermé"},
        {"op": "equal", "text": ".\nDeuxième ligne.\n"},
    ]


def test_word_diff_rebuilds_both_texts():
    before, after = "un deux trois\nquatre", "un trois\ncinq quatre six"
    segments = word_diff(before, after)
    assert "".join(s["text"] for s in segments if s["op"] != "insert") == before
    assert "".join(s["text"] for s in segments if s["op"] != "delete") == after


def test_large_changed_blocks_stay_correct():
    before = " ".join(f"mot{i}" for i in range(30_000))
    after = " ".join(f"autre{i}" for i in range(30_000))
    segments = word_diff(before, after)
    assert "".join(s["text"] for s in segments if s["op"] != "insert") == before
    assert "".join(s["text"] for s in segments if s["op"] != "delete") == after


def test_field_changes_lists_only_what_changed():
    changes = field_changes(
        {"title": "A", "licence": "CC0-1.0", "authors": ["a"]},
        {"title": "B", "licence": "CC0-1.0", "authors": ["a", "b"]},
    )
    assert changes == [
        {"field": "title", "before": "A", "after": "B"},
        {"field": "authors", "before": ["a"], "after": ["a", "b"]},
    ]


def test_adversarial_revisions_still_give_a_correct_diff():
    # Repetitive texts made SequenceMatcher quadratic; the bounded Myers diff stays correct.
    cases = [
        ("a b " * 3000, "a c " * 3000),
        ("x\n" * 8000, "y\n" * 8000),
        (" ".join(["le"] * 50_000), " ".join(["la"] * 50_000)),
    ]
    for before, after in cases:
        segments = word_diff(before, after)
        assert "".join(s["text"] for s in segments if s["op"] != "insert") == before
        assert "".join(s["text"] for s in segments if s["op"] != "delete") == after


def test_readable_text_is_the_rendering_as_read_one_block_per_paragraph():
    html = '<h2 id="t">Titre</h2>\n<p>Un <strong>mot</strong>\n&amp; <a href="/n/x/">lien</a>.<br>Ligne</p>\n<ul>\n<li>un</li>\n<li>deux</li>\n</ul>'
    assert readable_text(html) == "Titre\n\nUn mot & lien.\nLigne\n\n• un\n• deux"


def test_a_callouts_title_is_a_block_of_its_own():
    from praxis.markdown import render

    html = render("> [!faq]- Pourquoi ?\n> Parce que.\n\n::: tip\nAinsi.\n:::\n\nFin.").html
    assert readable_text(html) == "Pourquoi ?\n\nParce que.\n\nTip\n\nAinsi.\n\nFin."


def test_links_to_notes_by_id_show_their_label_alone():
    assert without_note_ids("Voir [[7vEf4-oLpUl5|ce document]] et [[Titre]].") == "Voir [[ce document]] et [[Titre]]."


def test_changed_blocks_keep_the_paragraphs_that_changed_and_count_the_others():
    before, after = "Un\n\nDeux trois\n\nQuatre\n\nCinq", "Un\n\nDeux quatre\n\nQuatre\n\nCinq\n\nSix"
    assert changed_blocks(word_diff(before, after)) == [
        {"unchanged": 1},
        {
            "segments": [
                {"op": "equal", "text": "Deux "},
                {"op": "delete", "text": "trois"},
                {"op": "insert", "text": "quatre"},
            ]
        },
        {"unchanged": 2},
        {"segments": [{"op": "insert", "text": "Six"}]},
    ]
