"""The foundation's HTTP surface through Flask's test client: /sparql and /health."""

from __future__ import annotations

import json

import pytest
from pyoxigraph import Literal, NamedNode, Triple

from server import create_app


@pytest.fixture
def app(settings):
    app = create_app(settings)
    store = app.extensions["coprokg.store"]
    store.add_graph(
        NamedNode("http://example.org/graph/t"),
        [Triple(NamedNode("http://example.org/p/1"), NamedNode("http://purl.org/dc/terms/title"), Literal("Coproduction and inclusion"))],
    )
    return app


@pytest.fixture
def client(app):
    return app.test_client()


SELECT = "SELECT ?t WHERE { <http://example.org/p/1> <http://purl.org/dc/terms/title> ?t }"


def test_get_select_answers_sparql_json(client):
    response = client.get("/sparql", query_string={"query": SELECT})
    assert response.status_code == 200
    assert response.mimetype == "application/sparql-results+json"
    values = [b["t"]["value"] for b in response.get_json(force=True)["results"]["bindings"]]
    assert values == ["Coproduction and inclusion"]


def test_post_form_and_post_direct_give_the_same_answer(client):
    form = client.post("/sparql", data={"query": SELECT})
    direct = client.post("/sparql", data=SELECT, content_type="application/sparql-query")
    assert form.status_code == direct.status_code == 200
    assert form.data == direct.data


def test_ask_answers_a_boolean(client):
    response = client.get("/sparql", query_string={"query": "ASK { ?s ?p 'Coproduction and inclusion' }"})
    assert json.loads(response.data)["boolean"] is True


def test_malformed_query_is_400_with_a_json_body(client):
    response = client.get("/sparql", query_string={"query": "SELECT ?x WHERE {"})
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "malformed-query"
    assert "syntax error" in body["message"]
    assert body["where"] == "query line 1, column 18"
    assert "Traceback" not in response.get_data(as_text=True)


def test_missing_query_is_400_saying_how_to_send_one(client):
    response = client.get("/sparql")
    assert response.status_code == 400
    assert "query" in response.get_json()["hint"]


def test_no_acceptable_format_is_406(client):
    response = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert response.get_json()["error"] == "not-acceptable"


def test_health_reports_the_store(client, settings):
    body = client.get("/health").get_json()
    assert body["status"] == "ok"
    assert body["store"] == settings.store
    assert body["triples"] >= 1
