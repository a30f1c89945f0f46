"""The catalog under grlc itself (https://github.com/CLARIAH/grlc): grlc's own server, in its
local mode reading queries/, turns every question into an API call that it sends to a running
coprokg server holding the curated graph; each question with the defaults of its header gives rows."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.parse
import urllib.request

import pytest

from coprokg.queries import catalog
from coprokg.server import close_app, create_app
from coprokg.settings import Settings
from tests.server.conftest import Live
from tests.support import REPO, free_port, wait_for

QUERIES = catalog.catalog()


@pytest.fixture(scope="module")
def coprokg_sparql(tmp_path_factory):
    """A coprokg server on loopback over a new store seeded with the curated data."""
    store = tmp_path_factory.mktemp("grlc-store") / "store"
    app = create_app(Settings.load({"store": str(store), "data_dir": str(REPO / "data"), "query_workers": 1}, environ={}))
    server = Live(app)
    yield server.url + "/sparql"
    server.stop()
    close_app(app)


@pytest.fixture(scope="module")
def grlc(tmp_path_factory, coprokg_sparql):
    """grlc's server (gunicorn, as grlc deploys it) configured by its config.ini: queries from
    the repository's queries/ folder, sent to the coprokg server."""
    folder = tmp_path_factory.mktemp("grlc")
    (folder / "config.ini").write_text(
        f"[defaults]\nsparql_endpoint = {coprokg_sparql}\n\n[local]\nlocal_sparql_dir = {catalog.QUERIES_DIR}\n"
    )
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "120",
         "--control-socket", str(folder / "gunicorn.ctl"), "grlc.server:app"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url + "/", process, timeout=60)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_grlc_lists_every_question_of_the_catalog(grlc):
    with urllib.request.urlopen(grlc + "/api-local/swagger", timeout=60) as response:
        spec = json.load(response)
    assert {path.strip("/") for path in spec["paths"]} == {query.name for query in QUERIES}


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_every_question_answers_through_grlc_with_its_defaults(grlc, query):
    defaults = {p.name: p.default for p in query.parameters if p.default is not None}
    request = urllib.request.Request(
        f"{grlc}/api-local/{query.name}?{urllib.parse.urlencode(defaults)}",
        headers={"Accept": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        answer = json.load(response)
    rows = answer["results"]["bindings"]
    assert rows, f"{query.name} gives no rows through grlc"
    for parameter in query.parameters:
        assert parameter.variable not in answer["head"]["vars"]
