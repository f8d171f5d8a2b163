"""Word-level body diffs and field-level metadata diffs."""

from praxis.diff import field_changes, word_diff


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
