"""The Graph Store HTTP Protocol at /data: GET, HEAD, PUT, POST and DELETE."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest
import requests
from pyoxigraph import RdfFormat, parse

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


def test_direct_graph_identification(client, app):
    from tests.server.conftest import load_fixture

    load_fixture(app, graph="http://127.0.0.1/data/papers")
    assert client.get("/data/papers", headers={"Accept": "text/turtle"}).status_code == 200
    assert client.head("/data/papers").status_code == 200
    assert client.delete("/data/papers", headers=AUTH).status_code == 204
    assert client.get("/data/papers").status_code == 404


GRAPH = "http://example.org/graphs/people"
PERSON = """@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<http://example.org/p/1> a foaf:Person ; foaf:name "Ann Lee" ; foaf:familyName "Lee" .
"""
CARD = """@prefix v: <http://www.w3.org/2006/vcard/ns#> .
<http://example.org/p/1> v:hasEmail <mailto:ann@example.org> ; v:note [ v:value "plain RDF the shapes do not constrain" ] .
"""
TURTLE = {"Content-Type": "text/turtle; charset=utf-8", **AUTH}


def _triples(client, graph: str) -> set:
    response = client.get("/data", query_string={"graph": graph}, headers={"Accept": "application/n-triples"})
    assert response.status_code == 200, response.get_json()
    return {(t.subject, t.predicate, t.object) for t in parse(response.data, RdfFormat.N_TRIPLES)}


def _count(client, graph: str) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    return int(client.get("/sparql", query_string={"query": query}).get_json()["results"]["bindings"][0]["n"]["value"])


def test_put_creates_then_replaces_a_graph_through_the_loaders(client, app):
    created = client.put("/data", query_string={"graph": GRAPH}, data=PERSON, headers=TURTLE)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["status"] == "created" and body["graph"] == GRAPH and body["triples"] == 3
    assert created.headers["Location"].startswith("http://127.0.0.1/data?graph=http")
    assert client.get(created.headers["Location"]).status_code == 200
    assert _count(client, GRAPH) == 3, "queries see the write at once"

    replaced = client.put("/data", query_string={"graph": GRAPH}, data=CARD, headers=TURTLE)
    assert replaced.status_code == 200 and replaced.get_json()["status"] == "replaced"
    served = _triples(client, GRAPH)
    assert len(served) == 3 and {str(t[1]) for t in served} >= {"<http://www.w3.org/2006/vcard/ns#hasEmail>"}
    assert not any("familyName" in str(t[1]) for t in served), "PUT drops what the graph held"

    from coprokg.loaders.api import list_loads

    loads = [info for info in list_loads(app.extensions["coprokg.store"]) if info.graph == GRAPH]
    assert [info.id for info in loads] == [created.get_json()["load"], replaced.get_json()["load"]]
    assert all(info.files == "request body (turtle)" for info in loads), "each write has its provenance record"


def test_post_merges_and_a_repeat_adds_nothing(client):
    assert client.post("/data", query_string={"graph": GRAPH}, data=PERSON, headers=TURTLE).status_code == 201
    merged = client.post("/data", query_string={"graph": GRAPH}, data=CARD, headers=TURTLE)
    assert merged.status_code == 200 and merged.get_json()["status"] == "merged"
    assert _count(client, GRAPH) == 6
    again = client.post("/data", query_string={"graph": GRAPH}, data=PERSON, headers=TURTLE)
    assert again.status_code == 200 and again.get_json()["status"] == "unchanged"
    assert _count(client, GRAPH) == 6


def test_the_same_body_goes_into_a_second_graph(client):
    for graph in (GRAPH, GRAPH + "-copy"):
        assert client.post("/data", query_string={"graph": graph}, data=PERSON, headers=TURTLE).status_code == 201
    assert _triples(client, GRAPH) == _triples(client, GRAPH + "-copy")


def test_post_to_the_store_makes_a_new_load_graph(client):
    response = client.post("/data", data=CARD, headers=TURTLE)
    assert response.status_code == 201
    graph = response.get_json()["graph"]
    assert graph.startswith("https://w3id.org/coproduction/graph/load/")
    fetched = client.get(response.headers["Location"], headers={"Accept": "text/turtle"})
    assert fetched.status_code == 200 and b"mailto:ann@example.org" in fetched.data
    assert client.head(response.headers["Location"]).status_code == 200


def test_a_body_the_shapes_refuse_is_400_with_the_report_and_nothing_is_written(client):
    assert client.put("/data", query_string={"graph": GRAPH}, data=PERSON, headers=TURTLE).status_code == 201
    bad = """@prefix bibo: <http://purl.org/ontology/bibo/> . @prefix dcterms: <http://purl.org/dc/terms/> .
