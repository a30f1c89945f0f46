"""The citation summary: how many distinct sources cite each work, and cite or review each
person's works, in the derived graph ``graph/summaries/citations`` (:mod:`coprokg.store.derived`).

The catalog's ``most-cited`` and ``shared-authors`` sort their whole answer by these counts
before cutting a page; counting every citation of the graph at each asking grows with the graph.
Every load, unload and write recomputes the counts (two SPARQL aggregates, ``rq/citing-sources-by-*.rq``,
over the union default graph, the inference graph included, as the questions read it), so a
question reads a page's works or people from the summary and counts nothing.

What it holds, for IRIs only (a count is a statement about its subject):

- ``?work cop:citingSourceCount n``: the distinct works citing ``?work`` (``cito:cites``), a
  preprint counted as the article it is a version of (``dcterms:isVersionOf``);
- ``?person cop:citingOrReviewingSourceCount n``: the distinct works citing or reviewing
  (``cito:reviews``) a work ``?person`` created (``dcterms:creator``), with the same rule, for
  the people with more than one.
"""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import Literal, NamedNode, Triple

from coprokg.vocab import COP, GRAPH, XSD

SUMMARY_GRAPH = NamedNode(str(GRAPH["summaries/citations"]))
CITING_SOURCE_COUNT = NamedNode(str(COP.citingSourceCount))
CITING_OR_REVIEWING_SOURCE_COUNT = NamedNode(str(COP.citingOrReviewingSourceCount))
_RQ = Path(__file__).resolve().parent / "rq"
_COUNTS = [((_RQ / "citing-sources-by-work.rq").read_text(encoding="utf-8"), "work", CITING_SOURCE_COUNT),
           ((_RQ / "citing-sources-by-person.rq").read_text(encoding="utf-8"), "person", CITING_OR_REVIEWING_SOURCE_COUNT)]
METHOD = ("per cited work, the count of distinct works citing it (cop:citingSourceCount), and per person, "
          "the count of distinct works citing or reviewing a work they created, where more than one "
          "(cop:citingOrReviewingSourceCount), a preprint counted as the article it is a version of: "
          "SPARQL aggregates over the union default graph, the inference graph included")


def citation_counts(store, graphs: list[NamedNode]) -> list[Triple]:
    """The summary's triples, counted over the union default graph of ``store`` (as the
    questions count; ``graphs`` is not needed for that)."""
    integer = NamedNode(str(XSD.integer))
    return [Triple(row[subject], predicate, Literal(str(int(row["sources"].value)), datatype=integer))
            for query, subject, predicate in _COUNTS for row in store.query(query)]
