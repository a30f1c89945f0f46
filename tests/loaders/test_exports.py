"""Real exports: files written by hand in each producer's style (tests/loaders/exports,
see its README) load whole and clean, and the bad records are set aside with --rejects."""

from __future__ import annotations

import json
import shutil

import pytest
from pyoxigraph import Literal

from coprokg.loaders import InvalidInput, list_loads, load_files, validate_files
from coprokg.loaders.bibtex import decode
from coprokg.loaders.report import Report
from coprokg.loaders.source import Source
from coprokg.loaders.work import year_of
from coprokg.loaders import bibtex, csljson, ris
from tests.loaders.conftest import HERE
from tests.loaders.test_works import rows
from tests.support import coprokg

EXPORTS = HERE / "exports"

# file: (records loaded, papers added, records set aside, {(record or line, field, words of the warning)})
EXPECTED = {
    "zotero.bib": (4, 4, 0, {("__????", None, "without any field"),
                             ("loeffler_handbook_2021-1", "volume", "kept as a separate work")}),
    "betterbibtex.bib": (2, 2, 0, set()),
    "scopus.bib": (2, 2, 1, set()),
    "scopus.ris": (2, 2, 1, set()),
    "wos.bib": (2, 2, 0, {("WOS:001122334400001", "year", "early-access")}),
    "wos.ris": (2, 2, 0, {(36, "year", "early-access")}),
    "endnote.ris": (2, 2, 0, set()),
    "mendeley.ris": (2, 2, 0, set()),
    "citavi.ris": (2, 2, 0, {(1, "year", "no year")}),
    "zotero.json": (3, 3, 1, {("http://zotero.org/users/local/abcd/items/CCCC3333", "author", "given as text")}),
    "zotero.rdf": (0, 0, 1, set()),
}


def warnings_of(report) -> dict[tuple, str]:
    return {(w.origin.key or w.origin.line, w.field): w.message for w in report.warnings}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_export_loads_with_the_expected_result(kg, tmp_path, name):
    records, added, aside, warnings = EXPECTED[name]
    report = load_files(kg, [EXPORTS / name], rejects=tmp_path / "rejects")
    assert (report.records, report.counts.added, report.counts.set_aside) == (records, added, aside)
    found = warnings_of(report)
    assert set(found) == {(where, field) for where, field, _ in warnings}
    assert all(words in found[where, field] for where, field, words in warnings)
    assert bool(report.rejects) == bool(aside)


def test_validate_gives_exactly_the_warnings_load_gives(kg):
    clean = [EXPORTS / name for name, (_, _, aside, _) in EXPECTED.items() if not aside]
    checked = validate_files(clean, kg)
    loaded = load_files(kg, clean)
    assert [str(p) for p in checked.problems] == [str(p) for p in loaded.problems]


def test_the_same_papers_from_scopus_and_web_of_science_are_one_work_with_one_author_list(kg, tmp_path):
    load_files(kg, [EXPORTS / "scopus.bib"], rejects=tmp_path / "r1")
    second = load_files(kg, [EXPORTS / "wos.bib"])
    assert second.counts.merged == 1 and not [w for w in second.warnings if w.field != "year"]
    creators = rows(kg, "SELECT ?c WHERE { ?p bibo:doi '10.5555/jssr.2019.0005' ; dcterms:creator ?c }")
    assert len(creators) == 3
    people = rows(kg, "SELECT DISTINCT ?p ?f WHERE { ?p foaf:familyName ?f }", f=Literal("Randolph"))
    assert [r["p"].value.rsplit("/", 1)[1] for r in people] == ["randolph-ka"]
    # Web of Science's double braces are gone from every value.
    volume = rows(kg, "SELECT ?v ?p WHERE { ?p bibo:doi '10.5555/jssr.2024.0008' ; bibo:volume ?v ; bibo:pageStart ?s }")
    assert [r["v"].value for r in volume] == ["50"]


SCOPUS_FUNDING = ["National Institutes of Health, NIH", "National Science Foundation, NSF",
                  "This work was funded by two agencies."]
WOS_FUNDING = ["National Institutes of Health (NIH) [R01-0000001, R01-0000002]", "National Science Foundation (NSF)",
               "This work was funded by two agencies."]
