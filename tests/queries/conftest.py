"""A store holding the small fixture graph in the shape of the curated data, and the app and CLI environment on it."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import NamedNode, RdfFormat, parse

from coprokg.store import derived
from tests.support import app_holding

FIXTURE = Path(__file__).with_name("fixture.ttl")
FIXTURE_GRAPH = NamedNode("https://w3id.org/coproduction/graph/load/fixture")


def load_fixture(store) -> None:
    """The fixture as its own graph, with the derived graphs refreshed after it, as every write has them."""
    with derived.refreshed(store, [FIXTURE_GRAPH]):
        store.add_graph(FIXTURE_GRAPH, [q.triple for q in parse(path=str(FIXTURE), format=RdfFormat.TURTLE)])


@pytest.fixture
def app(settings):
    with app_holding(settings, load_fixture) as app:
        yield app


@pytest.fixture
def client(app):
    return app.test_client()
