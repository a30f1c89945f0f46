"""Eriksson's Table 2 as practices and evidence gaps, the study they were observed in, and the programme."""

from __future__ import annotations

from rdflib import RDF, URIRef

from coprokg.vocab import COP
from tests.data.support import turtle

B = "https://w3id.org/coproduction/"
STUDY = URIRef(B + "case/western-region-of-sweden-interview-study")
CELL_PRACTICES = [
    f"{B}practice/{mode}-{level}"
    for level in ("individual", "group", "collective")
    for mode in ("co-commissioning", "co-design", "co-delivery", "co-assessment")
    if (mode, level) not in {("co-design", "collective"), ("co-delivery", "collective")}
]


def concept(slug):
    return URIRef(B + "concept/" + slug)


def test_table_2_has_ten_practices_and_two_gaps():
    graph = turtle("practices.ttl")
    cells = [p for p in graph.subjects(RDF.type, COP.CoproductionPractice) if graph.value(p, COP.example)]
    assert sorted(map(str, cells)) == sorted(CELL_PRACTICES)
    gaps = {(graph.value(g, COP.mode), graph.value(g, COP.level)) for g in graph.subjects(RDF.type, COP.EvidenceGap)}
    assert gaps == {
        (concept("co-design"), concept("collective-level")),
        (concept("co-delivery"), concept("collective-level")),
    }


def test_cell_practices_are_reported_by_eriksson_and_observed_in_the_study():
    graph = turtle("practices.ttl")
    for iri in map(URIRef, CELL_PRACTICES):
        assert graph.value(iri, COP.reportedBy) == URIRef(B + "paper/doi/10.1080/10967494.2021.1969486")
        assert graph.value(iri, COP.observedIn) == STUDY
    peer = URIRef(B + "practice/co-delivery-group")
    assert str(graph.value(peer, COP.example)) == "Peer education: educate other patients"


def test_equality_dimensions_the_text_links():
    graph = turtle("practices.ttl")
    collective = URIRef(B + "practice/co-commissioning-collective")
    assert concept("equality-of-opportunity") in set(graph.objects(collective, COP.addressesEquality))
    assert concept("equality-of-outcome") in set(graph.objects(URIRef(B + "practice/co-design-group"), COP.addressesEquality))


def test_other_practices_the_paper_describes():
    graph = turtle("practices.ttl")
    others = {str(p).rsplit("/", 1)[1] for p in graph.subjects(RDF.type, COP.CoproductionPractice)} - {
        p.rsplit("/", 1)[1] for p in CELL_PRACTICES
    }
    assert {"patient-library", "lead-patients", "process-teams", "user-councils"} <= others
    assert (URIRef(B + "practice/lead-patients"), COP.involvesRole, concept("lead-patient")) in graph


def test_western_sweden_study_respondents():
    graph = turtle("study-western-sweden.ttl")
    assert graph.value(STUDY, COP.respondents).toPython() == 20
    groups = list(graph.objects(STUDY, COP.respondentGroup))
    assert sorted(graph.value(g, COP.respondents).toPython() for g in groups) == [8, 12]
    assert sum(graph.value(g, COP.women).toPython() for g in groups) == 14
    assert sum(graph.value(g, COP.men).toPython() for g in groups) == 6


def test_samskapa_programme():
    graph = turtle("programme.ttl")
    programme = URIRef(B + "programme/samskapa")
    assert len(set(graph.objects(programme, COP.objective))) == 4
    assert graph.value(programme, COP.host) == URIRef(B + "org/jonkoping-academy-for-improvement-of-health-and-welfare")
    assert graph.value(programme, COP.fundedBy) == URIRef(B + "org/forte")


def test_practices_only_suggested_are_typed_so_and_observed_in_no_case():
    # Eriksson reports some practices as respondents' suggestions ("suggested", "should"), not as
    # practised: those, and only those, are cop:SuggestedPractice, and no case study observes them.
    graph = turtle("practices.ttl")
    practices = set(graph.subjects(RDF.type, COP.CoproductionPractice))
    suggested = set(graph.subjects(RDF.type, COP.SuggestedPractice))
    assert suggested and suggested <= practices
    assert suggested == {p for p in practices if graph.value(p, COP.observedIn) is None}
    for practice in suggested:
        quotes = " ".join(map(str, graph.objects(practice, COP.quote))).lower()
        assert "suggested" in quotes or "should" in quotes, practice
