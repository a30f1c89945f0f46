"""rdflib terms (what loaders build and pySHACL reads) to pyoxigraph terms (what the store writes)."""

from __future__ import annotations

from functools import lru_cache

from pyoxigraph import BlankNode, Literal as OxLiteral, NamedNode
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS

from coprokg.vocab import BIBO

# Properties a resource has at most one value of: a load never adds a second one.
SINGLE_VALUED = frozenset(str(p) for p in (
    DCTERMS.title, DCTERMS.issued, DCTERMS.abstract, BIBO.doi, BIBO.authorList, BIBO.volume, BIBO.issue,
    BIBO.pageStart, BIBO.pageEnd, BIBO.pages, RDFS.label, FOAF.name, FOAF.familyName, FOAF.givenName,
    *(RDF[f"_{n}"] for n in range(1, 200)),
))


@lru_cache(maxsize=200_000)
def _iri(value: str) -> NamedNode:
    return NamedNode(value)


def term(node):
    if isinstance(node, URIRef):
        return _iri(str(node))
    if isinstance(node, BNode):
        return BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return OxLiteral(str(node), language=node.language)
        if node.datatype is not None:
            return OxLiteral(str(node), datatype=_iri(str(node.datatype)))
        return OxLiteral(str(node))
    raise TypeError(f"not an RDF term: {node!r}")


def to_oxigraph(triple: tuple) -> tuple:
    s, p, o = triple
    return term(s), term(p), term(o)
