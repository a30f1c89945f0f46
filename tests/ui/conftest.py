"""The web UI on a store holding the UI fixture: in-process for the pages, a real server for the browser."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat

from tests.support import REPO, app_holding, coprokg, free_port, wait_for

FIXTURE = Path(__file__).with_name("fixture.trig")


def load_fixture(store) -> None:
    store.restore(FIXTURE.read_bytes(), RdfFormat.TRIG)


@pytest.fixture
def app(settings):
    with app_holding(settings, load_fixture) as app:
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`coprokg serve` on a free loopback port over a fresh store with the fixture imported; yields its URL."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COPROKG_")}
    env["PYTHONPATH"] = str(REPO)
    folder = tmp_path_factory.mktemp("ui")
    env["COPROKG_STORE"] = str(folder / "store")
    env["COPROKG_DATA_DIR"] = str(folder / "no-curated-data")
    imported = coprokg("import", "--force", str(FIXTURE), env=env)
    assert imported.returncode == 0, imported.stderr.decode()
    port = free_port()
    log = folder / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "coprokg", "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=sink
        )
    url = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_for(url + "/health", process)
        except RuntimeError as error:
            pytest.fail(f"{error}:\n{log.read_text(errors='replace')}")
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
