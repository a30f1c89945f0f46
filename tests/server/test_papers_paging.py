"""/papers over a synthetic literature of a few hundred works loaded through the real loaders,
on a real server on loopback: every page of every sort, concatenated, is the whole selection in
the sort's order; totals and facet counts are those a live query counts; labels and citation
keys are the same in any selection; and the browser's summary follows an unload."""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request
import bibtexparser
import pytest

from bench import corpus
from coprokg.loaders import load_files, unload
from coprokg.queries import catalog
from coprokg.server.papers import FACET_SHOWN, PAGE_SIZE, RQ
from tests.server.conftest import Live

PAPERS = 240
TYPES = """VALUES ?type { bibo:AcademicArticle bibo:Book bibo:BookSection bibo:Report bibo:Webpage bibo:Document
                       bibo:Thesis fabio:JournalArticle fabio:Preprint }"""
FACTS = f"""PREFIX bibo: <http://purl.org/ontology/bibo/> PREFIX fabio: <http://purl.org/spar/fabio/>
PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX cito: <http://purl.org/spar/cito/>
SELECT ?paper ?title ?issued ?citing WHERE {{
  ?paper a ?type . {TYPES}
  {{ ?paper dcterms:title ?title }} UNION {{ ?paper dcterms:issued ?issued }} UNION {{ ?citing cito:cites ?paper }}
}}"""


@pytest.fixture(scope="module")
def literature(tmp_path_factory):
    folder = tmp_path_factory.mktemp("literature")
    return corpus.write_csv(corpus.papers(PAPERS), folder, PAPERS // 2)


@pytest.fixture
def served(make_app, literature):
    app = make_app()
    with app.extensions["coprokg.engine"].writing() as store:
        reports = [load_files(store, [path]) for path in literature]
    server = Live(app)
    server.loads = [report.load_id for report in reports]
    server.store = app.extensions["coprokg.engine"]
    yield server
    server.stop()


def get(served, **params) -> bytes:
    url = f"{served.url}/papers?{urllib.parse.urlencode(params)}"
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "application/json"}), timeout=120) as answer:
        return answer.read()


def sparql(served, text: str) -> list[dict]:
    body = urllib.parse.urlencode({"query": text}).encode()
    request = urllib.request.Request(f"{served.url}/sparql", data=body,
                                     headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=120) as answer:
        return [{k: v["value"] for k, v in row.items()} for row in json.loads(answer.read())["results"]["bindings"]]


