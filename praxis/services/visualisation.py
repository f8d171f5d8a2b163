"""A carnet as a graph: its notes and the links among them, and a layout to draw it."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
from sqlmodel import Session, select

from praxis import policy
from praxis.models import CarnetEntry, Note, NoteLink
from praxis.schemas import Graph, GraphEdge, GraphNode
from praxis.services import carnets, links
from praxis.services.urls import note_url

MAX_CARNET_GRAPH = 500


def carnet_graph(*, session: Session, actor: policy.Actor, carnet_id: str) -> Graph:
    """The carnet's notes the reader sees and the links among them, each link as that reader
    sees it (a [[wikilink]] to a hidden note falls back as on the note's page)."""
    carnet, _ = carnets.load_readable(session, actor, carnet_id)
    notes = session.exec(
        select(Note.id, Note.title, Note.kind)
        .join(CarnetEntry, CarnetEntry.note_id == Note.id)  # type: ignore[arg-type]
        .where(CarnetEntry.carnet_id == carnet.id, policy.visible_notes(actor))
        .order_by(CarnetEntry.pinned.desc(), CarnetEntry.position, Note.id)  # type: ignore[attr-defined]
        .limit(MAX_CARNET_GRAPH + 1)
    ).all()
    truncated = len(notes) > MAX_CARNET_GRAPH
    notes = notes[:MAX_CARNET_GRAPH]
    members = {n.id for n in notes}
    rows = session.exec(
        select(NoteLink.source_id, NoteLink.target_id, NoteLink.target_title, NoteLink.origin)
        .where(NoteLink.source_id.in_(list(members)), NoteLink.target_id.is_not(None))  # type: ignore[attr-defined,union-attr]
    ).all()
    visible = links.visible_ids(session, actor, list({r.target_id for r in rows}))
    hidden = [r.target_title for r in rows if r.target_id not in visible and r.origin == "wikilink" and r.target_title]
    fallback = links.resolver(session, actor)(list(dict.fromkeys(hidden))) if hidden else {}
    edges: set[tuple[str, str]] = set()
    for row in rows:
        target = row.target_id if row.target_id in visible else getattr(fallback.get(row.target_title or ""), "id", None)
        if target in members and target != row.source_id:
            edges.add((row.source_id, target))
    return Graph(
        nodes=[GraphNode(id=n.id, title=n.title, kind=n.kind, url=note_url(session, n.id)) for n in notes],
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


def layout(graph: Graph, *, min_gap: float = 26.0) -> Drawing:
    """Place the nodes for an SVG: a force layout (connected notes close together), scaled to a
    canvas that grows with the number of notes, then spread so that no two nodes sit closer than
    `min_gap` pixels. The same graph always gets the same drawing."""
    n = len(graph.nodes)
    side = int(max(480, 110 * np.sqrt(max(n, 1))))
    width, height = int(side * 1.4), side
    g = nx.Graph()
    g.add_nodes_from(node.id for node in graph.nodes)
    g.add_edges_from((e.source, e.target) for e in graph.edges)
    if n == 0:
        return Drawing(width, height, [], [])
    raw = nx.spring_layout(g, seed=7, iterations=100, k=1.6 / np.sqrt(n)) if n > 1 else {graph.nodes[0].id: np.zeros(2)}
    pos = np.array([raw[node.id] for node in graph.nodes], dtype=float)
    span = np.ptp(pos, axis=0)
    span[span == 0] = 1.0
    margin = 60.0
    pos = (pos - pos.min(axis=0)) / span * np.array([width - 2 * margin, height - 2 * margin]) + margin
    pos = _spread(pos, min_gap, (margin, width - margin), (margin, height - margin))
    degree = dict(g.degree())
    placed = [Placed(node, float(x), float(y), degree[node.id]) for node, (x, y) in zip(graph.nodes, pos)]
    by_id = {p.node.id: p for p in placed}
    return Drawing(width, height, placed, [(by_id[e.source], by_id[e.target]) for e in graph.edges])


def _spread(pos: np.ndarray, gap: float, xs: tuple[float, float], ys: tuple[float, float]) -> np.ndarray:
    """Push apart, a little at a time, every pair of nodes closer than `gap`."""
    rng = np.random.default_rng(7)
    for _ in range(300):
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.sqrt((delta**2).sum(axis=2))
        np.fill_diagonal(dist, np.inf)
        close = dist < gap
        if not close.any():
            break
        same = dist == 0
        if same.any():  # nodes on the very same spot: nudge them apart first
            pos += rng.normal(0, 0.5, pos.shape) * same.any(axis=1)[:, None]
            continue
        push = np.where(close, (gap - dist) / dist / 2, 0.0)
        pos = pos + (delta * push[:, :, None]).sum(axis=1)
        pos[:, 0] = pos[:, 0].clip(*xs)
        pos[:, 1] = pos[:, 1].clip(*ys)
    return pos
