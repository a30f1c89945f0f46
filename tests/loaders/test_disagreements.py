"""No load overwrites another source's value: two sources that describe one work differently
both stay in the graph, each with its source, and the disagreement is data."""

from __future__ import annotations

from pyoxigraph import NamedNode

from coprokg.loaders import list_loads, load_files, unload
from coprokg.loaders.iris import paper_iri

PAPER = NamedNode(str(paper_iri(doi="10.5555/fid.1", family=None, year=None, title=None)))
READINGS = """
PREFIX cop: <https://w3id.org/coproduction/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?value ?source ?record ?default ?work ?property WHERE {
  ?d a cop:Disagreement ; cop:concerns ?work ; cop:property ?property ; cop:reading ?r .
  ?r rdf:value ?value .
  OPTIONAL { ?r dcterms:source ?source }
  OPTIONAL { ?r cop:record ?record }
  BIND(EXISTS { ?d cop:defaultReading ?r } AS ?default)
} ORDER BY ?value"""


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def values(store, query: str, **bindings) -> list:
    """Rows of ``query`` with ``bindings`` substituted, as text, without the bound columns."""
    rows = store.query(query, substitutions=bindings)
    shown = [v.value for v in rows.variables if v.value not in bindings]
    return [[None if row[name] is None else row[name].value for name in shown] for row in rows]


def test_a_later_load_keeps_its_differing_year_beside_the_first(kg, tmp_path):
    first = load_files(kg, [write(tmp_path, "registry.bib", "@article{r, title={Fidelity in coproduction},"
                                  " author={Berg, Anna}, year={2016}, doi={10.5555/fid.1}, volume={3}}\n")])
    later = load_files(kg, [write(tmp_path, "reference-list.bib", "@article{list12, title={Fidelity in coproduction},"
                                  " author={Berg, Anna}, year={2017}, doi={10.5555/fid.1}, volume={3}}\n")])
    assert later.load_id is not None
    assert any(p.field == "year" and "disagreement" in p.message for p in later.warnings)
    graphs = {info.files: info.graph for info in list_loads(kg)}
    # The plain reading is the first source's; both values are one pattern away, each with its graph.
    assert values(kg, "SELECT ?y ?w WHERE { ?w <http://purl.org/dc/terms/issued> ?y }", w=PAPER) == [["2016"]]
    found = values(kg, READINGS, work=PAPER, property=NamedNode("http://purl.org/dc/terms/issued"))
    assert found == [["2016", graphs["registry.bib"], None, "true"],
                     ["2017", graphs["reference-list.bib"], "reference-list.bib line 1 record 'list12'", "false"]]
    # The agreeing volume is no disagreement; the disagreement lives in the later load's graph.
    assert not kg.query("ASK { ?d <https://w3id.org/coproduction/ontology#property> "
                        "<http://purl.org/ontology/bibo/volume> }")
    assert kg.query("ASK { GRAPH ?g { ?d a <https://w3id.org/coproduction/ontology#Disagreement> } }",
                    substitutions={"g": NamedNode(graphs["reference-list.bib"])})
    # Undoing the later load takes its value and the disagreement with it, and nothing else.
    unload(kg, later.load_id)
    assert not kg.query("ASK { ?d a <https://w3id.org/coproduction/ontology#Disagreement> }")
    assert values(kg, "SELECT ?y ?w WHERE { ?w <http://purl.org/dc/terms/issued> ?y }", w=PAPER) == [["2016"]]


def test_two_records_of_one_file_that_disagree_keep_both_titles(kg, tmp_path):
    load_files(kg, [write(tmp_path, "table.bib", "@article{a, title={Fidelity in coproduction}, author={Berg, Anna},"
                          " year={2016}, doi={10.5555/fid.1}}\n@article{b, title={Fidelity of co-production},"
                          " author={Berg, Anna}, year={2016}, doi={10.5555/fid.1}}\n")])
    found = values(kg, READINGS, work=PAPER, property=NamedNode("http://purl.org/dc/terms/title"))
    assert [(value, record, default) for value, _, record, default in found] == [
        ("Fidelity in coproduction", "table.bib line 1 record 'a'", "true"),
        ("Fidelity of co-production", "table.bib line 2 record 'b'", "false")]
    assert values(kg, "SELECT ?t ?w WHERE { ?w <http://purl.org/dc/terms/title> ?t }", w=PAPER) == [
        ["Fidelity in coproduction"]]


def test_a_name_spelt_another_way_by_a_later_source_is_kept(kg, tmp_path):
    load_files(kg, [write(tmp_path, "one.bib", "@article{x, title={One}, author={Kjellström, Sofia}, year={2019}}\n")])
    load_files(kg, [write(tmp_path, "two.bib", "@article{y, title={Two}, author={Kjellstrom, Sofia}, year={2020}}\n")])
    names = values(kg, READINGS, work=NamedNode("https://w3id.org/coproduction/person/kjellstrom-sofia"),
                   property=NamedNode("http://xmlns.com/foaf/0.1/familyName"))
    assert [value for value, *_ in names] == ["Kjellstrom", "Kjellström"]
