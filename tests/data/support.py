"""Shared helpers for the curated-data tests: where data/ is, and the seed texts it was curated from."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph

from tests.support import REPO, SHARED

DATA = REPO / "data"
SEEDS = SHARED / "seeds"
SEED_FILES = {
    "eriksson": "000_3919b3406f7fc294.txt",
    "review": "001_d631f0e13468235f.txt",
    "preprint": "002_ba6e7b868008b380.txt",
    "protocol": "003_367fd0dd84eaa10f.txt",
}


def normalise_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@cache
def seed_text(name: str) -> str:
    """The whitespace-normalised text of a source paper; skips the test when ../shared is absent."""
    path = SEEDS / SEED_FILES[name]
    if not path.exists():
        pytest.skip(f"the source papers are not here ({path}); they live in ../shared/seeds beside the repository")
    return normalise_space(path.read_text(encoding="utf-8"))


@cache
def turtle(name: str) -> Graph:
    """A Turtle file of data/, parsed (cached: tests only read it)."""
    return Graph().parse(DATA / name, format="turtle")
