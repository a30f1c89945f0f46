"""First use of a store: seed it with the ontology (and the curated data), once."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, parse

from coprokg.settings import REPO_ROOT, Settings
from coprokg.vocab import GRAPH
from store import Store, open_store

ONTOLOGY_DIR = REPO_ROOT / "ontology"
ONTOLOGY_GRAPH = NamedNode(str(GRAPH["ontology"]))


def open_initialised(settings: Settings) -> Store:
    """Open the configured store, seeding it first if coprokg has never written to it."""
    store = open_store(settings)
    if store.is_new():
        initialise(store, settings.data_dir)
    return store


def initialise(store: Store, data_dir: str | Path = REPO_ROOT / "data") -> None:
    from loaders import seed_curated

    triples = [quad.triple for path in _ontology_files() for quad in parse(path=str(path), format=RdfFormat.TURTLE)]
    store.add_graph(ONTOLOGY_GRAPH, triples, replace=True)
    seed_curated(store, data_dir)


def _ontology_files() -> list[Path]:
    return sorted(ONTOLOGY_DIR.glob("*.ttl"))
