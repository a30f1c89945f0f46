"""The store interface, run against the embedded store and a real `oxigraph serve`."""

from __future__ import annotations

import io

import pytest
from pyoxigraph import Dataset, Literal, NamedNode, Quad, QueryBoolean, RdfFormat, Triple, parse

from coprokg.errors import QueryError
from coprokg.store import EmbeddedStore

EX = "http://example.org/"
G1, G2 = NamedNode(EX + "graph/1"), NamedNode(EX + "graph/2")
TITLE = NamedNode("http://purl.org/dc/terms/title")


def paper(n: int, title: str = "A title") -> Triple:
    return Triple(NamedNode(f"{EX}paper/{n}"), TITLE, Literal(title))


def titles(store) -> set[str]:
    return {row["t"].value for row in store.query("SELECT ?t WHERE { ?p <http://purl.org/dc/terms/title> ?t }")}


def test_a_new_store_is_new_until_its_first_write(store):
    assert store.is_new()
    store.add_graph(G1, [paper(1)])
    assert not store.is_new()


def test_every_kind_of_write_changes_the_version(store):
    seen = {store.version()}
    store.add_graph(G1, [paper(1)])
    seen.add(store.version())
    store.add_graph(G1, [paper(2)], replace=True)
    seen.add(store.version())
    store.update(f"INSERT DATA {{ GRAPH <{G2.value}> {{ <{EX}a> <{EX}b> <{EX}c> }} }}")
    seen.add(store.version())
    store.drop_graph(G2)
    seen.add(store.version())
    store.restore(b"<http://example.org/x> <http://example.org/y> <http://example.org/z> <http://example.org/g> .\n")
    seen.add(store.version())
    assert len(seen) == 6


def test_reading_does_not_change_the_version(store):
    store.add_graph(G1, [paper(1)])
    before = store.version()
    store.query("SELECT * WHERE { ?s ?p ?o }")
    store.graphs()
    assert store.version() == before


def test_queries_see_the_union_of_named_graphs_as_default_graph(store):
    store.add_graph(G1, [paper(1, "First")])
    store.add_graph(G2, [paper(2, "Second")])
    assert titles(store) == {"First", "Second"}


def test_default_graph_restriction_limits_the_dataset(store):
    store.add_graph(G1, [paper(1, "First")])
    store.add_graph(G2, [paper(2, "Second")])
    rows = store.query("SELECT ?t WHERE { ?p <http://purl.org/dc/terms/title> ?t }", default_graph=[G2])
    assert [row["t"].value for row in rows] == ["Second"]


def test_add_graph_with_replace_swaps_the_content(store):
    store.add_graph(G1, [paper(1, "Old"), paper(2, "Old too")])
    written = store.add_graph(G1, [paper(3, "New")], replace=True)
    assert written == 1
    assert titles(store) == {"New"}


def test_graphs_lists_named_graphs_in_order(store):
    store.add_graph(G2, [paper(2)])
    store.add_graph(G1, [paper(1)])
    assert store.graphs() == [G1, G2]


def test_drop_graph_removes_exactly_that_graph(store):
    store.add_graph(G1, [paper(1, "Kept")])
    store.add_graph(G2, [paper(2, "Dropped")])
    assert store.drop_graph(G2) is True
    assert store.drop_graph(G2) is False
    assert titles(store) == {"Kept"}
    assert store.graphs() == [G1]


def test_count_counts_quads(store):
    store.add_graph(G1, [paper(1), paper(2)])
    store.add_graph(G2, [paper(3)])
    assert store.count() == 3


def test_ask_and_construct_answers(store):
    store.add_graph(G1, [paper(1, "First")])
    assert isinstance(store.query("ASK { ?s ?p 'First' }"), QueryBoolean)
    assert bool(store.query("ASK { ?s ?p 'First' }"))
    assert not bool(store.query("ASK { ?s ?p 'Absent' }"))
    graph = store.query("CONSTRUCT { ?p a <http://example.org/Paper> } WHERE { ?p ?x ?y }")
    turtle = graph.serialize(format=RdfFormat.TURTLE)
    assert b"http://example.org/Paper" in turtle


def test_substitutions_bind_a_variable_to_a_term(store):
    store.add_graph(G1, [paper(1, "First"), paper(2, "Second")])
    rows = store.query(
        "SELECT ?p ?t WHERE { ?p <http://purl.org/dc/terms/title> ?t }",
        substitutions={"t": Literal("Second")},
    )
    assert [row["p"] for row in rows] == [NamedNode(EX + "paper/2")]


