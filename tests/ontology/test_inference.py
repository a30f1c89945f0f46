"""The inference graph: the ontology's entailments, refreshed by every load and unload, all or nothing."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad, Triple

from coprokg.bootstrap import initialise
from coprokg.errors import StoreError
from coprokg.loaders import InvalidInput, load_files, unload
from coprokg.store import derived

FIXTURES = Path(__file__).parent / "fixtures"
PRACTICE = "https://w3id.org/coproduction/practice/test-citizen-panel"
INFERRED = derived.INFERRED_GRAPH
PREFIXES = """PREFIX cop: <https://w3id.org/coproduction/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""
needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java ('java' on PATH)")


def rows(store, query: str, **terms) -> set[tuple]:
    """The rows of a SELECT, with ``$name`` in the query replaced by the escaped term ``terms[name]``."""
    for name, term in terms.items():
        query = query.replace(f"${name}", str(term))
    result = store.query(PREFIXES + query)
    return {tuple(row[v].value for v in result.variables) for row in result}


def quads(store) -> list[str]:
    out = io.BytesIO()
    store.dump(out)
    return sorted(out.getvalue().decode().splitlines())


@pytest.fixture
def seeded(store, tmp_path):
    """A store of each kind (tests/conftest.py's ``store``) seeded with the ontology alone."""
    initialise(store, tmp_path / "no-curated-data")
    return store


def test_defined_classes_answer_for_the_curated_practices(curated_store):
    """Every practice whose mode is mainly through voice is a cop:VoiceBasedPractice, and only those."""
    voiced = rows(curated_store, """SELECT ?p WHERE { ?p a cop:CoproductionPractice ; cop:mode ?mode .
                                      ?mode cop:mainlyThrough <https://w3id.org/coproduction/concept/voice> }""")
    assert len(voiced) >= 5
    assert rows(curated_store, "SELECT ?p WHERE { ?p a cop:VoiceBasedPractice }") == voiced
    asserted = rows(curated_store, "SELECT ?p WHERE { GRAPH ?g { ?p a cop:VoiceBasedPractice } FILTER(?g != $inferred) }",
                    inferred=INFERRED)
    assert not asserted, "the data asserts none of them: they are inferred"


@needs_java
def test_hermit_classifies_the_modes(curated_store):
    """HermiT places co-design (mainly through voice, prospective and concurrent) in the defined mode classes."""
    found = rows(curated_store, "SELECT ?c WHERE { GRAPH $g { <https://w3id.org/coproduction/concept/co-design> a ?c } }",
                 g=INFERRED)
    assert {"https://w3id.org/coproduction/ontology#" + name for name in
            ("VoiceBasedMode", "ProspectiveMode", "ConcurrentMode")} <= {c for (c,) in found}


def test_case_studies_of_a_programme_come_from_the_inverse(curated_store):
    parts = rows(curated_store, "SELECT ?prog ?case WHERE { ?case cop:partOfProgramme ?prog }")
    assert parts
    assert rows(curated_store, "SELECT ?prog ?case WHERE { ?prog cop:hasCaseStudy ?case }") == parts


def test_broader_chains_give_every_transitive_pair(curated_store):
    chains = rows(curated_store, "SELECT ?a ?c WHERE { GRAPH ?g { ?a skos:broader ?b } GRAPH ?h { ?b skos:broader ?c } }")
    assert chains, "the concept schemes have chains of skos:broader"
    closure = rows(curated_store, "SELECT ?a ?c WHERE { ?a skos:broader+ ?c }")
    assert rows(curated_store, "SELECT ?a ?c WHERE { ?a skos:broaderTransitive ?c }") == closure
    assert chains <= closure


def test_inferred_statements_are_never_asserted(curated_store):
    both = rows(curated_store, "SELECT ?s ?p ?o ?g WHERE { GRAPH $inferred { ?s ?p ?o } GRAPH ?g { ?s ?p ?o } "
                               "FILTER(?g != $inferred) }", inferred=INFERRED)
    assert not both
    noise = rows(curated_store, """PREFIX owl: <http://www.w3.org/2002/07/owl#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?s ?p ?o WHERE { GRAPH $inferred { ?s ?p ?o }
          FILTER(?o IN (owl:Thing, rdfs:Resource) || ?p = owl:sameAs || ?s = ?o || ISBLANK(?s) || ISBLANK(?o)) }""",
                 inferred=INFERRED)
    assert not noise


