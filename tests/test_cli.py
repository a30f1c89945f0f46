"""The coprokg command as a user types it: answers, exit codes and one-line errors."""

from __future__ import annotations

import json

from tests.support import coprokg

DUMP = b'<http://example.org/a> <http://example.org/b> "c" <http://example.org/g> .\n'


def test_every_command_explains_itself_with_an_example(cli_env):
    for command in ("serve", "query", "stats", "export", "import"):
        result = coprokg(command, "--help", env=cli_env)
        assert result.returncode == 0
        assert "Example" in result.stdout.decode(), command


def test_query_answers_in_json(cli_env):
    coprokg("import", "-", "--format", "nquads", env=cli_env, input=DUMP)
    result = coprokg("query", "SELECT ?o WHERE { <http://example.org/a> ?p ?o }", "--format", "json", env=cli_env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["results"]["bindings"][0]["o"]["value"] == "c"


def test_query_reads_a_query_file(cli_env, tmp_path):
    coprokg("import", "-", "--format", "nquads", env=cli_env, input=DUMP)
    path = tmp_path / "q.rq"
    path.write_text("SELECT ?o WHERE { <http://example.org/a> ?p ?o }")
    result = coprokg("query", str(path), env=cli_env)
    assert result.returncode == 0
    assert "c" in result.stdout.decode().splitlines()[2]


def test_malformed_query_is_one_line_on_stderr_and_exit_1(cli_env):
    result = coprokg("query", "SELECT ?x WHERE {", env=cli_env)
    assert result.returncode == 1
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: query line 1, column 18: syntax error")


def test_uncreatable_store_path_is_one_line_and_exit_1(cli_env, tmp_path):
    (tmp_path / "file").write_text("")
    result = coprokg("--store", str(tmp_path / "file" / "store"), "stats", env=cli_env)
    assert result.returncode == 1
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and str(tmp_path / "file" / "store") in lines[0]


def test_unreachable_remote_store_is_one_line_and_exit_1(cli_env):
    result = coprokg("--store", "http://127.0.0.1:9/query", "stats", env=cli_env)
    assert result.returncode == 1
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "cannot reach the SPARQL endpoint" in lines[0]


def test_bad_setting_is_a_usage_error(cli_env):
    result = coprokg("stats", env={**cli_env, "COPROKG_PORT": "eighty"})
    assert result.returncode == 2
    assert "COPROKG_PORT" in result.stderr.decode()


def test_export_then_import_restores_the_store(cli_env, tmp_path):
    coprokg("import", "-", "--format", "nquads", env=cli_env, input=DUMP)
    dump = tmp_path / "backup.nq"
    assert coprokg("export", "-o", str(dump), env=cli_env).returncode == 0
    copy = {**cli_env, "COPROKG_STORE": str(tmp_path / "copy")}
    assert coprokg("import", str(dump), env=copy).returncode == 0
    exported_again = coprokg("export", env=copy).stdout
    assert sorted(exported_again.splitlines()) == sorted(dump.read_bytes().splitlines())


def test_stats_counts_resources_per_class(cli_env):
    result = coprokg("stats", env=cli_env)
    assert result.returncode == 0
    assert "triples" in result.stdout.decode()
