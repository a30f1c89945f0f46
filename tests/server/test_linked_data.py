"""Linked Data: IRIs under the base dereference here, as HTML or RDF; and the VoID description."""

from __future__ import annotations

import json

import pytest
from pyoxigraph import Literal, NamedNode, RdfFormat, parse

from coprokg import formats
from coprokg.loaders import load_files
from coprokg.server.linked_data import SUFFIXES
from coprokg.store import derived

PAPER_PATH = "/coproduction/paper/doi/10.1080/10967494.2021.1969486"
PAPER = "https://w3id.org/coproduction" + PAPER_PATH[len("/coproduction") :]
CONCEPT_PATH = "/coproduction/concept/co-design"
VOID = "http://rdfs.org/ns/void#"


def triples_of(response, fmt, client) -> list:
    data = response.data
    if fmt.name == "jsonld":  # the context is named by its URL: the parser gets the one served here
        document = json.loads(data)
        document["@context"] = client.get("/context.jsonld").get_json()["@context"]
        data = json.dumps(document).encode()
    return list(parse(data, fmt.serializer))


@pytest.mark.parametrize("fmt", formats.GRAPH_FORMATS, ids=lambda f: f.name)
def test_each_rdf_format_by_accept(client, fmt):
    response = client.get(PAPER_PATH, headers={"Accept": fmt.media_type})
    assert response.status_code == 200
    assert response.mimetype == fmt.media_type
    assert "Accept" in response.headers["Vary"]
    triples = triples_of(response, fmt, client)
    assert Literal("Four modes of coproduction") in {t.object for t in triples}
    cited_by = NamedNode("https://w3id.org/coproduction/paper/robert-2024-6ccd34d9")
    assert cited_by in {t.subject for t in triples}, "incoming citations are part of the description"


