"""People, journals and works without DOI: one resource per person or
work, merged only on evidence, minted in every script, and what looks alike reported."""

from __future__ import annotations

import json

from pyoxigraph import Literal, NamedNode

from coprokg.loaders import load_files, validate_files
from tests.loaders.test_works import rows


def bib(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def people(kg, family: str) -> dict[str, str]:
    found = rows(kg, "SELECT ?p ?name ?f WHERE { ?p a foaf:Person ; foaf:familyName ?f ; foaf:name ?name }",
                 f=Literal(family))
    return {r["p"].value.rsplit("/", 1)[1]: r["name"].value for r in found}


def test_punctuation_in_initials_does_not_split_a_person(kg, tmp_path):
    scopus = bib(tmp_path, "scopus.bib", "@article{s1, title={Peer support in recovery}, author={Randolph, K.A. and "
                 "Doe, J.}, year={2019}, doi={10.1000/peer}}\n")
    wos = bib(tmp_path, "wos.bib", "@article{ WOS:000438395200007, title={Peer support in recovery}, author={Randolph, "
              "KA and Doe, J}, year={2019}, doi={10.1000/peer}}\n")
    load_files(kg, [scopus])
    second = load_files(kg, [wos])
    assert list(people(kg, "Randolph")) == ["randolph-ka"]
    creators = rows(kg, "SELECT ?c WHERE { ?p bibo:doi '10.1000/peer' ; dcterms:creator ?c }")
    assert len(creators) == 2  # each author once, not twice
    assert not second.warnings  # trivial punctuation is no difference


def test_different_given_names_stay_different_people_and_are_reported(kg, tmp_path):
    load_files(kg, [bib(tmp_path, "a.bib", "@article{a, title={One}, author={Canary, Carl}, year={2020}}\n")])
    later = load_files(kg, [bib(tmp_path, "b.bib", "@article{b, title={Two}, author={Canary, Csl}, year={2021}}\n")])
    assert people(kg, "Canary") == {"canary-carl": "Carl Canary", "canary-csl": "Csl Canary"}
    (warning,) = later.warnings
    assert warning.origin.key == "b" and warning.field == "authors" and "Carl Canary" in warning.message
    assert "unload" not in str(warning)


def test_initials_join_the_one_person_they_match_and_only_one(kg, tmp_path):
    zhangs = "".join(f"@article{{z{n}, title={{Paper {n}}}, author={{Zhang, {given}}}, year={{2020}}}}\n"
                     for n, given in enumerate(["Yi", "Yan", "Yu", "Ying", "Yong"]))
    load_files(kg, [bib(tmp_path, "zhang.bib", zhangs + "@article{r, title={Paper R}, author={Robert, Glenn}, year={2020}}\n")])
    short = load_files(kg, [bib(tmp_path, "short.bib", "@article{y, title={Paper Y}, author={Zhang, Y. and Robert, G.}, "
                                "year={2021}}\n")])
    assert len(people(kg, "Zhang")) == 6 and "zhang-y" in people(kg, "Zhang")
    assert list(people(kg, "Robert")) == ["robert-glenn"]
    (warning,) = short.warnings
    assert warning.origin.key == "y" and "match 5 people" in warning.message, [str(w) for w in short.warnings]


def test_names_in_every_script_are_people_of_their_own(kg, tmp_path):
    authors = "王, 伟 and 李, 娜 and Иванов, Иван and Παπαδόπουλος, Γιώργος"
    load_files(kg, [bib(tmp_path, "scripts.bib", f"@article{{s, title={{Scripts}}, author={{{authors}}}, year={{2020}}}}\n")])
    found = rows(kg, "SELECT ?p WHERE { ?p a foaf:Person }")
    iris = {r["p"].value for r in found}
    assert len(iris) == 4 and not any(iri.endswith("/person/") for iri in iris)


def test_journals_without_latin_letters_are_journals_of_their_own(kg, tmp_path):
    titles = ["Բանբեր Երևանի համալսարանի", "Լրաբեր հասարակական գիտությունների"]
    text = "".join(f"@article{{j{n}, title={{Paper {n}}}, author={{Doe, Jane}}, journal={{{t}}}, year={{2020}}}}\n"
                   for n, t in enumerate(titles))
    text += ("@article{i1, title={Issn one}, author={Doe, Jane}, journal={World Development}, issn={0305-750X}, "
             "year={2020}}\n@article{i2, title={Issn two}, author={Doe, Jane}, journal={World development}, year={2020}}\n")
    load_files(kg, [bib(tmp_path, "journals.bib", text)])
    journals = {r["j"].value for r in rows(kg, "SELECT DISTINCT ?j WHERE { ?p dcterms:isPartOf ?j }")}
    assert len(journals) == 3 and not any(j.endswith("/journal/") for j in journals)
    assert "https://w3id.org/coproduction/journal/issn/0305-750X" in journals


def test_look_alike_letters_and_direction_controls_are_reported_by_record_and_field(kg, tmp_path):
    path = bib(tmp_path, "odd.bib", "@article{odd, title={Co-production \u202eworks}, author={Iv\u0430nov, Ivan}, "
               "year={2020}}\n")
    for report in (validate_files([path], kg), load_files(kg, [path])):
        found = {(w.origin.key, w.field) for w in report.warnings}
        assert found == {("odd", "title"), ("odd", "authors")}


def test_works_without_doi_are_told_apart_by_volume_container_and_type(kg, tmp_path):
    volumes = bib(tmp_path, "volumes.bib", "".join(
        f"@book{{v{n}, title={{Handbook of coproduction}}, author={{Loeffler, Elke}}, year={{2021}}, volume={{{n}}}}}\n"
        for n in (1, 3)))
    first = load_files(kg, [volumes])
    assert first.counts.added == 2
    (warning,) = first.warnings
    assert warning.origin.key == "v3" and warning.field == "volume"
    again = load_files(kg, [bib(tmp_path, "again.bib", "@book{w, title={Handbook of Coproduction.}, "
                                "author={Loeffler, E.}, year={2021}, volume={3}}\n")])
    assert again.counts.added == 0 and again.counts.merged == 1
    courts = bib(tmp_path, "courts.ris", "".join(
        f"TY  - CASE\nTI  - Smith v. Jones\nAU  - Court, Supreme\nPY  - 2019\nT2  - {reporter}\nER  - \n"
        for reporter in ("Federal Reporter", "Supreme Court Reporter")))
    assert load_files(kg, [courts]).counts.added == 2
    kinds = load_files(kg, [bib(tmp_path, "kinds.bib", "".join(
        f"@{kind}{{{kind}, title={{Citizens and the state}}, author={{Alford, John}}, year={{2009}}}}\n"
        for kind in ("book", "techreport")))])
    assert kinds.counts.added == 2 and [(w.origin.key, w.field) for w in kinds.warnings] == [("techreport", "type")]


def test_an_orcid_is_evidence_before_any_name(kg, tmp_path):
    orcid = "https://orcid.org/0000-0002-1825-0097"
    first = [{"id": "a", "type": "article-journal", "title": "One", "issued": {"date-parts": [[2020]]},
              "author": [{"family": "Eriksson", "given": "Eva", "ORCID": orcid}]}]
    later = [{"id": "b", "type": "article-journal", "title": "Two", "issued": {"date-parts": [[2021]]},
              "author": [{"family": "Eriksson", "given": "E. M.", "ORCID": "0000-0002-1825-0097"},
                         {"family": "Eriksson", "given": "Erik", "ORCID": "0000-0002-1825-0098"}]}]
    load_files(kg, [bib(tmp_path, "a.json", json.dumps(first))])
    report = load_files(kg, [bib(tmp_path, "b.json", json.dumps(later))])
    assert sorted(people(kg, "Eriksson")) == ["eriksson-erik", "eriksson-eva"]
    assert rows(kg, "SELECT ?p ?o WHERE { ?p <http://www.w3.org/2002/07/owl#sameAs> ?o }", o=NamedNode(orcid))
    (warning,) = [w for w in report.warnings if "ORCID" in w.message]
    assert warning.origin.key == "b" and warning.value == "0000-0002-1825-0098"