@pytest.mark.parametrize(
    "hostile",
    ['"} ; DROP ALL ; #', "}} INSERT DATA { <a> <b> <c> } #", "line\nbreak \\ backslash", "\u00e9t\u00e9 \U0001f4da"],
)
def test_literal_values_are_stored_verbatim(store, hostile):
    store.add_graph(G1, [paper(1, hostile)])
    store.add_graph(G2, [paper(2, hostile)], replace=True)
    assert titles(store) == {hostile}
    assert store.graphs() == [G1, G2]


def test_relative_iris_in_an_update_resolve_against_the_base_iri(store):
    store.update(f"INSERT DATA {{ GRAPH <{G2.value}> {{ <a> <{EX}b> <c> }} }} ;\n"
                 f"INSERT DATA {{ GRAPH <{G2.value}> {{ <d> <{EX}b> <{EX}own> }} }}", base_iri=EX + "update")
    rows = store.query(f"SELECT ?s ?o WHERE {{ ?s <{EX}b> ?o }} ORDER BY ?s")
    assert [(r["s"].value, r["o"].value) for r in rows] == [(EX + "a", EX + "c"), (EX + "d", EX + "own")]


def test_malformed_query_and_update_raise_query_error_and_change_nothing(store):
    store.add_graph(G1, [paper(1, "First")])
    before = store.version()
    with pytest.raises(QueryError):
        store.query("SELECT ?x WHERE { ?x ")
    with pytest.raises(QueryError):
        store.update("INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/a> } }")
    assert titles(store) == {"First"}
    assert store.version() == before


@pytest.mark.parametrize("fmt", [RdfFormat.N_QUADS, RdfFormat.TRIG])
def test_dump_and_restore_round_trip(store, tmp_path, fmt):
    store.add_graph(G1, [paper(1, "First"), paper(2, 'Quote " and \\ slash')])
    store.add_graph(G2, [paper(3, "Third")])
    dump = io.BytesIO()
    store.dump(dump, fmt)
    copy = EmbeddedStore(tmp_path / "copy")
    assert copy.restore(dump.getvalue(), fmt) == 3
    assert Dataset(parse(dump.getvalue(), fmt)) == Dataset(_all_quads(copy))
    assert copy.graphs() == [G1, G2]
    copy.close()


def test_restore_of_invalid_dump_adds_nothing(store):
    store.add_graph(G1, [paper(1, "First")])
    with pytest.raises(QueryError):
        store.restore(b"<http://example.org/a> <http://example.org/b> .\n")
    assert store.count() == 1


def _all_quads(store):
    dump = io.BytesIO()
    store.dump(dump, RdfFormat.N_QUADS)
    return parse(dump.getvalue(), RdfFormat.N_QUADS)


def test_add_quads_writes_several_graphs_in_one_go(store):
    store.add_graph(G2, [paper(9, "Replaced")])
    written = store.add_quads(
        [Quad(NamedNode(EX + "paper/1"), TITLE, Literal("In one"), G1), Quad(NamedNode(EX + "paper/2"), TITLE, Literal("In two"), G2)],
        replace_graphs=[G2],
    )
    assert written == 2
    assert titles(store) == {"In one", "In two"}


def big_write(count: int, fail: bool = False):
    """``count`` quads over two graphs, more than a remote store sends in one request."""
    for n in range(count):
        yield Quad(NamedNode(f"{EX}paper/big-{n}"), TITLE, Literal(f"Big {n}"), G1 if n % 2 else G2)
    if fail:
        raise ValueError("the source broke")


def test_a_large_write_that_fails_midway_leaves_every_graph_as_it_was(store):
    store.add_graph(G1, [paper(1, "Kept")])
    with pytest.raises(ValueError, match="the source broke"):
        store.add_quads(big_write(5000, fail=True))
    assert titles(store) == {"Kept"} and store.graphs() == [G1] and store.count() == 1


def test_a_large_write_replaces_and_adds_in_one_call(store):
    store.add_graph(G1, [paper(1, "Old")])
    store.add_graph(G2, [paper(2, "Kept")])
    assert store.add_quads(big_write(5000), replace_graphs=[G1]) == 5000
    assert store.count() == 5001 and "Old" not in titles(store) and "Kept" in titles(store)
