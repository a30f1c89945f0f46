"""`coprokg check-ontology` and `coprokg ontology-docs` as a user runs them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support import coprokg

FIXTURES = Path(__file__).parent / "fixtures"
needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java ('java' on PATH)")


@needs_java
def test_check_ontology_reports_what_hermit_found(cli_env):
    result = coprokg("check-ontology", env=cli_env)
    out = result.stdout.decode()
    assert result.returncode == 0, out + result.stderr.decode()
    assert "SKOS integrity: every check passed" in out
    assert "classes " in out and "individuals " in out
    assert "concept:co-delivery: cop:ActionBasedMode, cop:ConcurrentMode" in out
    assert out.rstrip().endswith("consistent")


@needs_java
def test_check_ontology_classifies_the_data_it_is_given(cli_env):
    result = coprokg("check-ontology", str(FIXTURES / "table2-practices.ttl"), env=cli_env)
    out = result.stdout.decode()
    assert result.returncode == 0
    peer = next(line for line in out.splitlines() if "practice/peer-education" in line)
    assert "cop:ActionBasedPractice" in peer and "cop:GroupLevelPractice" in peer


@needs_java
def test_check_ontology_exits_1_when_data_contradicts_it(cli_env):
    result = coprokg("check-ontology", str(FIXTURES / "contradictions.ttl"), env=cli_env)
    assert result.returncode == 1
    assert "INCONSISTENT" in result.stdout.decode()


def test_ontology_docs_writes_the_html_documentation(cli_env, tmp_path):
    out = tmp_path / "ontology.html"
    result = coprokg("ontology-docs", str(out), env=cli_env)
    assert result.returncode == 0, result.stderr.decode()
    page = out.read_text(encoding="utf-8")
    for expected in ("The coproduction ontology", "coproduction practice", "voice-based practice", "Concept Schemes",
                     "Modes of coproduction (Four Cos)", "equality of final income"):
        assert expected in page
    assert "INFO" not in result.stderr.decode(), "pyLODE must not take over the process's logging"
