"""Derived graphs: named graphs computed from the rest of the store, refreshed by every write.

A derivation is plain data: the graph it fills, a function from the store (and the asserted
graphs it may read) to the graph's triples, and a description of the method. The registry
:data:`DERIVATIONS` lists them; :func:`refreshed` wraps a write (a load, an unload) so that
every derived graph is recomputed after it, all or nothing: if a derivation fails, the write is
undone and the store is as it was before (:meth:`coprokg.store.base.Store.undoable`).

Each refresh also rewrites the graph ``graph/derivations``: for every derived graph, a PROV-O
record of how it was derived, when, from which graphs and from which data version.
:func:`refresh_one` recomputes one derived graph and its record alone (the browser's summary
after a SPARQL Update, :func:`coprokg.store.browser_summary.follow`).

The inference graph, ``graph/inferred``, is the first derivation
(:mod:`coprokg.ontology.inference`); queries may leave out every graph a derivation marks
``inferred`` (the ``infer=false`` parameter of /sparql).
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Iterable
from weakref import WeakSet

from pyoxigraph import Literal, NamedNode, Quad, Triple

from coprokg import __version__
from coprokg.ontology.inference import METHOD, entailments
from coprokg.store import browser_summary, citation_summary, subject_summary
from coprokg.vocab import COP, DCTERMS, GRAPH, PROV, RDF, RDFS, VOCAB_BASE, VOID, XSD

log = logging.getLogger(__name__)
DERIVATIONS_GRAPH = NamedNode(str(GRAPH["derivations"]))
INFERRED_GRAPH = NamedNode(str(GRAPH["inferred"]))


@dataclass(frozen=True)
class Derivation:
    name: str
    graph: NamedNode
    derive: Callable[..., Iterable[Triple]]
    """``derive(store, graphs)``: the graph's triples, computed from ``graphs`` (the store's
    graphs that no derivation fills) of ``store``."""
    method: str
    inferred: bool = False
    """Whether the graph holds entailments, which ``infer=false`` leaves out of a query."""


DERIVATIONS: list[Derivation] = [
    Derivation("inferred", INFERRED_GRAPH, entailments, METHOD, inferred=True),
    Derivation("citations", citation_summary.SUMMARY_GRAPH, citation_summary.citation_counts, citation_summary.METHOD),
    Derivation("subjects", subject_summary.SUBJECTS_GRAPH, subject_summary.summaries, subject_summary.METHOD),
    Derivation(browser_summary.DERIVATION, browser_summary.SUMMARY_GRAPH, browser_summary.summarise, browser_summary.METHOD),
]


def derived_graphs() -> list[NamedNode]:
    return [d.graph for d in DERIVATIONS] + [DERIVATIONS_GRAPH]


def is_derived(iri: str) -> bool:
    """Whether the graph named ``iri`` is written by a refresh only."""
    return any(graph.value == iri for graph in derived_graphs())


def inferred_graphs() -> list[NamedNode]:
    return [d.graph for d in DERIVATIONS if d.inferred]


def missing(store) -> list[str]:
    """The derivations ``store`` has no up-to-date record of in ``graph/derivations``: none (a
    store written before they were registered, or before any derivation was), or a record of
    another method (its ``dcterms:description``: a store written by a version that derived the
    graph otherwise, whose graph may lack what the questions now read)."""
    recorded = {row["activity"].value: row["method"].value for row in store.query(
        "SELECT ?activity ?method WHERE { GRAPH " + str(DERIVATIONS_GRAPH) + " { ?activity a "
        + str(NamedNode(str(PROV.Activity))) + " ; " + str(NamedNode(str(DCTERMS.description))) + " ?method } }")}
    return [d.name for d in DERIVATIONS if recorded.get(_activity(d).value) != d.method]


def bring_up_to_date(store) -> list[str]:
    """Refresh ``store`` once, all or nothing, if a registered derivation has never been run on
    it, or was run by another method (:func:`missing`); returns the names of those derivations."""
    names = missing(store)
    if names:
        log.warning("the store has not derived %s as this version does: deriving every derived graph "
                    "once (on a large store this takes minutes)", ", ".join(names))
        with store.undoable(derived_graphs()):
            refresh(store)
    return names


def refresh(store) -> int:
    """Recompute every derived graph from the store's other graphs, in the registry's order,
    each written before the next is derived, then their PROV records. Callers make the whole
    refresh all or nothing (:func:`refreshed`). Returns the number of derived triples."""
    graphs, version = _sources(store), store.version()
    count, records = 0, []
    for derivation in DERIVATIONS:
        triples, record = _derive(store, derivation, graphs, version)
        count += triples
        records += record
    store.add_quads([Quad(*t, DERIVATIONS_GRAPH) for t in records], replace_graphs=[DERIVATIONS_GRAPH])
    return count


def refresh_one(store, name: str) -> int:
    """Recompute the derived graph of the derivation ``name`` alone, as :func:`refresh` does
    (from the store's graphs that no derivation fills, reading the derived graphs as they are),
    and rewrite its PROV record in ``graph/derivations``, leaving the others' records as they
    are; all or nothing. For a write that changed the store without a refresh, after which one
    derived graph must follow at once. Returns the number of derived triples."""
    by_name = {derivation.name: derivation for derivation in DERIVATIONS}
    if name not in by_name:
        raise ValueError(f"no derivation named {name!r}: the registry has {', '.join(by_name)}")
    derivation = by_name[name]
    with store.undoable([derivation.graph, DERIVATIONS_GRAPH]):
        count, record = _derive(store, derivation, _sources(store), store.version())
        activity = _activity(derivation)
        kept = [Quad(row["s"], row["p"], row["o"], DERIVATIONS_GRAPH) for row in store.query(
            "SELECT ?s ?p ?o WHERE { GRAPH " + str(DERIVATIONS_GRAPH) + " { ?s ?p ?o } }")
            if row["s"] not in (derivation.graph, activity)]
        store.add_quads(kept + [Quad(*t, DERIVATIONS_GRAPH) for t in record], replace_graphs=[DERIVATIONS_GRAPH])
    return count


def _sources(store) -> list[NamedNode]:
    """The store's graphs that no derivation fills: what every derivation is computed from."""
    derived = set(derived_graphs())
    return [g for g in store.graphs() if g not in derived]


def _derive(store, derivation: Derivation, graphs: list[NamedNode], version: str) -> tuple[int, list[tuple]]:
    """Compute and write one derived graph; its number of triples and its PROV record."""
    started = datetime.now(timezone.utc)
    triples = list(derivation.derive(store, graphs))
    # Written before the next derivation runs, which may read it (a count over the union
    # default graph counts what the inference graph now says, as a live query would). The
    # old graph is dropped, then the new one written as a new graph, which a store may
    # bulk-load (the embedded store does) rather than swap in one transaction: the caller's
    # undoable block makes the two writes all or nothing, and the server's queries read
    # the snapshot taken after the whole write.
    store.drop_graph(derivation.graph)
    store.add_quads(Quad(t.subject, t.predicate, t.object, derivation.graph) for t in triples)
    return len(triples), _record(derivation, graphs, version, len(triples), started)


_REFRESHING: WeakSet = WeakSet()  # stores inside a refreshed block


@contextmanager
def refreshed(store, graphs: Iterable[NamedNode]):
    """Run the block's write, then refresh the derived graphs, all or nothing: if the block or
    the refresh fails, ``graphs`` (those the block may write) and the derived graphs are put
    back as they were. Nothing is refreshed when the block wrote nothing. Inside another
    refreshed block (several loads made as one, such as the curated data's), the outer block
    refreshes once at its end."""
    if store in _REFRESHING:
        yield
        return
    _REFRESHING.add(store)
    try:
        with store.undoable([*graphs, *derived_graphs()]):
            before = store.version()
            yield
            if store.version() != before:
                refresh(store)
    finally:
        _REFRESHING.discard(store)


def _activity(derivation: Derivation) -> NamedNode:
    return NamedNode(f"{VOCAB_BASE}derivation/{derivation.name}")


def _record(derivation: Derivation, graphs: list[NamedNode], version: str, count: int,
            started: datetime) -> list[tuple]:
    activity = _activity(derivation)
    iri = lambda term: NamedNode(str(term))  # noqa: E731 (rdflib's terms as pyoxigraph's)
    def when(moment: datetime) -> Literal:
        return Literal(moment.isoformat(), datatype=iri(XSD.dateTime))

    record = [(derivation.graph, RDF.type, PROV.Entity), (derivation.graph, PROV.wasGeneratedBy, activity),
              (derivation.graph, VOID.triples, Literal(str(count), datatype=iri(XSD.integer))),
              (activity, RDF.type, PROV.Activity), (activity, RDFS.label, Literal(f"derivation of {derivation.name}")),
              (activity, DCTERMS.description, Literal(derivation.method)),
              (activity, PROV.startedAtTime, when(started)), (activity, PROV.endedAtTime, when(datetime.now(timezone.utc))),
              (activity, PROV.wasAssociatedWith, NamedNode(f"{VOCAB_BASE}agent/coprokg/{__version__}")),
              (activity, COP.dataVersion, Literal(version))]
    record += [(activity, PROV.used, graph) for graph in graphs]
    return [tuple(term if isinstance(term, (NamedNode, Literal)) else iri(term) for term in triple) for triple in record]
