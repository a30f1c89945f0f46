"""HermiT (through owlready2, offline) on the ontology: consistent, no unsatisfiable class, and
the defined classes classify real individuals."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib.namespace import OWL

from coprokg.ontology.reasoning import classify, reasoner_input

pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java ('java' on PATH)")

FIXTURES = Path(__file__).parent / "fixtures"
COP = "https://w3id.org/coproduction/ontology#"
CONCEPT = "https://w3id.org/coproduction/concept/"
PRACTICE = "https://w3id.org/coproduction/practice/"


@pytest.fixture(scope="module")
def report():
    return classify()


def test_the_ontology_is_consistent_with_no_unsatisfiable_class(report):
    assert report.consistent
    assert report.unsatisfiable == []
    assert report.classes > 20 and report.individuals > 150


def test_modes_are_classified_by_temporal_orientation_and_voice_or_action(report):
    assert {COP + "VoiceBasedMode", COP + "ProspectiveMode", COP + "ConcurrentMode"} <= set(report.inferred[CONCEPT + "co-design"])
    assert {COP + "ActionBasedMode", COP + "ConcurrentMode"} <= set(report.inferred[CONCEPT + "co-delivery"])
    assert COP + "RetrospectiveMode" in report.inferred[CONCEPT + "co-assessment"]
    assert COP + "VoiceBasedMode" not in report.inferred[CONCEPT + "co-delivery"]


def test_table2_practices_and_the_review_are_classified():
    report = classify([FIXTURES / "table2-practices.ttl"])
    assert report.ok
    peer = set(report.inferred[PRACTICE + "peer-education"])
    assert {COP + "ActionBasedPractice", COP + "GroupLevelPractice"} <= peer
    assert COP + "VoiceBasedPractice" not in peer
    associations = set(report.inferred[PRACTICE + "patient-associations-identify-areas"])
    assert {COP + "VoiceBasedPractice", COP + "ProspectivePractice", COP + "EqualityOrientedPractice"} <= associations
    assert COP + "ReviewArticle" in report.inferred["https://w3id.org/coproduction/paper/robert-2024-6ccd34d9"]
    assert "https://w3id.org/coproduction/paper/doi/10.1111/puar.12765" not in report.inferred


@pytest.mark.parametrize("fixture", ["contradictions.ttl", "two-voices.ttl"])
def test_contradictory_data_makes_the_ontology_inconsistent(fixture):
    assert not classify([FIXTURES / fixture]).consistent


def test_the_reasoner_never_sees_owl_imports(tmp_path):
    extra = tmp_path / "imports.ttl"
    extra.write_text(
        "<https://w3id.org/coproduction/ontology> <http://www.w3.org/2002/07/owl#imports> "
        "<http://www.w3.org/2004/02/skos/core> .\n"
    )
    graph = reasoner_input([extra])
    assert not list(graph.triples((None, OWL.imports, None)))
    assert classify([extra]).consistent
