"""The ontology as other parts rely on it: its version, the concepts data and queries name, and
the store's ontology graph."""

from __future__ import annotations

import re

import pytest
from pyoxigraph import BlankNode
from rdflib import URIRef
from rdflib.namespace import OWL, RDF, SKOS

from coprokg.bootstrap import ONTOLOGY_GRAPH, initialise
from coprokg.vocab import CONCEPT, COP, SCHEME
from coprokg.ontology import ONTOLOGY_DIR, ONTOLOGY_IRI, merged_graph, version
from coprokg.store import EmbeddedStore
from tests.support import SHARED

# The concepts the shared data model names (scheme, slugs); data, loaders and queries use them.
CONTRACT_CONCEPTS = {
    "mode": "co-commissioning co-design co-delivery co-assessment",
    "temporal-orientation": "prospective concurrent retrospective",
    "contribution-form": "voice action",
    "core": "coproduction cocreation",
    "level": "individual-level group-level collective-level",
    "role": "client customer volunteer citizen lead-patient patient-representative public-administrator",
    "administration-level": "local-administration regional-administration national-administration",
    "reason": "instrumental-reason normative-reason efficiency effectiveness innovativeness democracy social-capital common-good",
    "inclusion-reason": "justice-reason perspective-reason resource-reason",
    "equality": "equality-of-public-expenditure equality-of-final-income equality-of-use equality-of-cost "
    "equality-of-outcome equality-of-opportunity equality-of-representation equality-of-influence "
    "equality-as-sameness equality-as-difference equity legitimate-inequality illegitimate-inequality",
    "inclusion": "external-exclusion internal-exclusion random-selection demographic-recruitment lowering-barriers "
    "incentives tokenism handpicked-patient elite-capture gig-economy dark-side",
    "principle": "human-value-principle cost-efficiency-principle solidarity-principle",
    "value": "service-dominant-logic public-service-dominant-logic value-co-creation value-co-destruction "
    "value-in-use resource-integration publicness co-contamination",
    "coproduction-type": "consumer-coproduction participative-coproduction enhanced-coproduction additive-coproduction "
    "transformative-coproduction fugitive-coproduction everyday-coproduction co-governance co-management",
    "model-type": "conceptual-theoretical-model practice-oriented-model typology boundary-spanning-model",
    "discipline": "public-administration public-management management sociology health-services-research "
    "quality-improvement health-policy public-health marketing design philosophy nursing mental-health "
    "social-policy community-organising service-research",
    "literature": "pam-literature sociology-literature hsr-literature qi-literature",
    "samskapa-objective": "objective-measurement objective-mechanisms objective-management objective-models",
    "method": "interviews non-participant-observation participant-observation focus-groups survey prom prem "
    "feasibility-rct realistic-evaluation participatory-action-research document-analysis "
    "qualitative-method quantitative-method",
}


@pytest.fixture(scope="module")
def graph():
    return merged_graph()


@pytest.mark.parametrize("scheme", sorted(CONTRACT_CONCEPTS))
def test_every_concept_the_data_model_names_is_in_its_scheme(graph, scheme):
    for slug in CONTRACT_CONCEPTS[scheme].split():
        assert (CONCEPT[slug], SKOS.inScheme, SCHEME[scheme]) in graph, f"concept/{slug} is not in scheme/{scheme}"


def test_modes_carry_temporal_orientation_and_form_of_contribution(graph):
    assert set(graph.objects(CONCEPT["co-design"], COP.temporalOrientation)) == {CONCEPT.prospective, CONCEPT.concurrent}
    assert graph.value(CONCEPT["co-delivery"], COP.mainlyThrough) == CONCEPT.action
    for mode in ("co-commissioning", "co-design", "co-assessment"):
        assert graph.value(CONCEPT[mode], COP.mainlyThrough) == CONCEPT.voice


def test_version_iri_and_info_agree_with_the_changelog(graph):
    info = version(graph)
    assert graph.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef(f"{ONTOLOGY_IRI}/{info}")
    headings = re.findall(r"^## (\S+)", (ONTOLOGY_DIR / "CHANGELOG.md").read_text(), flags=re.MULTILINE)
    assert headings[0] == info, "add a CHANGELOG.md entry for the new owl:versionInfo"
    assert graph.value(ONTOLOGY_IRI, OWL.priorVersion) == URIRef(f"{ONTOLOGY_IRI}/{headings[1]}")


def _table_disciplines() -> list[str]:
    """The discipline column of the preprint's supplementary tables: each row is an author-year
    line followed by the country and the discipline."""
    preprint = SHARED / "seeds" / "002_ba6e7b868008b380.txt"
    if not preprint.exists():
        pytest.skip(f"the review preprint is not at {preprint}")
    text = preprint.read_text(encoding="utf-8")
    lines = [line.strip() for line in text[text.index("Included articles:"):].splitlines() if line.strip()]
    return [lines[i + 2] for i, line in enumerate(lines) if re.fullmatch(r"[A-Za-z][^\d,]*,? \d{4}[ab]?", line)]


def test_every_discipline_value_of_the_review_tables_has_a_concept(graph):
    values = _table_disciplines()
    assert len(values) == 42 + 22 + 7, "one discipline per included article"
    labels = {str(label).casefold() for c in graph.subjects(SKOS.inScheme, SCHEME.discipline)
              for label in graph.objects(c, SKOS.prefLabel | SKOS.altLabel)}
    for value in values:
        for part in value.split("/"):
            assert part.strip().casefold() in labels, f"no discipline concept for {part!r} (from {value!r})"


def test_a_new_store_is_seeded_with_the_ontology_under_stable_names(tmp_path, graph):
    store = EmbeddedStore(tmp_path / "store")
    try:
        initialise(store, data_dir=tmp_path)  # the ontology alone: no curated data there
        count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {ONTOLOGY_GRAPH} {{ ?s ?p ?o }} }}"
        first, everything = int(next(iter(store.query(count)))["n"].value), store.count()
        initialise(store, data_dir=tmp_path)
        assert int(next(iter(store.query(count)))["n"].value) == first == len(graph)
        assert store.count() == everything  # the graphs derived from it too (the inference graph)
        triples = list(store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"))
        assert not any(isinstance(t.subject, BlankNode) or isinstance(t.object, BlankNode) for t in triples)
        answer = store.query(
            "ASK { GRAPH ?g { <https://w3id.org/coproduction/concept/co-design> a <http://www.w3.org/2004/02/skos/core#Concept> } }"
        )
        assert bool(answer) and ONTOLOGY_GRAPH in store.graphs()
    finally:
        store.close()



def test_readme_counts_the_concepts_of_every_scheme(graph):
    readme = (ONTOLOGY_DIR.parent / "README.md").read_text()
    rows = dict(re.findall(r"^\| `scheme/([a-z-]+)` \| [^|]+ \| (\d+) \|$", readme, flags=re.MULTILINE))
    schemes = {str(s).rsplit("/", 1)[-1]: s for s in graph.subjects(RDF.type, SKOS.ConceptScheme)}
    assert set(rows) == set(schemes), "the README's Ontology table must list every concept scheme"
    for slug, scheme in schemes.items():
        assert int(rows[slug]) == len(set(graph.subjects(SKOS.inScheme, scheme))), f"README count for scheme/{slug}"
