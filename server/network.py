"""The citation network around a paper or a concept, drawn on its page as SVG (no script):
an arc diagram. The works are rows ordered by year then label, each a dot with its label
linked to its page; each citation is an arc from the citing work to the work it cites, with
an arrow at the cited end. The layout depends on nothing but the graph, so the same graph
draws the same picture.

Around a paper: the paper, the works it cites and the works that cite it. Around a concept:
the works about it (``dcterms:subject``). Either way with every citation among them
(``rq/network-nodes.rq``, ``rq/network-edges.rq``); works with no citation among them are
left out, and a network without a citation is not drawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import NamedNode

from coprokg.server import papers
from coprokg.server.http import engine
from coprokg.server.ui import local_href

RQ = Path(__file__).parent / "rq"
MOST = 60  # works drawn at most: the ones with the most citations among them
ROW, TOP, WIDEST, LONGEST = 22, 16, 260, 34  # row height, top margin, widest arc, longest label (characters)


@dataclass
class Node:
    iri: str
    label: str
    title: str
    year: int | None
    href: str
    focus: bool
    y: int = 0


@dataclass
class Arc:
    citing: Node
    cited: Node
    path: str


def around(iri: str) -> dict | None:
    """The network around ``iri``, laid out, with the table it is drawn from; None without a citation."""
    focus = NamedNode(iri)
    pairs = [(row["citing"].value, row["cited"].value)
             for row in engine().solutions((RQ / "network-edges.rq").read_text(), {"focus": focus})]
    pairs = [(a, b) for a, b in pairs if a != b]
    if not pairs:
        return None
    found = list(engine().solutions((RQ / "network-nodes.rq").read_text(), {"focus": focus}))
    printed = papers.labels(row["node"].value for row in found if isinstance(row["node"], NamedNode))
    nodes = {}
    for row in found:
        node = row["node"].value
        title = row["title"].value if row["title"] is not None else ""
        label = printed.get(node) or (row["label"].value if row["label"] is not None else title or node.rsplit("/", 1)[-1])
        year = int(row["year"].value) if row["year"] is not None else None
        nodes[node] = Node(node, label, title, year, local_href(node), node == iri)
    degree: dict[str, int] = {}
    for a, b in pairs:
        degree[a], degree[b] = degree.get(a, 0) + 1, degree.get(b, 0) + 1
    shown = sorted((n for n in nodes if n in degree), key=lambda n: (not nodes[n].focus, -degree[n], n))[:MOST]
    rows = sorted((nodes[n] for n in shown), key=lambda node: (node.year is None, node.year or 0, node.label.casefold(), node.iri))
    for n, node in enumerate(rows):
        node.y = TOP + n * ROW
    dot = 20 + int(7 * min(LONGEST, max(len(node.label) for node in rows)))  # right of the longest label (12px text)
    arcs = [Arc(nodes[a], nodes[b], _arc(dot, nodes[a].y, nodes[b].y)) for a, b in sorted(pairs)
            if a in shown and b in shown]
    reach = max((_reach(arc.citing.y, arc.cited.y) for arc in arcs), default=0)
    return {"nodes": rows, "arcs": arcs, "total": len(degree), "dot": dot, "longest": LONGEST,
            "width": dot + int(reach * 0.75) + 24, "height": TOP + len(rows) * ROW}


def _reach(y1: int, y2: int) -> float:
    return min(WIDEST, 18 + abs(y2 - y1) * 1.1)


def _arc(x: int, y1: int, y2: int) -> str:
    """A curve from the citing work's dot (at ``x``) out to the right and back to the cited work's dot."""
    reach = _reach(y1, y2)
    return f"M{x + 5},{y1} C{x + reach:.0f},{y1} {x + reach:.0f},{y2} {x + 7},{y2}"