def test_the_inference_graph_records_how_and_from_what(curated_store):
    record = rows(curated_store, """SELECT ?activity ?version ?method WHERE { GRAPH $d {
        $inferred prov:wasGeneratedBy ?activity . ?activity cop:dataVersion ?version ;
        <http://purl.org/dc/terms/description> ?method } }""", d=derived.DERIVATIONS_GRAPH, inferred=INFERRED)
    (activity, version, method), = record
    assert version and "cax-sco" in method and "HermiT" in method
    used = {g for (g,) in rows(curated_store, "SELECT ?g WHERE { GRAPH $d { $a prov:used ?g } }",
                               d=derived.DERIVATIONS_GRAPH, a=NamedNode(activity))}
    assert used == {g.value for g in curated_store.graphs()} - {g.value for g in derived.derived_graphs()}


def test_a_load_adds_its_inferences_and_an_unload_removes_them(seeded):
    voice = "SELECT ?p WHERE { ?p a cop:VoiceBasedPractice }"
    cases = "SELECT ?c WHERE { <https://w3id.org/coproduction/programme/test-programme> cop:hasCaseStudy ?c }"
    assert rows(seeded, voice) == set()
    report = load_files(seeded, [FIXTURES / "inference-practice.ttl"])
    assert rows(seeded, voice) == {(PRACTICE,)}
    assert rows(seeded, cases) == {("https://w3id.org/coproduction/case/test-case",)}
    assert (PRACTICE,) in rows(seeded, "SELECT ?p WHERE { GRAPH $g { ?p a cop:CollectiveLevelPractice } }", g=INFERRED)
    unload(seeded, report.load_id)
    assert rows(seeded, voice) == set()
    assert rows(seeded, cases) == set()
    assert not rows(seeded, "SELECT ?o WHERE { GRAPH $g { $p ?x ?o } }", g=INFERRED, p=NamedNode(PRACTICE))


def test_a_load_that_fails_leaves_asserted_and_inferred_graphs_unchanged(seeded, tmp_path):
    load_files(seeded, [FIXTURES / "inference-practice.ttl"])
    before = quads(seeded)
    bad = tmp_path / "bad.ttl"
    bad.write_text((FIXTURES / "inference-practice.ttl").read_text().replace("test-citizen-panel", "test-other-panel")
                   + '<https://w3id.org/coproduction/paper/doi/10.5555/ill.1> a <http://purl.org/ontology/bibo/Document> ;\n'
                   '  <http://purl.org/ontology/bibo/numPages> "abc"^^<http://www.w3.org/2001/XMLSchema#integer> .\n')
    with pytest.raises(InvalidInput):
        load_files(seeded, [bad])
    assert quads(seeded) == before


def test_a_derivation_that_fails_undoes_the_load(seeded, monkeypatch):
    """The refresh is part of the load's write: when it fails, the load is undone with it."""
    before = quads(seeded)

    def broken(store, graphs):
        raise StoreError("the derivation failed", where="test")

    failing = derived.Derivation("broken", NamedNode("https://w3id.org/coproduction/graph/broken"), broken, "fails")
    monkeypatch.setattr(derived, "DERIVATIONS", [*derived.DERIVATIONS, failing])
    with pytest.raises(StoreError, match="the derivation failed"):
        load_files(seeded, [FIXTURES / "inference-practice.ttl"])
    assert quads(seeded) == before
    monkeypatch.setattr(derived, "DERIVATIONS", derived.DERIVATIONS[:-1])
    load_files(seeded, [FIXTURES / "inference-practice.ttl"])
    assert rows(seeded, "SELECT ?p WHERE { ?p a cop:VoiceBasedPractice }") == {(PRACTICE,)}


