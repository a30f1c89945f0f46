"""/search over HTTP (a real server on loopback): JSON and HTML by negotiation, the index in
step with the Graph Store Protocol and SPARQL Update, and search: functions from SPARQLWrapper."""

from __future__ import annotations

import fcntl
import json
import re
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from pyoxigraph import NamedNode, RdfFormat, parse
from SPARQLWrapper import JSON, SPARQLWrapper

from coprokg.bootstrap import open_initialised
from coprokg.settings import Settings
from coprokg.store.search import SearchIndex
from tests.server.conftest import DATA, PAPERS_GRAPH, TOKEN

ERIKSSON = "https://w3id.org/coproduction/paper/doi/10.1080/10967494.2021.1969486"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
NEW = b"""<https://w3id.org/coproduction/paper/new> a <http://purl.org/ontology/bibo/AcademicArticle> ;
  <http://purl.org/dc/terms/title> "Participatory budgeting in Porto Alegre" ."""


SEARCHING = """PREFIX search: <https://w3id.org/coproduction/search#>
PREFIX cito: <http://purl.org/spar/cito/>
SELECT ?citing ?cited WHERE { ?citing cito:cites ?cited FILTER(search:matches(?cited, "four modes")) }"""


def get(live, path: str, accept: str = "application/json", **params):
    url = f"{live.url}{path}?{urllib.parse.urlencode(params)}"
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept}), timeout=30) as response:
        return response.headers.get_content_type(), response.read().decode()


def hits(live, words: str, **params) -> list[str]:
    media_type, body = get(live, "/search", q=words, **params)
    assert media_type == "application/json"
    return [hit["iri"] for hit in json.loads(body)["hits"]]


def send(live, method: str, path: str, body: bytes | None = None, content_type: str = "text/turtle") -> int:
    request = urllib.request.Request(live.url + path, data=body, method=method,
                                     headers={**AUTH, "Content-Type": content_type})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status


def test_json_answer(live):
    _, body = get(live, "/search", q="modes coproduction")
    answer = json.loads(body)
    assert answer["total"] == 1 and answer["kinds"] == {"paper": 1} and answer["next"] is None
    [hit] = answer["hits"]
    assert hit["iri"] == ERIKSSON and hit["label"] == "Four modes of coproduction" and hit["kind"] == "paper"
    assert hit["matches"][0]["field"] == "name"
    assert "Four <mark>modes</mark> of <mark>coproduction</mark>" in hit["matches"][0]["snippet"]


def test_html_page_for_browsers_with_facets_and_links(live):
    media_type, body = get(live, "/search", accept="text/html,application/xhtml+xml,*/*;q=0.8", q="co-design")
    assert media_type == "text/html"
    assert 'href="/coproduction/concept/co-design"' in body and "<mark>co-design</mark>" in body
    assert re.search(r'href="/search\?q=co-design&amp;kind=concept">concept \(\d+\)</a>', body)
    assert 'id="site-search"' in body, "the search box of every page"


def test_bad_parameters_get_the_json_error_shape(live):
    for params in ({"q": "x", "kind": "journal"}, {"q": "x", "page": "0"}):
        try:
            get(live, "/search", **params)
        except urllib.error.HTTPError as error:
            answer = json.loads(error.read())
            assert error.code == 400 and answer["error"] == "invalid-parameter" and answer["where"] in params
        else:
            raise AssertionError(f"{params} was accepted")


def test_graph_store_writes_and_deletes_move_the_index(live):
    assert hits(live, "Porto Alegre") == []
    assert send(live, "PUT", "/data?graph=https://w3id.org/coproduction/graph/extra", NEW) == 201
    assert hits(live, "porto alegre") == ["https://w3id.org/coproduction/paper/new"]
    assert send(live, "DELETE", "/data?graph=https://w3id.org/coproduction/graph/extra") == 204
    assert hits(live, "Porto Alegre") == []
    assert send(live, "DELETE", "/data?" + urllib.parse.urlencode({"graph": PAPERS_GRAPH})) == 204
    assert hits(live, "four modes", kind="paper") == []


def test_sparql_update_is_followed(live):
    update = b"INSERT DATA { GRAPH <https://w3id.org/coproduction/graph/extra> { " + NEW + b" } }"
    assert send(live, "POST", "/update", update, "application/sparql-update") == 200
    assert hits(live, "budgeting") == ["https://w3id.org/coproduction/paper/new"]


def test_sparql_function_from_sparqlwrapper(live):
    sparql = SPARQLWrapper(live.url + "/sparql")
    sparql.setQuery(SEARCHING)
    sparql.setReturnFormat(JSON)
    rows = sparql.queryAndConvert()["results"]["bindings"]
    assert [(r["citing"]["value"], r["cited"]["value"]) for r in rows] == [
        ("https://w3id.org/coproduction/paper/robert-2024-6ccd34d9", ERIKSSON)]


def test_serve_answers_while_its_index_is_built(serve, cli_env, tmp_path):
    """A store without an index: `coprokg serve` serves at once and builds it meanwhile (here
    the build waits for the lock this test holds, as it would for another process building)."""
    settings = Settings.load({"store": cli_env["COPROKG_STORE"], "data_dir": cli_env["COPROKG_DATA_DIR"]}, environ={})
    store = open_initialised(settings)
    store.add_graph(NamedNode(PAPERS_GRAPH), [q.triple for q in parse(path=str(DATA / "papers.ttl"), format=RdfFormat.TURTLE)])
    index = SearchIndex.of(store)
    store.close()
    shutil.rmtree(index.path, ignore_errors=True)
    index.path.mkdir()
    with open(index.path / "build.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        server = serve(COPROKG_SEARCH_WAIT="0.1")
        with pytest.raises(urllib.error.HTTPError) as refused:
            get(server, "/search", q="four modes")
        answer = json.loads(refused.value.read())
        assert refused.value.code == 503 and refused.value.headers["Retry-After"] == "30"
        assert answer["error"] == "search-index-building" and "being built" in answer["message"]
        sparql = SPARQLWrapper(server.url + "/sparql")
        sparql.setReturnFormat(JSON)
        sparql.setQuery(SEARCHING)
        with pytest.raises(urllib.error.HTTPError) as refused:
            sparql.queryAndConvert()
        assert refused.value.code == 503 and json.loads(refused.value.read())["error"] == "search-index-building"
        sparql.setQuery("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert int(sparql.queryAndConvert()["results"]["bindings"][0]["n"]["value"]) > 0
        assert get(server, "/concepts", accept="text/html")[0] == "text/html"
    deadline = time.monotonic() + 120
    while True:
        try:
            assert hits(server, "four modes") == [ERIKSSON]
            break
        except urllib.error.HTTPError as error:
            assert error.code == 503 and time.monotonic() < deadline, "the index was not built"
            time.sleep(0.2)
    sparql.setQuery(SEARCHING)
    assert [row["cited"]["value"] for row in sparql.queryAndConvert()["results"]["bindings"]] == [ERIKSSON]
