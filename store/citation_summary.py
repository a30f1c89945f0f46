"""The citation summary: which distinct sources cite each work, and cite or review each person's
works, in the derived graph ``graph/summaries/citations`` (:mod:`coprokg.store.derived`).

The catalog's ``most-cited`` and ``shared-authors`` sort their whole answer by these counts
before cutting a page, and name every source of the page's rows: counting and naming every
citation of the graph at each asking grows with the graph (the first page of most-cited names
hundreds of thousands of citing works at 100,000 papers). Every load, unload and write
recomputes them (two SPARQL aggregates, ``rq/citing-sources-by-*.rq``, over the union default
graph, the inference graph included, as the questions read it), so a question reads a page of
rows by their places and computes nothing.

What it holds, for IRIs only (a count is a statement about its subject):

- ``?work cop:citingSourceCount n``: the distinct works citing ``?work`` (``cito:cites``), a
  preprint counted as the article it is a version of (``dcterms:isVersionOf``);
  ``cop:citingSourceLabels``: those works' labels (or IRIs), joined by " | " as most-cited
  lists them; ``cop:citationRank``: the work's place in most-cited's order (most sources
  first, then by label, IRI and date);
- ``?person cop:citingOrReviewingSourceCount n``: the distinct works citing or reviewing
  (``cito:reviews``) a work ``?person`` created (``dcterms:creator``), with the same rule, for
  the people with more than one; ``cop:citingOrReviewingSourceLabels`` and
  ``cop:citedOrReviewedWorkLabels``: those sources and the person's works they point to, as
  shared-authors lists them; ``cop:sharedAuthorRank``: the person's place in shared-authors'
  order (most sources first, then by name and IRI).

The places are integers because Oxigraph sorts strings slowly. They are computed here, in the
order SPARQL gives terms (:func:`coprokg.store.subject_summary.order_key`); a work with several
labels or dates (which the shapes do not let a load give it) is placed by the first of them.
"""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import NamedNode, Triple

from coprokg.store.subject_summary import cop, integer, order_key
from coprokg.vocab import COP, GRAPH

SUMMARY_GRAPH = NamedNode(str(GRAPH["summaries/citations"]))
CITING_SOURCE_COUNT = NamedNode(str(COP.citingSourceCount))
CITING_OR_REVIEWING_SOURCE_COUNT = NamedNode(str(COP.citingOrReviewingSourceCount))
COUNTS = (CITING_SOURCE_COUNT, CITING_OR_REVIEWING_SOURCE_COUNT)
_RQ = Path(__file__).resolve().parent / "rq"
_BY_WORK = (_RQ / "citing-sources-by-work.rq").read_text(encoding="utf-8")
_BY_PERSON = (_RQ / "citing-sources-by-person.rq").read_text(encoding="utf-8")
_NAMES = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
SELECT ?resource ?label ?year ?name WHERE {
  { ?resource rdfs:label ?label } UNION { ?resource dcterms:issued ?year } UNION { ?resource foaf:name ?name }
}"""
METHOD = ("per cited work, the distinct works citing it (cop:citingSourceCount, cop:citingSourceLabels) "
          "and its place in most-cited's order (cop:citationRank); per person, the distinct works citing or "
          "reviewing a work they created, where more than one (cop:citingOrReviewingSourceCount, "
          "cop:citingOrReviewingSourceLabels, cop:citedOrReviewedWorkLabels), and their place in "
          "shared-authors' order (cop:sharedAuthorRank), a preprint counted as the article it is a version "
          "of: SPARQL aggregates over the union default graph, the inference graph included; places "
          "ordered in Python")


def citation_counts(store, graphs: list[NamedNode]) -> list[Triple]:
    """The summary's triples, counted over the union default graph of ``store`` (as the
    questions count; ``graphs`` is not needed for that)."""
    first: dict[str, dict] = {"label": {}, "year": {}, "name": {}}  # each resource's least value in SPARQL's order
    for row in store.query(_NAMES):
        for variable, least in first.items():
            value = row[variable]
            if value is not None and (row["resource"] not in least
                                      or order_key(value) < order_key(least[row["resource"]])):
                least[row["resource"]] = value
    labels, years, names = first["label"], first["year"], first["name"]

    triples: list[Triple] = []
    works = list(store.query(_BY_WORK))
    works.sort(key=lambda row: (-int(row["sources"].value), order_key(labels.get(row["work"])),
                                order_key(row["work"]), order_key(years.get(row["work"]))))
    for rank, row in enumerate(works, start=1):
        triples += [Triple(row["work"], CITING_SOURCE_COUNT, integer(int(row["sources"].value))),
                    Triple(row["work"], cop("citingSourceLabels"), row["sourceLabels"]),
                    Triple(row["work"], cop("citationRank"), integer(rank))]
    people = list(store.query(_BY_PERSON))
    people.sort(key=lambda row: (-int(row["sources"].value), order_key(names.get(row["person"])),
                                 order_key(row["person"])))
    for rank, row in enumerate(people, start=1):
        triples += [Triple(row["person"], CITING_OR_REVIEWING_SOURCE_COUNT, integer(int(row["sources"].value))),
                    Triple(row["person"], cop("citingOrReviewingSourceLabels"), row["sourceLabels"]),
                    Triple(row["person"], cop("citedOrReviewedWorkLabels"), row["workLabels"]),
                    Triple(row["person"], cop("sharedAuthorRank"), integer(rank))]
    return triples
