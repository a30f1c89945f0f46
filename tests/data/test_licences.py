"""Terms of reuse and citations of the source works, as each work's own text states them, and
every quoted passage reaching them."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import DCTERMS

from coprokg.vocab import BIBO
from tests.data.support import normalise_space, seed_text, turtle
from tests.data.test_sources import ERIKSSON, PREPRINT, PROTOCOL, REVIEW

WORKS = {"eriksson": ERIKSSON, "review": REVIEW, "preprint": PREPRINT, "protocol": PROTOCOL}
LICENSED = {
    "eriksson": "http://creativecommons.org/licenses/by-nc-nd/4.0/",
    "review": "https://creativecommons.org/licenses/by-nc/4.0/",
}
VIOLATION = Path(__file__).with_name("unlicensed-quote-violation.rq")


@pytest.mark.parametrize("name", WORKS)
def test_a_licence_is_stated_exactly_where_the_work_states_one(name):
    graph = turtle("sources.ttl")
    licence = graph.value(WORKS[name], DCTERMS.license)
    rights = str(graph.value(WORKS[name], DCTERMS.rights))
    if name in LICENSED:
        assert licence == URIRef(LICENSED[name])
        assert LICENSED[name] in seed_text(name)
        stated = seed_text(name).replace("(<", "(").replace(">)", ")")
        for sentence in normalise_space(rights).split(". "):
            assert sentence.rstrip(".") in stated, "the rights statement quotes the work's own"
    else:
        assert licence is None
        assert "creativecommons.org/licenses" not in seed_text(name)
        assert "states no licence" in rights


@pytest.mark.parametrize("name", WORKS)
def test_every_source_work_carries_its_citation(name):
    graph = turtle("sources.ttl")
    citation = str(graph.value(WORKS[name], DCTERMS.bibliographicCitation))
    title = str(graph.value(WORKS[name], DCTERMS.title))
    assert title.split(".")[0].replace("wellbeing", "well-being") in citation.replace("wellbeing", "well-being")
    doi = graph.value(WORKS[name], BIBO.doi)
    if doi is not None:
        assert f"https://doi.org/{doi}" in citation


def test_every_quoted_passage_reaches_a_work_with_its_terms_and_citation(curated_store):
    rows = list(curated_store.query(VIOLATION.read_text()))
    assert not rows, "\n".join(f"{row['holder']} quotes {row['quote']} from {row['work']}" for row in rows[:20])
    quotes = curated_store.query(
        "PREFIX cop: <https://w3id.org/coproduction/ontology#> SELECT (COUNT(*) AS ?n) WHERE { ?s cop:quote ?q }"
    )
    assert int(next(iter(quotes))["n"].value) > 100, "the check sees the curated quotes"