def test_another_derivation_fills_its_own_graph(seeded, monkeypatch):
    """The registry is open: a derivation added to it is refreshed by loads like the inference graph."""
    counts = NamedNode("https://w3id.org/coproduction/graph/practice-count")

    def count(store, graphs):
        (n,) = next(iter(rows(store, "SELECT (COUNT(?p) AS ?n) WHERE { ?p a cop:CoproductionPractice }")))
        return [Triple(counts, NamedNode("https://w3id.org/coproduction/ontology#practices"), Literal(n))]

    monkeypatch.setattr(derived, "DERIVATIONS", [*derived.DERIVATIONS, derived.Derivation("counts", counts, count, "a count")])
    load_files(seeded, [FIXTURES / "inference-practice.ttl"])
    assert rows(seeded, "SELECT ?n WHERE { GRAPH $g { ?s ?p ?n } }", g=counts) == {("1",)}


def test_no_resource_is_of_two_disjoint_classes(curated_store):
    """Asserted and inferred types together never put a resource in two classes the ontology
    says are disjoint (a domain or range too narrow for the data does)."""
    clashes = rows(curated_store, """PREFIX owl: <http://www.w3.org/2002/07/owl#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?x ?a ?b WHERE {
          { ?all a owl:AllDisjointClasses ; owl:members ?list .
            ?list rdf:rest*/rdf:first ?a . ?list rdf:rest*/rdf:first ?b }
          UNION { ?a owl:disjointWith ?b }
          FILTER(STR(?a) < STR(?b))
          ?x a ?a, ?b
        }""")
    assert not clashes


def test_a_store_written_before_a_derivation_existed_gets_it_when_opened(tmp_path):
    """Opening a store that has no record of a registered derivation (one made by an earlier
    version) refreshes it once; a store that has them all is left as it is."""
    from coprokg.bootstrap import open_initialised
    from coprokg.settings import Settings

    settings = Settings.load({"store": str(tmp_path / "store"), "data_dir": str(tmp_path / "no-curated-data")}, environ={})
    store = open_initialised(settings)
    assert derived.missing(store) == []
    last = derived.DERIVATIONS[-1]
    store.add_quads([], replace_graphs=[last.graph, derived.DERIVATIONS_GRAPH])  # as an older version left it
    assert derived.missing(store) == [d.name for d in derived.DERIVATIONS]
    store.close()
    store = open_initialised(settings)
    try:
        assert derived.missing(store) == []
        assert store.query(f"ASK {{ GRAPH {last.graph} {{ ?s ?p ?o }} }}")
        version = store.version()
        assert derived.bring_up_to_date(store) == [] and store.version() == version
    finally:
        store.close()


def test_a_store_derived_by_another_method_is_derived_again_when_opened(tmp_path):
    """A derived graph whose record states another method (an earlier version's, whose graph
    may lack what the questions now read) is derived again when the store is opened."""
    from coprokg.bootstrap import open_initialised
    from coprokg.settings import Settings
    from coprokg.vocab import DCTERMS

    settings = Settings.load({"store": str(tmp_path / "store"), "data_dir": str(tmp_path / "no-curated-data")}, environ={})
    store = open_initialised(settings)
    summary = derived.DERIVATIONS[-1]
    activity = NamedNode(f"{derived.VOCAB_BASE}derivation/{summary.name}")
    description = NamedNode(str(DCTERMS.description))
    records = [Quad(row["s"], row["p"], Literal("an earlier method") if (row["s"], row["p"]) == (activity, description)
                    else row["o"], derived.DERIVATIONS_GRAPH)
               for row in store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH {derived.DERIVATIONS_GRAPH} {{ ?s ?p ?o }} }}")]
    store.add_quads(records, replace_graphs=[derived.DERIVATIONS_GRAPH])
    store.add_quads([], replace_graphs=[summary.graph])  # as that version left it: without what is read now
    assert derived.missing(store) == [summary.name]
    store.close()
    store = open_initialised(settings)
    try:
        assert derived.missing(store) == []
        assert store.query(f"ASK {{ GRAPH {summary.graph} {{ ?s ?p ?o }} }}")
    finally:
        store.close()
