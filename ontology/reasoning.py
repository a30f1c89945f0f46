"""Reasoning over the ontology with HermiT (through owlready2), entirely offline.

The sources are merged and parsed by rdflib, any owl:imports is dropped, and owlready2 gets a
local N-Triples file: nothing is fetched over the network. HermiT then checks consistency,
looks for unsatisfiable classes and classifies every individual (concepts, and the practices,
annotations or papers of any extra data files given).
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import owlready2
from pyoxigraph import RdfFormat, Triple, serialize
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from coprokg.ontology.files import OntologyError, merged_graph, source_files

_BUILT_IN = (str(OWL), str(RDF), str(RDFS))


@dataclass
class ReasoningReport:
    consistent: bool
    classes: int = 0
    individuals: int = 0
    unsatisfiable: list[str] = field(default_factory=list)
    inferred: dict[str, list[str]] = field(default_factory=dict)
    """Each individual's IRI -> the classes the reasoner added to its asserted ones."""

    @property
    def ok(self) -> bool:
        return self.consistent and not self.unsatisfiable


def reasoner_input(extra: list[Path] = ()) -> Graph:
    """The merged ontology plus ``extra`` data files, without owl:imports.

    Every IRI typed with a class is declared an owl:NamedIndividual, as OWL 2 wants and
    owlready2 needs to see it as an individual (a concept is both, by punning).
    """
    graph = merged_graph(source_files() + list(extra))
    graph.remove((None, OWL.imports, None))
    for subject, kind in list(graph.subject_objects(RDF.type)):
        if isinstance(subject, URIRef) and not str(kind).startswith(_BUILT_IN):
            graph.add((subject, RDF.type, OWL.NamedIndividual))
    return graph


def classify(extra: list[Path] = ()) -> ReasoningReport:
    """Run HermiT over the ontology (and ``extra`` Turtle data files) and report what it found."""
    graph = reasoner_input(extra)
    world = owlready2.World()
    with tempfile.TemporaryDirectory(prefix="coprokg-reasoner-") as tmp:
        path = Path(tmp) / "ontology.nt"
        graph.serialize(path, format="nt", encoding="utf-8")
        onto = world.get_ontology(path.as_uri()).load(format="ntriples")
        individuals = list(world.individuals())
        asserted = {ind.iri: _names(ind.is_a) for ind in individuals}
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            return ReasoningReport(False)
        except (owlready2.OwlReadyJavaError, OSError) as error:
            raise OntologyError(f"HermiT failed: {error}", hint="is Java 11 or newer installed as 'java'?") from None
        unsatisfiable = sorted(c.iri for c in world.inconsistent_classes() if c is not owlready2.Nothing)
        inferred = {}
        for ind in individuals:
            added = sorted(_names(ind.is_a) - asserted[ind.iri])
            if added:
                inferred[ind.iri] = added
        classes = sum(1 for c in world.classes() if c.namespace.ontology is onto)
        return ReasoningReport(True, classes, len(individuals), unsatisfiable, inferred)


def _names(classes) -> set[str]:
    return {c.iri for c in classes if isinstance(c, owlready2.ThingClass)}


def hermit_available() -> bool:
    return shutil.which("java") is not None


def classify_graph(triples: list[Triple]) -> list[tuple[str, str, str]]:
    """HermiT's classification of an ontology given as triples (blank nodes for restrictions and
    lists): (class, rdfs:subClassOf, superclass) for the named superclasses it entails beyond
    those asserted, and (individual, rdf:type, class) for the named classes it adds to an
    individual's asserted ones."""
    graph = Graph()
    graph.parse(data=serialize(triples, format=RdfFormat.N_TRIPLES).decode(), format="nt")
    for subject, kind in list(graph.subject_objects(RDF.type)):
        if isinstance(subject, URIRef) and not str(kind).startswith(_BUILT_IN):
            graph.add((subject, RDF.type, OWL.NamedIndividual))
    world = owlready2.World()
    with tempfile.TemporaryDirectory(prefix="coprokg-reasoner-") as tmp:
        path = Path(tmp) / "ontology.nt"
        graph.serialize(path, format="nt", encoding="utf-8")
        onto = world.get_ontology(path.as_uri()).load(format="ntriples")
        classes = [c for c in world.classes() if c is not owlready2.Thing]
        before = {c.iri: _names(c.ancestors()) for c in classes}
        individuals = list(world.individuals())
        asserted = {ind.iri: _names(_ancestors(ind.is_a)) for ind in individuals}
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            raise OntologyError("HermiT finds the ontology inconsistent", where="graph/ontology",
                                hint="run 'coprokg check-ontology' on the sources and fix what it reports") from None
        except (owlready2.OwlReadyJavaError, OSError) as error:
            raise OntologyError(f"HermiT failed: {error}", hint="is Java 11 or newer installed as 'java'?") from None
        found = []
        for cls in classes:
            found += [(cls.iri, str(RDFS.subClassOf), iri) for iri in sorted(_names(cls.ancestors()) - before[cls.iri] - {cls.iri})]
        for ind in individuals:
            found += [(ind.iri, str(RDF.type), iri) for iri in sorted(_names(_ancestors(ind.is_a)) - asserted[ind.iri])]
        return found


def _ancestors(classes) -> set:
    return {a for c in classes if isinstance(c, owlready2.ThingClass) for a in c.ancestors()}
