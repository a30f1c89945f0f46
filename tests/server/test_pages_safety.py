"""What pages and headers let through, against the real `coprokg serve`."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from html.parser import HTMLParser

from coprokg.data import DATA_DIR
from coprokg.server.http import SECURITY_HEADERS
from coprokg.server.yasgui import editor_policy
from tests.server.conftest import TOKEN

BASE = "https://w3id.org/coproduction/"
EVIL = BASE + "paper/evil"
HOSTILE_IRIS = ["javascript:alert(1)", "JavaScript:alert(2)", "data:text/html;base64,PHNjcmlwdD4K", "vbscript:x"]


def fetch(url: str, *, accept: str = "text/html", headers: dict | None = None, data: bytes | None = None):
    """(status, headers, body) of a request, errors included."""
    request = urllib.request.Request(url, data=data, headers={"Accept": accept, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.hrefs += [value for name, value in attrs if name in ("href", "src") and value is not None]


def hrefs(html: bytes) -> list[str]:
    parser = Links()
    parser.feed(html.decode())
    return parser.hrefs


def update(server, text: str) -> None:
    status, _, body = fetch(server.url + "/update", accept="application/json", data=text.encode(),
                            headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
    assert status == 200, body


def test_only_http_iris_are_links(serve):
    server = serve(COPROKG_UPDATE_TOKEN=TOKEN)
    statements = " ".join(f"<{EVIL}> <http://purl.org/dc/terms/relation> <{iri}> ." for iri in HOSTILE_IRIS)
    update(server, f"INSERT DATA {{ GRAPH <{BASE}graph/evil> {{ <{EVIL}> <javascript:void(0)> <https://example.org/ok> . "
                   f"<{EVIL}> <http://purl.org/dc/terms/title> \"Evil\" . {statements} }} }}")
    status, _, page = fetch(server.url + "/coproduction/paper/evil")
    assert status == 200
    links = hrefs(page)
    assert "https://example.org/ok" in links, "http(s) IRIs stay links"
    assert not [h for h in links if not h.startswith(("/", "#", "http://", "https://"))], links
    text = page.decode()
    for iri in ["javascript:void(0)", "javascript:alert(1)", "vbscript:x"]:
        assert iri in text, f"{iri} is shown as text"


def test_listings_show_iris_outside_http_as_text(serve):
    """A concept or a work whose own IRI is javascript: (anyone who may write data could plant one)
    is listed as text on /concepts, /papers and a catalog answer, never as a link."""
    server = serve(COPROKG_UPDATE_TOKEN=TOKEN)
    update(server, "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
                   "PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX bibo: <http://purl.org/ontology/bibo/> "
                   f"INSERT DATA {{ GRAPH <{BASE}graph/evil> {{ "
                   "<javascript:alert(3)> a skos:Concept ; skos:prefLabel \"Planted concept\"@en ; "
                   f"skos:inScheme <{BASE}scheme/equality> . "
                   "<javascript:alert(4)> a bibo:AcademicArticle ; dcterms:title \"Planted work\" ; dcterms:issued \"2020\" . } }")
    for path, shown in [("/concepts", "Planted concept"), ("/papers?sort=title", "Planted work"),
                        ("/queries/unexercised-concepts", "Planted concept")]:
        status, _, page = fetch(server.url + path)
        assert status == 200, path
        assert shown in page.decode(), path
        assert not [h for h in hrefs(page) if h.lower().startswith("javascript:")], path


def test_security_headers_on_every_answer(serve):
    server = serve()
    for path in ["/", "/sparql", "/sparql?query=ASK{}", "/coproduction/graph/ontology", "/queries", "/health", "/nowhere"]:
        status, headers, _ = fetch(server.url + path)
        assert status < 500, path
        for name, value in SECURITY_HEADERS.items():
            if name == "Content-Security-Policy" and path == "/sparql":
                value = editor_policy()  # a browser asking /sparql for nothing is sent to the query editor
            assert headers[name] == value, (path, name)
    for policy in (SECURITY_HEADERS["Content-Security-Policy"], editor_policy()):
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy


ODD_PATHS = ["%C3%28", "%ED%A0%80", "%00", "%22%3E", "paper/%00x", "paper/%22%3E%3Cscript%3E", "%FF%FE", "a%20b", "%5C", "%7B%7D"]


def test_odd_linked_data_paths_are_404_in_the_error_shape(serve):
    """404 in the JSON error shape for clients, and as a page for browsers, the path escaped."""
    server = serve()
    for odd in ODD_PATHS:
        status, headers, body = fetch(f"{server.url}/coproduction/{odd}", accept="text/turtle")
        assert status == 404, (odd, body)
        assert headers.get_content_type() == "application/json"
        assert json.loads(body)["error"] == "not-found"
        status, headers, body = fetch(f"{server.url}/coproduction/{odd}", accept="text/html")
        assert status == 404 and headers.get_content_type() == "text/html", (odd, body)
        assert b"<h1>Nothing here</h1>" in body and b'"><script>' not in body and b"Traceback" not in body


def test_every_iri_under_the_base_in_the_curated_graph_dereferences(serve):
    server = serve(COPROKG_DATA_DIR=str(DATA_DIR))
    rows = server.select(
        f'SELECT DISTINCT ?iri WHERE {{ {{ ?iri ?p ?o }} UNION {{ ?s ?p ?iri }} FILTER(isIRI(?iri) && STRSTARTS(STR(?iri), "{BASE}")) }}'
    )
    documents = sorted({row["iri"]["value"].split("#")[0] for row in rows})
    assert len(documents) > 100 and any("%28" in iri for iri in documents), "the curated graph has DOIs with parentheses"
    failed = {}
    for iri in documents:
        path = "/coproduction/" + iri[len(BASE):]
        status, _, _ = fetch(server.url + path, accept="text/turtle")
        if status != 200:
            failed[iri] = status
    assert not failed, f"{len(failed)} of {len(documents)} IRIs do not dereference: {list(failed.items())[:10]}"
    doi = next(iri for iri in documents if "0305-750x%2896%2900023-x" in iri)
    status, _, page = fetch(server.url + "/coproduction/" + doi[len(BASE):])
    assert status == 200 and b"Ostrom" in page


def test_the_host_header_is_never_echoed(serve):
    server = serve(COPROKG_UPDATE_TOKEN=TOKEN)
    evil = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}
    for path in ("/sparql", "/.well-known/void"):
        status, _, body = fetch(server.url + path, accept="text/turtle", headers=evil)
        assert status == 200
        assert b"evil.example" not in body
        assert f"{server.url}/sparql".encode() in body, "the endpoint is named by the listening address"
    status, headers, body = fetch(server.url + "/data", accept="application/json", data=b'<http://example.org/s> <http://example.org/p> "1" .',
                                  headers={**evil, "Content-Type": "application/n-triples", "Authorization": f"Bearer {TOKEN}"})
    assert status == 201, body
    assert headers["Location"].startswith(server.url + "/data?graph="), headers["Location"]


def test_the_public_url_setting_names_the_endpoint(serve):
    server = serve(COPROKG_PUBLIC_URL="https://kg.example.org")
    status, _, body = fetch(server.url + "/sparql", accept="text/turtle", headers={"Host": "evil.example"})
    assert status == 200
    assert b"<https://kg.example.org/sparql>" in body and b"evil.example" not in body


def test_flask_debug_and_the_like_are_ignored(serve):
    server = serve(FLASK_DEBUG="1", FLASK_ENV="development", FLASK_TESTING="1", FLASK_PROPAGATE_EXCEPTIONS="1")
    status, _, body = fetch(server.url + "/health", accept="application/json")
    assert status == 200 and b"\n" not in body.strip(), "compact JSON: Flask's debug mode would indent it"
    status, headers, body = fetch(server.url + "/sparql?query=SELEC%20*", accept="*/*")
    assert status == 400 and headers.get_content_type() == "application/json"
    assert b"Traceback" not in body and b"Werkzeug Debugger" not in body
    output = server.stderr()
    assert "Debugger is active" not in output and "Debug mode: on" not in output


def test_an_update_that_fails_at_run_time_says_why_and_writes_nothing(serve):
    server = serve(COPROKG_UPDATE_TOKEN=TOKEN)
    headers = {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"}
    failing = {
        "INSERT DATA { <http://example.org/s> <http://example.org/p> 1 } ; DROP GRAPH <http://example.org/missing>": "does not exist",
        "CREATE GRAPH <http://example.org/g> ; CREATE GRAPH <http://example.org/g>": "already exists",
    }
    for update_text, reason in failing.items():
        status, answer_headers, body = fetch(server.url + "/update", accept="*/*", data=update_text.encode(), headers=headers)
        assert status == 400 and answer_headers.get_content_type() == "application/json", body
        error = json.loads(body)
        assert error["error"] == "update-failed" and reason in error["message"] and "SILENT" in error["hint"]
    rows = server.select("SELECT * WHERE { { <http://example.org/s> ?p ?o } UNION { GRAPH <http://example.org/g> { ?s ?p ?o } } }")
    assert rows == [], "a failed update writes nothing"
