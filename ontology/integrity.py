"""Quality checks on the ontology as SPARQL files: each ``checks/*-violation.rq`` must return no rows.

The queries run with pyoxigraph over the merged sources; their columns name the offenders.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import RdfFormat, Store

from coprokg.ontology.files import ONTOLOGY_DIR, source_files

CHECKS_DIR = ONTOLOGY_DIR / "checks"


@dataclass(frozen=True)
class Violations:
    check: str
    columns: list[str]
    rows: list[list[str]]

    def report(self) -> str:
        lines = [f"{self.check}: {len(self.rows)} violation(s)", "  " + " | ".join(self.columns)]
        lines += ["  " + " | ".join(row) for row in self.rows]
        return "\n".join(lines)


def check_files() -> list[Path]:
    return sorted(CHECKS_DIR.glob("*-violation.rq"))


def load(paths: list[Path] | None = None) -> Store:
    """An in-memory store holding the ontology sources (or ``paths``) in its default graph."""
    store = Store()
    for path in paths if paths is not None else source_files():
        store.load(path=str(path), format=RdfFormat.TURTLE)
    return store


def run_checks(paths: list[Path] | None = None) -> list[Violations]:
    """Run every check; return one Violations per check (empty rows when it passes)."""
    store = load(paths)
    results = []
    for check in check_files():
        solutions = store.query(check.read_text(encoding="utf-8"))
        columns = [variable.value for variable in solutions.variables]
        rows = [[_show(solution[name]) for name in columns] for solution in solutions]
        results.append(Violations(check.stem, columns, rows))
    return results


def _show(term) -> str:
    return "" if term is None else str(term.value)
