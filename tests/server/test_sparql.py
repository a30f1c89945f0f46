"""The SPARQL 1.1 Protocol query operation at /sparql, through Flask's test client."""

from __future__ import annotations

import json

import pytest
from pyoxigraph import QueryResultsFormat, RdfFormat, parse, parse_query_results

from coprokg import formats
from tests.server.conftest import PAPERS_GRAPH

ERIKSSON = "https://w3id.org/coproduction/paper/doi/10.1080/10967494.2021.1969486"
SELECT = f"SELECT ?t WHERE {{ <{ERIKSSON}> <http://purl.org/dc/terms/title> ?t }}"
CONSTRUCT = f"CONSTRUCT {{ <{ERIKSSON}> ?p ?o }} WHERE {{ <{ERIKSSON}> ?p ?o }}"


def titles(response) -> list[str]:
    return [b["t"]["value"] for b in response.get_json(force=True)["results"]["bindings"]]


def test_get_select_answers_sparql_json(client):
    response = client.get("/sparql", query_string={"query": SELECT})
    assert response.status_code == 200
    assert response.mimetype == "application/sparql-results+json"
    assert titles(response) == ["Four modes of coproduction"]


def test_post_form_and_post_direct_give_the_same_answer(client):
    form = client.post("/sparql", data={"query": SELECT})
    direct = client.post("/sparql", data=SELECT, content_type="application/sparql-query")
    assert form.status_code == direct.status_code == 200
    assert form.data == direct.data


@pytest.mark.parametrize("fmt", formats.RESULT_FORMATS, ids=lambda f: f.name)
def test_select_in_every_results_format_by_accept_and_by_parameter(client, fmt):
    by_accept = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": fmt.media_type})
    by_param = client.get("/sparql", query_string={"query": SELECT, "format": fmt.name})
    assert by_accept.status_code == by_param.status_code == 200
    assert by_accept.mimetype == by_param.mimetype == fmt.media_type
    assert by_accept.data == by_param.data
    if fmt.name == "csv":  # CSV results are lossy; pyoxigraph reads the others back
        assert by_accept.get_data(as_text=True).splitlines() == ["t", "Four modes of coproduction"]
        return
    rows = list(parse_query_results(by_accept.data, fmt.serializer))
    assert [row["t"].value for row in rows] == ["Four modes of coproduction"]


@pytest.mark.parametrize("fmt", formats.GRAPH_FORMATS, ids=lambda f: f.name)
def test_construct_in_every_rdf_format(client, fmt):
    response = client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": fmt.media_type})
    assert response.status_code == 200
    assert response.mimetype == fmt.media_type
    triples = list(parse(response.data, fmt.serializer))
    assert any(t.object.value == "Four modes of coproduction" for t in triples)


def test_describe_answers_rdf(client):
    response = client.get("/sparql", query_string={"query": f"DESCRIBE <{ERIKSSON}>", "format": "ntriples"})
    assert response.status_code == 200
    assert b"Four modes of coproduction" in response.data


def test_ask_answers_a_boolean_in_json_and_xml(client):
    query = {"query": "ASK { ?s ?p 'Four modes of coproduction' }"}
    assert json.loads(client.get("/sparql", query_string=query).data)["boolean"] is True
    xml = client.get("/sparql", query_string=query, headers={"Accept": "application/sparql-results+xml"})
    assert bool(parse_query_results(xml.data, QueryResultsFormat.XML)) is True


def test_default_graph_uri_restricts_the_default_graph(client, app):
    query = {"query": f"ASK {{ <{ERIKSSON}> ?p ?o }}"}
    inside = client.get("/sparql", query_string={**query, "default-graph-uri": PAPERS_GRAPH})
    ontology = "https://w3id.org/coproduction/graph/ontology"
    elsewhere = client.get("/sparql", query_string={**query, "default-graph-uri": ontology})
    assert inside.get_json(force=True)["boolean"] is True
    assert elsewhere.get_json(force=True)["boolean"] is False


def test_named_graph_uri_sets_the_named_graphs(client):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = client.post(
        "/sparql?named-graph-uri=" + PAPERS_GRAPH, data=query, content_type="application/sparql-query"
    )
    assert [b["g"]["value"] for b in response.get_json(force=True)["results"]["bindings"]] == [PAPERS_GRAPH]


def test_from_clause_naming_a_stored_graph_is_honoured(client):
    query = f"SELECT ?t FROM <https://w3id.org/coproduction/graph/ontology> WHERE {{ <{ERIKSSON}> ?p ?t }}"
    assert titles(client.get("/sparql", query_string={"query": query})) == []


def test_malformed_query_is_400_with_a_json_body(client):
    response = client.get("/sparql", query_string={"query": "SELECT ?x WHERE {"})
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "malformed-query"
    assert "syntax error" in body["message"]
    assert body["where"].startswith("query line 1, column")
    assert "Traceback" not in response.get_data(as_text=True)


def test_post_without_a_query_is_400_saying_how_to_send_one(client):
    response = client.post("/sparql", data={"format": "json"})
    assert response.status_code == 400
    assert "query" in response.get_json()["hint"]


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"query_string": "query=ASK%20%7B%7D&query=ASK%20%7B%7D"},
        {"method": "POST", "data": "ASK {}", "content_type": "text/plain"},
        {"method": "POST", "data": "ASK {}", "content_type": "application/sparql-query; charset=UTF-16"},
        {"method": "POST", "data": "update=CLEAR%20ALL", "content_type": "application/x-www-form-urlencoded"},
    ],
    ids=["two-queries", "wrong-media-type", "not-utf8", "update-on-query-endpoint"],
)
def test_bad_protocol_requests_are_400(client, request_kwargs):
    response = client.open("/sparql", **request_kwargs)
    assert response.status_code == 400
    assert set(response.get_json()) >= {"error", "message", "status"}


def test_other_methods_are_405(client):
    assert client.put("/sparql?query=ASK%7B%7D").status_code == 405


def test_plain_json_asked_for_a_select_is_sparql_results_json_as_fuseki_and_oxigraph_answer(client):
    response = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.mimetype == "application/sparql-results+json"
    assert [row["t"]["value"] for row in response.get_json()["results"]["bindings"]] == ["Four modes of coproduction"]


def test_no_acceptable_format_is_406(client):
    response = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert response.get_json()["error"] == "not-acceptable"
    assert "application/sparql-results+json" in response.get_json()["hint"]


def test_an_rdf_format_for_a_select_is_406(client):
    assert client.get("/sparql", query_string={"query": SELECT, "format": "turtle"}).status_code == 406


def test_service_description_for_rdf_clients(client):
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.mimetype == "text/turtle"
    triples = list(parse(response.data, RdfFormat.TURTLE))
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoints = {t.object.value for t in triples if t.predicate.value == sd + "endpoint"}
    assert endpoints == {"http://127.0.0.1/sparql"}
    names = {t.object.value for t in triples if t.predicate.value == sd + "name"}
    assert PAPERS_GRAPH in names
    languages = {t.object.value for t in triples if t.predicate.value == sd + "supportedLanguage"}
    assert sd + "SPARQL11Update" in languages, "the app under test has an update token"


def test_browsers_asking_for_the_service_get_the_query_editor(client):
    response = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/editor")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<textarea" in page and "/sparql" in page