FUNDING = "PREFIX cop: <https://w3id.org/coproduction/ontology#> SELECT ?f ?doi WHERE { ?p bibo:doi ?doi ; cop:fundingStatement ?f }"


@pytest.mark.parametrize("files, funding", [
    (["scopus.bib"], SCOPUS_FUNDING), (["scopus.ris"], SCOPUS_FUNDING),
    (["wos.bib"], WOS_FUNDING), (["wos.ris"], WOS_FUNDING),
    (["scopus.bib", "scopus.ris", "wos.bib", "wos.ris"], sorted({*SCOPUS_FUNDING, *WOS_FUNDING})),
])
def test_every_funder_and_funding_text_is_kept_as_a_funding_statement(kg, tmp_path, files, funding):
    for n, name in enumerate(files):
        load_files(kg, [EXPORTS / name], rejects=tmp_path / str(n))
    found = rows(kg, FUNDING, doi=Literal("10.5555/jssr.2019.0005"))
    assert sorted(r["f"].value for r in found) == funding


def test_the_same_papers_from_four_database_exports_warn_only_of_what_differs_naming_file_line_and_field(kg, tmp_path):
    warnings = []
    for n, name in enumerate(["scopus.bib", "scopus.ris", "wos.bib", "wos.ris"]):
        warnings += load_files(kg, [EXPORTS / name], rejects=tmp_path / str(n)).warnings
    assert [(w.origin.file.rsplit("/", 1)[1], w.origin.line, w.field) for w in warnings] == [
        ("wos.bib", 24, "year"), ("wos.ris", 36, "year")]
    people = rows(kg, "SELECT DISTINCT ?p ?f WHERE { ?p foaf:familyName ?f }", f=Literal("Randolph"))
    assert [r["p"].value.rsplit("/", 1)[1] for r in people] == ["randolph-ka"]


def test_scopus_ris_notes_keep_what_the_bibtex_export_keeps_and_lose_addresses_and_references():
    (paper, chapter, _) = ris.read(Source.from_path(EXPORTS / "scopus.ris"), Report())
    assert paper.notes == ["Export Date: 14 March 2024; Cited By: 4"]
    assert chapter.notes == ["Conference code: 123456; Export Date: 14 March 2024; Cited By: 0"]
    assert chapter.funding == ["Example Foundation, EF, 2020-117"]
    (bib, _) = bibtex.read(Source.from_path(EXPORTS / "scopus.bib"), Report())
    assert (bib.funding, bib.urls, bib.notes) == (paper.funding, paper.urls, ["cited By 4"])


def test_ris_authors_given_in_both_au_and_a1_are_all_kept_once_au_first():
    text = ("TY  - JOUR\nAU  - Ostrom, Elinor\nAU  - Parks, Roger\nA1  - Parks, Roger\nA1  - Whitaker, Gordon\n"
            "TI  - Joint authors\nPY  - 1978\nER  - \n")
    (paper,) = ris.read(Source("both.ris", text.encode()), Report())
    assert paper.authors == [("Ostrom", "Elinor"), ("Parks", "Roger"), ("Whitaker", "Gordon")]


def test_web_of_science_ris_notes_keep_their_continuation_lines_as_one_note():
    (paper, _) = ris.read(Source.from_path(EXPORTS / "wos.ris"), Report())
    assert paper.notes == ["Times Cited in Web of Science Core Collection: 4 Total Times Cited: 4 "
                           "Cited Reference Count: 38"]
    assert paper.abstract == "Peer workers coproduce recovery services with clients and professionals."


NOTES_AND_LINKS = ("SELECT ?n ?u ?doi WHERE { { ?p bibo:doi ?doi ; skos:note ?n } UNION { ?p bibo:doi ?doi ; bibo:uri ?u } }")


