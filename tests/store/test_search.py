"""Full-text search: the index follows every load and unload, folds diacritics, ranks, takes
phrases and prefixes, highlights, and answers SPARQL's search: functions."""

from __future__ import annotations

import pytest

from coprokg.loaders import load_files, unload
from coprokg.store import EmbeddedStore, RemoteStore
import shutil

from coprokg.store.search import END, START, SearchIndex, highlighted, parse
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
    index = SearchIndex(tmp_path / "index")
    index.search("x")  # no index yet: nothing found, nothing raised
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
    assert found(index, "inclusion") == []
    index.follow(store)
    assert found(index, "inclusion") == [ERIKSSON]
    store.update('INSERT DATA { GRAPH <https://w3id.org/coproduction/graph/extra> { '
                 f'<{ERIKSSON}> <http://purl.org/dc/terms/abstract> "Participatory budgeting in Porto Alegre." }} }}')
    assert found(index, "Porto Alegre") == []
    index.follow(store)
    assert found(index, "Porto Alegre") == [ERIKSSON]


def test_sparql_combines_words_with_the_graph(tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    seed_ontology(store)
    load_files(store, [HERE / "papers.bib"])
    from pyoxigraph import Literal

    rows = list(store.query(SCORE, substitutions={"words": Literal("coproduction")}))
    assert {row["paper"].value for row in rows} == {ERIKSSON, KJELLSTROM}
    assert all(float(row["score"].value) > 0 for row in rows)
    assert list(store.query(SCORE, substitutions={"words": Literal("nothing-like-this")})) == []


def test_a_remote_store_keeps_its_index_apart(remote_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    store = RemoteStore(remote_url)
    assert SearchIndex.of(store).path.parent == tmp_path.joinpath("var", "search").relative_to(tmp_path)
