"""First use of a store: seed it with the ontology (and the curated data), once."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import BlankNode, NamedNode, RdfFormat, Triple, parse

from coprokg.data import DATA_DIR
from coprokg.settings import Settings
from coprokg.vocab import GRAPH, VOCAB_BASE
from coprokg.ontology.files import source_files
from coprokg.store import Store, derived, open_store

ONTOLOGY_GRAPH = NamedNode(str(GRAPH["ontology"]))
GENID = VOCAB_BASE + ".well-known/genid/ontology/"


def open_initialised(settings: Settings) -> Store:
    """Open the configured store, seeding it first if coprokg has never written to it, and, for
    an embedded store, deriving its derived graphs once if it was written before one of them
    was registered. (A remote store may be shared by several servers starting at once: its
    derived graphs follow its next load.)"""
    store = open_store(settings)
    if store.is_new():
        initialise(store, settings.data_dir)
    elif not settings.store_is_remote:
        derived.bring_up_to_date(store)
    return store


def initialise(store: Store, data_dir: str | Path = DATA_DIR) -> None:
    from coprokg.loaders import seed_curated  # the loaders pull in pySHACL: only when a store is new

    triples = ontology_triples()
    with derived.refreshed(store, [ONTOLOGY_GRAPH]):  # the graphs derived from all of it, once
        store.add_graph(ONTOLOGY_GRAPH, triples, replace=True)
        seed_curated(store, data_dir)


def ontology_triples() -> list[Triple]:
    """The ontology's source files as the ontology graph holds them (blank nodes skolemised)."""
    return [triple for path in source_files() for triple in _skolemised(path)]


def _skolemised(path: Path):
    """The file's triples with each blank node (OWL restrictions, lists) replaced by a stable
    skolem IRI (RDF 1.1, section 3.5), so that seeding twice, or restoring a dump into a seeded
    store, gives the same triples rather than copies under fresh blank nodes."""
    names: dict[str, NamedNode] = {}

    def stable(term):
        if not isinstance(term, BlankNode):
            return term
        if term.value not in names:
            names[term.value] = NamedNode(f"{GENID}{path.stem}-{len(names) + 1}")
        return names[term.value]

    for quad in parse(path=str(path), format=RdfFormat.TURTLE):
        yield Triple(stable(quad.subject), quad.predicate, stable(quad.object))
