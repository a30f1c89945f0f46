"""The citation summary (graph/summaries/citations): its counts are those of the citation
statements, after loads and after an unload, on every kind of store."""

from __future__ import annotations

from collections import defaultdict

from bench import corpus
from coprokg.bootstrap import initialise
from coprokg.loaders import load_files, unload
from coprokg.store.citation_summary import CITING_OR_REVIEWING_SOURCE_COUNT, CITING_SOURCE_COUNT, SUMMARY_GRAPH

CITO = "http://purl.org/spar/cito/"
DCTERMS = "http://purl.org/dc/terms/"


def counted(store) -> dict[str, dict[str, int]]:
    """The summary's counts by predicate, then subject."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for row in store.query(f"SELECT ?s ?p ?n WHERE {{ GRAPH {SUMMARY_GRAPH} {{ ?s ?p ?n }} }}"):
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
