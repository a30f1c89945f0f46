"""The scholar's workbench in a real browser against a real `coprokg serve` (whose search
index is built at start, as the imported store has none): a search, a facet of the
literature browser, a paper's citation export, the charts and the citation network."""

from __future__ import annotations

from tests.ui.test_browser import browser, page  # noqa: F401  (fixtures: Chromium, a page kept on loopback)

JURY_PAPER = "/coproduction/paper/doi/10.5555/jury-2020"


def test_a_search_from_the_box_on_every_page(page):
    page.goto("/concepts")
    page.get_by_label("Search the graph").fill("juries elderly")
    page.get_by_role("button", name="Search").first.click()
    page.wait_for_url("**/search?q=*")
    assert page.locator("#search-total").inner_text().startswith("1 result")
    hit = page.locator("ol.hits li a").first
    assert hit.inner_text() == "Juries of citizens redesign elderly care"
    assert page.locator("ol.hits mark").first.inner_text().lower() == "juries"
    hit.click()
    page.wait_for_url("**" + JURY_PAPER)


def test_a_facet_narrows_the_papers(page):
    page.goto("/papers")
    assert page.locator("#papers-total").inner_text().startswith("2 works")
    page.locator("#facet-concept + ul a", has_text="photovoice").click()
    page.wait_for_url("**/papers?concept=*")
    assert page.locator("#papers-total").inner_text().startswith("1 work in this selection")
    assert page.locator("ol.works li a").all_inner_texts() == ["Pictures of a neighbourhood"]


def test_a_paper_page_exports_its_citation(page):
    page.goto(JURY_PAPER)
    assert "Juries of citizens redesign elderly care" in page.locator("#citation").inner_text()
    with page.expect_download() as waited:
        page.locator("#cite-bibtex").click()
    download = waited.value
    assert download.suggested_filename == "lind2020.bib"
    text = open(download.path(), encoding="utf-8").read()
    assert text.startswith("@article{lind2020,") and "doi = {10.5555/jury-2020}" in text


def test_each_chart_is_drawn(page):
    page.goto("/charts")
    for chart in ("#chart-models", "#chart-literatures", "#chart-evidence"):
        svg = page.locator(chart)
        assert svg.is_visible() and svg.locator("title").first.text_content().strip()
        box = svg.bounding_box()
        assert box["width"] > 60 and box["height"] > 60 and svg.locator("rect").count() > 0, chart
    assert page.locator("#chart-evidence").bounding_box()["width"] > 300
    cells = page.locator("#chart-evidence rect title").all_text_contents()
    assert cells and all(" practices, " in cell for cell in cells)
    literatures = page.locator("#chart-literatures a rect title").all_text_contents()
    assert sorted(literatures) == ["public administration, citizens' jury: 1 work", "public administration, co-design: 1 work",
                                   "social policy, citizens' jury: 1 work", "social policy, photovoice: 1 work"]
    page.locator("#chart-literatures a").first.click()
    page.wait_for_url("**/papers?discipline=**")
    assert page.locator("#papers-total").inner_text().startswith("1 work in this selection")


def test_the_citation_network_is_drawn_on_work_and_concept_pages(page):
    for path in (JURY_PAPER, "/coproduction/concept/citizens-jury"):
        page.goto(path)
        svg = page.locator("#chart-network")
        assert svg.is_visible() and svg.bounding_box()["width"] > 60 and svg.locator("circle").count() == 2, path
        assert svg.locator("path[marker-end] title").all_text_contents() == ["Lind 2020 cites Berg 2018"], path
    page.locator("#chart-network a", has_text="Berg 2018").click()
    page.wait_for_url("**/coproduction/paper/berg-2018-0a1b2c3d")
    assert page.locator("h1").inner_text() == "Berg 2018"