@pytest.mark.parametrize("name, text, doi, notes, urls", [
    ("notes.bib", "@misc{m, title={T}, author={Doe, Jane}, year={2020}, doi={10.5555/n.1}, note={First \\& only},\n"
     "note={Second}, url={http://a.example/1}, url={http://a.example/2}}\n", "10.5555/n.1",
     ["First & only", "Second"], ["http://a.example/1", "http://a.example/2"]),
    ("notes.ris", "TY  - JOUR\nTI  - T\nAU  - Doe, Jane\nPY  - 2020\nDO  - 10.5555/n.2\nN1  - First\nN1  - Second\n"
     "UR  - http://a.example/1\nUR  - http://a.example/2\nER  - \n", "10.5555/n.2",
     ["First", "Second"], ["http://a.example/1", "http://a.example/2"]),
    ("notes.json", json.dumps([{"id": "n", "type": "article-journal", "title": "T", "DOI": "10.5555/n.3",
                                "author": [{"family": "Doe", "given": "Jane"}], "issued": {"date-parts": [[2020]]},
                                "note": "First", "URL": "http://a.example/1"}]), "10.5555/n.3",
     ["First"], ["http://a.example/1"]),
])
def test_every_note_and_link_of_a_record_is_kept(kg, tmp_path, name, text, doi, notes, urls):
    (tmp_path / name).write_text(text)
    load_files(kg, [tmp_path / name])
    found = rows(kg, "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> " + NOTES_AND_LINKS, doi=Literal(doi))
    assert sorted(r["n"].value for r in found if r["n"]) == notes
    assert sorted(r["u"].value for r in found if r["u"]) == urls


def test_the_links_and_notes_of_records_merged_into_one_work_are_all_kept(kg, tmp_path):
    load_files(kg, [EXPORTS / "mendeley.ris"])
    found = rows(kg, "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> " + NOTES_AND_LINKS,
                 doi=Literal("10.5555/vol.2012.0010"))
    assert sorted(r["u"].value for r in found if r["u"]) == [
        "https://doi.org/10.5555/vol.2012.0010", "https://www.mendeley.com/catalogue/00000000-0000-0000-0000-000000000000/"]
    merged = load_files(kg, [EXPORTS / "scopus.ris", EXPORTS / "wos.ris"], rejects=tmp_path / "rejects")
    assert merged.counts.merged == 1 and [(w.field, w.origin.line) for w in merged.warnings] == [("year", 36)]
    found = rows(kg, "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> " + NOTES_AND_LINKS,
                 doi=Literal("10.5555/jssr.2019.0005"))
    assert sorted(r["n"].value for r in found if r["n"]) == [
        "Export Date: 14 March 2024; Cited By: 4",
        "Times Cited in Web of Science Core Collection: 4 Total Times Cited: 4 Cited Reference Count: 38"]
    assert [r["u"].value for r in found if r["u"]] == [
        "https://www.scopus.com/inward/record.uri?eid=2-s2.0-0000000001&doi=10.5555%2fjssr.2019.0005&partnerID=40&md5=0"]


def test_a_field_that_cannot_repeat_given_twice_in_ris_is_an_error_naming_both_lines(kg):
    with pytest.raises(InvalidInput) as refused:
        load_files(kg, [EXPORTS / "scopus.ris"])
    (error,) = refused.value.report.errors
    assert (error.origin.line, error.field) == (45, "TI") and "lines 47 and 48" in error.message
    assert error.value == "Service users as coresearchers: a reply"


def test_a_field_given_twice_in_a_csl_json_item_is_an_error_naming_it_and_both_values():
    report = Report()
    text = '[{"id": "t", "type": "article-journal", "title": "One", "title": "Two", "issued": {"date-parts": [[2020]]}}]'
    csljson.read(Source("twice.json", text.encode()), report)
    (error,) = report.errors
    assert (error.origin.key, error.field, error.value) == ("t", "title", '"One" | "Two"')


def test_a_key_given_twice_inside_an_object_of_a_csl_json_item_is_an_error_naming_its_path():
    report = Report()
    text = ('[{"id": "t", "type": "article-journal", "title": "One", "author": [{"family": "Ostrom", "given": "E"},'
            ' {"family": "Parks", "family": "Baker", "given": "R"}], "issued": {"date-parts": [[2020]], "date-parts": [[2021]]}}]')
    csljson.read(Source("nested.json", text.encode()), report)
    found = sorted((error.origin.key, error.field, error.value) for error in report.errors)
    assert found == [("t", "author[2].family", '"Parks" | "Baker"'), ("t", "issued.date-parts", "[[2020]] | [[2021]]")]
    assert all("this object of the item" in error.message for error in report.errors)


