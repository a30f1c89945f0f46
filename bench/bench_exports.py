"""Exports benchmark: every export in a folder loaded, one after the other, into a fresh store
(ontology and curated data), each with its bad records set aside (``load --rejects``).

Prints per file: entries read, papers loaded (added), records set aside, records merged with
papers already known (from earlier files or the curated data), warnings, and seconds; files
whose format is unknown are listed as such.

    .venv/bin/python bench/bench_exports.py tests/loaders/exports
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coprokg.bootstrap import initialise  # noqa: E402
from coprokg.loaders import InvalidInput, load_files  # noqa: E402
from coprokg.loaders.registry import for_path  # noqa: E402
from coprokg.store import EmbeddedStore  # noqa: E402

COLUMNS = ("file", "entries", "loaded", "set aside", "merged", "warnings", "seconds")


def main(folder: Path) -> None:
    files = sorted(p for p in folder.iterdir() if p.is_file() and for_path(p) is not None)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "store")
        initialise(store)
        for path in files:
            started = time.perf_counter()
            try:
                report = load_files(store, [path], rejects=Path(tmp) / "rejects" / path.stem)
                c = report.counts
                cells = (report.records + c.set_aside, c.added, c.set_aside, c.merged, len(report.warnings))
            except InvalidInput as error:  # an error no record can be set aside for
                cells = ("refused", 0, "-", "-", len(error.report.warnings))
            rows.append((path.name, *cells, f"{time.perf_counter() - started:.2f}"))
        store.close()
    print("| " + " | ".join(COLUMNS) + " |")
    print("|" + "---|" * len(COLUMNS))
    for row in rows:
        print("| " + " | ".join(str(cell) for cell in row) + " |")


if __name__ == "__main__":
    if len(sys.argv) != 2 or not Path(sys.argv[1]).is_dir():
        sys.exit("usage: bench/bench_exports.py FOLDER")
    main(Path(sys.argv[1]))
