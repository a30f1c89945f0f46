"""Deterministic IRIs (loaders/iris.py): the same work, person or claim mints the same IRI."""

import pytest

from coprokg.loaders.iris import annotation_iri, journal_iri, normalise_doi, normalise_issn, paper_iri, person_iri, slug

BASE = "https://w3id.org/coproduction/"


@pytest.mark.parametrize("value", [
    "10.1080/10967494.2021.1969486",
    "doi:10.1080/10967494.2021.1969486",
    "DOI: 10.1080/10967494.2021.1969486",
    "https://doi.org/10.1080/10967494.2021.1969486",
    "http://dx.doi.org/10.1080/10967494.2021.1969486 ",
])
def test_doi_forms_normalise_to_one(value):
    assert normalise_doi(value) == "10.1080/10967494.2021.1969486"


@pytest.mark.parametrize("value", ["", "10.12/x", "11.1080/abc", "doi:", "see 10.1080/x"])
def test_malformed_doi_is_none(value):
    assert normalise_doi(value) is None


def test_doi_case_does_not_matter():
    assert normalise_doi("10.1136/BMJOPEN-2019-029723") == "10.1136/bmjopen-2019-029723"


def test_paper_iri_from_doi_quotes_unsafe_characters():
    iri = paper_iri(doi="10.1002/(sici)1097-4571<3.0.co;2-#", family=None, year=None, title=None)
    assert str(iri) == BASE + "paper/doi/10.1002/%28sici%291097-4571%3C3.0.co%3B2-%23"


def test_paper_iri_without_doi_ignores_case_punctuation_and_unicode_form():
    composed = paper_iri(doi=None, family="Kjellström", year="2019", title="Café: co-production!")
    decomposed = paper_iri(doi=None, family="Kjellstro\u0308m", year="2019", title="cafe\u0301 co production")
    assert composed == decomposed
    assert str(composed).startswith(BASE + "paper/kjellstrom-2019-")


def test_review_iri_matches_the_fixed_source_work_iri():
    title = "Applying models of co-production in the context of health and wellbeing. A narrative review to guide future practice"
    assert str(paper_iri(doi=None, family="Robert", year="2024", title=title)) == BASE + "paper/robert-2024-6ccd34d9"


def test_untitled_records_differ_by_record_id():
    one = paper_iri(doi=None, family="Osborne", year="2016", title=None, record_id="c12")
    two = paper_iri(doi=None, family="Osborne", year="2016", title=None, record_id="c13")
    assert one != two and "osborne-2016-" in one


def test_person_iri_uses_family_and_given_name_whatever_the_punctuation():
    assert str(person_iri("Kjellström", "Sofia")) == BASE + "person/kjellstrom-sofia"
    assert str(person_iri("Robert", "G.")) == BASE + "person/robert-g"
    assert str(person_iri("Smith", "Ann-Marie")) == BASE + "person/smith-ann-marie"
    assert person_iri("Randolph", "K.A.") == person_iri("Randolph", "KA") == person_iri("Randolph", "K. A.")
    assert person_iri("Canary", "Carl") != person_iri("Canary", "Csl")


def test_person_and_journal_iris_are_defined_in_every_script():
    people = [("王", "伟"), ("汪", "伟"), ("李", "娜"), ("Иванов", "Иван"), ("Παπαδόπουλος", "Γιώργος")]
    iris = {str(person_iri(family, given)) for family, given in people}
    assert len(iris) == len(people)
    assert all(not iri.endswith(("/person/", "-")) for iri in iris)
    assert str(person_iri("Иванов", "Иван")).startswith(BASE + "person/ivanov-")
    journals = ["Բանբեր Երևանի համալսարանի", "Լրաբեր հասարակական գիտությունների", "Հայաստանի գիտական հանդես"]
    assert len({journal_iri(title) for title in journals}) == 3
    assert all(not str(journal_iri(title)).endswith("/journal/") for title in journals)
    assert slug("Kjellström") == "kjellstrom" and slug("Bjørn") == "bjorn"


def test_journal_iri_is_the_issn_first():
    assert normalise_issn("ISSN 0305-750X (print)") == "0305-750X"
    assert normalise_issn("0305750x") == "0305-750X"
    assert normalise_issn("1234-5678") is None  # a wrong check digit
    assert str(journal_iri("World Development", "0305-750X")) == BASE + "journal/issn/0305-750X"
    assert str(journal_iri("World Development")) == BASE + "journal/world-development"


def test_slug_and_annotation_iri_are_stable():
    assert slug("  Co-Design / Group level ") == "co-design-group-level"
    first = annotation_iri("p", "c", "classifying", "curator", "quote")
    assert first == annotation_iri("p", "c", "classifying", "curator", "quote")
    assert first != annotation_iri("p", "c", "tagging", "curator", "quote")


@pytest.mark.parametrize("value", [
    "https://doi-org.ezproxy.example.edu/10.5555/par.2016.0009",
    "https://login.ezproxy.example.edu/login?url=https://doi.org/10.5555/par.2016.0009",
    "https://login.ezproxy.example.edu/login?url=https%3A%2F%2Fdoi.org%2F10.5555%2Fpar.2016.0009",
    '<a href="https://doi.org/10.5555/par.2016.0009">10.5555/par.2016.0009</a>',
])
def test_a_doi_inside_a_proxy_or_html_link_is_the_doi(value):
    assert normalise_doi(value) == "10.5555/par.2016.0009"


def test_a_link_elsewhere_holding_a_doi_like_path_is_not_a_doi():
    assert normalise_doi("https://www.example.org/10.5555/par.2016.0009") is None
