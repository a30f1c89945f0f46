"""Every catalog question answered on the real curated graph (data/manifest.toml, seeded as a new
store is), checked against what the source papers say. Comments name where in ../shared/seeds:
000 Eriksson 2022, 001 Robert et al. 2024, 002 its preprint, 003 the Samskapa protocol."""

from __future__ import annotations

from collections import Counter

import pytest

from coprokg.queries import catalog
from tests.queries import seeds

C = "https://w3id.org/coproduction/concept/"
COUNTRY = "http://publications.europa.eu/resource/authority/country/"
ERIKSSON_DOI = "10.1080/10967494.2021.1969486"


@pytest.fixture(scope="module")
def ask(curated_store):
    def ask(name, **values):
        result = catalog.get(name).run(curated_store, values)
        columns = [v.value for v in result.variables]
        return [{k: (row[k].value if row[k] is not None else None) for k in columns} for row in result]

    return ask


def short(iri):
    return iri.rsplit("/", 1)[-1] if iri else None


def split(text):
    return set(text.split(" | ")) if text else set()


def test_evidence_matrix_is_eriksson_table_2(ask):
    # 000, Table 2 "Modes and levels of coproduction": the Four Cos by three levels; two cells
    # read "[No empirical data]": codesign and codelivery at the collective level.
    rows = ask("evidence-matrix")
    cells = {(short(r["mode"]), short(r["level"])): r for r in rows}
    assert len(rows) == len(cells) == 12
    assert list(dict.fromkeys(short(r["mode"]) for r in rows)) == ["co-commissioning", "co-design", "co-delivery", "co-assessment"]
    gaps = {cell for cell, row in cells.items() if row["gap"] == "true"}
    assert gaps == {("co-design", "collective-level"), ("co-delivery", "collective-level")}
    assert {cells[g]["gapSource"] for g in gaps} == {"Eriksson 2022"} and all(cells[g]["practices"] == "0" for g in gaps)
    table_2 = {
        ("co-commissioning", "individual-level"): "Personalization through prioritization of health needs",
        ("co-design", "individual-level"): "Develop treatment plan to address health needs",
        ("co-delivery", "individual-level"): "Exercise and stopping smoking to address health needs",
        ("co-assessment", "individual-level"): "Evaluation of the plan and health improvement",
        ("co-commissioning", "group-level"): "Patient associations identify areas in need of improvement",
        ("co-design", "group-level"): "Map patient journey to (re)design patient process",
        ("co-delivery", "group-level"): "Peer education: educate other patients",
        ("co-assessment", "group-level"): "Evaluation of the provision of services for the patient group",
        ("co-commissioning", "collective-level"): "Citizens dialogs to identify and prioritize desired goals",
        ("co-assessment", "collective-level"): "Patient satisfaction surveys",
    }
    for cell, practice in table_2.items():
        assert any(label.startswith(practice) for label in split(cells[cell]["practiceLabels"])), cell
        assert cells[cell]["gap"] == "false" and cells[cell]["papers"] == "1"


def test_the_matrix_cells_are_the_seed_table_cells(ask):
    # 000, Table 2, read from the paper itself.
    cells = {(short(r["mode"]), short(r["level"])): r for r in ask("evidence-matrix")}
    for cell, text in seeds.eriksson_table_2().items():
        if text == "[No empirical data]":
            assert cells[cell]["gap"] == "true", cell
        else:
            assert any(label.startswith(text) for label in split(cells[cell]["practiceLabels"])), cell


def test_modes_follow_nabatchi_as_eriksson_reports(ask):
    # 000, "Coproduction: Modes...": "cocommissioning is prospective, codelivery concurrent, codesign
    # may be both prospective and concurrent, and coassessment is mainly retrospective"; "Apart from
    # codelivery, all of the modes mainly involve citizen voice".
    modes = {short(r["mode"]): (split(r["temporalOrientation"]), r["mainlyThrough"]) for r in ask("modes")}
    assert modes == {
        "co-commissioning": ({"prospective"}, "voice"),
        "co-design": ({"prospective", "concurrent"}, "voice"),
        "co-delivery": ({"concurrent"}, "action"),
        "co-assessment": ({"retrospective"}, "voice"),
    }


