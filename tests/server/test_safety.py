"""Safe by default: nothing a client sends makes the server reach the network, read a file,
run forever, or answer silently cut short."""

from __future__ import annotations

import os
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from coprokg import formats
from coprokg.errors import StoreError
from coprokg.server.pool import WorkerPool
from tests.server.conftest import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


def test_nothing_reaches_out_service_load_from_or_dataset_parameters(client, listener, tmp_path):
    url, seen = listener
    secret = tmp_path / "secret.ttl"
    secret.write_text("<http://x/s> <http://x/p> <http://x/o> .")
    refused = [
        client.get("/sparql", query_string={"query": f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}"}),
        client.get("/sparql", query_string={"query": f"SELECT * WHERE {{ OPTIONAL {{ SERVICE SILENT <{url}/> {{ ?s ?p ?o }} }} }}"}),
        client.get("/sparql", query_string={"query": f"SELECT * FROM <{url}/g> WHERE {{ ?s ?p ?o }}"}),
        client.get("/sparql", query_string={"query": f"SELECT * FROM NAMED <{secret.as_uri()}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"}),
        client.get("/sparql", query_string={"query": "ASK {}", "default-graph-uri": f"{url}/g"}),
        client.get("/sparql", query_string={"query": "ASK {}", "named-graph-uri": secret.as_uri()}),
        client.post("/update", data=f"LOAD <{url}/data.ttl>", content_type="application/sparql-update", headers=AUTH),
        client.post("/update", data=f"LOAD <{secret.as_uri()}> INTO GRAPH <http://x/g>", content_type="application/sparql-update", headers=AUTH),
        client.post(
            "/update",
            data=f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
            content_type="application/sparql-update",
            headers=AUTH,
        ),
    ]
    time.sleep(0.5)
    assert [r.status_code for r in refused] == [400] * len(refused)
    assert {r.get_json()["error"] for r in refused} == {"refused"}
    assert "SERVICE" in refused[0].get_json()["message"]
    assert "LOAD" in refused[6].get_json()["message"]
    assert seen == [], "the server opened a connection to the listener"
    assert not client.get("/sparql", query_string={"query": "ASK { <http://x/s> ?p ?o }"}).get_json()["boolean"]


def test_service_in_a_string_or_comment_is_not_a_service(client):
    query = 'SELECT ?x WHERE { BIND("SERVICE <http://example.org/>" AS ?x) } # LOAD <http://example.org/>'
    assert client.get("/sparql", query_string={"query": query}).status_code == 200


def test_a_service_however_written_is_refused_before_it_runs(client, listener):
    url, seen = listener
    for written in ("service", "SeRvIcE", "\\u0053ERVICE", "SERV\\u0049CE", "\\U00000053ERVICE"):
        query = f"SELECT * WHERE {{ {written} <{url}/sparql> {{ ?s ?p ?o }} }}"
        response = client.get("/sparql", query_string={"query": query})
        assert response.status_code == 400, written
        assert response.get_json()["error"] in ("refused", "malformed-query"), written
    time.sleep(0.3)
    assert seen == [], "the server opened a connection to the listener"


def test_every_query_is_read_before_it_runs_and_syntax_errors_are_in_words(client):
    broken = client.get("/sparql", query_string={"query": "SELECT ?s WHERE { ?s ?p }"})
    assert broken.status_code == 400 and broken.get_json()["error"] == "malformed-query"
    assert broken.get_json()["where"] == "query line 1, column 19"
    misspelt = client.get("/sparql", query_string={"query": "PREFIX x: <http://x/>\nSELEC * WHERE { ?s ?p ?o }"}).get_json()
    assert misspelt["message"] == (
        "this is not a SPARQL query: it should start with SELECT, CONSTRUCT, DESCRIBE or ASK (after any PREFIX "
        "and BASE), not 'SELEC'"
    )
    assert misspelt["where"] == "query line 2, column 1"
    update = client.post("/update", data={"update": "INSRT DATA { <a:s> <a:p> 1 }"}, headers=AUTH).get_json()
    assert update["message"].startswith("this is not a SPARQL update: it should start with INSERT, DELETE")
    unclosed = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o"}).get_json()
    assert unclosed["message"] == "syntax error: the query ends too early"
    construct = client.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s a ?t }"})
    assert construct.status_code == 200 and construct.mimetype == "text/turtle"
    select = client.get("/sparql", query_string={"query": "SELECT ?s WHERE { ?s a ?t }"})
    assert select.status_code == 200 and select.mimetype == "application/sparql-results+json"
    refused = client.get("/sparql", query_string={"query": "SELECT ?s WHERE { ?s a ?t }"}, headers={"Accept": "text/turtle"})
    assert refused.status_code == 406 and "application/sparql-results+json" in refused.get_json()["hint"]