def every_page(served, **params) -> tuple[int, list[dict]]:
    first = json.loads(get(served, **params))
    listed = list(first["papers"])
    for page in range(2, -(-first["total"] // PAGE_SIZE) + 1):
        listed += json.loads(get(served, page=page, **params))["papers"]
    return first["total"], listed


def live_order(served, sort: str, among: set[str] | None = None) -> list[str]:
    """The works in the order of ``sort``, from what the store holds now (not the summary)."""
    title, year, citing = {}, {}, {}
    for row in sparql(served, FACTS):
        paper = row["paper"]
        citing.setdefault(paper, set())
        if "title" in row:
            title[paper] = min(title.get(paper, row["title"]), row["title"])
        if "issued" in row and row["issued"][:4].isdigit():
            year[paper] = int(row["issued"][:4])
        if "citing" in row:
            citing[paper].add(row["citing"])
    title = {paper: text.casefold() for paper, text in title.items()}
    keys = {
        "year": lambda p: (-year.get(p, 0), title.get(p, ""), p),
        "title": lambda p: (title.get(p, ""), p),
        "cited": lambda p: (-len(citing[p]), -year.get(p, 0), p),
    }
    return sorted((p for p in citing if among is None or p in among), key=keys[sort])


def live_facets(served, values: dict[str, str]) -> dict[str, dict[str, int]]:
    """Per facet, the works of the selection of each value, counted by papers-facets.rq in one query."""
    counted: dict[str, dict[str, int]] = {}
    for row in sparql(served, catalog.read(RQ / "papers-facets.rq").sparql(values)):
        counted.setdefault(row["facet"], {})[row["value"]] = int(row["papers"])
    return counted


def most_common(served, facet: str) -> str:
    counts = live_facets(served, {})[facet]
    return max(counts, key=lambda value: (counts[value], value))


@pytest.mark.parametrize("sort", ["year", "title", "cited"])
def test_every_page_of_every_work_is_every_work_in_the_sorts_order(served, sort):
    total, listed = every_page(served, sort=sort)
    expected = live_order(served, sort)
    assert total == len(expected) >= PAPERS
    assert [work["iri"] for work in listed] == expected


@pytest.mark.parametrize("sort", ["year", "cited"])
def test_every_page_of_a_facet_is_its_selection_in_order_with_the_labels_of_every_work(served, sort):
    concept = most_common(served, "concept")
    total, listed = every_page(served, sort=sort, concept=concept)
    chosen = live_facets(served, {"concept": concept})["works"]["every work"]
    assert PAGE_SIZE < total == chosen == len(listed), "more than a page, as many as a live count"
    everyone = {work["iri"]: work for work in every_page(served, sort=sort)[1]}
    assert [work["iri"] for work in listed] == live_order(served, sort, {work["iri"] for work in listed})
    assert [work["label"] for work in listed] == [everyone[work["iri"]]["label"] for work in listed]
    assert any(re.search(r"\d{4}[a-z]$", work["label"]) for work in everyone.values()), "some works told apart"


@pytest.mark.parametrize("facet", ["", "concept", "country"])
def test_facet_counts_and_totals_are_a_live_count(served, facet):
    values = {facet: most_common(served, facet)} if facet else {}
    shown = json.loads(get(served, **values))
    live = live_facets(served, values)
    assert shown["total"] == live["works"]["every work"]
    for name, rows in shown["facets"].items():
        counts = live[name]
        assert {row["value"]: row["papers"] for row in rows}.items() <= counts.items()
        assert [row["papers"] for row in rows] == sorted(sorted(counts.values(), reverse=True)[:len(rows)], reverse=True)
        assert shown["facet_values"][name] == len(counts)
        assert len(rows) == min(FACET_SHOWN, len(counts)) + (values.get(name) in [r["value"] for r in rows[FACET_SHOWN:]])
    assert len(live["list"]) > FACET_SHOWN, "a facet with more values than are shown"


def test_the_html_page_says_how_many_more_values_a_facet_has(served):
    with urllib.request.urlopen(urllib.request.Request(f"{served.url}/papers", headers={"Accept": "text/html"})) as answer:
        html = answer.read().decode()
    more = len(live_facets(served, {})["list"]) - FACET_SHOWN
    section = html[html.index('id="facet-list"'):]
    assert f"and {more} more" in section[:section.index("</section>")]


def test_a_work_keeps_its_citation_key_in_a_narrow_download(served):
    concept = most_common(served, "concept")
    keys = {}
    for params in ({"format": "bibtex"}, {"format": "bibtex", "concept": concept}):
        library = bibtexparser.parse_string(get(served, **params).decode())
        keys[bool(len(params) - 1)] = {entry["url"]: entry.key for entry in library.entries}
    narrow, whole = keys[True], keys[False]
    assert len(whole) >= PAPERS and 0 < len(narrow) < len(whole)
    assert all(whole[url] == key for url, key in narrow.items())
    assert len(set(whole.values())) == len(whole), "every key unique"


def test_the_summary_follows_an_unload(served):
    before = json.loads(get(served))["total"]
    with served.store.writing() as store:
        unload(store, served.loads[-1])
    total, listed = every_page(served, sort="cited")
    assert total == len(live_order(served, "cited")) < before
    assert [work["iri"] for work in listed] == live_order(served, "cited")
    assert json.loads(get(served))["facets"] and total == live_facets(served, {})["works"]["every work"]


def test_a_sparql_update_is_followed_too(served):
    last = live_order(served, "title")[-1]
    served.store.update(f'INSERT DATA {{ <{last}> <http://purl.org/dc/terms/title> "AAA, a second title" }}')
    listed = [work["iri"] for work in every_page(served, sort="title")[1]]
    assert listed == live_order(served, "title") and listed[-1] != last



def test_a_work_whose_iri_holds_any_word_is_counted_in_a_faceted_selection(make_app):
    # The facet queries put the selection's IRIs into their text as escaped terms, after the
    # project's own patterns: an IRI holding the templates' words changes nothing.
    from pyoxigraph import Literal, NamedNode, Triple

    concept = "https://w3id.org/coproduction/concept/co-design"
    bibo, dcterms = "http://purl.org/ontology/bibo/", "http://purl.org/dc/terms/"
    works = [NamedNode(f"https://example.org/{word}/1") for word in ("PATTERN", "WORKS")]
    triples = [Triple(work, NamedNode(p), o) for work in works for p, o in (
        ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", NamedNode(bibo + "AcademicArticle")),
        (dcterms + "title", Literal(work.value)), (dcterms + "subject", NamedNode(concept)))]
    app = make_app()
    with app.extensions["coprokg.engine"].writing() as store:
        store.add_graph(NamedNode("https://example.org/graph/words"), triples)
    server = Live(app)
    try:
        answer = json.loads(get(server, concept=concept))
    finally:
        server.stop()
    listed = {paper["iri"] for paper in answer["papers"]}
    assert {work.value for work in works} <= listed
    counted = {row["value"]: row["papers"] for row in answer["facets"]["concept"]}
    assert counted[concept] == answer["total"] >= 2
