"""Bad input is refused with a report that says where and what to do, and the store is unchanged."""

from __future__ import annotations

import json

import pytest
from rdflib.namespace import SH

from bench.bench_load import synthetic_bibtex
from coprokg.loaders import InvalidInput, LoadOptions, load_files
from coprokg.shapes.validate import message
from tests.loaders.conftest import HERE

BAD = HERE / "bad"


def refuse(store, path, options=None):
    """Load ``path``, expect InvalidInput, and check that nothing was written."""
    before = (store.count(), store.version())
    with pytest.raises(InvalidInput) as caught:
        load_files(store, [path], options=options)
    assert (store.count(), store.version()) == before
    return caught.value.report.errors


def only(errors, **expected):
    texts = [str(e) for e in errors]
    assert any(all(getattr(e, k) == v for k, v in expected.items()) for e in errors), texts
    return texts


def test_unbalanced_braces_name_the_entry_line(kg):
    errors = refuse(kg, BAD / "unbalanced.bib")
    assert errors[0].origin.line == 1
    assert "cannot parse this BibTeX entry" in errors[0].message
    assert "{" in errors[0].hint


def test_ris_record_without_er_is_refused_not_dropped(kg):
    errors = refuse(kg, BAD / "no-er.ris")
    only(errors, message="this RIS record has no end line 'ER  - '")
    assert errors[0].origin.line == 1


@pytest.mark.parametrize("name, column, message", [
    ("missing-column.csv", "cited_by", "the papers template needs this column"),
    ("unknown-column.csv", "journal_rank", "unknown column in the papers template"),
])
def test_csv_columns_must_be_the_templates(kg, name, column, message):
    errors = refuse(kg, BAD / name)
    assert [e.field for e in errors] == [column]
    assert errors[0].message.startswith(message)


def test_latin1_is_refused_with_the_place_and_a_fix(kg, tmp_path):
    path = tmp_path / "latin1.bib"
    path.write_bytes("@article{k, title={Sm\u00e5land}, author={M\u00fcller, J}, year={2020}}\n".encode("latin-1"))
    (error,) = refuse(kg, path)
    assert error.origin.line == 1 and "not UTF-8" in error.message and "iconv" in error.hint


def test_a_byte_order_mark_is_accepted(kg, tmp_path):
    path = tmp_path / "bom.bib"
    path.write_bytes(b"\xef\xbb\xbf" + (HERE / "papers.bib").read_bytes())
    assert load_files(kg, [path]).counts.added == 3


def test_turtle_syntax_error_names_line_and_column(kg):
    (error,) = refuse(kg, BAD / "syntax-error.ttl")
    assert error.origin.line == 4
    assert "column" in error.message


@pytest.mark.parametrize("name, field, value, words", [
    ("no-title.bib", "title", None, "no title"),
    ("year-19x9.bib", "year", "19x9", "four-digit year"),
    ("bad-doi.bib", "doi", "10.12/not-a-doi", "not a DOI"),
])
def test_field_errors_name_record_field_value_and_fix(kg, name, field, value, words):
    errors = refuse(kg, BAD / name)
    error = next(e for e in errors if e.field == field)
    assert error.origin.key and error.origin.line == 1
    assert error.value == value and words in error.message
    assert str(error).startswith(f"error: {BAD / name} line 1 record {error.origin.key!r} field {field}")


def test_unknown_concept_label_suggests_the_closest(kg):
    (error,) = refuse(kg, BAD / "unknown-concept.csv")
    assert (error.field, error.value) == ("concepts", "co-desing")
    assert "'co-design'" in error.hint


def test_empty_file(kg):
    (error,) = refuse(kg, BAD / "empty.bib")
    assert error.message == "the file is empty"


@pytest.mark.parametrize("name", ["nul.json", "surrogate.json"])
def test_nul_and_lone_surrogate_are_refused(kg, name):
    errors = refuse(kg, BAD / name)
    only(errors, field="title")
    assert "control character" in errors[0].message


def test_a_file_over_the_size_limit_is_refused_before_reading(kg, tmp_path):
    path = tmp_path / "big.bib"
    record = "@article{k%d, title={Title %d}, author={Smith, John}, year={2020}}\n"
    with open(path, "w") as handle:
        n = 0
        while handle.tell() < 50 * 2**20:
            handle.write("".join(record % (i, i) for i in range(n, n + 10_000)))
            n += 10_000
    (error,) = refuse(kg, path, LoadOptions(max_bytes=32 * 2**20))
    assert "over the limit of 32 MB" in error.message and "COPROKG_LOAD_MAX_MB" in error.hint


def test_unknown_suffix(kg, tmp_path):
    path = tmp_path / "refs.docx"
    path.write_text("x")
    (error,) = refuse(kg, path)
    assert error.message == "unknown file format" and ".bib" in error.hint


def test_errors_in_one_file_stop_the_whole_load(kg):
    before = kg.count()
    with pytest.raises(InvalidInput):
        load_files(kg, [HERE / "papers.bib", BAD / "year-19x9.bib"])
    assert kg.count() == before


def test_no_date_is_no_year_with_a_warning(kg):
    report = load_files(kg, [BAD / "year-nd.bib"])
    assert report.counts.added == 1
    (warning,) = report.warnings
    assert (warning.origin.key, warning.field) == ("nodate", "year") and "no year" in warning.message


def test_problems_have_one_json_shape(kg):
    with pytest.raises(InvalidInput) as caught:
        load_files(kg, [BAD / "bad-doi.bib"])
    body = json.loads(json.dumps(caught.value.to_dict()))
    assert body["error"] == "invalid-input"
    problem = next(p for p in body["problems"] if p.get("field") == "doi")
    assert problem["file"].endswith("bad-doi.bib") and problem["record"] == "baddoi" and problem["line"] == 1


def test_an_error_in_the_last_record_of_a_large_file_writes_nothing(kg, tmp_path):
    """Records are written while later ones are built: the bad one, last, undoes them all."""
    path = tmp_path / "large.bib"
    path.write_text(synthetic_bibtex(2500) + "\n@article{late, title={Late}, author={Smith, J.}, year={19x9}}\n")
    errors = refuse(kg, path)
    only(errors, field="year", value="19x9")
    assert not (kg.path / "pending-write.json").exists()


BOOK_TWICE = """
@incollection{osborne2018,
  title = {Co-production and the co-creation of value in public services},
  author = {Osborne, Stephen P.},
  booktitle = {Co-Production and Co-Creation: Engaging Citizens in Public Services},
  editor = {Brandsen, Taco and Steen, Trui and Verschuere, Bram},
  year = {2018}
}

@book{brandsen2018,
  title = {Co-production and co-creation: engaging citizens in public services},
  editor = {Brandsen, Taco and Steen, Trui and Verschuere, Bram},
  year = {2018}
}
"""


@pytest.mark.parametrize("before", [0, 1200], ids=["small", "large"])
def test_pyshacl_refuses_a_book_given_two_titles_by_two_records(kg, tmp_path, before):
    """A book record and a chapter's booktitle spelt in another case name the same book: no
    record is wrong alone, so only pySHACL (in a worker for a large file) sees the two titles."""
    path = tmp_path / "books.bib"
    path.write_text(synthetic_bibtex(before) + BOOK_TWICE + synthetic_bibtex(before, seed=2).replace("rec", "more"))
    errors = refuse(kg, path)
    title_shape = message("http://purl.org/dc/terms/title", SH.maxCount)
    assert [(e.origin.key, e.field, e.message) for e in errors] == [("osborne2018", "title", title_shape)]
    assert not (kg.path / "pending-write.json").exists()
