"""Concept tagging: specific phrases, whole words, case and hyphen insensitive; measured against curation."""

from __future__ import annotations

import pytest
from pyoxigraph import NamedNode, RdfFormat, parse
from rdflib import Graph
from rdflib.namespace import RDF

from coprokg.vocab import BIBO, CONCEPT, DCTERMS, OA
from coprokg.loaders import concepts, load_files
from coprokg.loaders.tagger import find, quality, tag_triples, tagger_iri
from coprokg.loaders.terms import to_rdflib
from coprokg.shapes.validate import validate
from tests.loaders.conftest import HERE, ONTOLOGY


@pytest.fixture(scope="module")
def index():
    graph = Graph().parse(ONTOLOGY)
    found = concepts.ConceptIndex()
    for row in graph.query(concepts.QUERY):
        found.add(row.concept, row.kind, str(row.label), row.scheme)
    return found


@pytest.mark.parametrize("text", ["Co-design of services", "codesign of services", "co design of services",
                                  "CO\u2010DESIGN", "the co-\ndesign"])
def test_co_design_in_every_spelling(index, text):
    assert [c for c, _ in find(index, text)] == [CONCEPT["co-design"]]


@pytest.mark.parametrize("text", ["codesigner", "the design", "co-designs", "co. design", "precodesign"])
def test_only_whole_words(index, text):
    assert find(index, text) == []


def test_longest_phrase_wins_and_quotes_the_text(index):
    assert find(index, "Value Co-Creation at group-level") == [
        (CONCEPT["value-co-creation"], "Value Co-Creation"), (CONCEPT["group-level"], "group-level")]


def test_ascii_text_is_matched_lowercased_exactly_as_the_general_pattern_matches_it(index):
    labels = [name for names in index.names.values() for name in names if name.isascii()]
    texts = [f"{before}{variant}{after}"
             for label in labels
             for variant in (label, label.upper(), label.title(), label.replace(" ", "-"), label.replace("-", " \n"))
             for before, after in (("", ""), ("The ", " of care."), ("x", "s"), ("_", "_"), ("(", ") 2"), ("9", ""))]
    assert len(labels) >= 10
    for text in texts:
        general = [m.span() for m in index.pattern().finditer(text)]
        assert [m.span() for m in index.pattern(lowercase_ascii=True).finditer(text.lower())] == general, text


def test_single_words_tag_only_as_hidden_labels(index):
    assert find(index, "tokenism and typology") == []
    assert [c for c, _ in find(index, "we co-produce care")] == [CONCEPT["coproduction"]]


def test_tags_are_web_annotations_that_satisfy_the_shapes():
    graph = Graph()
    triples = tag_triples(NamedNode("https://w3id.org/coproduction/paper/x"), {CONCEPT["co-design"]: "Co-design"})
    graph += ((to_rdflib(s), to_rdflib(p), to_rdflib(o)) for s, p, o in triples)
    assert validate(graph) == []
    query = """PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX dcterms: <http://purl.org/dc/terms/>
      SELECT ?exact ?creator WHERE { ?a oa:motivatedBy oa:tagging ; oa:hasBody ?c ; dcterms:creator ?creator ;
      oa:hasTarget [ oa:hasSource ?p ; oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact ?exact ] ] .
      ?p dcterms:subject ?c }"""
    (row,) = graph.query(query)
    assert str(row.exact) == "Co-design" and str(row.creator) == tagger_iri().value


def test_the_tags_of_every_concept_satisfy_the_shapes():
    """Loads leave the tagger's annotations out of pySHACL (one template makes them all): this
    validates that template with every concept of the ontology, quoted by each of its labels."""
    index = concepts.from_files()
    found = {concept: label for concept, labels in index.names.items() for label in labels}
    assert len(found) > 150
    graph = Graph()
    for n, (concept, label) in enumerate(found.items()):
        paper = NamedNode(f"https://w3id.org/coproduction/paper/{n}")
        graph.add((to_rdflib(paper), RDF.type, BIBO.AcademicArticle))  # so the paper shapes apply (dcterms:subject)
        graph += ((to_rdflib(s), to_rdflib(p), to_rdflib(o)) for s, p, o in tag_triples(paper, {concept: label}))
    assert len(set(graph.subjects(RDF.type, OA.Annotation))) == len(found)
    assert len(set(graph.subject_objects(DCTERMS.subject))) == len(found)
    assert validate(graph) == []


def test_precision_and_recall_against_curated_annotations(kg, index):
    load_files(kg, [HERE / "papers.bib"])
    curated = HERE / "curated.ttl"
    kg.add_graph(NamedNode("https://w3id.org/coproduction/graph/curated"),
                 [q.triple for q in parse(path=str(curated), format=RdfFormat.TURTLE)])
    measured = quality(kg, index)
    # Eriksson 2022 is curated with co-design and co-delivery (both found) and tokenism (missed);
    # the tagger also finds coproduction (title) and group level (abstract), which curation does not name.
    assert (measured.papers, measured.true_positives, measured.false_positives, measured.false_negatives) == (1, 2, 2, 1)
    assert measured.precision == pytest.approx(2 / 4) and measured.recall == pytest.approx(2 / 3)
