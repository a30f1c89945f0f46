"""Each question's answer on the small fixture graph (tests/queries/fixture.ttl)."""

from __future__ import annotations

import pytest

from coprokg.queries import catalog
from coprokg.store import EmbeddedStore
from tests.queries.conftest import load_fixture


@pytest.fixture(scope="module")
def ask(tmp_path_factory):
    store = EmbeddedStore(tmp_path_factory.mktemp("answers") / "store")
    load_fixture(store)

    def ask(name, **values):
        result = catalog.get(name).run(store, values)
        return [{k.value: (row[k.value].value if row[k.value] is not None else None) for k in result.variables} for row in result]

    yield ask
    store.close()


C = "https://w3id.org/coproduction/concept/"


def test_evidence_matrix_marks_the_gap_cell_and_counts_practices(ask):
    cells = {(r["mode"][len(C):], r["level"][len(C):]): r for r in ask("evidence-matrix")}
    assert len(cells) == 4
    assert cells["co-design", "individual-level"]["gap"] == "true"
    assert cells["co-design", "individual-level"]["gapSource"] == "Eriksson 2022"
    assert cells["co-design", "collective-level"]["practices"] == "1"
    assert cells["co-design", "collective-level"]["cases"] == "1"
    assert cells["co-delivery", "collective-level"]["practices"] == "0"
    assert [r["mode"][len(C):] for r in ask("evidence-matrix")][:2] == ["co-design", "co-design"]


def test_review_counts_stand_beside_table_counts(ask):
    rows = ask("reviewed-by-model-type")
    practice = [r for r in rows if r["modelType"] == C + "practice-oriented-model"]
    assert {r["modelTypeArticles"] for r in practice} == {"2"}
    assert practice[0]["reported"] == "20 (text, Robert et al. 2024)"


def test_practice_models_with_and_without_value_concepts(ask):
    rows = {r["label"]: r["drawsOnValueConcepts"] for r in ask("value-concepts-in-practice-models")}
    assert rows == {"Osborne et al. 2016": "true", "Batalden et al. 2016": "false"}


def test_bridges_join_sociology_and_quality_improvement(ask):
    links = {(r["link"], r["from"], r["to"]) for r in ask("literature-bridges")}
    assert ("cites", "Osborne et al. 2016", "Batalden et al. 2016") in links
    assert ("reviewed with", "Alford 2009", "Batalden et al. 2016") in links


@pytest.mark.parametrize("given", ["Coproduction", "Co-production", "coproduction", C + "coproduction"])
def test_concept_profile_by_label_short_name_or_iri(ask, given):
    rows = ask("concept-profile", concept=given)
    assert {r["concept"] for r in rows} == {C + "coproduction"}
    aspects = {(r["aspect"], r["label"]) for r in rows}
    assert ("narrower", "Co-design") in aspects and ("distinguished from", "Cocreation") in aspects
    assert ("paper", "Osborne et al. 2016") in aspects


def test_distinguished_concepts_bring_both_definitions(ask):
    rows = ask("distinguished-concepts")
    assert {r["source"] for r in rows if r["kind"] == "definition"} == {"Eriksson 2022", "Robert et al. 2024"}


def test_equality_by_mode_and_level(ask):
    [row] = ask("equality-by-mode-and-level")
    assert (row["mode"], row["equality"], row["passages"]) == (C + "co-design", C + "equality-of-use", "the panel redesigned the waiting room")


def test_case_studies_and_methods(ask):
    cases = {r["label"]: r for r in ask("case-studies")}
    assert cases["West clinic"]["country"].endswith("/SWE")
    assert cases["West clinic"]["samskapaObjectives"] == "Models"
    methods = {r["label"]: r["mixed"] for r in ask("case-methods")}
    assert methods == {"West clinic": "true", "East school": "false"}


def test_vulnerable_groups_with_strategies_and_risks(ask):
    rows = {r["label"]: r for r in ask("vulnerable-groups")}
    assert rows["West clinic"]["strategies"] == "lowering-barriers"
    assert rows["West clinic"]["risks"] == "tokenism"
    assert rows["Patient panel designs a clinic"]["kind"] == "practice"


def test_most_cited_counts_a_preprint_with_its_article(ask):
    top = ask("most-cited")[0]
    assert (top["label"], top["citedBy"], top["shared"]) == ("Osborne et al. 2016", "2", "true")
    names = {r["name"] for r in ask("shared-authors")}
    assert names == {"Stephen Osborne", "John Alford", "Paul Batalden"}


def test_timeline_and_author_countries(ask):
    assert [(r["year"], r["articles"]) for r in ask("models-timeline")] == [("2009", "1"), ("2016", "2")]
    countries = {(r["modelType"][len(C):], r["country"][-3:]) for r in ask("author-countries")}
    assert countries == {("practice-oriented-model", "GBR"), ("practice-oriented-model", "USA"), ("typology", "AUS")}


def test_unexercised_concepts_and_bare_practices(ask):
    rows = ask("unexercised-concepts")
    concepts = {r["resource"][len(C):] for r in rows if r["kind"] == "concept"}
    assert "tokenism" in concepts and "co-design" not in concepts and "sociology" not in concepts
    assert [r["label"] for r in rows if r["kind"] == "practice"] == ["Home care with relatives"]


def test_modes_with_orientation_and_voice(ask):
    modes = {r["mode"][len(C):]: (r["temporalOrientation"], r["mainlyThrough"]) for r in ask("modes")}
    assert modes == {"co-design": ("prospective", "voice"), "co-delivery": ("concurrent", "action")}


def test_concept_pairs(ask):
    pairs = {(r["concept"][len(C):], r["other"][len(C):]) for r in ask("concept-pairs")}
    assert ("coproduction", "service-dominant-logic") in pairs


@pytest.mark.parametrize("doi", ["10.1000/osborne-2016", "https://doi.org/10.1000/osborne-2016", "doi:10.1000/osborne-2016"])
def test_paper_by_doi(ask, doi):
    aspects = {(r["aspect"], r["label"]) for r in ask("paper", doi=doi)}
    assert ("cites", "Batalden et al. 2016") in aspects
    assert ("reviewed in", "Robert et al. 2024 (preprint)") in aspects
    assert ("model type", "Practice-oriented model") in aspects


def test_inclusion_reasons_with_passages(ask):
    kinds = {(r["concept"][len(C):], r["kind"]) for r in ask("inclusion-reasons")}
    assert kinds == {("justice-reason", "definition"), ("justice-reason", "passage")}


def test_annotation_agreement(ask):
    [row] = ask("annotation-agreement")
    assert (row["agreed"], row["curatedOnly"], row["machineOnly"]) == ("1", "justice-reason", "co-delivery")
