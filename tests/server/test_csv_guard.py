"""CSV answers are safe to open in a spreadsheet unless the client asks for exact cells
(OWASP CSV injection; coprokg.csvguard), on the real server, SPARQLWrapper and the CLI."""

from __future__ import annotations

import csv
import io
import urllib.parse
import urllib.request

from pyoxigraph import Literal
from SPARQLWrapper import CSV, SPARQLWrapper

from tests.support import coprokg

CELLS = ["=HYPERLINK(\"http://evil.example/\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "-42", "+1.5e3",
         "plain title", "a=b"]
QUERY = "SELECT ?cell WHERE { VALUES ?cell { " + " ".join(str(Literal(c)) for c in CELLS) + " } }"
GUARDED = ["'" + CELLS[0], "'" + CELLS[1], "'" + CELLS[2], "'" + CELLS[3], "'" + CELLS[4], "-42", "+1.5e3",
           "plain title", "a=b"]


def cells(body: bytes) -> list[str]:
    rows = list(csv.reader(io.StringIO(body.decode(), newline="")))
    assert rows[0] == ["cell"]
    return [row[0] for row in rows[1:]]


def test_csv_from_the_endpoint_guards_formulas_and_keeps_numbers(live):
    request = urllib.request.Request(f"{live.url}/sparql?" + urllib.parse.urlencode({"query": QUERY}),
                                     headers={"Accept": "text/csv"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers.get_content_type() == "text/csv"
        assert cells(response.read()) == GUARDED


def test_sparqlwrapper_reads_guarded_csv_and_exact_csv_on_request(live):
    sparql = SPARQLWrapper(f"{live.url}/sparql")
    sparql.setQuery(QUERY)
    sparql.setReturnFormat(CSV)
    assert cells(sparql.query().convert()) == GUARDED
    sparql.addParameter("csv", "exact")
    assert cells(sparql.query().convert()) == CELLS


def test_exact_csv_has_its_own_etag_and_a_wrong_value_is_refused(client):
    guarded = client.get("/sparql", query_string={"query": QUERY, "format": "csv"})
    exact = client.get("/sparql", query_string={"query": QUERY, "format": "csv", "csv": "exact"})
    assert cells(guarded.data) == GUARDED and cells(exact.data) == CELLS
    assert guarded.headers["ETag"] != exact.headers["ETag"]
    wrong = client.get("/sparql", query_string={"query": QUERY, "format": "csv", "csv": "raw"})
    assert wrong.status_code == 400 and wrong.get_json()["where"] == "csv"


def test_other_formats_carry_the_exact_values(client):
    body = client.get("/sparql", query_string={"query": QUERY, "format": "json"}).get_json()
    assert [b["cell"]["value"] for b in body["results"]["bindings"]] == CELLS


def test_cli_csv_is_guarded_unless_exact_csv(cli_env):
    guarded = coprokg("query", QUERY, "--format", "csv", env=cli_env)
    assert guarded.returncode == 0, guarded.stderr
    assert cells(guarded.stdout) == GUARDED
    exact = coprokg("query", QUERY, "--format", "csv", "--exact-csv", env=cli_env)
    assert cells(exact.stdout) == CELLS
