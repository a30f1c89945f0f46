"""Provenance of loads: the PROV-O record each load writes, the history, and undoing a load.

A load's data is the named graph ``graph/load/<id>``; its record, in ``graph/loads``, is a
``prov:Activity load/<id>`` that used the input files (name and sha256) and generated that
graph. Unloading drops the graph and marks the activity ``prov:invalidatedAtTime``, in one
update, so the history keeps what was loaded and undone.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from pyoxigraph import Literal, NamedNode

from coprokg import __version__
from coprokg.errors import CoprokgError
from coprokg.vocab import GRAPH, VOCAB_BASE
from coprokg.loaders.terms import COP, DCTERMS, PROV, RDF, RDFS, VOID, XSD

LOADS_GRAPH = NamedNode(GRAPH["loads"])
LOADS_QUERY = (Path(__file__).parent / "sparql" / "loads.rq").read_text()
CHECKSUM_QUERY = (Path(__file__).parent / "sparql" / "loaded_checksum.rq").read_text()
_LOAD_ID = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{8}$")


class UnknownLoad(CoprokgError):
    kind = "unknown-load"
    http_status = 404


class AlreadyUndone(CoprokgError):
    """The load was undone before: nothing is left to remove (the CLI exits 0, saying so)."""

    kind = "already-undone"
    http_status = 409


def new_load_id(now: datetime) -> str:
    return f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"


def load_iri(load_id: str, base: str = VOCAB_BASE) -> NamedNode:
    return NamedNode(f"{base}load/{load_id}")


def load_graph(load_id: str) -> NamedNode:
    return NamedNode(GRAPH[f"load/{load_id}"])


def agent_iri(base: str = VOCAB_BASE) -> NamedNode:
    return NamedNode(f"{base}agent/coprokg/{__version__}")


@dataclass
class Counts:
    added: int = 0
    merged: int = 0
    tagged: int = 0
    triples: int = 0
    set_aside: int = 0  # records left out of the load, with their problems (load --rejects)


def provenance(load_id: str, files: list[tuple[str, str]], graph: NamedNode, counts: Counts,
               started: datetime, ended: datetime, agent: NamedNode, base: str = VOCAB_BASE) -> list[tuple]:
    """The PROV-O record of one load; ``files`` are (name, sha256) pairs."""
    activity = load_iri(load_id, base)
    names = ", ".join(Path(name).name for name, _ in files)
    t = [(activity, RDF.type, PROV.Activity), (activity, RDFS.label, Literal(f"load of {names}")),
         (activity, PROV.startedAtTime, Literal(started.isoformat(), datatype=XSD.dateTime)),
         (activity, PROV.endedAtTime, Literal(ended.isoformat(), datatype=XSD.dateTime)),
         (activity, PROV.wasAssociatedWith, agent),
         (activity, PROV.generated, graph), (graph, RDF.type, PROV.Entity),
         (graph, PROV.wasGeneratedBy, activity), (graph, VOID.triples, _integer(counts.triples)),
         (activity, COP.papersAdded, _integer(counts.added)), (activity, COP.papersMerged, _integer(counts.merged)),
         (activity, COP.papersTagged, _integer(counts.tagged)),
         (activity, COP.recordsSetAside, _integer(counts.set_aside))]
    if agent == agent_iri(base):
        t.append((agent, RDF.type, PROV.SoftwareAgent))
    for n, (name, sha256) in enumerate(files, 1):
        entity = NamedNode(f"{activity.value}#file-{n}")
        t += [(activity, PROV.used, entity), (entity, RDF.type, PROV.Entity),
              (entity, DCTERMS.title, Literal(Path(name).name)),
              (entity, DCTERMS.identifier, Literal(f"sha256:{sha256}"))]
    return t


def _integer(value: int) -> Literal:
    return Literal(str(value), datatype=XSD.integer)


def loads_with_checksum(store, sha256: str) -> list[str]:
    rows = store.query(CHECKSUM_QUERY, substitutions={"sum": Literal(f"sha256:{sha256}")})
    return [row["load"].value.rsplit("/", 1)[-1] for row in rows]


@dataclass(frozen=True)
class LoadInfo:
    id: str
    graph: str
    started: str
    files: str
    triples: int
    added: int
    merged: int
    tagged: int
    undone: str | None
    set_aside: int = 0


def list_loads(store) -> list[LoadInfo]:
    """Every load, oldest first, undone ones included."""
    def number(row, name):
        return int(row[name].value) if row[name] is not None else 0

    return [LoadInfo(row["load"].value.rsplit("/", 1)[-1], row["graph"].value, row["started"].value, row["files"].value,
                     number(row, "triples"), number(row, "added"), number(row, "merged"), number(row, "tagged"),
                     row["undone"].value if row["undone"] is not None else None, number(row, "aside"))
            for row in store.query(LOADS_QUERY)]


def unload(store, load_id: str) -> LoadInfo:
    """Remove exactly the triples a load added (its graph), and mark it undone."""
    known = {info.id: info for info in list_loads(store)} if _LOAD_ID.match(load_id) else {}
    if load_id not in known:
        raise UnknownLoad(f"no load {load_id!r}", hint="'coprokg loads' lists the loads and their ids")
    if known[load_id].undone:
        raise AlreadyUndone(f"load {load_id} was already undone at {known[load_id].undone}")
    activity = load_iri(load_id)
    now = Literal(datetime.now(timezone.utc).isoformat(), datatype=XSD.dateTime)
    store.update(f"DROP SILENT GRAPH {NamedNode(known[load_id].graph)} ;\n"
                 f"INSERT DATA {{ GRAPH {LOADS_GRAPH} {{ {activity} {PROV.invalidatedAtTime} {now} }} }}")
    return next(info for info in list_loads(store) if info.id == load_id)
