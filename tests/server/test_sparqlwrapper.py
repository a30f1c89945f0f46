"""SPARQLWrapper, as users run it, against the server under waitress on loopback: every
method and every format."""

from __future__ import annotations

import pytest
from pyoxigraph import RdfFormat, parse
from rdflib import Graph
from SPARQLWrapper import CSV, GET, JSON, JSONLD, POST, POSTDIRECTLY, RDFXML, TSV, TURTLE, URLENCODED, XML, SPARQLWrapper

from tests.server.conftest import TOKEN

SELECT = "SELECT ?title WHERE { ?paper <http://purl.org/spar/cito/cites> ?cited . ?cited <http://purl.org/dc/terms/title> ?title }"
CONSTRUCT = "CONSTRUCT { ?paper <http://purl.org/spar/cito/cites> ?cited } WHERE { ?paper <http://purl.org/spar/cito/cites> ?cited }"
METHODS = [(GET, URLENCODED), (POST, URLENCODED), (POST, POSTDIRECTLY)]
CITES = ("https://w3id.org/coproduction/paper/robert-2024-6ccd34d9", "https://w3id.org/coproduction/paper/doi/10.1080/10967494.2021.1969486")


def client(live, query, fmt, method=GET, request_method=URLENCODED) -> SPARQLWrapper:
    sparql = SPARQLWrapper(live.url + "/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    sparql.setMethod(method)
    sparql.setRequestMethod(request_method)
    return sparql


@pytest.mark.parametrize("method", METHODS, ids=lambda m: "-".join(m))
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_select_in_every_results_format_and_method(live, fmt, method):
    result = client(live, SELECT, fmt, *method).query()
    converted = result.convert()
    if fmt == JSON:
        titles = [b["title"]["value"] for b in converted["results"]["bindings"]]
    elif fmt == XML:
        titles = [node.firstChild.data for node in converted.getElementsByTagName("literal")]
    else:
        text = converted.decode() if isinstance(converted, bytes) else converted
        titles = [line.strip('"') for line in text.splitlines()[1:]]
    assert titles == ["Four modes of coproduction"]


@pytest.mark.parametrize("method", METHODS, ids=lambda m: "-".join(m))
def test_ask(live, method):
    assert client(live, "ASK { ?s <http://purl.org/spar/cito/cites> ?o }", JSON, *method).queryAndConvert()["boolean"] is True


@pytest.mark.parametrize("method", METHODS, ids=lambda m: "-".join(m))
@pytest.mark.parametrize("fmt", [TURTLE, RDFXML, JSONLD])
def test_construct_in_every_rdf_format_and_method(live, fmt, method):
    graph = client(live, CONSTRUCT, fmt, *method).queryAndConvert()
    if isinstance(graph, bytes):  # SPARQLWrapper hands Turtle back as text
        graph = Graph().parse(data=graph, format="turtle")
    assert [(str(s), str(o)) for s, _, o in graph] == [CITES]


def test_construct_as_ntriples_by_accept(live):
    sparql = client(live, CONSTRUCT, TURTLE)
    sparql.setOnlyConneg(True)
    sparql.addCustomHttpHeader("Accept", "application/n-triples")
    response = sparql.query().response
    assert response.headers["Content-Type"].startswith("application/n-triples")
    assert [(t.subject.value, t.object.value) for t in parse(response.read(), RdfFormat.N_TRIPLES)] == [CITES]


def test_update_through_sparqlwrapper_with_the_token(live):
    update = SPARQLWrapper(live.url + "/sparql", updateEndpoint=live.url + "/update")
    update.setMethod(POST)
    update.addCustomHttpHeader("Authorization", f"Bearer {TOKEN}")
    update.setQuery("INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/s> <http://example.org/p> 'x' } }")
    update.query()
    assert client(live, "ASK { <http://example.org/s> ?p 'x' }", JSON).queryAndConvert()["boolean"] is True
