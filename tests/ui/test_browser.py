"""The UI in a real browser (Chromium driven by Playwright) against a real `coprokg serve`.

Every test records each request the page makes and fails if one leaves loopback.
"""

from __future__ import annotations

import csv
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


def loopback(url: str) -> bool:
    return urllib.parse.urlsplit(url).hostname == "127.0.0.1" or url.startswith(("data:", "about:", "blob:"))


def open_page(context, outside: list[str]):
    """A page of ``context`` on which every request beyond loopback is refused and recorded,
    as if the network were unreachable."""
    def guard(route):
        if loopback(route.request.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    opened = context.new_page()
    opened.route("**/*", guard)
    return opened


class Pages:
    """Opens pages in fresh browser contexts (no shared localStorage) and, on close, fails if
    any of them asked for anything beyond loopback."""

    def __init__(self, browser, served: str):
        self.browser, self.served = browser, served
        self.contexts: list = []
        self.outside: list[str] = []

    def open(self, **options):
        context = self.browser.new_context(base_url=self.served, accept_downloads=True, **options)
        self.contexts.append(context)
        return open_page(context, self.outside)

    def close(self) -> None:
        for context in self.contexts:
            context.close()
        assert not self.outside, f"requests left loopback: {self.outside}"


@pytest.fixture
def new_page(browser, served):
    pages = Pages(browser, served)
    yield pages.open
    pages.close()


@pytest.fixture
def page(browser, served):
    """A fresh page on the served UI, on which no request may leave loopback."""
    pages = Pages(browser, served)
    yield pages.open()
    pages.close()


def editor_text(page) -> str:
    return page.evaluate("coprokgEditor.getTab().getYasqe().getValue()")


def set_editor_text(page, text: str) -> None:
    page.evaluate("text => coprokgEditor.getTab().getYasqe().setValue(text)", text)


def run(page) -> None:
    page.locator(".tabPanel.active").get_by_role("button", name="Run query").click()


def results(page):
    return page.locator(".tabPanel.active .yasr_results table.dataTable")


def column(page, n: int) -> list[str]:
    """The cells of the n-th variable's column (1-based; YASR's row numbers come first)."""
    return results(page).locator(f"tbody tr td:nth-child({n + 1})").all_inner_texts()


def lexical(cell: str) -> str:
    """The text of a literal as YASR shows it: '"text"@en' or '"2"^^xsd:integer' gives the text."""
    return cell[1:cell.rindex('"')]


def select(served: str, query: str) -> list[dict]:
    client = SPARQLWrapper(served + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(JSON)
    return client.queryAndConvert()["results"]["bindings"]


LABELS = PROLOGUE + "SELECT ?concept ?label WHERE { ?concept a skos:Concept ; skos:prefLabel ?label FILTER(lang(?label) = 'en') }"


def test_editor_runs_a_query_and_shows_the_table(page, served):
    page.goto("/editor")
    assert "PREFIX cop: <https://w3id.org/coproduction/ontology#>" in editor_text(page)
    query = PROLOGUE + "SELECT ?concept ?label WHERE { ?concept skos:inScheme scheme:engagement-technique ; skos:prefLabel ?label } ORDER BY ?label"
    set_editor_text(page, query)
    run(page)
    table = results(page)
    sync_api.expect(table.locator("tbody tr")).to_have_count(4)
    expected = [row["label"]["value"] for row in select(served, query)]
    assert [lexical(cell) for cell in column(page, 2)] == expected
    assert table.locator("thead th").all_inner_texts()[1:] == ["concept", "label"]
    link = table.get_by_role("link", name="concept:citizens-jury")
    assert link.get_attribute("href") == JURY, "IRIs under the base open their page on this server"
    sync_api.expect(page.locator(".tabPanel.active .yasr_response_chip")).to_contain_text("4 results")
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)["query"] == [query], "the address shares the query"


def test_iris_outside_the_base_are_plain_text(page):
    page.goto("/editor")
    set_editor_text(page, PROLOGUE + "SELECT ?country WHERE { ?case cop:country ?country }")
    page.locator(".tabPanel.active .CodeMirror").click()
    page.keyboard.press("Control+Enter")
    cell = results(page).locator("tbody td:nth-child(2)").first
    sync_api.expect(cell).to_have_text("country:SWE")
    assert cell.locator("a").count() == 0
    assert cell.locator("span[title]").get_attribute("title") == str(PREFIXES["country"]) + "SWE"


def test_the_table_pages_and_sorts(page, served):
    expected = sorted((row["label"]["value"] for row in select(served, LABELS)), key=str.lower)
    assert len(expected) > 20, "the fixture has enough concepts to page through"
    page.goto("/editor")
    set_editor_text(page, LABELS)
    run(page)
    sync_api.expect(page.locator(".tabPanel.active .yasr_response_chip")).to_contain_text(f"{len(expected)} results")
    page.locator(".tabPanel.active .tableSizer").select_option("10")
    sync_api.expect(results(page).locator("tbody tr")).to_have_count(10)
    results(page).locator("thead th", has_text="label").click()
    sync_api.expect(results(page).locator("thead th", has_text="label")).to_have_attribute("aria-sort", "ascending")
    assert [lexical(cell) for cell in column(page, 2)] == expected[:10]
    page.locator(".tabPanel.active .dt-paging-button.next").click()
    sync_api.expect(page.locator(".tabPanel.active .dt-info")).to_contain_text(f"Showing 11 to 20 of {len(expected)}")
    assert [lexical(cell) for cell in column(page, 2)] == expected[10:20]


def test_numbers_sort_as_numbers(page, served):
    query = "SELECT ?class (COUNT(?x) AS ?n) WHERE { ?x a ?class } GROUP BY ?class"
    counts = sorted(int(row["n"]["value"]) for row in select(served, query))
    assert len(set(len(str(n)) for n in counts)) > 1, "counts of different lengths, so text order would differ"
    page.goto("/editor")
    set_editor_text(page, query)
    run(page)
    header = results(page).locator("thead th", has_text="n").last
    header.click()
    sync_api.expect(header).to_have_attribute("aria-sort", "ascending")
    shown = [int(lexical(cell)) for cell in column(page, 2)]
    assert shown == counts[:len(shown)]


def test_results_download_as_csv_that_parses(page, served):
    page.goto("/editor")
    set_editor_text(page, LABELS)
    run(page)
    sync_api.expect(page.locator(".tabPanel.active .yasr_response_chip")).to_contain_text("results")
    with page.expect_download() as saving:
        page.locator(".tabPanel.active .yasr_downloadIcon").click()
    assert saving.value.suggested_filename.endswith(".csv")
    with open(saving.value.path(), newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    expected = sorted((row["concept"]["value"], row["label"]["value"]) for row in select(served, LABELS))
    assert sorted((row["concept"], row["label"]) for row in rows) == expected


def test_a_bad_query_shows_the_servers_message(page, served):
    bad = "SELECT ?x WHERE { ?x ?y }"
    request = urllib.request.Request(served + "/sparql", data=urllib.parse.urlencode({"query": bad}).encode())
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    problem = json.loads(refused.value.read())
    page.goto("/editor")
    set_editor_text(page, bad)
    run(page)
    error = page.get_by_role("alert")
    sync_api.expect(error).to_be_visible()
    assert problem["message"] in error.inner_text()
    assert "Where: " + problem["where"] in error.inner_text()
    assert "{" not in error.inner_text().split("\n")[0], "the message, not the JSON it came in"


def test_ask_answers_true(page):
    page.goto("/editor")
    set_editor_text(page, PROLOGUE + "ASK { concept:citizens-jury skos:broader concept:deliberative-forum }")
    run(page)
    sync_api.expect(page.locator(".tabPanel.active .yasr_results")).to_contain_text("true", ignore_case=True)


def test_construct_answers_show_their_triples(page):
    page.goto("/editor")
    set_editor_text(page, PROLOGUE + "CONSTRUCT { ?c skos:prefLabel ?l } WHERE { ?c skos:prefLabel ?l FILTER(?c = concept:photovoice) }")
    run(page)
    sync_api.expect(results(page)).to_contain_text("photovoice")
    page.locator(".tabPanel.active .select_response").click()
    sync_api.expect(page.locator(".tabPanel.active .yasr_results")).to_contain_text("<https://w3id.org/coproduction/concept/photovoice>")


def test_project_prefixes_are_completed(page):
    page.goto("/editor")
    set_editor_text(page, "")
    page.locator(".tabPanel.active .CodeMirror").click()
    page.keyboard.type("PREFIX conc")
    hints = page.locator(".CodeMirror-hints li")
    sync_api.expect(hints.first).to_have_text(f"concept: <{PREFIXES['concept']}>")
    page.keyboard.press("Enter")
    set_editor_text(page, "SELECT * WHERE { ?s a ")
    page.evaluate("coprokgEditor.getTab().getYasqe().setCursor({line: 0, ch: 100})")
    page.keyboard.type("cop:")
    sync_api.expect(page.locator(".tabPanel.active .CodeMirror")).to_contain_text(f"PREFIX cop: <{PREFIXES['cop']}>")


def test_the_editors_controls_have_names_and_tabs_are_added_by_a_button(page):
    page.goto("/editor")
    set_editor_text(page, LABELS)
    run(page)
    sync_api.expect(results(page).locator("tbody tr").first).to_be_visible()
    assert page.get_by_role("textbox", name="SPARQL query").count() == 1
    assert page.get_by_label("SPARQL endpoint").count() == 1
    assert page.get_by_label("Rows per page").count() == 1
    assert page.get_by_role("tablist").get_by_role("button").count() == 0, "only tabs inside the list of tabs"
    page.get_by_role("button", name="New tab").click()
    sync_api.expect(page.get_by_role("tab")).to_have_count(2)


def test_a_catalog_question_opens_as_a_prefilled_tab(page):
    page.goto("/editor")
    page.get_by_role("link", name="Which coproduction modes and levels have empirical evidence", exact=False).click()
    page.wait_for_url("**/editor?example=evidence-matrix")
    sync_api.expect(page.locator(".tabsList .tab.active")).to_contain_text("evidence-matrix")
    assert "#+ summary: Which coproduction modes and levels" in editor_text(page)
    assert page.locator(".tabsList .tab").count() == 2, "the question opens beside the tab already open"
    run(page)
    sync_api.expect(results(page)).to_contain_text("Citizens' jury on elderly care")
    page.goto("/queries/evidence-matrix")
    page.get_by_role("link", name="Open this question in the query editor").click()
    page.wait_for_url("**/editor?example=evidence-matrix")
    sync_api.expect(page.locator(".tabsList .tab.active")).to_contain_text("evidence-matrix")
    assert page.locator(".tabsList .tab").count() == 2, "opening it again, from its catalog page, selects its tab"


def test_a_shared_address_reopens_the_query_elsewhere(page, new_page, served):
    query = PROLOGUE + "SELECT ?label WHERE { concept:citizens-jury skos:altLabel ?label }"
    page.goto("/editor")
    set_editor_text(page, query)
    run(page)
    sync_api.expect(results(page).locator("tbody tr")).to_have_count(len(select(served, query)))
    address = page.url
    elsewhere = new_page()  # another browser profile: nothing in its localStorage
    elsewhere.goto(address)
    assert editor_text(elsewhere) == query
    sync_api.expect(results(elsewhere)).to_contain_text("planning cell")
    elsewhere.reload()
    assert editor_text(elsewhere) == query
    assert elsewhere.locator(".tabsList .tab").count() == 1, "reloading selects the tab it opened"


def test_the_share_button_makes_a_link_that_reopens_the_query(page, new_page):
    query = PROLOGUE + "ASK { concept:photovoice a skos:Concept }"
    page.goto("/editor")
    set_editor_text(page, query)
    page.locator(".tabPanel.active .yasqe_share").click()
    link = page.locator(".tabPanel.active .yasqe_sharePopup input").input_value()
    assert urllib.parse.urlsplit(link).path == "/editor"
    elsewhere = new_page()
    elsewhere.goto(link)
    assert editor_text(elsewhere) == query
    sync_api.expect(elsewhere.locator(".tabPanel.active .yasr_results")).to_contain_text("true", ignore_case=True)


def test_a_shared_link_cannot_send_the_query_elsewhere(page, served):
    page.goto("/editor#" + urllib.parse.urlencode({"query": "ASK {}", "endpoint": "https://example.org/sparql"}))
    sync_api.expect(page.locator(".tabPanel.active .yasr_results")).to_contain_text("true", ignore_case=True)
    assert page.evaluate("coprokgEditor.getTab().getEndpoint()") == served + "/sparql"


def test_without_javascript_a_plain_form_answers_with_a_file(new_page, served):
    page = new_page(java_script_enabled=False)
    page.goto("/editor")
    page.get_by_label("SPARQL query").fill(LABELS)
    page.get_by_label("Answer as").select_option("csv")
    with page.expect_download() as saving:
        page.get_by_role("button", name="Run query").click()
    with open(saving.value.path(), newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted((row["concept"], row["label"]) for row in rows) == sorted(
        (row["concept"]["value"], row["label"]["value"]) for row in select(served, LABELS))


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


@pytest.mark.parametrize("path", ["/", "/editor", "/concepts", "/queries", "/matrix", "/papers", "/charts", "/ontology",
                                  "/search?q=jury", "/coproduction/paper/doi/10.5555/jury-2020", JURY, "/no-such-page"])
def test_pages_fit_a_narrow_screen(page, path):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(path)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{path} is {overflow}px wider than a 360px screen"


def drawn_box(page, locator) -> dict:
    """Where ``locator`` is drawn, once it is: the table's resizer draws its grips after the
    table, and draws them again when a sort redraws the table, so a grip found visible may be
    gone (and have no box) a moment later, replaced by the new one."""
    for _ in range(100):
        locator.wait_for(state="visible")
        box = locator.bounding_box()
        if box is not None:
            return box
        page.wait_for_timeout(50)
    raise AssertionError("the grip was never drawn to stay")


def test_pages_work_under_the_content_security_policy(page):
    """The server sends a strict Content-Security-Policy; no page may trip it, and the editor
    (YASGUI, vendored) runs, pages, sorts and resizes a result table under it."""
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
    page.evaluate("""() => { window.cspViolations = [];
        document.addEventListener('securitypolicyviolation', e => window.cspViolations.push(e.violatedDirective)); }""")
    set_editor_text(page, LABELS)
    run(page)
    sync_api.expect(results(page).locator("tbody tr").first).to_be_visible()
    page.locator(".tabPanel.active .tableSizer").select_option("10")
    results(page).locator("thead th", has_text="label").click()
    grip = drawn_box(page, page.locator(".tabPanel.active .grip-resizable").nth(1))
    page.mouse.move(grip["x"] + grip["width"] / 2, grip["y"] + grip["height"] / 2)
    page.mouse.down()
    page.mouse.move(grip["x"] + 80, grip["y"] + grip["height"] / 2, steps=4)
    page.mouse.up()
    violations += page.evaluate("window.cspViolations")
    assert not violations, violations
