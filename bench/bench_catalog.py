"""Catalog benchmark: every question of queries/ on the curated graph, as a new store is seeded.

Prints, per question, the rows of its answer and the median of REPEAT runs in milliseconds.
Goal: every question under a second.

    .venv/bin/python bench/bench_catalog.py [REPEAT]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coprokg.bootstrap import initialise  # noqa: E402
from coprokg.queries import catalog  # noqa: E402
from coprokg.store import EmbeddedStore  # noqa: E402


def main(repeat: int = 5) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = EmbeddedStore(Path(folder) / "store")
        started = time.perf_counter()
        initialise(store)
        print(f"curated graph: {store.count()} quads, seeded in {time.perf_counter() - started:.1f} s\n")
        print(f"| question | rows | median ms (of {repeat}) |\n|---|---|---|")
        for query in catalog.catalog():
            times = []
            for _ in range(repeat):
                begun = time.perf_counter()
                rows = len(list(query.run(store)))
                times.append((time.perf_counter() - begun) * 1000)
            print(f"| `{query.name}` | {rows} | {statistics.median(times):.0f} |")
        store.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
