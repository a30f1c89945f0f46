"""The ontology's source files and the merged graph built from them."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pyoxigraph import RdfFormat, parse, serialize
from rdflib import Graph, URIRef
from rdflib.namespace import OWL

from coprokg.errors import CoprokgError
from coprokg.formats import Format
from coprokg.vocab import PREFIXES

ONTOLOGY_DIR = Path(__file__).resolve().parent
ONTOLOGY_IRI = URIRef("https://w3id.org/coproduction/ontology")


class OntologyError(CoprokgError):
    """The ontology sources cannot be read, or they fail a check."""

    kind = "ontology"


def source_files(directory: Path = ONTOLOGY_DIR) -> list[Path]:
    """The hand-edited Turtle sources, in a stable order."""
    return sorted(directory.glob("*.ttl"))


def merged_graph(paths: list[Path] | None = None) -> Graph:
    """One rdflib graph of every source file, with the project's prefixes bound.

    A Turtle syntax error is reported with its file and line.
    """
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for path in paths if paths is not None else source_files():
        try:
            graph.parse(path, format="turtle")
        except Exception as error:  # rdflib raises several unrelated types for bad Turtle
            raise OntologyError(
                f"cannot parse: {error}", where=str(path), hint="fix the Turtle syntax at the line shown"
            ) from None
    return graph


def stamp() -> tuple:
    """Names and modification times of the sources: changes whenever a source is edited."""
    return tuple((path.name, path.stat().st_mtime_ns) for path in source_files())


@lru_cache(maxsize=8)
def _serialized(fmt: Format, sources: tuple) -> bytes:
    triples = parse(merged_graph().serialize(format="nt", encoding="utf-8"), format=RdfFormat.N_TRIPLES)
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    return serialize(triples, format=fmt.serializer, prefixes=prefixes)


def serialized(fmt: Format) -> bytes:
    """The merged ontology in one of the RDF formats of ``coprokg.formats.GRAPH_FORMATS``."""
    return _serialized(fmt, stamp())


def version(graph: Graph | None = None) -> str:
    """The ontology's owl:versionInfo."""
    graph = graph if graph is not None else merged_graph()
    value = graph.value(ONTOLOGY_IRI, OWL.versionInfo)
    if value is None:
        raise OntologyError("the ontology has no owl:versionInfo", where=str(ONTOLOGY_IRI))
    return str(value)
