"""A carnet as a graph: its notes and the links among them, and a layout to draw it."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
from sqlmodel import Session, col, select

from praxis import policy
from praxis.carnets import carnets
from praxis.models import CarnetEntry, Note, NoteLink
from praxis.notes import links
from praxis.schemas import Graph, GraphEdge, GraphNode
from praxis.urls import note_url

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


@dataclass
class Drawing:
    width: int
    height: int
    nodes: list[Placed]
    edges: list[tuple[Placed, Placed]]


LABEL_CHARS = 28
_CHAR_PX, _LINE_PX, _DOT_PX = 6.4, 22.0, 14.0


def label_width(title: str) -> float:
    """About how wide a node's dot and label are drawn (11 px sans-serif), for spacing."""
    return _DOT_PX + _CHAR_PX * min(len(title), LABEL_CHARS + 1)


def layout(graph: Graph) -> Drawing:
    """Place the nodes for an SVG that stays readable with hundreds of notes.

    Linked notes get a force layout (networkx's spring layout, the same for the same graph),
    scaled to a canvas that grows with their number, then spread until no two labels overlap;
    notes linked to nothing are set out below them in a grid, A to Z."""
    g = nx.Graph()
    g.add_nodes_from(node.id for node in graph.nodes)
    g.add_edges_from((e.source, e.target) for e in graph.edges)
    degree = dict(g.degree())
    linked = [node for node in graph.nodes if degree[node.id] > 0]
    alone = sorted((node for node in graph.nodes if degree[node.id] == 0), key=lambda node: node.title.casefold())
    margin = 20.0
    placed: dict[str, tuple[float, float]] = {}
    width = 960.0
    height = margin
    if linked:
        side = max(420.0, 160.0 * np.sqrt(len(linked)))
        width = max(width, side * 1.5)
        sub = g.subgraph(node.id for node in linked)
        raw = nx.spring_layout(sub, seed=7, iterations=80, k=2.0 / np.sqrt(len(linked)))
        pos = np.array([raw[node.id] for node in linked], dtype=float)
        span = np.ptp(pos, axis=0)
        span[span == 0] = 1.0
        pos = (pos - pos.min(axis=0)) / span * np.array([width - 2 * margin - 200, side]) + margin
        boxes = np.array([[label_width(node.title), _LINE_PX] for node in linked])
        pos = _spread(pos, boxes)
        pos -= pos.min(axis=0) - margin
        width = max(width, float((pos[:, 0] + boxes[:, 0]).max()) + margin)
        height = float(pos[:, 1].max()) + 2 * margin
        placed.update({node.id: (float(x), float(y)) for node, (x, y) in zip(linked, pos)})
    if alone:
        column = label_width("x" * (LABEL_CHARS + 1)) + 16
        columns = max(1, int((width - 2 * margin) // column))
        top = height + (2 * margin if linked else 0)
        for index, node in enumerate(alone):
            placed[node.id] = (margin + 6 + (index % columns) * column, top + (index // columns) * (_LINE_PX + 8))
        height = top + ((len(alone) - 1) // columns + 1) * (_LINE_PX + 8)
    nodes = [Placed(node, *placed[node.id], degree[node.id]) for node in graph.nodes]
    by_id = {p.node.id: p for p in nodes}
    return Drawing(int(width), int(height + margin), nodes, [(by_id[e.source], by_id[e.target]) for e in graph.edges])


def _spread(pos: np.ndarray, boxes: np.ndarray, rounds: int = 400) -> np.ndarray:
    """Move labels apart until none overlaps another. Each node's box starts at its dot and
    runs right over its label; overlapping pairs are pushed apart along the axis where they
    overlap least (vertically, mostly, as labels are wide)."""
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
            break
        vertical = oy <= ox
        sy = np.where(dy == 0, rng.choice([-1.0, 1.0], size=dy.shape), np.sign(dy))
        sx = np.where(dx == 0, rng.choice([-1.0, 1.0], size=dx.shape), np.sign(dx))
        move_y = np.where(hit & vertical, sy * (oy / 2 + 0.5), 0.0).sum(axis=1)
        move_x = np.where(hit & ~vertical, sx * (ox / 2 + 0.5), 0.0).sum(axis=1)
        pos[:, 0] += move_x * 0.9
        pos[:, 1] += move_y * 0.9
    return pos
