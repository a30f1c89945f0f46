"""Claims, findings and quotes: every quote is the source's words, every annotation IRI is the minted
one, every concept is one the shared data model names, and the manifest loads every file in order."""

from __future__ import annotations

import csv
import tomllib

import pytest
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import DCTERMS, SKOS

from coprokg.vocab import COP, OA
from coprokg.loaders.iris import annotation_iri
from tests.data.contract import CONTRACT, LABELS, REQUESTED
from tests.data.support import DATA, quote_occurs, turtle

B = "https://w3id.org/coproduction/"
SEED_OF = {
    B + "paper/doi/10.1080/10967494.2021.1969486": "eriksson",
    B + "paper/robert-2024-6ccd34d9": "review",
    B + "paper/robert-2024-6ccd34d9-preprint": "preprint",
    B + "paper/doi/10.1136/bmjopen-2019-029723": "protocol",
}
TURTLE = ["sources.ttl", "study-western-sweden.ttl", "programme.ttl", "practices.ttl", "findings.ttl", "review-method.ttl",
          "disagreements.ttl", "lists.ttl", "claims.ttl"]
SOURCE_OF = [DCTERMS.source, COP.reportedBy, COP.reportedIn, COP.describedIn]


def sources_of(graph, node):
    return [SEED_OF[str(o)] for p in SOURCE_OF for o in graph.objects(node, p) if str(o) in SEED_OF]


@pytest.mark.parametrize("name", TURTLE)
def test_every_quote_is_in_its_source_paper(name):
    graph = turtle(name)
    missing = []
    for node, quote in graph.subject_objects(COP.quote):
        seeds = sources_of(graph, node)
        assert seeds, f"{node} quotes without naming its source"
        if not any(quote_occurs(str(quote), seed) for seed in seeds):
            missing.append((str(node), str(quote)))
    assert missing == []


def test_every_exact_is_in_the_paper_it_is_quoted_from():
    graph = turtle("claims.ttl")
    missing = []
    for annotation in graph.subjects(RDF.type, OA.Annotation):
        target = graph.value(annotation, OA.hasTarget)
        quoted_in = graph.value(annotation, DCTERMS.source) or graph.value(target, OA.hasSource)
        exact = graph.value(graph.value(target, OA.hasSelector), OA.exact)
        if not quote_occurs(str(exact), SEED_OF[str(quoted_in)]):
            missing.append((str(annotation), str(exact)))
    assert missing == []


def test_annotation_iris_are_the_minted_ones_and_papers_get_the_subject():
    graph = turtle("claims.ttl")
    annotations = list(graph.subjects(RDF.type, OA.Annotation))
    assert len(annotations) > 100
    for annotation in annotations:
        target = graph.value(annotation, OA.hasTarget)
        paper = graph.value(target, OA.hasSource)
        body = graph.value(annotation, OA.hasBody)
        exact = graph.value(graph.value(target, OA.hasSelector), OA.exact)
        creator = graph.value(annotation, DCTERMS.creator)
        assert creator == URIRef(B + "agent/curator")
        assert (annotation, OA.motivatedBy, OA.classifying) in graph
        assert annotation == annotation_iri(str(paper), str(body), str(OA.classifying), str(creator), str(exact))
        assert target == URIRef(f"{annotation}#target")
        assert (paper, DCTERMS.subject, body) in graph


def test_each_source_work_is_annotated_with_what_it_discusses():
    graph = turtle("claims.ttl")
    for paper, concept in [
        ("paper/doi/10.1080/10967494.2021.1969486", "equality-of-influence"),
        ("paper/robert-2024-6ccd34d9", "value-in-use"),
        ("paper/doi/10.1136/bmjopen-2019-029723", "objective-mechanisms"),
        ("paper/doi/10.1111/puar.12765", "group-level"),
    ]:
        assert (URIRef(B + paper), DCTERMS.subject, URIRef(B + "concept/" + concept)) in graph


def test_review_counts_keep_text_and_table_apart():
    graph = turtle("findings.ttl")
    practice = URIRef(B + "concept/practice-oriented-model")
    reported = {
        (graph.value(c, COP.countBasis).toPython(), graph.value(c, COP.countValue).toPython())
        for c in graph.subjects(COP.countedConcept, practice)
    }
    assert {("text", 20), ("text", 22), ("table", 22)} <= reported
    conceptual = URIRef(B + "concept/conceptual-theoretical-model")
    values = {graph.value(c, COP.countValue).toPython() for c in graph.subjects(COP.countedConcept, conceptual)}
    assert values == {42, 43}


def used_concepts():
    used = set()
    for name in TURTLE:
        for term in turtle(name).all_nodes():
            if isinstance(term, URIRef) and str(term).startswith(B + "concept/"):
                used.add(str(term).removeprefix(B + "concept/"))
    for name, columns in (
        ("reviewed-articles.csv", ("model_type", "discipline", "concepts")),
        ("cases.csv", ("methods", "informs_objectives")),
    ):
        with (DATA / name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                for column in columns:
                    for label in filter(None, row[column].split("; ")):
                        assert label in LABELS, f"{name}: {column} label {label!r} names no known concept"
                        used.add(LABELS[label])
    return used


def test_every_concept_used_is_in_the_contract_or_requested():
    assert used_concepts() - CONTRACT - REQUESTED == set()


def test_every_concept_used_is_defined_once_the_ontology_has_concepts():
    ontology = Graph()
    for path in (DATA.parent / "ontology").glob("*.ttl"):
        ontology.parse(path)
    defined = {str(c).removeprefix(B + "concept/") for c in ontology.subjects(RDF.type, SKOS.Concept)}
    if not defined:
        pytest.skip("the ontology defines no SKOS concepts yet")
    assert used_concepts() - defined == set()


def test_manifest_loads_every_data_file_in_order():
    manifest = tomllib.loads((DATA / "manifest.toml").read_text(encoding="utf-8"))
    files = [entry["file"] for entry in manifest["load"]]
    data_files = {p.name for p in DATA.iterdir() if p.suffix in {".ttl", ".bib", ".csv"}}
    assert set(files) == data_files and len(files) == len(data_files)
    assert files[0] == "sources.ttl" and files[-1] == "claims.ttl"
    assert files.index("reviewed-articles.csv") > files.index("references-robert-2024.bib")
    cited = {entry["file"]: entry.get("cited_by") for entry in manifest["load"]}
    assert cited["references-eriksson-2022.bib"] == "10.1080/10967494.2021.1969486"
    assert cited["references-robert-2024.bib"] == B + "paper/robert-2024-6ccd34d9"