def test_reviewed_articles_by_model_type_beside_the_review_counts(ask):
    # 002, headings of Supplementary files 2-4: n=42, n=22, n=7; 001 Results: "two articles (3%) cut
    # across the boundaries". 001 Results says 42 (58%) and "The 43 largely conceptual/theoretical
    # papers"; "Twenty-two (30%)" and "We mapped 20 of the 73 papers"; "Seven (10%)" and "Eight of the
    # reviewed articles ... typology".
    rows = ask("reviewed-by-model-type")
    per_type = {short(r["modelType"]): r for r in rows}
    assert {t: int(r["modelTypeArticles"]) for t, r in per_type.items()} == {
        "conceptual-theoretical-model": 42, "practice-oriented-model": 22, "typology": 7, "boundary-spanning-model": 2}
    reported = {t: split(r["reported"]) for t, r in per_type.items()}
    assert {"20 (text, Robert et al. 2024)", "22 (text, Robert et al. 2024)",
            "22 (table, Robert et al. 2024 (preprint))"} <= reported["practice-oriented-model"]
    assert {"42 (text, Robert et al. 2024)", "43 (text, Robert et al. 2024)"} <= reported["conceptual-theoretical-model"]
    assert {"7 (text, Robert et al. 2024)", "8 (text, Robert et al. 2024)"} <= reported["typology"]
    # 002, Supplementary file 3: health services research is the largest discipline of practice models.
    practice = [r for r in rows if short(r["modelType"]) == "practice-oriented-model"]
    assert short(practice[0]["discipline"]) == "health-services-research"


def test_models_timeline_counts_the_table_rows_per_year(ask):
    # 002, Supplementary files 2-4 ("First author, year"), plus the two boundary-spanning papers of
    # 001 (Batalden et al. 2016, Essén et al. 2016). Three rows give the online year where the
    # reference lists give the issue year: Voorberg 2014 (000 references: 2015), Farmer 2017 (001
    # ref. 33: 2018) and Brandsen 2015 (000 references: 2016); the graph keeps the issue year.
    timeline = Counter({(r["year"], short(r["modelType"])): int(r["articles"]) for r in ask("models-timeline")})
    expected = seeds.preprint_rows_per_year() + Counter({("2016", "boundary-spanning-model"): 2})
    for table_year, issue_year, kind in [("2014", "2015", "conceptual-theoretical-model"),
                                         ("2017", "2018", "practice-oriented-model"), ("2015", "2016", "typology")]:
        expected[table_year, kind] -= 1
        expected[issue_year, kind] += 1
    assert timeline == +expected
    assert sum(timeline.values()) == 73


def test_author_countries_of_the_reviewed_models(ask):
    # 002, Supplementary files 2-4, "Author country": UK leads conceptual and practice models;
    # Nabatchi 2017 is "International", which has no country, so typology counts six of seven.
    rows = ask("author-countries")
    per = {(short(r["modelType"]), short(r["country"])): int(r["articles"]) for r in rows}
    assert per["conceptual-theoretical-model", "GBR"] == 12 and per["practice-oriented-model", "GBR"] == 11
    typology = {country: n for (kind, country), n in per.items() if kind == "typology"}
    assert typology == {"GBR": 2, "AUS": 1, "ITA": 1, "NLD": 1, "USA": 1}
    assert not any("Nabatchi" in r["labels"] for r in rows)


def test_case_studies_nine_samskapa_and_the_western_sweden_study(ask):
    # 003, Table 1 "Initial nine case studies (in Sweden unless stated)": three in England.
    # 000, Methods: the interview study in the Western Region of Sweden.
    rows = ask("case-studies")
    samskapa = [r for r in rows if r["reportedIn"] == "Kjellström et al. 2019"]
    assert len(samskapa) == 9
    assert Counter(short(r["country"]) for r in samskapa) == {"SWE": 6, "GBR": 3}
    assert {r["label"] for r in samskapa if short(r["country"]) == "GBR"} == {
        "We Coproduce", "Chemotherapy-induced peripheral neuropathy", "Therapeutic engagement on an acute psychiatric ward"}
    # 003, Aim: four objectives (measurements, mechanisms, management, model) for the nine projects.
    assert all(len(split(r["samskapaObjectives"])) == 4 for r in samskapa)
    [eriksson] = [r for r in rows if r["reportedIn"] == "Eriksson 2022"]
    assert short(eriksson["country"]) == "SWE" and "Western Region of Sweden" in eriksson["label"]
    assert "interviews" in eriksson["methods"] and eriksson["samskapaObjectives"] in ("", None)


