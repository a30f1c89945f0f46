"""Where works appear in the sources (lists.ttl): each table cell as the preprint prints it, each
row and reference-list entry naming the work the loads made of it, and the review's numbers."""

from __future__ import annotations

import csv

from rdflib import RDF, URIRef

from coprokg.vocab import COP
from tests.data.support import DATA, quote_occurs, turtle

B = "https://w3id.org/coproduction/"
REVIEW = B + "paper/robert-2024-6ccd34d9"
PREPRINT_TABLE = B + "list/robert-2024-supplementary-file-"


def entries(graph, prefix: str) -> list:
    return [e for e in graph.subjects(RDF.type, COP.ListEntry) if str(graph.value(e, COP.inList)).startswith(prefix)]


def test_every_printed_cell_is_in_the_preprint():
    graph = turtle("lists.ttl")
    missing = [(str(e), str(v)) for p in (COP.printedLabel, COP.printedCountry, COP.printedDiscipline)
               for e, v in graph.subject_objects(p) if not quote_occurs(str(v), "preprint")]
    assert missing == []


def test_one_table_row_per_row_of_the_reviewed_articles_table():
    graph = turtle("lists.ttl")
    with (DATA / "reviewed-articles.csv").open(encoding="utf-8", newline="") as handle:
        tabled = [row for row in csv.DictReader(handle) if row["id"].startswith("robert2024-s")]
    rows = entries(graph, PREPRINT_TABLE)
    assert len(rows) == len(tabled) == 71
    by_table = {n: len([e for e in rows if str(graph.value(e, COP.inList)).endswith(str(n))]) for n in (2, 3, 4)}
    assert by_table == {2: 42, 3: 22, 4: 7}
    labels = {str(graph.value(e, COP.printedLabel)) for e in rows}
    assert {"Fledderus 2015a", "Fledderus, 2015b", "Locock, 2014a", "Locock, 2014b"} <= labels


def test_compound_disciplines_keep_their_printed_order():
    graph = turtle("lists.ttl")
    printed = {str(v) for v in graph.objects(None, COP.printedDiscipline)}
    assert {"Sociology/Health Services Research", "Community organizing/psychology"} <= printed


def test_entries_name_the_works_the_loads_made(curated_store):
    rows = curated_store.query("""
        PREFIX cop: <https://w3id.org/coproduction/ontology#>
        PREFIX cito: <http://purl.org/spar/cito/>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?entry WHERE {
          ?entry cop:inList ?list ; cop:entryFor ?work . ?list dcterms:isPartOf ?paper .
          OPTIONAL { ?paper dcterms:isVersionOf ?version }
          FILTER NOT EXISTS { ?paper cito:cites ?work }
          FILTER NOT EXISTS { ?version cito:reviews ?work }
        }""")
    assert [row["entry"].value for row in rows] == []


def test_the_review_cites_the_protocol_as_reference_3():
    graph = turtle("lists.ttl")
    entry = URIRef(B + "list/robert-2024-references#3")
    assert graph.value(entry, COP.entryFor) == URIRef(B + "paper/doi/10.1136/bmjopen-2019-029723")
    assert int(graph.value(entry, COP.position)) == 3
    assert len(entries(graph, B + "list/robert-2024-references")) == 41
