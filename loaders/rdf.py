"""RDF files (Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML), parsed by pyoxigraph after
the offline and depth checks of :mod:`coprokg.loaders.guard`. Graph names in TriG and N-Quads are not
kept: a load is one graph."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pyoxigraph import RdfFormat, parse

from coprokg.loaders.guard import check_jsonld_contexts, check_nesting, check_xml
from coprokg.loaders.report import Origin, Report
from coprokg.loaders.source import BOM, Source

SYNTAX = {
    "turtle": RdfFormat.TURTLE, "trig": RdfFormat.TRIG, "ntriples": RdfFormat.N_TRIPLES,
    "nquads": RdfFormat.N_QUADS, "jsonld": RdfFormat.JSON_LD, "rdfxml": RdfFormat.RDF_XML,
}
_POSITION = re.compile(r"line (\d+) (?:between columns|column) (\d+)")


@dataclass
class RdfPart:
    """The triples of one RDF file (store terms), with the origin each subject is reported under."""

    origin: Origin
    triples: list[tuple] = field(default_factory=list)


def reader(syntax: str):
    """The read function of one RDF syntax (the registry holds one per syntax)."""

    def read(source: Source, report: Report) -> list[RdfPart]:
        return read_rdf(source, report, syntax)

    read.__doc__ = f"Read a {syntax} file."
    return read


def read_rdf(source: Source, report: Report, syntax: str) -> list[RdfPart]:
    source.text  # UTF-8 and not empty, or InvalidInput
    if syntax == "rdfxml":
        check_xml(source, report)
    elif syntax == "jsonld":
        check_nesting(source, report, "json")
        if not report.errors:
            check_jsonld_contexts(source, report)
    elif syntax in ("turtle", "trig"):
        check_nesting(source, report, "turtle")
    if report.errors:
        return []
    data = source.data[len(BOM):] if source.data.startswith(BOM) else source.data
    try:
        quads = list(parse(data, SYNTAX[syntax], base_iri=None, rename_blank_nodes=True))
    except SyntaxError as error:
        message = " ".join(str(error).split())
        found = _POSITION.search(message)
        origin = Origin(source.name, int(found[1])) if found else source.origin
        column = f" (column {found[2]})" if found else ""
        report.error(origin, f"{syntax} syntax error{column}: {message}", "fix the syntax at that place")
        return []
    if not quads:
        report.error(source.origin, "the file holds no triples", "nothing to load")
    return [RdfPart(source.origin, list(dict.fromkeys((q.subject, q.predicate, q.object) for q in quads)))]

