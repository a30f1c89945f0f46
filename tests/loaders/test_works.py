"""What a work brings beside itself: its keywords, the book a chapter is part of, and the
papers an RDF file adds, counted in the load's PROV record like any other format's."""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode
from rdflib.compare import isomorphic

from coprokg.loaders import load_files
from tests.loaders.conftest import HERE
from tests.loaders.test_load import graph_of

PREFIXES = ("PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX bibo: <http://purl.org/ontology/bibo/> "
            "PREFIX schema: <https://schema.org/> PREFIX foaf: <http://xmlns.com/foaf/0.1/> ")


def rows(store, query: str, **bindings) -> list:
    return list(store.query(PREFIXES + query, substitutions=bindings or None))


def test_keywords_are_kept_as_plain_literals_not_subjects(kg):
    load_files(kg, [HERE / "papers.bib"])
    found = rows(kg, "SELECT ?k WHERE { ?p bibo:doi '10.1080/10967494.2021.1969486' ; schema:keywords ?k } ORDER BY ?k")
    assert [r["k"].value for r in found] == ["coproduction", "inclusion"]
    assert not rows(kg, "SELECT ?s WHERE { ?p dcterms:subject ?s FILTER(ISLITERAL(?s)) }")


def test_chapters_are_part_of_their_book_with_its_editors_and_publisher(kg):
    report = load_files(kg, [HERE / "chapters.bib"])
    assert report.counts.added == 3
    (book,) = rows(kg, "SELECT DISTINCT ?book WHERE { ?chapter a bibo:BookSection ; dcterms:isPartOf ?book }")
    book = book["book"]
    # The chapters' book is the book record itself: minted alike from first editor, year and title.
    assert [r["b"] for r in rows(kg, "SELECT DISTINCT ?b WHERE { ?b a bibo:Book }")] == [book]
    assert rows(kg, "SELECT ?book WHERE { ?book a bibo:Book ; dcterms:title ?t ; dcterms:publisher 'Routledge' ; "
                    "dcterms:issued ?y }", book=book)
    editors = rows(kg, "SELECT ?book ?family WHERE { ?book bibo:editor/foaf:familyName ?family } ORDER BY ?family", book=book)
    assert [r["family"].value for r in editors] == ["Brandsen", "Steen", "Verschuere"]
    assert not rows(kg, "SELECT ?c WHERE { ?c a bibo:BookSection ; dcterms:publisher ?p }")
    assert rows(kg, "SELECT ?book WHERE { ?book <http://www.w3.org/2000/01/rdf-schema#label> 'Brandsen et al. 2018' }",
                book=book)
    assert "/journal/" not in book.value


def test_chapters_give_the_same_graph_from_bibtex_and_ris(kg):
    assert isomorphic(graph_of(kg, HERE / "chapters.bib"), graph_of(kg, HERE / "chapters.ris"))


def test_rdf_loads_count_the_papers_they_add_and_merge(kg):
    first = load_files(kg, [HERE / "rdf" / "papers.ttl"])
    assert (first.counts.added, first.counts.merged) == (1, 0)
    recorded = rows(kg, "SELECT ?n WHERE { GRAPH <https://w3id.org/coproduction/graph/loads> { "
                        "?load <https://w3id.org/coproduction/ontology#papersAdded> ?n } }")
    assert [r["n"] for r in recorded] == [Literal("1", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer"))]
    again = load_files(kg, [HERE / "rdf" / "papers.nt"])
    assert (again.counts.added, again.counts.merged) == (0, 1)
