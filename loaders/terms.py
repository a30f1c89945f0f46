"""The RDF terms loaders write, as pyoxigraph terms: records become store terms directly.

rdflib stays for what needs it (pySHACL on RDF input, the concept index from Turtle files);
a paper's triples never pass through rdflib terms on their way to the store.
"""

from __future__ import annotations

from functools import lru_cache

from pyoxigraph import BlankNode, Literal, NamedNode
from rdflib import BNode, Literal as RdfLiteral, URIRef
from rdflib.namespace import DCTERMS as _DCTERMS, FOAF as _FOAF, OWL as _OWL, PROV as _PROV, RDF as _RDF, \
    RDFS as _RDFS, SKOS as _SKOS, VOID as _VOID, XSD as _XSD

from coprokg import vocab


@lru_cache(maxsize=100_000)
def iri(value: str) -> NamedNode:
    """A NamedNode, shared between the triples that name it (concepts, people, predicates)."""
    return NamedNode(value)


class Namespace:
    """``NS.term`` and ``NS["term"]`` as NamedNodes."""

    def __init__(self, base: str):
        self.base = str(base)

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("__"):
            raise AttributeError(name)
        node = iri(self.base + name)
        setattr(self, name, node)
        return node

    def __getitem__(self, name: str) -> NamedNode:
        return iri(self.base + name)


RDF, RDFS, XSD, OWL = Namespace(_RDF), Namespace(_RDFS), Namespace(_XSD), Namespace(_OWL)
DCTERMS, FOAF, PROV, VOID = Namespace(_DCTERMS), Namespace(_FOAF), Namespace(_PROV), Namespace(_VOID)
SKOS = Namespace(_SKOS)
BIBO, FABIO, CITO, OA = Namespace(vocab.BIBO), Namespace(vocab.FABIO), Namespace(vocab.CITO), Namespace(vocab.OA)
COP, COUNTRY, SCHEMA = Namespace(vocab.COP), Namespace(vocab.COUNTRY), Namespace(vocab.SCHEMA)

# Properties a resource has at most one value of: a load never adds a second one.
SINGLE_VALUED = frozenset(p.value for p in (
    DCTERMS.title, DCTERMS.issued, DCTERMS.abstract, BIBO.doi, BIBO.authorList, BIBO.editorList, BIBO.volume,
    BIBO.issue, BIBO.pageStart, BIBO.pageEnd, BIBO.pages, RDFS.label, FOAF.name, FOAF.familyName, FOAF.givenName,
    *(RDF[f"_{n}"] for n in range(1, 200)),
))


def year(value: str) -> Literal:
    return Literal(value, datatype=XSD.gYear)


def to_rdflib(term):
    """A pyoxigraph term as rdflib's (for pySHACL)."""
    if isinstance(term, NamedNode):
        return URIRef(term.value)
    if isinstance(term, BlankNode):
        return BNode(term.value)
    if term.language:
        return RdfLiteral(term.value, lang=term.language)
    if term.datatype.value == str(_XSD.string):
        return RdfLiteral(term.value)
    return RdfLiteral(term.value, datatype=URIRef(term.datatype.value))

