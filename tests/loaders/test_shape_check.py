"""pySHACL's results on built records are reported by the record, also when their focus is an author."""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode

from loaders.report import Origin, Report
from loaders.shacl import ShapeCheck

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
BIBO = "http://purl.org/ontology/bibo/"
DCTERMS = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"


def record(paper: NamedNode, title: str, author: NamedNode) -> list[tuple]:
    return [(paper, RDF_TYPE, NamedNode(BIBO + "AcademicArticle")), (paper, NamedNode(DCTERMS + "title"), Literal(title)),
            (paper, NamedNode(DCTERMS + "creator"), author)]


def test_an_author_s_problem_is_reported_at_the_first_record_naming_them():
    author = NamedNode("http://example.org/person/lee-a")
    person = [(author, RDF_TYPE, NamedNode(FOAF + "Person")), (author, NamedNode(FOAF + "familyName"), Literal("Lee"))]
    first, second = NamedNode("http://example.org/p1"), NamedNode("http://example.org/p2")
    check = ShapeCheck(2)
    check.add(record(first, "One", author), person)
    check.add(record(second, "Two", author), person)
    check.finish([], person)
    report = Report()
    check.report({first.value: Origin("refs.bib", 3, "p1"), second.value: Origin("refs.bib", 9, "p2")}, report)

    assert [(str(p.origin), p.field, p.value) for p in report.errors] == [
        ("refs.bib line 3 record 'p1'", "authors", author.value)]
    assert "name as written" in report.errors[0].message
