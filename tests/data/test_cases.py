"""The nine Samskapa case studies of the protocol's Table 1, in the cases CSV template."""

from __future__ import annotations

import csv
from collections import Counter

from tests.data.support import DATA, quote_occurs

CSV = DATA / "cases.csv"
HEADER = "id,name,country,setting,place,background,objective,research_aim,methods,vulnerable_groups,programme,reported_in,informs_objectives"


def rows():
    with CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_header_is_the_cases_template():
    assert CSV.read_text(encoding="utf-8").splitlines()[0] == HEADER


def test_nine_case_studies_six_in_sweden_three_in_england():
    assert len(rows()) == 9
    assert Counter(row["country"] for row in rows()) == {"SWE": 6, "GBR": 3}
    english = {row["name"] for row in rows() if row["country"] == "GBR"}
    assert english == {
        "We Coproduce",
        "Chemotherapy-induced peripheral neuropathy",
        "Therapeutic engagement on an acute psychiatric ward",
    }


def test_objectives_and_research_aims_are_the_tables_words():
    # The Esther network's research aim spans three sentences in the table; it is summarised instead.
    for row in rows():
        assert quote_occurs(row["objective"], "protocol"), row["id"]
        if row["id"] != "esther-network":
            assert quote_occurs(row["research_aim"], "protocol"), row["id"]


def test_every_case_names_its_methods_programme_and_source():
    for row in rows():
        assert row["methods"].split("; ")
        assert row["programme"] == "https://w3id.org/coproduction/programme/samskapa"
        assert row["reported_in"] == "10.1136/bmjopen-2019-029723"
        assert set(row["informs_objectives"].split("; ")) == {"Measurement objective", "Mechanisms objective", "Management objective", "Models objective"}


def test_vulnerable_groups_are_the_final_three_projects_of_the_table():
    # "particularly important for vulnerable groups, some of which will be participating in this
    # programme (see final three projects in table 1)"
    assert [row["id"] for row in rows() if row["vulnerable_groups"]] == [row["id"] for row in rows()][-3:]
