"""The UI in a real browser (Chromium driven by Playwright) against a real `coprokg serve`.

Every test records each request the page makes and fails if one leaves loopback.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from SPARQLWrapper import JSON, SPARQLWrapper

from coprokg.vocab import PREFIXES

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install -e '.[test]'")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
PROLOGUE = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in PREFIXES.items())
JURY = "/coproduction/concept/citizens-jury"


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium (.ci/run installs the chromium package)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, served):
    """A fresh page on the served UI; afterwards, every request it made must have stayed on loopback."""
    context = browser.new_context(base_url=served)
    opened = context.new_page()
    requested: list[str] = []
    opened.on("request", lambda request: requested.append(request.url))
    yield opened
    context.close()
    assert requested, "the page made no request at all"
    outside = [url for url in requested if urllib.parse.urlsplit(url).hostname != "127.0.0.1" and not url.startswith(("data:", "about:"))]
    assert not outside, f"requests left loopback: {outside}"


def editor_text(page) -> str:
    return page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")


def set_editor_text(page, text: str) -> None:
    page.evaluate("text => document.querySelector('.CodeMirror').CodeMirror.setValue(text)", text)


def select(served: str, query: str) -> list[dict]:
    client = SPARQLWrapper(served + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(JSON)
    return client.queryAndConvert()["results"]["bindings"]


def test_editor_runs_a_query_and_shows_the_table(page, served):
    page.goto("/editor")
    assert "PREFIX cop: <https://w3id.org/coproduction/ontology#>" in editor_text(page)
    query = PROLOGUE + "SELECT ?concept ?label WHERE { ?concept skos:inScheme scheme:engagement-technique ; skos:prefLabel ?label } ORDER BY ?label"
    set_editor_text(page, query)
    page.get_by_role("button", name="Run query").click()
    table = page.locator("#results")
    sync_api.expect(table.locator("tbody tr")).to_have_count(4)
    expected = [row["label"]["value"] for row in select(served, query)]
    assert table.locator("tbody tr td:nth-child(2)").all_inner_texts() == expected
    assert table.locator("thead th").all_inner_texts() == ["concept", "label"]
    link = table.get_by_role("link", name="concept:citizens-jury")
    assert link.get_attribute("href") == JURY
    sync_api.expect(page.locator("#status")).to_have_text(re.compile(r"^4 rows in \d+ ms\.$"))
    downloads = {a.inner_text(): a.get_attribute("href") for a in page.locator("#downloads a").all()}
    assert sorted(downloads) == ["CSV", "JSON", "TSV"]
    csv = page.request.get(downloads["CSV"])
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text().splitlines()[0] == "concept,label"
    with page.expect_download() as saving:
        page.get_by_role("link", name="TSV").click()
    assert saving.value.suggested_filename == "answer.tsv"
    assert saving.value.url.startswith("blob:"), "downloads are POSTed, so long queries fit"
    saved = Path(saving.value.path()).read_text().splitlines()
    assert saved[0] == "?concept\t?label" and len(saved) == 5
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)["query"] == [query], "the address shares the query"


def test_iris_outside_the_base_are_plain_text(page):
    page.goto("/editor")
    set_editor_text(page, PROLOGUE + "SELECT ?country WHERE { ?case cop:country ?country }")
    page.locator(".CodeMirror").click()
    page.keyboard.press("Control+Enter")
    cell = page.locator("#results tbody td").first
    sync_api.expect(cell).to_have_text("country:SWE")
    assert cell.locator("a").count() == 0


def test_a_bad_query_shows_the_servers_message(page, served):
    bad = "SELECT ?x WHERE { ?x ?y }"
    request = urllib.request.Request(served + "/sparql", data=urllib.parse.urlencode({"query": bad}).encode())
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    message = json.loads(refused.value.read())["message"]
    page.goto("/editor")
    set_editor_text(page, bad)
    page.get_by_role("button", name="Run query").click()
    error = page.get_by_role("alert")
    sync_api.expect(error).to_be_visible()
    assert message in error.inner_text()
    assert page.locator("#results").count() == 0


def test_a_shared_link_preloads_the_query_and_ask_answers(page):
    query = PROLOGUE + "ASK { concept:citizens-jury skos:broader concept:deliberative-forum }"
    page.goto("/editor?" + urllib.parse.urlencode({"query": query}))
    assert editor_text(page) == query
    page.get_by_role("button", name="Run query").click()
    sync_api.expect(page.locator("#results tbody td")).to_have_text("true")


def test_construct_answers_show_as_turtle(page):
    page.goto("/editor")
    set_editor_text(page, PROLOGUE + "CONSTRUCT { ?c skos:prefLabel ?l } WHERE { ?c skos:prefLabel ?l FILTER(?c = concept:photovoice) }")
    page.get_by_role("button", name="Run query").click()
    sync_api.expect(page.locator("#graph")).to_contain_text("photovoice")
    assert "<https://w3id.org/coproduction/concept/photovoice>" in page.locator("#graph").inner_text()
    assert page.locator("#downloads a").all_inner_texts() == ["TURTLE", "NTRIPLES", "JSONLD"]


def test_the_editor_works_as_a_plain_textarea_without_codemirror(page):
    page.route("**/codemirror.js", lambda route: route.abort())
    page.goto("/editor?" + urllib.parse.urlencode({"query": "SELECT ?case WHERE { ?case a <https://w3id.org/coproduction/ontology#CaseStudy> }"}))
    assert page.locator(".CodeMirror").count() == 0
    textarea = page.get_by_label("SPARQL query")
    sync_api.expect(textarea).to_be_visible()
    textarea.press("Control+Enter")
    sync_api.expect(page.locator("#results tbody tr")).to_have_count(1)
    assert page.locator("#results a").get_attribute("href") == "/coproduction/case/harbour-town"


def test_a_catalog_question_loads_into_the_editor(page):
    page.goto("/editor")
    page.get_by_role("link", name="Which coproduction modes and levels have empirical evidence", exact=False).click()
    page.wait_for_url("**/editor?example=evidence-matrix")
    assert "#+ summary: Which coproduction modes and levels" in editor_text(page)
    page.get_by_role("button", name="Run query").click()
    sync_api.expect(page.locator("#results")).to_contain_text("Citizens' jury on elderly care")


def test_concept_browser_filters_and_leads_to_a_concept_page(page):
    page.goto("/concepts")
    jury = page.get_by_role("link", name="citizens' jury")
    photovoice = page.get_by_role("link", name="photovoice")
    sync_api.expect(photovoice).to_be_visible()
    page.get_by_label("Filter by label").fill("planning cell")
    sync_api.expect(photovoice).to_be_hidden()
    sync_api.expect(jury).to_be_visible()
    sync_api.expect(page.get_by_role("link", name="deliberative forum")).to_be_visible()
    sync_api.expect(page.get_by_role("status")).to_contain_text("2 concepts in 1 schemes")
    sync_api.expect(page.get_by_role("navigation", name="Schemes").get_by_role("link")).to_have_text(["Engagement techniques"])
    assert "q=planning+cell" in page.url
    jury.click()
    page.wait_for_url("**" + JURY)
    assert urllib.parse.urlsplit(page.url).path == JURY


def test_home_page_shows_the_counts(page, served):
    page.goto("/")
    shown = {key: int(page.locator(f"#count-{key}").inner_text()) for key in ("papers", "concepts", "cases", "practices")}
    counted = select(served, PROLOGUE + """SELECT * WHERE {
      { SELECT (COUNT(DISTINCT ?c) AS ?concepts) WHERE { ?c a skos:Concept } }
      { SELECT (COUNT(DISTINCT ?k) AS ?cases) WHERE { ?k a cop:CaseStudy } }
      { SELECT (COUNT(DISTINCT ?p) AS ?practices) WHERE { ?p a cop:CoproductionPractice } }
      { SELECT (COUNT(DISTINCT ?w) AS ?papers) WHERE { ?w a ?t FILTER(?t IN (bibo:AcademicArticle, bibo:Book, bibo:BookSection,
          bibo:Report, bibo:Webpage, bibo:Document, bibo:Thesis, fabio:JournalArticle, fabio:Preprint)) } } }""")[0]
    assert shown == {key: int(value["value"]) for key, value in counted.items()}
    page.get_by_role("link", name="Query editor").first.click()
    page.wait_for_url("**/editor")


def test_matrix_page_renders(page):
    page.goto("/matrix")
    sync_api.expect(page.get_by_role("heading", level=1)).to_contain_text("Evidence matrix")
    assert page.locator("table th").count() >= 4
    sync_api.expect(page.locator("table")).to_contain_text("Citizens' jury on elderly care")
    assert page.locator("nav [aria-current=page]").inner_text() == "Evidence matrix"


@pytest.mark.parametrize("path", ["/", "/editor", "/concepts", "/queries", "/matrix"])
def test_pages_fit_a_narrow_screen(page, path):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(path)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{path} is {overflow}px wider than a 360px screen"


def test_pages_work_under_the_content_security_policy(page):
    """The server sends a strict Content-Security-Policy; no page may trip it, and the editor
    (CodeMirror, vendored) still runs a query under it."""
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None)
    for path in ("/", "/editor", "/concepts", "/queries", "/matrix", JURY):
        response = page.goto(path)
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        page.evaluate("""() => { window.cspViolations = window.cspViolations || [];
            document.addEventListener('securitypolicyviolation', e => window.cspViolations.push(e.violatedDirective)); }""")
        page.wait_for_load_state("networkidle")
        violations += page.evaluate("window.cspViolations")
    page.goto("/editor")
    set_editor_text(page, PROLOGUE + "SELECT ?label WHERE { ?c skos:prefLabel ?label } LIMIT 2")
    page.get_by_role("button", name="Run query").click()
    sync_api.expect(page.locator("#results tbody tr")).to_have_count(2)
    assert page.locator(".CodeMirror").count() == 1, "CodeMirror runs under the policy"
    assert not violations, violations
