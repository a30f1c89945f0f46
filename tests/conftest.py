"""Fixtures shared by every test: free ports, a real `oxigraph serve`, stores of both kinds."""

from __future__ import annotations

import os
import subprocess
import urllib.request

import pytest

from coprokg.bootstrap import open_initialised
from coprokg.settings import Settings
from coprokg.store import EmbeddedStore, RemoteStore
from tests.support import REPO, free_port, oxigraph_binary, wait_for


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


@pytest.fixture
def remote_url(oxigraph_server):
    """The remote endpoint, emptied for this test."""
    request = urllib.request.Request(
        oxigraph_server.replace("/query", "/update"),
        data=b"CLEAR ALL",
        headers={"Content-Type": "application/sparql-update"},
    )
    urllib.request.urlopen(request, timeout=10).close()
    return oxigraph_server


@pytest.fixture(params=["embedded", "remote"])
def store(request, tmp_path):
    """The same tests against both implementations of the store interface."""
    if request.param == "embedded":
        opened = EmbeddedStore(tmp_path / "store")
    else:
        opened = RemoteStore(request.getfixturevalue("remote_url"))
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
