"""The citation summary (graph/summaries/citations) and the questions that read it: most-cited
and shared-authors give, page after page, the whole answer their text before the summary gave
(kept in reference/), on the curated data and on a synthetic literature, after loads and after
an unload; the summary's counts are those of the citation statements, on every kind of store."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from bench import corpus
from coprokg.bootstrap import initialise
from coprokg.loaders import load_files, unload
from coprokg.queries import catalog
from coprokg.store import EmbeddedStore
from coprokg.store.citation_summary import (CITING_OR_REVIEWING_SOURCE_COUNT, CITING_SOURCE_COUNT, COUNTS,
                                            SUMMARY_GRAPH)

REFERENCE = Path(__file__).with_name("reference")
QUESTIONS = ("most-cited", "shared-authors")
CITO = "http://purl.org/spar/cito/"
DCTERMS = "http://purl.org/dc/terms/"


def whole_answer(store, query: catalog.Query) -> list[tuple]:
    """Every row of a paged question, page after page, until a page is not full."""
    answer, page = [], 1
    while True:
        result = query.run(store, {"page": str(page)})
        rows = [tuple(row[v.value] for v in result.variables) for row in result]
        answer += rows
        if len(rows) < query.page_size:
            return answer
        page += 1


def with_page_size(name: str, size: int, folder: Path) -> catalog.Query:
    """The question ``name`` as it is, paged by ``size`` rows, so that a small graph has several pages."""
    text = catalog.get(name).path.read_text(encoding="utf-8")
    path = folder / f"{name}.rq"
    path.write_text(text.replace("#+ pagination: 1000", f"#+ pagination: {size}"), encoding="utf-8")
    return catalog.read(path)


def assert_same_answers(store, questions: dict[str, catalog.Query]) -> None:
    for name, query in questions.items():
        reference = catalog.get(name, REFERENCE)
        expected = [tuple(row[v.value] for v in result.variables) for result in [store.query(reference.text)]
                    for row in result]
        assert expected, f"{name} has no answer to compare"
        assert whole_answer(store, query) == expected, name


@pytest.mark.parametrize("name", QUESTIONS)
def test_the_questions_answer_as_before_on_the_curated_data(curated_store, name):
    assert_same_answers(curated_store, {name: catalog.get(name)})


def test_the_questions_answer_as_before_on_a_synthetic_literature_after_loads_and_an_unload(tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    initialise(store, tmp_path / "no-curated-data")
    files = corpus.write_csv(corpus.papers(300), tmp_path / "csv", 150)
    loads = [load_files(store, [path]).load_id for path in files]
    # Pages of 40 rows: the page is cut in the subquery, then the details of its rows looked up.
    questions = {name: with_page_size(name, 40, tmp_path) for name in QUESTIONS}
    assert_same_answers(store, questions)
    assert len(whole_answer(store, questions["most-cited"])) > 40 * 3
    assert len(whole_answer(store, questions["shared-authors"])) > 40
    unload(store, loads[1])  # the later papers: the earlier ones keep citations by works now unlabelled
    assert_same_answers(store, questions)
    store.close()


def counted(store) -> dict[str, dict[str, int]]:
    """The summary's counts by predicate, then subject."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for row in store.query(f"SELECT ?s ?p ?n WHERE {{ GRAPH {SUMMARY_GRAPH} {{ ?s ?p ?n }} "
                           f"VALUES ?p {{ {' '.join(map(str, COUNTS))} }} }}"):
        counts[row["p"].value][row["s"].value] = int(row["n"].value)
    return counts


def from_statements(store) -> dict[str, dict[str, int]]:
    """The counts the summary should hold, computed here from the statements themselves."""
    pairs = {p: [(row["s"].value, row["o"].value) for row in store.query(f"SELECT ?s ?o WHERE {{ ?s <{p}> ?o }}")]
             for p in (CITO + "cites", CITO + "reviews", DCTERMS + "isVersionOf", DCTERMS + "creator")}
    versions = defaultdict(set)
    for preprint, article in pairs[DCTERMS + "isVersionOf"]:
        versions[preprint].add(article)
    creators = defaultdict(set)
    for work, person in pairs[DCTERMS + "creator"]:
        creators[work].add(person)
    citing, pointing = defaultdict(set), defaultdict(set)
    for predicate in (CITO + "cites", CITO + "reviews"):
        for source, work in pairs[predicate]:
            sources = versions.get(source, {source})
            if predicate == CITO + "cites":
                citing[work] |= sources
            for person in creators[work]:
                pointing[person] |= sources
    return {CITING_SOURCE_COUNT.value: {work: len(s) for work, s in citing.items()},
            CITING_OR_REVIEWING_SOURCE_COUNT.value: {person: len(s) for person, s in pointing.items() if len(s) > 1}}


def test_the_summary_counts_the_citations_on_every_kind_of_store(store, tmp_path):
    initialise(store, tmp_path / "no-curated-data")
    files = corpus.write_csv(corpus.papers(60), tmp_path / "csv", 30)
    report = load_files(store, files[:1])
    load_files(store, files[1:])
    expected = from_statements(store)
    assert len(expected[CITING_SOURCE_COUNT.value]) > 10 and len(expected[CITING_OR_REVIEWING_SOURCE_COUNT.value]) > 5
    assert counted(store) == expected
    unload(store, report.load_id)
    assert counted(store) == from_statements(store)
