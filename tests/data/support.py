"""Shared helpers for the curated-data tests: where data/ is, and the seed texts it was curated from."""

from __future__ import annotations

import re
from functools import cache

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


def normalise_quote(text: str) -> str:
    """How quotes are compared with the seeds: whitespace runs as one space, markdown emphasis dropped,
    and words hyphenated across a line of the column-flowed protocol joined ('coproduc- tion')."""
    text = normalise_space(text.replace("*", ""))
    text = re.sub(r"(?<=\w)([–—/]) (?=\w)", r"\1", text)
    return re.sub(r"(?<=[a-z])- (?=[a-z])", "", text)


@cache
def seed_text(name: str) -> str:
    """The whitespace-normalised text of a source paper; skips the test when ../shared is absent."""
    path = SEEDS / SEED_FILES[name]
    if not path.exists():
        pytest.skip(f"the source papers are not here ({path}); they live in ../shared/seeds beside the repository")
    return normalise_space(path.read_text(encoding="utf-8"))


def quote_occurs(quote: str, seed: str) -> bool:
    """Whether ``quote`` is in the seed text, both normalised with :func:`normalise_quote`.

    A hyphen kept at a line break ('non-\\nparticipant') is joined without the hyphen in the seed,
    so the quote is also tried with its hyphens between letters dropped.
    """
    text = normalise_quote(seed_text(seed))
    wanted = normalise_quote(quote)
    return wanted in text or re.sub(r"(?<=[a-z])-(?=[a-z])", "", wanted) in re.sub(r"(?<=[a-z])-(?=[a-z])", "", text)


@cache
def turtle(name: str) -> Graph:
    """A Turtle file of data/, parsed (cached: tests only read it)."""
    return Graph().parse(DATA / name, format="turtle")