def test_deep_nesting_is_refused_before_it_runs(client):
    query = "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000
    response = client.post("/sparql", data=query, content_type="application/sparql-query")
    assert response.status_code == 400
    assert "nests groups 3000 deep" in response.get_json()["message"]
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200


def test_a_query_past_the_time_limit_is_stopped_and_others_are_answered(make_app):
    app = make_app(query_timeout=1.5, query_workers=2)
    client = app.test_client()
    results = {}
    slow = threading.Thread(target=lambda: results.update(slow=client.get("/sparql", query_string={"query": SLOW})))
    started = time.monotonic()
    slow.start()
    time.sleep(0.2)
    other_client = {"REMOTE_ADDR": "127.0.0.2"}  # one client runs on half the workers at most
    quick = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}, environ_base=other_client)
    assert quick.status_code == 200 and time.monotonic() - started < 1.5, "answered while the slow query runs"
    slow.join(30)
    elapsed = time.monotonic() - started
    assert results["slow"].status_code == 503
    assert results["slow"].get_json()["error"] == "query-timeout"
    assert elapsed < 6
    assert client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}).status_code == 200


def test_a_crashed_worker_is_replaced(app):
    engine = app.extensions["coprokg.engine"]
    pool: WorkerPool = engine.pool
    fmt = formats.RESULT_FORMATS[0]
    before = {w.process.pid for w in pool._workers}
    killer = threading.Timer(0.5, lambda: [os.kill(pid, 9) for pid in before])
    killer.start()
    with pytest.raises(StoreError, match="stopped its worker"):
        engine.query(SLOW, fmt, {})
    assert before.isdisjoint({w.process.pid for w in pool._workers})
    assert b"true" in engine.query("ASK { ?s ?p ?o }", fmt, {}).body


def test_a_long_answer_is_cut_and_says_so(make_app):
    client = make_app(max_rows=3).test_client()
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert len(response.get_json()["results"]["bindings"]) == 3
    assert response.headers["Coprokg-Rows"] == "3"
    assert response.headers["Coprokg-Truncated"].startswith("true")
    construct = client.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "nt"})
    assert len(construct.data.splitlines()) == 3 and "Coprokg-Truncated" in construct.headers
    short = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 2"})
    assert "Coprokg-Truncated" not in short.headers and short.headers["Coprokg-Rows"] == "2"


def test_a_body_over_the_limit_is_413_also_when_chunked(make_app):
    from tests.server.conftest import Live

    app = make_app(max_body_bytes=1000)
    live = Live(app)
    try:
        big = "ASK {}" + " " * 5000
        response = app.test_client().post("/sparql", data=big, content_type="application/sparql-query")
        assert response.status_code == 413
        assert response.get_json()["error"] == "request-entity-too-large"

        def chunks():
            for _ in range(50):
                yield b"#" * 100 + b"\n"
            yield b"ASK {}"

        request = urllib.request.Request(
            live.url + "/sparql", data=chunks(), headers={"Content-Type": "application/sparql-query"}, method="POST"
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 413
    finally:
        live.stop()


def test_a_long_get_query_is_refused_with_a_hint_to_post(make_app):
    client = make_app(max_get_query=100).test_client()
    query = "ASK { " + "?s ?p ?o . " * 20 + "}"
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 400
    assert "POST" in response.get_json()["hint"]
    assert client.post("/sparql", data={"query": query}).status_code == 200


def test_read_endpoints_allow_cross_origin_reads(client):
    response = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Origin": "https://example.org"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options("/sparql", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"})
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]
    update = client.post("/update", data={"update": "CLEAR ALL"}, headers={"Origin": "https://example.org"})
    assert "Access-Control-Allow-Origin" not in update.headers


