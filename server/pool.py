"""Queries on the embedded store run in worker processes, so one query can never stop the server.

pyoxigraph has no query timeout and can crash its process on hostile input, so the server
process never runs a client's query itself. The layout:

- The server process holds the only writable handle on the Oxigraph database and does
  every write (:class:`coprokg.server.engine.QueryService` serialises them).
- After each write the server writes a snapshot of the database (a RocksDB checkpoint:
  hard links to its immutable files, so cheap) into a new directory that nothing ever
  writes again.
- ``query_workers`` worker processes (multiprocessing, spawn) run queries sent to them
  over a pipe, each on the snapshot named in the request, opened read-only (and reopened
  when a newer snapshot is named), and answer with serialised bytes.
- A query that runs past ``query_timeout`` (even one computing for minutes before its
  first row) or that crashes its worker costs that worker only: it is killed and a fresh
  one is spawned, while the other workers go on answering.
- The workers also read each query with the check's parser (:meth:`WorkerPool.check`;
  the update worker reads each update), under the same time limit: rdflib can take minutes
  over a crafted text, which then costs a worker, not the server.
- Each worker first moves into a network namespace of its own with no network at all
  (:mod:`coprokg.server.sandbox`) and says whether that worked: its first message.

Readers never see half a write, and never open a database another process is writing
(which Oxigraph leaves undefined): a snapshot is made only once a write is complete,
and a query sees exactly one snapshot. Snapshots no worker has open any more are deleted.
"""

from __future__ import annotations

import multiprocessing
import queue
import re
import threading
from pathlib import Path

from coprokg.errors import QueryError, StoreError, UpdateFailed
from coprokg.server.results import NotAcceptable
from coprokg.server.safety import outbound_refused
from coprokg.store import fulldisk
from coprokg.store.search import IndexBuilding


STARTUP_TIMEOUT = 60.0  # seconds a worker may take to start (imports, on a busy machine)


class QueryTimeout(StoreError):
    kind = "query-timeout"
    noted = "stopped query"  # the server log's line for it (:mod:`coprokg.server.errors`)


class WorkerCrashed(StoreError):
    kind = "worker-crashed"
    noted = "query worker crashed"


class UpdateWorkerCrashed(WorkerCrashed):
    noted = "update worker crashed"


class Worker:
    def __init__(self, context, search_index: str):
        self.snapshot = ""  # the snapshot the worker has open
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, search_index), daemon=True)
        self.process.start()
        child.close()
        self.isolation: tuple[str | None] | None = None  # (None,) once isolated, (why not,) else

    def greeting(self, timeout: float | None = None) -> str | None:
        """Wait for the worker's first message: None when it has no network, else why it has."""
        if self.isolation is None:
            if not self.conn.poll(timeout):
                raise EOFError("the worker did not start")
            self.isolation = (self.conn.recv()[1],)
        return self.isolation[0]

    def ask(self, message: tuple, timeout: float | None):
        """Send a message; the reply, None past ``timeout``, or ("crashed", None) when the worker died."""
        try:
            self.greeting(STARTUP_TIMEOUT)  # a fresh worker's start does not count against the query
            self.conn.send(message)
            if not self.conn.poll(timeout):
                return None
            return self.conn.recv()
        except (EOFError, OSError):
            return ("crashed", None)

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class WorkerPool:
    def __init__(self, size: int, timeout: float, search_index: str):
        self.timeout = timeout
        self._search_index = search_index  # the full-text index SPARQL's search: functions read
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._workers = [Worker(self._context, search_index) for _ in range(size)]
        for worker in self._workers:
            self._idle.put(worker)

    def network_isolation(self) -> str | None:
        """None when the workers run without network; otherwise why they cannot (asks one worker,
        waiting for it to start)."""
        try:
            return self._workers[0].greeting(STARTUP_TIMEOUT)
        except (EOFError, OSError):
            return "the query worker did not start"

    def run(self, snapshot: str, text: str, options: dict, media_types: tuple[str, ...], max_rows: int):
        """Run a query in a worker on ``snapshot``; its :class:`coprokg.server.results.Answer` in the
        first of ``media_types`` that fits the kind of answer."""
        status, payload = self._exchange(("query", snapshot, text, options, media_types, max_rows), snapshot)
        if status == "ok":
            return payload
        if status == "not-acceptable":
            raise NotAcceptable(payload)
        if status == "search-building":
            raise IndexBuilding(payload)
        raise _failed(status, payload, "query")

    def check(self, text: str, what: str):
        """Parse a canonical query or update with the check's parser (:func:`coprokg.server.safety.parse`)
        in a worker, under the time limit: its :class:`~coprokg.server.safety.Checked`, or the
        check's error raised here."""
        return _checked(self._exchange(("check", text, what), None, what), what)

    def _exchange(self, message: tuple, snapshot: str | None, what: str = "query") -> tuple:
        """Send ``message`` to an idle worker; its reply. A worker past the time limit, or dead,
        is replaced and the request answered with :class:`QueryTimeout` / :class:`WorkerCrashed`."""
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise StoreError(
                "every query worker stayed busy for the whole time limit",
                hint="try again shortly, or raise COPROKG_QUERY_WORKERS",
            ) from None
        if not worker.process.is_alive():  # it died while idle: a fresh one takes the query
            worker = self._replace(worker)
        if snapshot is not None:
            worker.snapshot = snapshot
        reply = worker.ask(message, self.timeout)
        if reply is None or reply[0] == "crashed":
            worker = self._replace(worker)
        self._idle.put(worker)
        if reply is None:
            raise _timeout(self.timeout, message[0], what)
        if reply[0] == "crashed":
            raise WorkerCrashed(f"the {what} stopped its worker process", hint=f"simplify the {what}")
        return reply

    def alive(self) -> int:
        """How many workers are running."""
        return sum(worker.process.is_alive() for worker in self._workers)

    def snapshots_in_use(self) -> set[str]:
        return {worker.snapshot for worker in self._workers if worker.snapshot}

    def close(self) -> None:
        for worker in list(self._workers):
            worker.kill()

    def _replace(self, worker: Worker) -> Worker:
        worker.kill()
        fresh = Worker(self._context, self._search_index)
        self._workers[self._workers.index(worker)] = fresh
        return fresh


