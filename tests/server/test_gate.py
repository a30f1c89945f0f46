"""What is checked is what runs: every way of writing a line end or a comment, on every way in
(/sparql GET and POST, /update, the CLI), against a real server with a loopback listener that
must receive nothing."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from coprokg import formats
from coprokg.errors import StoreError
from coprokg.server.safety import OUTBOUND, OUTBOUND_HINT, Refused
from tests.server.conftest import TOKEN
from tests.support import coprokg

# How a comment can end: each line terminator of the grammar, raw or as a codepoint escape.
ENDS = {"CR": "\r", "CRLF": "\r\n", "LF": "\n", "escaped CR": "\\u000D", "escaped LF": "\\u000a"}


def queries(url: str, end: str) -> dict[str, str]:
    """Queries in which a comment ended by ``end`` hides, from a reader that misses that end,
    what would reach out or nest deeper than allowed."""
    return {
        "SERVICE": f"SELECT * WHERE {{ #x{end} SERVICE <{url}/sparql> {{ ?s ?p ?o }} \n}}",
        "SERVICE SILENT": f"SELECT * WHERE {{ OPTIONAL {{ #x{end} SERVICE SILENT <{url}/s> {{ ?s ?p ?o }} }} \n}}",
        "FROM": f"SELECT * #x{end} FROM <{url}/g> \nWHERE {{ ?s ?p ?o }}",
        "FROM NAMED": f"SELECT * #x{end} FROM NAMED <{url}/g> \nWHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "nesting": f"SELECT * WHERE {{ #x{end} " + "{" * 500 + " ?s ?p ?o " + "}" * 500 + "\n}",
        "expression nesting": f"SELECT * WHERE {{ ?s ?p ?o #x{end} FILTER(?o<" + "(" * 300 + "1" + ")" * 300 + "&&?s>0) }",
    }


def updates(url: str, end: str) -> dict[str, str]:
    return {
        "LOAD": f"#x{end} LOAD <{url}/data.ttl> INTO GRAPH <http://x/g>",
        "USING": f"INSERT {{ GRAPH <http://x/g> {{ ?s ?p ?o }} }} #x{end} USING <{url}/g> \nWHERE {{ ?s ?p ?o }}",
        "WITH and SERVICE": f"WITH <http://x/g> INSERT {{ ?s ?p ?o }} WHERE {{ #x{end} SERVICE <{url}/> {{ ?s ?p ?o }} \n}}",
        "nesting": f"INSERT {{ GRAPH <http://x/g> {{ ?s ?p ?o }} }} WHERE {{ #x{end} " + "{" * 500 + " ?s ?p ?o " + "}" * 500 + "\n}",
    }


def send(live_url: str, path: str, *, params=None, form=None, body=None, content_type=None, token=False):
    data = urllib.parse.urlencode(form).encode() if form is not None else body.encode() if body is not None else None
    headers = {}
    if form is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif content_type:
        headers["Content-Type"] = content_type
    if token:
        headers["Authorization"] = f"Bearer {TOKEN}"
    url = live_url + path + ("?" + urllib.parse.urlencode(params) if params else "")
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers), timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.mark.parametrize("end", ENDS.values(), ids=ENDS.keys())
def test_a_comment_ended_any_way_hides_nothing_on_any_way_in(make_app, listener, end):
    from tests.server.conftest import Live

    url, seen = listener
    live = Live(make_app(max_nesting=100, max_get_query=100_000))
    try:
        answers = {}
        for name, query in queries(url, end).items():
            answers[f"GET {name}"] = send(live.url, "/sparql", params={"query": query})
            answers[f"POST form {name}"] = send(live.url, "/sparql", form={"query": query})
            answers[f"POST direct {name}"] = send(live.url, "/sparql", body=query, content_type="application/sparql-query")
        for name, update in updates(url, end).items():
            answers[f"update form {name}"] = send(live.url, "/update", form={"update": update}, token=True)
            answers[f"update direct {name}"] = send(
                live.url, "/update", body=update, content_type="application/sparql-update", token=True
            )
        time.sleep(0.5)
        assert seen == [], "the server opened a connection to the listener"
        for name, (status, body) in answers.items():
            error = json.loads(body)
            assert status == 400 and error["error"] == "refused", (name, error)
            if "SERVICE" in name or "LOAD" in name:
                assert error["message"] == OUTBOUND, name
            if "nesting" in name:
                assert "nests groups" in error["message"], name
        assert send(live.url, "/sparql", params={"query": "ASK { ?s ?p ?o }"})[0] == 200, "the workers still answer"
        assert send(live.url, "/sparql", params={"query": "ASK { GRAPH <http://x/g> { ?s ?p ?o } }"})[1].find(b"false") > 0
    finally:
        live.stop()


def test_look_alikes_in_strings_iris_and_a_final_comment_are_not_code(live, listener):
    url, seen = listener
    harmless = [
        f'SELECT * WHERE {{ ?s ?p ?o FILTER(?o != """#x\r SERVICE <{url}/> {{ ?s ?p ?o }}""") }} LIMIT 1',
        f"SELECT * WHERE {{ ?s ?p ?o FILTER(?o != '# SERVICE <{url}/>') }} LIMIT 1",
        "SELECT * WHERE { ?s <http://example.org/p#SERVICE> ?o } LIMIT 1",
        f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT 1 # SERVICE <{url}/> {{ ?s ?p ?o }}",
        "SELECT * WHERE { ?s ?p ?o } LIMIT 1 #",
    ]
    for query in harmless:
        status, body = send(live.url, "/sparql", params={"query": query})
        assert status == 200, (query, body)
    time.sleep(0.3)
    assert seen == []


