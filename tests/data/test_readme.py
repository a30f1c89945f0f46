"""The README's "The curated graph" section states counts that the data files keep true."""

from __future__ import annotations

import csv
import re

import bibtexparser
from rdflib import RDF

from coprokg.vocab import COP, OA
from tests.data.support import DATA, turtle
from tests.support import REPO


def readme_counts() -> dict[str, str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The curated graph", 1)[1].split("\n## ", 1)[0]
    return {m[0]: m[1] for m in re.findall(r"^\| `([^`]+)` \|.*\| ([^|]+) \|$", section, flags=re.MULTILINE)}


def csv_rows(name):
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return len(list(csv.DictReader(handle)))


def typed(name, cls):
    return len(set(turtle(name).subjects(RDF.type, cls)))


def test_readme_counts_match_the_files():
    counts = readme_counts()
    assert set(counts) == {p.name for p in DATA.iterdir() if p.name not in ("manifest.toml", "__init__.py", "__pycache__")}
    actual = {
        "references-eriksson-2022.bib": f"{len(bibtexparser.parse_file(str(DATA / 'references-eriksson-2022.bib')).entries)} entries",
        "references-robert-2024.bib": f"{len(bibtexparser.parse_file(str(DATA / 'references-robert-2024.bib')).entries)} entries",
        "reviewed-articles.csv": f"{csv_rows('reviewed-articles.csv')} articles",
        "cases.csv": f"{csv_rows('cases.csv')} case studies",
        "practices.ttl": f"{typed('practices.ttl', COP.CoproductionPractice)} practices, {typed('practices.ttl', COP.EvidenceGap)} gaps",
        "findings.ttl": f"{typed('findings.ttl', COP.Finding)} findings, {typed('findings.ttl', COP.ReportedCount)} counts",
        "claims.ttl": f"{typed('claims.ttl', OA.Annotation)} annotations",
        "study-western-sweden.ttl": f"{typed('study-western-sweden.ttl', COP.CaseStudy)} study",
        "programme.ttl": f"{typed('programme.ttl', COP.ResearchProgramme)} programme",
        "review-method.ttl": f"{typed('review-method.ttl', COP.ReviewMethod)} review methods, "
                             f"{typed('review-method.ttl', COP.DatabaseSearch)} searches, "
                             f"{typed('review-method.ttl', COP.ReportedCount)} counts",
        "disagreements.ttl": f"{typed('disagreements.ttl', COP.Disagreement)} disagreements",
        "lists.ttl": f"{typed('lists.ttl', COP.SourceList)} lists, {typed('lists.ttl', COP.ListEntry)} entries",
    }
    for name, stated in actual.items():
        assert counts[name].strip() == stated, name
