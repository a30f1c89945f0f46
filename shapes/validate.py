"""SHACL validation of a graph against shapes/*.ttl, with results a person can act on.

pySHACL runs without inference and without the ontology mixed in: the shapes check what a
record says, not what can be derived. SHACL Advanced Features are on for the SPARQL target
that picks papers' authors. Loaders validate every load with it (RDF files first,
built records in chunks, :mod:`coprokg.loaders.shacl`), and also check the shapes' per-record
constraints as they build records (with the messages here, :func:`message`) to report them early.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyshacl
from rdflib import Graph, Node, URIRef
from rdflib.namespace import RDF, SH

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


@lru_cache(maxsize=64)
def message(path: str, constraint: URIRef | None = None) -> str:
    """The sh:message of the property shape on ``path`` (an IRI), the one with ``constraint``
    (such as sh:minCount) when given: the sentence a librarian reads when a value breaks it."""
    shapes = shapes_graph()
    for shape in shapes.subjects(SH.path, URIRef(path)):
        text = shapes.value(shape, SH.message)
        if text is not None and (constraint is None or shapes.value(shape, constraint) is not None):
            return str(text)
    raise KeyError(f"no shape with a message for {path}")


def validate(data: Graph) -> list[Result]:
    """Every violation and warning of ``data`` against the shapes."""
    shapes = shapes_graph()
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True, inplace=True,
                                    allow_warnings=True, meta_shacl=False)
    results = []
    for result in report.objects(None, SH.result):
        path = report.value(result, SH.resultPath)
        field = _local_name(path) if isinstance(path, URIRef) else None
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


@lru_cache(maxsize=1)
def read_predicates() -> frozenset:
    """The predicates the shapes look at: their paths, and rdf:type for targets and sh:class.
    (No shape is sh:closed, so no other triple can change a result.)"""
    shapes = shapes_graph()
    paths = set(shapes.objects(None, SH.path)) | set(shapes.objects(None, SH.inversePath))
    return frozenset(p for p in paths if isinstance(p, URIRef)) | {RDF.type}


def validate_triples(triples) -> list[Result]:
    """Validate rdflib triples, leaving out those no shape reads (they cannot change a result)."""
    wanted = read_predicates()
    graph = Graph()
    graph += (t for t in triples if t[1] in wanted)
    return validate(graph)


def _local_name(iri: URIRef) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
