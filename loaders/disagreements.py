"""Disagreements between sources, kept as data: no load overwrites a value another source gave.

A work, a person or a journal has at most one value of a single-valued property (a title, a
year, a volume, a name: ``terms.SINGLE_VALUED``) in a plain query. When a load gives such a
property a value other than the one the store holds, or two records merged in one load give two
values, the value loaded first stays the plain reading (the rule: first source, first value) and
the load writes, in its own graph, a ``cop:Disagreement``: the resource, the property, and one
``cop:Reading`` per value with the graph that asserts it and the record it was read from. The
first value is the disagreement's ``cop:defaultReading``. See the README, "Sources that disagree".
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from pyoxigraph import Literal, NamedNode

from coprokg.loaders.report import Origin
from coprokg.loaders.terms import BIBO, COP, DCTERMS, RDF, year

# Fields of a record (loaders.work.Work) whose values merge into one property of a work.
FIELD_PROPERTIES = {
    "title": DCTERMS.title, "year": DCTERMS.issued, "container": DCTERMS.isPartOf, "volume": BIBO.volume,
    "issue": BIBO.issue, "pages": BIBO.pages, "doi": BIBO.doi, "publisher": DCTERMS.publisher,
    "abstract": DCTERMS.abstract, "kind": RDF.type, "contribution": RDF.value,
}
GRAPHS_HOLDING = "SELECT DISTINCT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"


def record(origin: Origin) -> str:
    """Where a reading was read, as a reading records it: the file's name (not its folder), line, key."""
    return str(replace(origin, file=Path(origin.file).name))


def field_value(name: str, value: str):
    """A record's field as the term a reading holds (a year as xsd:gYear, the rest as text)."""
    return year(value) if name == "year" and value.isdigit() and len(value) == 4 else Literal(value)


def disagreement(subject: NamedNode, prop: NamedNode, readings: list[tuple], base: str) -> list[tuple]:
    """The triples of one disagreement; ``readings`` are (value, source graph or None, record text),
    the default reading first. One resource and property have one disagreement, to which each load
    that disagrees adds its readings (a reading is named by its value, source and record, so the
    same reading found again is the same resource)."""
    node = NamedNode(f"{base}disagreement/{_digest(subject.value, prop.value)}")
    t = [(node, RDF.type, COP.Disagreement), (node, COP.concerns, subject), (node, COP.property, prop)]
    for n, (value, source, where) in enumerate(readings):
        reading = NamedNode(f"{node.value}#{_digest(str(value), str(source), where or '')}")
        t += [(node, COP.reading, reading), (reading, RDF.type, COP.Reading), (reading, RDF.value, value)]
        if n == 0:
            t.append((node, COP.defaultReading, reading))
        if source is not None:
            t.append((reading, DCTERMS.source, source))
        if where:
            t.append((reading, COP.record, Literal(where)))
    return t


def _digest(*parts: str) -> str:
    return hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:16]


def stored_sources(store, subject: NamedNode, prop: NamedNode, value) -> list[NamedNode]:
    """The graphs of ``store`` that assert ``subject prop value``."""
    rows = store.query(GRAPHS_HOLDING, substitutions={"s": subject, "p": prop, "o": value})
    return [row["g"] for row in rows]
