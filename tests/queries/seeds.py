"""Facts read straight from the source papers in ../shared/seeds, for checking catalog answers against.

Each helper skips the test when the papers are not there (they live beside the repository).
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from tests.data.support import SEED_FILES, SEEDS


def raw(name: str) -> str:
    path = SEEDS / SEED_FILES[name]
    if not path.exists():
        pytest.skip(f"the source papers are not here ({path}); they live in ../shared/seeds beside the repository")
    return path.read_text(encoding="utf-8")


def eriksson_table_2() -> dict[tuple[str, str], str]:
    """Eriksson (2022), Table 2 "Modes and levels of coproduction": (mode, level) -> the cell's text."""
    text = raw("eriksson")
    table = text[text.index("Table 2. Modes and levels of coproduction."):]
    modes = ["co-commissioning", "co-design", "co-delivery", "co-assessment"]
    cells = {}
    for level in ("Individual", "Group", "Collective"):
        row = re.search(rf"^(?:.*\t)?{level}\t(.+)$", table, flags=re.MULTILINE)[1]
        for mode, cell in zip(modes, row.split("\t")):
            cells[mode, f"{level.lower()}-level"] = cell.strip()
    return cells


# Supplementary files 2-4 of the preprint: heading -> model type.
_TABLES = {
    "Supplementary file 2": "conceptual-theoretical-model",
    "Supplementary file 3": "practice-oriented-model",
    "Supplementary file 4": "typology",
}


def preprint_table_rows() -> list[tuple[str, str, str]]:
    """(model type, first author, year) of every row of the preprint's supplementary tables 2-4."""
    text = raw("preprint")
    starts = sorted((text.index(heading), kind) for heading, kind in _TABLES.items())
    rows = []
    for (start, kind), (end, _) in zip(starts, starts[1:] + [(len(text), None)]):
        for author, year in re.findall(r"^\t([^\t,\d]+),? (\d{4})[a-z]?\s*$", text[start:end], flags=re.MULTILINE):
            rows.append((kind, author.strip(), year))
    return rows


def preprint_rows_per_year() -> Counter:
    return Counter((year, kind) for kind, _, year in preprint_table_rows())


def reference_dois(name: str) -> set[str]:
    """The DOIs of a paper's reference list, lowercased."""
    text = raw(name)
    references = text[text.index("\nReferences"):]
    return {doi.rstrip(").,>").lower() for doi in re.findall(r"10\.\d{4,9}/[^\s\]\)>]+", references)}
