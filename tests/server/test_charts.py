"""/charts and the citation network on work and concept pages: the SVG pictures and the tables
they are drawn from, checked against counts asked of the same store with SPARQL."""

from __future__ import annotations

import html as markup
import re
import urllib.parse

from pyoxigraph import NamedNode, RdfFormat, parse

from tests.server.conftest import app_holding_only

LITERATURE = "https://w3id.org/coproduction/graph/load/literature"
P = "https://w3id.org/coproduction/paper/"
PREFIXES = """PREFIX cop: <https://w3id.org/coproduction/ontology#>
PREFIX cito: <http://purl.org/spar/cito/>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""


def page(app, path: str) -> str:
    response = app.test_client().get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_data(as_text=True)


def ask(app, variables: str, where: str) -> list[tuple[str, ...]]:
    """The values of ``variables`` (in that order) in each solution of ``where``."""
    rows = app.extensions["coprokg.store"].query(PREFIXES + f"SELECT {variables} WHERE {{ {where} }}")
    return [tuple(row[name].value for name in variables.replace("?", "").split()) for row in rows]


def part(html: str, start: str, end: str) -> str:
    return html[html.index(start):html.index(end, html.index(start))]


def test_model_types_by_year_as_bars_and_table(make_app):
    app = app_holding_only(make_app, "literature.ttl", LITERATURE)
    html = page(app, "/charts")
    bars = re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="\d+" height="([\d.]+)" fill="#\w+"><title>([^<]+)</title>', html)
    assert sorted(title for _, title in bars) == [
        "1996, public service model: 1", "2007, public service model: 1", "2015, practice-oriented model: 1"]
    assert {float(height) for height, _ in bars} == {200.0}, "one work a year: every bar as tall as the tallest"
    table = part(html, 'id="table-models"', "</table>")
    assert table.count("<tr>") == 1 + (2015 - 1996 + 1), "every year from the first to the last"
    assert "<th scope=\"row\">2007</th><td>0</td><td>1</td>" in table
    assert 'id="chart-evidence"' in html


def test_concepts_by_literature_counts_the_works_of_each_discipline_and_concept(make_app):
    app = app_holding_only(make_app, "literature.ttl", LITERATURE)
    with app.extensions["coprokg.engine"].writing() as store:  # a second concept, used by one discipline twice
        store.add_graph(NamedNode(LITERATURE + "-more"), list(parse(
            "@prefix c: <https://w3id.org/coproduction/concept/> . @prefix d: <http://purl.org/dc/terms/> .\n"
            "<https://w3id.org/coproduction/paper/bovaird-2007> d:subject c:user-involvement .\n"
            "<https://w3id.org/coproduction/paper/ostrom-1996> d:subject c:user-involvement .\n"
            "<https://w3id.org/coproduction/paper/bovaird-2007> <https://w3id.org/coproduction/ontology#discipline> c:political-science .",
            format=RdfFormat.TURTLE)), replace=True)
    held: dict[tuple[str, str], set[str]] = {}
    for paper, discipline, concept in ask(app, "?paper ?discipline ?concept", "?paper cop:discipline ?discipline ; dcterms:subject ?concept"):
        held.setdefault((discipline, concept), set()).add(paper)
    expected = {key: len(works) for key, works in held.items()}
    assert expected, "the fixture has works with a discipline and a concept"
    html = page(app, "/charts")
    svg = part(html, 'id="chart-literatures"', "</svg>")
    drawn = {}
    for href, n in re.findall(r'<a href="([^"]+)"><rect [^>]+><title>[^<]+</title></rect>\s*<text [^>]+>(\d+)</text></a>', svg):
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(markup.unescape(href)).query)
        drawn[(query["discipline"][0], query["concept"][0])] = int(n)
    assert drawn == expected
    table = part(html, 'id="table-literatures"', "</table>")
    cells = {}
    for href, n in re.findall(r'<td><a href="(/papers\?[^"]+)">(\d+)</a></td>', table):
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(markup.unescape(href)).query)
        cells[(query["discipline"][0], query["concept"][0])] = int(n)
        listed = app.test_client().get(markup.unescape(href), headers={"Accept": "application/json"}).get_json()
        assert listed["total"] == int(n), "a cell's link lists its works"
    assert cells == expected
    concepts = re.findall(r'<tr><th scope="row"><a href="[^"]+">([^<]+)</a></th><td>(\d+)</td>', table)
    assert concepts[0] == ("user-involvement", "2"), "the concept used by the most disciplines comes first"


def test_citation_network_around_a_work(make_app):
    app = app_holding_only(make_app, "literature.ttl", LITERATURE)
    focus = P + "robert-2015"
    citations = ask(app, "?citing ?cited", "?citing cito:cites ?cited")
    around = {focus} | {b for a, b in citations if a == focus} | {a for a, b in citations if b == focus}
    expected = {(a, b) for a, b in citations if a in around and b in around}
    html = page(app, "/coproduction/paper/robert-2015")
    table = part(html, 'id="table-network"', "</table>")
    rows = re.findall(r'<tr><td><a href="/coproduction/paper/([^"]+)">[^<]+</a></td><td><a href="/coproduction/paper/([^"]+)">', table)
    assert {(P + a, P + b) for a, b in rows} == expected and len(rows) == len(expected)
    svg = part(html, 'id="chart-network"', "</svg>")
    assert svg.count("marker-end=") == len(expected) == 4, "one arc per citation among the works around it"
    assert re.findall(r'<a href="/coproduction/paper/([^"]+)"><text', svg) == [
        "ostrom-1996", "bovaird-2007", "robert-2015", "review-2024"], "one row per work, oldest first"
    assert 'font-weight="700">Robert et al. 2015<' in svg, "the work itself stands out"


def test_citation_network_around_a_concept_and_none_without_citations(make_app):
    app = app_holding_only(make_app, "literature.ttl", LITERATURE)
    about = {paper for (paper,) in ask(app, "?paper", "?paper dcterms:subject <https://w3id.org/coproduction/concept/co-design>")}
    expected = {(a, b) for a, b in ask(app, "?a ?b", "?a cito:cites ?b") if a in about and b in about}
    html = page(app, "/coproduction/concept/co-design")
    table = part(html, 'id="table-network"', "</table>")
    assert table.count("<tr><td>") == len(expected) == 1
    assert "Robert et al. 2015</a></td><td><a href=\"/coproduction/paper/ostrom-1996\">Ostrom 1996</a>" in table
    assert 'id="chart-network"' not in page(app, "/coproduction/concept/public-service-model")


def test_works_that_print_alike_are_told_apart_on_pages_and_in_the_network(make_app):
    app = app_holding_only(make_app, "citations.ttl", "https://w3id.org/coproduction/graph/load/citations")
    with app.extensions["coprokg.engine"].writing() as store:
        store.add_graph(NamedNode("https://w3id.org/coproduction/graph/load/later"), list(parse(
            "@prefix p: <https://w3id.org/coproduction/paper/> .\n"
            "p:later a <http://purl.org/ontology/bibo/Book> ; <http://www.w3.org/2000/01/rdf-schema#label> \"Later 2000\" ;\n"
            "  <http://purl.org/dc/terms/title> \"Later work\" ; <http://purl.org/spar/cito/cites> p:crossing, p:arenas .",
            format=RdfFormat.TURTLE)), replace=True)
    html = page(app, "/coproduction/paper/later")
    cites = part(html, "<h2>Cites</h2>", "</ul>")
    assert '<a href="/coproduction/paper/arenas" title="https://w3id.org/coproduction/paper/arenas">Ostrom 1996a</a>' in cites
    assert '<a href="/coproduction/paper/crossing" title="https://w3id.org/coproduction/paper/crossing">Ostrom 1996b</a>' in cites
    svg = part(html, 'id="chart-network"', "</svg>")
    assert ">Ostrom 1996a<title>Arenas of governance</title>" in svg and ">Ostrom 1996b<title>" in svg
    assert "<h1>Ostrom 1996b</h1>" in page(app, "/coproduction/paper/crossing"), "a work's own page too"
