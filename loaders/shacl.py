"""Step 4 for records built from bibliographic files and tables: pySHACL, the authority on the
shapes, sees what every load makes of its input while it is built and written (the tagger's
tags, from one template, are validated by a test instead).

The records go in chunks to worker processes (one chunk validated here when the load is
small; chunks no worker has begun once the last record is built are validated here too, while
the workers finish theirs). A chunk holds what the shapes read of its records, with what they
read of the resources the records name (for sh:class); the resources records share (people,
journals, books), the cases and what the store may already hold go in a last chunk, with every record's triples about
the same subjects, so a constraint spanning records (a book given two titles, by its own
record and by a chapter's) is seen too. Results are reported by the record that made the
focus node, like the checks made while building.
"""

from __future__ import annotations

import gc
import os
from concurrent.futures import Future, ProcessPoolExecutor

from pyoxigraph import NamedNode

from coprokg.loaders import workers
from coprokg.loaders.report import Origin, Report
from coprokg.loaders.terms import to_rdflib
from coprokg.shapes.validate import Result, read_predicates, shapes_graph, validate_triples

CHUNK = 500  # records per chunk, at least: a quarter of a large load, up to 2,000
MAX_CHUNK = 2000
FIELDS = {"issued": "year", "creator": "authors", "familyName": "authors", "name": "authors", "givenName": "authors",
          "isPartOf": "container", "doi": "doi", "title": "title", "label": "name", "abstract": "abstract"}


def report_results(results: list[Result], origins: dict[str, Origin], report: Report,
                   named_by: dict[str, str] | None = None) -> None:
    """pySHACL's results as problems located by the record (or RDF subject) of their focus node;
    a focus that is no record (an author) by the record that names it (``named_by``), with the
    focus as the value."""
    seen = set()
    for result in results:
        key = (result.focus, result.path, result.value, result.message)
        if key in seen:
            continue
        seen.add(key)
        focus = str(result.focus)
        value = None if result.value is None or result.value == result.focus else str(result.value)
        if focus not in origins and named_by and focus in named_by:
            focus, value = named_by[focus], value if value is not None else focus
        origin = origins.get(focus, Origin("input", key=focus))
        (report.error if result.severity == "error" else report.warning)(
            origin, result.message, field=FIELDS.get(result.field, result.field), value=value)


def validate(triples: list[tuple]) -> list[Result]:
    """In a worker: validate store-term triples. Each term is converted once, so a term that
    recurs (a predicate, a class, a shared author) is one rdflib object: rdflib's indexes
    then compare it by identity rather than by value."""
    converted: dict = {}

    def term(t):
        found = converted.get(t)
        if found is None:
            found = converted[t] = to_rdflib(t)
        return found

    return validate_triples([(term(s), term(p), term(o)) for s, p, o in triples])


class ShapeCheck:
    """Collects a load's built triples and validates them in chunks, in parallel with the build."""

    def __init__(self, records: int):
        self.wanted = frozenset(NamedNode(str(p)) for p in read_predicates())
        self.parallel = records > CHUNK
        # Every chunk validates again the people and journals its records share with others,
        # and each validation has a cost of its own (~20 ms): larger chunks for larger loads.
        self.size = min(MAX_CHUNK, max(CHUNK, records // 4))
        self.by_subject: dict = {}
        self.chunk: list[tuple] = []
        self.records = 0
        self._shared_seen = 0
        self._pool: ProcessPoolExecutor | None = None
        self._pending: list[tuple[Future | list[Result], list[tuple] | None]] = []  # (results, chunk not begun)

    def add(self, triples: list[tuple], shared: list[tuple]) -> None:
        """A record's triples (``shared``: what the load shares so far, for the types it names)."""
        kept = [t for t in triples if t[1] in self.wanted]
        self._index(kept)
        self.chunk += kept
        self.records += 1
        if self.records % self.size == 0:
            self._submit(self.chunk, shared)
            self.chunk = []

    def finish(self, others: list[tuple], shared: list[tuple]) -> None:
        """The last records, then the shared resources, cases and records that may be in the store."""
        self._submit(self.chunk, shared)
        self.chunk = []
        last = [t for t in [*others, *shared] if t[1] in self.wanted]
        subjects = {t[0] for t in last}
        last += [t for s in subjects for t in self.by_subject.get(s, ())]
        self._submit(list(dict.fromkeys(last)), shared)

    def report(self, origins: dict[str, Origin], report: Report) -> None:
        """Wait for every chunk and report its violations (errors) and warnings."""
        try:
            # Chunks no worker has begun are validated here, while the workers finish theirs.
            done = [validate(chunk) if chunk is not None and isinstance(item, Future) and item.cancel() else item
                    for item, chunk in reversed(self._pending)][::-1]
            results = [r for item in done for r in (item.result() if isinstance(item, Future) else item)]
        finally:
            self.close()
        report_results(results, origins, report, self._named_by({str(r.focus) for r in results} - origins.keys()))

    def _named_by(self, focuses: set[str]) -> dict[str, str]:
        """For each of ``focuses``, a subject (the first record built) with it as an object."""
        found: dict[str, str] = {}
        if focuses:
            for subject, triples in self.by_subject.items():
                for _, _, o in triples:
                    if o.value in focuses and isinstance(o, NamedNode):
                        found.setdefault(o.value, subject.value)
        return found

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def _index(self, triples: list[tuple]) -> None:
        for t in triples:
            self.by_subject.setdefault(t[0], []).append(t)

    def _submit(self, triples: list[tuple], shared: list[tuple]) -> None:
        if not triples:
            return
        self._index([t for t in shared[self._shared_seen:] if t[1] in self.wanted])
        self._shared_seen = len(shared)
        named = {t[2] for t in triples if isinstance(t[2], NamedNode)}
        triples = list(dict.fromkeys(triples + [t for o in named for t in self.by_subject.get(o, ())]))
        if not self.parallel:
            self._pending.append((validate(triples), None))
            return
        starting = self._pool is None
        if starting:
            shapes_graph()  # parsed once, before the workers fork
            self._pool = workers.pool(min(2, os.cpu_count() or 1))
            # The workers fork on this first submit. Frozen, the load's objects are left alone by
            # the workers' garbage collector, so their pages stay shared instead of being copied
            # (the way the gc module's documentation recommends for fork).
            gc.freeze()
        # A chunk a worker has begun is not needed here any more.
        self._pending = [(item, None if isinstance(item, Future) and (item.running() or item.done()) else chunk)
                         for item, chunk in self._pending]
        try:
            self._pending.append((self._pool.submit(validate, triples), triples))
        finally:
            if starting:
                gc.unfreeze()
