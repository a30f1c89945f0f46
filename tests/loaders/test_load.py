"""Loading: one graph and one PROV record per load, merging, reloading, undoing."""

from __future__ import annotations

import pytest
from pyoxigraph import Literal as OxLiteral, NamedNode
from rdflib import Graph
from rdflib.compare import isomorphic

from coprokg.vocab import GRAPH
from coprokg.loaders import LoadOptions, list_loads, load_files, load_rdf_bytes, unload
from coprokg.loaders.iris import paper_iri
from coprokg.loaders.pipeline import prepare, triples
from coprokg.loaders.report import Report
from coprokg.loaders.source import Source
from coprokg.loaders.terms import to_rdflib
from coprokg.shapes.validate import validate
from tests.loaders.conftest import HERE

ERIKSSON = "https://w3id.org/coproduction/paper/doi/10.1080/10967494.2021.1969486"


def graph_of(store, path) -> Graph:
    report = Report()
    prepared = prepare([Source.from_path(path)], store, LoadOptions(), report)
    graph = Graph()
    graph += ((to_rdflib(s), to_rdflib(p), to_rdflib(o)) for s, p, o in triples(prepared, store, report))
    return graph


def ask(store, query: str, **bindings) -> bool:
    return bool(store.query("PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX prov: <http://www.w3.org/ns/prov#> "
                            "PREFIX cito: <http://purl.org/spar/cito/> " + query, substitutions=bindings or None))


def test_bibtex_ris_and_csl_json_give_the_same_graph(kg):
    graphs = [graph_of(kg, HERE / name) for name in ("papers.bib", "papers.ris", "papers.json")]
    assert len(graphs[0]) > 50
    assert isomorphic(graphs[0], graphs[1]) and isomorphic(graphs[0], graphs[2])


def test_latex_is_decoded_and_dois_normalised(kg):
    load_files(kg, [HERE / "papers.bib"])
    assert ask(kg, "ASK { ?p dcterms:title ?t ; dcterms:creator/<http://xmlns.com/foaf/0.1/familyName> 'Kjellström' "
                   "FILTER(CONTAINS(?t, 'the Samskapa research')) }")
    assert ask(kg, "ASK { ?p <http://purl.org/ontology/bibo/doi> '10.1080/10967494.2021.1969486' }", p=NamedNode(ERIKSSON))
    assert ask(kg, "ASK { ?p dcterms:title 'Småland stories of codesign' }")


def test_a_load_is_one_graph_with_a_prov_record(kg):
    report = load_files(kg, [HERE / "papers.bib"])
    graph = NamedNode(str(GRAPH[f"load/{report.load_id}"]))
    assert graph in kg.graphs()
    assert report.counts.added == 3 and report.counts.tagged == 3
    rows = list(kg.query(
        "PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX dcterms: <http://purl.org/dc/terms/> "
        "PREFIX cop: <https://w3id.org/coproduction/ontology#> "
        "SELECT ?g ?sum ?name ?added ?start ?end ?agent WHERE { GRAPH <https://w3id.org/coproduction/graph/loads> { "
        "?load a prov:Activity ; prov:generated ?g ; prov:used ?f ; prov:startedAtTime ?start ; prov:endedAtTime ?end ; "
        "prov:wasAssociatedWith ?agent ; cop:papersAdded ?added . ?f dcterms:identifier ?sum ; dcterms:title ?name } }",
        substitutions={"g": graph}))
    assert len(rows) == 1
    assert rows[0]["sum"].value.startswith("sha256:") and len(rows[0]["sum"].value) == 7 + 64
    assert rows[0]["name"].value == "papers.bib" and rows[0]["added"].value == "3"
    assert rows[0]["start"].value <= rows[0]["end"].value


def test_loading_the_same_content_again_adds_nothing_and_says_so(kg):
    first = load_files(kg, [HERE / "papers.bib"])
    count = kg.count()
    again = load_files(kg, [HERE / "papers.bib"])
    assert again.load_id is None and again.already_loaded_as == [first.load_id]
    assert "nothing new" in again.summary()
    other_format = load_files(kg, [HERE / "papers.ris"])
    assert other_format.load_id is None and other_format.counts.merged == 3
    assert kg.count() == count and len(list_loads(kg)) == 1


def test_a_paper_known_by_doi_merges_with_a_record_without_doi(kg, tmp_path):
    load_files(kg, [HERE / "papers.bib"])
    path = tmp_path / "later.bib"
    path.write_text("@article{again, title={Coproduction and Inclusion - a public administrator perspective},"
                    " author={Eriksson, E.}, year={2022}, note={no DOI here}}\n"
                    "@article{near, title={Coproduction and inclusion: a public administrators perspective},"
                    " author={Eriksson, Eva}, year={2022}}\n")
    report = load_files(kg, [path])
    assert report.counts.merged == 1 and report.counts.added == 1
    assert any("possibly the same paper" in p.message for p in report.warnings)


def test_records_twice_in_a_file_merge(kg, tmp_path):
    path = tmp_path / "twice.bib"
    path.write_text("@article{a, title={Value co-creation in practice}, author={Smith, John}, year={2020}}\n"
                    "@article{b, title={Value Co-Creation in Practice.}, author={Smith, J.}, year={2020},"
                    " doi={10.5555/vcc}}\n")
    report = load_files(kg, [path])
    assert report.counts.added == 1 and report.counts.merged == 1
    assert ask(kg, "ASK { ?p dcterms:title ?t }", p=NamedNode(str(paper_iri(doi="10.5555/vcc", family=None, year=None,
                                                                          title=None))))


