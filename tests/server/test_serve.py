"""`coprokg serve` as a user runs it: a subprocess on a free port, queried with SPARQLWrapper."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest
from SPARQLWrapper import JSON, SPARQLWrapper

from tests.support import coprokg, free_port, wait_for

IMPORT = (
    b'<https://w3id.org/coproduction/paper/x> <http://purl.org/dc/terms/title> "Persisted title" '
    b"<https://w3id.org/coproduction/graph/test> .\n"
)
TITLES = "SELECT ?t WHERE { <https://w3id.org/coproduction/paper/x> <http://purl.org/dc/terms/title> ?t }"


class Server:
    def __init__(self, env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "coprokg", "serve", "--port", str(self.port)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        wait_for(self.url + "/health", self.process)

    def select(self, query: str) -> list[dict]:
        client = SPARQLWrapper(self.url + "/sparql")
        client.setQuery(query)
        client.setReturnFormat(JSON)
        return client.queryAndConvert()["results"]["bindings"]

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


@pytest.fixture
def serve(cli_env):
    started = []

    def start() -> Server:
        started.append(Server(cli_env))
        return started[-1]

    yield start
    for server in started:
        if server.process.poll() is None:
            server.stop()


def test_serve_answers_sparqlwrapper(serve):
    server = serve()
    rows = server.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(rows[0]["n"]["value"]) > 0, "a new store is seeded on first use"


def test_data_persists_across_a_restart(serve, cli_env):
    imported = coprokg("import", "-", "--format", "nquads", "--force", env=cli_env, input=IMPORT)
    assert imported.returncode == 0, imported.stderr
    first = serve()
    assert [r["t"]["value"] for r in first.select(TITLES)] == ["Persisted title"]
    first.stop()
    second = serve()
    assert [r["t"]["value"] for r in second.select(TITLES)] == ["Persisted title"]


def test_serve_runs_under_waitress_not_the_flask_development_server(serve):
    server = serve()
    server.stop()
    output = server.process.stderr.read().decode()
    assert "WARNING: This is a development server" not in output
    assert f"http://127.0.0.1:{server.port}/sparql" in output
