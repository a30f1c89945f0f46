"""A remote store that misbehaves: a misbehaving SPARQL endpoint on
loopback that drips its answer, cuts it, or is busy; the CLI, the store and the server each
give one clear error naming the endpoint, within the deadline."""

from __future__ import annotations

import http.server
import threading
import time

import pytest

from coprokg.server import close_app, create_app
from coprokg.settings import Settings
from coprokg.store import RemoteStore
from coprokg.store.deadline import StoreTimeout
from coprokg.store.remote import BadAnswer
from tests.support import coprokg

VERSION = b'{"head": {"vars": ["v"]}, "results": {"bindings": [{"v": {"type": "literal", "value": "v1"}}]}}'
CUT = VERSION[: len(VERSION) // 2]


class Endpoint(http.server.BaseHTTPRequestHandler):
    """Answers every query as ``server.mode`` says: ok, drip, cut, busy (429 then ok), busy-long."""

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.requests += 1
        mode = self.server.mode
        if mode == "busy" and self.server.requests % 2 == 1 or mode == "busy-long":
            self.send_response(429)
            self.send_header("Retry-After", "1" if mode == "busy" else "120")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        if mode == "drip":
            for byte in VERSION:
                if self.server.stopping:
                    return
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.5)
        else:
            self.wfile.write(CUT if mode == "cut" else VERSION)

    def log_message(self, *args):
        pass


@pytest.fixture
def endpoint():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Endpoint)
    server.daemon_threads = True
    server.mode, server.requests, server.stopping = "ok", 0, False
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server.url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
    yield server
    server.stopping = True
    server.shutdown()
    server.server_close()


def test_a_dripping_answer_is_cut_at_one_deadline_for_the_whole_request(endpoint):
    endpoint.mode = "drip"
    started = time.monotonic()
    with pytest.raises(StoreTimeout) as raised:
        RemoteStore(endpoint.url, timeout=2)
    assert time.monotonic() - started < 4, "the deadline bounds the request, not each read"
    assert endpoint.url in str(raised.value) and "within 2 s" in str(raised.value)


def test_the_cli_stops_at_the_deadline_with_one_line_naming_the_endpoint(endpoint, cli_env):
    endpoint.mode = "drip"
    started = time.monotonic()
    result = coprokg("stats", env={**cli_env, "COPROKG_STORE": endpoint.url, "COPROKG_STORE_TIMEOUT": "2"})
    assert time.monotonic() - started < 15
    assert result.returncode == 1
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and endpoint.url in lines[0] and "no complete answer within 2 s" in lines[0]


def test_a_truncated_answer_is_one_line_naming_the_endpoint(endpoint, cli_env):
    endpoint.mode = "cut"
    with pytest.raises(BadAnswer) as raised:
        RemoteStore(endpoint.url, timeout=5)
    assert endpoint.url in str(raised.value) and "not valid application/sparql-results+json" in str(raised.value)
    result = coprokg("stats", env={**cli_env, "COPROKG_STORE": endpoint.url})
    assert result.returncode == 1
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and endpoint.url in lines[0] and "Traceback" not in result.stderr.decode()


def test_the_server_answers_502_in_the_json_error_shape_for_a_cut_answer(endpoint, tmp_path):
    app = create_app(Settings.load({"store": endpoint.url, "data_dir": str(tmp_path / "none")}, environ={}))
    try:
        endpoint.mode = "cut"
        response = app.test_client().get("/sparql", query_string={"query": "SELECT ?v WHERE { ?s ?p ?v }"})
        assert response.status_code == 502
        body = response.get_json()
        assert body["error"] == "bad-store-answer" and body["status"] == 502 and body["where"] == endpoint.url
    finally:
        close_app(app)


def test_429_with_retry_after_is_retried_within_the_deadline(endpoint):
    endpoint.mode = "busy"
    started = time.monotonic()
    store = RemoteStore(endpoint.url, timeout=5)
    assert store.version() == "v1"
    assert endpoint.requests == 4, "each request was refused once, then answered"
    assert 2 <= time.monotonic() - started < 5


def test_a_retry_after_past_the_deadline_is_not_waited_for(endpoint):
    endpoint.mode = "busy-long"
    started = time.monotonic()
    with pytest.raises(StoreTimeout) as raised:
        RemoteStore(endpoint.url, timeout=3)
    assert time.monotonic() - started < 1
    assert "busy (HTTP 429) and asks to wait 120 s" in str(raised.value) and endpoint.url in str(raised.value)
    assert endpoint.requests == 1
