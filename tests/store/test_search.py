"""Full-text search: the index follows every load and unload, folds diacritics, ranks, takes
phrases and prefixes, highlights, and answers SPARQL's search: functions."""

from __future__ import annotations

import pytest

from coprokg.loaders import load_files, unload
from coprokg.store import EmbeddedStore, RemoteStore
import shutil

from pyoxigraph import Literal

from coprokg.store.search import IndexBuilding, SearchIndex
from coprokg.store.search_words import END, START, highlighted, parse
from tests.loaders.conftest import HERE, seed_ontology

ERIKSSON = "https://w3id.org/coproduction/paper/doi/10.1080/10967494.2021.1969486"
KJELLSTROM = "https://w3id.org/coproduction/paper/doi/10.1136/bmjopen-2019-029723"
SCORE = """PREFIX search: <https://w3id.org/coproduction/search#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?words ?paper ?score WHERE { ?paper dcterms:title ?title BIND(search:score(?paper, ?words) AS ?score) FILTER(BOUND(?score)) }
ORDER BY DESC(?score)"""


def found(index: SearchIndex, words: str, **options) -> list[str]:
    return [hit.resource for hit in index.search(words, **options).hits]


@pytest.fixture
def loaded(store, tmp_path, monkeypatch):
    """Either store (a remote store's index lives under var/search of the working folder)
    with papers.bib loaded; the load's id."""
    monkeypatch.chdir(tmp_path)
    seed_ontology(store)
    return load_files(store, [HERE / "papers.bib"]).load_id


def test_a_load_is_found_and_its_unload_is_gone(store, loaded):
    index = SearchIndex.of(store)
    assert found(index, "inclusion administrator") == [ERIKSSON]
    unload(store, loaded)
    assert found(index, "inclusion administrator") == []
    assert index.version() == store.version()


def test_diacritics_fold_both_ways(store, loaded):
    index = SearchIndex.of(store)
    assert KJELLSTROM in found(index, "Kjellstrom")
    assert found(index, "Kjellstrom", kind="person") == found(index, "KJELLSTRÖM", kind="person")
    assert found(index, "smaland codesign") == found(index, "Småland")
    assert len(found(index, "Småland")) == 1


def test_phrases_prefixes_and_ranking(store, loaded):
    index = SearchIndex.of(store)
    assert found(index, '"public administrator"') == [ERIKSSON]
    assert found(index, '"administrator public"') == []
    assert found(index, "administ") == []
    assert found(index, "administ*", kind="paper") == [ERIKSSON]
    assert "https://w3id.org/coproduction/concept/public-administration" in found(index, "administ*")
    # a title weighs more than an abstract: "coproduction" is in both titles, "co-design" in one abstract
    results = index.search("coproduction")
    assert {hit.resource for hit in results.hits} >= {ERIKSSON, KJELLSTROM}
    assert [hit.score for hit in results.hits] == sorted((hit.score for hit in results.hits), reverse=True)


def test_hits_are_labelled_and_highlighted_with_escaped_text(store, loaded):
    [hit] = SearchIndex.of(store).search("co-design group").hits
    assert hit.label == "Coproduction and inclusion: A public administrator perspective"
    assert hit.kind == "paper"
    field, snippet = hit.snippets[0]
    assert field == "text" and "<mark>co-design</mark>" in snippet and "<mark>group</mark>" in snippet
    assert highlighted(f"<b>{START}x{END} & y") == "&lt;b&gt;<mark>x</mark> &amp; y"


@pytest.mark.parametrize("typed", ['"unclosed', "NEAR(a b)", "a OR", "col:umn", "*", "-x", "^", "AND", "/re.*/", "name:x"])
def test_what_people_type_is_never_query_syntax(typed, tmp_path):
    with pytest.raises(IndexBuilding):
        SearchIndex(tmp_path / "index").search("x")  # not built yet
    store = EmbeddedStore(tmp_path / "store")
    index = SearchIndex.of(store)
    index.rebuild(store)
    assert index.search(typed).total == 0
    assert all(word.isalnum() for part in parse(typed) for word in part.words)


