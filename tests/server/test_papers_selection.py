"""/papers' selection starts from the facets chosen (their patterns joined first, the value with
fewest works first) and lists the works that papers-selection.rq, as the file states it (every
work, kept by a filter per facet), lists, in the same order: on a synthetic literature loaded
through the real loaders, for broad and narrow facets, two facets, facets with years, and a value
no work has."""

from __future__ import annotations

import dataclasses

import pytest

from bench import corpus
from coprokg.loaders import load_files
from coprokg.server import close_app, create_app, papers
from coprokg.settings import Settings
from coprokg.store import browser_summary

PAPERS = 240
CONCEPT = "https://w3id.org/coproduction/concept/"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("selection")
    app = create_app(Settings.load({"store": str(folder / "store"), "data_dir": str(folder / "no-curated-data"),
                                    "query_workers": 1}, environ={}))
    with app.extensions["coprokg.engine"].writing() as store:
        for path in corpus.write_csv(corpus.papers(PAPERS), folder, PAPERS // 2):
            load_files(store, [path])
    yield app
    close_app(app)


def as_the_file_states_it(app, values: dict[str, str], sort: str) -> list[str]:
    """The works of papers-selection.rq, run as it is, in its order (a work with two dates once)."""
    query = dataclasses.replace(papers._query("papers-selection"), page_size=None)
    rows = app.extensions["coprokg.engine"].solutions(query.sparql({**values, "order": str(papers.RANKS[sort])}))
    return list(dict.fromkeys(row["paper"].value for row in rows))


def facet_values(app, facet: str) -> list[str]:
    """The values of ``facet`` (a pattern of the browser's summary), most works first."""
    text = browser_summary.FACET_COUNT.format(types=browser_summary.TYPES, pattern=browser_summary.FACETS[facet])
    counted = {row["value"].value: int(row["n"].value) for row in app.extensions["coprokg.engine"].solutions(text)}
    return sorted(counted, key=lambda value: (-counted[value], value))


def selections(app) -> list[dict[str, str]]:
    concepts, disciplines = facet_values(app, "concept"), facet_values(app, "discipline")
    countries, cited = facet_values(app, "country"), facet_values(app, "list")
    return [
        {"concept": concepts[0]}, {"concept": concepts[-1]}, {"discipline": disciplines[0]},
        {"concept": concepts[0], "country": countries[0]},
        {"discipline": disciplines[0], "concept": concepts[1], "from": "1990", "to": "2010"},
        {"list": cited[0]}, {"country": countries[-1], "list": cited[0]},
        {"concept": CONCEPT + "no-work-is-about-this"}, {"from": "2000"},
    ]


@pytest.mark.parametrize("sort", ["year", "title", "cited"])
def test_the_selection_lists_the_works_of_the_file_in_its_order(app, sort):
    with app.test_request_context():
        for values in selections(app):
            listed = [work.iri for work in papers.selected(values, sort)]
            assert listed == as_the_file_states_it(app, values, sort), values
    assert any(len(as_the_file_states_it(app, values, sort)) > papers.PAGE_SIZE for values in selections(app))


def test_the_chosen_facets_are_joined_first_fewest_works_first_not_filtered(app):
    concepts, countries = facet_values(app, "concept"), facet_values(app, "country")
    values = {"concept": concepts[0], "country": countries[-1]}
    works = {name: len(as_the_file_states_it(app, {name: value}, "year")) for name, value in values.items()}
    fewer, more = sorted(values, key=works.get)
    assert works[fewer] < works[more], "two facets of different sizes"
    with app.test_request_context():
        text = papers.selection_query(values).sparql({**values, "order": str(papers.RANKS["year"])})
    body = text[text.index("WHERE {"):]
    patterns = {"concept": "?paper dcterms:subject ?__concept_iri .", "country": "?paper cop:authorCountry ?__country_iri ."}
    assert body.index(patterns[fewer]) < body.index(patterns[more]) < body.index("?paper a ?type")
    assert "EXISTS { ?paper dcterms:subject" not in body and "EXISTS { ?paper cop:authorCountry" not in body
    assert "EXISTS { ?paper cop:discipline ?__discipline_iri }" in body, "a facet not chosen keeps its filter"
