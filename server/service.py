"""The SPARQL 1.1 Service Description of the endpoint, answered at GET /sparql without a query.

https://www.w3.org/TR/sparql11-service-description/
"""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from coprokg import formats
from coprokg.store.derived import inferred_graphs
from coprokg.vocab import SD

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
COMMENT = NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")


def _sd(name: str) -> NamedNode:
    return NamedNode(str(SD[name]))


def description(endpoint: str, graphs: list[str], *, writable: bool, void_url: str) -> list[Triple]:
    """Triples describing the service at ``endpoint`` and its dataset (each named graph)."""
    service, dataset, default_graph = NamedNode(endpoint), BlankNode(), BlankNode()
    triples = [
        Triple(service, RDF_TYPE, _sd("Service")),
        Triple(service, _sd("endpoint"), service),
        Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        Triple(service, _sd("defaultDataset"), dataset),
        Triple(dataset, RDF_TYPE, _sd("Dataset")),
        Triple(dataset, _sd("defaultGraph"), default_graph),
        Triple(default_graph, RDF_TYPE, _sd("Graph")),
        Triple(default_graph, NamedNode("http://rdfs.org/ns/void#inDataset"), NamedNode(void_url)),
        Triple(default_graph, COMMENT, Literal(
            "The union of the named graphs, the inference graph " + ", ".join(g.value for g in inferred_graphs())
            + " (the ontology's entailments) included; add infer=false to the request to leave it out.")),
    ]
    if writable:
        triples.append(Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Update")))
    for fmt in formats.RESULT_FORMATS + formats.GRAPH_FORMATS:
        triples.append(Triple(service, _sd("resultFormat"), NamedNode(fmt.serializer.iri)))
    for iri in graphs:
        named = BlankNode()
        triples += [
            Triple(dataset, _sd("namedGraph"), named),
            Triple(named, RDF_TYPE, _sd("NamedGraph")),
            Triple(named, _sd("name"), NamedNode(iri)),
        ]
    return triples
