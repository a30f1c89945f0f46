"""The server on a remote store (`oxigraph serve`): queries go straight through, same answers."""

from __future__ import annotations

from coprokg.settings import Settings
from coprokg.server import create_app
from tests.server.conftest import load_fixture

SELECT = "SELECT ?t WHERE { <https://w3id.org/coproduction/paper/robert-2024-6ccd34d9> <http://purl.org/dc/terms/title> ?t }"


def test_queries_and_pages_on_a_remote_store(remote_url, tmp_path):
    settings = {"store": remote_url, "max_rows": 2, "data_dir": str(tmp_path / "no-curated-data")}
    app = create_app(Settings.load(settings, environ={}))
    load_fixture(app)
    client = app.test_client()
    rows = client.get("/sparql", query_string={"query": SELECT}).get_json()["results"]["bindings"]
    assert [r["t"]["value"] for r in rows] == ["Coproduction across literatures"]
    cut = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert len(cut.get_json()["results"]["bindings"]) == 2 and "Coprokg-Truncated" in cut.headers
    assert client.get("/sparql", query_string={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}).status_code == 400
    page = client.get("/coproduction/concept/co-design", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "Citizens and professionals" in page.get_data(as_text=True)
