"""Large writes into new graphs take the bulk loader and stay all or nothing, even when the
process dies at the worst moment: between the bulk load and the commit of the rest."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, Quad

from coprokg.store import EmbeddedStore
from coprokg.store.bulk import BATCH
from tests.support import REPO

NEW = NamedNode("http://example.org/graph/new")
LOG = NamedNode("http://example.org/graph/log")
N = BATCH + 500

# A child process writes N quads into a new graph plus one record into an existing graph,
# dying (os._exit, as a SIGKILL would) just before or just after the record's transaction.
WRITER = """
import os, sys
from pyoxigraph import Literal, NamedNode, Quad
from coprokg.store import EmbeddedStore
store = EmbeddedStore(sys.argv[1])
real, moment = store._db, sys.argv[2]

class Dying:
    def __getattr__(self, name):
        return getattr(real, name)
    def __contains__(self, quad):
        return quad in real
    def extend(self, quads):
        if moment == "before-commit":
            os._exit(9)
        real.extend(quads)
        os._exit(9)

store._db = Dying()
new, log = NamedNode("http://example.org/graph/new"), NamedNode("http://example.org/graph/log")
quads = [Quad(NamedNode(f"http://example.org/s{i}"), NamedNode("http://example.org/p"), Literal(str(i)), new)
         for i in range(int(sys.argv[3]))]
store.add_quads(quads + [Quad(NamedNode("http://example.org/write"), NamedNode("http://example.org/done"),
                              Literal("yes"), log)])
"""


def quads(n: int) -> list[Quad]:
    return [Quad(NamedNode(f"http://example.org/s{i}"), NamedNode("http://example.org/p"), Literal(str(i)), NEW)
            for i in range(n)]


def seeded(location) -> None:
    store = EmbeddedStore(location)
    store.add_quads([Quad(NamedNode("http://example.org/x"), NamedNode("http://example.org/y"), Literal("z"), LOG)])
    store.close()


def state(location) -> tuple[int, int]:
    """(quads in the new graph, quads in the log graph) once the store is opened again."""
    store = EmbeddedStore(location)
    try:
        return tuple(int(next(iter(store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {g} {{ ?s ?p ?o }} }}")))["n"].value)
                     for g in (NEW, LOG))
    finally:
        store.close()


def test_a_bulk_write_is_whole_and_leaves_no_journal(tmp_path):
    seeded(tmp_path / "store")
    store = EmbeddedStore(tmp_path / "store")
    many = 3 * BATCH + 500  # batches written two at a time
    assert store.add_quads(quads(many)) == many
    store.close()
    assert state(tmp_path / "store") == (many, 1)
    assert not (tmp_path / "store" / "pending-write.json").exists()


@pytest.mark.parametrize("moment, expected", [("before-commit", (0, 1)), ("after-commit", (N, 2))])
def test_a_process_dying_during_a_bulk_write_leaves_nothing_or_everything(tmp_path, moment, expected):
    seeded(tmp_path / "store")
    child = subprocess.run([sys.executable, "-c", WRITER, str(tmp_path / "store"), moment, str(N)], cwd=REPO,
                           capture_output=True, text=True, timeout=120)
    assert child.returncode == 9, child.stderr
    assert (tmp_path / "store" / "pending-write.json").exists()
    assert state(tmp_path / "store") == expected
    assert not (tmp_path / "store" / "pending-write.json").exists()


def test_a_failed_bulk_write_is_undone_at_once(tmp_path):
    seeded(tmp_path / "store")
    store = EmbeddedStore(tmp_path / "store")
    broken = quads(N) + [Quad(NamedNode("http://example.org/a"), NamedNode("http://example.org/b"), Literal("c"), LOG)]
    real = store._db

    class Failing:
        def __getattr__(self, name):
            return getattr(real, name)

        def __contains__(self, quad):
            return quad in real

        def extend(self, _):
            raise OSError("disk full")

    store._db = Failing()
    with pytest.raises(Exception, match="disk full"):
        store.add_quads(broken)
    store._db = real
    store.close()
    del real  # the database is released when its last reference goes
    assert state(tmp_path / "store") == (0, 1)


def test_quads_that_raise_midway_leave_nothing(tmp_path):
    seeded(tmp_path / "store")
    store = EmbeddedStore(tmp_path / "store")
    version = store.version()

    def stream():
        yield from quads(3 * BATCH)
        raise ValueError("record 3000 is invalid")

    with pytest.raises(ValueError, match="record 3000"):
        store.add_quads(stream())
    assert store.version() == version and NEW not in store.graphs()
    store.close()
    assert state(tmp_path / "store") == (0, 1)


def test_a_blank_node_stays_one_node_across_bulk_batches(tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    node, p = BlankNode("b1"), NamedNode("http://example.org/p")
    first = quads(BATCH - 1) + [Quad(node, p, Literal("in the first batch"), NEW)]
    second = [Quad(NamedNode("http://example.org/s"), p, node, NEW)]
    assert store.add_quads(first + second) == BATCH + 1
    rows = store.query(f"SELECT ?o WHERE {{ GRAPH {NEW} {{ <http://example.org/s> {p} ?b . ?b {p} ?o }} }}")
    assert [row["o"].value for row in rows] == ["in the first batch"]
    store.close()
