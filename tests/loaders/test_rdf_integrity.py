"""RDF loads that cannot go wrong without a word: ill-typed literals are
errors naming file, subject and property, with nothing from rdflib on standard error; a
blank-node author loaded again from a changed file is still one author. On the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support import coprokg

RDF = Path(__file__).parent / "rdf"
PEOPLE = "SELECT (COUNT(DISTINCT ?who) AS ?n) WHERE { ?paper <http://purl.org/dc/terms/creator> ?who }"


def test_an_ill_typed_literal_is_an_error_naming_file_subject_and_property(cli_env):
    result = coprokg("load", str(RDF / "ill-typed.ttl"), env=cli_env)
    assert result.returncode == 1
    err = result.stderr.decode()
    assert "ill-typed.ttl record 'https://w3id.org/coproduction/paper/doi/10.5555/ill.1' field bibo:numPages" in err
    assert "not a valid xsd:integer (value 'abc')" in err
    assert "Traceback" not in err and "Failed to convert" not in err


def test_an_ill_typed_date_in_json_ld_is_an_error_and_validate_says_the_same(cli_env):
    for command in ("validate", "load"):
        result = coprokg(command, str(RDF / "ill-typed.jsonld"), env=cli_env)
        assert result.returncode == 1, command
        err = result.stderr.decode()
        assert "field dcterms:date: the value is not a valid xsd:date (value '2021-13-45')" in err
        assert "Traceback" not in err and "Warning" not in err


def test_a_verdict_from_the_shapes_on_an_ill_typed_year_prints_no_traceback(cli_env, tmp_path):
    bad = tmp_path / "bad-year.ttl"
    bad.write_text((RDF / "blank-author.ttl").read_text().replace('"2021"^^xsd:gYear', '"abc"^^xsd:gYear'))
    result = coprokg("load", str(bad), env=cli_env)
    assert result.returncode == 1
    err = result.stderr.decode()
    assert "field year" in err and "(value 'abc')" in err
    assert "Traceback" not in err and "Failed to convert" not in err


def test_a_blank_node_author_loaded_again_from_a_changed_file_is_one_author(cli_env, tmp_path):
    first = coprokg("load", str(RDF / "blank-author.ttl"), env=cli_env)
    assert first.returncode == 0, first.stderr
    changed = tmp_path / "blank-author-again.ttl"
    changed.write_text("# exported again, one byte or more changed\n" + (RDF / "blank-author.ttl").read_text())
    second = coprokg("load", str(changed), env=cli_env)
    assert second.returncode == 0, second.stderr
    assert b"nothing new to add" in second.stdout
    answer = coprokg("query", PEOPLE, "--format", "json", env=cli_env)
    assert json.loads(answer.stdout)["results"]["bindings"][0]["n"]["value"] == "1"
    author = coprokg("query", "SELECT ?who WHERE { ?paper <http://purl.org/dc/terms/creator> ?who }", "--format", "csv",
                     env=cli_env).stdout.decode()
    assert "https://w3id.org/coproduction/.well-known/genid/" in author


def test_validate_and_load_report_every_files_errors_not_only_the_first_stages(cli_env):
    bad = Path(__file__).parent / "bad"
    files = [bad / "year-19x9.bib", bad / "nul.json", bad / "syntax-error.ttl", RDF / "ill-typed.ttl"]
    for command in ("validate", "load"):
        result = coprokg(command, *map(str, files), env=cli_env)
        assert result.returncode == 1, command
        err = result.stderr.decode()
        assert "error: the input has 4 errors; nothing was written" in err, err
        for path, field in zip(files, ("field year", "field title", "turtle syntax error", "field bibo:numPages")):
            assert any(str(path) in line and field in line for line in err.splitlines()), (command, path)
