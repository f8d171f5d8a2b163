"""The three-way merge of the editor's conflict screen."""

from praxis.merge import has_markers, merge_line, merge_texts

BASE = "Un.\n\nDeux.\n\nTrois."
LABELS = {"yours_label": "Votre version", "theirs_label": "Version actuelle (révision 2)"}


def test_changes_to_different_lines_are_merged_cleanly():
    merged = merge_texts(BASE, BASE.replace("Un.", "Un, mien."), BASE.replace("Trois.", "Trois, leur."), **LABELS)
    assert merged.clean and merged.text == "Un, mien.\n\nDeux.\n\nTrois, leur."


def test_changes_to_the_same_lines_are_kept_both_between_markers():
    merged = merge_texts(BASE, BASE.replace("Deux.", "Deux, mien."), BASE.replace("Deux.", "Deux, leur."), **LABELS)
    assert merged.conflicts == 1 and has_markers(merged.text)
    assert merged.text == (
        "Un.\n\n<<<<<<< Votre version\nDeux, mien.\n=======\nDeux, leur.\n>>>>>>> Version actuelle (révision 2)\n\nTrois."
    )


def test_the_same_change_on_both_sides_and_a_last_line_without_newline():
    assert merge_texts(BASE, BASE + " Fin.", BASE + " Fin.", **LABELS).text == BASE + " Fin."
    assert (
        merge_texts("", "a", "b", **LABELS).text
        == "<<<<<<< Votre version\na\n=======\nb\n>>>>>>> Version actuelle (révision 2)"
    )


def test_one_line_values_take_the_side_that_changed():
    assert merge_line("Titre", "Titre", "Leur titre") == "Leur titre"
    assert merge_line("Titre", "Mon titre", "Titre") == "Mon titre"
    assert merge_line("Titre", "Même", "Même") == "Même"
    assert merge_line("Titre", "Mon titre", "Leur titre") is None


def test_markers_are_found_only_as_whole_lines_in_order():
    assert not has_markers("a ======= b") and not has_markers(">>>>>>> x\n=======\n<<<<<<< y")
    assert has_markers("<<<<<<< HEAD\nx\n=======\ny\n>>>>>>> autre")