def test_etag_gives_304_until_a_write_changes_the_data(client):
    query = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://x/p> ?o }"}
    first = client.get("/sparql", query_string=query)
    etag = first.headers["ETag"]
    again = client.get("/sparql", query_string=query, headers={"If-None-Match": etag})
    assert again.status_code == 304
    written = client.post(
        "/update", data={"update": "INSERT DATA { GRAPH <http://x/g> { <http://x/s> <http://x/p> 1 } }"}, headers=AUTH
    )
    assert written.status_code == 200
    after = client.get("/sparql", query_string=query, headers={"If-None-Match": etag})
    assert after.status_code == 200 and after.headers["ETag"] != etag
    count = lambda r: int(r.get_json()["results"]["bindings"][0]["n"]["value"])  # noqa: E731
    assert count(after) == count(first) + 1, "the cached answer was dropped by the write"


def test_no_error_shows_a_stack_trace_or_debug_page(app, client):
    assert app.debug is False
    for response in (
        client.get("/sparql", query_string={"query": "SELECT ?x WHERE { ?x ?y"}),
        client.get("/no/such/path"),
        client.post("/update", data={"update": "CLEAR ALL"}),
    ):
        text = response.get_data(as_text=True)
        assert "Traceback" not in text and "File \"" not in text
        assert set(response.get_json()) >= {"error", "message", "status"}


def test_snapshots_no_worker_uses_are_deleted(app, client):
    snapshots = Path(app.extensions["coprokg.store"].location) / "snapshots"
    for n in range(3):
        client.post("/update", data={"update": f"INSERT DATA {{ GRAPH <http://x/g> {{ <http://x/s> <http://x/p> {n} }} }}"}, headers=AUTH)
        client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
    assert len(list(snapshots.iterdir())) <= 2
    for _ in range(4):  # every worker moves to the current snapshot; the older ones go
        client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
    assert len(list(snapshots.iterdir())) == 1


def test_concurrent_distinct_queries_are_all_answered(live):
    """Requests parse their queries side by side (the parser must not be shared unsafely)."""
    failures = []

    def ask(k):
        for n in range(15):
            query = (
                "PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX cito: <http://purl.org/spar/cito/>\n"
                f"SELECT ?p ?o WHERE {{ <https://w3id.org/coproduction/paper/n-{k}-{n}> ?p ?o }}"
            )
            url = live.url + "/sparql?" + urllib.parse.urlencode({"query": query})
            try:
                urllib.request.urlopen(url, timeout=30).close()
            except urllib.error.HTTPError as error:
                failures.append(error.read())

    threads = [threading.Thread(target=ask, args=(k,)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


def test_catalog_questions_and_pages_run_under_the_time_limit(make_app, tmp_path):
    """The catalog and the pages ask the query engine, not the store: a slow question is stopped."""
    folder = tmp_path / "questions"
    folder.mkdir()
    (folder / "slow.rq").write_text("#+ summary: Counts every combination of five triples.\n" + SLOW + "\n")
    app = make_app(query_timeout=1.0)
    app.config["QUERIES_DIR"] = folder
    client = app.test_client()
    started = time.monotonic()
    response = client.get("/queries/slow", headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 503 and response.get_json()["error"] == "query-timeout"
    page = client.get("/queries/slow", headers={"Accept": "text/html"})  # a browser gets the error as a page
    assert page.status_code == 503 and page.mimetype == "text/html" and "(query-timeout)" in page.get_data(as_text=True)
    assert time.monotonic() - started < 8
    engine = app.extensions["coprokg.engine"]
    asked = engine.pool.run  # every page's query goes through the worker pool
    seen = []
    engine.pool.run = lambda *args: seen.append(args[1]) or asked(*args)
    engine._cache.clear()
    assert client.get("/", headers={"Accept": "text/html"}).status_code == 200
    assert client.get("/coproduction/concept/co-design", headers={"Accept": "text/html"}).status_code == 200
    assert client.get("/.well-known/void", headers={"Accept": "text/turtle"}).status_code == 200
    assert len(seen) >= 4
