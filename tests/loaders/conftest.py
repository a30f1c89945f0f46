"""Fixtures of the loader tests: an embedded store holding a small concept scheme."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import NamedNode, RdfFormat, parse

from coprokg.vocab import GRAPH
from coprokg.store import EmbeddedStore

HERE = Path(__file__).parent
ONTOLOGY = HERE / "ontology.ttl"


def seed_ontology(store) -> None:
    triples = [q.triple for q in parse(path=str(ONTOLOGY), format=RdfFormat.TURTLE)]
    store.add_graph(NamedNode(str(GRAPH["ontology"])), triples, replace=True)


@pytest.fixture
def kg(tmp_path):
    """An embedded store with the test concept scheme in graph/ontology."""
    opened = EmbeddedStore(tmp_path / "store")
    seed_ontology(opened)
    yield opened
    opened.close()