def test_the_index_is_rebuilt_when_missing_or_behind(tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    seed_ontology(store)
    load_files(store, [HERE / "papers.bib"])
    index = SearchIndex.of(store)
    shutil.rmtree(index.path)
    (store.path / "search.sqlite3").write_bytes(b"an FTS5 index of an earlier version")
    with pytest.raises(IndexBuilding):
        found(index, "inclusion")
    index.follow(store)
    assert found(index, "inclusion") == [ERIKSSON]
    assert not (store.path / "search.sqlite3").exists()
    store.update('INSERT DATA { GRAPH <https://w3id.org/coproduction/graph/extra> { '
                 f'<{ERIKSSON}> <http://purl.org/dc/terms/abstract> "Participatory budgeting in Porto Alegre." }} }}')
    assert found(index, "Porto Alegre") == []
    index.follow(store)
    assert found(index, "Porto Alegre") == [ERIKSSON]


def test_sparql_combines_words_with_the_graph(tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    seed_ontology(store)
    load_files(store, [HERE / "papers.bib"])
    rows = list(store.query(SCORE, substitutions={"words": Literal("coproduction")}))
    assert {row["paper"].value for row in rows} == {ERIKSSON, KJELLSTROM}
    assert all(float(row["score"].value) > 0 for row in rows)
    assert list(store.query(SCORE, substitutions={"words": Literal("nothing-like-this")})) == []


def test_a_remote_store_keeps_its_index_apart(remote_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    store = RemoteStore(remote_url)
    assert SearchIndex.of(store).path.parent == tmp_path.joinpath("var", "search").relative_to(tmp_path)


BUDGETING = """PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX bibo: <http://purl.org/ontology/bibo/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
INSERT DATA { GRAPH <https://w3id.org/coproduction/graph/extra> {
  <https://example.org/in-abstract> a bibo:AcademicArticle ; dcterms:title "Town halls" ;
    dcterms:abstract "How towns share money: participatory budgeting, and who takes part." .
  <https://example.org/in-title> a bibo:AcademicArticle ; dcterms:title "Participatory budgeting" ;
    dcterms:abstract "How towns share money, and who takes part." .
  <https://example.org/person> a foaf:Person ; foaf:name "Budgeting, Pat" .
} }"""


def test_names_weigh_more_and_totals_count_every_match(tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    store.update(BUDGETING)
    index = SearchIndex.of(store)
    index.follow(store)
    results = index.search("budgeting")
    assert results.hits[-1].resource == "https://example.org/in-abstract", "a title or name weighs more than an abstract"
    assert results.total == 3 and results.kinds == {"paper": 2, "person": 1}
    papers = index.search("budgeting", kind="paper")
    assert papers.total == 2 and [hit.resource for hit in papers.hits] == [
        "https://example.org/in-title", "https://example.org/in-abstract"]
    pages = [index.search("budgeting", limit=1, offset=n).hits for n in range(4)]
    assert [hit.resource for page in pages for hit in page] == [hit.resource for hit in results.hits]
    assert index.search("towns share").total == 2 and index.search('"towns share"').total == 2
    assert index.search('"share towns"').total == 0
    [in_abstract] = [hit for hit in results.hits if hit.resource.endswith("in-abstract")]
    assert in_abstract.snippets == [("text", "How towns share money: participatory <mark>budgeting</mark>, and who takes part.")]


def test_a_build_under_way_is_reported_to_searches(tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    store.update(BUDGETING)
    index = SearchIndex.of(store)
    index.follow(store)
    assert index.claim() and index.building()
    with pytest.raises(IndexBuilding) as building:
        index.search("budgeting")
    assert building.value.http_status == 503 and building.value.retry_after
    rows = list(store.query(SCORE, substitutions={"words": Literal("budgeting")}))
    assert rows == []  # a function error leaves the score unbound (SPARQL's rule); the server answers 503
    index.follow(store)  # the claimed build runs (nothing to do: the index is current) and lets the lock go
    assert not index.building() and index.search("budgeting").total == 3
