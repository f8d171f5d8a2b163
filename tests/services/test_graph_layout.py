"""The layout of a carnet's graph, without a database: every note and its label inside the
drawing, none over another, from a few notes to the 500 a graph draws at most."""

from __future__ import annotations

import random

from praxis.carnets.graph import LINE_CHARS, MAX_CARNET_GRAPH, MAX_LINES, label_lines, layout
from praxis.schemas import Graph, GraphEdge, GraphNode


def _graph(size: int, linked: int) -> Graph:
    chance = random.Random(1)
    nodes = [
        GraphNode(id=f"n{i}", title=f"Une note au titre assez long, numéro {i}", kind="note", url="/")
        for i in range(size)
    ]
    edges = {(f"n{i}", f"n{chance.randrange(i)}") for i in range(1, linked)}
    return Graph(nodes=nodes, edges=[GraphEdge(source=a, target=b) for a, b in sorted(edges)], truncated=False)


def _overlapping(drawing) -> int:  # type: ignore[no-untyped-def]
    boxes = [p.box for p in drawing.nodes]
    return sum(
        1
        for i, (x, y, w, h) in enumerate(boxes)
        for (u, v, s, t) in boxes[i + 1 :]
        if x < u + s and u < x + w and y < v + t and v < y + h
    )


def test_a_whole_graph_of_linked_notes_is_laid_out_inside_its_frame_without_overlaps():
    # From 500 linked notes networkx would need scipy, which Praxis does not install.
    for size, linked in ((4, 4), (60, 60), (MAX_CARNET_GRAPH, 120), (MAX_CARNET_GRAPH, MAX_CARNET_GRAPH)):
        drawing = layout(_graph(size, linked))
        assert len(drawing.nodes) == size
        for p in drawing.nodes:
            left, top, width, height = p.box
            assert left >= 0 and top >= 0 and left + width <= drawing.width and top + height <= drawing.height
        assert _overlapping(drawing) == 0, (size, linked)


def test_labels_wrap_on_short_lines_and_a_small_graph_fits_a_phone_at_its_own_size():
    assert label_lines("Clinique communautaire de Pointe-Saint-Charles") == [
        "Clinique",
        "communautaire de",
        "Pointe-Saint-Charles",
    ]
    assert label_lines("Un projet régional : l'inventaire") == ["Un projet régional :", "l'inventaire"]
    long = label_lines("Leçons d'un projet régional : l'inventaire numérique de l'Estuaire et de ses villages")
    assert len(long) == MAX_LINES and long[-1].endswith("…")
    assert all(len(line) <= LINE_CHARS for line in long + label_lines("Anticonstitutionnellement" * 3))
    # A phone's frame is about 350 px wide: a few notes are drawn there at their size, 12 px labels.
    assert layout(_graph(5, 4)).width <= 350
