"""Serialise a store answer in a negotiated format, cut at a row cap that is never silent.

SELECT rows and CONSTRUCT/DESCRIBE triples are read up to ``max_rows`` + 1: one more than
the cap tells whether the answer was cut. Solutions are written as SPARQL JSON results
(https://www.w3.org/TR/sparql11-results-json/) from the rows kept, and pyoxigraph turns
that into XML, CSV or TSV; triples are serialised by pyoxigraph directly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import islice

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    Triple,
    parse_query_results,
    serialize,
)

from coprokg import formats

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@dataclass(frozen=True)
class Answer:
    body: bytes
    media_type: str
    rows: int | None = None  # rows or triples written; None for ASK
    truncated: bool = False


def write(result, fmt: formats.Format, max_rows: int) -> Answer:
    """Serialise ``result`` (QuerySolutions, QueryBoolean or triples) in ``fmt``."""
    if isinstance(result, QueryBoolean):
        return Answer(formats.serialize(result, fmt), fmt.media_type)
    if isinstance(result, QuerySolutions):
        variables = [v.value for v in result.variables]
        rows = list(islice(result, max_rows + 1))
        kept = rows[:max_rows]
        document = json.dumps(
            {
                "head": {"vars": variables},
                "results": {"bindings": [_binding(row, variables) for row in kept]},
            }
        ).encode()
        if fmt.serializer != QueryResultsFormat.JSON:
            document = parse_query_results(document, QueryResultsFormat.JSON).serialize(format=fmt.serializer)
        return Answer(document, fmt.media_type, len(kept), len(rows) > max_rows)
    triples = list(islice(result, max_rows + 1))
    kept = triples[:max_rows]
    return Answer(serialize(kept, format=fmt.serializer), fmt.media_type, len(kept), len(triples) > max_rows)


def _binding(row, variables: list[str]) -> dict:
    binding = {}
    for name in variables:
        term = row[name]
        if term is not None:
            binding[name] = _term(term)
    return binding


def _term(term) -> dict:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        described = {"type": "literal", "value": term.value}
        if term.language:
            described["xml:lang"] = term.language
        elif term.datatype.value not in (XSD_STRING, RDF_LANG_STRING):
            described["datatype"] = term.datatype.value
        return described
    if isinstance(term, Triple):
        return {
            "type": "triple",
            "value": {"subject": _term(term.subject), "predicate": _term(term.predicate), "object": _term(term.object)},
        }
    raise TypeError(f"unexpected term {term!r}")
