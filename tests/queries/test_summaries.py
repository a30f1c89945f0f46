"""The questions answered from the subjects summary give the answers their live texts give.

``tests/queries/reference/`` keeps each question's text as it was before it read the summary
(the whole answer computed at query time): the rewritten question's whole answer, every page
in order, must be the reference's, value for value, on the curated data and on a synthetic
literature loaded through the loaders, also after one of its loads is unloaded.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bench import corpus
from coprokg.bootstrap import initialise
from coprokg.loaders import load_files, unload
from coprokg.queries import catalog
from coprokg.store import EmbeddedStore
from coprokg.store.subject_summary import SUBJECTS_GRAPH

REFERENCE = Path(__file__).with_name("reference")
SUMMARISED = ("annotation-agreement", "concept-pairs", "literature-bridges")


def whole(store, query: catalog.Query) -> list[tuple]:
    """Every row of every page of ``query``, in order."""
    rows, page = [], 1
    while True:
        answer = [tuple(row) for row in query.run(store, {"page": str(page)} if query.page_size else {})]
        rows += answer
        if not query.page_size or len(answer) < query.page_size:
            return rows
        page += 1


def question(name: str, page_size: int | None = None) -> catalog.Query:
    query = catalog.read(Path(catalog.__file__).parent / f"{name}.rq")
    return dataclasses.replace(query, page_size=page_size) if page_size and query.page_size else query


def reference(name: str) -> catalog.Query:
    return catalog.read(REFERENCE / f"{name}.rq")


def assert_same_answers(store, page_size: int | None = None) -> dict[str, list[tuple]]:
    answers = {}
    for name in SUMMARISED:
        answers[name] = whole(store, question(name, page_size))
        assert answers[name] == whole(store, reference(name)), name
    return answers


@pytest.mark.parametrize("name", SUMMARISED)
def test_the_question_answers_as_its_live_text_on_the_curated_data(curated_store, name):
    answer = whole(curated_store, question(name))
    assert answer, "the curated data answers every one of these questions"
    assert answer == whole(curated_store, reference(name))


@pytest.fixture
def literature(tmp_path):
    """An embedded store seeded with the ontology, and 300 synthetic papers as two loads."""
    store = EmbeddedStore(tmp_path / "store")
    initialise(store, tmp_path / "no-curated-data")
    files = corpus.write_csv(corpus.papers(300), tmp_path / "csv", 150)
    loads = [load_files(store, [path]).load_id for path in files]
    yield store, loads
    store.close()


def test_the_questions_answer_as_their_live_texts_on_a_synthetic_literature_page_by_page(literature):
    store, loads = literature
    answers = assert_same_answers(store, page_size=40)
    assert len(answers["annotation-agreement"]) > 40, "several pages of annotated papers"
    assert len(answers["literature-bridges"]) > 40, "several pages of links between the literatures"
    assert len(answers["concept-pairs"]) == 25
    unload(store, loads[0])
    after = assert_same_answers(store, page_size=40)
    assert after != answers, "the unload changed the answers, and the summary followed"


def test_the_summary_follows_every_load_and_unload_on_each_kind_of_store(store, tmp_path):
    """On the embedded store and each remote one, the summary's counts are those the store
    computes live: the agreed count of every annotated paper and the papers of every pair."""
    initialise(store, tmp_path / "no-curated-data")
    files = corpus.write_csv(corpus.papers(60), tmp_path / "csv", 30)
    loads = [load_files(store, [path]).load_id for path in files]

    def summarised(query: str) -> set[tuple]:
        result = store.query(query.replace("$summary", str(SUBJECTS_GRAPH)))
        return {tuple(row[v].value for v in result.variables) for row in result}

    def agreement_live() -> set[tuple]:
        return {(row[0].value, row[2].value) for row in whole(store, reference("annotation-agreement"))}

    pairs_live = ("PREFIX dcterms: <http://purl.org/dc/terms/> SELECT ?c ?o (COUNT(DISTINCT ?p) AS ?n) "
                  "WHERE { ?p dcterms:subject ?c, ?o FILTER(STR(?c) < STR(?o)) } GROUP BY ?c ?o")
    agreement = ("PREFIX cop: <https://w3id.org/coproduction/ontology#> "
                 "SELECT ?p ?n WHERE { GRAPH $summary { ?p cop:agreedConcepts ?n } }")
    pairs = ("PREFIX cop: <https://w3id.org/coproduction/ontology#> SELECT ?c ?o ?n WHERE { GRAPH $summary { "
             "?pair cop:firstConcept ?c ; cop:secondConcept ?o ; cop:paperCount ?n } }")
    for unloaded in (None, loads[0]):
        if unloaded:
            unload(store, unloaded)
        assert summarised(agreement) == agreement_live()
        assert summarised(pairs) == summarised(pairs_live)
        assert summarised(pairs), "the papers share concepts"
