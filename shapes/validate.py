"""SHACL validation of a graph against shapes/*.ttl, with results a person can act on.

pySHACL runs without inference and without the ontology mixed in: the shapes check what a
record says, not what can be derived, so a graph of a few thousand records validates in
well under a second. Callers validate a load record chunk by record chunk.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyshacl
from rdflib import Graph, Node, URIRef
from rdflib.namespace import RDFS, SH

SHAPES_DIR = Path(__file__).parent


@dataclass(frozen=True)
class Result:
    focus: Node
    path: Node | None
    field: str | None
    value: Node | None
    message: str
    severity: str  # "error" or "warning"


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    graph = Graph()
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def validate(data: Graph) -> list[Result]:
    """Every violation and warning of ``data`` against the shapes."""
    shapes = shapes_graph()
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=False, inplace=True,
                                    allow_warnings=True, meta_shacl=False)
    results = []
    for result in report.objects(None, SH.result):
        path = report.value(result, SH.resultPath)
        source_shape = report.value(result, SH.sourceShape)
        field = _local_name(path) if isinstance(path, URIRef) else (
            str(shapes.value(source_shape, RDFS.label)) if shapes.value(source_shape, RDFS.label) else None)
        messages = [str(m) for m in report.objects(result, SH.resultMessage)]
        severity = report.value(result, SH.resultSeverity)
        results.append(Result(
            focus=report.value(result, SH.focusNode),
            path=path,
            field=field,
            value=report.value(result, SH.value),
            message=messages[0] if messages else "does not satisfy the shapes",
            severity="error" if severity == SH.Violation else "warning",
        ))
    return results


def _local_name(iri: URIRef) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