<https://w3id.org/coproduction/paper/x> a bibo:AcademicArticle ; dcterms:title "A paper" ; bibo:doi "not-a-doi" ;
    dcterms:creator <http://example.org/p/2> .
<http://example.org/p/2> a <http://xmlns.com/foaf/0.1/Person> .
"""
    for method in (client.put, client.post):
        response = method("/data", query_string={"graph": GRAPH}, data=bad, headers=TURTLE)
        assert response.status_code == 400
        body = response.get_json()
        assert body["error"] == "invalid-input" and body["status"] == 400
        fields = {(p["record"], p["field"]) for p in body["problems"]}
        assert ("https://w3id.org/coproduction/paper/x", "doi") in fields
        assert ("http://example.org/p/2", "authors") in fields, "its author (a resource of the body) has no name"
        doi = next(p for p in body["problems"] if p["field"] == "doi")
        assert doi["value"] == "not-a-doi" and "10.1080/" in doi["message"], "the value and what a DOI looks like"
    assert _count(client, GRAPH) == 3, "all or nothing: the graph is as before"


def test_a_syntax_error_names_the_line(client):
    response = client.put("/data", query_string={"graph": GRAPH}, data="<a> <b> .\n<c> <d>", headers=TURTLE)
    assert response.status_code == 400
    assert response.get_json()["problems"][0]["file"] == "request body (turtle)"


@pytest.mark.parametrize("media_type", ["text/plain", "application/trig", "application/n-quads", ""])
def test_unsupported_media_types_are_415(client, media_type):
    headers = {**AUTH, "Content-Type": media_type} if media_type else AUTH
    response = client.put("/data", query_string={"graph": GRAPH}, data=b"<a:b> <a:c> <a:d> .", headers=headers)
    assert response.status_code == 415 and response.get_json()["error"] == "unsupported-media-type"


def test_writes_need_the_token_and_guard_the_default_and_history_graphs(client):
    assert client.put("/data", query_string={"graph": GRAPH}, data=PERSON,
                      headers={"Content-Type": "text/turtle"}).status_code == 401
    assert client.post("/data", data=PERSON, headers={"Content-Type": "text/turtle"}).status_code == 401
    refused = client.put("/data?default", data=PERSON, headers=TURTLE)
    assert refused.status_code == 405 and "named graphs" in refused.get_json()["message"]
    assert client.post("/data?default", data=PERSON, headers=TURTLE).status_code == 405
    history = "https://w3id.org/coproduction/graph/loads"
    assert client.put("/data", query_string={"graph": history}, data=PERSON, headers=TURTLE).status_code == 403
    assert client.get("/data", query_string={"graph": GRAPH}).status_code == 404, "nothing was written"


def test_other_rdf_syntaxes(client):
    ntriples = b'<http://example.org/p/1> <http://example.org/says> "hej"@sv .\n'
    response = client.put("/data", query_string={"graph": GRAPH}, data=ntriples,
                          headers={**AUTH, "Content-Type": "application/n-triples"})
    assert response.status_code == 201
    jsonld = b'{"@id": "http://example.org/p/1", "http://example.org/says": "hello"}'
    response = client.post("/data", query_string={"graph": GRAPH}, data=jsonld,
                           headers={**AUTH, "Content-Type": "application/ld+json"})
    assert response.status_code == 200
    assert {str(t[2]) for t in _triples(client, GRAPH)} == {'"hej"@sv', '"hello"'}


def test_multipart_post_is_one_load_of_its_parts(client):
    from io import BytesIO

    parts = {"a": (BytesIO(PERSON.encode()), "a.ttl", "text/turtle"), "b": (BytesIO(CARD.encode()), "b.ttl", "text/turtle")}
    response = client.post("/data", query_string={"graph": GRAPH}, data=parts,
                           headers=AUTH, content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    assert _count(client, GRAPH) == 6
    bad = {"a": (BytesIO(CARD.encode()), "a.ttl", "text/turtle"), "b": (BytesIO(b"<x"), "b.ttl", "text/turtle")}
    response = client.post("/data", query_string={"graph": GRAPH + "-2"}, data=bad,
                           headers=AUTH, content_type="multipart/form-data")
    assert response.status_code == 400 and response.get_json()["problems"][0]["file"].startswith("request body part 2")
    assert client.get("/data", query_string={"graph": GRAPH + "-2"}).status_code == 404, "all or nothing"


def test_direct_identification_put_and_post(client):
    created = client.put("/data/people", data=PERSON, headers=TURTLE)
    assert created.status_code == 201 and created.headers["Location"] == "http://127.0.0.1/data/people"
    assert client.post("/data/people", data=CARD, headers=TURTLE).status_code == 200
    assert _count(client, "http://127.0.0.1/data/people") == 6


def test_a_body_over_the_limit_is_413(make_app):
    client = make_app(max_body_bytes=1000).test_client()
    response = client.put("/data", query_string={"graph": GRAPH}, data=PERSON * 40, headers=TURTLE)
    assert response.status_code == 413 and response.get_json()["status"] == 413


@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_a_write_whose_worker_dies_leaves_the_server_serving_and_the_store_as_before(app, live, method, caplog):
    """Graph Store writes are parsed, checked and written by the update worker on the store
    handed over to it: killing that process in the middle of a write costs the write, not the
    server, and nothing of it is kept (bulk journal for a new graph, one transaction for PUT)."""
    engine, store = app.extensions["coprokg.engine"], app.extensions["coprokg.store"]
    before = (store.count(), [g.value for g in store.graphs()])
    body = "".join(f"<http://example.org/s{n}> <http://example.org/p> \"value {n}\" .\n" for n in range(40000)).encode()
    target = "/data" if method == "POST" else "/data?graph=http://example.org/big"
    answers = []
    writer = threading.Thread(target=lambda: answers.append(requests.request(
        method, live.url + target, data=body, timeout=120,
        headers={"Content-Type": "application/n-triples", "Authorization": f"Bearer {TOKEN}"})))
    writer.start()
    deadline = time.monotonic() + 60
    while store._db is not None and time.monotonic() < deadline:  # until the store is handed over
        time.sleep(0.01)
    assert store._db is None, "the write never reached the update worker"
    time.sleep(0.3)
    os.kill(engine.updater._worker.process.pid, signal.SIGKILL)
    writer.join(120)
    response = answers[0]
    assert response.status_code == 503 and response.headers["Content-Type"] == "application/json", response.text
    assert response.json()["error"] == "worker-crashed"
    assert response.json()["message"] == "the write stopped its worker process; nothing of it was written"
    assert f"update worker crashed: {method} /data from 127.0.0.1" in caplog.text
    assert (store.count(), [g.value for g in store.graphs()]) == before
    assert requests.get(live.url + "/sparql", params={"query": "ASK { <http://example.org/s1> ?p ?o }"},
                        headers={"Accept": "application/sparql-results+json"}, timeout=60).json() == {"head": {}, "boolean": False}
    again = requests.put(live.url + "/data?graph=http://example.org/small", data=b"<http://example.org/a> <http://example.org/p> \"1\" .",
                         headers={"Content-Type": "application/n-triples", "Authorization": f"Bearer {TOKEN}"}, timeout=60)
    assert again.status_code == 201, again.text
    assert requests.get(live.url + "/health", timeout=10).json()["status"] == "ok"


def test_health_counts_the_store_again_after_a_write(client, app):
    # The size /health gives is counted once per data version: a write changes it at once.
    before = client.get("/health").get_json()
    assert client.get("/health").get_json()["triples"] == before["triples"]
    assert client.put("/data", query_string={"graph": GRAPH}, data=PERSON, headers=TURTLE).status_code == 201
    after = client.get("/health").get_json()
    store = app.extensions["coprokg.store"]
    assert after["version"] != before["version"] and after["triples"] == store.count() > before["triples"]