def test_case_methods_as_table_1_lists_them(ask):
    # 003, Table 1, "Research methods": the Esther network is a "Qualitative study incorporating
    # documentary analysis; interviews ...; and non-participant observation"; the CIPN case runs a
    # feasibility randomised controlled trial with patient-reported outcome measures.
    rows = {r["label"]: r for r in ask("case-methods")}
    assert split(rows["The Esther network"]["methods"]) == {"document-analysis", "interviews", "non-participant-observation"}
    assert rows["The Esther network"]["mixed"] == "false"
    cipn = rows["Chemotherapy-induced peripheral neuropathy"]
    assert {"feasibility-rct", "prom"} <= split(cipn["quantitativeMethods"]) and cipn["mixed"] == "true"
    assert "participatory-action-research" in split(rows["Djursdala community project"]["methods"])


def test_vulnerable_groups_are_the_last_three_cases_of_table_1(ask):
    # 003, Ethics: "vulnerable groups, some of which will be participating in this programme (see
    # final three projects in table 1)".
    rows = ask("vulnerable-groups")
    assert {r["label"] for r in rows if r["kind"] == "case study"} == {
        "Disabled children and adolescents", "Therapeutic engagement on an acute psychiatric ward",
        "Learning health system for severe mental illness"}


def test_most_cited_meets_where_both_reference_lists_do(ask):
    # 000 and 001 reference lists share exactly three works: Cepiku and Giordano 2014, Osborne and
    # Strokosch 2013, Nabatchi, Sancino and Sicilia 2017; 112 + 41 - 3 = 150 cited works.
    rows = ask("most-cited")
    assert len(rows) == 150
    shared = {r["label"] for r in rows if r["shared"] == "true"}
    assert shared == {"Cepiku et al. 2014", "Osborne et al. 2013", "Nabatchi et al. 2017"}
    assert all(r["citingWorks"] and split(r["citingWorks"]) == {"Eriksson 2022", "Robert et al. 2024"}
               for r in rows if r["shared"] == "true")
    assert [r["shared"] for r in rows[:3]] == ["true"] * 3


def test_the_shared_citations_are_the_dois_both_reference_lists_give(ask):
    shared = {r["work"].split("/paper/doi/", 1)[-1] for r in ask("most-cited") if r["shared"] == "true"}
    assert shared == seeds.reference_dois("eriksson") & seeds.reference_dois("review")


def test_shared_authors_include_those_of_the_shared_works(ask):
    rows = {short(r["person"]): r for r in ask("shared-authors")}
    assert {"nabatchi-t", "sancino-a", "sicilia-m", "cepiku-d", "giordano-f", "strokosch-k"} <= set(rows)
    assert all(split(r["sourceWorks"]) == {"Eriksson 2022", "Robert et al. 2024"} for r in rows.values())


@pytest.mark.parametrize("doi", [ERIKSSON_DOI, "https://doi.org/" + ERIKSSON_DOI.upper(), "doi:" + ERIKSSON_DOI])
def test_paper_by_doi_gives_eriksson(ask, doi):
    rows = ask("paper", doi=doi)
    facts = Counter(r["aspect"] for r in rows)
    aspects = {(r["aspect"], r["label"]) for r in rows}
    # 000, title page: title, author, journal, 2022.
    assert {("title", "Coproduction and inclusion: A public administrator perspective"), ("year", "2022"),
            ("author", "Erik Eriksson"), ("journal", "International Public Management Journal")} <= aspects
    # 000, References: 112 entries, each cited once.
    assert facts["cites"] == 112 and len({r["value"] for r in rows if r["aspect"] == "cites"}) == 112
    assert ("cites", "Nabatchi et al. 2017") in aspects
    # 000, Table 2 and its two empty cells; the Western Sweden study.
    assert {("reports", "Co-design at the collective level: no empirical data"),
            ("case study", "Interview study of public administrators in the Western Region of Sweden")} <= aspects
    concepts = {short(r["value"]): r for r in rows if r["aspect"] == "concept"}
    assert {"co-design", "equality-of-opportunity", "justice-reason", "external-exclusion"} <= set(concepts)
    assert concepts["co-design"]["recordedBy"] == "curator" and concepts["co-design"]["passage"]


