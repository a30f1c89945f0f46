"""BibTeX reading: a large file read in two halves at once gives what one reading gives."""

from __future__ import annotations

import re
from pathlib import Path

from bench.bench_load import synthetic_bibtex
from coprokg.loaders import bibtex
from coprokg.loaders.report import Report
from coprokg.loaders.source import Source

LARGE = 2000  # synthetic records: about 1.8 million characters, over bibtex.PARALLEL_CHARS


def read_both(text: str) -> tuple[list, Report, list, Report]:
    source = Source("refs.bib", text.encode())
    whole, halves = Report(), Report()
    return bibtex._read_whole(source, whole), whole, bibtex.read(source, halves), halves


def test_a_large_file_is_split_where_an_entry_begins_and_read_as_one_reading_reads_it():
    text = synthetic_bibtex(LARGE)
    assert len(text) >= bibtex.PARALLEL_CHARS
    first, second, lines = bibtex._halves(text)
    assert second.startswith("@article{") and first.count("\n") == lines
    whole, whole_report, halves, halves_report = read_both(text)
    assert len(halves) == LARGE
    assert halves == whole and halves_report.problems == whole_report.problems == []
    assert halves[-1].origin.line == text.count("\n", 0, text.rindex("@article{")) + 1


def test_a_key_used_in_both_halves_is_warned_at_its_second_entry():
    again = "@article{rec3,\n  title = {Again},\n  author = {Lee, Ann},\n  year = {2001}\n}\n"
    text = synthetic_bibtex(LARGE) + again
    whole, whole_report, halves, halves_report = read_both(text)
    assert [str(p) for p in halves_report.problems] == [str(p) for p in whole_report.problems] == [
        f"warning: refs.bib line {text.count(chr(10), 0, text.rindex('@article{rec3')) + 1} record 'rec3': "
        "a second entry with this key; both are read -> give each entry its own key"]
    (second,) = [w for w in halves if w.title == "Again"]
    assert (second.year, second.authors) == ("2001", [("Lee", "Ann")]), "read like any entry: braces and names"
    assert sorted(map(repr, halves)) == sorted(map(repr, whole))


def test_an_error_in_either_half_is_reported_as_a_whole_reading_reports_it():
    text = synthetic_bibtex(LARGE)
    cut = text.index("@article{rec1900,")
    broken = text[:cut] + "@article{broken, title = {No end},\n" + text[cut:]
    whole, whole_report, halves, halves_report = read_both(broken)
    assert [str(p) for p in halves_report.errors] == [str(p) for p in whole_report.errors]
    assert len(halves_report.errors) == 1 and "@article{broken" in str(halves_report.errors[0])


def test_string_macros_keep_the_file_whole():
    text = "@string{pa = {Public Administration}}\n" + re.sub(r"journal = \{[^}]*\},", "journal = pa,",
                                                            synthetic_bibtex(LARGE), count=1)
    assert bibtex._halves(text) is None
    works = bibtex.read(Source("refs.bib", text.encode()), Report())
    assert works[0].container == "Public Administration"


def test_a_line_starting_with_at_inside_a_field_is_no_place_to_split():
    text = synthetic_bibtex(LARGE)
    middle = text.index("abstract = {", len(text) // 2 - 2000) + len("abstract = {")
    text = text[:middle] + "\n@see also this\n" + text[middle:]
    first, second, _ = bibtex._halves(text)
    assert second.startswith("@article{") and "@see also" in first
    whole, _, halves, _ = read_both(text)
    assert halves == whole


def test_real_reference_lists_repeated_past_the_threshold_read_the_same_in_halves():
    """The curated reference lists and the test files (comments, chapters, accents), repeated:
    thousands of repeated keys, warned in file order as one reading warns them."""
    root = Path(__file__).resolve().parents[2]
    text = "".join(path.read_text(encoding="utf-8") + "\n" for path in
                   [*sorted((root / "data").glob("*.bib")), root / "tests/loaders/papers.bib",
                    root / "tests/loaders/chapters.bib"])
    text *= bibtex.PARALLEL_CHARS // len(text) + 1
    assert bibtex._halves(text) is not None
    whole, whole_report, halves, halves_report = read_both(text)
    assert halves == whole
    assert [str(p) for p in halves_report.problems] == [str(p) for p in whole_report.problems]
    assert len(halves_report.warnings) > 1000
