"""Large writes into new graphs through Oxigraph's bulk loader, all or nothing all the same.

One transaction of a few hundred thousand quads is slow (RocksDB holds it in memory and
indexes it at commit); the bulk loader writes sorted files straight into the database, 3-4
times faster, from a thread, so that a caller can keep producing quads while batches are
written. Given N-Quads bytes, the bulk loader releases the GIL while it works (given Python
quads, it holds it throughout, and the caller would wait). It is not transactional: a journal
makes the write all or nothing.

1. Quads into graphs the store does not have yet (a load's graph) are handed to the loader in
   batches, from a thread; the journal (``pending-write.json``), written durably before the
   first batch, names those new graphs.
2. The rest (quads into existing graphs, such as a load's PROV record) is committed in one
   transaction at the end. Just before, one quad of it the store lacks, the witness, is
   added to the journal; the journal goes once the transaction is committed.
3. If the quads' iterable raises, or a batch fails, the new graphs are removed at once. If the
   process dies, :func:`recover` (run when the store is opened) removes them unless the
   witness was committed: the write is then whole, and the journal merely outlived it.

Until the write returns, a query in the same process may see part of it; no other process
can open the store meanwhile, and the server's queries read snapshots taken after writes.
"""

from __future__ import annotations

import json
import os
import queue
import threading
from pathlib import Path
from typing import Iterable

from pyoxigraph import NamedNode, Quad, RdfFormat, Store as Oxigraph, parse, serialize

BATCH = 50_000  # quads into new graphs per bulk batch; smaller writes are one transaction


def write(db: Oxigraph, quads: Iterable[Quad], journal: Path) -> int:
    """Write ``quads`` all or nothing; returns how many there were."""
    new: set = set()
    old: set = set()
    pending: list[Quad] = []
    rest: list[Quad] = []
    loader: _Loader | None = None
    count = 0
    try:
        for quad in quads:
            count += 1
            graph = quad.graph_name
            if graph in new:
                pending.append(quad)
            elif graph in old:
                rest.append(quad)
            elif isinstance(graph, NamedNode) and not db.contains_named_graph(graph):
                new.add(graph)
                pending.append(quad)
            else:
                old.add(graph)
                rest.append(quad)
            if len(pending) >= BATCH:
                loader = loader or _Loader(db)
                loader.put(pending, new, journal)
                pending = []
        if loader is None:
            db.extend(pending + rest)
            return count
        loader.put(pending, new, journal)
        loader.finish()
        witness = next((q for q in rest if q not in db), None)
        _note(journal, new, witness)
        db.extend(rest)
    except BaseException:
        if loader is not None:
            loader.finish(abandon=True)
            _undo(db, new, journal)
        raise
    journal.unlink()
    return count


def recover(db: Oxigraph, journal: Path) -> None:
    """Finish what a process that died during a bulk write left: keep the write if its witness
    was committed, else remove the new graphs it was writing."""
    try:
        entry = json.loads(journal.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return
    witness = entry["witness"]
    if witness is not None and all(q in db for q in parse(witness.encode(), RdfFormat.N_QUADS)):
        journal.unlink()
    else:
        _undo(db, [NamedNode(g) for g in entry["graphs"]], journal)


class _Loader:
    """Hands batches to the bulk loader from two threads, while the caller produces the next:
    each batch is written by one bulk load of its own (Oxigraph's bulk loader runs its own
    batches in parallel threads the same way), so the batches still waiting when the caller is
    done are written two at a time."""

    THREADS = 2

    def __init__(self, db: Oxigraph):
        self._db = db
        self._queue: queue.Queue = queue.Queue(maxsize=self.THREADS)
        self._error: BaseException | None = None
        self._abandoned = False
        self._noted = 0
        self._threads = [threading.Thread(target=self._run, name="bulk-write", daemon=True)
                         for _ in range(self.THREADS)]
        for thread in self._threads:
            thread.start()

    def put(self, batch: list[Quad], graphs: set, journal: Path) -> None:
        if self._error is not None:
            raise self._error
        if len(graphs) != self._noted:
            _note(journal, graphs, None)
            self._noted = len(graphs)
        self._queue.put(batch)

    def finish(self, abandon: bool = False) -> None:
        """Wait for the batches handed over (skipping those not begun, when ``abandon``)."""
        self._abandoned = abandon
        for _ in self._threads:
            self._queue.put(None)
        for thread in self._threads:
            thread.join()
        if self._error is not None and not abandon:
            raise self._error

    def _run(self) -> None:
        while (batch := self._queue.get()) is not None:
            if self._error is None and not self._abandoned:
                try:
                    _bulk_load(self._db, batch)
                except BaseException as error:  # re-raised in the caller's thread
                    self._error = error


def _bulk_load(db: Oxigraph, quads: list[Quad]) -> None:
    """Hand ``quads`` to the bulk loader as N-Quads, which it reads without holding the GIL;
    the list is emptied once serialised, to free its memory. Serialising takes a few percent
    of the loader's time, and the terms are valid already (``lenient``). Blank nodes are the
    exception: the parser would give them new labels, so a batch that may hold any (``_:``
    anywhere, even in a literal) goes as Python quads."""
    data = serialize(quads, format=RdfFormat.N_QUADS)
    if b"_:" in data:
        db.bulk_extend(quads)
    else:
        quads.clear()
        db.bulk_load(data, RdfFormat.N_QUADS, lenient=True)


def _note(journal: Path, graphs: set, witness: Quad | None) -> None:
    """Write the journal so that it is either absent or whole on disk, even after a crash."""
    entry = {"graphs": sorted(g.value for g in graphs),
             "witness": serialize([witness], format=RdfFormat.N_QUADS).decode() if witness is not None else None}
    fresh = journal.with_suffix(".tmp")
    with open(fresh, "w", encoding="utf-8") as handle:
        json.dump(entry, handle)
        handle.flush()
        os.fsync(handle.fileno())
    fresh.replace(journal)
    directory = os.open(journal.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _undo(db: Oxigraph, graphs, journal: Path) -> None:
    for graph in graphs:
        db.remove_graph(graph)
    journal.unlink(missing_ok=True)
