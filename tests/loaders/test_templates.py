"""The CSV templates, the other RDF syntaxes, and seeding the curated data from a manifest."""

from __future__ import annotations

import csv

import pytest
from pyoxigraph import NamedNode

from coprokg.bootstrap import initialise
from coprokg.loaders import list_loads, load_files, seed_curated
from coprokg.loaders.csvtable import CASE_COLUMNS, PAPER_COLUMNS
from coprokg.store import EmbeddedStore
from tests.loaders.conftest import HERE
from tests.support import REPO

TEMPLATES = REPO / "loaders" / "templates"


@pytest.mark.parametrize("name, columns", [("papers.csv", PAPER_COLUMNS), ("cases.csv", CASE_COLUMNS)])
def test_templates_have_the_contract_header_and_are_documented(name, columns):
    with open(TEMPLATES / name, newline="", encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == columns
    readme = (REPO / "README.md").read_text()
    assert f"loaders/templates/{name}" in readme and ",".join(columns) in readme


def test_the_template_examples_load(kg):
    papers = load_files(kg, [TEMPLATES / "papers.csv"])
    cases = load_files(kg, [TEMPLATES / "cases.csv"])
    assert papers.counts.added == 2 and cases.load_id
    rows = list(kg.query(
        "PREFIX cop: <https://w3id.org/coproduction/ontology#> SELECT ?case ?method ?paper ?country WHERE { "
        "?case a cop:CaseStudy ; cop:usesMethod ?method ; cop:reportedIn ?paper ; cop:country ?country }"))
    assert {r["method"].value.rsplit("/", 1)[1] for r in rows} == {"interviews", "focus-groups"}
    assert rows[0]["paper"].value.endswith("/paper/doi/10.1136/bmjopen-2019-029723")
    assert rows[0]["country"].value.endswith("/country/SWE")
    review = NamedNode("https://w3id.org/coproduction/paper/robert-2024-6ccd34d9")
    assert bool(kg.query("PREFIX cito: <http://purl.org/spar/cito/> PREFIX oa: <http://www.w3.org/ns/oa#> "
                         "ASK { ?r cito:reviews ?p . ?n oa:motivatedBy oa:describing ; oa:hasTarget ?p }",
                         substitutions={"r": review}))


@pytest.mark.parametrize("name", ["papers.ttl", "papers.jsonld", "papers.rdf", "papers.nt"])
def test_rdf_syntaxes_load_the_same_triples(kg, name):
    report = load_files(kg, [HERE / "rdf" / name])
    assert report.counts.triples == 4


def test_seed_curated_loads_the_manifest_in_order(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "papers.bib").write_text((HERE / "papers.bib").read_text())
    (data / "more.ris").write_text((HERE / "papers.ris").read_text().split("\n\n")[0] + "\n")
    (data / "manifest.toml").write_text('[[load]]\nfile = "papers.bib"\n\n[[load]]\nfile = "more.ris"\n'
                                        'cited_by = "10.1136/bmjopen-2019-029723"\n')
    store = EmbeddedStore(tmp_path / "store")
    initialise(store, data)
    loads = list_loads(store)
    assert [info.files for info in loads] == ["papers.bib", "more.ris"]
    assert bool(store.query("PREFIX cito: <http://purl.org/spar/cito/> ASK { "
                            "<https://w3id.org/coproduction/paper/doi/10.1136/bmjopen-2019-029723> cito:cites "
                            "<https://w3id.org/coproduction/paper/doi/10.1080/10967494.2021.1969486> }"))


def test_without_a_manifest_nothing_is_seeded(tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    assert seed_curated(store, tmp_path) == [] and store.is_new()


def test_the_curated_data_seeds_a_new_store(tmp_path):
    manifest = REPO / "data" / "manifest.toml"
    if not manifest.is_file():
        pytest.skip("data/manifest.toml is not there yet: nothing to seed")
    store = EmbeddedStore(tmp_path / "store")
    initialise(store)
    loads = list_loads(store)
    assert len(loads) == manifest.read_text().count("[[load]]")
    assert sum(info.added for info in loads) > 100
