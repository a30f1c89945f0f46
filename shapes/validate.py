"""SHACL validation of a graph against shapes/*.ttl, with results a person can act on.

pySHACL runs without inference and without the ontology mixed in: the shapes check what a
record says, not what can be derived, so a graph of a few thousand records validates in
well under a second. Callers validate a load record chunk by record chunk.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
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


def validate(data: Graph) -> list[Result]:
    """Every violation and warning of ``data`` against the shapes."""
    shapes = shapes_graph()
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=False, inplace=True,
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


def validate_triples(triples: list[tuple]) -> list[Result]:
    graph = Graph()
    graph += triples
    return validate(graph)


class ChunkValidator:
    """Validates chunks of a large input in worker processes while the caller builds the next.

    Chunks are independent graphs (each record's triples with the people and journals it
    names). With ``parallel`` they go to one worker process per core (at most two), otherwise
    they are validated at once, here.
    """

    def __init__(self, parallel: bool = False):
        self.workers = min(2, os.cpu_count() or 1) if parallel else 1
        self._pool: ProcessPoolExecutor | None = None
        self._pending: list[Future | list[Result]] = []

    def submit(self, triples: list[tuple]) -> None:
        """Validate ``triples`` (those no shape reads are left out: half of a paper's, and the cost)."""
        wanted = read_predicates()
        triples = [t for t in triples if t[1] in wanted]
        if self.workers < 2:
            self._pending.append(validate_triples(triples))
            return
        if self._pool is None:
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
            self._pool = ProcessPoolExecutor(self.workers, mp_context=context)
        self._pending.append(self._pool.submit(validate_triples, triples))

    def results(self) -> list[Result]:
        try:
            return [r for item in self._pending for r in (item.result() if isinstance(item, Future) else item)]
        finally:
            self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


def _local_name(iri: URIRef) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
