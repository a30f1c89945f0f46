"""/papers, the literature browser, over HTTP on loopback: facets with counts for the
selection, sorting, paging, the CSV download and the SPARQL query that makes the selection;
and the order of a work's page."""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.parse
import urllib.request

import pytest
from pyoxigraph import NamedNode, RdfFormat, parse
from SPARQLWrapper import JSON, SPARQLWrapper

from tests.server.conftest import Live, app_holding_only

P = "https://w3id.org/coproduction/paper/"
C = "https://w3id.org/coproduction/concept/"
GBR = "http://publications.europa.eu/resource/authority/country/GBR"


@pytest.fixture
def served(make_app):
    server = Live(app_holding_only(make_app, "literature.ttl", "https://w3id.org/coproduction/graph/load/literature"))
    yield server
    server.stop()


def get(served, accept="application/json", **params):
    url = f"{served.url}/papers?{urllib.parse.urlencode(params)}"
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept}), timeout=60) as response:
        return response.headers.get_content_type(), response.read().decode()


def answer(served, **params) -> dict:
    return json.loads(get(served, **params)[1])


def facet(data: dict, name: str) -> dict[str, int]:
    return {row["value"]: row["papers"] for row in data["facets"].get(name, [])}


def test_every_work_and_facet_counts(served):
    data = answer(served)
    assert [p["iri"] for p in data["papers"]] == [P + "review-2024", P + "robert-2015", P + "bovaird-2007", P + "ostrom-1996"], "newest first"
    assert facet(data, "model") == {C + "public-service-model": 2, C + "practice-oriented-model": 1}
    assert facet(data, "country")[GBR] == 2
    assert facet(data, "review") == {P + "review-2024": 2}
    assert facet(data, "case") == {"https://w3id.org/coproduction/case/ward": 1}
    assert [row["label"] for row in data["facets"]["model"]] == ["public service model", "practice-oriented model"]


def test_facets_narrow_and_recount(served):
    data = answer(served, country=GBR)
    assert {p["iri"] for p in data["papers"]} == {P + "bovaird-2007", P + "robert-2015"}
    assert facet(data, "model") == {C + "public-service-model": 1, C + "practice-oriented-model": 1}
    assert sorted(row["label"] for row in data["facets"]["model"]) == ["practice-oriented model", "public service model"]
    data = answer(served, country=GBR, review=P + "review-2024", **{"from": "2010"})
    assert [p["iri"] for p in data["papers"]] == [P + "robert-2015"]
    assert facet(data, "list") == {P + "review-2024": 1}
    assert answer(served, list=P + "robert-2015", to="2000")["total"] == 1


def test_sorting_by_times_cited_and_title(served):
    cited = [(p["iri"], p["cited"]) for p in answer(served, sort="cited", concept=C + "co-design")["papers"]]
    assert cited == [(P + "ostrom-1996", 2), (P + "robert-2015", 1)]
    titles = [p["title"] for p in answer(served, sort="title", country=GBR)["papers"]]
    assert titles == ["Beyond engagement and participation", "Patients and staff as codesigners"]


def test_csv_download_of_the_selection(served):
    media_type, body = get(served, accept="*/*", format="csv", model=C + "public-service-model")
    assert media_type == "text/csv"
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [(r["paper"], r["published"], r["container"]) for r in rows] == [
        (P + "bovaird-2007", "2007", ""), (P + "ostrom-1996", "1996", "World Development")]


def test_the_selection_query_runs_and_gives_the_same_works(served):
    data = answer(served, model=C + "public-service-model", country=GBR)
    sparql = SPARQLWrapper(served.url + "/sparql")
    sparql.setQuery(data["sparql"])
    sparql.setReturnFormat(JSON)
    rows = sparql.queryAndConvert()["results"]["bindings"]
    assert [row["paper"]["value"] for row in rows] == [p["iri"] for p in data["papers"]] == [P + "bovaird-2007"]


def test_html_page_links_facets_and_the_editor(served):
    media_type, body = get(served, accept="text/html", country=GBR)
    assert media_type == "text/html"
    assert 'id="papers-total" role="status">2 works in this selection.' in body
    assert 'aria-current="true" title="remove this filter">✕ GBR (2)</a>' in body
    assert 'href="/editor?query=' in body and 'href="/coproduction/paper/robert-2015"' in body


@pytest.mark.parametrize("params", [{"sort": "random"}, {"from": "1990s"}, {"model": "not an iri"}, {"page": "9"}])
def test_bad_parameters_answer_400_saying_which(served, params):
    with pytest.raises(urllib.error.HTTPError) as raised:
        get(served, **params)
    assert raised.value.code == 400
    assert json.loads(raised.value.read())["error"] == "invalid-parameter"


def test_the_two_queries_share_one_selection():
    from coprokg.server.papers import RQ

    def block(name: str) -> str:
        text = (RQ / name).read_text()
        return text[text.index("  # selection"):text.index("  # end of selection")]

    assert block("papers-selection.rq") == block("papers-facets.rq")


def test_a_work_page_reads_as_a_reference_then_what_the_graph_knows(make_app):
    app = app_holding_only(make_app, "literature.ttl", "https://w3id.org/coproduction/graph/load/literature")
    note = "https://w3id.org/coproduction/annotation/robert-co-design"
    with app.extensions["coprokg.engine"].writing() as store:
        store.add_graph(NamedNode(note), list(parse(f"""
            @prefix oa: <http://www.w3.org/ns/oa#> . @prefix dcterms: <http://purl.org/dc/terms/> .
            @prefix cop: <https://w3id.org/coproduction/ontology#> . @prefix cito: <http://purl.org/spar/cito/> .
            <{note}> a oa:Annotation ; oa:hasBody <{C}co-design> ; oa:hasTarget <{note}#target> ; dcterms:source <{P}review-2024> .
            <{note}#target> oa:hasSource <{P}robert-2015> ; oa:hasSelector <{note}#selector> .
            <{note}#selector> oa:exact "staff and patients codesigned the service" .
            <{C}co-design> a <http://www.w3.org/2004/02/skos/core#Concept> .
            <https://w3id.org/coproduction/practice/ward-rounds> cop:reportedBy <{P}robert-2015> .
            <https://w3id.org/coproduction/disagreement/year> cop:concerns <{P}robert-2015> ; cop:property <http://purl.org/dc/terms/issued> ;
                cop:reading [ <http://www.w3.org/1999/02/22-rdf-syntax-ns#value> "2015" ] , [ <http://www.w3.org/1999/02/22-rdf-syntax-ns#value> "2016" ] .
            """, format=RdfFormat.TURTLE)), replace=True)
    html = app.test_client().get("/coproduction/paper/robert-2015", headers={"Accept": "text/html"}).get_data(as_text=True)
    order = ['id="citation"', "<h2>Concepts</h2>", "<q>staff and patients codesigned the service</q>", "<h2>Cites</h2>",
             "<h2>Cited by</h2>", "<h2>Reviews covering it</h2>", "<h2>Case studies and practices reported in it</h2>",
             "<h2>Sources disagree</h2>", "<h2>Every property</h2>"]
    places = [html.find(text) for text in order]
    assert -1 not in places, [text for text, at in zip(order, places) if at == -1]
    assert places == sorted(places), "the reference first, then what the graph knows, in this order"
    concepts = html[html.index("<h2>Concepts</h2>"):html.index("<h2>Cites</h2>")]
    assert '(in <a href="/coproduction/paper/review-2024"' in concepts, "a passage quoted from another work names it"
    assert "ward-rounds" in html[places[6]:places[7]] and "A ward that codesigned" in html[places[6]:places[7]]
