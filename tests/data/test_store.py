"""The curated data loaded into a real store: the README's counts hold there, and a second load adds nothing."""

from __future__ import annotations

from coprokg.bootstrap import initialise
from coprokg.loaders import list_loads, seed_curated
from coprokg.store import EmbeddedStore
from tests.data.support import DATA
from tests.data.test_readme import readme_counts

PREFIXES = """PREFIX cop: <https://w3id.org/coproduction/ontology#>
PREFIX bibo: <http://purl.org/ontology/bibo/>
PREFIX fabio: <http://purl.org/spar/fabio/>
PREFIX cito: <http://purl.org/spar/cito/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX paper: <https://w3id.org/coproduction/paper/>
"""
ERIKSSON = "<https://w3id.org/coproduction/paper/doi/10.1080/10967494.2021.1969486>"
REVIEW = "<https://w3id.org/coproduction/paper/robert-2024-6ccd34d9>"

# What each file's load graph holds, counted in the store, in the words of the README's count column.
IN_STORE = {
    "sources.ttl": ("{} works", ["?x a ?type VALUES ?type { bibo:AcademicArticle fabio:Preprint }"]),
    "references-eriksson-2022.bib": ("{} entries", [f"{ERIKSSON} cito:cites ?x"]),
    "references-robert-2024.bib": ("{} entries", [f"{REVIEW} cito:cites ?x"]),
    "reviewed-articles.csv": ("{} articles", [f"{REVIEW} cito:reviews ?x"]),
    "cases.csv": ("{} case studies", ["?x a cop:CaseStudy"]),
    "study-western-sweden.ttl": ("{} study", ["?x a cop:CaseStudy"]),
    "programme.ttl": ("{} programme", ["?x a cop:ResearchProgramme"]),
    "practices.ttl": ("{} practices, {} gaps", ["?x a cop:CoproductionPractice", "?x a cop:EvidenceGap"]),
    "findings.ttl": ("{} findings, {} counts", ["?x a cop:Finding", "?x a cop:ReportedCount"]),
    "review-method.ttl": ("{} review methods, {} searches, {} counts",
                          ["?x a cop:ReviewMethod", "?x a cop:DatabaseSearch", "?x a cop:ReportedCount"]),
    # Loads before it record three of them (with the same IRIs): the file adds its quoted readings.
    "disagreements.ttl": ("{} disagreements", ["?x cop:reading/cop:quote ?quote"]),
    "lists.ttl": ("{} lists, {} entries", ["?x a cop:SourceList", "?x a cop:ListEntry"]),
    "claims.ttl": ("{} annotations", ["?x a oa:Annotation"]),
}


def count_in_graph(store, graph: str, pattern: str) -> int:
    [row] = store.query(f"{PREFIXES}SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ GRAPH <{graph}> {{ {pattern} }} }}")
    return int(row["n"].value)


def test_the_readme_counts_hold_in_a_store_seeded_from_the_manifest(curated_store):
    graphs = {info.files: info.graph for info in list_loads(curated_store)}
    stated = readme_counts()
    assert set(graphs) == set(stated) - {"CHANGELOG.md"} == set(IN_STORE)  # the changelog is not loaded
    for name, (words, patterns) in IN_STORE.items():
        found = words.format(*(count_in_graph(curated_store, graphs[name], pattern) for pattern in patterns))
        assert found == stated[name].strip(), name


def test_loading_the_manifest_a_second_time_adds_nothing(tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    initialise(store, DATA)
    before = store.count()
    loads = list_loads(store)
    again = seed_curated(store, DATA)
    assert [report.load_id for report in again] == [None] * len(loads)
    assert all(report.already_loaded_as for report in again)
    assert store.count() == before
    assert list_loads(store) == loads


def test_every_property_the_ontology_declares_is_used_in_a_seeded_store(curated_store):
    """A declared property no data uses is either used or removed; an inverse is used through
    the property it inverts."""
    unused = [row["p"].value for row in curated_store.query(PREFIXES + """
        PREFIX owl: <http://www.w3.org/2002/07/owl#>
        SELECT ?p WHERE {
          VALUES ?kind { owl:ObjectProperty owl:DatatypeProperty }
          ?p a ?kind .
          FILTER(STRSTARTS(STR(?p), STR(cop:)))
          FILTER NOT EXISTS { ?s ?p ?o }
          FILTER NOT EXISTS { ?p owl:inverseOf|^owl:inverseOf ?q . ?s2 ?q ?o2 }
        }""")]
    assert unused == []