def test_paper_by_doi_links_nabatchi_2017_to_both_sources(ask):
    # 002, Supplementary file 4 (Nabatchi, 2017, typology); cited by 000 and 001 (ref. 29).
    rows = ask("paper", doi="10.1111/puar.12765")
    aspects = {(r["aspect"], r["label"]) for r in rows}
    assert {("cited by", "Eriksson 2022"), ("cited by", "Robert et al. 2024"), ("reviewed in", "Robert et al. 2024")} <= aspects
    assert {short(r["value"]) for r in rows if r["aspect"] == "model type"} == {"typology"}


@pytest.mark.parametrize("given", ["co-design", "Co-design", "codesign", C + "co-design"])
def test_concept_profile_of_co_design(ask, given):
    rows = ask("concept-profile", concept=given)
    assert {r["concept"] for r in rows} == {C + "co-design"}
    # 000 defines the Four Cos (after Bovaird and Loeffler) and reports the co-design practices of Table 2.
    assert {r["source"] for r in rows if r["aspect"] == "definition"} == {"Eriksson 2022"}
    practices = {r["label"] for r in rows if r["aspect"] == "practice"}
    assert {"Develop treatment plan to address health needs (co-design, individual level)",
            "Map patient journey to (re)design patient process (co-design, group level)"} <= practices
    papers = {r["label"] for r in rows if r["aspect"] == "paper"}
    # 003 advocates codesign; 002 Supplementary file 3 (Locock, 2014) and 001 ref. 29 (Nabatchi 2017).
    assert {"Kjellström et al. 2019", "Eriksson 2022", "Locock 2014", "Nabatchi et al. 2017"} <= papers


def test_distinguished_concepts(ask):
    pairs = {(short(r["concept"]), short(r["other"])) for r in ask("distinguished-concepts")}
    # 000: coproduction "confused with cocreation"; instrumental and normative reasons; external and
    # internal exclusion; equality as sameness or difference. 001: value co-creation and co-destruction.
    assert {("cocreation", "coproduction"), ("instrumental-reason", "normative-reason"),
            ("external-exclusion", "internal-exclusion"), ("equality-as-difference", "equality-as-sameness"),
            ("value-co-creation", "value-co-destruction")} <= pairs
    sources = {r["source"] for r in ask("distinguished-concepts") if short(r["concept"]) == "cocreation"}
    assert {"Eriksson 2022", "Robert et al. 2024"} <= sources


def test_equality_by_mode_and_level(ask):
    # 000, "Coproduction and equality": cocommissioning matters for equality "at all three levels",
    # through equality of opportunity and equality of use; mapping a patient journey at the group
    # level for equality of outcome; coassessment reveals unfair (illegitimate) differences.
    rows = {(short(r["mode"]), short(r["level"]), short(r["equality"])) for r in ask("equality-by-mode-and-level")}
    for level in ("individual-level", "group-level", "collective-level"):
        assert {("co-commissioning", level, "equality-of-opportunity"), ("co-commissioning", level, "equality-of-use")} <= rows
    assert ("co-design", "group-level", "equality-of-outcome") in rows
    assert ("co-assessment", "individual-level", "illegitimate-inequality") in rows


def test_inclusion_reasons(ask):
    # 000, "Coproduction and inclusion": justice, perspective and resource reasons; equality as
    # sameness or as difference; each defined, found and quoted from Eriksson.
    rows = ask("inclusion-reasons")
    kinds = {(short(r["concept"]), r["kind"]) for r in rows}
    for concept in ("justice-reason", "perspective-reason", "resource-reason", "equality-as-sameness", "equality-as-difference"):
        assert {(concept, "definition"), (concept, "finding"), (concept, "passage")} <= kinds
    assert {r["source"] for r in rows} == {"Eriksson 2022"}


