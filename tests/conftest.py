"""Fixtures shared by every test: free ports, a real `oxigraph serve` and a real Virtuoso, stores of every kind."""

from __future__ import annotations

import os
import subprocess

import pytest

from coprokg.bootstrap import open_initialised
from coprokg.settings import Settings
from coprokg.store import EmbeddedStore, RemoteStore
from tests.support import REPO, empty_endpoint, free_port, oxigraph_binary, virtuoso_binary, wait_for

VIRTUOSO_INI = """[Database]
DatabaseFile = virtuoso.db
ErrorLogFile = virtuoso.log
LockFile = virtuoso.lck
TransactionFile = virtuoso.trx
xa_persistent_file = virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = virtuoso-temp.db
TransactionFile = virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CaseMode = 2
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2
CheckpointInterval = 0
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
ServerThreads = 10
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 0
"""


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """A real `oxigraph serve` on loopback with the union default graph; yields its query URL."""
    port = free_port()
    process = subprocess.Popen(
        [
            oxigraph_binary(),
            "serve",
            "--location",
            str(tmp_path_factory.mktemp("oxigraph")),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/query?query=ASK%7B%7D", process)
        yield f"{base}/query"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory):
    """A real Virtuoso Open Source 7 on loopback, in its own folder with its own virtuoso.ini,
    whose SPARQL user may update (a test setup: see the README's deployment section); yields
    its /sparql URL."""
    folder = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(VIRTUOSO_INI.format(sql_port=sql_port, http_port=http_port, folder=folder))
    process = subprocess.Popen(
        [virtuoso_binary(), "+foreground", "+configfile", "virtuoso.ini"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{http_port}/sparql"
    try:
        wait_for(f"{url}?query=ASK%7B%7D", process, timeout=120)
        grant = subprocess.run(
            [virtuoso_binary("isql-vt"), str(sql_port), "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
            capture_output=True, timeout=60,
        )
        assert grant.returncode == 0, grant.stderr
        yield url
    finally:
        process.terminate()
        process.wait(timeout=60)


@pytest.fixture(params=["oxigraph", "virtuoso"])
def remote_url(request):
    """A remote endpoint of each kind, emptied for this test."""
    url = request.getfixturevalue(f"{request.param}_server")
    empty_endpoint(url)
    return url


@pytest.fixture(params=["embedded", "oxigraph", "virtuoso"])
def store(request, tmp_path):
    """The same tests against the embedded store and each kind of remote store."""
    if request.param == "embedded":
        opened = EmbeddedStore(tmp_path / "store")
    else:
        url = request.getfixturevalue(f"{request.param}_server")
        empty_endpoint(url)
        opened = RemoteStore(url)
    yield opened
    opened.close()


@pytest.fixture
def settings(tmp_path) -> Settings:
    """Settings for an embedded store in a fresh directory, seeded with the ontology alone
    (tests bring their own data; tests/loaders checks that the curated data seeds)."""
    return Settings.load({"store": str(tmp_path / "store"), "data_dir": str(tmp_path / "no-curated-data")}, environ={})


@pytest.fixture
def cli_env(tmp_path) -> dict[str, str]:
    """Environment for running `python -m coprokg` on this source tree and a fresh store."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COPROKG_")}
    env["PYTHONPATH"] = str(REPO)
    env["COPROKG_STORE"] = str(tmp_path / "store")
    env["COPROKG_DATA_DIR"] = str(tmp_path / "no-curated-data")
    return env


@pytest.fixture(scope="session")
def curated_store(tmp_path_factory):
    """One embedded store seeded the way a new store is: the ontology, then every file of
    data/manifest.toml through the loaders. Shared by the whole session: tests only read it."""
    opened = open_initialised(
        Settings.load({"store": str(tmp_path_factory.mktemp("curated") / "store"), "data_dir": str(REPO / "data")}, environ={})
    )
    yield opened
    opened.close()
