"""Server fixtures: an app on a fresh embedded store holding tests/server/data/papers.ttl, its
test client, and the same app behind a real waitress server on loopback."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import waitress
from SPARQLWrapper import JSON, SPARQLWrapper
from waitress import wasyncore
from pyoxigraph import NamedNode, RdfFormat, parse

from coprokg.settings import Settings
from coprokg.server import close_app, create_app
from tests.support import free_port, wait_for

DATA = Path(__file__).parent / "data"
PAPERS_GRAPH = "https://w3id.org/coproduction/graph/load/test-papers"
TOKEN = "s3cret-token-for-tests"


def load_fixture(app, graph: str = PAPERS_GRAPH, name: str = "papers.ttl") -> None:
    triples = [q.triple for q in parse(path=str(DATA / name), format=RdfFormat.TURTLE)]
    with app.extensions["coprokg.engine"].writing() as store:
        store.add_graph(NamedNode(graph), triples, replace=True)


def app_holding_only(make_app, name: str, graph: str):
    """An app whose papers are only those of the fixture file ``name``, loaded as ``graph``."""
    app = make_app()
    with app.extensions["coprokg.engine"].writing() as store:
        store.drop_graph(NamedNode(PAPERS_GRAPH))
    load_fixture(app, graph, name)
    return app


@pytest.fixture
def make_app(tmp_path):
    """Build apps on the fixture data; ``make_app(**settings)`` overrides settings."""
    made = []

    def make(**overrides):
        values = {"store": str(tmp_path / "store"), "data_dir": str(tmp_path / "no-curated-data"), "query_workers": 1,
                  "update_token": TOKEN, **overrides}
        app = create_app(Settings.load(values, environ={}))
        load_fixture(app)
        made.append(app)
        return app

    yield make
    for app in made:
        close_app(app)


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


class Live:
    """An app served by waitress on a free loopback port, in a thread of this process."""

    def __init__(self, app):
        self.app = app
        self.server = waitress.create_server(app, host="127.0.0.1", port=0, threads=8)
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        # Close every socket from the server's own loop thread; the loop then ends.
        try:
            self.server.trigger.pull_trigger(lambda: wasyncore.close_all(self.server._map))
        except OSError:  # the trigger is closed already: nothing left to wake, close from here
            wasyncore.close_all(self.server._map)
        self.thread.join(10)
        assert not self.thread.is_alive(), "the server thread did not stop"
        self.server.task_dispatcher.shutdown()


@pytest.fixture
def live(app):
    server = Live(app)
    yield server
    server.stop()


@pytest.fixture
def listener():
    """A TCP listener on loopback that records every connection made to it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    sock.settimeout(0.2)
    seen = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                seen.append(sock.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}", seen
    stop.set()
    thread.join(2)
    sock.close()


class Server:
    """`coprokg serve` as a user runs it: a subprocess on a free loopback port."""

    def __init__(self, env, *args: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "coprokg", "serve", "--port", str(self.port), *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        wait_for(self.url + "/health", self.process, timeout=120)

    def select(self, query: str) -> list[dict]:
        client = SPARQLWrapper(self.url + "/sparql")
        client.setQuery(query)
        client.setReturnFormat(JSON)
        return client.queryAndConvert()["results"]["bindings"]

    def stop(self) -> None:
        """Stop the server (SIGTERM) and wait for it; its output stays readable."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)

    def stderr(self) -> str:
        self.stop()
        return self.process.stderr.read().decode()


@pytest.fixture
def serve(cli_env):
    """Start `coprokg serve` subprocesses: ``serve(*args, **env)`` adds options and variables."""
    started = []

    def start(*args: str, **env: str) -> Server:
        started.append(Server({**cli_env, **env}, *args))
        return started[-1]

    yield start
    for server in started:
        server.stop()