@pytest.mark.parametrize("suffix", sorted(SUFFIXES))
def test_each_suffix_gives_its_format_whatever_the_accept_header(client, suffix):
    fmt = SUFFIXES[suffix]
    response = client.get(f"{PAPER_PATH}.{suffix}", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.mimetype == fmt.media_type
    assert any(t.subject == NamedNode(PAPER) for t in triples_of(response, fmt, client))


def test_suffix_table_covers_the_four_rdf_formats():
    assert {f.media_type for f in SUFFIXES.values()} == {f.media_type for f in formats.GRAPH_FORMATS}
    assert sorted(SUFFIXES) == ["jsonld", "nt", "rdf", "ttl"]


def test_link_headers_name_every_alternate(client):
    links = client.get(PAPER_PATH, headers={"Accept": "text/turtle"}).headers["Link"]
    for suffix, fmt in SUFFIXES.items():
        assert f'<{PAPER_PATH}.{suffix}>; rel="alternate"; type="{fmt.media_type}"' in links
    assert client.get(PAPER_PATH + ".ttl").headers["Link"] == links


def test_paper_page_for_browsers(client):
    response = client.get(PAPER_PATH, headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "<h1>Eriksson 2022</h1>" in page
    for section in ("Authors", "Concepts", "Cited by", "Every property", "Incoming links"):
        assert f"<h2>{section}</h2>" in page
    assert 'href="/coproduction/person/eriksson-e"' in page and "Erik Eriksson" in page
    assert 'href="/coproduction/paper/robert-2024-6ccd34d9"' in page
    assert 'href="/coproduction/concept/co-design"' in page


def test_concept_page_shows_definition_sources_hierarchy_and_users(client):
    page = client.get(CONCEPT_PATH, headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "Citizens and professionals jointly design a service." in page
    for section in ("Sources", "Broader", "Papers using it", "Practices using it"):
        assert f"<h2>{section}</h2>" in page
    assert 'href="/coproduction/practice/citizen-panels"' in page
    narrower = client.get("/coproduction/concept/coproduction", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "<h2>Narrower</h2>" in narrower and 'href="/coproduction/concept/co-delivery"' in narrower


def test_unknown_iri_is_404_in_the_json_error_shape(client):
    response = client.get("/coproduction/paper/nothing-here")
    assert response.status_code == 404
    assert "nothing-here" in response.get_json()["message"]
    assert client.get("/coproduction/paper/nothing-here.ttl").status_code == 404


def test_html_page_etag_gives_304(client):
    first = client.get(CONCEPT_PATH, headers={"Accept": "text/html"})
    again = client.get(CONCEPT_PATH, headers={"Accept": "text/html", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_void_describes_the_dataset_from_the_store(client):
    response = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    triples = list(parse(response.data, RdfFormat.TURTLE))
    by_predicate = {}
    for t in triples:
        by_predicate.setdefault(t.predicate.value, []).append(t.object)
    count = client.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
    dataset_triples = [t.object for t in triples if t.predicate.value == VOID + "triples" and isinstance(t.subject, NamedNode)]
    assert [int(v.value) for v in dataset_triples] == [int(count.get_json()["results"]["bindings"][0]["n"]["value"])]
    assert NamedNode("http://127.0.0.1/sparql") in by_predicate[VOID + "sparqlEndpoint"]
    classes = set(by_predicate[VOID + "class"])
    assert NamedNode("http://purl.org/ontology/bibo/AcademicArticle") in classes
    assert NamedNode("http://purl.org/spar/cito/cites") in set(by_predicate[VOID + "property"])
    for key in ("entities", "distinctSubjects", "distinctObjects"):
        assert by_predicate[VOID + key]
    assert by_predicate["http://purl.org/dc/terms/license"] and by_predicate["http://purl.org/dc/terms/modified"]


def test_a_paper_page_shows_the_values_its_sources_disagree_on(app, client, tmp_path):
    first, later = tmp_path / "registry.bib", tmp_path / "table.bib"
    first.write_text("@article{r, title={Fidelity in coproduction}, author={Berg, Anna}, year={2016}, doi={10.5555/fid.2}}\n")
    later.write_text("@article{t7, title={Fidelity in coproduction}, author={Berg, Anna}, year={2017}, doi={10.5555/fid.2}}\n")
    with app.extensions["coprokg.engine"].writing() as store:
        load_files(store, [first])
        load_files(store, [later])
    page = client.get("/coproduction/paper/doi/10.5555/fid.2", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "<h2>Sources disagree</h2>" in page
    table = page.split("<h2>Sources disagree</h2>", 1)[1].split("</table>", 1)[0]
    assert "2016 <span class=\"muted\">(default reading)</span>" in table
    assert "2017</td>" in table and "table.bib line 1 record &#39;t7&#39;" in table


def test_a_disagreement_about_a_property_outside_http_shows_it_as_text(app, client):
    """A disagreement loaded by a librarian may name a urn: property or source: shown, never a link."""
    turtle = """
    @prefix cop: <https://w3id.org/coproduction/ontology#> .
    @prefix dcterms: <http://purl.org/dc/terms/> .
    @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
    <https://w3id.org/coproduction/paper/odd> dcterms:title "Odd" .
    <https://w3id.org/coproduction/disagreement/odd> cop:concerns <https://w3id.org/coproduction/paper/odd> ;
        cop:property <urn:example:year> ; cop:reading [ rdf:value "2001" ; dcterms:source <urn:example:table> ] .
    """
    graph = NamedNode("https://w3id.org/coproduction/graph/odd")
    with app.extensions["coprokg.engine"].writing() as store:
        store.add_graph(graph, parse(turtle.encode(), RdfFormat.TURTLE))
    page = client.get("/coproduction/paper/odd", headers={"Accept": "text/html"}).get_data(as_text=True)
    table = page.split("<h2>Sources disagree</h2>", 1)[1].split("</table>", 1)[0]
    assert "urn:example:year" in table and "urn:example:table" in table
    assert 'href="None"' not in page and 'href="urn:' not in page


def sparql_rows(client, query: str) -> list[dict]:
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200
    return response.get_json()["results"]["bindings"]


def test_a_page_leaves_out_the_summaries_statements_but_keeps_the_inferences(app, client):
    """The summaries (a cited work's count, place and citing names; a concept's pairs) are the
    catalog's and the browser's bookkeeping: SPARQL reads them, a resource's page does not."""
    with app.extensions["coprokg.engine"].writing() as store:  # the fixture's file was written as one graph
        derived.refresh(store)
    summaries = " ".join(f"<{g}>" for g in ("https://w3id.org/coproduction/graph/summaries/citations",
                                            "https://w3id.org/coproduction/graph/summaries/subjects",
                                            "https://w3id.org/coproduction/graph/summaries/browser"))
    said = sparql_rows(client, f"SELECT ?p ?o WHERE {{ VALUES ?g {{ {summaries} }} GRAPH ?g {{ <{PAPER}> ?p ?o }} }}")
    summarised = {row["p"]["value"] for row in said}
    assert "https://w3id.org/coproduction/ontology#citingSourceLabels" in summarised, "the work is cited"
    inferred = sparql_rows(client, f"SELECT ?p ?o WHERE {{ GRAPH <https://w3id.org/coproduction/graph/inferred> "
                                   f"{{ <{PAPER}> ?p ?o }} }}")
    assert inferred, "the inference graph says something of the work"

    triples = triples_of(client.get(PAPER_PATH + ".nt"), formats.by_name("ntriples", formats.GRAPH_FORMATS), client)
    predicates = {t.predicate.value for t in triples if t.subject == NamedNode(PAPER)}
    assert not predicates & summarised
    assert {(row["p"]["value"], row["o"]["value"]) for row in inferred} <= {
        (t.predicate.value, t.object.value) for t in triples if t.subject == NamedNode(PAPER)}
    html = client.get(PAPER_PATH, headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "citingSourceLabels" not in html and "citationRank" not in html

    pairs = sparql_rows(client, "SELECT ?pair ?concept WHERE { GRAPH <https://w3id.org/coproduction/graph/summaries/"
                                "subjects> { ?pair <https://w3id.org/coproduction/ontology#firstConcept> ?concept } } LIMIT 1")
    assert pairs, "two concepts are subjects of the same paper"
    concept = pairs[0]["concept"]["value"]
    page = client.get(concept[len("https://w3id.org"):], headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert pairs[0]["pair"]["value"] not in page.get_data(as_text=True)
    assert "firstConcept" not in page.get_data(as_text=True)
