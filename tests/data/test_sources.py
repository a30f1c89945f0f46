"""The source works: fixed IRIs, full bibliographic metadata, authors in order, the preprint as a version."""

from __future__ import annotations

from rdflib import RDF, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, SKOS

from coprokg.vocab import BIBO, COP, FABIO
from coprokg.loaders.iris import paper_iri, person_iri, slug
from tests.data.support import turtle

B = "https://w3id.org/coproduction/"
ERIKSSON = URIRef(B + "paper/doi/10.1080/10967494.2021.1969486")
REVIEW = URIRef(B + "paper/robert-2024-6ccd34d9")
PREPRINT = URIRef(B + "paper/robert-2024-6ccd34d9-preprint")
PROTOCOL = URIRef(B + "paper/doi/10.1136/bmjopen-2019-029723")


def authors(graph, paper):
    seq = graph.value(paper, BIBO.authorList)
    members = sorted((int(p.rsplit("_", 1)[1]), o) for p, o in graph.predicate_objects(seq) if "#_" in p)
    return [graph.value(o, FOAF.familyName).toPython() for _, o in members]


def test_fixed_iris_are_the_minted_ones():
    graph = turtle("sources.ttl")
    assert ERIKSSON == paper_iri(doi="10.1080/10967494.2021.1969486", family=None, year=None, title=None)
    assert PROTOCOL == paper_iri(doi="10.1136/bmjopen-2019-029723", family=None, year=None, title=None)
    title = str(graph.value(REVIEW, DCTERMS.title))
    assert REVIEW == paper_iri(doi=None, family="Robert", year="2024", title=title)
    for person in graph.subjects(RDF.type, FOAF.Person):
        family = str(graph.value(person, FOAF.familyName))
        given = str(graph.value(person, FOAF.givenName))
        assert person == person_iri(family, given)
    for organisation in graph.subjects(RDF.type, FOAF.Organization):
        names = [graph.value(organisation, FOAF.name), *graph.objects(organisation, SKOS.altLabel)]
        assert organisation in {URIRef(B + "org/" + slug(str(name))) for name in names}


def test_eriksson_metadata():
    graph = turtle("sources.ttl")
    assert authors(graph, ERIKSSON) == ["Eriksson"]
    assert str(graph.value(ERIKSSON, BIBO.volume)) == "25"
    assert str(graph.value(ERIKSSON, BIBO.issue)) == "2"
    assert (str(graph.value(ERIKSSON, BIBO.pageStart)), str(graph.value(ERIKSSON, BIBO.pageEnd))) == ("217", "240")
    assert str(graph.value(ERIKSSON, COP.grantNumber)) == "2018-01196"
    assert "2019-02280" in str(graph.value(ERIKSSON, COP.ethicsApproval))
    assert graph.value(ERIKSSON, DCTERMS.license) == URIRef("http://creativecommons.org/licenses/by-nc-nd/4.0/")
    orcid = graph.value(URIRef(B + "person/eriksson-erik"), OWL.sameAs)
    assert orcid == URIRef("https://orcid.org/0000-0001-8831-9013")


def test_review_and_its_preprint_are_one_work_in_two_versions():
    graph = turtle("sources.ttl")
    assert authors(graph, REVIEW) == ["Robert", "Donetto", "Masterson", "Kjellström"]
    assert str(graph.value(REVIEW, COP.grantNumber)) == "2018-01431"
    assert (PREPRINT, DCTERMS.isVersionOf, REVIEW) in graph
    assert (PREPRINT, RDF.type, FABIO.Preprint) in graph
    assert (PREPRINT, RDF.type, BIBO.AcademicArticle) not in graph


def test_protocol_metadata():
    graph = turtle("sources.ttl")
    assert authors(graph, PROTOCOL) == ["Kjellström", "Areskoug-Josefsson", "Andersson Gäre"]
    assert str(graph.value(PROTOCOL, BIBO.pages)) == "e029723"
    assert graph.value(PROTOCOL, DCTERMS.isPartOf) == URIRef(B + "journal/bmj-open")