def test_without_rejects_a_bad_record_refuses_the_load(kg):
    with pytest.raises(InvalidInput) as refused:
        load_files(kg, [EXPORTS / "scopus.bib"])
    (error,) = refused.value.report.errors
    assert error.origin.key == "Whitaker2021303" and error.field == "title" and "lines 41 and 42" in error.message
    assert not list_loads(kg)


def test_records_set_aside_load_once_fixed_with_no_other_change(kg, tmp_path):
    folder = tmp_path / "rejects"
    first = load_files(kg, [EXPORTS / "scopus.bib", EXPORTS / "zotero.json"], rejects=folder)
    assert first.counts.set_aside == 2 and list_loads(kg)[-1].set_aside == 2
    assert sorted(p.name for p in folder.iterdir()) == ["scopus.bib", "scopus.bib.problems.txt", "zotero.json",
                                                         "zotero.json.problems.txt"]
    assert "lines 41 and 42" in (folder / "scopus.bib.problems.txt").read_text()
    bib = (folder / "scopus.bib").read_text()
    assert bib.startswith("@ARTICLE{Whitaker2021303,") and bib.count("@") == 1  # verbatim, that record only
    (folder / "scopus.bib").write_text(bib.replace("title={Service users as coresearchers: a reply},\n", ""))
    items = json.loads((folder / "zotero.json").read_text())
    items[0]["issued"] = {"date-parts": [[2024, 12, 15]]}
    (folder / "zotero.json").write_text(json.dumps(items))
    fixed = load_files(kg, [folder / "scopus.bib", folder / "zotero.json"])
    assert fixed.counts.added == 2 and fixed.counts.set_aside == 0


def test_a_ris_record_set_aside_is_written_verbatim_and_loads_once_fixed(kg, tmp_path):
    folder = tmp_path / "rejects"
    assert load_files(kg, [EXPORTS / "scopus.ris"], rejects=folder).counts.set_aside == 1
    ris_text = (folder / "scopus.ris").read_text(encoding="utf-8-sig")
    assert ris_text.startswith("TY  - JOUR\nAU  - Whitaker, P.\n") and ris_text.count("TY  - ") == 1
    assert "lines 47 and 48" in (folder / "scopus.ris.problems.txt").read_text()
    (folder / "scopus.ris").write_text(ris_text.replace("TI  - Service users as coresearchers: a reply\n", ""))
    assert load_files(kg, [folder / "scopus.ris"]).counts.added == 1


def test_load_rejects_on_the_command_line(cli_env, tmp_path):
    shutil.copy(EXPORTS / "scopus.bib", tmp_path / "scopus.bib")
    result = coprokg("load", str(tmp_path / "scopus.bib"), "--rejects", str(tmp_path / "out"), env=cli_env)
    assert result.returncode == 0, result.stderr
    assert "1 record set aside" in result.stdout.decode()
    assert (tmp_path / "out" / "scopus.bib").is_file()
    history = coprokg("loads", env=cli_env).stdout.decode().strip().splitlines()
    assert "1 set aside" in history[-1]


def test_zotero_rdf_is_refused_naming_the_exports_to_choose(kg):
    with pytest.raises(InvalidInput) as refused:
        load_files(kg, [EXPORTS / "zotero.rdf"])
    (error,) = refused.value.report.errors
    assert "Zotero's RDF export" in error.message and "CSL JSON" in error.hint


@pytest.mark.parametrize("latex, text", [
    (r"Only 12\% of the studies", "Only 12% of the studies"),
    (r"12\% of \emph{most} studies", "12% of most studies"),
    (r"citizens \& professionals \emph{together}", "citizens & professionals together"),
    (r"A \& B", "A & B"),
    (r"\textsc{Nasa}-style pilots", "Nasa-style pilots"),
    (r"{\textless}i{\textgreater}in practice{\textless}/i{\textgreater}", "<i>in practice</i>"),
    (r"\textless 50 participants, \textgreater{}10 sites", "<50 participants, >10 sites"),
    (r"50% raw \emph{and} more", "50% raw and more"),
    (r"Kjellstr{\"o}m and \aa ngstr\"om", "Kjellström and ångström"),
    (r"\textsc{Nhs} pilots: 12\% of {\textless}50 sites \& \emph{all} \textgreater{}10\% of 50% raw",
     "Nhs pilots: 12% of <50 sites & all >10% of 50% raw"),
])
def test_latex_decodes_to_what_a_latex_reader_sees(latex, text):
    assert decode(latex) == text


