"""The review's included articles: every row of the preprint's three supplementary tables, in the papers
CSV template, plus the two boundary-spanning papers the text names; rows that are papers of a reference
list carry its DOI so they are the same resource."""

from __future__ import annotations

import csv
import re
from collections import Counter

import bibtexparser
import pytest

from coprokg.loaders.iris import normalise_doi, paper_iri
from tests.data.support import DATA, SEEDS, SEED_FILES, normalise_space, seed_text

CSV = DATA / "reviewed-articles.csv"
REVIEW = "https://w3id.org/coproduction/paper/robert-2024-6ccd34d9"
HEADER = (
    "id,type,title,authors,year,container,volume,issue,pages,doi,url,publisher,abstract,keywords,model_type,"
    "discipline,country,concepts,reviewed_in,contribution,cited_by"
)
TABLES = {  # model type -> (heading of its supplementary table in the preprint, the n the heading gives)
    "Conceptual/theoretical model": ("Included articles: Conceptual/theoretical models (n=42)", 42),
    "Practice-oriented model": ("Included articles: practice-oriented models (n=22)", 22),
    "Typology": ("Included articles: typology (n=7)", 7),
}
# Merged rows take their authors from the reference list, which spells this name differently.
SPELT_IN_REFERENCES = {"McColl-Kennedy": "McCull-Kennedy"}


def rows():
    with CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def table_first_authors() -> dict[str, list[str]]:
    """The first-author cells of each supplementary table, read from the preprint itself."""
    seed_text("preprint")  # skips when the seeds are absent
    lines = [line.strip() for line in (SEEDS / SEED_FILES["preprint"]).read_text(encoding="utf-8").splitlines()]
    cells = {}
    starts = [next(i for i, line in enumerate(lines) if heading in line) for heading, _ in TABLES.values()]
    for (model, _), start, end in zip(TABLES.items(), starts, [*starts[1:], len(lines)]):
        cells[model] = [c for c in lines[start + 1 : end] if re.fullmatch(r"[^\d\t]+,? \d{4}[ab]?", c)]
    return cells


def test_header_is_the_papers_template():
    assert CSV.read_text(encoding="utf-8").splitlines()[0] == HEADER


def test_rows_per_model_type_are_what_the_tables_list():
    counts = Counter(row["model_type"] for row in rows())
    assert counts == {
        "Conceptual/theoretical model": 42,
        "Practice-oriented model": 22,
        "Typology": 7,
        "Boundary-spanning model": 2,
    }
    assert sum(counts.values()) == 73  # the review's "73 articles"


def test_every_table_row_is_a_row_in_order():
    found = table_first_authors()
    for model, (_, n) in TABLES.items():
        ours = [(r["authors"].split(",")[0].split(";")[0], r["year"]) for r in rows() if r["model_type"] == model]
        theirs = [re.match(r"(.+?),? (\d{4})", c).groups() for c in found[model]]
        assert len(theirs) == n
        assert [year for _, year in ours] == [year for _, year in theirs]
        assert [SPELT_IN_REFERENCES.get(f, f).replace("‐", "-") for f, _ in theirs] == [f for f, _ in ours]


def test_contributions_are_verbatim_from_the_tables():
    text = seed_text("preprint")
    tabled = [row for row in rows() if row["model_type"] != "Boundary-spanning model"]
    assert all(row["contribution"] for row in tabled)
    missing = [row["id"] for row in tabled if normalise_space(row["contribution"]) not in text]
    assert missing == []


def test_every_row_is_reviewed_in_the_review_and_ids_are_unique():
    assert {row["reviewed_in"] for row in rows()} == {REVIEW}
    ids = [row["id"] for row in rows()]
    assert len(ids) == len(set(ids))


def test_rows_without_a_title_are_told_apart_by_record_id():
    untitled = [row for row in rows() if not row["title"]]
    iris = {paper_iri(doi=None, family=r["authors"], year=r["year"], title=None, record_id=r["id"]) for r in untitled}
    assert len(iris) == len(untitled) == 73 - 27
    lindsay = [row for row in untitled if row["authors"] == "Lindsay"]
    assert len(lindsay) == 2


def _reference_dois():
    dois = set()
    for name in ("references-eriksson-2022.bib", "references-robert-2024.bib"):
        for entry in bibtexparser.parse_file(str(DATA / name)).entries:
            if "doi" in entry.fields_dict:
                dois.add(entry.fields_dict["doi"].value)
    return dois


@pytest.mark.parametrize(
    ("first_author", "year", "doi"),
    [
        ("Nabatchi", "2017", "10.1111/puar.12765"),
        ("Osborne", "2016", "10.1080/14719037.2015.1111927"),
        ("Strokosch", "2016", "10.1017/S0047279416000258"),
        ("Batalden", "2016", "10.1136/bmjqs-2015-004315"),
        ("Cepiku", "2014", "10.1080/14719037.2013.822535"),
        ("Williams", "2016", "10.1080/14719037.2015.1111660"),
        ("Farmer", "2017", "10.1071/PY16133"),
    ],
)
def test_rows_that_are_a_reference_list_paper_share_its_doi(first_author, year, doi):
    [row] = [r for r in rows() if r["authors"].startswith(first_author) and r["year"] == year]
    assert row["doi"] == doi and normalise_doi(doi) == doi.lower()
    assert doi in _reference_dois()


def test_every_doi_in_the_table_rows_comes_from_a_reference_list():
    assert {row["doi"] for row in rows() if row["doi"]} <= _reference_dois()
