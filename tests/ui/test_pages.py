"""The UI's pages as the server renders them, before any script runs."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html import unescape
from html.parser import HTMLParser
from xml.etree import ElementTree

from markupsafe import escape
from pyoxigraph import NamedNode, RdfFormat, parse

from coprokg.vocab import PREFIXES
from coprokg.queries import catalog
from coprokg.server import yasgui
from coprokg.server.http import SECURITY_HEADERS
from tests.support import REPO, app_holding
from tests.ui.conftest import load_fixture

PAGES = ("/", "/editor", "/concepts", "/queries", "/matrix")
PAPER_TYPES = "bibo:AcademicArticle bibo:Book bibo:BookSection bibo:Report bibo:Webpage bibo:Document bibo:Thesis fabio:JournalArticle fabio:Preprint"


class Links(HTMLParser):
    """Every address a page loads or links to, by tag and attribute."""

    def __init__(self, html: str):
        super().__init__()
        self.found: list[tuple[str, str]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action"):
                self.found.append((tag, value))


def html(client, path: str) -> str:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, (path, response.get_data(as_text=True)[:500])
    return response.get_data(as_text=True)


def count(app, where: str) -> int:
    prefixes = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
    query = f"{prefixes}SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }}"
    return int(next(iter(app.extensions["coprokg.store"].query(query)))["n"].value)


def test_every_page_loads_its_scripts_and_styles_from_this_server(client):
    for path in PAGES:
        loaded = [(tag, url) for tag, url in Links(html(client, path)).found if tag in ("script", "link", "img")]
        assert loaded, path
        for tag, url in loaded:
            assert url.startswith("/") and not url.startswith("//"), f"{path} loads <{tag}> from {url}"
            assert client.get(url).status_code == 200, f"{path} loads {url}, which is missing"


def test_every_page_carries_the_same_navigation_and_marks_where_you_are(client):
    for path in PAGES:
        page = html(client, path)
        nav = page[page.index("<nav"):page.index("</nav>")]
        for target in ("/", "/editor", "/concepts", "/queries", "/matrix", "/sparql", "/ontology", "/.well-known/void"):
            assert f'href="{target}"' in nav, (path, target)
        assert re.search(rf'href="{re.escape(path)}" aria-current="page"', nav), path


def test_home_counts_what_the_store_holds(app, client):
    page = html(client, "/")
    shown = {name: int(n) for name, n in re.findall(r'id="count-(\w+)">(\d+)<', page)}
    assert shown == {
        "papers": count(app, f"VALUES ?type {{ {PAPER_TYPES} }} ?x a ?type"),
        "concepts": count(app, "?x a skos:Concept"),
        "cases": count(app, "?x a cop:CaseStudy"),
        "practices": count(app, "?x a cop:CoproductionPractice"),
    }
    assert shown["papers"] >= 2 and shown["cases"] >= 1 and shown["practices"] >= 1


def editor_setup(client, path: str = "/editor") -> dict:
    """What the editor page hands YASGUI: the JSON in its data-setup attribute."""
    page = html(client, path)
    value = re.search(r"data-setup='([^']*)'", page).group(1)
    return json.loads(unescape(value))


def test_editor_starts_with_every_prefix_and_a_query(client):
    setup = editor_setup(client)
    assert setup["prefixes"] == {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    for prefix, namespace in PREFIXES.items():
        assert f"PREFIX {prefix}: <{namespace}>" in setup["starter"]
    assert "SELECT" in setup["starter"] and setup["endpoint"] == "/sparql" and setup["opened"] is None
    page = html(client, "/editor")
    text = page[page.index('<textarea id="query"'):page.index("</textarea>")]
    assert str(escape(setup["starter"])) in text, "without JavaScript, a plain form holds the same query"


def test_editor_offers_every_catalog_question_and_opens_one_with_its_defaults(client):
    page = html(client, "/editor")
    for entry in catalog.catalog():
        assert f'href="/editor?example={entry.name}"' in page
    expected = catalog.get("concept-profile").sparql()
    assert "VALUES" in expected
    assert editor_setup(client, "/editor?example=concept-profile")["opened"] == {"name": "concept-profile", "query": expected}


def test_each_catalog_answer_links_to_its_question_in_the_editor(client):
    for entry in catalog.catalog():
        assert f'href="/editor?example={entry.name}"' in html(client, f"/queries/{entry.name}"), entry.name


def test_editor_policy_allows_only_the_table_resizers_styles():
    """The editor page's policy adds the hashes of YASR's two resizer style sheets to the site's,
    and those sheets are the ones the vendored script writes."""
    script = (REPO / "server" / "static" / "vendor" / "yasgui" / "yasgui.min.js").read_text(encoding="utf-8")
    sheet, dragging = yasgui.RESIZER_STYLES
    assert sheet in script
    assert dragging == "*{cursor:col-resize!important}" and "`*{cursor:`+n.opt.dragCursor+`!important}`" in script


def test_the_editor_page_sends_the_narrowed_policy(client):
    policy = client.get("/editor").headers["Content-Security-Policy"]
    assert policy == yasgui.editor_policy()
    assert "unsafe" not in policy
    for text in yasgui.RESIZER_STYLES:
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assert client.get("/concepts").headers["Content-Security-Policy"] == SECURITY_HEADERS["Content-Security-Policy"]


def test_editor_says_which_example_does_not_exist(client):
    response = client.get("/editor?example=no-such-question")
    assert response.status_code == 404
    assert response.get_json()["error"] == "unknown-query"


def test_concepts_form_trees_with_labels_links_and_uses(client):
    page = html(client, "/concepts")
    [section] = [part for part in page.split("<section")[1:] if "Engagement techniques" in part.split("</h2>")[0]]
    forum, jury = section.index("deliberative forum"), section.index("citizens&#39; jury")
    arts, photovoice = section.index("participatory arts"), section.index("photovoice")
    assert forum < jury < arts < photovoice, "top concepts by label, each followed by its narrower ones"
    assert section[forum:arts].count("<ul>") == 1, "citizens' jury sits in a list under deliberative forum"
    assert 'href="/coproduction/concept/citizens-jury"' in section
    assert "(planning cell)" in section
    assert re.search(r"citizens&#39; jury</a> <span class=\"alt\">\(planning cell\)</span> <span class=\"uses\">2 papers</span>", section)
    assert re.search(r"photovoice</a> <span class=\"uses\">1 paper · 1 case study</span>", section)
    assert "Ways of bringing citizens into a service." in section


def test_concept_filter_keeps_matching_branches_by_pref_or_alt_label(client):
    page = html(client, "/concepts?q=Planning")
    assert "citizens&#39; jury" in page and "deliberative forum" in page
    assert "photovoice" not in page and "participatory arts" not in page
    assert "No concept has a label containing" in html(client, "/concepts?q=no-such-label")


def test_concept_tree_survives_a_cycle_of_broader_concepts(app, client):
    cycle = (
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix c: <https://w3id.org/coproduction/concept/> .\n"
        "c:loop-a a skos:Concept ; skos:inScheme c:loop ; skos:prefLabel 'loop a' ; skos:broader c:loop-b .\n"
        "c:loop-b a skos:Concept ; skos:inScheme c:loop ; skos:prefLabel 'loop b' ; skos:broader c:loop-a .\n"
    )
    triples = [q.triple for q in parse(cycle.encode(), format=RdfFormat.TURTLE)]
    with app.extensions["coprokg.engine"].writing() as store:
        store.add_graph(NamedNode("https://w3id.org/coproduction/graph/load/cycle"), triples)
    assert html(client, "/concepts?q=loop").count("<li") >= 2


def test_links_leave_iris_outside_the_base_as_they_are(tmp_path):
    with app_holding({"store": str(tmp_path / "store"), "base_iri": "https://example.org/kg/"}, load_fixture) as app:
        with app.test_client() as client:
            page = html(client, "/concepts")
            editor = html(client, "/editor")
    assert 'href="https://w3id.org/coproduction/concept/citizens-jury"' in page
    setup = json.loads(unescape(re.search(r"data-setup='([^']*)'", editor).group(1)))
    assert (setup["base"], setup["local"]) == ("https://example.org/kg/", "/kg/")


def test_catalog_pages_share_the_layout(client):
    for path in ("/queries", "/matrix", "/queries/case-studies"):
        assert '<nav aria-label="Site">' in html(client, path)
    assert "Citizens&#39; jury on elderly care" in html(client, "/matrix")


def test_vendored_assets_keep_their_licence_beside_them():
    vendor = REPO / "server" / "static" / "vendor"
    packages = [path for path in vendor.iterdir() if path.is_dir()]
    assert packages
    readme = (vendor / "README.md").read_text()
    for package in packages:
        assert (package / "LICENSE").is_file(), f"{package} has no LICENSE"
        assert f"`{package.name}/`" in readme, f"vendor/README.md does not say where {package.name} comes from"


def test_browsers_get_a_404_page_and_programs_the_json_error(client):
    for path in ("/nowhere", "/coproduction/paper/not-in-the-graph"):
        page = client.get(path, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
        assert page.status_code == 404 and page.mimetype == "text/html", path
        text = page.get_data(as_text=True)
        assert "<h1>Nothing here</h1>" in text and '<nav aria-label="Site">' in text
        for accept in ("application/json", "*/*", "text/turtle"):
            answer = client.get(path, headers={"Accept": accept})
            assert answer.status_code == 404 and answer.mimetype == "application/json", (path, accept)
            assert answer.get_json()["error"] == "not-found"
    named = client.get("/coproduction/paper/not-in-the-graph", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "nothing in the graph is named &lt;https://w3id.org/coproduction/paper/not-in-the-graph&gt;" in named


def test_a_bad_request_from_a_browser_says_where_and_what_to_do(client):
    page = client.get("/papers?sort=random", headers={"Accept": "text/html"})
    assert page.status_code == 400 and page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    assert "unknown sort &#39;random&#39;" in text and "<strong>Where:</strong> sort" in text and "newest first" not in text
    assert "<strong>What to do:</strong> one of year, title, cited" in text


def test_an_unexpected_failure_is_a_500_page_without_a_stack_trace(app):
    def broken():
        raise RuntimeError("secret detail of the failure")

    app.add_url_rule("/broken-for-the-test", view_func=broken)
    client = app.test_client()
    page = client.get("/broken-for-the-test", headers={"Accept": "text/html"})
    assert page.status_code == 500 and page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    assert "<h1>Something went wrong on the server</h1>" in text and "the error is logged" in text
    assert "secret detail" not in text and "Traceback" not in text and "RuntimeError" not in text
    answer = client.get("/broken-for-the-test", headers={"Accept": "application/json"})
    assert answer.status_code == 500 and answer.get_json()["error"] == "internal-error"
    assert "secret detail" not in answer.get_data(as_text=True)


def test_the_favicon_is_an_svg_named_by_every_page(client):
    for path in PAGES:
        assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html(client, path), path
    for path in ("/favicon.ico", "/static/favicon.svg"):
        icon = client.get(path)
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml", path
        root = ElementTree.fromstring(icon.get_data())
        assert root.tag == "{http://www.w3.org/2000/svg}svg" and len(root) > 0


def test_the_ontology_page_has_the_site_navigation_and_links_base_iris_here(client):
    page = html(client, "/ontology")
    nav = page[page.index('<nav aria-label="Site">'):page.index("</nav>")]
    assert '<a href="/ontology" aria-current="page">Ontology</a>' in nav
    assert "<h1>The coproduction ontology</h1>" in page and page.count("<h1") == 1
    links = [url for tag, url in Links(page).found if tag == "a"]
    assert any(url.startswith("/coproduction/concept/") for url in links), "concepts link to their pages here"
    assert not [url for url in links if url.startswith("https://w3id.org/coproduction/")], "no link leaves for an IRI under the base"
    assert "<style" not in page and "<script" not in page, "nothing the security policy would refuse"


def test_iris_link_the_same_way_on_every_page(client):
    """Under the base: to the page here; other http(s) IRIs: to where they point."""
    case = [url for tag, url in Links(html(client, "/coproduction/case/harbour-town")).found if tag == "a"]
    assert "/coproduction/concept/photovoice" in case and "/coproduction/paper/berg-2018-0a1b2c3d" in case
    assert "http://publications.europa.eu/resource/authority/country/SWE" in case
    ontology = [url for tag, url in Links(html(client, "/ontology")).found if tag == "a"]
    assert "http://purl.org/dc/terms/description" in ontology
    for links in (case, ontology):
        assert not [url for url in links if url.startswith("https://w3id.org/coproduction/")]
