"""Result formats as data: name, media type and pyoxigraph serializer, shared by CLI and server.

Every SPARQL answer is serialised by pyoxigraph; this table only says which serializer a
name or a media type stands for.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    serializer: QueryResultsFormat | RdfFormat
    aliases: tuple[str, ...] = ()
    media_aliases: tuple[str, ...] = ()  # other media types clients ask for it by

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.media_aliases)

    @property
    def for_solutions(self) -> bool:
        return isinstance(self.serializer, QueryResultsFormat)


RESULT_FORMATS = (
    # application/json too, as Fuseki and Oxigraph take it (grlc and many scripts send it).
    Format("json", "application/sparql-results+json", QueryResultsFormat.JSON, ("srj",), ("application/json",)),
    Format("xml", "application/sparql-results+xml", QueryResultsFormat.XML, ("srx",)),
    Format("csv", "text/csv", QueryResultsFormat.CSV),
    Format("tsv", "text/tab-separated-values", QueryResultsFormat.TSV),
)
GRAPH_FORMATS = (
    Format("turtle", "text/turtle", RdfFormat.TURTLE, ("ttl",)),
    Format("ntriples", "application/n-triples", RdfFormat.N_TRIPLES, ("nt",)),
    Format("jsonld", "application/ld+json", RdfFormat.JSON_LD, ("json-ld",)),
    Format("rdfxml", "application/rdf+xml", RdfFormat.RDF_XML, ("rdf", "xml")),
)
DATASET_FORMATS = (
    Format("nquads", "application/n-quads", RdfFormat.N_QUADS, ("nq",)),
    Format("trig", "application/trig", RdfFormat.TRIG),
)


def by_name(name: str, formats: tuple[Format, ...]) -> Format | None:
    name = name.lower()
    return next((f for f in formats if name == f.name or name in f.aliases), None)


def names(formats: tuple[Format, ...]) -> list[str]:
    return [f.name for f in formats]


def serialize(result, fmt: Format) -> bytes:
    """Serialise a store answer in ``fmt`` (a results format for SELECT/ASK, RDF otherwise)."""
    return result.serialize(format=fmt.serializer)


def is_solutions(result) -> bool:
    return isinstance(result, (QuerySolutions, QueryBoolean))
