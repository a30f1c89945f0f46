"""GET /ontology: HTML documentation or RDF by content negotiation, with Vary: Accept."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF

from coprokg import formats
from coprokg.ontology import ONTOLOGY_IRI, merged_graph
from coprokg.server import create_app

RDFLIB_FORMAT = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    return create_app({"store": str(tmp_path_factory.mktemp("pages") / "store")}).test_client()


@pytest.fixture(scope="module")
def ontology_graph():
    return merged_graph()


@pytest.mark.parametrize("fmt", formats.GRAPH_FORMATS, ids=lambda fmt: fmt.name)
def test_each_rdf_format_is_the_whole_ontology(client, ontology_graph, fmt):
    response = client.get("/ontology", headers={"Accept": fmt.media_type})
    assert response.status_code == 200
    assert response.mimetype == fmt.media_type
    assert "Accept" in response.headers["Vary"]
    served = Graph().parse(data=response.data, format=RDFLIB_FORMAT[fmt.name])
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in served
    assert isomorphic(served, ontology_graph)


@pytest.mark.parametrize("accept", ["text/html", "text/html,application/xhtml+xml,*/*;q=0.8", "*/*", None])
def test_browsers_and_unspecific_clients_get_the_documentation(client, accept):
    response = client.get("/ontology", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert b"The coproduction ontology" in response.data and b"Concept Schemes" in response.data
    assert "Accept" in response.headers["Vary"]


def test_quality_values_choose_the_format(client):
    response = client.get("/ontology", headers={"Accept": "text/html;q=0.5, text/turtle"})
    assert response.mimetype == "text/turtle"


def test_an_unavailable_format_is_406_in_the_json_error_shape(client):
    response = client.get("/ontology", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert response.get_json()["error"] == "not-acceptable"
    assert "text/turtle" in response.get_json()["message"]


@pytest.mark.parametrize("suffix, media_type", [("ttl", "text/turtle"), ("rdf", "application/rdf+xml"),
                                                ("jsonld", "application/ld+json"), ("nt", "application/n-triples"),
                                                ("html", "text/html")])
def test_a_suffix_names_one_representation(client, suffix, media_type):
    response = client.get(f"/ontology.{suffix}", headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.mimetype == media_type


def test_an_unknown_suffix_is_404(client):
    assert client.get("/ontology.docx").status_code == 404