def test_nfc_and_nfd_titles_are_the_same_paper(kg, tmp_path):
    nfc, nfd = "Sm\u00e5land co-design", "Sma\u030aland co-design"
    path = tmp_path / "forms.csv"
    header = (HERE.parent.parent / "loaders" / "templates" / "papers.csv").read_text().splitlines()[0]
    path.write_text(f"{header}\nx1,article,{nfc},\"Berg, Anna\",2020{',' * 16}\n"
                    f"x2,article,{nfd},\"Berg, Anna\",2020{',' * 16}\n", encoding="utf-8")
    report = load_files(kg, [path])
    assert report.counts.added == 1 and report.counts.merged == 1


def test_sparql_and_turtle_syntax_in_values_is_stored_verbatim(kg, tmp_path):
    hostile = '"} ; DROP ALL ; #'
    path = tmp_path / "hostile.json"
    path.write_text('[{"id": "h", "type": "article-journal", "title": "Title \\"} ; DROP ALL ; #",'
                    ' "abstract": "<x> <y> <z> . } INSERT DATA { <a> <b> <c> }",'
                    ' "author": [{"family": "O\'Brien\\"} ; DROP ALL ; #", "given": "A"}],'
                    ' "issued": {"date-parts": [[2021]]}}]')
    load_files(kg, [path])
    assert ask(kg, "ASK { ?p dcterms:title ?t }", t=OxLiteral(f"Title {hostile}"))
    assert ask(kg, "ASK { ?p dcterms:abstract ?a }", a=OxLiteral("<x> <y> <z> . } INSERT DATA { <a> <b> <c> }"))
    assert NamedNode(str(GRAPH["ontology"])) in kg.graphs()


def test_dry_run_writes_nothing(kg):
    before = (kg.count(), kg.version())
    report = load_files(kg, [HERE / "papers.bib"], dry_run=True)
    assert report.counts.added == 3 and "dry run" in report.summary()
    assert (kg.count(), kg.version()) == before


def test_cited_by_and_reviewed_in_options(kg):
    options = LoadOptions(cited_by=["doi:10.1136/bmjopen-2019-029723"],
                          reviewed_in=["https://w3id.org/coproduction/paper/robert-2024-6ccd34d9"])
    load_files(kg, [HERE / "papers.json"], options=options)
    citing = NamedNode("https://w3id.org/coproduction/paper/doi/10.1136/bmjopen-2019-029723")
    assert ask(kg, "ASK { ?c cito:cites ?p }", c=citing, p=NamedNode(ERIKSSON))
    assert ask(kg, "ASK { <https://w3id.org/coproduction/paper/robert-2024-6ccd34d9> cito:reviews ?p }",
               p=NamedNode(ERIKSSON))


def test_unload_removes_exactly_what_the_load_added(kg, tmp_path):
    def data_quads():
        return kg.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                        "FILTER(STRSTARTS(STR(?g), 'https://w3id.org/coproduction/graph/load/')) }")

    before = kg.count()
    first = load_files(kg, [HERE / "papers.bib"])
    path = tmp_path / "more.bib"
    path.write_text("@article{m, title={Tokenism in co-design}, author={Eriksson, Eva}, year={2023}}\n")
    second = load_files(kg, [path])
    assert int(next(iter(data_quads()))["n"].value) == first.counts.triples + second.counts.triples
    info = unload(kg, second.load_id)
    assert info.undone and int(next(iter(data_quads()))["n"].value) == first.counts.triples
    assert not ask(kg, "ASK { ?p dcterms:title 'Tokenism in co-design' }")
    assert ask(kg, "ASK { ?p dcterms:creator ?eva }", p=NamedNode(ERIKSSON),
               eva=NamedNode("https://w3id.org/coproduction/person/eriksson-eva"))
    unload(kg, first.load_id)
    data = sum(1 for g in kg.graphs() if "/graph/load/" in g.value)
    assert data == 0 and [i.undone is not None for i in list_loads(kg)] == [True, True]
    assert kg.count() > before  # the history stays
    with pytest.raises(Exception, match="already undone"):
        unload(kg, first.load_id)


def test_graph_store_put_replaces_a_graph_with_provenance(kg):
    target = "https://w3id.org/coproduction/graph/extra"
    turtle = b"<http://example.org/a> <http://purl.org/dc/terms/title> 'one' ."
    load_rdf_bytes(kg, turtle, "text/turtle", graph=target, replace=True)
    load_rdf_bytes(kg, turtle.replace(b"one", b"two"), "text/turtle; charset=utf-8", graph=target, replace=True)
    rows = list(kg.query("SELECT ?g ?t WHERE { GRAPH ?g { ?s ?p ?t } }", substitutions={"g": NamedNode(target)}))
    assert [r["t"].value for r in rows] == ["two"]
    assert [i.graph for i in list_loads(kg)] == [target, target]


def test_load_reload_and_unload_on_both_kinds_of_store(store):
    from tests.loaders.conftest import seed_ontology

    seed_ontology(store)
    first = load_files(store, [HERE / "papers.bib"])
    assert first.counts.added == 3 and ask(store, "ASK { ?p dcterms:title ?t }", p=NamedNode(ERIKSSON))
    again = load_files(store, [HERE / "papers.json"])
    assert again.load_id is None and again.counts.merged == 3
    unload(store, first.load_id)
    assert not ask(store, "ASK { ?p dcterms:title ?t }", p=NamedNode(ERIKSSON))
    assert [info.undone is not None for info in list_loads(store)] == [True]


@pytest.mark.parametrize("name", ["papers.bib", "papers.ris", "papers.json", "chapters.bib"])
def test_built_records_satisfy_every_shape(kg, name):
    """Records are checked as they are built, not by pySHACL: what they hold must pass it."""
    assert validate(graph_of(kg, HERE / name)) == []
