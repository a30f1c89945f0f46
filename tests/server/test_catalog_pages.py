"""A paged catalog question over HTTP: each page links to the first, previous and next ones,
in the Link header for data and as links on the HTML page, and following them reads the whole
answer once, in order."""

from __future__ import annotations

import json
import re
import urllib.request
from urllib.parse import urljoin

import pytest

from tests.server.conftest import Live

PAGED = ("#+ summary: Which numbers?\n#+ pagination: 2\n#+ defaults:\n#+   - above: 0\n"
         "SELECT ?n WHERE { VALUES ?n { 1 2 3 4 5 } FILTER(?n > ?_above_integer) } ORDER BY ?n\n")


@pytest.fixture
def server(make_app, tmp_path):
    folder = tmp_path / "questions"
    folder.mkdir()
    (folder / "paged.rq").write_text(PAGED)
    app = make_app()
    app.config["QUERIES_DIR"] = folder
    live = Live(app)
    yield live
    live.stop()


def get(url: str, accept: str):
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept}), timeout=30) as response:
        links = dict((rel, target) for target, rel in re.findall(r'<([^>]*)>; rel="(\w+)"', response.headers.get("Link", "")))
        return response.read().decode(), links


def test_following_next_reads_every_page_in_order(server):
    url, numbers, seen = f"{server.url}/queries/paged?above=1", [], []
    while url:
        body, links = get(url, "application/sparql-results+json")
        numbers.append([int(row["n"]["value"]) for row in json.loads(body)["results"]["bindings"]])
        seen.append(links)
        url = urljoin(url, links["next"]) if "next" in links else None
    assert numbers == [[2, 3], [4, 5], []], "the last page is full, so one more (empty) page follows it"
    assert [set(links) for links in seen] == [{"first", "next"}, {"first", "prev", "next"}, {"first", "prev"}]
    assert seen[1]["first"] == seen[1]["prev"] == "/queries/paged?above=1"
    assert seen[2]["prev"] == "/queries/paged?above=1&page=2"


def test_a_page_keeps_the_format_asked_for(server):
    body, links = get(f"{server.url}/queries/paged?format=csv&page=2", "*/*")
    assert body.split() == ["n", "3", "4"]
    assert links == {"first": "/queries/paged?format=csv", "prev": "/queries/paged?format=csv", "next": "/queries/paged?format=csv&page=3"}


def test_the_html_page_links_its_neighbours(server):
    middle, _ = get(f"{server.url}/queries/paged?page=2", "text/html")
    assert '<a rel="prev" href="/queries/paged?format=html">' in middle
    assert '<a rel="next" href="/queries/paged?format=html&amp;page=3">' in middle
    last, _ = get(f"{server.url}/queries/paged?page=3", "text/html")
    assert 'rel="prev"' in last and 'rel="next"' not in last


def test_an_unpaged_question_has_no_page_links(server, tmp_path):
    (tmp_path / "questions" / "whole.rq").write_text("#+ summary: Which numbers?\nSELECT ?n WHERE { VALUES ?n { 1 2 } }\n")
    body, links = get(f"{server.url}/queries/whole", "application/sparql-results+json")
    assert len(json.loads(body)["results"]["bindings"]) == 2 and links == {}


def test_pages_are_no_longer_than_the_servers_row_cap(make_app, tmp_path):
    # A row cap below the question's page size makes the pages that size: every page is whole
    # and linked to the next, rather than cut short with no way on.
    folder = tmp_path / "capped-questions"
    folder.mkdir()
    (folder / "paged.rq").write_text(PAGED.replace("pagination: 2", "pagination: 3"))
    app = make_app(max_rows=2)
    app.config["QUERIES_DIR"] = folder
    live = Live(app)
    try:
        url, numbers = f"{live.url}/queries/paged", []
        while url:
            body, links = get(url, "application/sparql-results+json")
            numbers.append([int(row["n"]["value"]) for row in json.loads(body)["results"]["bindings"]])
            url = urljoin(url, links["next"]) if "next" in links else None
        described, _ = get(f"{live.url}/queries", "application/json")
    finally:
        live.stop()
    assert numbers == [[1, 2], [3, 4], [5]]
    assert [q["pagination"] for q in json.loads(described)["queries"] if q["name"] == "paged"] == [2]