class UpdateWorker:
    """The one worker that runs updates, on the database the server hands over for each
    (:meth:`coprokg.store.EmbeddedStore.handed_over`): a crash costs this worker, not the
    server, and an update cut short is not committed (Oxigraph writes an update as one
    transaction)."""

    def __init__(self, timeout: float):
        self.timeout = timeout  # for reading an update; an update itself runs to its end
        self._context = multiprocessing.get_context("spawn")
        self._worker = Worker(self._context, "")  # it runs no query: no search index
        self._lock = threading.Lock()  # one message at a time on the pipe

    def check(self, text: str, what: str = "update"):
        """Parse an update with the check's parser here, under the time limit, as
        :meth:`WorkerPool.check` does for queries: updates never wait for a query worker."""
        reply = self._ask(("check", text, what), self.timeout)
        if reply is None:
            raise _timeout(self.timeout, "check", what)
        if reply[0] == "crashed":
            raise UpdateWorkerCrashed(f"the {what} stopped its worker process", hint=f"simplify the {what}")
        return _checked(reply, what)

    def run(self, directory: str, text: str, base_iri: str | None) -> None:
        reply = self._ask(("update", directory, text, base_iri), None)
        if reply[0] == "crashed":
            raise UpdateWorkerCrashed("the update stopped its worker process; nothing of it was written", where="update",
                                      hint="simplify the update")
        status, payload = reply
        if status == "update-failed":
            raise UpdateFailed(payload)
        if status == "full":
            raise fulldisk.full(str(Path(directory).parent), payload)
        if status != "ok":
            raise _failed(status, payload, "update")

    def write(self, directory: str, operation, args: tuple):
        """Run ``operation(store, *args)`` here on the store in ``directory`` (handed over as a
        whole: :meth:`coprokg.store.EmbeddedStore.handed_over` with ``as_store``); its result.
        ``operation`` is a module-level function (it crosses the pipe by name); the store's
        errors are raised here as they were there."""
        reply = self._ask(("write", directory, operation, args), None)
        if reply[0] == "crashed":
            raise UpdateWorkerCrashed("the write stopped its worker process; nothing of it was written", where="data",
                                      hint="check the data sent; if it is sound, send it again")
        status, payload = reply
        if status == "ok":
            return payload
        if status == "refused":
            raise rebuilt(*payload)
        raise StoreError(payload, where="data")

    def alive(self) -> bool:
        return self._worker.process.is_alive()

    def close(self) -> None:
        self._worker.kill()

    def _ask(self, message: tuple, timeout: float | None):
        """The worker's reply; None past ``timeout``; ("crashed", None) if it died. A worker
        that timed out or died is replaced."""
        with self._lock:
            reply = self._worker.ask(message, timeout)
            if reply is None or reply[0] == "crashed":
                self._worker.kill()
                self._worker = Worker(self._context, "")
            return reply


def _timeout(limit: float, step: str, what: str) -> QueryTimeout:
    if step == "check":
        return QueryTimeout(
            f"reading the {what} took longer than the {limit:g} s limit and was stopped",
            hint=f"write the {what} more simply (fewer nested operators), or raise COPROKG_QUERY_TIMEOUT",
        )
    return QueryTimeout(
        f"the query ran longer than the {limit:g} s limit and was stopped",
        hint="narrow the query (fewer unbound patterns, a LIMIT), or raise COPROKG_QUERY_TIMEOUT",
    )


def _failed(status: str, payload, what: str) -> Exception:
    """The error a query or update worker reported, as raised in this process."""
    if status == "query-error":
        return QueryError(payload[0], where=payload[1], hint=payload[2])
    if status == "outbound":
        return outbound_refused(what)
    return StoreError(payload, where=what)


def _checked(reply: tuple, what: str):
    """The Checked a worker read, or the check's own error raised in this process."""
    status, payload = reply
    if status == "checked":
        return payload
    if status == "refused":
        raise rebuilt(*payload)
    raise StoreError(payload, where=what)


