"""Namespaces used across coprokg (DESIGN.md, "Vocabularies").

The ontology and concept namespaces are fixed: they name the vocabulary, whatever base a
deployment mints its own IRIs under (``Settings.base_iri``).
"""

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD

VOCAB_BASE = "https://w3id.org/coproduction/"

COP = Namespace(VOCAB_BASE + "ontology#")
CONCEPT = Namespace(VOCAB_BASE + "concept/")
SCHEME = Namespace(VOCAB_BASE + "scheme/")
GRAPH = Namespace(VOCAB_BASE + "graph/")
SEARCH = Namespace(VOCAB_BASE + "search#")  # full-text search functions in SPARQL

BIBO = Namespace("http://purl.org/ontology/bibo/")
FABIO = Namespace("http://purl.org/spar/fabio/")
CITO = Namespace("http://purl.org/spar/cito/")
OA = Namespace("http://www.w3.org/ns/oa#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
COUNTRY = Namespace("http://publications.europa.eu/resource/authority/country/")
SCHEMA = Namespace("https://schema.org/")

PREFIXES = {
    "cop": COP,
    "concept": CONCEPT,
    "scheme": SCHEME,
    "graph": GRAPH,
    "bibo": BIBO,
    "fabio": FABIO,
    "cito": CITO,
    "oa": OA,
    "prov": PROV,
    "dcterms": DCTERMS,
    "foaf": FOAF,
    "skos": SKOS,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "void": VOID,
    "sd": SD,
    "country": COUNTRY,
    "schema": SCHEMA,
    "search": SEARCH,
}
