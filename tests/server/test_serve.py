"""`coprokg serve` as a user runs it: a subprocess on a free port, queried with SPARQLWrapper."""

from __future__ import annotations

from tests.support import coprokg

IMPORT = (
    b'<https://w3id.org/coproduction/paper/x> <http://purl.org/dc/terms/title> "Persisted title" '
    b"<https://w3id.org/coproduction/graph/test> .\n"
)
TITLES = "SELECT ?t WHERE { <https://w3id.org/coproduction/paper/x> <http://purl.org/dc/terms/title> ?t }"


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
