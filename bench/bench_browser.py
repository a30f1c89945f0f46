"""Literature browser benchmark: ``/papers`` at N papers over HTTP, against the old browser's queries.

The store of N papers is :mod:`bench.bench_scale`'s (built first if missing, kept in
``bench/.cache/<N>/``). Its browser summary (:mod:`coprokg.store.browser_summary`) is derived
again and timed: what every load now adds. Then a real ``coprokg serve`` (its cache off) on
loopback answers each variant of the page, in rounds (median):

- the HTML page of every work, sorted each way; a page deep in the list; a facet chosen (the
  concept with most works); that selection as CSV and as BibTeX; a broad facet chosen (the
  discipline with most works); that discipline and that concept chosen together.

The baseline, measured in the same run: the queries the browser of ``--before`` (a git revision)
ran for the same request, taken from it (``git show``) and run directly on a read-only snapshot
through pyoxigraph, each in a child process stopped after 60 s (bench_scale's ``direct_times``),
summed as that browser ran them (the selection twice when a facet is chosen: once to tell works
apart among every work; the facet counts; for BibTeX, every work's record to key them). The old
code also sorted and cut the page in Python, not counted: the baseline is a floor (for the
discipline and the two facets: the selection alone, as ``--before`` states it).

Then, for each of the three selections, the query of its first page alone, directly, in rounds:
the text the server runs now (as its JSON answer gives it) against ``papers-selection.rq`` as
``--before`` has it, with their ratio.

    .venv/bin/python bench/bench_browser.py [--papers 10000] [--runs 3] [--before main]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import timing  # noqa: E402
from bench.bench_scale import CAP, build, direct_times, http_get, query_at  # noqa: E402
from tests.support import free_port, wait_for  # noqa: E402

CONCEPTS = "https://w3id.org/coproduction/concept/"


def summary_seconds(store_path: Path, snapshot: Path) -> tuple[float, int]:
    """Derive the store's browser summary again (as a load does), then snapshot the store."""
    from pyoxigraph import Quad

    from coprokg.store import EmbeddedStore, browser_summary, derived

    store = EmbeddedStore(store_path)
    try:
        graphs = [g for g in store.graphs() if g not in set(derived.derived_graphs())]
        begun = time.perf_counter()
        triples = browser_summary.summarise(store, graphs)
        store.add_quads([Quad(*t, browser_summary.SUMMARY_GRAPH) for t in triples],
                        replace_graphs=[browser_summary.SUMMARY_GRAPH])
        took = time.perf_counter() - begun
        store.snapshot(snapshot)
    finally:
        store.close()
    return took, len(triples)


def most_common(base: str) -> tuple[dict[str, str], int]:
    """Per facet, the value with most works; and how many works there are."""
    answer = json.loads(http_get(f"{base}/papers", "application/json"))
    return {name: rows[0]["value"] for name, rows in answer["facets"].items() if rows}, answer["total"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", default="main", help="the git revision whose browser is the baseline")
    args = parser.parse_args()

    store_path = build(args.papers)
    quads = int((store_path.parent / "complete").read_text())
    with tempfile.TemporaryDirectory() as folder:
        snapshot = Path(folder) / "read-only"
        derived_in, summary_triples = summary_seconds(store_path, snapshot)
        env = {**os.environ, "COPROKG_STORE": str(store_path), "COPROKG_CACHE_ENTRIES": "0", "PYTHONPATH": str(REPO)}
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([sys.executable, "-m", "coprokg", "serve", "--port", str(port)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for(f"{base}/health", server, timeout=1800)
            top, total = most_common(base)
            narrow, broad = {"concept": top["concept"]}, {"discipline": top["discipline"]}
            both = {**broad, **narrow}
            deep = str(max(1, -(-total // 25) // 2))
            variants = [  # name, request parameters, the old browser's queries (name, values) it ran
                ("every work, newest first", {}, [("papers-selection", {}), ("papers-facets", {})]),
                ("every work, by title", {"sort": "title"}, [("papers-selection", {}), ("papers-facets", {})]),
                ("every work, most cited", {"sort": "cited"}, [("papers-selection", {}), ("papers-facets", {})]),
                (f"every work, page {deep}", {"page": deep}, [("papers-selection", {}), ("papers-facets", {})]),
                ("a concept chosen", narrow, [("papers-selection", narrow), ("papers-selection", {}),
                                              ("papers-facets", narrow)]),
                ("a concept chosen, CSV", {**narrow, "format": "csv"},
                 [("papers-selection", narrow), ("papers-selection", {})]),
                ("a concept chosen, BibTeX", {**narrow, "format": "bibtex"},
                 [("papers-records", narrow), ("papers-records", {})]),
                ("a discipline chosen", broad, [("papers-selection", broad)]),
                ("that discipline and the concept", both, [("papers-selection", both)]),
            ]
            old: dict[tuple[str, str], float] = {}
            print(f"\n{args.papers:,} papers, {quads:,} quads; browser summary derived in {derived_in:.1f} s "
                  f"({summary_triples:,} triples), as every load now adds; median of {args.runs} rounds, cache off; "
                  f"baseline: the queries of {args.before}'s browser, run directly, each stopped after {CAP:g} s\n")
            print("| request | bytes | now s (HTTP) | before s (its queries) | ratio |\n|---|---|---|---|---|")
            for name, params, queries in variants:
                url = f"{base}/papers?{urllib.parse.urlencode(params)}"
                accept = "text/html" if "format" not in params else "*/*"
                size = len(http_get(url, accept))
                now = timing.median_seconds(lambda: http_get(url, accept), args.runs)
                then = 0.0
                for query, values in queries:
                    key = (query, repr(sorted(values.items())))
                    if key not in old:
                        text = query_at(args.before, f"server/rq/{query}.rq", values)
                        old[key] = direct_times(snapshot, text, 1)[1][0] if text else float("nan")
                    then += old[key]
                shown = f"> {CAP:g}" if then == float("inf") else f"{then:.2f}"
                ratio = f"< {now / CAP:.3f}" if then == float("inf") else f"{now / then:.3f}"
                print(f"| {name} | {size:,} | {now:.2f} | {shown} | {ratio} |", flush=True)
            print(f"\nThe selection's first page alone, directly (median of {args.runs}): the text the server "
                  f"runs now (its answer's sparql) against papers-selection.rq as {args.before} has it\n")
            print("| selection | works | now s | before s | ratio |\n|---|---|---|---|---|")
            for name, values in (("the concept", narrow), ("the discipline", broad), ("both", both)):
                answer = json.loads(http_get(f"{base}/papers?{urllib.parse.urlencode(values)}", "application/json"))
                now = statistics.median(direct_times(snapshot, answer["sparql"], args.runs)[1])
                then = statistics.median(direct_times(snapshot, query_at(args.before, "server/rq/papers-selection.rq",
                                                                         {**values, "page": "1"}), args.runs)[1])
                print(f"| {name} | {answer['total']:,} | {now:.3f} | {then:.3f} | {now / then:.3f} |", flush=True)
        finally:
            server.terminate()
            server.wait(60)


if __name__ == "__main__":
    main()
