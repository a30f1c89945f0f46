"""A work as a reference: its page opens with the citation and "Cite this"; its IRI answers
BibTeX, RIS and CSL-JSON by Accept; /papers downloads the selection in each; works that print
alike are told apart. Read back with the libraries reference managers' files are read with."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import bibtexparser
import pytest
import rispy

from tests.server.conftest import Live, app_holding_only

CROSSING = "/coproduction/paper/crossing"
ACCEPT = {"bibtex": "application/x-bibtex", "ris": "application/x-research-info-systems",
          "csl-json": "application/vnd.citationstyles.csl+json"}


@pytest.fixture
def served(make_app):
    server = Live(app_holding_only(make_app, "citations.ttl", "https://w3id.org/coproduction/graph/load/citations"))
    yield server
    server.stop()


def get(served, path: str, accept: str = "*/*") -> tuple[str, str]:
    request = urllib.request.Request(served.url + path, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.headers.get_content_type(), response.read().decode()


def test_the_iri_answers_bibtex_by_accept(served):
    media_type, body = get(served, CROSSING, ACCEPT["bibtex"])
    assert media_type == "application/x-bibtex"
    [entry] = bibtexparser.parse_string(body).entries
    assert entry.entry_type == "article" and entry.key == "ostrom1996b"
    assert entry["author"] == "Ostrom, Elinor" and entry["journal"] == "World Development"
    assert (entry["volume"], entry["number"], entry["pages"]) == ("24", "6", "1073--1087")
    assert entry["doi"] == "10.1016/0305-750x(96)00023-x"


def test_the_iri_answers_ris_and_csl_json_by_accept(served):
    media_type, body = get(served, CROSSING, ACCEPT["ris"])
    assert media_type == "application/x-research-info-systems"
    [entry] = rispy.loads(body)
    assert entry["type_of_reference"] == "JOUR" and entry["authors"] == ["Ostrom, Elinor"]
    assert (entry["start_page"], entry["end_page"], entry["year"]) == ("1073", "1087", "1996")
    media_type, body = get(served, CROSSING, ACCEPT["csl-json"])
    assert media_type == "application/vnd.citationstyles.csl+json"
    [item] = json.loads(body)
    assert item["author"] == [{"family": "Ostrom", "given": "Elinor"}] and item["issued"] == {"date-parts": [[1996]]}
    assert item["container-title"] == "World Development" and item["page"] == "1073-1087"


def test_every_url_of_a_work_is_exported_where_the_format_can_repeat_it(served):
    # RIS repeats UR; BibTeX's url and CSL's URL hold one, the first of the same order.
    urls = ["https://archive.example/arenas", "https://publisher.example/arenas"]
    [entry] = rispy.loads(get(served, "/coproduction/paper/arenas", ACCEPT["ris"])[1])
    assert entry["urls"] == urls
    [bib] = bibtexparser.parse_string(get(served, "/coproduction/paper/arenas", ACCEPT["bibtex"])[1]).entries
    [item] = json.loads(get(served, "/coproduction/paper/arenas", ACCEPT["csl-json"])[1])
    assert bib["url"] == item["URL"] == urls[0]
    [crossing] = rispy.loads(get(served, CROSSING, ACCEPT["ris"])[1])
    assert crossing["urls"] == ["https://w3id.org" + CROSSING], "a work without a URL gives its IRI"


def test_browsers_and_rdf_clients_still_get_what_they_got(served):
    assert get(served, CROSSING, "text/html")[0] == "text/html"
    assert get(served, CROSSING, "text/turtle")[0] == "text/turtle"


def test_the_page_reads_like_a_reference(served):
    _, html = get(served, CROSSING, "text/html")
    citation = html[html.index('id="citation"'):html.index("</p>", html.index('id="citation"'))]
    assert "Ostrom, Elinor (1996b). <cite>Crossing the great divide" in citation
    assert "<em>World Development</em>, 24(6), 1073–1087." in citation
    assert 'href="https://doi.org/10.1016/0305-750x(96)00023-x"' in citation
    assert html.index('id="citation"') < html.index("Every property")
    link = html[html.index('id="cite-bibtex" href="') + 23:].split('"')[0].replace("&amp;", "&")
    media_type, body = get(served, link)
    assert media_type == "application/x-bibtex" and "@article{ostrom1996b," in body


@pytest.mark.parametrize("fmt", ["bibtex", "ris", "csl-json"])
def test_papers_downloads_the_selection_in_each_format(served, fmt):
    media_type, body = get(served, "/papers?" + urllib.parse.urlencode({"format": fmt, "from": 1990}))
    assert media_type == ACCEPT[fmt]
    if fmt == "bibtex":
        keys = [entry.key for entry in bibtexparser.parse_string(body).entries]
    elif fmt == "ris":
        keys = [entry["id"] for entry in rispy.loads(body)]
    else:
        keys = [item["id"] for item in json.loads(body)]
    assert sorted(keys) == ["ostrom1996a", "ostrom1996b"]


def test_works_that_print_alike_are_told_apart_in_the_listing(served):
    _, body = get(served, "/papers?format=json", "application/json")
    labels = {paper["iri"].rsplit("/", 1)[-1]: paper["label"] for paper in json.loads(body)["papers"]}
    assert labels == {"arenas": "Ostrom 1996a", "crossing": "Ostrom 1996b"}


def test_a_page_names_the_works_it_links_to_as_the_listing_does(served):
    """The author's page links to both works by the labels that tell them apart."""
    _, body = get(served, "/coproduction/person/ostrom-e", "text/html")
    assert "Ostrom 1996a" in body and "Ostrom 1996b" in body
