"""The ontology's SKOS labels, indexed for naming concepts in a file and for tagging text.

Labels compare case-, space- and hyphen-insensitively: 'Co-design', 'co design' and
'codesign' are one label. Concepts come from the store (the ontology graph and anything
loaded since) or, without a store, from the ontology's Turtle files.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from coprokg.ontology.files import ONTOLOGY_DIR

QUERY = (Path(__file__).parent / "sparql" / "concept_labels.rq").read_text()
_NON_ALNUM = re.compile(r"[\W_]+")


@lru_cache(maxsize=65536)  # the tagger squashes every phrase it finds, mostly the same few
def squash(text: str) -> str:
    """The form labels are compared in: NFKC, case-folded, without spaces, hyphens or punctuation."""
    return _NON_ALNUM.sub("", unicodedata.normalize("NFKC", text).casefold())


def word_count(label: str) -> int:
    return len([w for w in _NON_ALNUM.split(label) if w])


@dataclass
class ConceptIndex:
    labels: dict[str, set[URIRef]] = field(default_factory=lambda: defaultdict(set))
    schemes: dict[URIRef, set[URIRef]] = field(default_factory=lambda: defaultdict(set))
    names: dict[URIRef, list[str]] = field(default_factory=lambda: defaultdict(list))
    matchable: dict[str, set[URIRef]] = field(default_factory=lambda: defaultdict(set))
    _patterns: dict[bool, re.Pattern] = field(default_factory=dict, repr=False)

    def add(self, concept: URIRef, kind: URIRef, label: str, scheme: URIRef | None) -> None:
        key = squash(label)
        if not key:
            return
        self.labels[key].add(concept)
        if scheme is not None:
            self.schemes[concept].add(scheme)
        if kind != SKOS.hiddenLabel:
            self.names[concept].append(label)
        # Tag specific phrases only: every hidden label, and pref/alt labels of two words or more.
        if kind == SKOS.hiddenLabel or word_count(label) >= 2:
            self.matchable[key].add(concept)
            self._patterns.clear()

    def pattern(self, lowercase_ascii: bool = False) -> re.Pattern:
        """One regular expression for every matchable label (see :func:`phrase_pattern`)."""
        if lowercase_ascii not in self._patterns:
            self._patterns[lowercase_ascii] = phrase_pattern(self.matchable, lowercase_ascii)
        return self._patterns[lowercase_ascii]

    def resolve(self, label: str, scheme: URIRef | None = None) -> set[URIRef]:
        """The concepts a label (or a concept IRI) names, within ``scheme`` when given."""
        if label.startswith(("http://", "https://")):
            found = {URIRef(label)} if URIRef(label) in self.names else set()
        else:
            found = set(self.labels.get(squash(label), ()))
        if scheme is not None:
            found = {c for c in found if scheme in self.schemes.get(c, ())}
        return found

    def suggest(self, label: str, scheme: URIRef | None = None) -> list[str]:
        """Up to three labels close to ``label`` (difflib), for 'did you mean'."""
        candidates = {
            name
            for concept, names in self.names.items()
            if scheme is None or scheme in self.schemes.get(concept, ())
            for name in names
        }
        by_lower = {c.casefold(): c for c in candidates}
        return [by_lower[m] for m in difflib.get_close_matches(label.casefold(), list(by_lower), n=3, cutoff=0.6)]

    def __len__(self) -> int:
        return len(self.names)


_GAP = r"[\s\-\u2010-\u2015]*"  # what may join the characters of a phrase: spaces and hyphens


def phrase_pattern(keys, lowercase_ascii: bool = False) -> re.Pattern:
    """A case-insensitive pattern that finds any of ``keys`` (squashed labels) as whole words,
    with spaces or hyphens anywhere between its characters, the longest one first.

    The keys become a trie, so the engine walks one branch per position instead of trying
    every label: at each node the longer continuations come before the end of a key.

    ``lowercase_ascii``: the same pattern for text known to be lowercase ASCII, which finds
    the same phrases in two thirds of the time (no case folding, ASCII classes).
    """
    gap, word = (r"[\s\-]*", "[a-z0-9]") if lowercase_ascii else (_GAP, r"[^\W_]")
    trie: dict = {}
    for key in keys:
        node = trie
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}

    def branch(node: dict, first: bool) -> str:
        options = [("" if first else gap) + re.escape(char) + branch(child, False)
                   for char, child in sorted(node.items()) if char]
        if "" in node:
            options.append(f"(?!{word})")
        return "(?:" + "|".join(options) + ")"

    return re.compile(f"(?<!{word})" + branch(trie, True), 0 if lowercase_ascii else re.IGNORECASE)


def from_store(store) -> ConceptIndex:
    index = ConceptIndex()
    for row in store.query(QUERY):
        scheme = row["scheme"]
        index.add(URIRef(row["concept"].value), URIRef(row["kind"].value), row["label"].value,
                  URIRef(scheme.value) if scheme is not None else None)
    return index


def from_files(directory: Path = ONTOLOGY_DIR) -> ConceptIndex:
    graph = Graph()
    for path in sorted(directory.glob("*.ttl")):
        graph.parse(path, format="turtle")
    index = ConceptIndex()
    for row in graph.query(QUERY):
        index.add(row.concept, row.kind, str(row.label), row.scheme)
    return index
