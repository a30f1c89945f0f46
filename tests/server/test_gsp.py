"""The Graph Store HTTP Protocol at /data: GET and DELETE."""

from __future__ import annotations

import pytest
from pyoxigraph import NamedNode, RdfFormat, parse

from coprokg import formats
from tests.server.conftest import DATA, PAPERS_GRAPH, TOKEN

FIXTURE = DATA / "papers.ttl"

AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.mark.parametrize("fmt", formats.GRAPH_FORMATS, ids=lambda f: f.name)
def test_get_a_named_graph_in_each_format(client, fmt):
    response = client.get("/data", query_string={"graph": PAPERS_GRAPH}, headers={"Accept": fmt.media_type})
    assert response.status_code == 200 and response.mimetype == fmt.media_type
    served = set(parse(response.data, fmt.serializer))
    assert served == set(parse(path=str(FIXTURE), format=RdfFormat.TURTLE)), "exactly the graph's triples"


def test_get_the_default_graph(client):
    response = client.get("/data?default", headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    assert response.data.strip() == b"", "the store keeps every load in its own named graph"


def test_unknown_graph_is_404_and_a_bad_request_400(client):
    assert client.get("/data", query_string={"graph": "http://example.org/none"}).status_code == 404
    assert client.get("/data").status_code == 400
    assert client.get("/data?default&graph=http://example.org/g").status_code == 400


def test_delete_needs_the_token_then_removes_the_graph(client):
    assert client.delete("/data", query_string={"graph": PAPERS_GRAPH}).status_code == 401
    assert client.get("/data", query_string={"graph": PAPERS_GRAPH}).status_code == 200
    assert client.delete("/data", query_string={"graph": PAPERS_GRAPH}, headers=AUTH).status_code == 204
    assert client.get("/data", query_string={"graph": PAPERS_GRAPH}).status_code == 404
    assert client.delete("/data", query_string={"graph": PAPERS_GRAPH}, headers=AUTH).status_code == 404
    ask = client.get("/sparql", query_string={"query": f"ASK {{ GRAPH <{PAPERS_GRAPH}> {{ ?s ?p ?o }} }}"})
    assert ask.get_json()["boolean"] is False


def test_put_and_post_are_not_offered_yet(client):
    response = client.put("/data?graph=http://example.org/g", data="", headers=AUTH)
    assert response.status_code == 405


def test_direct_graph_identification(client, app):
    from tests.server.conftest import load_fixture

    load_fixture(app, graph="http://localhost/data/papers")
    assert client.get("/data/papers", headers={"Accept": "text/turtle"}).status_code == 200
    assert client.head("/data/papers").status_code == 200
    assert client.delete("/data/papers", headers=AUTH).status_code == 204
    assert client.get("/data/papers").status_code == 404
