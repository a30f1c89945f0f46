"""infer=false on /sparql leaves the inference graph out, over HTTP, with SPARQLWrapper as the client."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest
from SPARQLWrapper import GET, JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from coprokg.loaders import load_files
from coprokg.store.derived import INFERRED_GRAPH
from tests.server.conftest import TOKEN, Live

PRACTICE_FILE = Path(__file__).parent.parent / "ontology" / "fixtures" / "inference-practice.ttl"
PRACTICE = "https://w3id.org/coproduction/practice/test-citizen-panel"
VOICED = "SELECT ?p WHERE { ?p a <https://w3id.org/coproduction/ontology#VoiceBasedPractice> }"
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture
def served(make_app):
    app = make_app()
    with app.extensions["coprokg.engine"].writing() as store:
        load_files(store, [PRACTICE_FILE])
    server = Live(app)
    yield server
    server.stop()


def select(url: str, query: str, method=GET, **parameters) -> set[str]:
    client = SPARQLWrapper(url + "/sparql")
    client.setMethod(method)
    client.setQuery(query)
    client.setReturnFormat(JSON)
    for name, value in parameters.items():
        client.addParameter(name, value)
    bindings = client.queryAndConvert()["results"]["bindings"]
    return {value["value"] for row in bindings for value in row.values()}


@pytest.mark.parametrize("method", [GET, POST])
def test_inferences_are_answered_unless_infer_is_false(served, method):
    voiced = select(served.url, VOICED, method)
    assert PRACTICE in voiced
    assert select(served.url, VOICED, method, infer="true") == voiced
    assert select(served.url, VOICED, method, infer="false") == set()
    asserted = "SELECT ?p WHERE { ?p a <https://w3id.org/coproduction/ontology#CoproductionPractice> }"
    assert voiced <= select(served.url, asserted, method, infer="false")


def test_infer_false_hides_the_inference_graph_from_graph_patterns_too(served):
    assert INFERRED_GRAPH.value in select(served.url, GRAPHS)
    without = select(served.url, GRAPHS, infer="false")
    assert INFERRED_GRAPH.value not in without and without


def test_infer_false_keeps_a_dataset_the_request_names(served):
    named = {"default-graph-uri": INFERRED_GRAPH.value}
    assert PRACTICE in select(served.url, VOICED, **named)
    assert select(served.url, VOICED, infer="false", **named) == set()


def test_an_infer_value_other_than_true_or_false_is_refused(served):
    with pytest.raises(QueryBadFormed, match="infer"):
        select(served.url, VOICED, infer="maybe")


def test_the_service_description_says_how_to_leave_inferences_out(served):
    with urllib.request.urlopen(urllib.request.Request(served.url + "/sparql", headers={"Accept": "text/turtle"})) as answer:
        text = answer.read().decode()
    assert "infer=false" in text and INFERRED_GRAPH.value in text


def test_graph_store_writes_refresh_the_inferences(served):
    graph = "http://example.org/graph/practice"

    def send(method: str, body: bytes | None = None) -> int:
        request = urllib.request.Request(f"{served.url}/data?graph={graph}", data=body, method=method,
                                         headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/turtle"})
        with urllib.request.urlopen(request) as answer:
            return answer.status

    other = PRACTICE_FILE.read_bytes().replace(b"test-citizen-panel", b"test-gsp-panel")
    assert send("PUT", other) == 201
    assert PRACTICE.replace("citizen", "gsp") in select(served.url, VOICED)
    assert send("DELETE") == 204
    assert PRACTICE.replace("citizen", "gsp") not in select(served.url, VOICED)
    assert PRACTICE in select(served.url, VOICED)
