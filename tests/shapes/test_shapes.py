"""The shapes: every constraint speaks to a librarian, and each catches what it is for."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import SH

from coprokg.shapes.validate import shapes_graph, validate

HERE = Path(__file__).parent
PREFIXES = """@prefix bibo: <http://purl.org/ontology/bibo/> . @prefix dcterms: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix oa: <http://www.w3.org/ns/oa#> . @prefix cop: <https://w3id.org/coproduction/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix ex: <http://example.org/> .
"""


def test_every_constraint_has_a_message():
    shapes = shapes_graph()
    constrained = set(shapes.subjects(SH.path, None))
    assert constrained
    for shape in constrained:
        message = shapes.value(shape, SH.message)
        assert message is not None and len(str(message)) > 30 and str(message).rstrip().endswith("."), shape


def test_valid_records_conform():
    assert validate(Graph().parse(HERE / "valid.ttl")) == []


def test_a_person_who_is_no_paper_s_author_is_not_held_to_the_author_shapes():
    data = PREFIXES + 'ex:a a foaf:Person ; foaf:mbox <mailto:a@example.org> .'
    assert validate(Graph().parse(data=data, format="turtle")) == []


def test_an_annotation_s_creator_is_not_held_to_the_author_shapes():
    data = PREFIXES + ('ex:n a oa:Annotation ; oa:hasBody ex:c ; oa:hasTarget ex:p ; oa:motivatedBy oa:tagging ; '
                       'dcterms:creator ex:tagger . ex:p a bibo:Book ; dcterms:title "T" .')
    assert validate(Graph().parse(data=data, format="turtle")) == []


def test_an_author_is_checked_once_for_all_the_papers_that_name_them():
    data = PREFIXES + ('ex:p a bibo:Book ; dcterms:title "T" ; dcterms:creator ex:a . '
                       'ex:q a bibo:AcademicArticle ; dcterms:title "U" ; dcterms:creator ex:a . '
                       'ex:a a foaf:Person ; foaf:familyName "Lee" .')
    results = validate(Graph().parse(data=data, format="turtle"))
    assert [(str(r.focus), r.field) for r in results] == [("http://example.org/a", "name")]


@pytest.mark.parametrize("data, path, words", [
    ('ex:p a bibo:AcademicArticle ; dcterms:title "T" ; dcterms:issued "19x9"^^xsd:gYear .', "issued", "four-digit"),
    ('ex:p a bibo:AcademicArticle ; dcterms:title "T" ; dcterms:issued "2020" .', "issued", "^^xsd:gYear"),
    ('ex:p a bibo:Book ; dcterms:title "T", "U" .', "title", "one title"),
    ('ex:p a bibo:AcademicArticle ; dcterms:title "T" ; bibo:doi "11.1/x" .', "doi", "not a DOI"),
    ('ex:p a bibo:AcademicArticle ; dcterms:title "T" ; dcterms:creator ex:nobody .', "creator", "person"),
    ('ex:p a bibo:AcademicArticle ; dcterms:title "T" ; dcterms:subject "co-design" .', "subject", "concept"),
    ('ex:p a bibo:AcademicArticle ; dcterms:title "T" ; cop:fundingStatement ex:nsf .', "fundingStatement",
     "plain text"),
    ('ex:p a bibo:Book ; dcterms:title "T" ; dcterms:creator ex:a . ex:a a foaf:Person ; foaf:name "A" .',
     "familyName", "one family name"),
    ('ex:p a bibo:Book ; dcterms:title "T" ; dcterms:creator ex:a . ex:a a foaf:Person ; foaf:familyName "A" .',
     "name", "name as written"),
    ('ex:p a bibo:Book ; dcterms:title "T" ; dcterms:creator ex:a . '
     'ex:a a foaf:Person ; foaf:familyName "Lee" ; foaf:name "Ann Lee", "A. Lee" .', "name", "two different ways"),
    ('ex:j a bibo:Journal .', "title", "journal"),
    ('ex:n a oa:Annotation ; oa:hasBody ex:c ; oa:hasTarget ex:p ; oa:motivatedBy oa:bookmarking ; '
     'dcterms:creator ex:x .', "motivatedBy", "oa:tagging"),
    ('ex:c a cop:CaseStudy ; cop:country <http://publications.europa.eu/resource/authority/country/Sweden> .',
     "country", "alpha-3"),
    ('ex:c a cop:CaseStudy .', "label", "no name"),
])
def test_each_constraint_catches_its_case(data, path, words):
    results = validate(Graph().parse(data=PREFIXES + data, format="turtle"))
    assert any(r.field == path and words in r.message and r.severity == "error" for r in results), \
        [(r.field, r.message) for r in results]