def test_the_cli_runs_only_what_it_checked(cli_env, listener):
    url, seen = listener
    for end in (ENDS["CR"], ENDS["CRLF"], ENDS["escaped CR"]):
        for query in queries(url, end).values():
            result = coprokg("query", "-", env=cli_env, input=query.encode())
            assert result.returncode == 1, query
            message = result.stderr.decode().strip().splitlines()[-1]
            assert message.startswith("error: ") and "Traceback" not in result.stderr.decode()
            assert OUTBOUND in message or "nests groups" in message or "is not in the store" in message, message
    time.sleep(0.3)
    assert seen == [], "the CLI opened a connection to the listener"


# `coprokg query` with the check knocked out, as a gap in it would: only the sandbox stands.
UNCHECKED_CLI = """
import sys
from coprokg.server import safety
safety.check_query = lambda text, *args, **kwargs: safety.Checked("SELECT", text)
from coprokg.cli import main
sys.argv[0] = "coprokg"
main()
"""


def test_the_cli_has_no_network_even_for_a_query_that_skips_the_check(cli_env, listener):
    """`coprokg query` on an embedded store runs without network, as the server's workers do:
    a SERVICE the check let through fails with the one outbound answer and reaches nothing."""
    url, seen = listener
    for target in (f"{url}/sparql", "http://127.0.0.1:1/", "http://example.org/sparql"):
        result = subprocess.run([sys.executable, "-c", UNCHECKED_CLI, "query", f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"],
                                env=cli_env, capture_output=True, timeout=120)
        assert result.returncode == 1 and "warning" not in result.stderr.decode(), result.stderr.decode()
        assert result.stderr.decode().strip().splitlines()[-1] == f"error: query: {OUTBOUND} ({OUTBOUND_HINT})"
    time.sleep(0.3)
    assert seen == [], "the CLI opened a connection to the listener"


def test_a_worker_has_no_network_even_for_a_query_that_skips_the_check(app, client, listener):
    """Defence in depth: a SERVICE handed to the engine directly (as a gap in the check would)
    reaches nothing: the worker runs in an empty network namespace."""
    url, seen = listener
    engine = app.extensions["coprokg.engine"]
    assert engine.network_isolation is None, engine.network_isolation
    assert client.get("/health").get_json()["network_isolation"] is True
    for query in (f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}", f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:1/> {{ ?s ?p ?o }} }}",
                  "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"):
        with pytest.raises(Refused) as refused:
            engine.query(query, formats.RESULT_FORMATS[0], {})
        assert refused.value.message == OUTBOUND, "one answer whatever the target: open, closed or unknown"
    time.sleep(0.3)
    assert seen == []