@pytest.mark.parametrize("written", ["n.d.", "N.D.", "nd", "no date", "s.d.", "o.J.", "undated"])
def test_no_date_as_reference_managers_write_it_is_no_year(written):
    assert year_of(written) is None
    assert year_of("2019///") == "2019" and year_of("19x9") == "19x9"  # kept for the shapes to report


def test_a_doi_given_as_a_proxy_or_html_link_or_only_as_a_link_is_stored_as_the_doi(kg, tmp_path):
    load_files(kg, [EXPORTS / "endnote.ris", EXPORTS / "mendeley.ris"])
    linked = tmp_path / "linked.ris"
    linked.write_text("TY  - JOUR\nTI  - Linked\nAU  - Doe, Jane\nPY  - 2020\nUR  - https://www.example.org/landing\n"
                      "UR  - https://login.ezproxy.example.edu/login?url=https://doi.org/10.5555/LINK.1\nER  - \n")
    load_files(kg, [linked])
    dois = {r["d"].value for r in rows(kg, "SELECT ?d WHERE { ?p bibo:doi ?d }")}
    assert {"10.5555/par.2016.0009", "10.5555/vol.2012.0010", "10.5555/link.1"} <= dois
    assert not [d for d in dois if "/" not in d or d.startswith(("http", "<"))]


@pytest.mark.parametrize("text, field", [
    ("@article{c,\ntitle = {T}\nauthor = {Doe, J},\nyear={2020}}\n", "title"),
    ("@article{u,\ntitle={T},\nurl = {http://x.org/{a},\nkeywords = {a, b}},\nyear={2020}}\n", "url"),
])
def test_a_field_that_swallowed_the_next_is_an_error_naming_it(kg, tmp_path, text, field):
    path = tmp_path / "broken.bib"
    path.write_text(text)
    with pytest.raises(InvalidInput) as refused:
        load_files(kg, [path])
    (error,) = refused.value.report.errors
    assert error.field == field and error.origin.line in (2, 3)


def test_ris_continuation_lines_are_kept_and_a_name_split_over_two_lines_is_an_error():
    report = Report()
    (work,) = ris.read(Source.from_path(EXPORTS / "endnote.ris"), report)[:1]
    assert work.abstract.endswith("coproduction by the involvement of citizens in design and implementation.")
    report = Report()
    ris.read(Source("split.ris", b"TY  - JOUR\nAU  - Doe,\nJane\nTI  - T\nER  - \n"), report)
    (error,) = report.errors
    assert (error.origin.line, error.field, error.value) == (3, "AU", "Jane")


@pytest.mark.parametrize("issued, words", [
    ([[2024, 13, 45]], "no month 13"),
    ([[2024, 2, 30]], "no day 30"),
    ([[2024, 1, 2, 3]], "4 parts"),
])
def test_impossible_csl_dates_are_errors_naming_item_and_field(issued, words):
    report = Report()
    item = {"id": "x", "type": "article-journal", "title": "T", "issued": {"date-parts": issued}}
    csljson.read(Source("d.json", json.dumps([item]).encode()), report)
    (error,) = report.errors
    assert (error.origin.key, error.field) == ("x", "issued") and words in error.message


def test_an_author_braced_twice_stays_one_corporate_name_while_other_values_lose_every_brace():
    report = Report()
    text = "@techreport{who, author = {{World Health Organization}}, title = {{Closing the gap}}, year = {{2008}}}\n"
    (work,) = bibtex.read(Source("who.bib", text.encode()), report)
    assert work.authors == [("World Health Organization", "")] and (work.title, work.year) == ("Closing the gap", "2008")
