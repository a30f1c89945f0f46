"""Scale benchmark: every catalog question at N papers, directly on the store and over HTTP.

N papers of :mod:`bench.corpus` (the CSV template a librarian fills) are loaded through the
real loaders, 10,000 records a load, into an embedded store seeded as usual (ontology and
curated data). The store is kept in ``bench/.cache/<N>/`` (ignored by git), so later runs start
at once; a build that was stopped goes on from its last finished load. The cache records what
its derived graphs were computed with (:func:`derivations_fingerprint`): when only the
derivations changed since (``store/derived.py``'s registry, ``store/``, the rules), one refresh
of the derived graphs brings it up to date, rather than loading every paper again. Then, for
every question of the catalog with its default parameters, in rounds:

- direct: the question's text on a read-only copy of the store through pyoxigraph, with
  SPARQL JSON serialisation (in a child process, stopped after 60 s);
- http: ``GET /queries/<name>`` from a real ``coprokg serve`` (its cache off) on loopback;

and prints the median of the rounds, the answer's rows and bytes, and the server's resident
memory (the server and its query workers, at their peak). The server is timed once its
full-text index is built (the first start on a new store builds it). Goal: every question under
2 s at 100,000 papers, the server under 2 GB.

    .venv/bin/python bench/bench_scale.py [--papers 100000] [--runs 5] [--only most-cited ...] [--direct]
                                          [--before REVISION] [--virtuoso]

``--direct`` times the questions on pyoxigraph only, without starting a server (whose first
start on a new store builds the full-text index). ``--before REVISION`` also times, directly and
in turns with it, each question as the git revision had it (``git show REVISION:queries/...``),
and prints the ratio of the two: the baseline for a rewrite, measured under the same load.
``--virtuoso`` bulk-loads the same quads (the snapshot's dump) into a scratch Virtuoso 7 and times
each question POSTed to Virtuoso's own ``/sparql`` (the baseline) and through a ``coprokg serve``
on that Virtuoso, in turns, with the ratio and each side's rows beside the embedded store's.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import queue
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from pyoxigraph import QueryResultsFormat, RdfFormat, Store

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import corpus, timing  # noqa: E402
from tests.support import free_port, virtuoso_binary, wait_for  # noqa: E402

CACHE = Path(__file__).resolve().parent / ".cache"
PER_LOAD = 10_000
SLOW = 20.0  # a question slower than this (s) is run once, not in rounds
CAP = 60.0  # a direct run still going after this (s) is stopped


def build(papers: int) -> Path:
    """The cached store of ``papers`` papers, made first if missing, finished if a build was
    stopped (each load is all or nothing: the loads done are kept, ``loaded`` names them), and
    brought up to date by one refresh of the derived graphs if the derivations changed since."""
    from coprokg.bootstrap import initialise
    from coprokg.loaders import load_files
    from coprokg.store import EmbeddedStore

    folder = CACHE / str(papers)
    if (folder / "complete").exists():
        _refreshed(folder)
        return folder / "store"
    started = time.perf_counter()
    # What this process derives with, as it was when it started: a file edited during the
    # build (it takes most of an hour at 100,000 papers) is not what the loads' refreshes ran.
    fingerprint = derivations_fingerprint()
    loaded = folder / "loaded"
    if not loaded.exists():
        shutil.rmtree(folder, ignore_errors=True)
        files = corpus.write_csv(corpus.papers(papers), folder / "csv", PER_LOAD)
        loaded.write_text("")
        print(f"generated {papers} papers in {time.perf_counter() - started:.0f} s", flush=True)
    files = sorted((folder / "csv").glob("*.csv"))
    done = set(loaded.read_text().split())
    if done:
        print(f"resuming: {len(done)} of {len(files)} loads done", flush=True)
    store = EmbeddedStore(folder / "store")
    if store.is_new():
        initialise(store)
    for path in files:
        if path.name in done:
            continue
        begun = time.perf_counter()
        report = load_files(store, [path])
        with loaded.open("a") as out:
            out.write(path.name + "\n")
        print(f"  {path.name}: {report.summary().splitlines()[0]} ({time.perf_counter() - begun:.0f} s, "
              f"peak memory {_peak_mb():,.0f} MB)", flush=True)
    shutil.rmtree(folder / "read-only", ignore_errors=True)
    store.snapshot(folder / "read-only")
    quads = store.count()
    store.close()
    shutil.rmtree(folder / "csv")
    (folder / "built-with").write_text(fingerprint + "\n")
    (folder / "complete").write_text(f"{quads}\n")
    print(f"built {papers} papers, {quads} quads, in {time.perf_counter() - started:.0f} s", flush=True)
    return folder / "store"


def derivations_fingerprint() -> str:
    """What the derived graphs are computed with: the registry's names and methods and every
    file they are computed by or from (``store/``, the modules of the derive functions, the
    inference rules, the ontology's sources), hashed. A cached store built with another
    fingerprint needs its ontology graph written again and one refresh."""
    import hashlib
    import inspect

    from coprokg.ontology.files import source_files
    from coprokg.store import derived

    digest = hashlib.sha256()
    for derivation in derived.DERIVATIONS:
        digest.update(f"{derivation.name} {derivation.graph} {derivation.method}\n".encode())
    sources = {Path(inspect.getsourcefile(d.derive)).resolve() for d in derived.DERIVATIONS}
    for folder in (REPO / "store", REPO / "ontology" / "rules"):
        sources.update(path.resolve() for path in folder.rglob("*") if path.is_file() and "__pycache__" not in path.parts)
    sources.update(path.resolve() for path in source_files())
    for path in sorted(sources):
        digest.update(f"{path.relative_to(REPO)}\n".encode() + path.read_bytes())
    return digest.hexdigest()


def _refreshed(folder: Path) -> None:
    """Bring a cached store up to date with the derivations, when they changed since it was
    built or last refreshed: the ontology graph written again from its sources (the
    derivations may use new terms) and one refresh of the derived graphs, all or nothing, as
    seeding does; then a new read-only snapshot."""
    from coprokg.bootstrap import ONTOLOGY_GRAPH, ontology_triples
    from coprokg.store import EmbeddedStore, derived

    fingerprint = derivations_fingerprint()
    recorded = folder / "built-with"
    if recorded.exists() and recorded.read_text().strip() == fingerprint:
        return
    begun = time.perf_counter()
    store = EmbeddedStore(folder / "store")
    with derived.refreshed(store, [ONTOLOGY_GRAPH]):
        store.add_graph(ONTOLOGY_GRAPH, ontology_triples(), replace=True)
    graphs = " ".join(str(d.graph) for d in derived.DERIVATIONS)
    count = int(next(iter(store.query(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {graphs} }} GRAPH ?g {{ ?s ?p ?o }} }}")))["n"].value)
    shutil.rmtree(folder / "read-only")
    store.snapshot(folder / "read-only")
    quads = store.count()
    store.close()
    (folder / "complete").write_text(f"{quads}\n")
    recorded.write_text(fingerprint + "\n")
    print(f"derivations changed: refreshed the derived graphs ({count:,} triples) in "
          f"{time.perf_counter() - begun:.0f} s, peak memory {_peak_mb():,.0f} MB; {quads:,} quads", flush=True)


def _peak_mb() -> float:
    """This process's peak resident memory, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def direct_times(snapshot: Path, text: str, rounds: int) -> tuple[int, list[float]]:
    """Rows and times of ``rounds`` direct runs (one if the first is slow), in a child process
    stopped after CAP seconds a round (pyoxigraph has no timeout): (-1, [inf]) when stopped."""
    def child(out):
        db = Store.read_only(str(snapshot))
        run = lambda: db.query(text, use_default_graph_as_union=True).serialize(format=QueryResultsFormat.JSON)  # noqa: E731
        first = timing.seconds(run)
        times = [first] + [timing.seconds(run) for _ in range(rounds - 1 if first < SLOW else 0)]
        out.put((len(list(db.query(text, use_default_graph_as_union=True))), times))

    context = multiprocessing.get_context("fork")
    out = context.Queue()
    process = context.Process(target=child, args=(out,))
    process.start()
    try:
        return out.get(timeout=CAP * rounds)
    except queue.Empty:
        return -1, [float("inf")]
    finally:
        process.kill()
        process.join()


def seconds(value: float) -> str:
    return f"> {CAP:g}" if value == float("inf") else f"{value:.2f}"


def http_get(url: str, accept: str = "application/sparql-results+json") -> bytes:
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=600) as response:
        return response.read()


