"""RDF files (Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML), parsed by pyoxigraph after
the offline and depth checks of :mod:`coprokg.loaders.guard`. Graph names in TriG and N-Quads are not
kept: a load is one graph.

Typed literals must be of their datatype (:mod:`coprokg.loaders.literals`). Blank nodes are
replaced by skolem IRIs (RDF 1.1 Concepts, section 3.5) made from their content: rdflib's
canonical labelling (``rdflib.compare``, Hogan's RGDA1) names a blank node by what it says and
how it is linked, never by its place in the file, so the same blank-node author loaded again
from a file with any other byte changed is the same resource, not a second author.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, parse
from rdflib import BNode, Graph, Literal as RdfLiteral, URIRef
from rdflib.compare import to_canonical_graph

from coprokg.loaders.guard import check_jsonld_contexts, check_nesting, check_xml
from coprokg.loaders.literals import ill_typed
from coprokg.loaders.report import Origin, Report
from coprokg.loaders.source import BOM, Source
from coprokg.table import compact
from coprokg.vocab import VOCAB_BASE

GENID = VOCAB_BASE + ".well-known/genid/"

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
    triples = list(dict.fromkeys((q.subject, q.predicate, q.object) for q in quads))
    for s, p, o in triples:
        if isinstance(o, Literal) and ill_typed(o.value, o.datatype.value):
            report.error(Origin(source.name, key=s.value if isinstance(s, NamedNode) else f"_:{s.value}"),
                         f"the value is not a valid {compact(o.datatype)}", f"write a valid {compact(o.datatype)} "
                         "value, or give it another datatype (or none)", field=compact(p), value=o.value)
    if report.errors:
        return []
    return [RdfPart(source.origin, skolemised(triples))]


def skolemised(triples: list[tuple]) -> list[tuple]:
    """``triples`` with every blank node replaced by ``GENID`` and its canonical label."""
    if not any(isinstance(t, BlankNode) for s, _, o in triples for t in (s, o)):
        return triples
    terms = {}
    graph = Graph()
    for triple in triples:
        graph.add(tuple(_rdflib(term, terms) for term in triple))
    return [tuple(NamedNode(GENID + str(term)) if isinstance(term, BNode) else terms[term] for term in triple)
            for triple in to_canonical_graph(graph)]


def _rdflib(term, terms: dict):
    """``term`` as rdflib's, remembered in ``terms`` to be turned back exactly (lexical forms kept)."""
    if isinstance(term, BlankNode):
        return BNode(term.value)
    if isinstance(term, NamedNode):
        converted = URIRef(term.value)
    elif term.language:
        converted = RdfLiteral(term.value, lang=term.language, normalize=False)
    else:
        converted = RdfLiteral(term.value, datatype=URIRef(term.datatype.value), normalize=False)
    terms[converted] = term
    return converted