def test_updates_cannot_touch_the_load_history(client):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    history = "https://w3id.org/coproduction/graph/loads"
    for update in (
        "DROP ALL",
        "CLEAR NAMED",
        f"DROP GRAPH <{history}>",
        f"INSERT DATA {{ GRAPH <{history}> {{ <http://x/a> <http://x/b> <http://x/c> }} }}",
        "DELETE WHERE { GRAPH ?g { ?s ?p ?o } }",
        f"WITH <{history}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}",
        f"ADD <http://x/g> TO <{history}>",
        f"MOVE <{history}> TO <http://x/g>",
        # relative IRIs that Oxigraph resolves to the history graph (RFC 3986) and rdflib leaves as written
        "BASE <https://w3id.org/coproduction/graph/> INSERT DATA { GRAPH <./x:y/../loads> { <http://x/a> <http://x/b> 1 } }",
        "BASE <https://w3id.org/coproduction/graph/> WITH <./x:y/../loads> INSERT { <http://x/a> <http://x/b> 1 } WHERE {}",
        "BASE <https://w3id.org/coproduction/> COPY GRAPH <http://x/none> TO GRAPH <./x:y/../graph/loads>",
        "BASE <https://w3id.org/coproduction/graph/> DROP GRAPH <loads>",
        # rdflib (Python's urljoin) resolves this to .../coproduction/loads, Oxigraph to the history graph
        "BASE <https://w3id.org/coproduction/graph/./x> DROP GRAPH <../loads>",
        "BASE <https://w3id.org/coproduction/graph//x> INSERT DATA { GRAPH <.././loads> { <http://x/a> <http://x/b> 1 } }",
        "PREFIX g: <./x:y/../> INSERT DATA { GRAPH g:loads { <http://x/a> <http://x/b> 1 } }",
    ):
        response = client.post("/update", data={"update": update}, headers=auth)
        assert response.status_code == 400, update
        assert any(words in response.get_json()["message"] for words in ("load history", "relative IRI", "BASE")), update
    assert client.post("/update", data={"update": "DROP SILENT GRAPH <http://x/g>"}, headers=auth).status_code == 200
    missing = client.post("/update", data={"update": "DROP GRAPH <http://x/downloads>"}, headers=auth).get_json()
    assert missing["message"] != OUTBOUND, "a store error on a text that merely holds 'load' keeps its own words"


def test_updates_and_graph_store_writes_cannot_write_the_derived_graphs(client):
    """The inference graph and the records of its derivation are written by the refresh that
    follows each load and unload only: an update or a Graph Store write naming them is refused."""
    auth = {"Authorization": f"Bearer {TOKEN}"}
    ask = "ASK { GRAPH <https://w3id.org/coproduction/graph/inferred> { ?s ?p ?o } }"
    assert client.get("/sparql", query_string={"query": ask}, headers={"Accept": "application/json"}).get_json()["boolean"]
    for graph in ("https://w3id.org/coproduction/graph/inferred", "https://w3id.org/coproduction/graph/derivations"):
        for update in (f"DROP GRAPH <{graph}>",
                       f"INSERT DATA {{ GRAPH <{graph}> {{ <http://x/a> <http://x/b> <http://x/c> }} }}",
                       f"WITH <{graph}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}"):
            response = client.post("/update", data={"update": update}, headers=auth)
            assert response.status_code == 400, update
            assert "derived" in response.get_json()["message"], update
        for method in (client.put, client.post):
            response = method("/data", query_string={"graph": graph}, data=b"<http://x/a> <http://x/b> <http://x/c> .",
                              headers={**auth, "Content-Type": "application/n-triples"})
            assert response.status_code == 403 and "derived" in response.get_json()["message"], (method, graph)
        assert client.delete("/data", query_string={"graph": graph}, headers=auth).status_code == 403
    assert client.get("/sparql", query_string={"query": ask}, headers={"Accept": "application/json"}).get_json()["boolean"]


def test_an_update_that_crashes_the_engine_costs_a_worker_not_the_server(app, client, listener):
    """Handed to the engine past the check, an update nested 20,000 deep (which makes Oxigraph
    overflow its stack) stops the update worker only: nothing of it is written, the server
    answers, and the next update runs in a fresh worker. The update worker has no network."""
    url, seen = listener
    engine = app.extensions["coprokg.engine"]
    before = engine.version()
    deep = "INSERT { GRAPH <http://x/g> { <http://x/a> <http://x/b> ?o } } WHERE " + "{" * 20000 + " ?s ?p ?o " + "}" * 20000
    with pytest.raises(StoreError, match="stopped its worker process; nothing of it was written"):
        engine.update(deep)
    for outbound in (f"LOAD <{url}/data.ttl> INTO GRAPH <http://x/g>",
                     f"INSERT {{ GRAPH <http://x/g> {{ ?s ?p ?o }} }} WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}"):
        with pytest.raises(Refused) as refused:
            engine.update(outbound)
        assert refused.value.message == OUTBOUND
    assert engine.version() == before, "nothing was written"
    assert client.get("/sparql", query_string={"query": "ASK { GRAPH <http://x/g> { ?s ?p ?o } }"}).get_json()["boolean"] is False
    auth = {"Authorization": f"Bearer {TOKEN}"}
    written = client.post("/update", data={"update": "INSERT DATA { GRAPH <http://x/g> { <http://x/a> <http://x/b> 1 } }"}, headers=auth)
    assert written.status_code == 200 and engine.version() != before
    assert client.get("/sparql", query_string={"query": "ASK { GRAPH <http://x/g> { ?s ?p ?o } }"}).get_json()["boolean"] is True
    time.sleep(0.3)
    assert seen == []
