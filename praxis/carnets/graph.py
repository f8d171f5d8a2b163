"""A carnet as a graph: its notes and the links among them, and a layout to draw it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from praxis import policy
from praxis.carnets import carnets
from praxis.models import CarnetEntry, Note, NoteLink
from praxis.notes import links
from praxis.schemas import Graph, GraphEdge, GraphNode
from praxis.urls import note_url

# networkx and numpy (a fifth of a second to import) only when a graph is laid out: imported by
# the functions below, not by every process that serves pages or runs a command.
if TYPE_CHECKING:
    import networkx as nx
    import numpy as np

MAX_CARNET_GRAPH = 500


def carnet_graph(*, session: Session, actor: policy.Actor, carnet_id: str) -> Graph:
    """The carnet's notes the reader sees and the links among them, each link as that reader
    sees it (a [[wikilink]] to a hidden note falls back as on the note's page)."""
    carnet, _ = carnets.load_readable(session, actor, carnet_id)
    notes = session.exec(
        select(Note.id, Note.title, Note.kind)
        .join(CarnetEntry, col(CarnetEntry.note_id) == Note.id)
        .where(col(CarnetEntry.carnet_id) == carnet.id, policy.visible_notes(actor))
        .order_by(col(CarnetEntry.pinned).desc(), col(CarnetEntry.position), col(Note.id))
        .limit(MAX_CARNET_GRAPH + 1)
    ).all()
    truncated = len(notes) > MAX_CARNET_GRAPH
    notes = notes[:MAX_CARNET_GRAPH]
    members = {note_id for note_id, _, _ in notes}
    rows = session.exec(
        select(NoteLink.source_id, NoteLink.target_id, NoteLink.target_title, NoteLink.origin).where(
            col(NoteLink.source_id).in_(list(members)), col(NoteLink.target_id).is_not(None)
        )
    ).all()
    edges: set[tuple[str, str]] = set()
    for (source_id, _, _, _), target in zip(rows, links.targets_as_seen(session, actor, rows)):
        if target is not None and target in members and target != source_id:
            edges.add((source_id, target))
    return Graph(
        nodes=[
            GraphNode(id=note_id, title=title, kind=kind, url=note_url(session, note_id))
            for note_id, title, kind in notes
        ],
        edges=[GraphEdge(source=a, target=b) for a, b in sorted(edges)],
        truncated=truncated,
    )


@dataclass
class Placed:
    node: GraphNode
    x: float
    y: float
    degree: int

    @property
    def radius(self) -> float:
        return _radius(self.degree)

    @property
    def lines(self) -> list[str]:
        """The title as drawn, on lines of at most LINE_CHARS characters (`label_lines`)."""
        return label_lines(self.node.title)

    @property
    def label(self) -> str:
        return " ".join(self.lines)

    @property
    def label_top(self) -> float:
        """The baseline of the label's first line: the lines stand centred on the mark."""
        return self.y + 4 - (len(self.lines) - 1) * _LEADING_PX / 2

    @property
    def reach(self) -> float:
        return _reach(self.node.kind, self.degree)

    @property
    def label_x(self) -> float:
        return self.x + self.reach + _GAP_PX

    @property
    def points(self) -> str:
        """The outline of a term (a diamond) or an organisation (a hexagon); notes are circles."""
        r = self.reach
        if self.node.kind == "term":
            corners = [(0.0, -r), (r, 0.0), (0.0, r), (-r, 0.0)]
        else:
            corners = [(r * math.cos(a), r * math.sin(a)) for a in (i * math.pi / 3 for i in range(6))]
        return " ".join(f"{self.x + dx:.1f},{self.y + dy:.1f}" for dx, dy in corners)

    @property
    def label_box(self) -> tuple[float, float, float, float]:
        """The label's own ground (left, top, width, height), drawn under it so that no edge
        crosses its words: from above its first line's capitals to below its last line."""
        width = _CHAR_PX * max(len(line) for line in self.lines) + 4
        return (self.label_x - 2, self.label_top - 11, width, (len(self.lines) - 1) * _LEADING_PX + 15)

    @property
    def box(self) -> tuple[float, float, float, float]:
        """What the node covers, its label included: left, top, width, height."""
        width, height = _extent(self.lines, self.reach)
        return (self.x - self.reach, self.y - height / 2, width, height)


@dataclass
class Drawing:
    width: int
    height: int
    nodes: list[Placed]
    edges: list[tuple[Placed, Placed]]


# Labels are drawn at 12 px (sans-serif): about 7 px a character, lines 14 px apart, a row of
# 22 px for a label of one line. They wrap on lines of 20 characters, three at most: narrow
# labels make a narrow drawing, which a phone shows at about its own size, labels readable.
LINE_CHARS, MAX_LINES = 20, 3
_CHAR_PX, _LINE_PX, _LEADING_PX, _GAP_PX, _MARGIN = 7.0, 22.0, 14.0, 5.0, 16.0


def label_lines(title: str) -> list[str]:
    """A title on lines of at most LINE_CHARS characters, cut between words (a longer word is
    cut too); past MAX_LINES lines the last one ends with "…" (the full title is the node's
    tooltip, and the list of links beside the graph gives it whole)."""
    words: list[str] = []
    for word in title.split():  # French punctuation stays with the word before it: "régional :"
        if words and word in (":", ";", "!", "?", "»"):
            words[-1] += " " + word
        else:
            words.append(word)
    lines: list[str] = []
    for word in words:
        while len(word) > LINE_CHARS:  # a word longer than a line fills lines of its own
            lines.append(word[: LINE_CHARS - 1] + "-")
            word = word[LINE_CHARS - 1 :]
        if lines and len(lines[-1]) + 1 + len(word) <= LINE_CHARS and not lines[-1].endswith("-"):
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > MAX_LINES:
        last = lines[MAX_LINES - 1]
        lines = lines[: MAX_LINES - 1] + [
            (last if len(last) < LINE_CHARS else last[: LINE_CHARS - 1]).rstrip("- ") + "…"
        ]
    return lines or [""]


def _extent(lines: list[str], reach: float) -> tuple[float, float]:
    """How wide and tall a node's mark and label are drawn: from the mark's left edge to the
    end of the longest line, and the mark's or the lines' height (the larger)."""
    width = 2 * reach + _GAP_PX + _CHAR_PX * max(len(line) for line in lines)
    return width, max(2 * reach, _LINE_PX + (len(lines) - 1) * _LEADING_PX)


def _radius(degree: int) -> float:
    return min(5.0 + degree, 12.0)


def _reach(kind: str, degree: int) -> float:
    """How far a mark reaches from its centre (a diamond or a hexagon a little more than a
    circle, to look as large)."""
    return _radius(degree) * (1.0 if kind == "note" else 1.3)


def label_width(title: str) -> float:
    """About how wide a node's mark and label are drawn at most (the largest mark), for spacing."""
    return _extent(label_lines(title), 12.0 * 1.3)[0]


def layout(graph: Graph) -> Drawing:
    """Place the nodes for an SVG that stays readable, from four notes to hundreds.

    Linked notes get a force layout (networkx's spring layout, the same for the same graph),
    scaled to an area that grows with their number and their labels, then spread until no two
    labels overlap; notes linked to nothing are set out below them in a grid, A to Z. The
    drawing is then fitted to what it holds, labels included, with a margin: no node outside
    the frame, no empty band."""
    import networkx as nx
    import numpy as np

    g = nx.Graph()
    g.add_nodes_from(node.id for node in graph.nodes)
    g.add_edges_from((e.source, e.target) for e in graph.edges)
    degree = dict(g.degree())
    linked = [node for node in graph.nodes if degree[node.id] > 0]
    alone = sorted((node for node in graph.nodes if degree[node.id] == 0), key=lambda node: node.title.casefold())
    placed: dict[str, tuple[float, float]] = {}
    bottom, width = 0.0, 0.0
    if linked:
        parts = [
            _component(g, [node for node in linked if node.id in part])
            for part in nx.connected_components(g.subgraph(n.id for n in linked))
        ]
        placed, width, bottom = _pack(parts)
    if alone:
        column = max(label_width(node.title) for node in alone) + 12
        row = max(_extent(label_lines(node.title), 12.0 * 1.3)[1] for node in alone) + 8
        square = int(np.ceil(np.sqrt(len(alone) * row / column)))  # about as wide as tall
        columns = max(1, min(len(alone), max(int(width // column), square)))
        for index, node in enumerate(alone):
            placed[node.id] = ((index % columns) * column, bottom + (index // columns) * row)
    nodes = [Placed(node, *placed[node.id], degree[node.id]) for node in graph.nodes]
    if nodes:  # fit the drawing to its nodes and their labels
        boxes_ = np.array([p.box for p in nodes])
        left, top = boxes_[:, 0].min(), boxes_[:, 1].min()
        right, low = (boxes_[:, 0] + boxes_[:, 2]).max(), (boxes_[:, 1] + boxes_[:, 3]).max()
        for p in nodes:
            p.x, p.y = p.x - left + _MARGIN, p.y - top + _MARGIN
        size = (int(np.ceil(right - left + 2 * _MARGIN)), int(np.ceil(low - top + 2 * _MARGIN)))
    else:
        size = (0, 0)
    by_id = {p.node.id: p for p in nodes}
    return Drawing(*size, nodes, [(by_id[e.source], by_id[e.target]) for e in graph.edges])


def _component(g: nx.Graph, nodes: list[GraphNode]) -> tuple[dict[str, tuple[float, float]], float, float]:
    """One group of linked notes laid out on its own: their places (the top left of what they
    cover at 0, 0), its width and its height."""
    import numpy as np

    degree = dict(g.degree())
    boxes = np.array([_extent(label_lines(n.title), _reach(n.kind, degree[n.id])) for n in nodes])
    # Spread as boxes starting at their marks' centres: each as wide as the largest mark more,
    # so that boxes apart there are apart as drawn, whatever their marks' sizes.
    boxes[:, 0] += 12.0 * 1.3
    # Tight at first (about half a label's width and two lines a node): spreading the labels
    # apart then makes room where it is needed, and a phone shows a compact drawing.
    side = np.sqrt(len(nodes) * boxes[:, 0].mean() / 2 * _LINE_PX * 2.5)
    pos = _forces(g.subgraph(node.id for node in nodes), [node.id for node in nodes])
    span = np.ptp(pos, axis=0)
    span[span == 0] = 1.0
    pos = _spread((pos - pos.min(axis=0)) / span * side, boxes)
    pos -= np.array([pos[:, 0].min(), (pos[:, 1] - boxes[:, 1] / 2).min()])
    width = float((pos[:, 0] + boxes[:, 0]).max())
    height = float((pos[:, 1] + boxes[:, 1] / 2).max())
    return {node.id: (float(x), float(y)) for node, (x, y) in zip(nodes, pos)}, width, height


def _forces(sub: nx.Graph, order: list[str]) -> np.ndarray:
    """A force layout of a group of linked notes (networkx's spring layout, the same for the same
    group), as an array in `order`. From 500 nodes networkx needs scipy, which Praxis does not
    install: there the same algorithm runs on a dense matrix."""
    import networkx as nx
    import numpy as np

    k = 2.0 / np.sqrt(len(order))
    if len(order) < 500:
        raw = nx.spring_layout(sub, seed=7, iterations=80, k=k)
        return np.array([raw[node_id] for node_id in order], dtype=float)
    try:  # networkx's own dense routine: private, so a later networkx may move it
        from networkx.drawing.layout import _fruchterman_reingold
    except ImportError:  # a networkx that dropped it: a plainer drawing rather than an error
        raw = nx.circular_layout(sub)
        return np.array([raw[node_id] for node_id in order], dtype=float)

    nodes = list(sub.nodes)
    placed = _fruchterman_reingold(nx.to_numpy_array(sub, nodelist=nodes), k, None, None, 80, 1e-4, 2, 7)
    index = {node_id: i for i, node_id in enumerate(nodes)}
    return np.array([placed[index[node_id]] for node_id in order], dtype=float)


def _pack(parts: list[tuple[dict[str, tuple[float, float]], float, float]]) -> tuple[dict, float, float]:
    """Groups of linked notes side by side in rows (the largest first), the rows about as wide as
    the whole is tall: no wide empty band between two groups. Returns the places, the width and
    the bottom of the rows."""
    import numpy as np

    parts = sorted(parts, key=lambda part: (-len(part[0]), -part[2]))
    gap = 2 * _LINE_PX
    room = max(max(w for _, w, _ in parts), np.sqrt(sum(w * h for _, w, h in parts)) * 1.3)
    placed: dict[str, tuple[float, float]] = {}
    x = y = row = width = 0.0
    for places, w, h in parts:
        if x > 0 and x + w > room:
            x, y, row = 0.0, y + row + gap, 0.0
        placed.update({node_id: (x + px, y + py) for node_id, (px, py) in places.items()})
        x, row, width = x + w + gap, max(row, h), max(width, x + w)
    return placed, width, y + row + gap


def _spread(pos: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Move labels apart until none overlaps another; when pushing them apart does not settle
    (a crowded start), give the whole more room and push again."""

    for _ in range(12):
        pos, settled = _push(pos, boxes)
        if settled:
            break
        centre = pos.mean(axis=0)
        pos = centre + (pos - centre) * 1.2
    return pos


def _push(pos: np.ndarray, boxes: np.ndarray, rounds: int = 40) -> tuple[np.ndarray, bool]:
    """Push overlapping labels apart. Each node's box starts at its mark and runs right over
    its label; overlapping pairs are pushed apart along the axis where they overlap least
    (vertically, mostly, as labels are wide). Also says whether none overlaps any more."""
    import numpy as np

    rng = np.random.default_rng(7)
    pos = pos.copy()
    w, h = boxes[:, 0], boxes[:, 1]
    for _ in range(rounds):
        dx = pos[:, None, 0] - pos[None, :, 0]
        dy = pos[:, None, 1] - pos[None, :, 1]
        # overlap of i's and j's boxes along each axis (boxes span [x, x+w] and [y-h/2, y+h/2])
        ox = np.where(dx >= 0, w[None, :] - dx, w[:, None] + dx)
        oy = (h[:, None] + h[None, :]) / 2 - np.abs(dy)
        hit = (ox > 0) & (oy > 0)
        np.fill_diagonal(hit, False)
        if not hit.any():
            return pos, True
        vertical = oy <= ox
        sy = np.where(dy == 0, rng.choice([-1.0, 1.0], size=dy.shape), np.sign(dy))
        sx = np.where(dx == 0, rng.choice([-1.0, 1.0], size=dx.shape), np.sign(dx))
        move_y = np.where(hit & vertical, sy * (oy / 2 + 0.5), 0.0).sum(axis=1)
        move_x = np.where(hit & ~vertical, sx * (ox / 2 + 0.5), 0.0).sum(axis=1)
        pos[:, 0] += move_x * 0.9
        pos[:, 1] += move_y * 0.9
    return pos, False
