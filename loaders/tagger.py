"""Concept tagging: the ontology's labels found in a paper's title, abstract and keywords.

Matching is by whole words, case-, space- and hyphen-insensitive ('co-design' = 'codesign' =
'co design'), longest phrase first, never across punctuation. Only specific phrases are
matched: every skos:hiddenLabel (where matching-only variants live) and the pref/alt labels
of two words or more; a one-word label ('design', 'equity') tags only if the ontology repeats
it as a hidden label. Each tag is a Web Annotation (oa:tagging) by ``agent/tagger/<version>``
quoting the matched text, plus ``dcterms:subject`` on the paper.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import Literal, NamedNode
from rdflib import URIRef

from coprokg.vocab import VOCAB_BASE
from coprokg.loaders.concepts import ConceptIndex, squash
from coprokg.loaders.iris import annotation_iri
from coprokg.loaders.terms import DCTERMS, OA, PROV, RDF, iri

TAGGER_VERSION = "1"
CURATED = (Path(__file__).parent / "sparql" / "curated_classifications.rq").read_text()


def tagger_iri(base: str = VOCAB_BASE) -> NamedNode:
    return iri(f"{base}agent/tagger/{TAGGER_VERSION}")


def tagger_triples(base: str = VOCAB_BASE) -> list[tuple]:
    """The tagger as a PROV software agent: written once by a load that tags."""
    return [(tagger_iri(base), RDF.type, PROV.SoftwareAgent)]


def find(index: ConceptIndex, text: str) -> list[tuple[URIRef, str]]:
    """(concept, matched text) for every specific label in ``text``, left to right."""
    if text.isascii():  # most text: matched lowercased, which is faster
        matches = index.pattern(lowercase_ascii=True).finditer(text.lower())
    else:
        matches = index.pattern().finditer(text)
    found = []
    for match in matches:
        exact = text[match.start():match.end()]
        found.extend((concept, exact) for concept in sorted(index.matchable[squash(exact)]))
    return found


def tags(index: ConceptIndex, texts: list[str | None]) -> dict[URIRef, str]:
    """Each concept found in ``texts`` with the first text that matched it."""
    first: dict[URIRef, str] = {}
    for text in texts:
        for concept, exact in find(index, text or ""):
            first.setdefault(concept, exact)
    return first


def tag_triples(paper: NamedNode, found: dict[URIRef, str], base: str = VOCAB_BASE) -> list[tuple]:
    """The Web Annotations of the concepts ``found`` in a paper (see :func:`tagger_triples`)."""
    tagger = tagger_iri(base)
    t: list[tuple] = []
    for concept, exact in found.items():
        body = iri(str(concept))
        note = annotation_iri(paper.value, body.value, OA.tagging.value, tagger.value, exact, base=base)
        note, target, selector = NamedNode(str(note)), NamedNode(f"{note}#target"), NamedNode(f"{note}#selector")
        t += [(note, RDF.type, OA.Annotation), (note, OA.motivatedBy, OA.tagging), (note, OA.hasBody, body),
              (note, OA.hasTarget, target), (note, DCTERMS.creator, tagger),
              (target, RDF.type, OA.SpecificResource), (target, OA.hasSource, paper), (target, OA.hasSelector, selector),
              (selector, RDF.type, OA.TextQuoteSelector), (selector, OA.exact, Literal(exact)),
              (paper, DCTERMS.subject, body)]
    return t


@dataclass(frozen=True)
class Quality:
    papers: int
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float | None:
        tagged = self.true_positives + self.false_positives
        return self.true_positives / tagged if tagged else None

    @property
    def recall(self) -> float | None:
        curated = self.true_positives + self.false_negatives
        return self.true_positives / curated if curated else None


def quality(store, index: ConceptIndex) -> Quality:
    """The tagger's precision and recall against the curated (oa:classifying) annotations in a
    store, over the papers that have any: tags are run afresh on each paper's title and abstract."""
    curated: dict[str, set[str]] = defaultdict(set)
    texts: dict[str, list[str]] = defaultdict(list)
    for row in store.query(CURATED):
        paper = row["paper"].value
        curated[paper].add(row["concept"].value)
        for name in ("title", "abstract"):
            if row[name] is not None and row[name].value not in texts[paper]:
                texts[paper].append(row[name].value)
    tp = fp = fn = 0
    for paper, expected in curated.items():
        got = {str(c) for c in tags(index, texts[paper])}
        tp += len(got & expected)
        fp += len(got - expected)
        fn += len(expected - got)
    return Quality(len(curated), tp, fp, fn)
