"""The subjects summary: per-paper, per-pair and per-link aggregates of the papers' annotations,
subjects and literatures, in ``graph/summaries/subjects``, refreshed by every load and unload
(:mod:`coprokg.store.derived`).

Three catalog questions need every annotation, subject pair or citation of the graph and sort
every row of their answer before a page is cut; the summary holds what they would compute, and
each row's place in the question's order, so that a page picks its rows by place:

- ``annotation-agreement``: each annotated paper's ``cop:agreedConcepts`` (the concepts both a
  curator and the tagger gave it), ``cop:curatedOnlyConcepts`` and ``cop:machineOnlyConcepts``
  (by the question's own aggregates, so the names come in the order it gives them), and
  ``cop:agreementRank`` (by label, then IRI);
- ``concept-pairs``: each ``cop:ConceptPair`` of concepts that are both subjects of a paper
  (``cop:firstConcept`` before ``cop:secondConcept`` by their IRIs' text), with
  ``cop:paperCount``, ``cop:paperLabels`` (the papers' labels, or IRIs, as the question joins
  them) and ``cop:pairRank`` (most papers first, then by the two concepts);
- ``literature-bridges``: each ``cop:LiteratureBridge``, a row of the question's answer
  (``cop:fromLabel``, ``cop:toLabel``, ``cop:via``, and ``cop:bridgeKind``: the
  ``cop:linkKind``, ``cop:fromLiterature`` and ``cop:toLiterature`` many rows share), with
  ``cop:bridgeRank``.

The counts and links are SPARQL queries over the union default graph (``rq/summary-*.rq``), as
the questions read it, inferences included. Labels join and rows sort here, in the order SPARQL
gives terms (unbound first, then IRIs, then literals, each by its text): the places are integers
because Oxigraph sorts strings slowly. A paper with several labels is placed by the first of
them in that order.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterable

from pyoxigraph import Literal, NamedNode, Triple

from coprokg.vocab import COP, GRAPH, VOCAB_BASE, XSD

SUBJECTS_GRAPH = NamedNode(str(GRAPH["summaries/subjects"]))
METHOD = ("Per annotated paper, the concepts a curator and the tagger both gave it, those only one of "
          "them gave, and its place in annotation-agreement's order; per pair of concepts that are both "
          "subjects of a paper, the number and the labels of those papers and its place in concept-pairs' order; per link "
          "between the PAM or sociology literature and the HSR or QI literature, the row of "
          "literature-bridges' answer and its place in that answer's order. Counted and linked by SPARQL "
          "aggregate queries over the union default graph; labels joined and rows ordered in Python")

_RQ = Path(__file__).resolve().parent / "rq"
_ANNOTATED = (_RQ / "summary-annotated.rq").read_text(encoding="utf-8")
_PAIRS = (_RQ / "summary-concept-pairs.rq").read_text(encoding="utf-8")
_BRIDGES = (_RQ / "summary-bridges.rq").read_text(encoding="utf-8")
_LABELS = (_RQ / "summary-labels.rq").read_text(encoding="utf-8")
_PAIR = VOCAB_BASE + "summary/concept-pair/"
_BRIDGE = VOCAB_BASE + "summary/literature-bridge/"  # a row by its rank, a kind of link by a digest


def cop(name: str) -> NamedNode:
    """The ontology's term ``cop:name`` as a store term (the summaries' properties)."""
    return NamedNode(str(COP[name]))


def integer(value: int) -> Literal:
    """``value`` as an ``xsd:integer`` literal (the summaries' counts and places)."""
    return Literal(str(value), datatype=NamedNode(str(XSD.integer)))


def summaries(store, graphs: list[NamedNode]) -> list[Triple]:
    """The summary's statements, from the union default graph of ``store`` (``graphs`` unused:
    the questions it serves read the inferences too)."""
    labels: dict[NamedNode, list] = {}
    for row in store.query(_LABELS):
        labels.setdefault(row["resource"], []).append(row["label"])
    return [*agreement(store, labels), *concept_pairs(store), *literature_bridges(store, labels)]


def agreement(store, labels: dict) -> Iterable[Triple]:
    """Papers as annotation-agreement orders them: by label, then IRI."""
    papers = [row for row in store.query(_ANNOTATED) if isinstance(row["paper"], NamedNode)]
    papers.sort(key=lambda row: (min(map(order_key, labels.get(row["paper"], [None]))), order_key(row["paper"])))
    for rank, row in enumerate(papers, start=1):
        yield Triple(row["paper"], cop("agreementRank"), integer(rank))
        yield Triple(row["paper"], cop("agreedConcepts"), row["agreed"])
        for variable, name in (("curatedOnly", "curatedOnlyConcepts"), ("machineOnly", "machineOnlyConcepts")):
            if row[variable] is not None:
                yield Triple(row["paper"], cop(name), row[variable])


def concept_pairs(store) -> Iterable[Triple]:
    """Pairs as concept-pairs orders them: most papers first, then by the two concepts."""
    rows = [(row["concept"], row["other"], row["papers"], row["paperLabels"]) for row in store.query(_PAIRS)]
    rows.sort(key=lambda row: (-int(row[2].value), order_key(row[0]), order_key(row[1])))
    for rank, (concept, other, papers, names) in enumerate(rows, start=1):
        pair = NamedNode(_PAIR + _digest(concept, other))
        yield Triple(pair, cop("pairRank"), integer(rank))
        yield Triple(pair, cop("firstConcept"), concept)
        yield Triple(pair, cop("secondConcept"), other)
        yield Triple(pair, cop("paperCount"), papers)
        yield Triple(pair, cop("paperLabels"), names)


def literature_bridges(store, labels: dict) -> Iterable[Triple]:
    """Rows as literature-bridges answers them: distinct, each end named by its label (or its
    IRI's text), a review by its label."""
    def named(resource) -> list:
        return labels.get(resource) or [Literal(resource.value)]

    rows = set()
    for row in store.query(_BRIDGES):
        via = [None] if row["review"] is None else named(row["review"])
        for start in named(row["fromPaper"]):
            for end in named(row["toPaper"]):
                rows.update((row["link"], row["fromLiterature"], row["toLiterature"], start, end, v) for v in via)
    kinds = {}
    for rank, values in enumerate(sorted(rows, key=lambda values: tuple(map(order_key, values))), start=1):
        link, source, target, start, end, via = values
        if (link, source, target) not in kinds:
            kinds[link, source, target] = kind = NamedNode(_BRIDGE + _digest(link, source, target))
            yield from (Triple(kind, cop("linkKind"), link), Triple(kind, cop("fromLiterature"), source),
                        Triple(kind, cop("toLiterature"), target))
        bridge = NamedNode(f"{_BRIDGE}{rank}")
        yield from (Triple(bridge, cop("bridgeRank"), integer(rank)),
                    Triple(bridge, cop("bridgeKind"), kinds[link, source, target]),
                    Triple(bridge, cop("fromLabel"), start), Triple(bridge, cop("toLabel"), end))
        if via is not None:
            yield Triple(bridge, cop("via"), via)


def _digest(*terms) -> str:
    """A name for a summary resource made of ``terms``, the same on every refresh."""
    return hashlib.sha256("\n".join(str(term) for term in terms).encode()).hexdigest()[:24]


def order_key(term) -> tuple:
    """Where ORDER BY puts ``term``: unbound first, then blank nodes, IRIs, literals, each by
    its text (literals of the same text by datatype and language, which SPARQL leaves open)."""
    if term is None:
        return (0,)
    if isinstance(term, NamedNode):
        return (2, term.value)
    if isinstance(term, Literal):
        return (3, term.value, term.datatype.value, term.language or "")
    return (1, term.value)