def portable(error: Exception) -> tuple:
    """An error as it crosses the pipe: its class, arguments and attributes."""
    return type(error), error.args, dict(error.__dict__)


def rebuilt(kind: type, args: tuple, state: dict) -> Exception:
    error = kind.__new__(kind)
    error.args = args
    error.__dict__.update(state)
    return error


def _serve(conn, search_index: str) -> None:
    """A worker's loop: leave the network, then answer queries, each on the snapshot it names,
    opened read-only, or updates on the database handed over."""
    from coprokg.server.sandbox import cut_network

    conn.send(("isolation", cut_network()))  # first, while the process has a single thread

    from pyoxigraph import DefaultGraph, NamedNode, Store, Variable

    from coprokg import formats
    from coprokg.server import safety  # noqa: F401  (imported now, not at the first check)
    from coprokg.server.results import NotAcceptable, write
    from coprokg.store.base import syntax_error
    from coprokg.store.search import SearchIndex
    from coprokg.store.search_sparql import Functions

    by_media_type = {f.media_type: f for f in formats.RESULT_FORMATS + formats.GRAPH_FORMATS}
    db, opened = None, None
    while True:
        try:
            message = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if message[0] == "update":
            conn.send(_update(*message[1:]))
            continue
        if message[0] == "check":
            conn.send(_check(*message[1:]))
            continue
        if message[0] == "write":
            conn.send(_write(*message[1:]))
            continue
        _, snapshot, text, options, media_types, max_rows = message
        kwargs = {"use_default_graph_as_union": True}
        if options.get("default") is not None:
            kwargs = {"default_graph": [NamedNode(g) for g in options["default"]] or [DefaultGraph()]}
        if options.get("named") is not None:
            kwargs["named_graphs"] = [NamedNode(g) for g in options["named"]]
        if options.get("substitutions"):
            kwargs["substitutions"] = {Variable(name): term for name, term in options["substitutions"].items()}
        search = Functions(SearchIndex(search_index))
        kwargs["custom_functions"] = search.table()
        try:
            if opened != snapshot:
                db, opened = Store.read_only(snapshot), snapshot
            answer = write(db.query(text, **kwargs), [by_media_type[m] for m in media_types], max_rows)
            conn.send(("search-building", search.building.where) if search.building else ("ok", answer))
        except SyntaxError as error:
            problem = syntax_error("query", error, text)
            conn.send(("query-error", (problem.message, problem.where, problem.hint)))
        except NotAcceptable as error:
            conn.send(("not-acceptable", error.answers))
        except (OSError, RuntimeError) as error:
            if reaches_out(text):  # the one answer for any outbound attempt: no detail of the target
                conn.send(("outbound", None))
                continue
            db, opened = None, None
            conn.send(("store-error", f"cannot read the store: {error}"))


def _check(text: str, what: str) -> tuple:
    """Read a canonical text with the check's parser: ("checked", Checked) or ("refused", error)."""
    from coprokg.errors import CoprokgError
    from coprokg.server.safety import parse

    try:
        return ("checked", parse(text, what))
    except CoprokgError as error:
        return ("refused", portable(error))


def _write(directory: str, operation, args: tuple) -> tuple:
    """Open the store handed over and run ``operation(store, *args)``: ("ok", result) or ("refused", error)."""
    import gc

    from coprokg.errors import CoprokgError
    from coprokg.store.embedded import EmbeddedStore

    store = None
    try:
        store = EmbeddedStore(directory)
        return ("ok", operation(store, *args))
    except CoprokgError as error:
        return ("refused", portable(error))
    except Exception as error:  # a fault of the write's own, told as such
        return ("failed", f"the write failed: {type(error).__name__}: {error}")
    finally:
        if store is not None:
            store.close()
        del store
        gc.collect()  # nothing of the write may hold the database once the answer goes: the server reopens it


def _update(directory: str, text: str, base_iri: str | None) -> tuple:
    """Run an update on the database in ``directory``, opened for writing for it alone."""
    from pyoxigraph import Store

    from coprokg.store.base import syntax_error

    try:
        db = Store(directory)
    except OSError as error:
        return ("store-error", f"cannot open the store for writing: {error}")
    try:
        db.update(text, base_iri=base_iri)
        db.flush()
        return ("ok", None)
    except SyntaxError as error:
        problem = syntax_error("update", error, text)
        return ("query-error", (problem.message, problem.where, problem.hint))
    except (OSError, RuntimeError) as error:
        if reaches_out(text):
            return ("outbound", None)
        if isinstance(error, OSError) and fulldisk.is_full(error):
            return ("full", " ".join(str(error).split()))
        return ("update-failed", str(error)) if isinstance(error, RuntimeError) else ("store-error", f"cannot write the store: {error}")
    finally:
        del db  # closes the database before the answer goes: the server reopens it


_OUTBOUND_WORD = re.compile(r"\b(?:service|load)\b", re.IGNORECASE)  # "loads" or "download" are not


def reaches_out(text: str) -> bool:
    """Whether a text that failed could have failed reaching out (it names SERVICE or LOAD)."""
    return _OUTBOUND_WORD.search(text) is not None
