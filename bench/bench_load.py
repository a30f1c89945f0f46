"""Load benchmark: N synthetic BibTeX records end to end (parse, merge, tag, validate, commit).

Prints records per second, peak memory, the ratio to pyoxigraph's own bulk load of the
same triples, and the share of the load spent refreshing the derived graphs (the inference
graph and the summaries: the load with and without the refresh). Goal: 10,000 records at 1,000 records/s or more, under 1 GB.

    .venv/bin/python bench/bench_load.py [N]
"""

from __future__ import annotations

import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pyoxigraph import RdfFormat, Store as Oxigraph, parse, serialize  # noqa: E402

from coprokg.bootstrap import initialise  # noqa: E402
from coprokg.loaders import load_files  # noqa: E402
from coprokg.loaders.history import load_graph  # noqa: E402
from coprokg.store import EmbeddedStore, derived  # noqa: E402

WORDS = ("co-design public services citizens value co-creation group level inclusion health care "
         "administration participation tokenism community delivery evaluation co-production").split()
FAMILIES = ("Eriksson", "Robert", "Kjellström", "Müller", "Smith", "Osborne", "Bovaird", "Ostrom", "Brandsen")


def synthetic_bibtex(n: int, seed: int = 1) -> str:
    """``n`` valid, distinct BibTeX records, with LaTeX accents, DOIs on most, abstracts on all."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        title = " ".join(rng.choice(WORDS) for _ in range(8)).capitalize() + f" {i}"
        authors = " and ".join(f"{rng.choice(FAMILIES)}, {chr(65 + rng.randrange(26))}." for _ in range(rng.randint(1, 4)))
        authors = authors.replace("Kjellström", "Kjellstr{\\\"o}m")
        doi = f"  doi = {{10.5555/bench.{i}}},\n" if i % 4 else ""
        abstract = " ".join(rng.choice(WORDS) for _ in range(60))
        out.append(f"@article{{rec{i},\n  title = {{{title}}},\n  author = {{{authors}}},\n"
                   f"  journal = {{Journal of {rng.choice(WORDS).title()}}},\n  year = {{{rng.randint(1970, 2024)}}},\n"
                   f"  volume = {{{rng.randint(1, 40)}}},\n  pages = {{{i % 300 + 1}--{i % 300 + 15}}},\n{doi}"
                   f"  abstract = {{{abstract}}},\n  keywords = {{co-design; inclusion}}\n}}\n")
    return "\n".join(out)


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (the validation workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_mb() -> float:
    """Peak resident memory of this process plus that of its largest finished child."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return (own.ru_maxrss + children.ru_maxrss) / 1024


class Timed:
    """Wraps :func:`derived.refresh` to time the refreshes a load runs."""

    def __init__(self, refresh):
        self.refresh, self.seconds, self.cpu, self.triples = refresh, 0.0, 0.0, 0

    def __call__(self, store):
        start, cpu = time.perf_counter(), cpu_seconds()
        self.triples = self.refresh(store)
        self.seconds += time.perf_counter() - start
        self.cpu += cpu_seconds() - cpu
        return self.triples


def main(n: int) -> None:
    refresh = derived.refresh = Timed(derived.refresh)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.bib"
        path.write_text(synthetic_bibtex(n), encoding="utf-8")
        store = EmbeddedStore(Path(tmp) / "store")
        initialise(store)
        start = time.perf_counter()
        load_files(store, [path], dry_run=True)
        dry = time.perf_counter() - start
        start, cpu_start, refresh.seconds, refresh.cpu = time.perf_counter(), cpu_seconds(), 0.0, 0.0
        report = load_files(store, [path])
        elapsed, cpu = time.perf_counter() - start, cpu_seconds() - cpu_start
        peak = peak_mb()  # before the baseline below, whose bulk loader takes memory of its own
        assert report.counts.added == n, report.summary()
        everything, dump = Path(tmp) / "store.nq", Path(tmp) / "load.nq"
        with open(everything, "wb") as sink:
            store.dump(sink)
        written = load_graph(report.load_id)
        serialize((q for q in parse(path=str(everything), format=RdfFormat.N_QUADS) if q.graph_name == written),
                  output=str(dump), format=RdfFormat.N_QUADS)
        bulk = Oxigraph(str(Path(tmp) / "bulk"))
        start = time.perf_counter()
        bulk.bulk_load(path=str(dump), format=RdfFormat.N_QUADS)
        bulk_elapsed = time.perf_counter() - start
    rate = n / elapsed
    print(f"records            {n}")
    print(f"triples            {report.counts.triples}   ({report.counts.triples / n:.0f} per record)")
    print(f"seconds            {elapsed:.2f}")
    print(f"records/s          {rate:,.0f}   (goal >= 1,000: {rate / 1000:.2f}x the goal)")
    print(f"CPU seconds        {cpu:.2f}   ({n / cpu:,.0f} records per CPU second; other load on the machine slows records/s)")
    print(f"peak memory        {peak:,.0f} MB   (goal < 1,024: {peak / 1024:.0%} of it; the load's process plus its "
          "largest validation worker, whose pages are mostly shared with it)")
    print(f"dry run            {dry:.2f} s   (everything but the write: {dry / elapsed:.0%} of a load; "
          "a load writes while it builds)")
    print(f"refresh            {refresh.seconds:.2f} s ({refresh.cpu:.2f} CPU s) to refresh the derived graphs "
          f"(inference and summaries: {refresh.triples} triples) within the load: {refresh.seconds / elapsed:.0%} of it "
          f"({refresh.cpu / cpu:.0%} of its CPU time); the load with the refresh takes "
          f"{elapsed / (elapsed - refresh.seconds):.2f}x the load without")
    print(f"pyoxigraph bulk    {bulk_elapsed:.2f} s for the quads the load wrote, from a file; a coprokg load takes "
          f"{elapsed / bulk_elapsed:.1f}x that")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