def test_literature_bridges(ask):
    # 001 (health services research) cites PAM work: Alford 2016, Nabatchi et al. 2017 (refs 15, 29).
    links = {(r["link"], r["from"], r["to"]) for r in ask("literature-bridges")}
    assert {("cites", "Robert et al. 2024", "Alford 2016"), ("cites", "Robert et al. 2024", "Nabatchi et al. 2017")} <= links
    assert any(link == "reviewed with" for link, _, _ in links)


def test_unexercised_concepts(ask):
    rows = ask("unexercised-concepts")
    concepts = {short(r["resource"]) for r in rows if r["kind"] == "concept"}
    # 001's fugitive co-production and the value concepts have no case or practice in the graph;
    # the practices of 000 exercise the modes, levels and equality dimensions they address.
    assert {"fugitive-coproduction", "value-co-destruction"} <= concepts
    assert not {"co-design", "collective-level", "equality-of-use", "interviews"} & concepts
    bare = {r["label"] for r in rows if r["kind"] == "practice"}
    assert "Patient satisfaction surveys (co-assessment, collective level)" in bare


def test_practice_models_do_not_draw_on_value_concepts(ask):
    # 002, Supplementary file 3: 22 practice-oriented models; 001 Discussion: "Within the
    # practice-oriented literature ... a lack of critical engagement with theories relating to
    # considerations of value".
    rows = ask("value-concepts-in-practice-models")
    assert len(rows) == 22 and {r["drawsOnValueConcepts"] for r in rows} == {"false"}


def test_concept_pairs(ask):
    rows = ask("concept-pairs")
    counts = [int(r["papers"]) for r in rows]
    assert len(rows) == 25 and counts == sorted(counts, reverse=True)
    assert ("co-design", "coproduction") in {(short(r["concept"]), short(r["other"])) for r in rows}


def test_annotation_agreement(ask):
    rows = {r["label"]: r for r in ask("annotation-agreement")}
    # 000 discusses all Four Cos; curators recorded each with its passage.
    assert {"co-commissioning", "co-design", "co-delivery", "co-assessment"} <= split(rows["Eriksson 2022"]["curatedOnly"])
    assert all(int(r["agreed"]) >= 0 for r in rows.values())
    assert any(int(r["agreed"]) > 0 for r in rows.values())


def test_literatures_by_year(ask):
    rows = ask("literatures-by-year")
    per = Counter()
    for r in rows:
        per[short(r["literature"]), short(r["modelType"])] += int(r["articles"])
    # 001 Results: among the conceptual/theoretical papers "the largest number of papers related to
    # Public Administration & Management (PAM) and Sociology"; practice models come mostly from HSR
    # (002, Supplementary file 3).
    conceptual = {lit: n for (lit, kind), n in per.items() if kind == "conceptual-theoretical-model" and lit}
    assert max(conceptual, key=conceptual.get) == "pam-literature"
    practice = {lit: n for (lit, kind), n in per.items() if kind == "practice-oriented-model" and lit}
    assert max(practice, key=practice.get) == "hsr-literature"


def test_case_knowledge_gaps(ask):
    # 003, "Knowledge gaps": measurement, mechanisms, management, which the cross-case analysis of
    # the nine case studies addresses; Eriksson's study is not part of the programme.
    rows = ask("case-knowledge-gaps")
    assert Counter(short(r["gap"]) for r in rows) == {
        "knowledge-gap-measurement": 9, "knowledge-gap-mechanisms": 9, "knowledge-gap-management": 9}
    assert {r["source"] for r in rows} == {"Kjellström et al. 2019"}
    management = [r for r in rows if short(r["gap"]) == "knowledge-gap-management"]
    assert all("studies of leadership in coproduction initiatives are sparse" in r["passages"] for r in management)


def test_every_question_answers_on_the_curated_graph(curated_store):
    # How fast each answers is measured by bench/bench_catalog.py, not here.
    for query in catalog.catalog():
        assert list(query.run(curated_store)), f"{query.name} has no answer on the curated graph"