def tree_kb(pid: int, field: str) -> int:
    """``field`` (VmRSS, VmHWM) of a process and all its descendants, in kB."""
    return sum(each_kb(pid, field).values())


def each_kb(pid: int, field: str) -> dict[int, int]:
    """``field`` (VmRSS, VmHWM) of a process and of each of its descendants, in kB, by pid."""
    found, pending = {}, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            found[current] = int(next(line.split()[1] for line in status.splitlines() if line.startswith(field + ":")))
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(child) for child in (task / "children").read_text().split())
        except (OSError, StopIteration):
            continue
    return found


class MemoryWatch:
    """The resident memory of a process and its descendants, sampled every half second from
    start to :meth:`stop`: the peak of their sum (a worker replaced meanwhile takes its own peak
    with it, which VmHWM at the end would miss), and the processes' shares at that moment."""

    def __init__(self, pid: int):
        self.pid, self.peak, self.shares = pid, 0, {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(0.5):
            self._sample()

    def _sample(self) -> None:
        shares = each_kb(self.pid, "VmRSS")
        if sum(shares.values()) > self.peak:
            self.peak, self.shares = sum(shares.values()), shares

    def stop(self) -> str:
        self._stop.set()
        self._thread.join()
        self._sample()
        server = self.shares.get(self.pid, 0)
        others = sorted((kb for pid, kb in self.shares.items() if pid != self.pid), reverse=True)
        return (f"{self.peak / 1024:,.0f} MB at the peak (sampled every 0.5 s): the server process "
                f"{server / 1024:,.0f} MB, its {len(others)} worker processes "
                f"{', '.join(f'{kb / 1024:,.0f}' for kb in others) or '-'} MB")


def query_at(revision: str, path: str, values: dict[str, str] | None = None) -> str | None:
    """The ``.rq`` file at ``path`` (from the repository's root) as ``revision`` had it, with
    ``values`` bound, ready to run; None if it had none."""
    from coprokg.queries import catalog

    shown = subprocess.run(["git", "show", f"{revision}:{path}"], cwd=REPO, capture_output=True, text=True)
    if shown.returncode != 0:
        return None
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / Path(path).name
        copy.write_text(shown.stdout, encoding="utf-8")
        return catalog.read(copy).sparql(values)


def timed_pair(snapshot: Path, text: str, before: str | None, rounds: int) -> tuple[int, list[float], list[float]]:
    """Rows, then times of ``text`` and of ``before`` run in turns, one round each at a time,
    so that neither always comes second to a warm cache; one round if the first is slow."""
    rows, now, then = -1, [], []
    for _ in range(rounds):
        rows, times = direct_times(snapshot, text, 1)
        now += times
        if before is not None:
            then += direct_times(snapshot, before, 1)[1]
        if max(now[0], then[0] if then else 0) >= SLOW:
            break
    return rows, now, then


def _compared(then: list[float], now: float) -> str:
    """`` before s | ratio |`` cells, or nothing without a baseline."""
    if not then:
        return " - | - |"
    before = statistics.median(then)
    ratio = "-" if before == float("inf") or now == float("inf") else f"{now / before:.2f}"
    return f" {seconds(before)} | {ratio} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", nargs="*", help="names of the questions to time (default: all)")
    parser.add_argument("--direct", action="store_true", help="time directly on pyoxigraph only, with no server")
    parser.add_argument("--before", metavar="REVISION", help="also time each question as this git revision had it")
    parser.add_argument("--virtuoso", action="store_true",
                        help="time on a Virtuoso holding the same quads: its own /sparql, and coprokg serve in front of it")
    args = parser.parse_args()
    from coprokg.queries import catalog

    store_path = build(args.papers)
    questions = [q for q in catalog.catalog() if not args.only or q.name in args.only]
    if args.virtuoso:
        on_virtuoso(store_path.parent, questions, args.runs)
        return
    quads = int((store_path.parent / "complete").read_text())
    env = {**os.environ, "COPROKG_STORE": str(store_path), **SERVER_ENV}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = None if args.direct else subprocess.Popen(
        [sys.executable, "-m", "coprokg", "serve", "--port", str(port)], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        watch = None
        if server is not None:
            begun, watch = time.perf_counter(), MemoryWatch(server.pid)
            wait_for(f"{base}/health", server, timeout=INDEX_WAIT)  # a store without a search index gets one first
            print(f"server answering after {time.perf_counter() - begun:.0f} s (its full-text index built); "
                  f"memory while starting: {watch.stop()}", flush=True)
            watch = MemoryWatch(server.pid)
        print(f"\n{args.papers:,} papers, {quads:,} quads; median of {args.runs} rounds, cache off; "
              f"load average {_load()}\n")
        extra = ("| before s | ratio ", "|---|---") if args.before else ("", "")
        print(f"| question | rows | bytes over HTTP | direct s | HTTP s {extra[0]}|\n|---|---|---|---|---{extra[1]}|")
        rows_seen = _rows_file(store_path.parent)
        for query in questions:
            snapshot = store_path.parent / "read-only"
            if args.before:
                rows, direct, then = timed_pair(snapshot, query.sparql(), query_at(args.before, f"queries/{query.name}.rq"), args.runs)
            else:
                rows, direct = direct_times(snapshot, query.sparql(), args.runs)
            _remember_rows(store_path.parent, rows_seen, query, rows)
            http_times, size = [], "-"
            for _ in range(0 if server is None else len(direct)):
                try:
                    begun = time.perf_counter()
                    size = len(http_get(f"{base}/queries/{query.name}"))
                    http_times.append(time.perf_counter() - begun)
                except urllib.error.HTTPError as error:
                    http_times.append(float("inf"))
                    size = f"HTTP {error.code}"
            http = seconds(statistics.median(http_times)) if http_times else "-"
            compared = _compared(then, statistics.median(direct)) if args.before else ""
            print(f"| `{query.name}` | {rows if rows >= 0 else '?'} | {size} | {seconds(statistics.median(direct))} | "
                  f"{http} |{compared}", flush=True)
        if server is not None:
            print(f"\nserver memory while answering: {watch.stop()}")
            print(f"server memory: {tree_kb(server.pid, 'VmRSS') / 1024:,.0f} MB resident now, "
                  f"{tree_kb(server.pid, 'VmHWM') / 1024:,.0f} MB at the peak (server and query workers summed); "
                  f"load average {_load()}")
    finally:
        if server is not None:
            server.terminate()
            server.wait(60)


SERVER_ENV = {
    "COPROKG_CACHE_ENTRIES": "0",
    "COPROKG_QUERY_TIMEOUT": str(CAP),  # stopped when a direct run would be
    "COPROKG_STORE_TIMEOUT": str(CAP),
    "COPROKG_SEARCH_WAIT": "3600",  # answer only once the full-text index is built, not while it is
    "PYTHONPATH": str(REPO),
}
INDEX_WAIT = 3600


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _rows_file(folder: Path) -> dict:
    import json

    path = folder / "rows.json"
    return json.loads(path.read_text()) if path.exists() else {}


def _remember_rows(folder: Path, seen: dict, query, rows: int) -> None:
    """Keep the rows of a direct run, with a hash of the question's text, for the Virtuoso run."""
    import hashlib
    import json

    if rows >= 0:
        seen[query.name] = [hashlib.sha256(query.sparql().encode()).hexdigest(), rows]
        (folder / "rows.json").write_text(json.dumps(seen, indent=1))


def on_virtuoso(folder: Path, questions: list, runs: int) -> None:
    """The cached store's quads bulk-loaded into a scratch Virtuoso (the tests' virtuoso.ini with
    the README's 2 GB page cache and a CAP-second limit a query), then every question in turns:
    POSTed to Virtuoso's own /sparql (the baseline) and ``GET /queries/<name>`` from a
    ``coprokg serve`` on that Virtuoso (cache off); medians, rows (beside the embedded store's
    from a direct run) and the ratio."""
    import hashlib

    from tests.conftest import VIRTUOSO_INI

    quads = int((folder / "complete").read_text())
    with tempfile.TemporaryDirectory(prefix="coprokg-virtuoso-") as scratch:
        work = Path(scratch)
        begun = time.perf_counter()
        dumped = _dump_for_virtuoso(folder, work / "data.nq")
        print(f"dumped {dumped:,} quads in {time.perf_counter() - begun:.0f} s", flush=True)
        sql_port, http_port = free_port(), free_port()
        ini = VIRTUOSO_INI.format(sql_port=sql_port, http_port=http_port, folder=work)
        ini = ini.replace("NumberOfBuffers = 10000", "NumberOfBuffers = 170000").replace(
            "MaxDirtyBuffers = 6000", "MaxDirtyBuffers = 130000").replace(
            "MaxQueryExecutionTime = 0", f"MaxQueryExecutionTime = {CAP:g}")
        (work / "virtuoso.ini").write_text(ini)
        virtuoso = subprocess.Popen([virtuoso_binary(), "+foreground", "+configfile", "virtuoso.ini"], cwd=work,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        server = None
        try:
            url = f"http://127.0.0.1:{http_port}/sparql"
            wait_for(f"{url}?query=ASK%7B%7D", virtuoso, timeout=120)
            begun = time.perf_counter()
            _isql(sql_port, f"ld_dir('.', 'data.nq', '{FALLBACK_GRAPH}'); rdf_loader_run(); checkpoint;")
            failed = _isql(sql_port, "SELECT ll_file, ll_error FROM DB.DBA.LOAD_LIST WHERE ll_error IS NOT NULL;")
            loaded = _virtuoso_count(url)
            print(f"bulk-loaded into Virtuoso in {time.perf_counter() - begun:.0f} s: {loaded:,} quads in its graphs "
                  f"({dumped:,} dumped)", flush=True)
            if not re.search(r"\b0 Rows\.", failed):
                print(f"Virtuoso's loader reported errors:\n{failed}", flush=True)
            env = {**os.environ, "COPROKG_STORE": url, **SERVER_ENV}
            # A first server builds the full-text index (in the scratch folder's var/search), with
            # time enough for the store to answer its questions; the timed one finds it built.
            begun = time.perf_counter()
            server, base = _serve({**env, "COPROKG_STORE_TIMEOUT": str(INDEX_WAIT)}, work, work / "index.log")
            indexed = _searchable(base)
            server.terminate()
            server.wait(120)
            print(f"coprokg serve on Virtuoso built its full-text index in {time.perf_counter() - begun:.0f} s"
                  if indexed else f"coprokg serve on Virtuoso could not build its full-text index: "
                  f"{_last_error(work / 'index.log')}", flush=True)
            server, base = _serve(env, work, work / "serve.log")
            watch = MemoryWatch(server.pid)
            print(f"\n{quads:,} quads (embedded store) on Virtuoso; median of {runs} rounds in turns, coprokg's cache "
                  f"off; load average {_load()}\n")
            print("| question | rows (embedded) | rows Virtuoso | rows coprokg | Virtuoso /sparql s | coprokg HTTP s | ratio |")
            print("|---|---|---|---|---|---|---|")
            seen, notes = _rows_file(folder), []
            for query in questions:
                text = query.sparql()
                known = seen.get(query.name)
                if known and known[0] == hashlib.sha256(text.encode()).hexdigest():
                    embedded = known[1]
                else:
                    embedded = direct_times(folder / "read-only", text, 1)[0]
                theirs, ours = [], []
                for round in range(runs):  # in turns, each first every other round (Virtuoso keeps plans)
                    for side in ((theirs, ours) if round % 2 == 0 else (ours, theirs)):
                        fetch = (lambda: _post_query(url, text)) if side is theirs else (
                            lambda: http_get(f"{base}/queries/{query.name}"))
                        side.append(_timed_answer(fetch))
                    if min(theirs[-1][0], ours[-1][0]) >= SLOW:
                        break
                virtuoso_rows, coprokg_rows = theirs[-1][1], ours[-1][1]
                for side, (_, _, problem) in (("Virtuoso", theirs[-1]), ("coprokg", ours[-1])):
                    if problem:
                        notes.append(f"`{query.name}` on {side}: {problem}")
                a, b = statistics.median(t[0] for t in theirs), statistics.median(t[0] for t in ours)
                ratio = "-" if float("inf") in (a, b) else f"{b / a:.2f}"
                answered = {rows for rows in (virtuoso_rows, coprokg_rows) if rows >= 0}
                differs = " (differs)" if embedded >= 0 and answered - {embedded} else ""
                print(f"| `{query.name}` | {embedded if embedded >= 0 else '?'} | {_rows(virtuoso_rows)} | "
                      f"{_rows(coprokg_rows)}{differs} | {seconds(a)} | {seconds(b)} | {ratio} |", flush=True)
            print(f"\ncoprokg serve memory while answering: {watch.stop()}; Virtuoso: "
                  f"{tree_kb(virtuoso.pid, 'VmHWM') / 1024:,.0f} MB at the peak; load average {_load()}")
            for note in notes:
                print(f"- {note}")
        finally:
            for process in (server, virtuoso):
                if process is not None:
                    process.terminate()
                    process.wait(120)


def _serve(env: dict, cwd: Path, log: Path) -> tuple[subprocess.Popen, str]:
    """A ``coprokg serve`` on loopback, answering; with its base URL."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "coprokg", "serve", "--port", str(port)], env=env, cwd=cwd,
                              stdout=subprocess.DEVNULL, stderr=log.open("wb"))
    _wait_answering(f"http://127.0.0.1:{port}/health", server)
    return server, f"http://127.0.0.1:{port}"


def _wait_answering(url: str, process: subprocess.Popen) -> None:
    """Wait until ``url`` answers, one request at a time, each given all the time it takes:
    /health counts the store's quads, which takes Virtuoso 24 s at 100,000 papers, and
    requests given up after a few seconds only queue up behind it in the server."""
    deadline = time.monotonic() + INDEX_WAIT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"coprokg serve exited with {process.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=INDEX_WAIT) as response:
                response.read()
                return
        except OSError:
            time.sleep(1)
    raise RuntimeError(f"nothing answered {url} within {INDEX_WAIT} s")


def _searchable(base: str) -> bool:
    """Whether the server's search answers (not 503 while its index is being built or missing)."""
    try:
        http_get(f"{base}/search?q=coproduction")
        return True
    except urllib.error.HTTPError:
        return False


def _last_error(log: Path) -> str:
    lines = [line for line in log.read_text(errors="replace").splitlines() if "Error" in line or "Timeout" in line]
    return lines[-1].strip() if lines else f"see {log}"


FALLBACK_GRAPH = "urn:coprokg:bench:default-graph"  # where Virtuoso's loader puts quads of no graph (none expected)


def _dump_for_virtuoso(folder: Path, target: Path) -> int:
    """The cached store's quads as N-Quads, from its read-only snapshot (so that a server may
    have the store open meanwhile), with the data version coprokg keeps in a remote store's
    ``graph/store``, so that ``coprokg serve`` finds the store seeded."""
    from pyoxigraph import Literal, Quad, serialize

    from coprokg.store.remote import DATA_VERSION, META_GRAPH

    snapshot = Store.read_only(str(folder / "read-only"))
    version = (folder / "store" / "version").read_text().strip()  # the embedded store's (coprokg.store.embedded)
    with target.open("wb") as out:
        snapshot.dump(out, RdfFormat.N_QUADS)
        out.write(serialize([Quad(META_GRAPH, DATA_VERSION, Literal(version), META_GRAPH)], format=RdfFormat.N_QUADS))
    return len(snapshot)


def _isql(port: int, statements: str) -> str:
    done = subprocess.run([virtuoso_binary("isql-vt"), str(port), "dba", "dba", f"exec={statements}"],
                          capture_output=True, text=True, timeout=24 * 3600)
    if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
        raise RuntimeError(f"isql failed on {statements!r}: {done.stdout[-2000:]} {done.stderr[-2000:]}")
    return done.stdout.strip()


def _virtuoso_count(url: str) -> int:
    from coprokg.store import RemoteStore

    return RemoteStore(url, timeout=600).count()


def _post_query(url: str, text: str) -> bytes:
    """The query POSTed to a SPARQL endpoint as a form, as coprokg's remote store sends it."""
    body = urllib.parse.urlencode({"query": text}).encode()
    request = urllib.request.Request(url, data=body, headers={
        "Accept": "application/sparql-results+json", "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request, timeout=CAP * 2) as response:
        if response.headers.get("X-SQL-State"):  # an anytime answer: cut at MaxQueryExecutionTime
            raise PartialAnswer(f"partial answer after {CAP:g} s ({response.headers['X-SQL-State']}: "
                                f"{response.headers.get('X-SQL-Message', '')})")
        return response.read()


class PartialAnswer(Exception):
    pass


def _timed_answer(fetch) -> tuple[float, int, str]:
    """Seconds, rows and problem ('' if none) of one answer; inf seconds and -1 rows if none came."""
    import json

    begun = time.perf_counter()
    try:
        body = fetch()
    except urllib.error.HTTPError as error:
        first = error.read().decode("utf-8", "replace").strip().splitlines()
        return float("inf"), -1, f"HTTP {error.code}: {first[0][:300] if first else ''}"
    except (PartialAnswer, OSError) as error:
        return float("inf"), -1, str(error)
    took = time.perf_counter() - begun
    answer = json.loads(body)
    return took, len(answer["results"]["bindings"]) if "results" in answer else 1, ""


def _rows(count: int) -> str:
    return "?" if count < 0 else str(count)


if __name__ == "__main__":
    main()
