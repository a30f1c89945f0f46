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
memory (the server and its query workers, at their peak). Goal: every question under 2 s
at 100,000 papers, the server under 2 GB.

    .venv/bin/python bench/bench_scale.py [--papers 100000] [--runs 5] [--only most-cited ...] [--direct]
                                          [--before REVISION]

``--direct`` times the questions on pyoxigraph only, without starting a server (whose first
start on a new store builds the full-text index). ``--before REVISION`` also times, directly and
in turns with it, each question as the git revision had it (``git show REVISION:queries/...``),
and prints the ratio of the two: the baseline for a rewrite, measured under the same load.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import queue
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from pyoxigraph import QueryResultsFormat, Store

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import corpus  # noqa: E402
from tests.support import free_port, wait_for  # noqa: E402

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
    (folder / "built-with").write_text(derivations_fingerprint() + "\n")
    (folder / "complete").write_text(f"{quads}\n")
    print(f"built {papers} papers, {quads} quads, in {time.perf_counter() - started:.0f} s", flush=True)
    return folder / "store"


def derivations_fingerprint() -> str:
    """What the derived graphs are computed with: the registry's names and methods and every
    file they are computed by (``store/``, the modules of the derive functions, the inference
    rules), hashed. A cached store built with another fingerprint needs one refresh."""
    import hashlib
    import inspect

    from coprokg.store import derived

    digest = hashlib.sha256()
    for derivation in derived.DERIVATIONS:
        digest.update(f"{derivation.name} {derivation.graph} {derivation.method}\n".encode())
    sources = {Path(inspect.getsourcefile(d.derive)).resolve() for d in derived.DERIVATIONS}
    for folder in (REPO / "store", REPO / "ontology" / "rules"):
        sources.update(path.resolve() for path in folder.rglob("*") if path.is_file() and "__pycache__" not in path.parts)
    for path in sorted(sources):
        digest.update(f"{path.relative_to(REPO)}\n".encode() + path.read_bytes())
    return digest.hexdigest()


def _refreshed(folder: Path) -> None:
    """Bring a cached store up to date with the derivations by one refresh (all or nothing) and
    a new read-only snapshot, when they changed since it was built or last refreshed."""
    from coprokg.store import EmbeddedStore, derived

    fingerprint = derivations_fingerprint()
    recorded = folder / "built-with"
    if recorded.exists() and recorded.read_text().strip() == fingerprint:
        return
    begun = time.perf_counter()
    store = EmbeddedStore(folder / "store")
    with store.undoable(derived.derived_graphs()):
        count = derived.refresh(store)
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


def timed(fn) -> float:
    begun = time.perf_counter()
    fn()
    return time.perf_counter() - begun


def direct_times(snapshot: Path, text: str, rounds: int) -> tuple[int, list[float]]:
    """Rows and times of ``rounds`` direct runs (one if the first is slow), in a child process
    stopped after CAP seconds a round (pyoxigraph has no timeout): (-1, [inf]) when stopped."""
    def child(out):
        db = Store.read_only(str(snapshot))
        run = lambda: db.query(text, use_default_graph_as_union=True).serialize(format=QueryResultsFormat.JSON)  # noqa: E731
        first = timed(run)
        times = [first] + [timed(run) for _ in range(rounds - 1 if first < SLOW else 0)]
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


def http_get(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=600) as response:
        return response.read()


def tree_kb(pid: int, field: str) -> int:
    """``field`` (VmRSS, VmHWM) of a process and all its descendants, in kB."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith(field + ":")))
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(child) for child in (task / "children").read_text().split())
        except (OSError, StopIteration):
            continue
    return total


def _before_text(revision: str, name: str) -> str | None:
    """The question ``name`` as ``revision`` had it, ready to run; None if it had none."""
    from coprokg.queries import catalog

    shown = subprocess.run(["git", "show", f"{revision}:queries/{name}.rq"], cwd=REPO, capture_output=True, text=True)
    if shown.returncode != 0:
        return None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{name}.rq"
        path.write_text(shown.stdout, encoding="utf-8")
        return catalog.read(path).sparql()


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
    args = parser.parse_args()
    from coprokg.queries import catalog

    store_path = build(args.papers)
    quads = int((store_path.parent / "complete").read_text())
    env = {**os.environ, "COPROKG_STORE": str(store_path), "COPROKG_CACHE_ENTRIES": "0", "PYTHONPATH": str(REPO)}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = None if args.direct else subprocess.Popen(
        [sys.executable, "-m", "coprokg", "serve", "--port", str(port)], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if server is not None:
            wait_for(f"{base}/health", server, timeout=1800)  # a store without a search index gets one first
        print(f"\n{args.papers:,} papers, {quads:,} quads; median of {args.runs} rounds, cache off\n")
        extra = ("| before s | ratio ", "|---|---") if args.before else ("", "")
        print(f"| question | rows | bytes over HTTP | direct s | HTTP s {extra[0]}|\n|---|---|---|---|---{extra[1]}|")
        for query in catalog.catalog():
            if args.only and query.name not in args.only:
                continue
            snapshot = store_path.parent / "read-only"
            if args.before:
                rows, direct, then = timed_pair(snapshot, query.sparql(), _before_text(args.before, query.name), args.runs)
            else:
                rows, direct = direct_times(snapshot, query.sparql(), args.runs)
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
            print(f"\nserver memory: {tree_kb(server.pid, 'VmRSS') / 1024:,.0f} MB resident now, "
                  f"{tree_kb(server.pid, 'VmHWM') / 1024:,.0f} MB at the peak (server and query workers summed)")
    finally:
        if server is not None:
            server.terminate()
            server.wait(60)


if __name__ == "__main__":
    main()
