"""pySHACL's results on built records are reported by the record, also when their focus is an author."""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode

from coprokg.loaders.report import Origin, Report
from coprokg.loaders.shacl import ShapeCheck

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


def test_every_chunk_is_reported_whichever_process_validates_it(monkeypatch):
    """Chunks no worker has begun when the build ends are validated in the load's process."""
    monkeypatch.setattr("loaders.shacl.CHUNK", 2)
    papers = [NamedNode(f"http://example.org/p{n}") for n in range(40)]
    check = ShapeCheck(len(papers))
    for n, paper in enumerate(papers):
        triples = [(paper, RDF_TYPE, NamedNode(BIBO + "AcademicArticle")), (paper, NamedNode(DCTERMS + "title"), Literal("T"))]
        if n % 13 == 12:  # papers 12, 25 and 38: a DOI that is none
            triples.append((paper, NamedNode(BIBO + "doi"), Literal("not a DOI")))
        check.add(triples, [])
    check.finish([], [])
    report = Report()
    check.report({p.value: Origin("refs.bib", n + 1, f"p{n}") for n, p in enumerate(papers)}, report)
    assert sorted(p.origin.key for p in report.errors) == ["p12", "p25", "p38"]
    assert {p.field for p in report.errors} == {"doi"}
