"""The coprokg command as a user types it: answers, exit codes and one-line errors."""

from __future__ import annotations

import json

from tests.support import REPO, coprokg

PAPERS = REPO / "tests" / "loaders" / "papers.bib"

DUMP = b'<http://example.org/a> <http://example.org/b> "c" <http://example.org/g> .\n'


def test_every_command_explains_itself_with_an_example(cli_env):
    for command in ("serve", "query", "stats", "export", "import"):
        result = coprokg(command, "--help", env=cli_env)
        assert result.returncode == 0
        assert "Example" in result.stdout.decode(), command


def test_query_answers_in_json(cli_env):
    coprokg("import", "-", "--format", "nquads", "--force", env=cli_env, input=DUMP)
    result = coprokg("query", "SELECT ?o WHERE { <http://example.org/a> ?p ?o }", "--format", "json", env=cli_env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["results"]["bindings"][0]["o"]["value"] == "c"


def test_query_reads_a_query_file(cli_env, tmp_path):
    coprokg("import", "-", "--format", "nquads", "--force", env=cli_env, input=DUMP)
    path = tmp_path / "q.rq"
    path.write_text("SELECT ?o WHERE { <http://example.org/a> ?p ?o }")
    result = coprokg("query", str(path), env=cli_env)
    assert result.returncode == 0
    assert "c" in result.stdout.decode().splitlines()[2]


def test_malformed_query_is_one_line_on_stderr_and_exit_1(cli_env):
    assert coprokg("stats", env=cli_env).returncode == 0  # the store is made and seeded, saying so
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
    coprokg("import", "-", "--format", "nquads", "--force", env=cli_env, input=DUMP)
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


def test_a_mistyped_store_path_is_refused_not_created(cli_env, tmp_path):
    result = coprokg("--store", str(tmp_path / "typo" / "path"), "stats", env=cli_env)
    assert result.returncode == 1
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "does not exist" in lines[0] and "mkdir -p" in lines[0]
    assert not (tmp_path / "typo").exists()
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("x")
    busy = coprokg("--store", str(tmp_path / "notes"), "stats", env=cli_env)
    assert busy.returncode == 1 and "holds other files and no coprokg store" in busy.stderr.decode()
    assert sorted(p.name for p in (tmp_path / "notes").iterdir()) == ["todo.txt"]


def test_a_new_store_is_made_where_its_folder_exists_and_says_so(cli_env):
    first = coprokg("stats", env=cli_env)
    assert first.returncode == 0
    assert f"new store at {cli_env['COPROKG_STORE']}" in first.stderr.decode()
    assert "new store" not in coprokg("stats", env=cli_env).stderr.decode()


def test_settings_shows_the_values_in_effect_and_where_they_come_from(cli_env, tmp_path):
    env = {**cli_env, "COPROKG_PORT": "9000", "COPROKG_UPDATE_TOKEN": "s3cret"}
    result = coprokg("--store", str(tmp_path / "elsewhere"), "settings", env=env)
    assert result.returncode == 0
    out = result.stdout.decode()
    assert "COPROKG_PORT=9000  (environment COPROKG_PORT; default 8000)" in out
    assert f"COPROKG_STORE={tmp_path / 'elsewhere'}  (option --store; default var/store)" in out
    assert "COPROKG_THREADS=24  (default)" in out
    assert "COPROKG_UPDATE_TOKEN=(set)" in out and "s3cret" not in out


def test_ontology_docs_makes_a_missing_folder(cli_env, tmp_path):
    target = tmp_path / "build" / "ontology.html"
    result = coprokg("ontology-docs", str(target), env=cli_env)
    assert result.returncode == 0, result.stderr
    assert "<html" in target.read_text().lower()
    (tmp_path / "file").write_text("")
    blocked = coprokg("ontology-docs", str(tmp_path / "file" / "ontology.html"), env=cli_env)
    assert blocked.returncode == 1
    assert blocked.stderr.decode().startswith("error: ") and "Traceback" not in blocked.stderr.decode()


def test_unload_of_an_undone_load_exits_0_saying_so(cli_env):
    load = coprokg("load", str(PAPERS), env=cli_env)
    assert load.returncode == 0, load.stderr
    load_id = load.stdout.decode().split()[1].rstrip(":")
    assert coprokg("unload", load_id, env=cli_env).returncode == 0
    again = coprokg("unload", load_id, env=cli_env)
    assert again.returncode == 0, again.stderr
    assert f"load {load_id} was already undone at" in again.stdout.decode() and "nothing to do" in again.stdout.decode()


def test_validate_counts_as_load_dry_run_does(cli_env):
    assert coprokg("load", str(PAPERS), env=cli_env).returncode == 0
    validated = coprokg("validate", str(PAPERS), env=cli_env)
    dry = coprokg("load", "--dry-run", str(PAPERS), env=cli_env)
    assert validated.returncode == 0 and dry.returncode == 0, validated.stderr
    assert validated.stdout == dry.stdout and b"0 papers added" in dry.stdout
    elsewhere = {**cli_env, "COPROKG_STORE": cli_env["COPROKG_STORE"] + "-none"}
    alone = coprokg("validate", str(PAPERS), env=elsewhere)
    assert alone.returncode == 0 and b"0 papers added" not in alone.stdout
    assert "counted against the files alone (no store at" in alone.stderr.decode()


def test_a_title_differing_in_capitals_from_the_curated_one_does_not_advise_unloading_it(cli_env, tmp_path):
    env = {**cli_env, "COPROKG_DATA_DIR": str(REPO / "data")}
    capitals = tmp_path / "capitals.bib"
    capitals.write_text("@article{ewert2014,\n  author = {Ewert, B. and Evers, A.},\n"
                        "  title = {An Ambiguous Concept: On the Meanings of Co-Production for Health Care Users "
                        "and User Organizations},\n  journal = {VOLUNTAS},\n  year = {2014},\n"
                        "  doi = {10.1007/s11266-012-9345-2},\n}\n")
    result = coprokg("load", str(capitals), env=env)
    assert result.returncode == 0, result.stderr
    assert b"1 merged with papers already known" in result.stdout
    assert b"field title" in result.stderr and b"unload" not in result.stderr
