"""The catalog's conventions and mechanism: headers, parameters, binding, the folder as the list."""

from __future__ import annotations

import re
import time

import pytest
from pyoxigraph import Store

from coprokg.queries import catalog
from tests.queries.conftest import load_fixture
from coprokg.store import EmbeddedStore

QUERIES = catalog.catalog()


def test_the_catalog_asks_at_least_twenty_questions():
    assert len(QUERIES) >= 20


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_every_query_is_documented_and_parses(query):
    assert query.summary.endswith("?"), "the summary is the question"
    assert len(query.description) > 80, "the description says how to read the answer and what it draws on"
    assert query.tags
    for parameter in query.parameters:
        if parameter.required:
            assert parameter.default is not None, f"document {parameter.name} in '#+ defaults:'"
    Store().query(query.sparql({}))  # raises SyntaxError if it does not parse


@pytest.mark.parametrize("query", [q for q in QUERIES if q.parameters], ids=lambda q: q.name)
def test_no_parameter_is_in_the_select_clause_where_grlc_would_put_its_value(query):
    projection = query.text[: query.text.index("WHERE")]
    for parameter in query.parameters:
        assert not re.search(rf"[?$]{parameter.variable}\b", projection), f"{query.name} projects ?{parameter.variable}"


def test_a_query_dropped_into_the_folder_is_in_the_catalog(tmp_path):
    assert catalog.names(tmp_path) == []
    (tmp_path / "new-question.rq").write_text("#+ summary: Anything?\nASK { ?s ?p ?o }\n")
    assert catalog.names(tmp_path) == ["new-question"]
    assert catalog.get("new-question", tmp_path).summary == "Anything?"


@pytest.fixture
def typed(tmp_path):
    (tmp_path / "typed.rq").write_text(
        "#+ summary: Typed?\n#+ defaults:\n#+   - thing: https://example.org/x\n"
        "SELECT ?_thing_iri ?__year_integer ?__label_en WHERE { BIND(1 AS ?one) }\n"
    )
    return catalog.get("typed", tmp_path)


def test_parameters_follow_grlc_naming(typed):
    kinds = {p.name: (p.required, p.type, p.default) for p in typed.parameters}
    assert kinds == {"thing": (True, "iri", "https://example.org/x"), "year": (False, "integer", None), "label": (False, "en", None)}


@pytest.mark.parametrize(
    "values, message",
    [
        ({"colour": "red"}, "unknown parameter colour"),
        ({"thing": "not an iri"}, "parameter thing='not an iri' is not an IRI"),
        ({"year": "twenty"}, "parameter year='twenty' is not a whole number"),
    ],
)
def test_bad_values_are_refused_with_what_and_how(typed, values, message):
    with pytest.raises(catalog.InvalidParameter) as raised:
        typed.bind(values)
    assert message in str(raised.value)
    assert raised.value.hint


def test_a_missing_required_value_without_default_is_refused(tmp_path):
    (tmp_path / "needs.rq").write_text("#+ summary: Needs?\nSELECT ?_x WHERE { BIND(1 AS ?_x) }\n")
    with pytest.raises(catalog.InvalidParameter, match="missing required parameter x"):
        catalog.get("needs", tmp_path).bind({})


def test_an_unknown_name_suggests_close_ones():
    with pytest.raises(catalog.UnknownQuery, match="evidence-matrix"):
        catalog.get("evidence-matrx")


def test_a_hostile_value_is_only_an_unmatched_literal(tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    load_fixture(store)
    before = store.count()
    hostile = '"} ; DROP ALL ; #'
    rows = list(catalog.get("concept-profile").run(store, {"concept": hostile}))
    assert rows == []
    assert store.count() == before
    rows = list(catalog.get("paper").run(store, {"doi": "10.1000/osborne-2016\" } UNION { ?s ?p ?o"}))
    assert rows == []


def test_every_query_answers_on_the_fixture_within_a_second(tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    load_fixture(store)
    for query in QUERIES:
        started = time.perf_counter()
        list(query.run(store))
        assert time.perf_counter() - started < 1.0, query.name


def test_a_paged_question_answers_a_page_at_a_time(tmp_path):
    (tmp_path / "paged.rq").write_text(
        "#+ summary: Which numbers?\n#+ pagination: 2\n"
        "SELECT ?n WHERE { VALUES ?n { 1 2 3 4 5 } } ORDER BY ?n\n"
    )
    paged = catalog.get("paged", tmp_path)
    store = EmbeddedStore(tmp_path / "store")
    pages = [[int(row["n"].value) for row in paged.run(store, values)] for values in ({}, {"page": "2"}, {"page": "3"}, {"page": "4"})]
    store.close()
    assert pages == [[1, 2], [3, 4], [5], []]
    with pytest.raises(catalog.InvalidParameter, match="page='0' is not a page number"):
        paged.sparql({"page": "0"})
    with pytest.raises(catalog.InvalidParameter, match="unknown parameter page"):
        catalog.get("modes").sparql({"page": "2"})
    (tmp_path / "bad.rq").write_text("#+ summary: Bad?\n#+ pagination: lots\nASK {}\n")
    with pytest.raises(catalog.InvalidQueryFile, match="pagination must be a page size"):
        catalog.get("bad", tmp_path)


def test_a_question_may_cut_its_page_in_a_subquery(tmp_path):
    # The subquery picks the page's numbers; the outer query then joins a detail to those only.
    (tmp_path / "cut.rq").write_text(
        "#+ summary: Which numbers, with their squares?\n#+ pagination: 2\n"
        "SELECT ?n ?square WHERE {\n"
        "  { SELECT ?n WHERE { VALUES ?n { 5 4 3 2 1 } } ORDER BY ?n\n"
        "    # page\n"
        "  }\n"
        "  BIND(?n * ?n AS ?square)\n"
        "} ORDER BY ?n\n"
    )
    cut = catalog.get("cut", tmp_path)
    assert "# page" not in cut.sparql({"page": "2"}) and cut.sparql({"page": "2"}).rstrip().endswith("ORDER BY ?n")
    store = EmbeddedStore(tmp_path / "store")
    pages = [[(int(row["n"].value), int(row["square"].value)) for row in cut.run(store, {"page": page})]
             for page in ("1", "2", "3")]
    whole = [int(row["n"].value) for row in store.query(cut.text)]  # the file as it is: every row
    store.close()
    assert pages == [[(1, 1), (2, 4)], [(3, 9), (4, 16)], [(5, 25)]]
    assert whole == [1, 2, 3, 4, 5]
