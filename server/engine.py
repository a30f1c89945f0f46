"""The server's way to its store: checked queries with a time limit, a cache, and serialised writes.

Embedded store: queries run in the worker processes of :mod:`coprokg.server.pool`, on the
snapshot of the database the last write left (``<store>/snapshots/<n>``); writes are
made one at a time, and each ends by writing a new snapshot. A client's SPARQL Update and
Graph Store writes (parsed and checked by the loaders there) are run by the update worker,
to which this process hands the database meanwhile.
Remote store: queries go straight to the endpoint through the remote store, with its
timeout (``COPROKG_STORE_TIMEOUT``); writes are serialised all the same.

Answers of identical requests are cached per data version: a write changes the version
and so empties the cache.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import sys
import threading
from collections import Counter, OrderedDict
from contextlib import contextmanager

from pyoxigraph import NamedNode, QueryResultsFormat, parse_query_results

from coprokg import formats
from coprokg.errors import QueryError
from coprokg.settings import Settings
from coprokg.server.pool import UpdateWorker, WorkerPool, portable, rebuilt
from coprokg.server.results import Answer, write
from coprokg.server.safety import Refused
from coprokg.store import EmbeddedStore, Store, browser_summary
from coprokg.store.search import SearchIndex

log = logging.getLogger(__name__)
JSON_RESULTS = formats.by_name("json", formats.RESULT_FORMATS)
UNCAPPED = sys.maxsize - 1  # the row cap of the server's own pages: none
READ_CACHE = 1024  # texts whose reading by the check is kept


class QueryService:
    def __init__(self, store: Store, settings: Settings):
        self.store = store
        self.max_rows = settings.max_rows
        self._cache_size = settings.cache_entries
        self._cache: OrderedDict[tuple, Answer] = OrderedDict()
        self._cache_version = ""
        self._lock = threading.Lock()  # guards the cache and the current snapshot
        self._write_lock = threading.Lock()
        self._in_flight: Counter[str] = Counter()  # snapshots queries are about to use
        self.pool = None
        self._read: OrderedDict[tuple[str, str], object] = OrderedDict()  # (text, what) -> Checked, or a refusal (portable)
        self.network_isolation: str | None = "the store is remote: queries run on it, not in workers"
        if isinstance(store, EmbeddedStore):
            self._snapshots = store.path / "snapshots"
            shutil.rmtree(self._snapshots, ignore_errors=True)
            self._snapshots.mkdir()
            self._counter = 0
            self._current = self._snapshot()
            self._stale = False  # whether an older snapshot than the current one may be on disk
            self.pool = WorkerPool(settings.query_workers, settings.query_timeout, str(SearchIndex.of(store).path))
            self.updater = UpdateWorker(settings.query_timeout)
            self.network_isolation = self.pool.network_isolation()
            if self.network_isolation:
                log.warning(
                    "query workers run WITH network access (%s): only the query check keeps SERVICE "
                    "and LOAD from reaching out; see 'Safe by default' in the README",
                    self.network_isolation,
                )
        else:  # workers that only read queries and updates, for the check
            self.checkers = WorkerPool(settings.query_workers, settings.query_timeout, "")

    def version(self) -> str:
        """The data version queries currently see."""
        return self._current[0] if self.pool else self.store.version()

    def graphs(self) -> list[str]:
        return [g.value for g in self.store.graphs()]

    def etag(self, *key) -> str:
        digest = hashlib.sha1(repr((self.version(), key)).encode()).hexdigest()[:20]
        return f'"{digest}"'

    def read(self, text: str, what: str):
        """Parse a canonical query or update for the check (:func:`coprokg.server.safety.parse`) in
        a worker under the time limit, never in this process: a query in a query worker (its
        client's share, as a query), an update in the update worker. Answers and refusals are
        cached by text; a time-out or crash is not."""
        key = (text, what)
        with self._lock:
            found = self._read.get(key)
            if found is not None:
                self._read.move_to_end(key)
        if found is None:
            found = self._read_in_worker(text, what)
            with self._lock:
                self._read[key] = found
                while len(self._read) > READ_CACHE:
                    self._read.popitem(last=False)
        if isinstance(found, tuple):  # a refusal, raised afresh each time
            raise rebuilt(*found)
        return found

    def _read_in_worker(self, text: str, what: str):
        if self.pool is None:
            reader = self.checkers.check
        else:
            reader = self.pool.check if what == "query" else self.updater.check
        try:
            return reader(text, what)
        except (QueryError, Refused) as error:  # the text's fault; not a time-out, crash or busy server
            return portable(error)

    def query(self, text: str, fmt, dataset: dict, substitutions: dict | None = None, *, capped: bool = True) -> Answer:
        """Answer a checked query in ``fmt`` (a format, or a tuple of them: the first that fits the
        kind of answer, for a query whose kind is known once the store parses it; see
        :func:`coprokg.server.results.write`); ``dataset`` may hold "default" and "named" graph IRIs;
        ``substitutions`` bind variables (by name) to terms, as the store's query does. Answers
        are cut at the row cap unless ``capped`` is False (the server's own pages)."""
        max_rows = self.max_rows if capped else UNCAPPED
        wanted = tuple(f for f in (fmt if isinstance(fmt, tuple) else (fmt,)) if f is not None)
        media_types = tuple(f.media_type for f in wanted)
        key = (text, media_types, repr(sorted(dataset.items())), repr(sorted((substitutions or {}).items())), max_rows)
        with self._lock:
            version, snapshot = self._current if self.pool else (self.store.version(), "")
            if version != self._cache_version:
                self._cache.clear()
                self._cache_version = version
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
            self._in_flight[snapshot] += 1
        if self.pool:
            try:
                options = {**dataset, "substitutions": substitutions} if substitutions else dataset
                answer = self.pool.run(snapshot, text, options, media_types, max_rows)
            finally:
                with self._lock:
                    self._in_flight[snapshot] -= 1
            self._collect()
        else:
            result = self.store.query(
                text,
                substitutions=substitutions,
                default_graph=_nodes(dataset.get("default")),
                named_graphs=_nodes(dataset.get("named")),
            )
            answer = write(result, wanted, max_rows)
        with self._lock:
            if self._cache_size and version == self._cache_version:
                self._cache[key] = answer
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return answer

    def solutions(self, text: str, substitutions: dict | None = None):
        """One of the server's own SELECT or ASK queries, answered like any other (time limit,
        cache) but not cut, read back as terms: QuerySolutions (rows, with ``variables``) or
        QueryBoolean."""
        answer = self.query(text, JSON_RESULTS, {}, substitutions, capped=False)
        return parse_query_results(answer.body, QueryResultsFormat.JSON)

    @contextmanager
    def writing(self):
        """Write to the store, one writer at a time; queries see the write once it is whole. The
        search index follows (the loaders keep it in step; any other write rebuilds it), and so
        does the literature browser's summary (a load refreshes it; any other write, such as a
        SPARQL Update, derives it again)."""
        with self._write_lock:
            before = browser_summary.state(self.store)
            try:
                yield self.store
                browser_summary.follow(self.store, before)
            finally:
                SearchIndex.of(self.store).follow(self.store)
                if self.pool:
                    fresh = self._snapshot()
                    with self._lock:
                        self._current, self._stale = fresh, True
                    self._collect()

    def update(self, text: str, base_iri: str | None = None) -> None:
        """Run a checked SPARQL Update, all of it or none. Embedded store: in the update worker
        (no network, and a crash costs that worker), on the database handed over to it."""
        with self.writing() as store:
            if not self.pool:
                store.update(text, base_iri=base_iri)
                return
            with store.handed_over() as directory:
                self.updater.run(directory, text, base_iri)

    def write(self, operation, *args):
        """Run a Graph Store write, ``operation(store, *args)``, one writer at a time, and answer
        its result. Embedded store: in the update worker, on the store handed over to it (no
        network, and a crash costs that worker: a write cut short is undone by the store's
        journal or never committed). ``operation`` must be a module-level function."""
        with self.writing() as store:
            if not self.pool:
                return operation(store, *args)
            with store.handed_over(as_store=True) as directory:
                return self.updater.write(directory, operation, args)

    def close(self) -> None:
        if self.pool:
            self.pool.close()
            self.updater.close()
            shutil.rmtree(self._snapshots, ignore_errors=True)
        else:
            self.checkers.close()

    def _snapshot(self) -> tuple[str, str]:
        self._counter += 1
        target = self._snapshots / str(self._counter)
        self.store.snapshot(target)
        return self.store.version(), str(target)

    def _collect(self) -> None:
        """Delete the snapshots that are neither current nor open in a worker (after a write,
        until only the current one is left: queries do not list the directory otherwise)."""
        with self._lock:
            if not self._stale:
                return
            keep = {self._current[1], *self.pool.snapshots_in_use(), *+self._in_flight}
            self._stale = len(keep) > 1
        for path in self._snapshots.iterdir():
            if str(path) not in keep:
                shutil.rmtree(path, ignore_errors=True)


def _nodes(iris):
    return None if iris is None else [NamedNode(iri) for iri in iris]
