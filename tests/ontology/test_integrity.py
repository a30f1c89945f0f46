"""The SKOS integrity checks: every ontology/checks/*-violation.rq returns no rows on the ontology."""

from __future__ import annotations

from pathlib import Path

import pytest

from coprokg.ontology.integrity import check_files, run_checks

FIXTURES = Path(__file__).parent / "fixtures"


def test_there_are_checks_for_every_rule():
    names = {path.stem for path in check_files()}
    assert {
        "pref-label-violation",
        "definition-violation",
        "source-violation",
        "scheme-violation",
        "unreachable-concept-violation",
        "label-clash-violation",
        "broader-cycle-violation",
    } <= names


def test_the_ontology_passes_every_check():
    failures = [result for result in run_checks() if result.rows]
    assert not failures, "\n\n".join(result.report() for result in failures)


@pytest.mark.parametrize(
    "check, offender",
    [
        ("pref-label-violation", "http://example.org/two-preflabels"),
        ("definition-violation", "http://example.org/no-definition"),
        ("source-violation", "http://example.org/no-source"),
        ("scheme-violation", "http://example.org/two-schemes"),
        ("unreachable-concept-violation", "http://example.org/cycle-a"),
        ("broader-cycle-violation", "http://example.org/cycle-b"),
        ("label-clash-violation", "http://example.org/pref-and-alt"),
        ("ambiguous-label-violation", "http://example.org/shares-a-label"),
        ("hidden-label-violation", "http://example.org/pref-and-alt"),
    ],
)
def test_each_check_names_the_concept_that_breaks_it(check, offender):
    results = {result.check: result for result in run_checks([FIXTURES / "broken-concepts.ttl"])}
    offenders = {value for row in results[check].rows for value in row}
    assert offender in offenders, results[check].report()
    others = {"http://example.org/" + name for name in ("two-preflabels", "no-definition", "no-source", "two-schemes")}
    assert not (others - {offender}) & offenders, f"{check} blames concepts that keep its rule"
