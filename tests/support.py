"""Helpers for tests: apps on a filled store, free ports, waiting for servers, the CLI."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@contextmanager
def app_holding(config, write):
    """An app on ``config`` whose store ``write(store)`` fills through the app's engine (so the
    server's queries see it); closed on leaving."""
    from coprokg.server import close_app, create_app

    app = create_app(config)
    try:
        with app.extensions["coprokg.engine"].writing() as store:
            write(store)
        yield app
    finally:
        close_app(app)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, timeout: float = 30.0) -> None:
    """Poll ``url`` until it answers 2xx, failing early if ``process`` exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 300:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answered {url} within {timeout}s")


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).exists():
        pytest.fail("the oxigraph server binary is missing: pip install -e '.[test]' installs it")
    return found


def virtuoso_binary(name: str = "virtuoso-t") -> str:
    found = shutil.which(name)
    if not found:
        pytest.fail(f"{name} is missing: install the Debian package virtuoso-opensource (.ci/run does)")
    return found


def empty_endpoint(url: str) -> None:
    """Drop every graph of a remote endpoint but those Virtuoso keeps for itself."""
    from coprokg.store.remote import SYSTEM_GRAPHS

    update_url = url[: -len("query")] + "update" if url.endswith("/query") else url
    query = urllib.parse.urlencode({"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"}).encode()
    request = urllib.request.Request(url, data=query, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        graphs = [row["g"]["value"] for row in json.load(response)["results"]["bindings"]]
    drops = " ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs if not g.startswith(SYSTEM_GRAPHS))
    if drops:
        body = urllib.parse.urlencode({"update": drops}).encode()
        urllib.request.urlopen(urllib.request.Request(update_url, data=body), timeout=30).close()


def coprokg(*args: str, env: dict[str, str], input: bytes | None = None) -> subprocess.CompletedProcess:
    """Run the coprokg command in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "coprokg", *args], env=env, input=input, capture_output=True, timeout=120
    )
