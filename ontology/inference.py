"""The ontology's entailments over the data, for the inference graph (:mod:`coprokg.store.derived`).

Two reasoners, each doing what it is made for:

1. **HermiT** (through owlready2, :mod:`coprokg.ontology.reasoning`) classifies the ontology
   graph: the class hierarchy it entails and the classes of the individuals the ontology holds
   (the modes of coproduction in the defined mode classes). It runs only when the ontology graph
   changes: its answer is kept under the graph's digest.
2. **OWL 2 RL** rules (https://www.w3.org/TR/owl2-profiles/#Reasoning_in_OWL_2_RL_and_RDF_Graphs_using_Rules),
   one SPARQL CONSTRUCT per rule in ``rules/`` named after the rule, run to a fixpoint by
   pyoxigraph over the axioms and the data they can apply to: every ``rdf:type`` statement and
   every statement whose property an axiom names (subproperties, inverses, symmetric and
   transitive properties, domains and ranges, restrictions). The rest of the data (titles,
   abstracts...) cannot take part in any rule and is never read.

What is kept: statements not already asserted, about named resources, with no owl:Thing,
rdfs:Resource, anonymous class or reflexive subclass in them.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from pathlib import Path
from typing import Iterable

from pyoxigraph import BlankNode, NamedNode, Quad, RdfFormat, Store as Oxigraph, Triple, parse, serialize

from coprokg.vocab import GRAPH, VOCAB_BASE

log = logging.getLogger(__name__)

RULES_DIR = Path(__file__).resolve().parent / "rules"
RQ_DIR = Path(__file__).resolve().parent / "rq"
RULES = {path.stem: path.read_text(encoding="utf-8") for path in sorted(RULES_DIR.glob("*.rq"))}
# Run as updates, schema rules (scm-) first, then properties (prp-), classes (cls-), class axioms (cax-).
_INSERTS = [re.sub(r"^CONSTRUCT\b", "INSERT", RULES[name], count=1, flags=re.MULTILINE)
            for name in sorted(RULES, reverse=True)]
ASSERTED = NamedNode("urn:coprokg:asserted")  # inside the reasoner's own in-memory store only
ONTOLOGY_GRAPH = NamedNode(str(GRAPH["ontology"]))
GENID = VOCAB_BASE + ".well-known/genid/"  # the skolem IRIs of the ontology's blank nodes (restrictions, lists)

OWL = "http://www.w3.org/2002/07/owl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
# The axioms the rules read, and the RDF lists (intersections and unions are lists of classes).
AXIOMS = [NamedNode(RDFS + name) for name in ("subClassOf", "subPropertyOf", "domain", "range")] + [
    NamedNode(OWL + name) for name in ("equivalentClass", "inverseOf", "onProperty", "hasValue", "someValuesFrom",
                                       "intersectionOf", "unionOf")] + [NamedNode(RDF + "first"), NamedNode(RDF + "rest")]
METHOD = ("HermiT's classification of the ontology graph, then the OWL 2 RL rules "
          + ", ".join(RULES) + " run to a fixpoint over the asserted graphs; only statements not asserted are kept")

_AXIOMS_QUERY = (RQ_DIR / "axioms.rq").read_text(encoding="utf-8")
_TYPES_QUERY = (RQ_DIR / "types.rq").read_text(encoding="utf-8")
_PROPERTIES_QUERY = (RQ_DIR / "properties.rq").read_text(encoding="utf-8")
_STATEMENTS_QUERY = (RQ_DIR / "statements.rq").read_text(encoding="utf-8")
_NEW_QUERY = (RQ_DIR / "new.rq").read_text(encoding="utf-8").replace("ASSERTED", str(ASSERTED)).replace("GENID", GENID)


def entailments(store, graphs: list[NamedNode]) -> list[Triple]:
    """The statements the ontology entails from ``graphs`` of ``store`` that they do not assert."""
    reasoner = Oxigraph()
    for data in _asserted(store, graphs):
        reasoner.load(data, RdfFormat.N_TRIPLES)
        reasoner.load(data, RdfFormat.N_TRIPLES, to_graph=ASSERTED)  # a copy the rules do not read
    if ONTOLOGY_GRAPH in graphs:
        reasoner.extend(Quad(t.subject, t.predicate, t.object) for t in classification(store))
    _fixpoint(reasoner)
    return [Triple(row["s"], row["p"], row["o"]) for row in reasoner.query(_NEW_QUERY)]


def _asserted(store, graphs: list[NamedNode]) -> list[bytes]:
    """The statements of ``graphs`` any rule may read, as N-Triples."""
    def query(text: str, **lists):
        for name, terms in lists.items():
            text = text.replace(name, " ".join(str(term) for term in terms))
        return store.query(text, default_graph=graphs)

    found = [query(_AXIOMS_QUERY, AXIOMS=AXIOMS).serialize(format=RdfFormat.N_TRIPLES),
             query(_TYPES_QUERY).serialize(format=RdfFormat.N_TRIPLES)]
    properties = [row["p"] for row in query(_PROPERTIES_QUERY)]
    if properties:
        found.append(query(_STATEMENTS_QUERY, PROPERTIES=properties).serialize(format=RdfFormat.N_TRIPLES))
    return found


def _fixpoint(reasoner: Oxigraph) -> None:
    """Run every rule, as a SPARQL INSERT (each sees what the ones before it added), until a
    round adds nothing."""
    while True:
        before = len(reasoner)
        for rule in _INSERTS:
            reasoner.update(rule)
        if len(reasoner) == before:
            return


_CLASSIFIED: dict[str, list[Triple]] = {}


def classification(store) -> list[Triple]:
    """HermiT's classification of ``store``'s ontology graph: each class's entailed superclasses
    and each individual's entailed classes. Kept per digest of the graph, in this process and
    in the user's cache folder, since it changes only with the ontology."""
    from coprokg.ontology.reasoning import classify_graph, hermit_available

    triples = sorted((Triple(row["s"], row["p"], row["o"]) for row in store.query(
        f"SELECT ?s ?p ?o WHERE {{ GRAPH {ONTOLOGY_GRAPH} {{ ?s ?p ?o }} }}")), key=str)
    data = serialize(triples, format=RdfFormat.N_TRIPLES)
    digest = hashlib.sha256(data).hexdigest()
    if digest in _CLASSIFIED:
        return _CLASSIFIED[digest]
    cached = _cache_file(digest)
    if cached.is_file():
        _CLASSIFIED[digest] = [Triple(q.subject, q.predicate, q.object)
                               for q in parse(cached.read_bytes(), format=RdfFormat.N_TRIPLES)]
        return _CLASSIFIED[digest]
    if not hermit_available():
        log.warning("HermiT not run (no 'java' on PATH): the inference graph has the OWL 2 RL entailments only")
        return []
    found = [Triple(NamedNode(s), NamedNode(p), NamedNode(o)) for s, p, o in classify_graph(_unskolemised(triples))]
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_bytes(serialize(found, format=RdfFormat.N_TRIPLES))
    except OSError as error:
        log.warning("cannot keep HermiT's classification in %s: %s", cached, error)
    _CLASSIFIED[digest] = found
    return found


def _unskolemised(triples: Iterable[Triple]) -> list[Triple]:
    """The ontology's skolem IRIs back to blank nodes, as OWL wants restrictions and lists."""
    def term(node):
        if isinstance(node, NamedNode) and node.value.startswith(GENID):
            return BlankNode(hashlib.sha1(node.value.encode()).hexdigest())
        return node

    return [Triple(term(t.subject), t.predicate, term(t.object)) for t in triples]


def _cache_file(digest: str) -> Path:
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return home / "coprokg" / "hermit" / f"{digest}.nt"
